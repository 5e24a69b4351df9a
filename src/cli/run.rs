//! `feedhook run`: the daemon under signal control. SIGTERM and SIGINT stop it cleanly; SIGHUP
//! reloads the config (an invalid new config is reported and the old one keeps running).

use std::net::SocketAddr;
use std::path::PathBuf;
use std::sync::Arc;

use tokio::net::TcpListener;
use tokio::signal::unix::{SignalKind, signal};
use tokio_util::sync::CancellationToken;

use crate::config::{Config, HttpSettings};
use crate::daemon::systemd::Notifier;
use crate::daemon::{self, MetricsRegistry, Monitoring};
use crate::schedule::Clock;
use crate::store::Store;

use super::{EXIT_OK, EXIT_STATE, load_config, open_store, state_failure_status};

enum Signal {
    Stop,
    Reload,
}

pub async fn run(path: PathBuf) -> u8 {
    let mut config = match load_config(&path) {
        Ok(config) => config,
        Err(code) => return code,
    };
    // The store holds the state's lock as long as it lives: it is what keeps a second daemon off.
    let store = match open_store(&config).await {
        Ok(store) => Arc::new(store),
        Err(code) => return code,
    };
    let mut signals = match Signals::new() {
        Ok(signals) => signals,
        Err(error) => {
            eprintln!("feedhook: cannot listen for signals: {error}");
            return EXIT_STATE;
        }
    };
    let notifier = Arc::new(Notifier::from_env());
    // The configuration that ran before the last reload, to go back to if the new one cannot start
    // (its [http] address is taken, say); dropped as soon as the new one has started.
    let mut previous: Option<Config> = None;
    // Made when a configuration first sets [http], and kept: counters run on across reloads.
    let mut metrics: Option<MetricsRegistry> = None;
    loop {
        // The log masks the secrets of the configuration in force: after a reload, or after
        // going back to the previous one.
        super::logging::mask_secrets(&config.redactor);
        if config.http.is_some() {
            metrics.get_or_insert_default();
        }
        let (stop, started) = (CancellationToken::new(), CancellationToken::new());
        let mut generation = tokio::spawn(run_generation(
            Generation {
                config: config.clone(),
                store: Arc::clone(&store),
                metrics: metrics.clone(),
                notifier: Arc::clone(&notifier),
                started: started.clone(),
            },
            stop.clone(),
        ));
        // `ended` holds the generation's result when it ended by itself.
        let (next, ended) = loop {
            tokio::select! {
                () = started.cancelled(), if previous.is_some() => previous = None,
                signal = signals.next() => match signal {
                    Signal::Stop => break (None, None),
                    Signal::Reload => if let Some(new) = reload(&path, &config) { break (Some(new), None) },
                },
                // The daemon only ends by itself when it could not start or its state failed;
                // `previous` is still there only when it could not start.
                result = &mut generation => {
                    if matches!(result, Ok(Err(Stopped::DatabaseUnreachable))) {
                        // Neither configuration could start now: wait for the database, then
                        // start the newest one again.
                        tokio::select! {
                            () = database_back(&store) => break (Some(config.clone()), Some(result)),
                            signal = signals.next() => match signal {
                                Signal::Stop => break (None, Some(result)),
                                Signal::Reload => {
                                    let new = reload(&path, &config).unwrap_or_else(|| config.clone());
                                    break (Some(new), Some(result));
                                }
                            },
                        }
                    }
                    match previous.take() {
                        Some(old) => {
                            tracing::error!("the reloaded configuration could not start; going back to the previous one");
                            break (Some(old), Some(result));
                        }
                        None => return state_failure_status(&store).await,
                    }
                }
            }
        };
        let fell_back = ended.is_some();
        if next.is_some() {
            notifier.reloading();
        } else {
            notifier.stopping();
        }
        stop.cancel();
        let result = match ended {
            Some(result) => result,
            None => generation.await,
        };
        if !fell_back && !matches!(result, Ok(Ok(()))) {
            return EXIT_STATE;
        }
        let Some(new) = next else {
            leave(&store).await;
            tracing::info!("stopped");
            return EXIT_OK;
        };
        let old = std::mem::replace(&mut config, new);
        previous = (!fell_back).then_some(old);
    }
}

/// What one generation of the daemon runs with.
struct Generation {
    config: Config,
    store: Arc<Store>,
    metrics: Option<MetricsRegistry>,
    notifier: Arc<Notifier>,
    /// Cancelled (a latch, never undone) once the daemon has started.
    started: CancellationToken,
}

/// Why a generation of the daemon ended by itself, as the loop that runs generations acts on it.
#[derive(Debug)]
enum Stopped {
    /// The database could not be reached (at start, or reading the poll loop's first schedule):
    /// the same configuration starts again once it answers.
    DatabaseUnreachable,
    Failed,
}

/// Runs the daemon on the generation's config until `stop`.
async fn run_generation(generation: Generation, stop: CancellationToken) -> Result<(), Stopped> {
    generation.run(stop).await.map_err(|error| {
        if error.is_database_outage() {
            tracing::warn!(%error, "the daemon cannot start before the database answers; it starts again as soon as it does");
            Stopped::DatabaseUnreachable
        } else {
            tracing::error!(%error, "the daemon stopped");
            Stopped::Failed
        }
    })
}

/// Returns once the database answers again; never at once, so that a configuration that cannot
/// start is not started again in a tight loop.
async fn database_back(store: &Store) {
    tokio::time::sleep(std::time::Duration::from_secs(1)).await;
    store.reachable_again().await;
}

impl Generation {
    /// Binds `[http] listen`, starts the daemon (then tells `started`) and runs it until `stop`.
    async fn run(self, stop: CancellationToken) -> Result<(), GenerationError> {
        let listener = bind(self.config.http.as_ref()).await?;
        let monitoring = self.metrics.map(|metrics| Monitoring { metrics, listener });
        let (config, clock) = (&self.config, Clock::new());
        let daemon =
            daemon::start(config, self.store, clock, monitoring, stop, self.notifier).await?;
        self.started.cancel();
        Ok(daemon.run().await?)
    }
}

/// Why a generation of the daemon did not start or stopped by itself.
#[derive(Debug, thiserror::Error)]
enum GenerationError {
    #[error(transparent)]
    Listen(#[from] ListenError),
    #[error(transparent)]
    Daemon(#[from] daemon::DaemonError),
}

impl GenerationError {
    /// Whether it is only that the database cannot be reached for now.
    fn is_database_outage(&self) -> bool {
        matches!(self, Self::Daemon(daemon::DaemonError::Store(error)) if error.is_retryable())
    }
}

/// The `[http] listen` address could not be bound.
#[derive(Debug, thiserror::Error)]
#[error("cannot listen on {address} ([http] listen): {source}")]
struct ListenError {
    address: SocketAddr,
    #[source]
    source: std::io::Error,
}

/// The listener of `[http] listen`, if set.
async fn bind(http: Option<&HttpSettings>) -> Result<Option<TcpListener>, ListenError> {
    let Some(http) = http else {
        return Ok(None);
    };
    let bound = TcpListener::bind(http.listen).await;
    bound.map(Some).map_err(|source| ListenError {
        address: http.listen,
        source,
    })
}

/// On a shared database, hands this instance's feeds and channels to the others at once, rather
/// than after its leases run out.
async fn leave(store: &Store) {
    if let Err(error) = store.leave().await {
        tracing::warn!(%error, "cannot release this instance's leases; the other instances take its work over once they run out");
    }
}

fn reload(path: &std::path::Path, current: &Config) -> Option<Config> {
    match Config::load(path) {
        Ok(new) => {
            if (&new.store.path, &new.store.database)
                != (&current.store.path, &current.store.database)
            {
                tracing::warn!(state = %new.store.shown(), "[store] changed; the new state takes effect at the next restart");
            }
            for warning in &new.warnings {
                tracing::warn!("{warning}");
            }
            for change in daemon::describe_changes(current, &new) {
                tracing::info!("reload: {change}");
            }
            tracing::info!(
                feeds = new.feeds.len(),
                channels = new.channels.len(),
                "configuration reloaded"
            );
            Some(Config {
                store: current.store.clone(),
                ..new
            })
        }
        Err(error) => {
            tracing::error!(%error, "the new configuration is invalid; still running the previous one");
            None
        }
    }
}

struct Signals {
    terminate: tokio::signal::unix::Signal,
    interrupt: tokio::signal::unix::Signal,
    hangup: tokio::signal::unix::Signal,
}

impl Signals {
    fn new() -> std::io::Result<Self> {
        Ok(Self {
            terminate: signal(SignalKind::terminate())?,
            interrupt: signal(SignalKind::interrupt())?,
            hangup: signal(SignalKind::hangup())?,
        })
    }

    async fn next(&mut self) -> Signal {
        tokio::select! {
            _ = self.terminate.recv() => { tracing::info!("SIGTERM received; finishing posts in flight"); Signal::Stop }
            _ = self.interrupt.recv() => { tracing::info!("SIGINT received; finishing posts in flight"); Signal::Stop }
            _ = self.hangup.recv() => { tracing::info!("SIGHUP received; reloading the configuration"); Signal::Reload }
        }
    }
}

#[cfg(test)]
mod tests;
