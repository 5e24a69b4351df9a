//! Sending one rendered payload: an HTTP request to a webhook or a platform's API (built in
//! [`super::request`]), a message through an email channel's relay ([`super::email`]), or a print
//! for a console channel. What came back is read and judged in [`super::answer`].

use std::io::Write;
use std::sync::Arc;
use std::time::Duration;

use futures_util::future::BoxFuture;
use reqwest::header::{AUTHORIZATION, HeaderMap, HeaderValue};
use tokio::sync::OnceCell;

use crate::config::{
    Address, Channel, ChannelKind, EmailSettings, EntraApp, MatrixRoom, Redactor, Secret, SecretUrl,
};
use crate::render::Payload;

use super::answer::{self, PostError, Sent, TokenError};
use super::email::Mailer;
use super::entra::EntraTokens;
use super::request::{Request, matrix_alias_lookup, post_request, room_id_of};
use super::verdict::Answer;

/// Something that takes a channel's rendered payloads: the real [`Target`], or a scripted stand-in in
/// tests that run the worker under paused time.
pub trait Destination: Send + Sync + std::fmt::Display {
    /// Sends one payload and tells what came of it. `delivery_key` identifies the delivery across
    /// retries (the generic webhook's `Idempotency-Key`).
    fn send<'a>(&'a self, delivery_key: &'a str, payload: &'a Payload) -> BoxFuture<'a, Sent>;
}

/// The HTTP client for webhooks: one connection pool, redirects never followed (a webhook that
/// redirects is misconfigured, and following it could send the card somewhere unintended). What
/// the webhook answers is masked by the config's redactor before anyone reads it.
#[derive(Clone)]
pub struct Poster {
    client: reqwest::Client,
    redactor: Arc<Redactor>,
    /// Entra ID tokens of Teams workflows restricted to the tenant, shared by their channels.
    tokens: Arc<EntraTokens>,
}

impl Poster {
    pub fn new(redactor: &Arc<Redactor>) -> Result<Self, PostError> {
        let client = reqwest::Client::builder()
            .user_agent(concat!("feedhook/", env!("CARGO_PKG_VERSION")))
            .redirect(reqwest::redirect::Policy::none())
            .connect_timeout(Duration::from_secs(10))
            .build()
            .map_err(|e| PostError::Network(e.to_string()))?;
        let tokens = EntraTokens::new(client.clone(), Arc::clone(redactor));
        Ok(Self {
            client,
            redactor: Arc::clone(redactor),
            tokens: Arc::new(tokens),
        })
    }

    pub(super) fn tokens(&self) -> &Arc<EntraTokens> {
        &self.tokens
    }

    /// The mailer of the email channel `channel`, whose app (`auth = "entra"`) gets its tokens
    /// from this poster's cache; `timeout` bounds each send.
    ///
    /// # Errors
    ///
    /// The relay's TLS cannot be set up.
    pub fn mailer(
        &self,
        channel: &str,
        settings: &EmailSettings,
        timeout: Duration,
    ) -> Result<Mailer, PostError> {
        Mailer::new(channel, settings, (&self.tokens, &self.redactor), timeout)
    }

    /// Sends `request` and reads the answer, all within `timeout` (the channel's).
    pub async fn send(&self, request: Request, timeout: Duration) -> Result<Answer, PostError> {
        let response = self
            .client
            .request(request.method, request.url)
            .headers(request.headers)
            .body(request.body)
            .timeout(timeout)
            .send()
            .await
            .map_err(|e| answer::transport_error(&e, timeout).redacted(&self.redactor))?;
        Ok(answer::receive(response, &self.redactor).await)
    }
}

/// Where a channel's payloads go.
// One per channel, behind an `Arc`: boxing the larger variant would save nothing.
#[allow(clippy::large_enum_variant)]
#[derive(Clone)]
pub enum Target {
    Webhook {
        url: SecretUrl,
        address: Address,
        poster: Poster,
        kind: ChannelKind,
        headers: HeaderMap,
        /// A Matrix room alias's room id, asked of the homeserver once.
        room_id: Arc<OnceCell<String>>,
        /// The deadline of one request (the channel's `timeout`).
        timeout: Duration,
    },
    Email(Arc<Mailer>),
    Console,
}

impl Target {
    /// The target for `channel`, sharing `poster`'s connection pool (an email channel gets its
    /// relay's mailer). Fails only when an email channel's TLS cannot be set up.
    pub fn for_channel(channel: &Channel, poster: &Poster) -> Result<Self, PostError> {
        if let Address::Email(email) = &channel.address {
            let timeout = channel.delivery.timeout;
            let mailer = poster.mailer(&channel.name, email, timeout)?;
            return Ok(Self::Email(Arc::new(mailer)));
        }
        Ok(match &channel.url {
            Some(url) if channel.kind != ChannelKind::Console => Self::Webhook {
                url: url.clone(),
                address: channel.address.clone(),
                poster: poster.clone(),
                kind: channel.kind,
                headers: channel.headers.clone(),
                room_id: Arc::new(OnceCell::new()),
                timeout: channel.delivery.timeout,
            },
            _ => Self::Console,
        })
    }

    /// Sends `payload` to a webhook or API and returns its answer, unjudged (`test-webhook` shows
    /// it). A Matrix alias is resolved first; if that fails, the directory's answer is returned.
    ///
    /// # Errors
    ///
    /// When no answer came, or this is the console.
    pub async fn exchange(
        &self,
        delivery_key: &str,
        payload: &Payload,
    ) -> Result<Answer, PostError> {
        let Self::Webhook {
            url,
            address,
            poster,
            kind,
            headers,
            room_id,
            timeout,
        } = self
        else {
            return Err(PostError::WrongPayload(
                "only webhooks and platform APIs take an HTTP request",
            ));
        };
        let room = match address {
            Address::Matrix(room) if room.is_alias() => match room_id.get() {
                Some(id) => id.as_str(),
                None => match resolve_alias(poster, url, room, *timeout).await? {
                    Ok(id) => room_id.get_or_init(|| async { id }).await.as_str(),
                    Err(answer) => return Ok(answer),
                },
            },
            Address::Matrix(room) => room.room.as_str(),
            _ => "",
        };
        let build = || post_request(*kind, (url, address), room, headers, delivery_key, payload);
        match address {
            Address::Workflow(app) => send_authorized(poster, app, build, *timeout).await,
            _ => poster.send(build(), *timeout).await,
        }
    }
}

/// The room id `room`'s alias points to, or the directory's answer when it names none.
async fn resolve_alias(
    poster: &Poster,
    homeserver: &SecretUrl,
    room: &MatrixRoom,
    timeout: Duration,
) -> Result<Result<String, Answer>, PostError> {
    let lookup = matrix_alias_lookup(homeserver.expose(), room);
    let answer = poster.send(lookup, timeout).await?;
    match room_id_of(&answer.body) {
        Some(id) if (200..300).contains(&answer.status) => {
            tracing::info!(room = %room.room, room_id = %id, "resolved the Matrix room alias");
            Ok(Ok(id))
        }
        _ => Ok(Err(answer)),
    }
}

impl Destination for Target {
    fn send<'a>(&'a self, delivery_key: &'a str, payload: &'a Payload) -> BoxFuture<'a, Sent> {
        Box::pin(async move {
            let printed = match (self, payload) {
                (Self::Webhook { kind, url, .. }, Payload::Json(_) | Payload::Body(_)) => {
                    let posted = self.exchange(delivery_key, payload).await;
                    return answer::judge_post(*kind, url, posted);
                }
                (Self::Console, Payload::Text(text) | Payload::Body(text)) => {
                    print_to_console(text)
                }
                (Self::Console, Payload::Json(body)) => print_to_console(&body.to_string()),
                (Self::Email(mailer), Payload::Email(parts)) => return mailer.send(parts).await,
                (Self::Webhook { .. }, Payload::Text(_)) => Err(PostError::WrongPayload(
                    "a webhook cannot post a text payload",
                )),
                (Self::Email(_), _) => Err(PostError::WrongPayload(
                    "an email channel sends only email payloads",
                )),
                (_, Payload::Email(_)) => Err(PostError::WrongPayload(
                    "an email payload needs an email channel",
                )),
            };
            answer::judge_print(printed)
        })
    }
}

impl std::fmt::Display for Target {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Self::Webhook { url, .. } => url.fmt(f),
            Self::Email(mailer) => mailer.fmt(f),
            Self::Console => f.write_str("stdout"),
        }
    }
}

fn print_to_console(text: &str) -> Result<(), PostError> {
    let mut stdout = std::io::stdout().lock();
    writeln!(stdout, "{text}")
        .and_then(|()| stdout.flush())
        .map_err(|e| PostError::Console(e.to_string()))
}

/// Posts to a workflow restricted to the tenant: `build` makes the request, which gets `app`'s
/// token; a 401 gets one fresh token and one more try.
async fn send_authorized(
    poster: &Poster,
    app: &EntraApp,
    build: impl Fn() -> Request,
    timeout: Duration,
) -> Result<Answer, PostError> {
    let tokens = poster.tokens();
    let token = tokens.token(app, timeout).await?;
    let answer = poster.send(with_token(build(), &token)?, timeout).await?;
    if answer.status != 401 {
        return Ok(answer);
    }
    tracing::info!("the workflow refused the app's token (HTTP 401); asking for a fresh one");
    tokens.forget(app, &token).await;
    let token = tokens.token(app, timeout).await?;
    poster.send(with_token(build(), &token)?, timeout).await
}

fn with_token(mut request: Request, token: &Secret) -> Result<Request, PostError> {
    let mut value = HeaderValue::try_from(format!("Bearer {}", token.expose())).map_err(|_| {
        PostError::Token(TokenError::Refused(
            "the token endpoint answered a token that is not a header value".to_owned(),
        ))
    })?;
    value.set_sensitive(true);
    request.headers.insert(AUTHORIZATION, value);
    Ok(request)
}
