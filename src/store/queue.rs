//! What a recorded poll queues, whatever the backend: the pure decisions between "these entries
//! are new" and "these rows go into the outbox".

use std::collections::HashSet;

use super::{PollRecord, PollSummary, QueueLimits};
use crate::parse::Entry;

/// What one poll queues, decided from its new entries.
pub(super) struct QueuePlan<'r> {
    /// The entry that stands for the entries `max_new` held back, to record and queue first.
    pub note: Option<Entry>,
    /// The entries to queue, oldest first.
    pub to_queue: Vec<&'r Entry>,
    pub summary: PollSummary,
}

/// Decides what to queue of `new` (the entries of `record` not seen before, in document order).
///
/// On the feed's first poll only the newest `backlog` are queued; afterwards every new entry,
/// within the record's [`QueueLimits`]. New entries its `skip` refuses are never queued, on the
/// first poll too.
pub(super) fn plan<'r>(record: &PollRecord, new: &[&'r Entry], first_poll: bool) -> QueuePlan<'r> {
    let passing = without_skipped(new, &record.limits);
    let (mut to_queue, too_old, held_back) = if first_poll {
        let newest = passing.len().saturating_sub(record.backlog);
        (passing[newest..].to_vec(), 0, Vec::new())
    } else {
        select_for_queue(&passing, &record.limits)
    };
    let note = match (held_back.is_empty(), record.limits.overflow_note) {
        (false, Some(write_note)) => Some(write_note(
            &record.feed,
            &record.info,
            &held_back,
            record.polled_at,
        )),
        _ => None,
    };
    to_queue.retain(|entry| !held_back.iter().any(|held| held.key == entry.key));
    let summary = PollSummary {
        first_poll,
        new_entries: new.len(),
        queued: 0,
        too_old,
        held_back: held_back.len(),
        filtered: new.len() - passing.len(),
    };
    QueuePlan {
        note,
        to_queue,
        summary,
    }
}

/// The entries of a document with each key once (its first occurrence), in document order.
pub(super) fn distinct_entries(entries: &[Entry]) -> Vec<&Entry> {
    let mut in_document = HashSet::new();
    entries
        .iter()
        .filter(|entry| in_document.insert(entry.key.as_str()))
        .collect()
}

/// The channels of a record, each once, in the order given.
pub(super) fn distinct_channels(channels: &[String]) -> Vec<&str> {
    let mut unique: Vec<&str> = Vec::with_capacity(channels.len());
    for channel in channels {
        if !unique.contains(&channel.as_str()) {
            unique.push(channel);
        }
    }
    unique
}

/// The new entries (oldest first) that `skip` lets through.
fn without_skipped<'r>(new: &[&'r Entry], limits: &QueueLimits) -> Vec<&'r Entry> {
    match &limits.skip {
        Some(skip) => new.iter().copied().filter(|entry| !skip(entry)).collect(),
        None => new.to_vec(),
    }
}

/// Of a later poll's new entries that passed `skip` (oldest first): those to queue, how many were
/// too old, and those held back by `max_new` (the oldest of the rest).
fn select_for_queue<'r>(
    new: &[&'r Entry],
    limits: &QueueLimits,
) -> (Vec<&'r Entry>, usize, Vec<&'r Entry>) {
    let mut fresh: Vec<&Entry> = new
        .iter()
        .copied()
        .filter(|e| {
            limits
                .not_before
                .is_none_or(|cutoff| e.published.or(e.updated).is_none_or(|at| at >= cutoff))
        })
        .collect();
    let too_old = new.len() - fresh.len();
    let held_back = if limits.max_new > 0 && fresh.len() > limits.max_new {
        fresh.drain(..fresh.len() - limits.max_new).collect()
    } else {
        Vec::new()
    };
    (fresh, too_old, held_back)
}
