//! Writers from [`RichText`](super::richtext::RichText) to each platform's text dialect. A target
//! picks its dialect here; a new platform with its own markup adds one file beside these.
//!
//! Shared by several dialects: [`link_label`] decides whether a link's text may be shown as written,
//! [`markup`] writes asterisk/underscore-style emphasis, [`fit`] finds the longest summary that fits.

pub mod discord;
pub mod fit;
pub mod google_chat;
pub mod link_label;
pub mod links;
pub mod markdown;
pub mod markup;
pub mod plain;
pub mod slack;
pub mod teams;
