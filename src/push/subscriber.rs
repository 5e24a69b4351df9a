//! The subscriber: carries out the lifecycle's decisions against the hubs and keeps every
//! subscription in the store (and, for the callback's lookups, in memory). One per run of the
//! daemon; a reload starts a new one from the store, which is how a feed that left the
//! configuration gets unsubscribed.

use std::collections::{HashMap, HashSet};
use std::sync::{Mutex, PoisonError};
use std::time::Duration;

use base64::Engine;
use chrono::{DateTime, Utc};
use rand::RngCore;
use url::Url;

use super::lifecycle::{self, LEASE, Offer, PENDING_TIMEOUT, Standing};
use super::verify::{Verdict, Verification, judge};
use crate::config::{Feed, shown_url};
use crate::fetch::Fetcher;
use crate::parse::HubLinks;
use crate::schedule::Clock;
use crate::store::{PushState, PushSubscription, Store, StoreError};

/// A change to one feed's subscription, as the subscriber's observer hears of it.
#[derive(Debug)]
pub struct Change<'a> {
    pub feed: &'a str,
    /// Whether the feed's hub pushed to us before the change, and does after it.
    pub was_pushed: bool,
    pub pushed: bool,
    /// How many subscriptions stand in each way after it.
    pub census: &'a [(Standing, usize)],
}

type Observer = Box<dyn Fn(&Change<'_>) + Send + Sync>;

/// The path under the listener where hubs call back: `/websub/TOKEN`.
pub const CALLBACK_PREFIX: &str = "/websub/";
/// The deadline of one request to a hub.
const HUB_TIMEOUT: Duration = Duration::from_secs(30);

/// Whom a push on a callback is for: the feed, the secret its hub signs with, and the most of
/// a push that is read (the feed's `max_body`). `Debug` leaves the secret out.
#[derive(Clone)]
pub struct Recipient {
    pub feed: String,
    pub secret: String,
    pub max_body: u64,
}

impl Recipient {
    /// The feed as logs show it.
    #[must_use]
    pub fn shown_feed(&self) -> std::borrow::Cow<'_, str> {
        shown(&self.feed)
    }
}

impl std::fmt::Debug for Recipient {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Recipient")
            .field("feed", &self.shown_feed())
            .field("max_body", &self.max_body)
            .finish_non_exhaustive()
    }
}

/// The hub side of push: subscribes, renews, unsubscribes, and judges verifications.
pub struct Subscriber {
    store: std::sync::Arc<Store>,
    fetcher: Fetcher,
    clock: Clock,
    public_url: Url,
    /// The configured feeds that push, by name.
    feeds: HashMap<String, Feed>,
    /// Every stored subscription, by feed: the callback is answered from here.
    known: Mutex<HashMap<String, PushSubscription>>,
    /// Hubs on plain http already warned about.
    warned: Mutex<HashSet<String>>,
    observer: Observer,
}

impl Subscriber {
    /// The subscriber of the push-enabled `feeds`, starting from what the store keeps.
    pub async fn new(
        store: std::sync::Arc<Store>,
        fetcher: Fetcher,
        clock: Clock,
        public_url: Url,
        feeds: &[Feed],
    ) -> Result<Self, StoreError> {
        let stored = store.push_subscriptions().await?;
        Ok(Self {
            store,
            fetcher,
            clock,
            public_url,
            feeds: feeds
                .iter()
                .filter(|feed| feed.push)
                .map(|feed| (feed.name.clone(), feed.clone()))
                .collect(),
            known: Mutex::new(stored.into_iter().map(|s| (s.feed.clone(), s)).collect()),
            warned: Mutex::default(),
            observer: Box::new(|_| {}),
        })
    }

    /// Calls `observe` after each change to a subscription: a feed whose hub stopped pushing is
    /// to be polled at its own interval again.
    #[must_use]
    pub fn on_change(mut self, observe: impl Fn(&Change<'_>) + Send + Sync + 'static) -> Self {
        self.observer = Box::new(observe);
        self
    }

    /// How many subscriptions stand in each way now.
    #[must_use]
    pub fn census(&self) -> Vec<(Standing, usize)> {
        let now = self.clock.now();
        let mut counts: Vec<(Standing, usize)> = Vec::new();
        for sub in self.lock().values() {
            let standing = lifecycle::standing(sub, now);
            match counts.iter_mut().find(|(s, _)| *s == standing) {
                Some((_, count)) => *count += 1,
                None => counts.push((standing, 1)),
            }
        }
        counts
    }

    /// The feed's subscription as the subscriber knows it.
    #[must_use]
    pub fn subscription(&self, feed: &str) -> Option<PushSubscription> {
        self.lock().get(feed).cloned()
    }

    /// Whether the hub of `feed` pushes to us now (verified, lease running).
    #[must_use]
    pub fn is_active(&self, feed: &str) -> bool {
        let now = self.clock.now();
        self.lock()
            .get(feed)
            .is_some_and(|sub| lifecycle::is_active(sub, now))
    }

    /// After a poll of `feed` read what it advertises: subscribes when a hub is advertised and
    /// no subscription in place serves it.
    pub async fn offer(&self, feed: &str, links: &HubLinks) {
        let (Some(feed), Some(hub)) = (self.feeds.get(feed), links.hubs.first()) else {
            return;
        };
        let topic = links.topic.clone().unwrap_or_else(|| feed.url.clone());
        let current = self.subscription(&feed.name);
        let offer = lifecycle::offer(current.as_ref(), hub, &topic, self.clock.now());
        if let Offer::Subscribe { hub_failures } = offer {
            self.subscribe(&feed.name, hub.as_str(), topic.as_str(), hub_failures)
                .await;
        }
    }

    /// Renews the verified subscriptions whose lease nears its end at `now`, lets those whose
    /// lease is over lapse (the feed is polled at its own interval again), gives up requests the
    /// hub never verified, and asks a failed hub again once its backoff is over.
    ///
    /// It starts from the subscriptions as the state keeps them: on a shared database, another
    /// instance may have asked for, verified or ended some since.
    pub async fn upkeep(&self, now: DateTime<Utc>) {
        self.reload().await;
        let subs: Vec<PushSubscription> = self.lock().values().cloned().collect();
        for sub in subs {
            self.upkeep_one(sub, now).await;
        }
    }

    async fn upkeep_one(&self, sub: PushSubscription, now: DateTime<Utc>) {
        let (feed, hub) = (shown(&sub.feed).into_owned(), shown_hub(&sub.hub));
        if lifecycle::renewal_due(&sub, now) {
            let renewal = PushSubscription {
                state: PushState::Renewing,
                requested_at: now,
                ..sub
            };
            self.request(renewal, "subscribe").await;
        } else if lifecycle::lapsed(&sub, now) {
            tracing::warn!(%feed, %hub, "the push subscription lapsed without renewal; polling at the feed's interval again");
            let reason = "the lease ended without renewal";
            self.save(failed(sub, reason, 0)).await;
        } else if sub.state == PushState::Subscribing && now >= sub.requested_at + PENDING_TIMEOUT {
            tracing::warn!(%feed, %hub, "the hub did not verify the push subscription within an hour");
            let reason = "the hub did not verify the subscription within an hour";
            self.save(failed(sub, reason, 1)).await;
        } else if sub.state == PushState::Failed
            && self.feeds.contains_key(&sub.feed)
            && now >= lifecycle::retry_at(&sub)
        {
            self.subscribe(&sub.feed, &sub.hub, &sub.topic, sub.hub_failures)
                .await;
        }
    }

    /// Subscribes `feed` to `topic` at `hub` with a fresh callback token and secret.
    async fn subscribe(&self, feed: &str, hub: &str, topic: &str, hub_failures: u32) {
        let sub = PushSubscription {
            feed: feed.to_owned(),
            topic: topic.to_owned(),
            hub: hub.to_owned(),
            token: random_token(),
            secret: random_token(),
            state: PushState::Subscribing,
            reason: None,
            lease_expires_at: None,
            requested_at: self.clock.now(),
            hub_failures,
        };
        self.request(sub, "subscribe").await;
    }

    /// Unsubscribes the feeds that no longer push (they left the configuration, or set
    /// `push = false`); forgets the requests of theirs that never got anywhere.
    pub async fn tidy(&self) {
        let now = self.clock.now();
        let stale: Vec<PushSubscription> = self
            .lock()
            .values()
            .filter(|sub| !self.feeds.contains_key(&sub.feed))
            .cloned()
            .collect();
        for sub in stale {
            match sub.state {
                PushState::Verified | PushState::Renewing if !lifecycle::lapsed(&sub, now) => {
                    let ending = PushSubscription {
                        state: PushState::Unsubscribing,
                        requested_at: now,
                        ..sub
                    };
                    self.request(ending, "unsubscribe").await;
                }
                PushState::Unsubscribing if now < sub.requested_at + PENDING_TIMEOUT => {}
                _ => self.forget(&sub).await,
            }
        }
    }

    /// Judges the hub's verification GET on the callback `token`; the challenge to echo, or
    /// `None` to refuse. A denial is recorded and answered with an empty body.
    pub async fn verify(&self, token: &str, request: &Verification) -> Option<String> {
        let sub = self.current(token).await;
        match judge(sub.as_ref(), request, self.clock.now()) {
            Verdict::Confirm { challenge, next } => {
                match next {
                    Some(next) => {
                        tracing::info!(feed = %shown(&next.feed), hub = %shown_hub(&next.hub), lease_until = ?next.lease_expires_at, "the hub verified the push subscription");
                        self.save(next).await;
                    }
                    None => {
                        if let Some(sub) = &sub {
                            tracing::info!(feed = %shown(&sub.feed), hub = %shown_hub(&sub.hub), "the hub verified the unsubscription");
                            self.forget(sub).await;
                        }
                    }
                }
                Some(challenge)
            }
            Verdict::Denied(failed) => {
                tracing::warn!(feed = %shown(&failed.feed), hub = %shown_hub(&failed.hub), reason = failed.reason.as_deref().unwrap_or(""), "the hub denied the push subscription; polling at the feed's interval");
                self.save(failed).await;
                Some(String::new())
            }
            Verdict::Refuse => None,
        }
    }

    /// Whom a push on the callback `token` is for: `None` when no subscription has that
    /// callback, or its feed no longer pushes (the hub is to end it). A token this instance does
    /// not know is looked up in the state: on a shared database, another instance may have asked
    /// for it (a subscription's token and secret never change once asked for).
    pub async fn recipient(&self, token: &str) -> Option<Recipient> {
        let sub = match self.by_token(token) {
            Some(sub) => sub,
            None => self.current(token).await?,
        };
        let feed = self.feeds.get(&sub.feed)?;
        Some(Recipient {
            feed: sub.feed,
            secret: sub.secret,
            max_body: feed.max_body,
        })
    }

    /// The subscription whose callback token is `token`, as the state keeps it now (another
    /// instance sharing the state may have asked for or changed it); this instance's copy when
    /// the state cannot be read.
    async fn current(&self, token: &str) -> Option<PushSubscription> {
        match self.store.push_subscription(token).await {
            Ok(Some(stored)) => {
                self.adopt(stored.clone());
                Some(stored)
            }
            Ok(None) => None,
            Err(error) => {
                tracing::warn!(%error, "cannot read the push subscription from the state; answering from this instance's copy");
                self.by_token(token)
            }
        }
    }

    /// Takes every subscription as the state keeps it now.
    async fn reload(&self) {
        let stored = match self.store.push_subscriptions().await {
            Ok(stored) => stored,
            Err(error) => {
                tracing::warn!(%error, "cannot read the push subscriptions from the state; keeping this instance's copy");
                return;
            }
        };
        let tokens: HashSet<&str> = stored.iter().map(|sub| sub.token.as_str()).collect();
        let gone: Vec<PushSubscription> = {
            let known = self.lock();
            known
                .values()
                .filter(|sub| !tokens.contains(sub.token.as_str()))
                .cloned()
                .collect()
        };
        for sub in gone {
            self.drop_copy(&sub);
        }
        for sub in stored {
            self.adopt(sub);
        }
    }

    /// Keeps `sub`, read from the state, as this instance's copy; tells the observer when the
    /// feed's pushing changed.
    fn adopt(&self, sub: PushSubscription) {
        let now = self.clock.now();
        let pushed = lifecycle::is_active(&sub, now);
        let feed = sub.feed.clone();
        let before = self.lock().insert(feed.clone(), sub);
        let was_pushed = before.is_some_and(|old| lifecycle::is_active(&old, now));
        if was_pushed != pushed {
            self.tell(&feed, was_pushed, pushed);
        }
    }

    /// The subscription whose callback token is `token`, as this instance last saw it.
    #[must_use]
    pub fn by_token(&self, token: &str) -> Option<PushSubscription> {
        self.lock().values().find(|sub| sub.token == token).cloned()
    }

    /// Records `sub` (the hub may verify before it answers), then sends the request `mode`.
    async fn request(&self, sub: PushSubscription, mode: &str) {
        self.save(sub.clone()).await;
        self.warn_if_plain(&sub.hub);
        let Ok(hub) = Url::parse(&sub.hub) else {
            return;
        };
        let callback = self.callback_url(&sub.token);
        let lease = LEASE.as_secs().to_string();
        let mut form = vec![
            ("hub.mode", mode),
            ("hub.topic", sub.topic.as_str()),
            ("hub.callback", callback.as_str()),
        ];
        if mode == "subscribe" {
            form.push(("hub.secret", sub.secret.as_str()));
            form.push(("hub.lease_seconds", lease.as_str()));
        }
        let failure = match self.fetcher.post_to_hub(&hub, &form, HUB_TIMEOUT).await {
            Ok(answer) if (200..300).contains(&answer.status) => {
                tracing::info!(feed = %shown(&sub.feed), hub = %shown_hub(&sub.hub), mode, "asked the hub; waiting for its verification");
                return;
            }
            Ok(answer) => format!(
                "the hub answered HTTP {}: {}",
                answer.status,
                answer.body.trim()
            ),
            Err(error) => format!("cannot reach the hub: {error}"),
        };
        tracing::warn!(feed = %shown(&sub.feed), hub = %shown_hub(&sub.hub), mode, reason = %failure, "the hub refused the request; it is asked again later");
        self.fail_request(&sub, failure).await;
    }

    /// Records a failed request, unless the hub has verified meanwhile or another took its place.
    async fn fail_request(&self, sent: &PushSubscription, reason: String) {
        let Some(current) = self
            .by_token(&sent.token)
            .filter(|c| c.requested_at == sent.requested_at)
        else {
            return;
        };
        let state = match current.state {
            // A renewal that failed leaves the lease running: the next try comes after the backoff.
            PushState::Renewing => PushState::Verified,
            PushState::Subscribing | PushState::Unsubscribing => PushState::Failed,
            PushState::Verified | PushState::Failed => return,
        };
        let failed = PushSubscription {
            state,
            reason: Some(reason),
            hub_failures: current.hub_failures.saturating_add(1),
            ..current
        };
        self.save(failed).await;
    }

    fn callback_url(&self, token: &str) -> String {
        let path = format!("{}{token}", CALLBACK_PREFIX.trim_start_matches('/'));
        self.public_url.join(&path).map_or_else(
            |_| format!("{}{path}", self.public_url),
            |url| url.to_string(),
        )
    }

    fn warn_if_plain(&self, hub: &str) {
        let plain = hub.starts_with("http://");
        let mut warned = self.warned.lock().unwrap_or_else(PoisonError::into_inner);
        if plain && warned.insert(hub.to_owned()) {
            tracing::warn!(hub = %shown_hub(hub), "the hub is on plain http: subscription requests, secrets and pushes cross the network unencrypted");
        }
    }

    async fn save(&self, sub: PushSubscription) {
        let now = self.clock.now();
        let before = self.lock().insert(sub.feed.clone(), sub.clone());
        let was_pushed = before.is_some_and(|old| lifecycle::is_active(&old, now));
        self.tell(&sub.feed, was_pushed, lifecycle::is_active(&sub, now));
        if let Err(error) = self.store.save_push_subscription(sub.clone()).await {
            tracing::error!(feed = %shown(&sub.feed), %error, "cannot record the push subscription in the state");
        }
    }

    async fn forget(&self, sub: &PushSubscription) {
        self.drop_copy(sub);
        if let Err(error) = self.store.delete_push_subscription(&sub.token).await {
            tracing::error!(feed = %shown(&sub.feed), %error, "cannot remove the push subscription from the state");
        }
    }

    /// Forgets this instance's copy of `sub` (if it is still the feed's subscription).
    fn drop_copy(&self, sub: &PushSubscription) {
        let removed = {
            let mut known = self.lock();
            if known.get(&sub.feed).is_some_and(|s| s.token == sub.token) {
                known.remove(&sub.feed)
            } else {
                None
            }
        };
        if let Some(removed) = removed {
            let was_pushed = lifecycle::is_active(&removed, self.clock.now());
            self.tell(&removed.feed, was_pushed, false);
        }
    }

    fn tell(&self, feed: &str, was_pushed: bool, pushed: bool) {
        let census = self.census();
        (self.observer)(&Change {
            feed,
            was_pushed,
            pushed,
            census: &census,
        });
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, HashMap<String, PushSubscription>> {
        self.known.lock().unwrap_or_else(PoisonError::into_inner)
    }
}

/// `sub` failed for `reason`, with `more` failures of its hub counted.
fn failed(sub: PushSubscription, reason: &str, more: u32) -> PushSubscription {
    PushSubscription {
        state: PushState::Failed,
        reason: Some(reason.to_owned()),
        hub_failures: sub.hub_failures.saturating_add(more),
        ..sub
    }
}

/// 32 random bytes, URL-safe: unguessable as a callback path and strong as a `hub.secret`.
fn random_token() -> String {
    let mut bytes = [0_u8; 32];
    rand::rng().fill_bytes(&mut bytes);
    base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(bytes)
}

fn shown(feed: &str) -> std::borrow::Cow<'_, str> {
    crate::config::shown_feed_name(feed)
}

fn shown_hub(hub: &str) -> String {
    Url::parse(hub).map_or_else(|_| "(invalid URL)".to_owned(), |url| shown_url(&url))
}
