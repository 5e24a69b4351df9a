//! Fetches against servers on 127.0.0.1: wiremock where a canned response is enough, a raw TCP
//! server ([`raw`]) where the test needs to misbehave (stall, trickle, count connections).

mod body;
mod concurrency;
mod conditional;
mod errors;
mod guard;
mod options;
mod raw;
mod redirects;
mod tls;

use std::time::Duration;

use url::Url;

use super::testing::feed_with;
use super::{
    FetchError, FetchOptions, FetchOutcome, FetchRequest, FetchedBody, Fetcher, Validators,
};
use crate::config::FetchSettings;

pub(super) const MIB: u64 = 1024 * 1024;

pub(super) fn fetcher() -> Fetcher {
    fetcher_for(&[])
}

/// A fetcher with a client for each of `options` (feeds with the default transport need none).
pub(super) fn fetcher_for(options: &[&FetchOptions]) -> Fetcher {
    fetcher_with(32, 4, options)
}

pub(super) fn fetcher_with(
    concurrency: usize,
    per_host: usize,
    options: &[&FetchOptions],
) -> Fetcher {
    let settings = FetchSettings {
        concurrency,
        per_host,
        ..FetchSettings::default()
    };
    let feeds: Vec<_> = options
        .iter()
        .enumerate()
        .map(|(i, options)| feed_with(&format!("feed-{i}"), options))
        .collect();
    Fetcher::new(&settings, &feeds, &std::sync::Arc::default()).expect("the clients build")
}

pub(super) fn url(base: &str, path: &str) -> Url {
    Url::parse(base)
        .and_then(|base| base.join(path))
        .expect("test URL")
}

/// A fetch with no validators, a 5 s deadline and a 1 MiB cap, unless the test says otherwise.
pub(super) struct Get<'a> {
    pub url: &'a Url,
    pub validators: Validators,
    pub timeout: Duration,
    pub max_body: u64,
    pub options: FetchOptions,
}

impl<'a> Get<'a> {
    pub(super) fn new(url: &'a Url) -> Self {
        Self {
            url,
            validators: Validators::default(),
            timeout: Duration::from_secs(5),
            max_body: MIB,
            options: FetchOptions::default(),
        }
    }

    pub(super) fn request(&self) -> FetchRequest<'_> {
        FetchRequest {
            url: self.url,
            validators: &self.validators,
            timeout: self.timeout,
            max_body: self.max_body,
            options: &self.options,
        }
    }

    pub(super) async fn run(&self, fetcher: &Fetcher) -> Result<FetchOutcome, FetchError> {
        fetcher.fetch(self.request()).await
    }
}

pub(super) fn body_of(outcome: Result<FetchOutcome, FetchError>) -> FetchedBody {
    match outcome {
        Ok(FetchOutcome::Fetched(body)) => body,
        other => panic!("expected a body, got {other:?}"),
    }
}

pub(super) fn error_of(outcome: Result<FetchOutcome, FetchError>) -> FetchError {
    match outcome {
        Err(err) => err,
        Ok(outcome) => panic!("expected an error, got {outcome:?}"),
    }
}

/// The daemon shares one fetcher between tasks and spawns fetches onto the runtime.
#[test]
fn fetcher_and_its_fetches_can_move_between_threads() {
    fn shareable<T: Send + Sync>(_: &T) {}
    fn sendable<T: Send>(_: &T) {}
    let fetcher = fetcher();
    shareable(&fetcher);
    let feed = url("http://127.0.0.1:9/", "/feed");
    let validators = Validators::default();
    let request = FetchRequest {
        url: &feed,
        validators: &validators,
        timeout: Duration::from_secs(1),
        max_body: MIB,
        options: &FetchOptions::default(),
    };
    sendable(&fetcher.fetch(request));
}
