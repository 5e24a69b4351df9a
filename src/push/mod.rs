//! WebSub push (W3C WebSub Recommendation, subscriber side): feeds that advertise a hub are
//! subscribed to, so that the hub pushes each update within seconds; polling goes on, slower,
//! as the safety net.
//!
//! - `lifecycle`: the decisions over one subscription and the time — subscribe, keep, renew,
//!   lapse, back off a failing hub.
//! - `verify`: the hub's verification of intent, confirmed only for a request of ours still
//!   waiting whose topic matches.
//! - [`subscriber`]: carries the decisions out against the hubs (through the fetcher's guarded
//!   client) and the store.
//! - `callback`: the HTTP side of the callback path, served on the `[http] listen` server.
//!
//! The poll stage finds the hubs ([`crate::parse::HubLinks`], in each poll's report); the daemon
//! hands them to the subscriber and serves its callbacks.

mod callback;
mod lifecycle;
pub mod subscriber;
mod verify;

pub use callback::respond;
pub use subscriber::{CALLBACK_PREFIX, Subscriber};
pub use verify::Verification;
