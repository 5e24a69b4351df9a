//! Which feeds this instance polls, when several share one state: the daemon's lease keeper sends
//! [`Assignment`]s, and the poll loop polls only the feeds it was given. Without sharing, every
//! feed is this instance's and nothing here costs more than a flag per feed.

use std::collections::HashMap;

use tokio::sync::mpsc::UnboundedReceiver;

use crate::config::Feed;

/// A change in the feeds this instance polls.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Assignment {
    /// These feeds are this instance's now (by name): poll them from their stored due times.
    Gained(Vec<String>),
    /// These are not (any more): no new poll of them starts here.
    Lost(Vec<String>),
}

/// Where the poll loop hears its assignments from.
pub type Assignments = UnboundedReceiver<Assignment>;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Place {
    /// In the loop's queue of due times.
    Queued,
    InFlight,
    /// Neither: not this instance's, or dropped from the queue when it stopped being.
    Idle,
}

/// Each feed's ownership and where it is in the loop.
pub(super) struct Owned {
    index: HashMap<String, usize>,
    mine: Vec<bool>,
    place: Vec<Place>,
}

impl Owned {
    /// Every feed owned and queued (no sharing), or none of them (until assigned).
    pub(super) fn new(feeds: &[Feed], shared: bool) -> Self {
        let place = if shared { Place::Idle } else { Place::Queued };
        Self {
            index: feeds
                .iter()
                .enumerate()
                .map(|(index, feed)| (feed.name.clone(), index))
                .collect(),
            mine: vec![!shared; feeds.len()],
            place: vec![place; feeds.len()],
        }
    }

    /// Whether the feed is this instance's to poll.
    pub(super) fn is_mine(&self, index: usize) -> bool {
        self.mine[index]
    }

    /// A feed's due time came: whether to poll it now (it is this instance's).
    pub(super) fn start(&mut self, index: usize) -> bool {
        let owned = self.mine[index];
        self.place[index] = if owned { Place::InFlight } else { Place::Idle };
        owned
    }

    /// A poll ended: whether to queue the feed's next due time.
    pub(super) fn finish(&mut self, index: usize) -> bool {
        let owned = self.mine[index];
        self.place[index] = if owned { Place::Queued } else { Place::Idle };
        owned
    }

    /// Applies `assignment`; returns the feeds to queue afresh (gained, and neither queued nor
    /// polled now).
    pub(super) fn apply(&mut self, assignment: &Assignment) -> Vec<usize> {
        let (names, owned) = match assignment {
            Assignment::Gained(names) => (names, true),
            Assignment::Lost(names) => (names, false),
        };
        let mut fresh = Vec::new();
        for index in names
            .iter()
            .filter_map(|name| self.index.get(name).copied())
        {
            self.mine[index] = owned;
            if owned && self.place[index] == Place::Idle {
                self.place[index] = Place::Queued;
                fresh.push(index);
            }
        }
        fresh
    }
}
