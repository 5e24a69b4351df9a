use super::*;

fn config(text: &str) -> Config {
    Config::from_toml_str(
        text,
        std::path::Path::new("/etc/feedhook/feedhook.toml"),
        &|_| None,
    )
    .expect("valid config")
}

#[test]
fn additions_removals_and_changes_are_each_named() {
    let old = config(
        "[channels.a]\nkind = \"console\"\n[channels.b]\nkind = \"console\"\n\
         [[feeds]]\nname = \"one\"\nurl = \"https://example.com/1\"\nchannels = [\"a\"]\n\
         [[feeds]]\nname = \"two\"\nurl = \"https://example.com/2\"\nchannels = [\"a\"]\n",
    );
    let new = config(
        "[channels.a]\nkind = \"console\"\n[channels.c]\nkind = \"console\"\n\
         [[feeds]]\nname = \"one\"\nurl = \"https://example.com/1\"\nchannels = [\"a\"]\ninterval = \"5m\"\n\
         [[feeds]]\nname = \"three\"\nurl = \"https://example.com/3\"\nchannels = [\"c\"]\n",
    );
    let changes = describe_changes(&old, &new);
    for expected in [
        "feed one changed",
        "feed three added",
        "feed two removed",
        "channel c added",
        "channel b removed",
    ] {
        assert!(
            changes.iter().any(|c| c.starts_with(expected)),
            "{expected} missing from {changes:?}"
        );
    }
    assert_eq!(changes.len(), 5, "{changes:?}");
    assert!(describe_changes(&new, &new).is_empty());
}
