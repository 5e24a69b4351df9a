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
//! - `callback`: the HTTP side of the callback path, served on the `[http] listen` server: the
//!   verification GET, and the content the hub pushes, handed to an [`Intake`] once its signature
//!   (`signature`) holds.
//!
//! The poll stage finds the hubs ([`crate::parse::HubLinks`], in each poll's report); the daemon
//! hands them to the subscriber and serves its callbacks.

mod callback;
pub mod lifecycle;
pub mod signature;
pub mod subscriber;
mod verify;

pub use callback::{Content, Ignored, Intake, respond};
pub use lifecycle::{Standing, standing};
pub use signature::SignatureError;
pub use subscriber::{CALLBACK_PREFIX, Change, Recipient, Subscriber};
pub use verify::Verification;
