//! The store's behaviour, written once and run against both backends: SQLite (in memory) and
//! PostgreSQL (a fresh database per test on the local server; see `common/pg.rs`). A behaviour
//! that holds on one backend and not on the other fails here.

#![allow(
    clippy::unwrap_used,
    clippy::format_collect,
    clippy::format_push_string
)]

mod common;

#[path = "store_behaviour/copy.rs"]
mod copy;
#[path = "store_behaviour/digest.rs"]
mod digest;
#[path = "store_behaviour/feeds.rs"]
mod feeds;
#[path = "store_behaviour/health.rs"]
mod health;
#[path = "store_behaviour/limits.rs"]
mod limits;
#[path = "store_behaviour/outbox.rs"]
mod outbox;
#[path = "store_behaviour/parking.rs"]
mod parking;
#[path = "store_behaviour/postgres_only.rs"]
mod postgres_only;
#[path = "store_behaviour/push.rs"]
mod push;
#[path = "store_behaviour/sharing.rs"]
mod sharing;

use chrono::{DateTime, TimeDelta, Utc};
use feedhook::fetch::Validators;
use feedhook::parse::{Entry, FeedInfo};
use feedhook::store::{PollRecord, PollSummary, QueueLimits, Store};

use common::pg::TestDatabase;

/// A store and what it needs to live: the database of a PostgreSQL one (declared after the store,
/// so that the store's connections close first).
pub struct Subject {
    pub store: Store,
    _database: Option<TestDatabase>,
}

impl Subject {
    #[must_use]
    pub fn sqlite() -> Self {
        Self {
            store: Store::open_in_memory().expect("a memory store"),
            _database: None,
        }
    }

    pub async fn postgres() -> Self {
        let database = TestDatabase::create().await;
        let store = Store::connect(&database.settings())
            .await
            .expect("the test database accepts the store");
        Self {
            store,
            _database: Some(database),
        }
    }
}

/// Each `module::test` (an `async fn(&Store)`) becomes `sqlite::test` and `postgres::test`.
macro_rules! on_both_backends {
    ($($module:ident :: $name:ident),* $(,)?) => {
        mod sqlite {
            $(
                #[tokio::test]
                async fn $name() {
                    let subject = super::Subject::sqlite();
                    super::$module::$name(&subject.store).await;
                }
            )*
        }
        mod postgres {
            $(
                #[tokio::test]
                async fn $name() {
                    let subject = super::Subject::postgres().await;
                    super::$module::$name(&subject.store).await;
                }
            )*
        }
    };
}

on_both_backends!(
    feeds::first_poll_with_backlog_zero_queues_nothing,
    feeds::first_poll_queues_the_newest_backlog_oldest_first_per_channel,
    feeds::second_poll_queues_exactly_the_new_entries,
    feeds::a_key_repeated_in_a_document_counts_once,
    feeds::keys_are_per_feed,
    feeds::validators_are_replaced_by_each_document,
    feeds::a_new_url_drops_the_validators,
    feeds::failures_count_up_and_a_document_resets_them,
    feeds::a_first_outcome_without_a_document_keeps_the_first_poll_first,
    feeds::notes_move_times_forward_only,
    feeds::feed_states_list_every_feed_by_name,
    feeds::entries_with_any_text_round_trip,
    limits::max_new_holds_back_the_oldest_behind_one_note,
    limits::entries_older_than_not_before_are_seen_not_queued,
    limits::skipped_entries_are_seen_and_never_queued,
    outbox::deliveries_go_out_oldest_first_per_channel,
    outbox::pending_carries_the_entry_and_its_feed,
    outbox::delivered_leaves_the_queue_and_dates_the_channel,
    outbox::a_settled_delivery_cannot_be_settled_again,
    outbox::retries_count_attempts,
    outbox::unanswered_posts_count_apart_from_attempts_until_a_requeue,
    outbox::failed_deliveries_requeue_in_their_place,
    parking::a_removed_channel_is_parked_and_comes_back_in_its_place,
    parking::parking_again_changes_nothing,
    parking::a_card_posted_while_its_channel_was_parked_is_not_posted_again,
    parking::a_digest_posted_while_its_channel_was_parked_is_not_posted_again,
    parking::parked_deliveries_are_pruned_a_retention_period_after_parking,
    outbox::suspension_keeps_the_queue,
    outbox::a_worker_reads_the_standing_and_the_oldest_pending_at_once,
    outbox::a_pause_is_kept_apart_from_suspension_and_lifted,
    outbox::prune_forgets_settled_rows_and_unreferenced_entries,
    outbox::an_entry_listed_within_the_retention_is_kept,
    health::a_failing_streak_starts_at_its_first_failure_and_ends_with_a_delivery,
    health::suspending_a_settled_head_changes_nothing,
    health::the_oldest_beyond_the_cap_become_one_card_in_the_place_of_the_oldest,
    health::a_backlog_within_the_cap_or_uncapped_is_left_alone,
    push::a_subscription_is_kept_and_found_by_its_token,
    push::saving_again_replaces_the_feeds_subscription_and_delete_forgets_it,
    digest::pending_deliveries_come_oldest_first_up_to_the_bound,
    digest::a_parts_deliveries_are_marked_delivered_together,
    digest::the_last_digest_time_is_kept_per_channel,
);

/// A fixed origin plus `minutes`, so that tests read as a timeline.
#[must_use]
pub fn at(minutes: i64) -> DateTime<Utc> {
    DateTime::from_timestamp(1_700_000_000, 0).unwrap() + TimeDelta::minutes(minutes)
}

#[must_use]
pub fn entry(key: &str) -> Entry {
    Entry {
        key: key.to_owned(),
        title: Some(format!("Entry {key}")),
        link: Some(format!("https://example.com/{key}")),
        ..Entry::default()
    }
}

/// One poll with a body, built step by step.
pub struct Poll(pub PollRecord);

impl Poll {
    #[must_use]
    pub fn new(feed: &str, keys: &[&str], channels: &[&str]) -> Self {
        Self(PollRecord {
            feed: feed.to_owned(),
            url: "https://example.com/feed.xml".to_owned(),
            polled_at: at(0),
            validators: Validators::default(),
            info: FeedInfo {
                title: Some(format!("The {feed} feed")),
                link: Some(format!("https://example.com/{feed}")),
            },
            entries: keys.iter().map(|key| entry(key)).collect(),
            channels: channels.iter().map(|c| (*c).to_owned()).collect(),
            backlog: 0,
            next_due_at: at(15),
            limits: QueueLimits::default(),
        })
    }

    #[must_use]
    pub fn backlog(mut self, backlog: usize) -> Self {
        self.0.backlog = backlog;
        self
    }

    #[must_use]
    pub fn at(mut self, minutes: i64) -> Self {
        self.0.polled_at = at(minutes);
        self.0.next_due_at = at(minutes + 15);
        self
    }

    pub async fn run(self, store: &Store) -> PollSummary {
        store.record_poll(self.0).await.unwrap()
    }
}

/// Delivers everything pending for `channel`; returns the entry keys in the order they went.
pub async fn drain(store: &Store, channel: &str) -> Vec<String> {
    let mut keys = Vec::new();
    while let Some(pending) = store.next_pending(channel).await.unwrap() {
        keys.push(pending.entry.key.clone());
        store.mark_delivered(pending.id, at(100)).await.unwrap();
    }
    keys
}
