//! The callback, `/websub/TOKEN` on the `[http] listen` server: the hub's verification GET,
//! answered from the subscriber, and its content distribution POST (WebSub §7).
//!
//! A push is read up to the feed's `max_body`, like a fetch, and its `X-Hub-Signature` checked
//! against the subscription's secret before anything parses it. A push that is unsigned or
//! wrongly signed — a thin ping too — is ignored and counted, and answered `202 Accepted` all
//! the same: §7 allows it, and a forger learns nothing from the answer (no oracle to try
//! signatures against, no cue to send again). A POST for a callback we do not know, or whose feed
//! no longer pushes, is answered `410 Gone`, which tells the hub to end the subscription.
//! Everything else is refused with as little as possible: a 404 says nothing about which tokens
//! exist.

use std::sync::Arc;

use futures_util::future::BoxFuture;
use http_body_util::{BodyExt, Full, LengthLimitError, Limited};
use hyper::body::{Bytes, Incoming};
use hyper::header::{ALLOW, CONTENT_LENGTH, CONTENT_TYPE, HeaderValue};
use hyper::{Method, Request, Response, StatusCode};

use super::signature::{self, SignatureError};
use super::subscriber::{CALLBACK_PREFIX, Recipient, Subscriber};
use super::verify::Verification;
use crate::fetch::parse_charset;

/// What a hub pushed for one feed, its signature verified.
#[derive(Debug, Clone)]
pub struct Content {
    /// The feed's name in the config.
    pub feed: String,
    pub body: Vec<u8>,
    /// The charset its `Content-Type` names.
    pub charset: Option<String>,
}

/// Why a push was ignored.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Ignored {
    Signature(SignatureError),
    /// Larger than the feed's `max_body`: its signature cannot be checked without reading it.
    TooLarge,
}

/// What becomes of the pushes the callback receives: the daemon records their content (through
/// the poll stage) and counts them.
pub trait Intake: Send + Sync + 'static {
    /// An authentic push. Whether it was taken in; `false` (the state failed) asks the hub to
    /// deliver it again.
    fn take(&self, content: Content) -> BoxFuture<'static, bool>;

    /// A push for `feed` that was ignored.
    fn ignored(&self, feed: &str, why: Ignored);
}

/// Answers one request on a callback path.
pub async fn respond(
    subscriber: Arc<Subscriber>,
    intake: Arc<dyn Intake>,
    request: Request<Incoming>,
) -> Response<Full<Bytes>> {
    let Some(token) = request
        .uri()
        .path()
        .strip_prefix(CALLBACK_PREFIX)
        .filter(|token| !token.is_empty() && !token.contains('/'))
        .map(str::to_owned)
    else {
        return reply(StatusCode::NOT_FOUND, "");
    };
    match *request.method() {
        Method::GET => {
            let query = Verification::from_query(request.uri().query().unwrap_or_default());
            match subscriber.verify(&token, &query).await {
                Some(challenge) => reply(StatusCode::OK, challenge),
                None => reply(StatusCode::NOT_FOUND, ""),
            }
        }
        Method::POST => match subscriber.recipient(&token).await {
            Some(recipient) => receive(&recipient, intake.as_ref(), request).await,
            None => reply(StatusCode::GONE, ""),
        },
        _ => {
            let mut response = reply(StatusCode::METHOD_NOT_ALLOWED, "");
            response
                .headers_mut()
                .insert(ALLOW, HeaderValue::from_static("GET, POST"));
            response
        }
    }
}

/// Reads, checks and hands on one push for `recipient`.
async fn receive(
    recipient: &Recipient,
    intake: &dyn Intake,
    request: Request<Incoming>,
) -> Response<Full<Bytes>> {
    let (head, body) = request.into_parts();
    let declared = head
        .headers
        .get(CONTENT_LENGTH)
        .and_then(|value| value.to_str().ok()?.parse::<u64>().ok());
    if declared.is_some_and(|length| length > recipient.max_body) {
        return too_large(recipient, intake);
    }
    let limit = usize::try_from(recipient.max_body).unwrap_or(usize::MAX);
    let body = match Limited::new(body, limit).collect().await {
        Ok(body) => body.to_bytes(),
        Err(error) if error.is::<LengthLimitError>() => return too_large(recipient, intake),
        // The hub went away mid-body: there is no one to answer.
        Err(_) => return reply(StatusCode::BAD_REQUEST, ""),
    };
    let header = head
        .headers
        .get(signature::HEADER)
        .map(HeaderValue::as_bytes);
    if let Err(error) = signature::check(header, &recipient.secret, &body) {
        tracing::warn!(feed = %recipient.shown_feed(), reason = %error, "ignored a push that does not carry the hub's signature");
        intake.ignored(&recipient.feed, Ignored::Signature(error));
        return reply(StatusCode::ACCEPTED, "");
    }
    let charset = head
        .headers
        .get(CONTENT_TYPE)
        .and_then(|value| value.to_str().ok())
        .and_then(parse_charset);
    let content = Content {
        feed: recipient.feed.clone(),
        body: body.to_vec(),
        charset,
    };
    if intake.take(content).await {
        reply(StatusCode::ACCEPTED, "")
    } else {
        reply(StatusCode::SERVICE_UNAVAILABLE, "")
    }
}

fn too_large(recipient: &Recipient, intake: &dyn Intake) -> Response<Full<Bytes>> {
    tracing::warn!(feed = %recipient.shown_feed(), max_body = recipient.max_body, "ignored a push larger than the feed's max_body");
    intake.ignored(&recipient.feed, Ignored::TooLarge);
    reply(StatusCode::PAYLOAD_TOO_LARGE, "")
}

fn reply(status: StatusCode, body: impl Into<Bytes>) -> Response<Full<Bytes>> {
    let mut response = Response::new(Full::new(body.into()));
    *response.status_mut() = status;
    response.headers_mut().insert(
        CONTENT_TYPE,
        HeaderValue::from_static("text/plain; charset=utf-8"),
    );
    response
}
