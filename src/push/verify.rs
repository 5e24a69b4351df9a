//! The hub's verification of intent (WebSub §5.3): a GET on the callback naming the mode and the
//! topic. It is confirmed only for a request of ours still waiting — a subscription or renewal
//! for `subscribe`, an unsubscription for `unsubscribe` — whose topic matches; anything else is
//! refused, so nobody can subscribe feedhook to what it did not ask for. A hub's denial (§5.2) is
//! recorded for the subscription it names.

use chrono::{DateTime, Utc};

use super::lifecycle::LEASE;
use crate::schedule;
use crate::store::{PushState, PushSubscription};

/// The longest denial reason kept.
const REASON_CHARS: usize = 200;

/// The query of a verification or denial request.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Verification {
    pub mode: String,
    pub topic: String,
    pub challenge: Option<String>,
    pub lease_seconds: Option<u64>,
    pub reason: Option<String>,
}

impl Verification {
    /// Reads the `hub.*` parameters of a query string.
    #[must_use]
    pub fn from_query(query: &str) -> Self {
        let mut verification = Self::default();
        for (name, value) in url::form_urlencoded::parse(query.as_bytes()) {
            match name.as_ref() {
                "hub.mode" => verification.mode = value.into_owned(),
                "hub.topic" => verification.topic = value.into_owned(),
                "hub.challenge" => verification.challenge = Some(value.into_owned()),
                "hub.lease_seconds" => verification.lease_seconds = value.parse().ok(),
                "hub.reason" => verification.reason = Some(value.into_owned()),
                _ => {}
            }
        }
        verification
    }
}

/// What to do with a verification request.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Verdict {
    /// Answer 200 with the challenge; then keep `next`, or forget the subscription if `None`.
    Confirm {
        challenge: String,
        next: Option<PushSubscription>,
    },
    /// The hub refused the subscription: keep it as failed, answer 200.
    Denied(PushSubscription),
    /// Not a request of ours: answer 404.
    Refuse,
}

/// The verdict on `request` for the subscription its callback names (`None`: no such callback).
#[must_use]
pub fn judge(
    sub: Option<&PushSubscription>,
    request: &Verification,
    now: DateTime<Utc>,
) -> Verdict {
    let Some(sub) = sub.filter(|sub| sub.topic == request.topic) else {
        return Verdict::Refuse;
    };
    match (request.mode.as_str(), sub.state, &request.challenge) {
        ("subscribe", PushState::Subscribing | PushState::Renewing, Some(challenge)) => {
            let lease = request
                .lease_seconds
                .map_or(LEASE, std::time::Duration::from_secs);
            let next = PushSubscription {
                state: PushState::Verified,
                reason: None,
                lease_expires_at: Some(now + schedule::to_chrono(lease)),
                requested_at: now,
                hub_failures: 0,
                ..sub.clone()
            };
            Verdict::Confirm {
                challenge: challenge.clone(),
                next: Some(next),
            }
        }
        ("unsubscribe", PushState::Unsubscribing, Some(challenge)) => Verdict::Confirm {
            challenge: challenge.clone(),
            next: None,
        },
        ("denied", PushState::Subscribing | PushState::Renewing | PushState::Verified, _) => {
            let reason = request.reason.as_deref().unwrap_or("no reason given");
            let reason: String = reason.chars().take(REASON_CHARS).collect();
            Verdict::Denied(PushSubscription {
                state: PushState::Failed,
                reason: Some(format!("denied by the hub: {reason}")),
                lease_expires_at: None,
                hub_failures: sub.hub_failures.saturating_add(1),
                requested_at: now,
                ..sub.clone()
            })
        }
        _ => Verdict::Refuse,
    }
}

#[cfg(test)]
mod tests;
