//! Writers from [`RichText`](super::richtext::RichText) to each platform's text dialect. A target
//! picks its dialect here; a new platform with its own markup (Slack mrkdwn, Discord markdown) adds
//! one file beside these.

pub mod fit;
pub mod links;
pub mod markdown;
pub mod markup;
pub mod plain;
pub mod slack;
pub mod teams;
