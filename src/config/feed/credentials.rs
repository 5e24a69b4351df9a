//! A feed's credentials: `basic_auth = { username, password | password_file }`, `bearer_token` or
//! `bearer_token_file`. Passwords and tokens take `${VAR}` (or live in a file, e.g. one of systemd's
//! `LoadCredential=`), and no message here ever repeats one.

use std::fmt;
use std::ops::Range;

use reqwest::header::HeaderValue;
use toml::Spanned;

use crate::config::context::Context;
use crate::config::raw::{BasicAuthRaw, FeedRaw};
use crate::config::report::{Report, key_path};
use crate::config::secret::{Secret, read_secret, without_final_line_break};

/// HTTP authentication for a feed.
#[derive(Clone, PartialEq, Eq)]
pub enum Credentials {
    /// `Authorization: Basic …` (RFC 7617).
    Basic { username: String, password: Secret },
    /// `Authorization: Bearer …` (RFC 6750).
    Bearer(Secret),
}

impl fmt::Debug for Credentials {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Basic { username, .. } => write!(f, "Basic({username:?}, password: …)"),
            Self::Bearer(_) => f.write_str("Bearer(…)"),
        }
    }
}

const ONE_OF: &str = "set only one of basic_auth, bearer_token and bearer_token_file";

/// The credential keys the table sets, in the order of [`credentials`]' precedence, each with
/// where it is written.
pub(super) fn keys_set(raw: &FeedRaw) -> Vec<(&'static str, Range<usize>)> {
    [
        ("basic_auth", raw.basic_auth.as_ref().map(Spanned::span)),
        ("bearer_token", raw.bearer_token.as_ref().map(Spanned::span)),
        (
            "bearer_token_file",
            raw.bearer_token_file.as_ref().map(Spanned::span),
        ),
    ]
    .into_iter()
    .filter_map(|(key, span)| Some((key, span?)))
    .collect()
}

/// The credentials the table at `path` sets; `None` when it sets none or they are wrong (reported).
pub(super) fn credentials(
    raw: &FeedRaw,
    path: &str,
    ctx: &Context<'_>,
    report: &mut Report,
) -> Option<Credentials> {
    let set = keys_set(raw);
    if set.len() > 1 {
        for (key, span) in &set[1..] {
            report.error(span.clone(), &key_path(path, key), ONE_OF);
        }
        return None;
    }
    if let Some(basic) = &raw.basic_auth {
        return basic_auth(basic, &key_path(path, "basic_auth"), ctx, report);
    }
    let (key, span, token) = match (&raw.bearer_token, &raw.bearer_token_file) {
        (Some(token), _) => ("bearer_token", token.span(), ctx.expand(token.get_ref())),
        (None, Some(file)) => (
            "bearer_token_file",
            file.span(),
            // A token has no spaces: a file's surrounding whitespace is never part of it.
            read_secret_file(file.get_ref(), ctx, "bearer token").map(|t| t.trim().to_owned()),
        ),
        (None, None) => return None,
    };
    match token.and_then(|token| bearer_token(&token)) {
        Ok(token) => Some(Credentials::Bearer(Secret::new(token))),
        Err(message) => {
            report.error(span, &key_path(path, key), message);
            None
        }
    }
}

fn basic_auth(
    raw: &Spanned<BasicAuthRaw>,
    path: &str,
    ctx: &Context<'_>,
    report: &mut Report,
) -> Option<Credentials> {
    let table = raw.get_ref();
    let username = match &table.username {
        None => {
            report.error(
                raw.span(),
                &key_path(path, "username"),
                "missing key username",
            );
            None
        }
        Some(name) => ctx
            .expand(name.get_ref())
            .and_then(|name| username(&name))
            .map_err(|message| report.error(name.span(), &key_path(path, "username"), message))
            .ok(),
    };
    let password = match (&table.password, &table.password_file) {
        (Some(password), None) => ctx
            .expand(password.get_ref())
            .map_err(|message| report.error(password.span(), &key_path(path, "password"), message))
            .ok(),
        (None, Some(file)) => read_secret_file(file.get_ref(), ctx, "password")
            .map_err(|message| report.error(file.span(), &key_path(path, "password_file"), message))
            .ok(),
        (Some(_), Some(file)) => {
            let message = "set either password or password_file, not both";
            report.error(file.span(), &key_path(path, "password_file"), message);
            None
        }
        (None, None) => {
            let message = "missing key password (or password_file, a file holding it)";
            report.error(raw.span(), &key_path(path, "password"), message);
            None
        }
    };
    Some(Credentials::Basic {
        username: username?,
        password: Secret::new(password?),
    })
}

/// RFC 7617 forbids a colon in the user-id: the server would split the pair there.
fn username(name: &str) -> Result<String, String> {
    if name.is_empty() {
        return Err("the username is empty".to_owned());
    }
    if name.contains(':') {
        return Err("the username cannot contain \":\" (Basic authentication splits there)".into());
    }
    if name.chars().any(char::is_control) {
        return Err("the username contains a control character".to_owned());
    }
    Ok(name.to_owned())
}

fn bearer_token(token: &str) -> Result<String, String> {
    if token.is_empty() {
        return Err("the bearer token is empty".to_owned());
    }
    let valid = !token.contains(char::is_whitespace)
        && HeaderValue::from_str(&format!("Bearer {token}")).is_ok();
    if !valid {
        return Err(
            "the bearer token is not valid in an HTTP header (visible ASCII characters without \
             spaces only)"
                .to_owned(),
        );
    }
    Ok(token.to_owned())
}

/// Reads the secret a `*_file` key names, without its final line break.
fn read_secret_file(name: &str, ctx: &Context<'_>, what: &str) -> Result<String, String> {
    read_secret(&ctx.path(name)?, what, without_final_line_break)
}

#[cfg(test)]
mod tests;
