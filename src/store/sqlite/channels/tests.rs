use super::*;
use crate::store::sqlite::testing::{Poll, at};

#[test]
fn a_channel_never_used_reads_as_defaults() {
    let store = Db::open_in_memory().expect("memory store");
    let state = store.channel_state("ops").expect("read");
    assert_eq!(
        state,
        ChannelState {
            channel: "ops".to_owned(),
            ..ChannelState::default()
        }
    );
}

#[test]
fn suspension_is_recorded_and_lifted() {
    let store = Db::open_in_memory().expect("memory store");
    store
        .suspend_channel("ops", at(60), "HTTP 410: webhook removed")
        .expect("suspend");
    let state = store.channel_state("ops").expect("read");
    assert_eq!(state.suspended_until, Some(at(60)));
    assert_eq!(
        state.suspended_reason.as_deref(),
        Some("HTTP 410: webhook removed")
    );

    store.resume_channel("ops").expect("resume");
    let state = store.channel_state("ops").expect("read");
    assert_eq!(
        (state.suspended_until, state.suspended_reason),
        (None, None)
    );
}

#[test]
fn a_pause_is_recorded_apart_from_suspension_and_lifted() {
    let store = Db::open_in_memory().expect("memory store");
    store
        .suspend_channel("ops", at(60), "HTTP 410")
        .expect("suspend");
    store
        .pause_channel("ops", at(30), "Retry-After")
        .expect("pause");
    store.resume_channel("ops").expect("resume");
    let state = store.channel_state("ops").expect("read");
    assert_eq!(state.suspended_until, None);
    assert_eq!(
        (state.paused_until, state.pause_reason.as_deref()),
        (Some(at(30)), Some("Retry-After")),
        "resuming a suspension keeps the pause"
    );

    store.lift_pause("ops").expect("lift");
    let state = store.channel_state("ops").expect("read");
    assert_eq!((state.paused_until, state.pause_reason), (None, None));
}

#[test]
fn suspension_keeps_pending_deliveries() {
    let store = Db::open_in_memory().expect("memory store");
    Poll::new("blog", &[], &["ops"]).run(&store);
    Poll::new("blog", &["a", "b"], &["ops"])
        .at(at(15))
        .run(&store);
    store
        .suspend_channel("ops", at(60), "HTTP 404")
        .expect("suspend");
    assert_eq!(store.channel_state("ops").expect("read").pending, 2);
    store.resume_channel("ops").expect("resume");
    let next = store.next_pending("ops").expect("read").expect("pending");
    assert_eq!(next.entry.key, "a");
}

#[test]
fn resuming_an_unknown_channel_is_harmless() {
    let store = Db::open_in_memory().expect("memory store");
    store.resume_channel("ghost").expect("resume");
    assert_eq!(
        store.channel_state("ghost").expect("read").suspended_until,
        None
    );
}

#[test]
fn channel_states_come_back_in_the_order_asked() {
    let store = Db::open_in_memory().expect("memory store");
    Poll::new("blog", &[], &["ops", "dev"]).run(&store);
    Poll::new("blog", &["a"], &["ops"]).at(at(15)).run(&store);
    let names = ["dev".to_owned(), "ops".to_owned()];
    let states = store.channel_states(&names).expect("read");
    let summary: Vec<_> = states
        .iter()
        .map(|s| (s.channel.as_str(), s.pending))
        .collect();
    assert_eq!(summary, [("dev", 0), ("ops", 1)]);
    assert_eq!(states[0].oldest_pending_at, None);
    assert_eq!(states[1].oldest_pending_at, Some(at(15)));
}

#[test]
fn a_failing_streak_starts_at_its_first_failure_and_ends_with_a_delivery() {
    let store = Db::open_in_memory().expect("memory store");
    Poll::new("blog", &[], &["ops"]).run(&store);
    Poll::new("blog", &["a", "b"], &["ops"])
        .at(at(1))
        .run(&store);
    assert_eq!(
        store.note_channel_failing("ops", at(2)).expect("note"),
        at(2)
    );
    assert_eq!(
        store.note_channel_failing("ops", at(9)).expect("note"),
        at(2),
        "the streak keeps its start"
    );
    let head = store.next_pending("ops").expect("read").expect("pending");
    store
        .suspend_failing("ops", head.id, at(70), "HTTP 500")
        .expect("suspend");
    store
        .suspend_failing("ops", head.id, at(80), "HTTP 502")
        .expect("suspend");
    let state = store.channel_state("ops").expect("read");
    assert_eq!(
        (state.failing_since, state.probes, state.suspended_until),
        (Some(at(2)), 2, Some(at(80)))
    );
    assert_eq!(state.suspended_reason.as_deref(), Some("HTTP 502"));
    let waiting = store.next_pending("ops").expect("read").expect("pending");
    assert_eq!((waiting.next_attempt_at, waiting.attempts), (at(80), 2));
    assert_eq!(state.pending, 2, "everything is kept");

    store.resume_channel("ops").expect("resume");
    let state = store.channel_state("ops").expect("read");
    assert_eq!(
        (state.failing_since, state.probes),
        (Some(at(2)), 2),
        "a resume is not a recovery"
    );
    store.mark_delivered(head.id, at(81)).expect("delivered");
    let state = store.channel_state("ops").expect("read");
    assert_eq!((state.failing_since, state.probes), (None, 0));
}
