//! `config.example.toml` must load as shipped and document every key feedhook accepts.

use std::path::Path;

use crate::config::raw::{
    BasicAuthRaw, ChannelRaw, DeliveryRaw, FeedRaw, FetchRaw, HttpRaw, StoreRaw, fields_of,
};
use crate::config::{ChannelKind, Config};

fn example_path() -> std::path::PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("config.example.toml")
}

fn example_text() -> String {
    std::fs::read_to_string(example_path()).expect("config.example.toml at the repository root")
}

#[test]
fn the_example_config_loads_without_any_secret() {
    let config = Config::from_toml_str(&example_text(), &example_path(), &|_| None)
        .unwrap_or_else(|error| panic!("{error}"));
    assert_eq!(config.feeds.len(), 1);
    assert_eq!(config.feeds[0].channels, ["terminal"]);
    assert_eq!(config.channels["terminal"].kind, ChannelKind::Console);
    assert_eq!(
        config.store.path,
        Path::new(env!("CARGO_MANIFEST_DIR")).join("feedhook.db")
    );
    assert!(config.warnings.is_empty(), "{:?}", config.warnings);
}

#[test]
fn the_example_config_documents_every_key() {
    let text = example_text();
    // A key counts as documented when a line, commented out or not, sets it.
    let documented = |key: &str| {
        text.lines().any(|line| {
            let line = line.trim_start_matches(['#', ' ']);
            line.strip_prefix(key)
                .is_some_and(|rest| rest.trim_start().starts_with('='))
        })
    };
    let keys = [
        fields_of::<StoreRaw>(),
        fields_of::<FetchRaw>(),
        fields_of::<HttpRaw>(),
        fields_of::<DeliveryRaw>(),
        fields_of::<ChannelRaw>(),
        fields_of::<FeedRaw>(),
        fields_of::<BasicAuthRaw>(),
    ];
    let missing: Vec<_> = keys
        .concat()
        .into_iter()
        .filter(|key| !documented(key))
        .collect();
    assert!(
        missing.is_empty(),
        "config.example.toml does not show {missing:?}"
    );
    for table in [
        "[store]",
        "[fetch]",
        "[http]",
        "[delivery]",
        "[defaults]",
        "[channels.",
        "[[feeds]]",
    ] {
        assert!(text.contains(table), "config.example.toml has no {table}");
    }
    for kind in ChannelKind::ALL {
        assert!(
            text.contains(&format!("\"{kind}\"")),
            "kind {kind} is not documented"
        );
    }
}
