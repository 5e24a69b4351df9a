use reqwest::header::{HeaderName, HeaderValue};

use super::*;

fn headers(pairs: &[(&'static str, &'static str)]) -> HeaderMap {
    pairs
        .iter()
        .map(|(n, v)| (HeaderName::from_static(n), HeaderValue::from_static(v)))
        .collect()
}

fn hook() -> SecretUrl {
    SecretUrl::new(url::Url::parse("https://hooks.example/x").expect("url"))
}

fn read_now(status: u16, pairs: &[(&'static str, &'static str)], body: &str) -> Answer {
    read(status, &headers(pairs), body.to_owned(), SystemTime::now())
}

#[test]
fn discord_429_without_retry_after_waits_its_reset_after_in_seconds() {
    let answer = read_now(429, &[("x-ratelimit-reset-after", "1.5")], "");
    assert_eq!(answer.retry_after, Some(Duration::from_millis(1500)));
}

#[test]
fn discord_429_with_only_a_json_body_waits_its_retry_after_in_seconds() {
    let body = r#"{"message": "You are being rate limited.", "retry_after": 1.5, "global": false}"#;
    let answer = read_now(429, &[], body);
    assert_eq!(answer.retry_after, Some(Duration::from_millis(1500)));
    assert_eq!(read_now(429, &[], "not json").retry_after, None);
}

#[test]
fn retry_after_header_comes_first() {
    let answer = read_now(
        429,
        &[("retry-after", "7"), ("x-ratelimit-reset-after", "1.5")],
        "",
    );
    assert_eq!(answer.retry_after, Some(Duration::from_secs(7)));
}

#[test]
fn absurd_waits_stay_within_reach_of_the_clock() {
    for value in ["99999999999", "Fri, 31 Dec 9999 23:59:59 GMT"] {
        let answer = read_now(429, &[("retry-after", value)], "");
        assert_eq!(answer.retry_after, Some(LONGEST_WAIT), "{value}");
    }
}

#[test]
fn an_empty_bucket_pauses_the_channel_after_a_success() {
    let empty = [
        ("x-ratelimit-remaining", "0"),
        ("x-ratelimit-reset-after", "0.8"),
    ];
    let answer = read_now(204, &empty, "");
    assert_eq!(answer.bucket_empty_for, Some(Duration::from_millis(800)));
    assert_eq!(answer.retry_after, None);
    let sent = judge_post(ChannelKind::Discord, &hook(), Ok(answer));
    assert_eq!(sent.verdict, Verdict::Delivered);
    assert_eq!(sent.pause, Some(Duration::from_millis(800)));
    let left = [
        ("x-ratelimit-remaining", "3"),
        ("x-ratelimit-reset-after", "0.8"),
    ];
    assert_eq!(read_now(204, &left, "").bucket_empty_for, None);
}

#[test]
fn a_redirect_without_a_body_says_so() {
    assert_eq!(read_now(301, &[], "").body, "(redirect)");
}

#[test]
fn a_post_without_an_answer_is_retried_with_its_reason() {
    let sent = judge_post(
        ChannelKind::Slack,
        &hook(),
        Err(PostError::Network("cannot connect: refused".into())),
    );
    assert_eq!(
        sent,
        Sent::from(Verdict::Retry {
            reason: "network error: cannot connect: refused".into(),
            retry_after: None,
        })
    );
}

#[test]
fn a_post_that_timed_out_once_sent_has_an_unknown_outcome() {
    let sent = judge_post(
        ChannelKind::Slack,
        &hook(),
        Err(PostError::Timeout(Duration::from_secs(30))),
    );
    assert_eq!(
        sent,
        Sent::from(Verdict::Unanswered {
            reason: "timed out after 30s, once sent: the webhook may have posted the card".into(),
        })
    );
}

#[test]
fn a_console_print_is_delivered_unless_standard_output_fails() {
    assert_eq!(judge_print(Ok(())).verdict, Verdict::Delivered);
    let failed = judge_print(Err(PostError::Console("broken pipe".into())));
    assert!(
        matches!(&failed.verdict, Verdict::Retry { reason, .. } if reason.contains("broken pipe")),
        "{failed:?}"
    );
}

#[test]
fn matrix_429_waits_its_retry_after_ms() {
    let body =
        r#"{"errcode":"M_LIMIT_EXCEEDED","error":"Too many requests","retry_after_ms":2500}"#;
    let answer = read_now(429, &[], body);
    assert_eq!(answer.retry_after, Some(Duration::from_millis(2500)));
}

#[test]
fn telegram_429_waits_its_parameters_retry_after() {
    let body = r#"{"ok":false,"error_code":429,"description":"Too Many Requests: retry after 7","parameters":{"retry_after":7}}"#;
    let answer = read_now(429, &[], body);
    assert_eq!(answer.retry_after, Some(Duration::from_secs(7)));
}
