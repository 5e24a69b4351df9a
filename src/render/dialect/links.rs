//! Card titles made honest before Slack and Mattermost link them to the entry. The judgement
//! itself is [`link_label::judge`], which the dialect writers also ask about every link of a
//! summary.
//!
//! Titles keep their words either way, since product names such as `Node.js` read as domains: the
//! host added after them is true, just longer.

use std::borrow::Cow;

use super::link_label::{LinkLabel, judge};

/// A title linked to `url`, followed by the link's host in parentheses if the title names
/// another host.
#[must_use]
pub fn honest_title<'a>(title: &'a str, url: &str) -> Cow<'a, str> {
    match judge(title, url) {
        LinkLabel::AsIs => Cow::Borrowed(title),
        LinkLabel::WithHost(host) => Cow::Owned(format!("{title} ({host})")),
        LinkLabel::RealUrl => match url::Url::parse(url)
            .ok()
            .as_ref()
            .and_then(url::Url::host_str)
        {
            Some(host) if !title.contains(host) => Cow::Owned(format!("{title} ({host})")),
            _ => Cow::Borrowed(title),
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_title_naming_another_host_is_followed_by_the_real_one() {
        assert_eq!(
            honest_title("Release 2.0", "https://x.example/"),
            "Release 2.0"
        );
        assert_eq!(
            honest_title("Log in at paypal.com", "https://x.example/a"),
            "Log in at paypal.com (x.example)"
        );
        assert_eq!(
            honest_title("x.example", "https://x.example/a"),
            "x.example"
        );
    }
}
