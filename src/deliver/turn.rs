//! A channel's outbox on a state that several instances share: one instance works it at a time,
//! the one that holds the channel's lease, so that the channel's order, pacing and pauses hold
//! across instances. The daemon's lease keeper sets each channel's [`Turn`]; the worker follows
//! it (see `sharing.rs`), and hands the channel over only between posts.

use std::sync::atomic::{AtomicU8, Ordering};

use tokio::sync::Notify;

/// Whether this instance works a channel's outbox.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Holding {
    /// Another instance does, or nobody yet.
    NotHeld,
    /// This one does.
    Held,
    /// This one does, and is asked to release the lease at its next pause between posts, so that
    /// a new instance gets its share.
    HandOver,
}

/// One channel's [`Holding`], and a wake-up for its worker when it changes.
#[derive(Debug)]
pub struct Turn {
    holding: AtomicU8,
    changed: Notify,
}

impl Default for Turn {
    fn default() -> Self {
        Self {
            holding: AtomicU8::new(Holding::NotHeld as u8),
            changed: Notify::new(),
        }
    }
}

impl Turn {
    #[must_use]
    pub fn holding(&self) -> Holding {
        match self.holding.load(Ordering::Acquire) {
            1 => Holding::Held,
            2 => Holding::HandOver,
            _ => Holding::NotHeld,
        }
    }

    /// The lease was claimed.
    pub fn held(&self) {
        self.set(Holding::Held);
    }

    /// The lease is no longer this instance's (taken over, or released).
    pub fn lost(&self) {
        self.set(Holding::NotHeld);
    }

    /// Asks the worker to release the lease at its next pause, if it holds it.
    pub fn hand_over(&self) {
        let (held, asked) = (Holding::Held as u8, Holding::HandOver as u8);
        let swapped =
            self.holding
                .compare_exchange(held, asked, Ordering::AcqRel, Ordering::Acquire);
        if swapped.is_ok() {
            self.changed.notify_one();
        }
    }

    fn set(&self, holding: Holding) {
        if self.holding.swap(holding as u8, Ordering::AcqRel) != holding as u8 {
            self.changed.notify_one();
        }
    }

    /// Resolves at the next change (or at once, when one came since the last wait).
    pub async fn changed(&self) {
        self.changed.notified().await;
    }
}
