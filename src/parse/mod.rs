//! Feed bytes into the normalised entry model.
//!
//! feed-rs does the parsing; this module prepares its input (UTF-16/32 transcoding, a missing RSS
//! version, a charset from the HTTP header), contains its panics, and maps its model onto [`Entry`]
//! with a dedupe key that is stable across polls.

mod model;

pub use model::{Entry, FeedInfo, ParsedFeed};

/// Why a feed body could not be read as a feed.
#[derive(Debug, thiserror::Error)]
pub enum ParseError {
    /// The body is an HTML page, not a feed. `advertised` lists the feed URLs the page links with
    /// `<link rel="alternate">`, as a hint for the operator.
    #[error("the response is an HTML page, not a feed{}", advertised_hint(.advertised))]
    HtmlPage { advertised: Vec<String> },
    /// feed-rs rejected the document.
    #[error("not a valid RSS, Atom or JSON feed: {0}")]
    Invalid(String),
    /// feed-rs panicked on this input; the panic was contained.
    #[error("the feed parser crashed on this document: {0}")]
    ParserPanicked(String),
}

fn advertised_hint(advertised: &[String]) -> String {
    if advertised.is_empty() {
        String::new()
    } else {
        format!(" (the page advertises: {})", advertised.join(", "))
    }
}

/// Parses a feed document fetched from `feed_url`.
///
/// `charset` is the charset named by the HTTP `Content-Type` header, if any; it is used when the
/// document itself does not declare one. Entries come back in document order.
pub fn parse_feed(
    body: &[u8],
    charset: Option<&str>,
    feed_url: &str,
) -> Result<ParsedFeed, ParseError> {
    let _ = (body, charset, feed_url);
    todo!("parse helper")
}
