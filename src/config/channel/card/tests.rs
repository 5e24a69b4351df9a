use super::*;

#[test]
fn a_title_prefix_is_kept_as_written_with_its_space() {
    assert_eq!(title_prefix("[Security] ").as_deref(), Ok("[Security] "));
    assert_eq!(title_prefix("🔒 ").as_deref(), Ok("🔒 "));
}

#[test]
fn a_title_prefix_is_one_short_line() {
    assert!(title_prefix(" ").expect_err("blank").contains("empty"));
    assert!(
        title_prefix("a\nb")
            .expect_err("two lines")
            .contains("one line")
    );
    let long = title_prefix(&"x".repeat(101)).expect_err("too long");
    assert_eq!(long, "the title_prefix has 101 characters; the most is 100");
}

/// The card keys of a channel table holding `keys`.
fn overrides_of(keys: &str) -> CardOverrides {
    let raw: ChannelRaw = toml::from_str(keys).expect("a channel table");
    let mut report = Report::new(std::path::Path::new("f.toml"), keys);
    let found = overrides(&raw, "channels.ops", &mut report);
    assert!(report.problems.is_empty(), "{:?}", report.problems);
    found
}

#[test]
fn default_overrides_change_nothing() {
    for keys in ["", "hide_summary = false\n", "kind = \"slack\"\n"] {
        assert!(overrides_of(keys).is_none(), "{keys:?}");
    }
    for keys in [
        "title_prefix = \"[ops] \"\n",
        "hide_summary = true\n",
        "max_summary_chars = 200\n",
    ] {
        assert!(!overrides_of(keys).is_none(), "{keys:?}");
    }
}
