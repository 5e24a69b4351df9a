//! Slack incoming webhook: `text` fallback and Block Kit blocks.

use serde_json::Value;

use super::Card;
use crate::config::ChannelOptions;

/// Renders `card` as a Slack incoming-webhook body.
#[must_use]
pub fn render(card: &Card<'_>, options: &ChannelOptions) -> Value {
    let _ = (card, options);
    todo!("renderer in progress")
}
