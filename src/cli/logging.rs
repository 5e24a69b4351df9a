//! Log set-up: one line per event on stderr (stdout is the console channel's).

use tracing_subscriber::EnvFilter;

use super::LogFormat;

/// Installs the global subscriber. Under journald (`JOURNAL_STREAM` set) lines carry no timestamp and
/// no colour, since the journal adds both.
pub fn init(level: &str, format: LogFormat) -> Result<(), String> {
    let filter = match std::env::var("RUST_LOG") {
        Ok(directives) if !directives.is_empty() => EnvFilter::try_new(directives),
        // A plain level applies to feedhook's own events; libraries stay at warn, so that their
        // debug output (which can include request URLs, and so webhook secrets) is opt-in via RUST_LOG.
        _ if level.contains(['=', ',']) => EnvFilter::try_new(level),
        _ => EnvFilter::try_new(format!("warn,feedhook={level}")),
    }
    .map_err(|e| format!("invalid log level: {e}"))?;
    let journald = std::env::var_os("JOURNAL_STREAM").is_some();
    let builder = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(std::io::stderr)
        .with_target(false);
    let installed = match (format, journald) {
        (LogFormat::Json, _) => builder.json().flatten_event(true).try_init(),
        (LogFormat::Human, true) => builder.without_time().with_ansi(false).try_init(),
        (LogFormat::Human, false) => builder
            .with_ansi(std::io::IsTerminal::is_terminal(&std::io::stderr()))
            .try_init(),
    };
    installed.map_err(|e| format!("cannot set up logging: {e}"))
}
