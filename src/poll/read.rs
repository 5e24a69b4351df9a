//! Reading a feed: the fetch and the parse as a poll runs them, and both at once for the one-off
//! commands (`preview`, `mark-seen`, `check --fetch`), which read a feed in full.

use std::time::{Duration, Instant};

use tokio::sync::{Semaphore, SemaphorePermit};

use crate::config::Feed;
use crate::fetch::{
    FetchError, FetchOutcome, FetchRequest, FetchSlot, FetchedBody, Fetcher, ServerHints,
    Validators,
};
use crate::parse::{self, Entry, FeedInfo, HubLinks, ParseError};

/// A feed document read: its metadata and entries, and what the server sent alongside.
#[derive(Debug, Clone)]
pub struct Document {
    pub info: FeedInfo,
    /// Oldest first: the order they are posted in (by date when every entry has one, else the
    /// reverse of document order).
    pub entries: Vec<Entry>,
    /// The validators to send next time.
    pub validators: Validators,
    pub hints: ServerHints,
    /// Entries the document holds that could not be read (see
    /// [`parse::ParsedFeed::unread_entries`]): never dropped without a log line.
    pub unread_entries: usize,
    /// The WebSub hubs and topic advertised, by the `Link` header and the document.
    pub hubs: HubLinks,
}

/// What one fetch cost.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct FetchStats {
    /// From the request to the last byte, including any wait for a free fetch slot.
    pub duration: Duration,
    /// Bytes of body fetched, after decompression (none for a 304 or a failure).
    pub bytes: u64,
}

/// Why a feed could not be read.
#[derive(Debug, thiserror::Error)]
pub enum ReadError {
    #[error(transparent)]
    Fetch(#[from] FetchError),
    /// A one-off read sends no validators, so a 304 answers nothing it asked.
    #[error("the server answered 304 to a request without validators")]
    NotModified,
    #[error(transparent)]
    Parse(#[from] ParseError),
    /// The parse task ended without an answer: it panicked outside the parser's own guard.
    #[error("parse task failed: {0}")]
    ParseTask(String),
    /// No parse turn will come: the daemon is stopping.
    #[error("the daemon is stopping")]
    Stopping,
}

/// What a fetch brought: its outcome, the fetch slot a poll keeps until it has recorded what it
/// fetched (see [`Fetcher::fetch_held`]), and what the fetch cost.
pub struct Fetched {
    pub outcome: Result<FetchOutcome, FetchError>,
    pub slot: Option<FetchSlot>,
    pub stats: FetchStats,
}

/// Fetches `feed`, sending `validators`, and says what the fetch cost.
pub async fn fetch(fetcher: &Fetcher, feed: &Feed, validators: &Validators) -> Fetched {
    let started = Instant::now();
    let (outcome, slot) = match fetcher
        .fetch_held(FetchRequest::for_feed(feed, validators))
        .await
    {
        Ok((outcome, slot)) => (Ok(outcome), Some(slot)),
        Err(error) => (Err(error), None),
    };
    let bytes = match &outcome {
        Ok(FetchOutcome::Fetched(body)) => body.body.len() as u64,
        Ok(FetchOutcome::NotModified { .. }) | Err(_) => 0,
    };
    let stats = FetchStats {
        duration: started.elapsed(),
        bytes,
    };
    Fetched {
        outcome,
        slot,
        stats,
    }
}

/// A body larger than this is a large document: feed-rs's model of it takes several times its
/// size while it is parsed (a 2 MB document holds thousands of items), so large documents are
/// parsed one at a time.
const LARGE_BODY: usize = 512 * 1024;

/// The turns parsing takes: one per core, so that a burst of bodies waits here instead of growing
/// the blocking thread pool, and one at a time for large documents, so that two of them never
/// hold their parsed models at once (the daemon's peak memory, docs/performance.md).
pub struct ParseTurns {
    turns: Semaphore,
    large: Semaphore,
}

/// A parse's turn, held until the document is converted.
struct ParseTurn<'t> {
    _turn: SemaphorePermit<'t>,
    _large: Option<SemaphorePermit<'t>>,
}

impl ParseTurns {
    /// `turns` parses at once, of which one may be of a large document.
    #[must_use]
    pub fn new(turns: usize) -> Self {
        Self {
            turns: Semaphore::new(turns.max(1)),
            large: Semaphore::new(1),
        }
    }

    /// One turn per core.
    #[must_use]
    pub fn per_core() -> Self {
        Self::new(std::thread::available_parallelism().map_or(2, std::num::NonZeroUsize::get))
    }

    /// Waits for a turn to parse a body of `len` bytes; `None` once the turns are closed. A
    /// large body first waits for the large documents' turn, so that it holds no core's turn
    /// while it waits.
    async fn acquire(&self, len: usize) -> Option<ParseTurn<'_>> {
        let large = if len > LARGE_BODY {
            Some(self.large.acquire().await.ok()?)
        } else {
            None
        };
        let turn = self.turns.acquire().await.ok()?;
        Some(ParseTurn {
            _turn: turn,
            _large: large,
        })
    }
}

/// Parses `fetched` on the blocking pool once it has its turn (see [`ParseTurns`]).
pub async fn parse(fetched: FetchedBody, turns: &ParseTurns) -> Result<Document, ReadError> {
    let Some(_turn) = turns.acquire(fetched.body.len()).await else {
        return Err(ReadError::Stopping);
    };
    tokio::task::spawn_blocking(move || {
        let parsed = parse::parse_feed(
            &fetched.body,
            fetched.charset.as_deref(),
            fetched.final_url.as_str(),
        )?;
        let header = fetched
            .links
            .iter()
            .map(|link| (link.rel.as_str(), &link.url));
        let hubs = parsed.hubs.overlaid_by(header);
        Ok(Document {
            hubs,
            info: parsed.info,
            entries: oldest_first(parsed.entries),
            validators: fetched.validators,
            hints: fetched.hints,
            unread_entries: parsed.unread_entries,
        })
    })
    .await
    .map_err(|error| ReadError::ParseTask(error.to_string()))?
}

/// Reads `feed` in full, as a one-off command does: without validators, so a 304 is an error.
pub async fn read_once(fetcher: &Fetcher, feed: &Feed) -> Result<Document, ReadError> {
    let reply = fetch(fetcher, feed, &Validators::default()).await;
    match reply.outcome? {
        FetchOutcome::Fetched(body) => parse(body, &ParseTurns::new(1)).await,
        FetchOutcome::NotModified { .. } => Err(ReadError::NotModified),
    }
}

/// Orders a document's entries oldest first, the order they are posted in: by date (published, else
/// updated) when every entry has one, ties kept newest-last; otherwise the reverse of document order,
/// since feeds list their newest entry first.
fn oldest_first(mut entries: Vec<Entry>) -> Vec<Entry> {
    entries.reverse();
    if entries.iter().all(|e| e.published.or(e.updated).is_some()) {
        entries.sort_by_key(|e| e.published.or(e.updated));
    }
    entries
}

#[cfg(test)]
mod tests;
