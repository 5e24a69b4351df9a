//! Google Chat space webhook: `text` and a `cardsV2` card.

use serde_json::Value;

use super::Card;

/// Renders `card` as a Google Chat message.
#[must_use]
pub fn render(card: &Card<'_>) -> Value {
    let _ = card;
    todo!("renderer in progress")
}
