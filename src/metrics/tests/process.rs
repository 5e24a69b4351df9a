//! The series of the process itself, and the two text formats.

use std::time::Duration;

use chrono::Utc;

use crate::metrics::{Format, Metrics};

#[test]
fn the_process_series_are_exported() {
    let metrics = Metrics::new();
    let text = metrics.encode(Format::Prometheus, Duration::from_secs(3));
    let version = format!(
        "feedhook_build_info{{version=\"{}\"}} 1",
        env!("CARGO_PKG_VERSION")
    );
    assert!(text.contains(&version), "{text}");
    assert!(text.contains("feedhook_heartbeat_age_seconds 3"), "{text}");
    assert!(
        text.contains("# TYPE feedhook_uptime_seconds gauge"),
        "{text}"
    );
    let start = text
        .lines()
        .find_map(|line| line.strip_prefix("feedhook_start_time_seconds "))
        .and_then(|value| value.parse::<i64>().ok())
        .expect("a start time");
    assert!((start - Utc::now().timestamp()).abs() < 60, "{start}");
}

#[test]
fn openmetrics_ends_with_eof() {
    let text = Metrics::new().encode(Format::OpenMetrics, Duration::ZERO);
    assert!(text.ends_with("# EOF\n"), "{text}");
    assert!(
        Format::OpenMetrics
            .content_type()
            .starts_with("application/openmetrics-text")
    );
    assert!(Format::Prometheus.content_type().starts_with("text/plain"));
}
