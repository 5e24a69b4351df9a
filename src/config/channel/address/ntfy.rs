//! An ntfy channel: its topic URL (`url` or `url_file`, a secret like any webhook, since on a
//! public server knowing the topic is what lets one read and write it), and the login its server
//! may want: an access token (`token` / `token_file`), or `username` with `password_file`.
//! <https://docs.ntfy.sh/publish/#authentication>

use super::super::kind::ChannelKind;
use super::super::webhook::webhook;
use super::forms::matrix_token as header_token;
use super::{Address, NtfyTopic, Reported, Table};
use crate::config::Credentials;
use crate::config::report::key_path;
use crate::config::secret::{Secret, SecretUrl, read_secret, without_final_line_break};

impl Table<'_, '_> {
    pub(super) fn ntfy(&mut self) -> Option<(SecretUrl, Address)> {
        let url = webhook(
            self.raw,
            Some(ChannelKind::Ntfy),
            self.path,
            self.at,
            self.ctx,
            self.report,
        );
        let topic = url.as_ref().and_then(|url| match topic_of(url.expose()) {
            Ok(topic) => Some(topic),
            Err(message) => {
                let (key, span) = match (&self.raw.url, &self.raw.url_file) {
                    (Some(url), _) => ("url", url.span()),
                    (None, Some(file)) => ("url_file", file.span()),
                    (None, None) => ("url", self.at.clone()),
                };
                self.report.error(span, &key_path(self.path, key), message);
                None
            }
        });
        let auth = self.ntfy_login().ok();
        let address = Address::Ntfy(NtfyTopic {
            topic: topic?,
            auth: auth?,
        });
        Some((url?, address))
    }

    /// The token, or the username and password; `Ok(None)` for none.
    fn ntfy_login(&mut self) -> Result<Option<Credentials>, Reported> {
        let token = self.optional_token(header_token)?;
        let (username, password_file) = (&self.raw.username, &self.raw.password_file);
        let (span, key, message) = match (token, username, password_file) {
            (token, None, None) => return Ok(token.map(Credentials::Bearer)),
            (None, Some(name), Some(file)) => {
                let password = self
                    .ctx
                    .path(file.get_ref())
                    .and_then(|path| read_secret(&path, "password", without_final_line_break));
                let checked = login_name(name.get_ref()).and_then(|name| Ok((name, password?)));
                return match checked {
                    Ok((username, password)) => Ok(Some(Credentials::Basic {
                        username,
                        password: Secret::new(password),
                    })),
                    Err(message) => {
                        self.report.error(
                            file.span(),
                            &key_path(self.path, "password_file"),
                            message,
                        );
                        Err(Reported)
                    }
                };
            }
            (Some(_), Some(name), _) => (
                name.span(),
                "username",
                "set either token (or token_file) or username with password_file, not both",
            ),
            (_, None, Some(file)) => (
                file.span(),
                "password_file",
                "password_file needs a username to log in with",
            ),
            (None, Some(name), None) => (
                name.span(),
                "username",
                "username needs password_file, a file holding the password",
            ),
        };
        self.report.error(span, &key_path(self.path, key), message);
        Err(Reported)
    }
}

/// The topic of `url`: its last path segment, as ntfy allows topics (letters, digits, `-`, `_`,
/// at most 64).
fn topic_of(url: &url::Url) -> Result<String, String> {
    let topic = url
        .path_segments()
        .and_then(|mut segments| segments.next_back())
        .unwrap_or_default();
    let valid = (1..=64).contains(&topic.len())
        && topic
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_')
        && url.query().is_none();
    if !valid {
        return Err(
            "the ntfy url should be a topic's URL, such as https://ntfy.sh/my-topic (a topic \
             is 1 to 64 letters, digits, - and _)"
                .to_owned(),
        );
    }
    Ok(topic.to_owned())
}

/// Basic authentication splits the pair at the first colon (RFC 7617).
fn login_name(name: &str) -> Result<String, String> {
    if name.is_empty() || name.contains(':') || name.chars().any(char::is_control) {
        return Err("the username must be non-empty, without \":\" or control characters".into());
    }
    Ok(name.to_owned())
}
