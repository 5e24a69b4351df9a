//! WebSub in a running daemon: the subscriber, fed each poll's discovered hubs through a queue
//! (the poll observer must not wait on a hub), its upkeep every minute, and its callbacks served
//! on the `[http] listen` server. What hubs push goes through the poll stage's own recording
//! ([`poll::record_pushed`]); a thin ping, or a hub that stops pushing, nudges the poll loop.

use std::collections::HashMap;
use std::sync::Arc;
use std::time::Duration;

use futures_util::future::BoxFuture;
use tokio::sync::mpsc;
use tokio::task::JoinHandle;
use tokio_util::sync::CancellationToken;

use crate::config::{Config, Feed};
use crate::fetch::Fetcher;
use crate::metrics::{Delegate, Handler, Metrics, PushKind};
use crate::parse::HubLinks;
use crate::poll::scheduler::Nudge;
use crate::poll::{self, PollContext, PollReport, PushOutcome};
use crate::push::{self, CALLBACK_PREFIX, Change, Content, Ignored, Intake, Subscriber};
use crate::schedule::Clock;
use crate::store::Store;

use super::error::DaemonError;
use super::monitor;

/// How often subscriptions are renewed, and stale requests given up.
const UPKEEP_EVERY: Duration = Duration::from_secs(60);

/// A feed's name and what its poll found advertised.
type Offer = (String, HubLinks);

/// The push side of a run: the subscriber, the queue of what polls found, the poll loop's
/// nudges, and the metrics.
pub(super) struct Push {
    subscriber: Arc<Subscriber>,
    offers: mpsc::UnboundedSender<Offer>,
    receiver: Option<mpsc::UnboundedReceiver<Offer>>,
    nudges: mpsc::UnboundedSender<Nudge>,
    metrics: Option<Arc<Metrics>>,
}

impl Push {
    /// The push side `config` asks for: `None` without `[http] public_url`.
    pub(super) async fn new(
        config: &Config,
        store: &Arc<Store>,
        clock: Clock,
        nudges: &mpsc::UnboundedSender<Nudge>,
        metrics: Option<&Arc<Metrics>>,
    ) -> Result<Option<Self>, DaemonError> {
        let Some(public_url) = config.http.as_ref().and_then(|h| h.public_url.clone()) else {
            return Ok(None);
        };
        // Hubs get the same outbound guard and limits as feeds, from a client of their own.
        let fetcher = Fetcher::new(&config.fetch, &[], &config.redactor)?;
        let subscriber =
            Subscriber::new(Arc::clone(store), fetcher, clock, public_url, &config.feeds)
                .await?
                .on_change(observe_changes(nudges.clone(), metrics.cloned()));
        if let Some(metrics) = metrics {
            monitor::record_subscriptions(metrics, &subscriber.census());
        }
        let (offers, receiver) = mpsc::unbounded_channel();
        Ok(Some(Self {
            subscriber: Arc::new(subscriber),
            offers,
            receiver: Some(receiver),
            nudges: nudges.clone(),
            metrics: metrics.cloned(),
        }))
    }

    /// The poll observer that queues each read document's hubs for the subscriber.
    pub(super) fn observer(&self) -> impl Fn(&Feed, &PollReport) + Send + Sync + 'static {
        let offers = self.offers.clone();
        move |feed, report| {
            if let Some(hubs) = report.hubs.as_ref().filter(|_| feed.push) {
                // The receiver only goes at the stop, when nothing is to be subscribed any more.
                let _ = offers.send((feed.name.clone(), hubs.clone()));
            }
        }
    }

    /// Whether a feed's hub pushes to us now: the poll context polls such a feed at its
    /// `push_interval`.
    pub(super) fn pushed(&self) -> impl Fn(&Feed) -> bool + Send + Sync + 'static {
        let subscriber = Arc::clone(&self.subscriber);
        move |feed| subscriber.is_active(&feed.name)
    }

    /// The callbacks, for the `[http] listen` server; what hubs push is recorded through
    /// `context`.
    pub(super) fn delegate(&self, context: &Arc<PollContext>, feeds: &[Feed]) -> Delegate {
        let subscriber = Arc::clone(&self.subscriber);
        let intake: Arc<dyn Intake> = Arc::new(Arrivals {
            context: Arc::clone(context),
            feeds: feeds
                .iter()
                .filter(|feed| feed.push)
                .map(|feed| (feed.name.clone(), feed.clone()))
                .collect(),
            nudges: self.nudges.clone(),
            metrics: self.metrics.clone(),
        });
        let handler: Handler = Arc::new(move |request| {
            Box::pin(push::respond(
                Arc::clone(&subscriber),
                Arc::clone(&intake),
                request,
            ))
        });
        Delegate {
            prefix: CALLBACK_PREFIX,
            handler,
        }
    }

    /// Starts the subscriber's task: unsubscribes what left the config, then takes the polls'
    /// offers and keeps the subscriptions up until `stop`.
    pub(super) fn spawn(&mut self, clock: Clock, stop: CancellationToken) -> JoinHandle<()> {
        let subscriber = Arc::clone(&self.subscriber);
        let receiver = self.receiver.take();
        tokio::spawn(async move {
            let Some(mut offers) = receiver else { return };
            subscriber.tidy().await;
            let mut upkeep = tokio::time::interval(UPKEEP_EVERY);
            loop {
                tokio::select! {
                    () = stop.cancelled() => break,
                    Some((feed, hubs)) = offers.recv() => subscriber.offer(&feed, &hubs).await,
                    _ = upkeep.tick() => subscriber.upkeep(clock.now()).await,
                }
            }
        })
    }
}

/// The subscriber's observer: a feed whose hub stopped pushing goes back to its own interval at
/// once, and the metrics count the subscriptions in each state.
fn observe_changes(
    nudges: mpsc::UnboundedSender<Nudge>,
    metrics: Option<Arc<Metrics>>,
) -> impl Fn(&Change<'_>) + Send + Sync + 'static {
    move |change| {
        if change.was_pushed && !change.pushed {
            // The poll loop only goes at the stop.
            let _ = nudges.send(Nudge::Unpushed(change.feed.to_owned()));
        }
        if let Some(metrics) = &metrics {
            monitor::record_subscriptions(metrics, change.census);
        }
    }
}

/// Where the callback hands what hubs push: the feeds' entries recorded as a poll records them,
/// a thin ping turned into a poll now.
struct Arrivals {
    context: Arc<PollContext>,
    /// The feeds that push, by name.
    feeds: HashMap<String, Feed>,
    nudges: mpsc::UnboundedSender<Nudge>,
    metrics: Option<Arc<Metrics>>,
}

impl Intake for Arrivals {
    fn take(&self, content: Content) -> BoxFuture<'static, bool> {
        let (poll_context, nudges) = (Arc::clone(&self.context), self.nudges.clone());
        let metrics = self.metrics.clone();
        let feed = self.feeds.get(&content.feed).cloned();
        Box::pin(async move {
            // The subscriber hands on pushes for configured feeds only.
            let Some(feed) = feed else { return true };
            let name = feed.display_name();
            let recorded =
                poll::record_pushed(&poll_context, &feed, content.body, content.charset).await;
            let kind = match recorded {
                Ok(PushOutcome::Recorded {
                    new_entries,
                    queued,
                }) => {
                    tracing::info!(feed = %name, new_entries, queued, "recorded the entries the hub pushed");
                    PushKind::Fat
                }
                Ok(PushOutcome::Thin { unreadable }) => {
                    let unreadable = unreadable.unwrap_or_default();
                    tracing::info!(feed = %name, %unreadable, "the hub pushed no entries; polling the feed now");
                    // The poll loop only goes at the stop.
                    let _ = nudges.send(Nudge::PollNow(feed.name.clone()));
                    PushKind::Thin
                }
                Ok(PushOutcome::Unfinished) => return false,
                Err(error) => {
                    tracing::error!(feed = %name, %error, "cannot record what the hub pushed; the hub is asked to send it again");
                    return false;
                }
            };
            if let Some(metrics) = &metrics {
                metrics.record_push(kind);
            }
            true
        })
    }

    fn ignored(&self, _feed: &str, why: Ignored) {
        if let Some(metrics) = &self.metrics {
            metrics.record_ignored_push(monitor::ignored_reason(why));
        }
    }
}
