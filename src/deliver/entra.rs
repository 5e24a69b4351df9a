//! Tokens of Entra ID apps, for Teams workflows restricted to the tenant and for email channels
//! logging in to Exchange Online with XOAUTH2: an app's client-credentials token
//! (<https://learn.microsoft.com/entra/identity-platform/v2-oauth2-client-creds-grant-flow>),
//! asked for once and kept until shortly before it expires, shared by every channel with the same
//! app, tenant, credential and scope. The app proves itself with its client secret, or with an
//! assertion signed by its certificate's key (`assertion`). A flow that answers 401 gets one fresh
//! token and one more try (see `super::post`; a relay refusing the token: `super::email`). A
//! token endpoint that refuses the app (wrong secret or certificate, unknown client or tenant)
//! suspends the channel; one that cannot be reached is retried like any post. Neither the
//! credential nor a token is ever logged: a refusal shows the endpoint's error code and the first
//! line of its description only.

mod assertion;

use std::collections::HashMap;
use std::sync::Arc;
use std::time::{Duration, SystemTime};

use reqwest::header::CONTENT_TYPE;
use serde::Deserialize;
use tokio::sync::Mutex;
use tokio::time::Instant;

use crate::config::{ClientCredential, EntraApp, Redactor, Secret};

use super::answer::{TokenError, transport_error};

/// A token is replaced this long before it expires, so that none expires on its way to the flow.
const EARLY: Duration = Duration::from_secs(300);
/// How much of the token endpoint's answer is read: a token is a few kilobytes.
const LONGEST_ANSWER: usize = 64 * 1024;

/// The tokens of every app, by app, tenant, scope and credential, and the client that asks
/// for them.
pub struct EntraTokens {
    cache: Mutex<HashMap<AppKey, Cached>>,
    client: reqwest::Client,
    redactor: Arc<Redactor>,
}

type AppKey = (String, String, String, String);

struct Cached {
    token: Secret,
    refresh_at: Instant,
}

fn key_of(app: &EntraApp) -> AppKey {
    (
        app.token_url.to_string(),
        app.client_id.clone(),
        app.scope.clone(),
        match &app.credential {
            ClientCredential::Secret(secret) => format!("secret {}", secret.expose()),
            ClientCredential::Certificate(certificate) => {
                format!("certificate {}", certificate.sha256_thumbprint)
            }
        },
    )
}

impl EntraTokens {
    /// An empty cache whose tokens are asked for through `client` (the webhooks' pool), the
    /// endpoint's answers masked by `redactor`.
    pub(super) fn new(client: reqwest::Client, redactor: Arc<Redactor>) -> Self {
        Self {
            cache: Mutex::default(),
            client,
            redactor,
        }
    }

    /// A token for `app`: the cached one while it is fresh, else a new one from its tenant.
    /// The lock is held while asking, so channels sharing an app ask once.
    pub(super) async fn token(
        &self,
        app: &EntraApp,
        timeout: Duration,
    ) -> Result<Secret, TokenError> {
        let mut cache = self.cache.lock().await;
        let key = key_of(app);
        if let Some(cached) = cache.get(&key).filter(|c| Instant::now() < c.refresh_at) {
            return Ok(cached.token.clone());
        }
        let (token, lifetime) = request_token(&self.client, &self.redactor, app, timeout).await?;
        let early = EARLY.min(lifetime / 2);
        let refresh_at = Instant::now() + lifetime.saturating_sub(early);
        cache.insert(
            key,
            Cached {
                token: token.clone(),
                refresh_at,
            },
        );
        Ok(token)
    }

    /// Drops `app`'s token (a flow or a relay refused it), unless another channel replaced it
    /// already.
    pub(super) async fn forget(&self, app: &EntraApp, refused: &Secret) {
        let mut cache = self.cache.lock().await;
        let key = key_of(app);
        if cache
            .get(&key)
            .is_some_and(|cached| cached.token == *refused)
        {
            cache.remove(&key);
        }
    }
}

#[derive(Deserialize)]
struct Granted {
    access_token: String,
    expires_in: Lifetime,
}

/// Entra answers `expires_in` as a number; some proxies and older endpoints as a string.
#[derive(Deserialize)]
#[serde(untagged)]
enum Lifetime {
    Seconds(u64),
    Text(String),
}

#[derive(Deserialize)]
struct Refusal {
    error: String,
    #[serde(default)]
    error_description: String,
}

/// Asks `app`'s token endpoint for a token: the token and how long it lives.
async fn request_token(
    client: &reqwest::Client,
    redactor: &Redactor,
    app: &EntraApp,
    timeout: Duration,
) -> Result<(Secret, Duration), TokenError> {
    let form = token_form(app)?;
    let unavailable = |error: &reqwest::Error| {
        let error = transport_error(error, timeout).redacted(redactor);
        TokenError::Unavailable(error.to_string())
    };
    let response = client
        .post(app.token_url.clone())
        .header(CONTENT_TYPE, "application/x-www-form-urlencoded")
        .body(form)
        .timeout(timeout)
        .send()
        .await
        .map_err(|e| unavailable(&e))?;
    let status = response.status().as_u16();
    let body = response.bytes().await.map_err(|e| unavailable(&e))?;
    let body = &body[..body.len().min(LONGEST_ANSWER)];
    judge(status, body, redactor)
}

/// The token request's form: the app, its secret or signed assertion, the scope.
fn token_form(app: &EntraApp) -> Result<String, TokenError> {
    let mut form = url::form_urlencoded::Serializer::new(String::new());
    form.append_pair("client_id", &app.client_id);
    match &app.credential {
        ClientCredential::Secret(secret) => {
            form.append_pair("client_secret", secret.expose());
        }
        ClientCredential::Certificate(certificate) => {
            let signed = assertion::client_assertion(app, certificate, SystemTime::now())
                .map_err(TokenError::Unavailable)?;
            form.append_pair("client_assertion_type", assertion::ASSERTION_TYPE)
                .append_pair("client_assertion", &signed);
        }
    }
    Ok(form
        .append_pair("scope", &app.scope)
        .append_pair("grant_type", "client_credentials")
        .finish())
}

/// What the token endpoint's answer (`status`, `body`) gives.
fn judge(status: u16, body: &[u8], redactor: &Redactor) -> Result<(Secret, Duration), TokenError> {
    if (200..300).contains(&status) {
        let granted: Granted = serde_json::from_slice(body).map_err(|_| {
            TokenError::Unavailable(format!(
                "the token endpoint answered {status} without a token"
            ))
        })?;
        let seconds = match granted.expires_in {
            Lifetime::Seconds(seconds) => Some(seconds),
            Lifetime::Text(text) => text.trim().parse().ok(),
        };
        let lifetime = Duration::from_secs(seconds.unwrap_or(0));
        if granted.access_token.is_empty() || lifetime.is_zero() {
            return Err(TokenError::Unavailable(
                "the token endpoint answered an empty or expired token".to_owned(),
            ));
        }
        return Ok((Secret::new(granted.access_token), lifetime));
    }
    let said = serde_json::from_slice::<Refusal>(body).ok().map(|refusal| {
        let description = first_line(&refusal.error_description);
        let said = if description.is_empty() {
            refusal.error
        } else {
            format!("{}: {description}", refusal.error)
        };
        redactor.redact(&printable(&said)).into_owned()
    });
    let said = said.map_or_else(
        || format!("HTTP {status}"),
        |said| format!("HTTP {status}, {said}"),
    );
    if matches!(status, 400 | 401 | 403 | 404) {
        Err(TokenError::Refused(said))
    } else {
        Err(TokenError::Unavailable(format!(
            "the token endpoint answered {said}"
        )))
    }
}

/// The description's first line: Entra appends trace and correlation ids on the next ones.
fn first_line(text: &str) -> &str {
    text.lines().next().unwrap_or_default().trim()
}

/// `text` without control characters, at most 300 characters.
fn printable(text: &str) -> String {
    text.chars().filter(|c| !c.is_control()).take(300).collect()
}

#[cfg(test)]
mod tests;
