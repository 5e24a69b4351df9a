//! The callback, `/websub/TOKEN` on the `[http] listen` server: the hub's verification GET, answered
//! from the subscriber. Everything else about a callback is refused with as little as possible: a
//! 404 says nothing about which tokens exist.

use std::sync::Arc;

use http_body_util::Full;
use hyper::body::{Bytes, Incoming};
use hyper::header::{ALLOW, CONTENT_TYPE, HeaderValue};
use hyper::{Method, Request, Response, StatusCode};

use super::subscriber::{CALLBACK_PREFIX, Subscriber};
use super::verify::Verification;

/// Answers one request on a callback path.
pub async fn respond(
    subscriber: Arc<Subscriber>,
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
    if request.method() != Method::GET {
        let mut response = reply(StatusCode::METHOD_NOT_ALLOWED, "");
        response
            .headers_mut()
            .insert(ALLOW, HeaderValue::from_static("GET"));
        return response;
    }
    let query = Verification::from_query(request.uri().query().unwrap_or_default());
    match subscriber.verify(&token, &query).await {
        Some(challenge) => reply(StatusCode::OK, challenge),
        None => reply(StatusCode::NOT_FOUND, ""),
    }
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
