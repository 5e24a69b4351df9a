//! Which strings of a validated config are secrets, as they are sent and as a server may decode
//! them:
//!
//! - the access token of a Matrix or Telegram channel (whose URL is its server's, not secret),
//!   and an ntfy channel's topic URL, token or password;
//! - a webhook URL is a secret whole: the URL itself, its path and query, each path segment and
//!   query value, and its login;
//! - a feed URL's login and query values (its path is shown in logs and `status`);
//! - header values of feeds and generic channels, whole and word by word (`Bearer TOKEN`),
//!   except those of headers that carry no credential by definition (`Accept`, …);
//! - passwords and bearer tokens of feeds, with the `Authorization: Basic` value they make;
//! - a proxy's URL and login;
//! - an email channel's relay password, with the `AUTH PLAIN` and `AUTH LOGIN` values it makes;
//! - the client secret of an Entra ID app (a Teams workflow's, or an email channel's);
//! - the database URL, whole, and its password.
//!
//! URL parts and header values are often not secret (`/services/`, `X-Source: feedhook`): one
//! that is a plain word — letters, `-`, `_` and `.` only, no digit — is left out, since masking it
//! would mask that word in every log line. A password or a token is a secret whatever it looks
//! like, and so is any value of a header whose name says it holds one.

use std::collections::{BTreeMap, BTreeSet};

use base64::Engine;
use reqwest::header::HeaderMap;
use url::Url;

use crate::config::{
    Address, Channel, ClientCredential, Credentials, DatabaseSettings, EntraApp, Feed, ProxySetting,
};

/// Headers whose values describe the request, never who sends it.
const NOT_CREDENTIALS: &[&str] = &[
    "accept",
    "accept-language",
    "cache-control",
    "content-type",
    "pragma",
];

/// Words in a header name that say its value is a credential.
const CREDENTIAL_NAMES: &[&str] = &[
    "auth",
    "cookie",
    "credential",
    "key",
    "pass",
    "secret",
    "session",
    "signature",
    "token",
];

/// Every secret of `channels`, `feeds` and the `database`, each once.
pub(in crate::config) fn secrets_of(
    channels: &BTreeMap<String, Channel>,
    feeds: &[Feed],
    database: Option<&DatabaseSettings>,
) -> Vec<String> {
    let mut found = Secrets::default();
    if let Some(database) = database {
        found.always(database.url.expose());
        if let Ok(url) = Url::parse(database.url.expose()) {
            found.login(&url);
        }
    }
    for channel in channels.values() {
        match (&channel.address, &channel.url) {
            (Address::Matrix(room), _) => found.always(room.token.expose()),
            (Address::Telegram(chat), _) => found.always(chat.token.expose()),
            (Address::Ntfy(topic), url) => {
                if let Some(url) = url {
                    found.webhook_url(url.expose());
                }
                found.credentials(topic.auth.as_ref());
            }
            (Address::Webhook, Some(url)) => found.webhook_url(url.expose()),
            (Address::Workflow(app), url) => {
                if let Some(url) = url {
                    found.webhook_url(url.expose());
                }
                found.app(app);
            }
            (Address::Email(email), Some(url)) => {
                found.webhook_url(url.expose());
                if let Some(login) = &email.login {
                    found.smtp_login(&login.username, login.password.expose());
                }
                if let Some(oauth) = &email.oauth {
                    found.app(&oauth.app);
                }
            }
            (Address::Webhook | Address::Email(_), None) => {}
        }
        found.headers(&channel.headers);
    }
    for feed in feeds {
        found.login(&feed.url);
        found.query_values(&feed.url);
        found.headers(&feed.fetch.headers);
        found.credentials(feed.fetch.credentials.as_ref());
        if let ProxySetting::Url(proxy) = &feed.fetch.transport.proxy {
            found.always(proxy.expose().as_str());
            found.login(proxy.expose());
        }
    }
    found.0.into_iter().collect()
}

#[derive(Default)]
struct Secrets(BTreeSet<String>);

impl Secrets {
    /// An Entra ID app's client secret; a certificate's key never leaves its signer as text.
    fn app(&mut self, app: &EntraApp) {
        if let ClientCredential::Secret(secret) = &app.credential {
            self.always(secret.expose());
        }
    }

    fn always(&mut self, secret: &str) {
        if !secret.is_empty() && !self.0.contains(secret) {
            self.0.insert(secret.to_owned());
        }
    }

    /// `part` as written in a URL, and percent-decoded, unless it is a plain word.
    fn url_part(&mut self, part: &str) {
        if is_plain_word(part) {
            return;
        }
        self.always(part);
        if let Ok(decoded) = percent_encoding::percent_decode_str(part).decode_utf8() {
            self.always(&decoded);
        }
    }

    fn webhook_url(&mut self, url: &Url) {
        self.always(url.as_str());
        if url.path() != "/" {
            self.always(url.path());
        }
        for segment in url.path_segments().into_iter().flatten() {
            self.url_part(segment);
        }
        if let Some(query) = url.query() {
            self.always(query);
        }
        self.query_values(url);
        self.login(url);
    }

    fn query_values(&mut self, url: &Url) {
        for pair in url.query().into_iter().flat_map(|query| query.split('&')) {
            let value = pair.split_once('=').map_or(pair, |(_, value)| value);
            self.url_part(value);
        }
        for (_, value) in url.query_pairs() {
            if !is_plain_word(&value) {
                self.always(&value);
            }
        }
    }

    /// The user (unless a plain word: a token is often sent as the user) and the password of
    /// `url`, with the `Authorization: Basic` value they make.
    fn login(&mut self, url: &Url) {
        self.url_part(url.username());
        let Some(password) = url.password() else {
            return;
        };
        self.always(password);
        let decode = |text| percent_encoding::percent_decode_str(text).decode_utf8_lossy();
        self.basic_auth(&decode(url.username()), &decode(password));
    }

    fn credentials(&mut self, credentials: Option<&Credentials>) {
        match credentials {
            Some(Credentials::Basic { username, password }) => {
                self.basic_auth(username, password.expose());
            }
            Some(Credentials::Bearer(token)) => self.always(token.expose()),
            None => {}
        }
    }

    fn basic_auth(&mut self, username: &str, password: &str) {
        self.always(password);
        let pair = format!("{username}:{password}");
        self.always(&base64::engine::general_purpose::STANDARD.encode(&pair));
        self.always(&pair);
    }

    /// SMTP's `AUTH PLAIN` sends `\0user\0password` and `AUTH LOGIN` the password alone, each in
    /// base64: a relay's error may quote either.
    fn smtp_login(&mut self, username: &str, password: &str) {
        self.always(password);
        let engine = base64::engine::general_purpose::STANDARD;
        self.always(&engine.encode(format!("\0{username}\0{password}")));
        self.always(&engine.encode(password));
    }

    fn headers(&mut self, headers: &HeaderMap) {
        for (name, value) in headers {
            let name = name.as_str();
            if NOT_CREDENTIALS.contains(&name) {
                continue;
            }
            let value = String::from_utf8_lossy(value.as_bytes());
            if CREDENTIAL_NAMES.iter().any(|word| name.contains(word)) || !is_plain_word(&value) {
                self.always(&value);
            }
            for word in value.split_whitespace().filter(|word| !is_plain_word(word)) {
                self.always(word);
            }
        }
    }
}

/// Letters, `-`, `_` and `.` only: a word of a route or a setting, not a credential.
fn is_plain_word(text: &str) -> bool {
    text.chars()
        .all(|c| c.is_ascii_alphabetic() || matches!(c, '-' | '_' | '.'))
}

#[cfg(test)]
mod tests;
