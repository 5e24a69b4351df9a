//! Feeds for the tests of the fetcher, which builds its clients from the feeds it serves.

use std::time::Duration;

use crate::config::{Cadence, Feed, FeedFilter, FetchOptions};

/// A feed named `name`, fetched with `options`.
pub(super) fn feed_with(name: &str, options: &FetchOptions) -> Feed {
    Feed {
        name: name.to_owned(),
        url: url::Url::parse("http://127.0.0.1:9/feed").expect("test URL"),
        channels: Vec::new(),
        mention: std::collections::BTreeMap::new(),
        cadence: Cadence::Every(Duration::from_secs(900)),
        backlog: 0,
        timeout: Duration::from_secs(5),
        max_body: 1024 * 1024,
        max_new_per_poll: 0,
        max_age: None,
        filter: FeedFilter::default(),
        fetch: options.clone(),
        push: false,
        push_interval: Duration::from_secs(3600),
    }
}
