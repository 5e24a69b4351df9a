use super::*;

#[test]
fn times_round_trip_at_millisecond_precision() {
    let at = DateTime::from_timestamp_millis(1_700_000_000_123).expect("valid time");
    let conn = rusqlite::Connection::open_in_memory().expect("memory db");
    let back: Millis = conn
        .query_row("SELECT ?1", [Millis(at)], |row| row.get(0))
        .expect("round trip");
    assert_eq!(back.0, at);
    let raw: i64 = conn
        .query_row("SELECT ?1", [Millis(at)], |row| row.get(0))
        .expect("raw");
    assert_eq!(raw, 1_700_000_000_123);
}

#[test]
fn counts_saturate_instead_of_wrapping() {
    assert_eq!(count_u32(-1), 0);
    assert_eq!(count_u32(i64::MAX), u32::MAX);
    assert_eq!(count_u64(-5), 0);
    assert_eq!(count_u64(7), 7);
}
