//! `kind = "…"`: the chat platform a channel posts to.

use std::ops::Range;

use crate::config::raw::ChannelRaw;
use crate::config::report::{Report, key_path};

/// The chat platform a channel posts to (`kind = "…"`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum ChannelKind {
    /// Microsoft Teams Workflows webhook with an Adaptive Card 1.4.
    Teams,
    /// The retired Office 365 connector webhook of Teams, with a legacy `MessageCard`.
    TeamsMessageCard,
    /// Slack incoming webhook with Block Kit.
    Slack,
    /// Discord execute-webhook with one embed.
    Discord,
    /// Mattermost incoming webhook (Slack-compatible).
    Mattermost,
    /// Google Chat space webhook with a `cardsV2` card.
    GoogleChat,
    /// A Matrix room, through the client-server API with an access token.
    Matrix,
    /// A Telegram chat, through the Bot API's `sendMessage`.
    Telegram,
    /// Email through an SMTP relay: one message per entry.
    Email,
    /// An ntfy topic: a push notification, published as JSON.
    Ntfy,
    /// A Rocket.Chat incoming webhook with one attachment.
    Rocketchat,
    /// A generic JSON webhook receiving feedhook's documented entry object (or a template).
    Generic,
    /// Readable text on standard output.
    Console,
}

impl ChannelKind {
    /// Every kind, in the order the docs list them.
    pub const ALL: [ChannelKind; 13] = [
        Self::Teams,
        Self::TeamsMessageCard,
        Self::Slack,
        Self::Discord,
        Self::Mattermost,
        Self::GoogleChat,
        Self::Matrix,
        Self::Telegram,
        Self::Email,
        Self::Ntfy,
        Self::Rocketchat,
        Self::Generic,
        Self::Console,
    ];

    /// The name used in the config file.
    #[must_use]
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Teams => "teams",
            Self::TeamsMessageCard => "teams-messagecard",
            Self::Slack => "slack",
            Self::Discord => "discord",
            Self::Mattermost => "mattermost",
            Self::GoogleChat => "google-chat",
            Self::Matrix => "matrix",
            Self::Telegram => "telegram",
            Self::Email => "email",
            Self::Ntfy => "ntfy",
            Self::Rocketchat => "rocketchat",
            Self::Generic => "generic",
            Self::Console => "console",
        }
    }
}

impl std::fmt::Display for ChannelKind {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// The channel's kind; `None` when it is missing or unknown (reported).
pub(super) fn kind(
    raw: &ChannelRaw,
    path: &str,
    at: &Range<usize>,
    report: &mut Report,
) -> Option<ChannelKind> {
    let key = key_path(path, "kind");
    let Some(kind) = &raw.kind else {
        let message = format!("missing key kind (one of {})", supported_kinds());
        report.error(at.clone(), &key, message);
        return None;
    };
    let name = kind.get_ref().as_str();
    let found = ChannelKind::ALL.into_iter().find(|k| k.as_str() == name);
    if found.is_none() {
        let message = format!("unknown kind {name:?} (supported: {})", supported_kinds());
        report.error(kind.span(), &key, message);
    }
    found
}

fn supported_kinds() -> String {
    ChannelKind::ALL.map(ChannelKind::as_str).join(", ")
}
