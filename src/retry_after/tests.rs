use super::*;

fn at(date: &str) -> SystemTime {
    httpdate::parse_http_date(date).expect("a valid HTTP date")
}

#[test]
fn whole_seconds() {
    let now = SystemTime::now();
    assert_eq!(parse(" 120 ", now), Some(Duration::from_secs(120)));
    assert_eq!(parse("0", now), Some(Duration::ZERO));
}

#[test]
fn seconds_with_a_fraction_as_discord_sends_them() {
    let now = SystemTime::now();
    assert_eq!(parse("1.5", now), Some(Duration::from_millis(1500)));
    assert_eq!(parse("0.25", now), Some(Duration::from_millis(250)));
    assert_eq!(
        delay_seconds("2.0000000019"),
        Some(Duration::new(2, 1)),
        "beyond nanoseconds is dropped"
    );
}

#[test]
fn an_http_date_counts_from_now() {
    let now = at("Sun, 06 Nov 1994 08:49:37 GMT");
    let later = parse("Sun, 06 Nov 1994 08:51:37 GMT", now);
    assert_eq!(later, Some(Duration::from_secs(120)));
}

#[test]
fn a_date_already_past_means_now() {
    let now = at("Wed, 21 Oct 2026 07:28:00 GMT");
    let past = parse("Sun, 06 Nov 1994 08:49:37 GMT", now);
    assert_eq!(past, Some(Duration::ZERO));
}

#[test]
fn absurd_waits_are_returned_whole_without_overflow() {
    let now = at("Wed, 21 Oct 2026 07:28:00 GMT");
    assert_eq!(
        parse("99999999999", now),
        Some(Duration::from_secs(99_999_999_999))
    );
    let far = parse("Fri, 31 Dec 9999 23:59:59 GMT", now).expect("a date");
    assert!(
        far > Duration::from_secs(7_900 * 365 * 24 * 3600),
        "{far:?}"
    );
    let beyond_u64 = "9".repeat(40);
    assert_eq!(parse(&beyond_u64, now), Some(Duration::MAX));
    assert_eq!(parse(&format!("{beyond_u64}.5"), now), Some(Duration::MAX));
}

#[test]
fn anything_else_is_no_answer() {
    let now = SystemTime::now();
    for nonsense in [
        "", "soon", "-5", "-0.5", "NaN", "inf", "1e3", "+5", ".5", "5.", "1.2.3", "1 2",
    ] {
        assert_eq!(parse(nonsense, now), None, "{nonsense:?}");
    }
}

#[test]
fn json_seconds_are_finite_and_not_negative() {
    assert_eq!(from_secs_f64(1.5), Some(Duration::from_millis(1500)));
    assert_eq!(from_secs_f64(1e300), Some(Duration::MAX));
    for bad in [-1.0, f64::NAN, f64::INFINITY, f64::NEG_INFINITY] {
        assert_eq!(from_secs_f64(bad), None, "{bad}");
    }
}
