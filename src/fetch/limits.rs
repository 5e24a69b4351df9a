//! How many fetches run at once: a global cap so a large config does not open hundreds of sockets,
//! and a per-host cap so feeds sharing a host (a blog platform, GitHub) do not hammer it.
//!
//! A fetch takes its host's slot before a global one: a fetch queued behind its host then holds no
//! global slot, so a busy host cannot starve the others. Host semaphores are created on first use
//! and dropped again once no fetch holds or awaits them, so the map stays as small as the set of
//! hosts in flight.

use std::collections::HashMap;
use std::sync::{Arc, Mutex, PoisonError};

use tokio::sync::{OwnedSemaphorePermit, Semaphore};
use url::Url;

/// The right to run one fetch; both permits are released when it is dropped.
pub(super) struct Slot {
    _host: OwnedSemaphorePermit,
    _global: OwnedSemaphorePermit,
}

pub(super) struct Limits {
    global: Arc<Semaphore>,
    per_host: usize,
    hosts: Mutex<HashMap<String, Arc<Semaphore>>>,
}

impl Limits {
    /// A limit of 0 would block every fetch forever, so it counts as 1.
    pub(super) fn new(concurrency: usize, per_host: usize) -> Self {
        Self {
            global: Arc::new(Semaphore::new(concurrency.max(1))),
            per_host: per_host.max(1),
            hosts: Mutex::new(HashMap::new()),
        }
    }

    /// Waits for a free slot for `url`'s host (and port) and then for a global one.
    pub(super) async fn acquire(&self, url: &Url) -> Slot {
        let host = self.host_semaphore(host_key(url));
        let host = host.acquire_owned().await;
        let global = Arc::clone(&self.global).acquire_owned().await;
        Slot {
            _host: host.expect("host semaphores are never closed"),
            _global: global.expect("the global semaphore is never closed"),
        }
    }

    fn host_semaphore(&self, key: String) -> Arc<Semaphore> {
        // The map is only touched for an instant and never across an await; a panic while holding
        // it cannot leave it inconsistent, so a poisoned lock is still usable.
        let mut hosts = self.hosts.lock().unwrap_or_else(PoisonError::into_inner);
        if let Some(semaphore) = hosts.get(&key) {
            return Arc::clone(semaphore);
        }
        // A count of 1 means only the map holds it: nobody has or awaits a permit (permits and
        // waiters keep their own `Arc`), so it can go and be created afresh when needed.
        hosts.retain(|_, semaphore| Arc::strong_count(semaphore) > 1);
        let semaphore = Arc::new(Semaphore::new(self.per_host));
        hosts.insert(key, Arc::clone(&semaphore));
        semaphore
    }

    #[cfg(test)]
    fn hosts_tracked(&self) -> usize {
        self.hosts
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .len()
    }
}

/// Hosts are told apart with their port: two servers on one machine are two hosts.
fn host_key(url: &Url) -> String {
    let host = url.host_str().unwrap_or_default();
    match url.port_or_known_default() {
        Some(port) => format!("{host}:{port}"),
        None => host.to_owned(),
    }
}

#[cfg(test)]
mod tests;
