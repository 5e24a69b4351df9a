use super::*;

#[test]
fn durations_read_humantime() {
    assert_eq!(duration("15m"), Ok(Duration::from_secs(900)));
    assert_eq!(duration("1h 30m"), Ok(Duration::from_secs(5400)));
}

#[test]
fn a_misspelt_unit_is_named_with_examples() {
    let message = duration("5 minits").expect_err("bad unit");
    assert_eq!(
        message,
        "invalid duration \"5 minits\": unknown time unit \"minits\"; use e.g. \"30s\", \"15m\", \"1h\""
    );
}

#[test]
fn a_bare_number_asks_for_a_unit() {
    let message = duration("30").expect_err("no unit");
    assert!(
        message.contains("a unit is needed, e.g. \"30s\""),
        "{message}"
    );
}

#[test]
fn rates_become_the_spacing_between_posts() {
    let ms = Duration::from_millis;
    let cases = [
        ("4/s", ms(250)),
        ("1/s", ms(1000)),
        ("30/m", ms(2000)),
        ("5/2s", ms(400)),
        ("100/h", ms(36_000)),
        ("1/10s", ms(10_000)),
        (" 2 / 1m ", ms(30_000)),
        ("1000/s", ms(1)),
    ];
    for (text, spacing) in cases {
        assert_eq!(rate(text), Ok(spacing), "{text}");
    }
}

#[test]
fn rates_that_cannot_be_read_say_why() {
    let cases = [
        ("0/s", "0 posts per period would never post"),
        ("fast", "expected a number of posts, \"/\" and a period"),
        ("1.5/s", "\"1.5\" is not a whole number of posts"),
        ("-1/s", "\"-1\" is not a whole number of posts"),
        ("/s", "\"\" is not a whole number of posts"),
        ("4/fortnight", "the period \"fortnight\" is not a duration"),
        ("4/", "the period \"\" is not a duration"),
        ("2000/s", "that is more than one post per millisecond"),
        ("1/0s", "that is more than one post per millisecond"),
    ];
    for (text, reason) in cases {
        let message = rate(text).expect_err(text);
        assert!(
            message.starts_with(&format!("invalid rate {text:?}: {reason}")),
            "{message}"
        );
        assert!(message.ends_with(RATE_HINT), "{message}");
    }
}

#[test]
fn five_field_cron_runs_at_second_zero() {
    let classic = cron("*/5 * * * *").expect("classic form");
    let seconds = cron("0 */5 * * * *").expect("seconds form");
    assert!(classic.timeunitspec_eq(&seconds));
    assert_eq!(shortest_gap(&classic), Some(Duration::from_secs(300)));
}

#[test]
fn cron_errors_keep_only_the_explanation() {
    let message = cron("0 61 * * * *").expect_err("minute out of range");
    assert!(
        message.starts_with("invalid cron schedule \"0 61 * * * *\": Minutes"),
        "{message}"
    );
    assert!(!message.contains('^'), "{message}");
    let message = cron("* *").expect_err("too few fields");
    assert!(message.contains("it has 2 fields"), "{message}");
}

#[test]
fn sizes_accept_bytes_and_binary_and_decimal_units() {
    let text = |s: &str| byte_size(&ByteSizeRaw::Text(s.to_owned()));
    assert_eq!(byte_size(&ByteSizeRaw::Bytes(4096)), Ok(4096));
    assert_eq!(text("10MiB"), Ok(10 * 1024 * 1024));
    assert_eq!(text("512KiB"), Ok(512 * 1024));
    assert_eq!(text("2MB"), Ok(2_000_000));
    assert_eq!(text("2 mb"), Ok(2_000_000));
    assert!(
        text("10 megs")
            .expect_err("unit")
            .contains("unknown unit \"megs\"")
    );
    assert!(text("1.5MiB").is_err());
    assert!(byte_size(&ByteSizeRaw::Bytes(-1)).is_err());
    assert!(byte_size(&ByteSizeRaw::Bytes(0)).is_err());
}

#[test]
fn urls_must_be_http_with_a_host() {
    assert!(http_url("https://example.com/feed").is_ok());
    assert!(
        http_url("ftp://example.com/")
            .expect_err("scheme")
            .contains("not ftp:")
    );
    assert!(
        http_url("example.com/feed")
            .expect_err("relative")
            .contains("not a valid URL")
    );
    assert!(http_url("https://user:pw@/x").is_err());
}
