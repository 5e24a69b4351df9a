//! WebSub in a running daemon: the subscriber, fed each poll's discovered hubs through a queue
//! (the poll observer must not wait on a hub), its upkeep every minute, and its callbacks served
//! on the `[http] listen` server.

use std::sync::Arc;
use std::time::Duration;

use tokio::sync::mpsc;
use tokio::task::JoinHandle;
use tokio_util::sync::CancellationToken;

use crate::config::{Config, Feed};
use crate::fetch::Fetcher;
use crate::metrics::{Delegate, Handler};
use crate::parse::HubLinks;
use crate::poll::PollReport;
use crate::push::{self, CALLBACK_PREFIX, Subscriber};
use crate::schedule::Clock;
use crate::store::Store;

use super::error::DaemonError;

/// How often subscriptions are renewed, and stale requests given up.
const UPKEEP_EVERY: Duration = Duration::from_secs(60);

/// A feed's name and what its poll found advertised.
type Offer = (String, HubLinks);

/// The push side of a run: the subscriber and the queue of what polls found.
pub(super) struct Push {
    subscriber: Arc<Subscriber>,
    offers: mpsc::UnboundedSender<Offer>,
    receiver: Option<mpsc::UnboundedReceiver<Offer>>,
}

impl Push {
    /// The push side `config` asks for: `None` without `[http] public_url`.
    pub(super) async fn new(
        config: &Config,
        store: &Arc<Store>,
        clock: Clock,
    ) -> Result<Option<Self>, DaemonError> {
        let Some(public_url) = config.http.as_ref().and_then(|h| h.public_url.clone()) else {
            return Ok(None);
        };
        // Hubs get the same outbound guard and limits as feeds, from a client of their own.
        let fetcher = Fetcher::new(&config.fetch, &[], &config.redactor)?;
        let subscriber =
            Subscriber::new(Arc::clone(store), fetcher, clock, public_url, &config.feeds).await?;
        let (offers, receiver) = mpsc::unbounded_channel();
        Ok(Some(Self {
            subscriber: Arc::new(subscriber),
            offers,
            receiver: Some(receiver),
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

    /// The callbacks, for the `[http] listen` server.
    pub(super) fn delegate(&self) -> Delegate {
        let subscriber = Arc::clone(&self.subscriber);
        let handler: Handler =
            Arc::new(move |request| Box::pin(push::respond(Arc::clone(&subscriber), request)));
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
