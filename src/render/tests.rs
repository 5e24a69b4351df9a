use super::testing::Sample;
use super::*;

#[test]
fn each_kind_gets_its_own_payload_shape() {
    let sample = Sample::full();
    let card = sample.source();
    assert!(
        matches!(render(ChannelKind::Teams, &ChannelOptions::default(), &card), Ok(Payload::Json(v)) if v["type"] == "message")
    );
    assert!(
        matches!(render(ChannelKind::Generic, &ChannelOptions::default(), &card), Ok(Payload::Json(v)) if v["entry"].is_object())
    );
    assert!(
        matches!(render(ChannelKind::Console, &ChannelOptions::default(), &card), Ok(Payload::Text(t)) if t.starts_with("[rust-blog]"))
    );
}

#[test]
fn json_payload_bytes_are_compact_json() {
    let payload = Payload::Json(serde_json::json!({"a": [1, "é"]}));
    assert_eq!(payload.to_bytes(), "{\"a\":[1,\"é\"]}".as_bytes());
}

fn generic_with_template(source: &str) -> ChannelOptions {
    ChannelOptions {
        template: Some(Template::compile(source, None).expect("compiles")),
        ..ChannelOptions::default()
    }
}

#[tokio::test]
async fn rendering_off_the_worker_gives_what_render_gives() {
    let sample = Sample::full();
    let card = sample.source();
    for kind in ChannelKind::ALL {
        let options = ChannelOptions::default();
        assert_eq!(
            render_off_worker(kind, &options, &card).await,
            render(kind, &options, &card),
            "{kind}"
        );
    }
    let failing = generic_with_template("{{ entry.titel }}");
    let error = render_off_worker(ChannelKind::Generic, &failing, &card)
        .await
        .expect_err("a misspelt key fails");
    assert!(matches!(error, RenderError::Template { .. }), "{error}");
}

#[tokio::test(flavor = "current_thread")]
async fn work_off_the_worker_leaves_the_async_worker_free() {
    // On a runtime of one thread, work that ran on it would wait for the message below for ever
    // (here: until its patience ends): the task that sends it could not run meanwhile.
    let (send, receive) = std::sync::mpsc::channel::<()>();
    let work = tokio::spawn(off_worker(move || {
        receive
            .recv_timeout(std::time::Duration::from_secs(30))
            .is_ok()
    }));
    tokio::task::yield_now().await;
    send.send(()).expect("the work is waiting");
    assert_eq!(work.await.expect("joins"), Ok(true));
}

#[tokio::test]
async fn a_renderer_that_panics_costs_its_card_only() {
    let outcome = off_worker(|| -> Payload { panic!("a renderer bug") }).await;
    assert_eq!(outcome, Err(RenderError::Bug));
    assert_eq!(
        RenderError::Bug.to_string(),
        "the card could not be rendered (a feedhook bug: please report it with the feed)"
    );
}
