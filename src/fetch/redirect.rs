//! Redirects, followed by hand so that we can count hops, stop loops, refuse non-HTTP targets and
//! tell a permanent move (which the operator should copy into the config) from a temporary one.

use reqwest::StatusCode;
use url::Url;

use super::error::FetchError;

/// Hops followed before giving up, as browsers and most feed readers do.
pub(super) const MAX_REDIRECTS: usize = 5;

/// Whether a status asks us to fetch another URL (given by `Location`).
pub(super) fn is_redirect(status: StatusCode) -> bool {
    matches!(status.as_u16(), 301 | 302 | 303 | 307 | 308)
}

/// Refuses any URL we would not fetch: feeds are served over HTTP(S) only.
pub(super) fn check_scheme(url: &Url) -> Result<(), FetchError> {
    match url.scheme() {
        "http" | "https" => Ok(()),
        other => Err(FetchError::Other(format!(
            "unsupported URL scheme `{other}` (only http and https)"
        ))),
    }
}

/// The URLs visited by one fetch, the first being the one asked for.
pub(super) struct Redirects {
    visited: Vec<Url>,
    all_permanent: bool,
}

impl Redirects {
    pub(super) fn new(start: &Url) -> Self {
        Self {
            visited: vec![start.clone()],
            all_permanent: true,
        }
    }

    /// The URL to request now.
    pub(super) fn current(&self) -> &Url {
        self.visited
            .last()
            .expect("`visited` starts with the requested URL and only grows")
    }

    /// Moves to the target of a redirect from [`Self::current`], resolving a relative `Location`.
    /// A loop is reported like an over-long chain: both mean the server will never answer.
    pub(super) fn follow(
        &mut self,
        status: StatusCode,
        location: &str,
    ) -> Result<&Url, FetchError> {
        let next = self.current().join(location).map_err(|err| {
            FetchError::Other(format!("redirect to an invalid URL `{location}`: {err}"))
        })?;
        check_scheme(&next)?;
        if self.visited.len() > MAX_REDIRECTS || self.visited.contains(&next) {
            return Err(FetchError::TooManyRedirects);
        }
        self.all_permanent &= matches!(status.as_u16(), 301 | 308);
        self.visited.push(next);
        Ok(self.current())
    }

    /// The final URL when every hop from the requested one was permanent; `None` without redirects
    /// or when any hop was temporary (the feed's own URL is then still the one to keep).
    pub(super) fn moved_permanently_to(&self) -> Option<Url> {
        (self.visited.len() > 1 && self.all_permanent).then(|| self.current().clone())
    }
}

#[cfg(test)]
mod tests;
