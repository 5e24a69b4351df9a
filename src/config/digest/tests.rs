use super::*;

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
    assert_eq!(here.digest(), there.digest());
    assert_eq!(here.digest().len(), 16);

    let reordered = FEEDS
        .replace("a.xml", "c.xml")
        .replace("b.xml", "a.xml")
        .replace("c.xml", "b.xml");
    assert_eq!(here.digest(), config(&reordered).digest());

    let other_feed = FEEDS.replace("b.xml", "other.xml");
    assert_ne!(here.digest(), config(&other_feed).digest());
    let other_hook = FEEDS.replace("kind = \"generic\"", "kind = \"slack\"");
    assert_ne!(here.digest(), config(&other_hook).digest());
}
