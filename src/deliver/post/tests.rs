use super::*;

fn channel_headers(pairs: &[(&'static str, &'static str)]) -> HeaderMap {
    pairs
        .iter()
        .map(|(name, value)| {
            let mut value = HeaderValue::from_static(value);
            value.set_sensitive(true);
            (HeaderName::from_static(name), value)
        })
        .collect()
}

#[test]
fn a_generic_post_carries_its_key_and_the_channels_own_headers() {
    let own = channel_headers(&[
        ("x-token", "abc"),
        ("content-type", "application/cloudevents+json"),
    ]);
    let headers = request_headers(ChannelKind::Generic, &own, "feedhook-ops-7");
    assert_eq!(headers["idempotency-key"], "feedhook-ops-7");
    assert_eq!(headers["x-token"], "abc");
    assert!(headers["x-token"].is_sensitive());
    assert_eq!(
        headers.get_all(CONTENT_TYPE).iter().collect::<Vec<_>>(),
        ["application/cloudevents+json"],
        "the channel's header replaces ours"
    );
}

#[test]
fn other_kinds_post_json_without_an_idempotency_key() {
    let headers = request_headers(ChannelKind::Slack, &HeaderMap::new(), "feedhook-ops-7");
    assert_eq!(headers[CONTENT_TYPE], "application/json");
    assert!(!headers.contains_key("idempotency-key"));
}
