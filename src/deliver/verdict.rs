//! What a webhook's answer means. Every status-code and error-body decision of delivery lives here,
//! platform quirks included; [`super::answer`] reads the answer and brings it here.

use std::time::Duration;

use crate::config::{ChannelKind, SecretUrl, TeamsUrl};

/// The outcome of one post, as the worker acts on it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Verdict {
    /// 2xx: mark delivered.
    Delivered,
    /// A transient failure (network, timeout, 408, 5xx): retry with backoff, or no sooner than the
    /// server's `Retry-After` when it gave one.
    Retry {
        reason: String,
        retry_after: Option<Duration>,
    },
    /// The post was sent and no answer came within the channel's `timeout`: the webhook may have
    /// posted the card. Repeated only after a long wait, a bounded number of times.
    Unanswered { reason: String },
    /// 429: wait at least `retry_after`; does not use up the attempt budget.
    RateLimited { retry_after: Duration },
    /// The platform refused this one payload (400, 413, 422, …): fail this delivery, move on.
    Rejected { reason: String },
    /// The webhook is gone or no longer ours (401, 403, 404, 410, a redirect, a platform's "hook is
    /// gone" answer): suspend the channel, keeping its pending deliveries.
    ChannelGone { reason: String },
}

/// What a webhook answered, as much as the verdict needs.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Answer {
    pub status: u16,
    /// The start of the body, whitespace collapsed.
    pub body: String,
    /// How long the platform asked us to wait: `Retry-After`, else Discord's
    /// `X-RateLimit-Reset-After`, else a JSON body's `retry_after` (seconds).
    pub retry_after: Option<Duration>,
    /// Set when the platform's rate-limit bucket is empty (`X-RateLimit-Remaining: 0`): how long
    /// until it refills (`X-RateLimit-Reset-After`).
    pub bucket_empty_for: Option<Duration>,
}

/// The wait after a 429 that gave no usable `Retry-After`.
pub const DEFAULT_RATE_LIMIT_WAIT: Duration = Duration::from_secs(30);

/// Classifies an answer from a webhook of `kind`.
#[must_use]
pub fn classify(kind: ChannelKind, answer: &Answer) -> Verdict {
    platform_verdict(kind, answer).unwrap_or_else(|| by_status(answer))
}

/// Classifies an answer from the webhook at `url`, as [`classify`] does; a Teams webhook that is
/// gone (404) on a URL of a retired shape says what to do: Power Automate answers 404 to the
/// Workflows URLs it stopped serving, and the log line is where an operator looks first.
#[must_use]
pub fn classify_from(kind: ChannelKind, url: &SecretUrl, answer: &Answer) -> Verdict {
    let hint = (kind == ChannelKind::Teams && answer.status == 404)
        .then(|| TeamsUrl::of(url).hint())
        .flatten();
    match (classify(kind, answer), hint) {
        (Verdict::ChannelGone { reason }, Some(hint)) => Verdict::ChannelGone {
            reason: format!("{reason} ({hint})"),
        },
        (verdict, _) => verdict,
    }
}

/// The answers that mean something particular on one platform.
fn platform_verdict(kind: ChannelKind, answer: &Answer) -> Option<Verdict> {
    let body = answer.body.as_str();
    let gone = || Verdict::ChannelGone {
        reason: describe(answer),
    };
    match kind {
        // The retired connector answers 200 to everything; only a body of "1" means the card was
        // posted, anything else is its error text (throttling included).
        ChannelKind::TeamsMessageCard if answer.status == 200 => Some(match body.trim() {
            "1" => Verdict::Delivered,
            text if text.contains("429") => Verdict::RateLimited {
                retry_after: answer.retry_after.unwrap_or(DEFAULT_RATE_LIMIT_WAIT),
            },
            _ => Verdict::Retry {
                reason: describe(answer),
                retry_after: None,
            },
        }),
        ChannelKind::Slack if !is_success(answer.status) => {
            const GONE: [&str; 5] = [
                "no_service",
                "channel_not_found",
                "channel_is_archived",
                "no_active_hooks",
                "team_disabled",
            ];
            GONE.iter().any(|code| body.contains(code)).then(gone)
        }
        // 10015: Unknown Webhook.
        ChannelKind::Discord if answer.status == 404 && body.contains("10015") => Some(gone()),
        ChannelKind::Matrix if !is_success(answer.status) => matrix_verdict(answer),
        ChannelKind::Telegram if !is_success(answer.status) => telegram_verdict(answer),
        // Rocket.Chat's integrations API names a token or integration it does not know.
        ChannelKind::Rocketchat if !is_success(answer.status) => {
            body.contains("Invalid integration").then(gone)
        }
        ChannelKind::Mattermost if answer.status == 400 => {
            const GONE: [&str; 2] = [
                "web.incoming_webhook.invalid.app_error",
                "web.incoming_webhook.disabled.app_error",
            ];
            GONE.iter().any(|id| body.contains(id)).then(gone)
        }
        _ => None,
    }
}

/// Matrix error codes (`errcode`) that say the token or the room will not work again until the
/// operator acts, each with what to do.
/// <https://spec.matrix.org/v1.11/client-server-api/#standard-error-response>
const MATRIX_GONE: [(&str, &str); 4] = [
    (
        "M_UNKNOWN_TOKEN",
        "the access token is not valid (expired or logged out)",
    ),
    ("M_MISSING_TOKEN", "the homeserver got no access token"),
    (
        "M_FORBIDDEN",
        "the account may not post in this room (not joined, or not allowed)",
    ),
    (
        "M_NOT_FOUND",
        "the room or its alias is not known to the homeserver",
    ),
];

fn matrix_verdict(answer: &Answer) -> Option<Verdict> {
    let body = answer.body.as_str();
    if body.contains("M_LIMIT_EXCEEDED") {
        return Some(Verdict::RateLimited {
            retry_after: answer.retry_after.unwrap_or(DEFAULT_RATE_LIMIT_WAIT),
        });
    }
    let (code, meaning) = MATRIX_GONE.iter().find(|(code, _)| body.contains(code))?;
    Some(Verdict::ChannelGone {
        reason: format!("Matrix {code}: {meaning} ({})", describe(answer)),
    })
}

/// Bot API descriptions that say the bot cannot post to this chat until the operator acts.
/// <https://core.telegram.org/bots/api#making-requests>
const TELEGRAM_GONE: [&str; 7] = [
    "chat not found",
    "bot was blocked",
    "bot was kicked",
    "bot is not a member",
    "user is deactivated",
    "not enough rights",
    "message thread not found",
];

fn telegram_verdict(answer: &Answer) -> Option<Verdict> {
    let lower = answer.body.to_lowercase();
    let cause = TELEGRAM_GONE.iter().find(|cause| lower.contains(*cause))?;
    Some(Verdict::ChannelGone {
        reason: format!(
            "Telegram: {cause}; check the channel's chat_id and that the bot is in the chat ({})",
            describe(answer)
        ),
    })
}

fn by_status(answer: &Answer) -> Verdict {
    let said = describe(answer);
    match answer.status {
        status if is_success(status) => Verdict::Delivered,
        429 => Verdict::RateLimited {
            retry_after: answer.retry_after.unwrap_or(DEFAULT_RATE_LIMIT_WAIT),
        },
        408 | 500..=599 => Verdict::Retry {
            reason: said,
            retry_after: answer.retry_after,
        },
        300..=399 => Verdict::ChannelGone {
            reason: format!(
                "{said}: the webhook URL redirects; webhook posts never follow redirects, so update the channel's url"
            ),
        },
        401 | 403 | 404 | 410 => Verdict::ChannelGone { reason: said },
        _ => Verdict::Rejected { reason: said },
    }
}

fn is_success(status: u16) -> bool {
    (200..300).contains(&status)
}

fn describe(answer: &Answer) -> String {
    let body = answer.body.trim();
    if body.is_empty() {
        format!("HTTP {}", answer.status)
    } else {
        format!("HTTP {}: {body}", answer.status)
    }
}

#[cfg(test)]
mod tests;
