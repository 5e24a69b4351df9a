//! A feed's own request headers, user agent and credentials, added to each request it makes.
//!
//! Headers and credentials belong to the feed's origin: a redirect that changes the scheme, the
//! host or the port gets neither, so a feed cannot hand its token to whatever it redirects to (another
//! service on the same machine included), nor send it in clear text. curl does the same since
//! 7.83 (CVE-2022-27776: it used to send them on to another port or protocol of the same host).

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
    if !same_origin(feed, hop) {
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

/// Same scheme, host and port (RFC 6454's origin), a port left out being the scheme's default.
fn same_origin(feed: &Url, hop: &Url) -> bool {
    feed.scheme() == hop.scheme()
        && feed.host() == hop.host()
        && feed.port_or_known_default() == hop.port_or_known_default()
}

#[cfg(test)]
mod tests;
