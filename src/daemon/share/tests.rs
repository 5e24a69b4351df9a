use super::*;

#[test]
fn shares_are_rounded_up_so_that_they_cover_all_the_work() {
    assert_eq!(fair_share(10, 3), 4);
    assert_eq!(fair_share(9, 3), 3);
    assert_eq!(fair_share(2, 3), 1);
    assert_eq!(fair_share(0, 3), 0);
    // Before the first heartbeat is read back, the instance counts itself.
    assert_eq!(fair_share(5, 0), 5);
}

fn config(text: &str) -> Config {
    let dir = tempfile::tempdir().expect("a temp dir");
    let path = dir.path().join("feedhook.toml");
    std::fs::write(&path, text).expect("the config is written");
    Config::load(&path).unwrap_or_else(|error| panic!("{error}"))
}

const FEEDS: &str = "[channels.hook]\nkind = \"generic\"\nurl = \"https://hooks.example.com/x\"\n\n\
    [[feeds]]\nurl = \"https://example.com/a.xml\"\nchannels = [\"hook\"]\n\n\
    [[feeds]]\nurl = \"https://example.com/b.xml\"\nchannels = [\"hook\"]\n";

/// Secrets are digested as shown (redacted): a digest in the database never stands for a webhook
/// URL or a token.
#[test]
fn the_digest_covers_feeds_and_channels_and_not_the_hosts_own_settings() {
    let here = config(&format!("[store]\npath = \"/var/lib/a.db\"\n\n{FEEDS}"));
    let there = config(&format!("[store]\npath = \"/srv/b.db\"\n\n{FEEDS}"));
    assert_eq!(config_digest(&here), config_digest(&there));
    assert_eq!(config_digest(&here).len(), 16);

    let reordered = FEEDS
        .replace("a.xml", "c.xml")
        .replace("b.xml", "a.xml")
        .replace("c.xml", "b.xml");
    assert_eq!(config_digest(&here), config_digest(&config(&reordered)));

    let other_feed = FEEDS.replace("b.xml", "other.xml");
    assert_ne!(config_digest(&here), config_digest(&config(&other_feed)));
    let other_hook = FEEDS.replace("kind = \"generic\"", "kind = \"slack\"");
    assert_ne!(config_digest(&here), config_digest(&config(&other_hook)));
}
