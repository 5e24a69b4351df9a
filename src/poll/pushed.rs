//! A document the feed's hub pushed (a WebSub fat ping): parsed, filtered, deduplicated and
//! queued by the same steps as a poll's document, in one transaction. Only the feed's polling —
//! validators, schedule, health — stays as its last poll left it. A push that holds no entries
//! (a thin ping: an empty body, or one that is no feed) is the caller's cue to poll the feed;
//! on a shared database, an instance that does not poll the feed reads it at once itself and
//! records what it read as a push ([`record_pinged`]).

use crate::config::Feed;
use crate::fetch::{FetchError, FetchOutcome, FetchedBody, ServerHints, Validators};
use crate::store::StoreError;

use super::context::PollContext;
use super::read::{self, ReadError};
use super::{entries_record, log_held_back};

/// How the recording of a push ended.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PushOutcome {
    /// The document's entries were recorded: this many were new, this many deliveries queued.
    Recorded { new_entries: usize, queued: usize },
    /// No entries to record: an empty body, a document without entries, or one that is no feed
    /// (why it could not be read, redacted).
    Thin { unreadable: Option<String> },
    /// The daemon is stopping: nothing was recorded.
    Unfinished,
}

/// Records the entries of `body`, pushed by the hub of `feed` (`charset` from its
/// `Content-Type`), as a poll records a document it read.
pub async fn record_pushed(
    context: &PollContext,
    feed: &Feed,
    body: Vec<u8>,
    charset: Option<String>,
) -> Result<PushOutcome, StoreError> {
    if body.iter().all(u8::is_ascii_whitespace) {
        return Ok(PushOutcome::Thin { unreadable: None });
    }
    let pushed = FetchedBody {
        body,
        charset,
        validators: Validators::default(),
        final_url: feed.url.clone(),
        moved_permanently_to: None,
        hints: ServerHints::default(),
        links: Vec::new(),
    };
    record_body(context, feed, pushed).await
}

/// Why a feed read after a thin ping could not be recorded.
#[derive(Debug, thiserror::Error)]
pub enum PingError {
    /// Its fetch failed (the message is redacted by the fetcher).
    #[error(transparent)]
    Fetch(#[from] FetchError),
    #[error(transparent)]
    Store(#[from] StoreError),
}

/// After a thin ping for a feed another instance polls (on a shared database): reads the feed
/// now, in full, and records its entries as a push would — deduplicated with the polls under the
/// feed's row lock, the feed's polling left to its holder.
pub async fn record_pinged(context: &PollContext, feed: &Feed) -> Result<PushOutcome, PingError> {
    let reply = read::fetch(&context.fetcher, feed, &Validators::default()).await;
    match reply.outcome? {
        FetchOutcome::Fetched(body) => Ok(record_body(context, feed, body).await?),
        FetchOutcome::NotModified { .. } => Ok(PushOutcome::Thin { unreadable: None }),
    }
}

/// Parses, filters and records `fetched` as a push of `feed`.
async fn record_body(
    context: &PollContext,
    feed: &Feed,
    fetched: FetchedBody,
) -> Result<PushOutcome, StoreError> {
    let document = match read::parse(fetched, &context.parse_turns).await {
        Ok(document) if document.entries.is_empty() => {
            return Ok(PushOutcome::Thin { unreadable: None });
        }
        Ok(document) => document,
        Err(ReadError::Stopping) => return Ok(PushOutcome::Unfinished),
        Err(error) => {
            // A parse error may quote the body, which may quote the feed's own secrets.
            let redactor = context.fetcher.redactor();
            let unreadable = redactor.redact(&error.to_string()).into_owned();
            return Ok(PushOutcome::Thin {
                unreadable: Some(unreadable),
            });
        }
    };
    let now = context.clock.now();
    let record = entries_record(feed, document, now, now);
    let summary = context.store.record_push(record).await?;
    if summary.queued > 0 {
        context.queued(&feed.channels);
    }
    log_held_back(feed, &summary);
    Ok(PushOutcome::Recorded {
        new_entries: summary.new_entries,
        queued: summary.queued,
    })
}

#[cfg(test)]
mod tests;
