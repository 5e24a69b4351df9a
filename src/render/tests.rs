use super::testing::Sample;
use super::*;

#[test]
fn each_kind_gets_its_own_payload_shape() {
    let sample = Sample::full();
    let card = sample.source();
    assert!(
        matches!(render(ChannelKind::Teams, &ChannelOptions::default(), &card), Payload::Json(v) if v["type"] == "message")
    );
    assert!(
        matches!(render(ChannelKind::Generic, &ChannelOptions::default(), &card), Payload::Json(v) if v["entry"].is_object())
    );
    assert!(
        matches!(render(ChannelKind::Console, &ChannelOptions::default(), &card), Payload::Text(t) if t.starts_with("[rust-blog]"))
    );
}

#[test]
fn json_payload_bytes_are_compact_json() {
    let payload = Payload::Json(serde_json::json!({"a": [1, "é"]}));
    assert_eq!(payload.to_bytes(), "{\"a\":[1,\"é\"]}".as_bytes());
}
