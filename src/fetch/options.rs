//! A feed's own request headers, user agent and credentials, added to each request it makes.
//!
//! Headers and credentials belong to the feed's host: a redirect to another host, or from https
//! down to http, gets neither (as browsers and curl do), so a feed cannot hand its token to
//! whatever it redirects to, nor send it in clear text.

use reqwest::RequestBuilder;
use reqwest::header::USER_AGENT;
use url::Url;

use crate::config::{Credentials, FetchOptions};

/// `builder`, a request to `hop` on the way to the feed at `feed`, with the feed's options. The
/// config has parsed every header, and marked its value sensitive.
pub(super) fn apply(
    mut builder: RequestBuilder,
    options: &FetchOptions,
    feed: &Url,
    hop: &Url,
) -> RequestBuilder {
    if let Some(agent) = &options.user_agent {
        builder = builder.header(USER_AGENT, agent.clone());
    }
    if !same_site(feed, hop) {
        return builder;
    }
    // Replaces a header of the same name set before (our Accept), rather than adding a second.
    builder = builder.headers(options.headers.clone());
    match &options.credentials {
        Some(Credentials::Basic { username, password }) => {
            builder.basic_auth(username, Some(password.expose()))
        }
        Some(Credentials::Bearer(token)) => builder.bearer_auth(token.expose()),
        None => builder,
    }
}

fn same_site(feed: &Url, hop: &Url) -> bool {
    feed.host() == hop.host() && !(feed.scheme() == "https" && hop.scheme() == "http")
}

#[cfg(test)]
mod tests;
