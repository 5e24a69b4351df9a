//! A channel's health under a hostile webhook: a Retry-After of years holds the channel no longer
//! than its `max_pause`, the pause is kept across a restart, shown by `status` and lifted by
//! `retry`; a webhook whose TLS certificate is wrong suspends its channel at once instead of being
//! retried; the channel's `timeout` bounds one post.

// The shared fixtures are built with format!: clarity matters more than allocations here.
#![allow(clippy::format_collect, clippy::format_push_string)]
#![allow(clippy::unwrap_used)]

mod common;

use std::sync::Arc;
use std::time::Duration;

use tokio_util::sync::CancellationToken;

use common::hook::{
    Reply, Scripted, gaps, queue, run_until, start, start_channel, t0, with_policy,
};
use common::tls::{Fault, TlsHook};
use common::{Doc, FeedServer, Setup, Sink, generic_config, rss, stderr};
use feedhook::config::DeliveryPolicy;
use feedhook::deliver::{Destination, PostError, Poster, Target, Verdict};
use feedhook::render::Payload;
use feedhook::store::Store;

fn stdout(output: &std::process::Output) -> String {
    String::from_utf8_lossy(&output.stdout).into_owned()
}

#[tokio::test(start_paused = true)]
async fn a_retry_after_of_years_holds_the_channel_only_for_max_pause() {
    let max_pause = Duration::from_secs(10 * 60);
    let policy = DeliveryPolicy {
        max_pause,
        ..DeliveryPolicy::default()
    };
    for asked in ["99999999999", "Fri, 31 Dec 9999 23:59:59 GMT", "86400"] {
        let store = Arc::new(Store::open_in_memory().unwrap());
        queue(&store, &["a"], &["hook"]).await;
        let hook = Scripted::replying([Reply::retry_after(429, asked)]);
        let stop = CancellationToken::new();
        start_channel(
            &store,
            with_policy("hook", policy),
            Arc::clone(&hook),
            &stop,
        );
        tokio::time::sleep(Duration::from_secs(1)).await;
        let state = store.channel_state("hook").await.unwrap();
        let paused_until = state.paused_until.expect("paused");
        assert!(
            paused_until <= t0() + max_pause + chrono::TimeDelta::seconds(2),
            "Retry-After {asked:?} paused until {paused_until}"
        );
        assert_eq!(state.pause_reason.as_deref(), Some("Retry-After"));
        run_until(|| hook.posts().len() >= 2).await;
        let gap = gaps(&hook.posts())[0];
        assert!(
            gap >= max_pause && gap < max_pause + Duration::from_secs(60),
            "Retry-After {asked:?}: posted again after {gap:?}"
        );
        assert_eq!(store.channel_state("hook").await.unwrap().delivered, 1);
        stop.cancel();
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn a_pause_survives_a_restart_shows_in_status_and_retry_lifts_it() {
    let feeds = FeedServer::start().await;
    let sink = Sink::start().await;
    let url = feeds.url("/feed.xml");
    feeds.serve("/feed.xml", Doc::rss(rss(&[("a", "A")])));
    sink.answer_with_header(429, "retry-after", "99999999999");
    let setup = Setup::new(&generic_config(&sink, &[&url], "backlog = 1"));
    let (first, status, again, retry, last) = tokio::task::spawn_blocking(move || {
        let first = setup.run(&["once"]);
        let status = setup.run(&["status"]);
        let again = setup.run(&["once"]);
        let retry = setup.run(&["retry"]);
        (first, status, again, retry, setup.run(&["once"]))
    })
    .await
    .unwrap();
    let log = stderr(&first);
    let capped = log
        .lines()
        .find(|line| line.contains("max_pause"))
        .unwrap_or_else(|| panic!("no line about the capped pause: {log}"));
    assert!(
        capped.contains("channel=hook") && capped.contains("paused=1h"),
        "{capped}"
    );
    assert!(
        capped.contains("asked=31years"),
        "the original wait: {capped}"
    );
    let status = stdout(&status);
    assert!(status.contains("STATE"), "{status}");
    assert!(
        status.contains("paused until")
            && status.contains("(in 59m")
            && status.contains("(Retry-After)"),
        "{status}"
    );
    assert_eq!(again.status.code(), Some(1), "{}", stderr(&again));
    assert_eq!(retry.status.code(), Some(0), "{}", stderr(&retry));
    assert_eq!(last.status.code(), Some(0), "{}", stderr(&last));
    assert_eq!(
        sink.titles().await,
        ["A", "A"],
        "nothing posted while paused, across a restart; posted once lifted"
    );
}

#[tokio::test]
async fn a_wrong_webhook_certificate_suspends_the_channel_at_once() {
    for fault in [Fault::UntrustedIssuer, Fault::Expired, Fault::OtherName] {
        let feeds = FeedServer::start().await;
        feeds.serve("/feed.xml", Doc::rss(rss(&[("a", "A")])));
        let hook = TlsHook::start(fault).await;
        let setup = Setup::new(&format!(
            "[channels.hook]\nkind = \"generic\"\nurl = \"{}\"\n\n\
             [[feeds]]\nurl = \"{}\"\nchannels = [\"hook\"]\nbacklog = 1\n",
            hook.url,
            feeds.url("/feed.xml")
        ));
        let report = setup.once().await;
        assert_eq!(hook.handshakes(), 1, "{fault:?}: tried once, not retried");
        let state = setup.channel_state("hook").unwrap();
        let reason = state.suspended_reason.unwrap_or_default();
        assert!(
            state.suspended_until.is_some() && reason.contains("TLS certificate error"),
            "{fault:?}: {reason:?} {report:?}"
        );
        assert!(!reason.contains("secret-token"), "{reason}");
        assert_eq!((state.pending, state.failed), (1, 0), "{fault:?}: kept");
    }
}

#[tokio::test]
async fn the_channels_timeout_bounds_one_post() {
    let sink = Sink::start().await;
    sink.delay(Duration::from_secs(5));
    let setup = Setup::new(&format!(
        "[channels.hook]\nkind = \"generic\"\nurl = \"{}\"\ntimeout = \"1s\"\n",
        sink.url()
    ));
    let config = setup.config();
    let poster = Poster::new(&config.redactor).unwrap();
    let target = Target::for_channel(&config.channels["hook"], &poster).unwrap();
    let sent = target
        .send("key", &Payload::Json(serde_json::json!({})))
        .await;
    match sent.verdict {
        Verdict::Unanswered { reason } => assert_eq!(
            reason,
            "timed out after 1s, once sent: the webhook may have posted the card"
        ),
        other => panic!("{other:?}"),
    }
}

#[tokio::test(start_paused = true)]
async fn a_webhook_failing_for_hours_suspends_its_channel_then_drains_it_under_the_flood_cap() {
    let keys: Vec<String> = (0..30).map(|n| format!("e{n:02}")).collect();
    let keys: Vec<&str> = keys.iter().map(String::as_str).collect();
    let store = Arc::new(Store::open_in_memory().unwrap());
    queue(&store, &keys, &["hook"]).await;
    let hook = Scripted::new(&vec![(500, None); 20]);
    let stop = CancellationToken::new();
    start(&store, "hook", Arc::clone(&hook), &stop);

    run_until(|| hook.posts().len() >= 16).await;
    let state = store.channel_state("hook").await.unwrap();
    let reason = state.suspended_reason.clone().unwrap_or_default();
    assert!(
        state.suspended_until.is_some() && reason.starts_with("every post has failed for 1h"),
        "{state:?}"
    );
    assert!(reason.contains("HTTP 500"), "{reason}");
    assert_eq!((state.pending, state.failed), (30, 0), "everything kept");
    assert!(
        hook.keys().iter().all(|key| key == "e00"),
        "only the oldest is tried"
    );

    run_until(|| hook.posts().len() >= 21 + 21).await;
    let posts = hook.posts();
    let failing = &posts[..20];
    // The first post an hour after the first failure suspends the channel; probes follow.
    let suspending = failing
        .iter()
        .position(|(at, _)| *at - posts[0].0 >= Duration::from_secs(3600))
        .expect("a post after an hour of failures");
    let probe_gaps: Vec<u64> = gaps(&failing[suspending..])
        .iter()
        .map(|gap| gap.as_secs() / 60)
        .collect();
    assert!(
        probe_gaps.windows(2).all(|w| w[1] == 2 * w[0]) && probe_gaps[0] == 1,
        "probes back off from a minute: {probe_gaps:?} minutes"
    );
    let drained = &hook.keys()[20..];
    assert_eq!(drained[0], "e00", "the probe that got through");
    assert!(
        drained[1].starts_with("feedhook:backlog:hook:"),
        "the older entries beyond the cap come as one card first: {drained:?}"
    );
    assert_eq!(drained[2..], keys[10..], "then the newest 20, oldest first");
    let state = store.channel_state("hook").await.unwrap();
    assert_eq!((state.pending, state.failed), (0, 0), "{state:?}");
    assert_eq!(
        (state.failing_since, state.probes),
        (None, 0),
        "healthy again"
    );
    stop.cancel();
}

#[tokio::test(start_paused = true)]
async fn a_post_left_unanswered_is_repeated_sparingly_then_kept_and_the_channel_suspended() {
    let store = Arc::new(Store::open_in_memory().unwrap());
    queue(&store, &["a", "b"], &["hook"]).await;
    let timeouts = (0..10).map(|_| Reply::Failed(PostError::Timeout(Duration::from_secs(30))));
    let hook = Scripted::replying(timeouts);
    let stop = CancellationToken::new();
    start(&store, "hook", Arc::clone(&hook), &stop);

    run_until(|| hook.posts().len() >= 3).await;
    tokio::time::sleep(Duration::from_secs(1)).await;
    assert_eq!(
        hook.keys(),
        ["a", "a", "a"],
        "three posts of the card, no more"
    );
    let waits = gaps(&hook.posts());
    assert_eq!(
        waits,
        [Duration::from_secs(600), Duration::from_secs(3600)],
        "repeated after 10 min, then an hour"
    );
    let state = store.channel_state("hook").await.unwrap();
    let reason = state.suspended_reason.clone().unwrap_or_default();
    assert!(
        state.suspended_until.is_some() && reason.contains("leaves posts unanswered"),
        "{state:?}"
    );
    assert_eq!((state.pending, state.failed), (1, 1), "{state:?}");

    run_until(|| hook.posts().len() >= 4).await;
    assert_eq!(
        hook.keys()[3],
        "b",
        "the next card, once the suspension ends"
    );
    stop.cancel();
}

#[tokio::test]
async fn a_webhook_answering_after_the_timeout_gets_the_card_once_per_run() {
    let feeds = FeedServer::start().await;
    feeds.serve("/feed.xml", Doc::rss(rss(&[("a", "A")])));
    let sink = Sink::start().await;
    sink.delay(Duration::from_secs(3));
    let setup = Setup::new(&format!(
        "[channels.hook]\nkind = \"generic\"\nurl = \"{}\"\ntimeout = \"1s\"\n\n\
         [[feeds]]\nurl = \"{}\"\nchannels = [\"hook\"]\nbacklog = 1\n",
        sink.url(),
        feeds.url("/feed.xml")
    ));
    setup.once().await;
    assert_eq!(
        sink.titles().await,
        ["A"],
        "posted once, not retried at once"
    );
    let state = setup.channel_state("hook").unwrap();
    assert_eq!((state.pending, state.failed), (1, 0), "{state:?}");
}
