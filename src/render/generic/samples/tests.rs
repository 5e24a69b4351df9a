use super::*;
use crate::render::card::ChannelCard;
use crate::render::generic::render;

#[test]
fn the_bare_sample_has_every_optional_value_missing() {
    let [complete, bare] = samples();
    let object = render(&ChannelCard::new(&bare.card()));
    for (key, value) in object["entry"].as_object().expect("an object") {
        let missing = value.is_null() || value.as_array().is_some_and(Vec::is_empty);
        assert_eq!(missing, key != "key", "entry.{key}: {value}");
    }
    assert!(object["feed"]["title"].is_null() && object["feed"]["link"].is_null());
    let object = render(&ChannelCard::new(&complete.card()));
    for (key, value) in object["entry"].as_object().expect("an object") {
        let missing = value.is_null() || value.as_array().is_some_and(Vec::is_empty);
        assert!(!missing, "entry.{key} is set in the complete sample");
    }
}
