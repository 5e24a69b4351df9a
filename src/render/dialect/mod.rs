//! Writers from [`RichText`](super::richtext::RichText) to each platform's text dialect. A target
//! picks its dialect here; a new platform with its own markup (Slack mrkdwn, Discord markdown) adds
//! one file beside these. [`link_label`] is shared: it decides whether a link's text may be shown.

pub mod discord;
pub mod google_chat;
pub mod link_label;
pub mod plain;
pub mod teams;
