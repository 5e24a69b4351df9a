//! Legacy Office 365 connector webhook of Teams: a `MessageCard`.

use serde_json::Value;

use super::Card;

/// Renders `card` as a MessageCard.
#[must_use]
pub fn render(card: &Card<'_>) -> Value {
    let _ = card;
    todo!("renderer in progress")
}
