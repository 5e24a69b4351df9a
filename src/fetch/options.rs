//! A feed's own request headers, user agent and credentials, added to each request it makes.
//!
//! Headers and credentials belong to the feed's host: a redirect to another host, or from https
//! down to http, gets neither (as browsers and curl do), so a feed cannot hand its token to
//! whatever it redirects to, nor send it in clear text.

use reqwest::RequestBuilder;
use reqwest::header::{HeaderMap, HeaderName, HeaderValue, USER_AGENT};
use url::Url;

use super::FetchError;
use crate::config::{Credentials, FetchOptions};

/// `builder`, a request to `hop` on the way to the feed at `feed`, with the feed's options.
pub(super) fn apply(
    mut builder: RequestBuilder,
    options: &FetchOptions,
    feed: &Url,
    hop: &Url,
) -> Result<RequestBuilder, FetchError> {
    if let Some(agent) = &options.user_agent {
        builder = builder.header(USER_AGENT, agent.as_str());
    }
    if !same_site(feed, hop) {
        return Ok(builder);
    }
    // Replaces a header of the same name set before (our Accept), rather than adding a second.
    builder = builder.headers(header_map(&options.headers)?);
    Ok(match &options.credentials {
        Some(Credentials::Basic { username, password }) => {
            builder.basic_auth(username, Some(password.expose()))
        }
        Some(Credentials::Bearer(token)) => builder.bearer_auth(token.expose()),
        None => builder,
    })
}

/// The config has checked every name and value; a failure here would be a bug, reported without
/// the value.
fn header_map(headers: &[(String, String)]) -> Result<HeaderMap, FetchError> {
    let mut map = HeaderMap::new();
    for (name, value) in headers {
        let name = HeaderName::from_bytes(name.as_bytes())
            .map_err(|_| FetchError::Other(format!("invalid header name {name:?}")))?;
        let mut value = HeaderValue::from_str(value).map_err(|_| {
            FetchError::Other(format!(
                "the value of header {name} is not a valid header value"
            ))
        })?;
        // Kept out of HTTP/2 header compression tables and debug output: it may be a credential.
        value.set_sensitive(true);
        map.insert(name, value);
    }
    Ok(map)
}

fn same_site(feed: &Url, hop: &Url) -> bool {
    feed.host() == hop.host() && !(feed.scheme() == "https" && hop.scheme() == "http")
}

#[cfg(test)]
mod tests;
