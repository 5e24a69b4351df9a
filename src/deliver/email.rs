//! Sending an email channel's messages through its SMTP relay, with lettre: one [`Mailer`] per
//! channel, built once with the channel's TLS and login, a connection per message (a feed's
//! entries come minutes apart, and an idle connection would only be dropped by the relay).
//!
//! The renderer gives the message's parts ([`EmailParts`]); [`compose`] adds what needs the
//! channel and the moment of sending: `From` and `To` from the config, `Date`, a `Message-ID`
//! made from the entry and the channel (the same entry sent twice to a channel carries the same
//! id, so a mail system or a reader can tell the repeat), `List-Id` naming the feed (a rule can
//! sort by it) and `Auto-Submitted: auto-generated` (RFC 3834: no vacation replies, please). What
//! the relay's replies mean is decided in `reply`.

mod reply;

use std::sync::Arc;
use std::time::{Duration, SystemTime};

use lettre::message::MultiPart;
use lettre::message::header::{Header, HeaderName, HeaderValue};
use lettre::transport::smtp::authentication::Credentials;
use lettre::transport::smtp::client::{Certificate, Tls, TlsParameters};
use lettre::{AsyncSmtpTransport, AsyncTransport, Message, Tokio1Executor};
use sha2::{Digest, Sha256};

use super::answer::{PostError, Sent};
use super::verdict::Verdict;
use crate::config::{EmailSettings, Redactor, RelaySecurity};
use crate::render::email::EmailParts;

/// The channel's relay, ready to send.
pub struct Mailer {
    channel: String,
    settings: EmailSettings,
    transport: AsyncSmtpTransport<Tokio1Executor>,
    /// The bound on one send, connecting to the relay's last reply.
    timeout: Duration,
    redactor: Arc<Redactor>,
}

impl Mailer {
    /// The mailer of the channel `channel`; `timeout` bounds each send, from connecting to the
    /// relay's last reply.
    pub fn new(
        channel: &str,
        settings: &EmailSettings,
        redactor: &Arc<Redactor>,
        timeout: Duration,
    ) -> Result<Self, PostError> {
        let builder = AsyncSmtpTransport::<Tokio1Executor>::builder_dangerous(&settings.host)
            .port(settings.port)
            .timeout(Some(timeout))
            .tls(tls(settings)?);
        let builder = match &settings.login {
            Some(login) => builder.credentials(Credentials::new(
                login.username.clone(),
                login.password.expose().to_owned(),
            )),
            None => builder,
        };
        Ok(Self {
            channel: channel.to_owned(),
            settings: settings.clone(),
            transport: builder.build(),
            timeout,
            redactor: Arc::clone(redactor),
        })
    }

    /// Sends one message and judges what the relay said.
    pub async fn send(&self, parts: &EmailParts) -> Sent {
        let message = match compose(&self.channel, &self.settings, parts, SystemTime::now()) {
            Ok(message) => message,
            Err(error) => {
                return Sent::from(Verdict::Rejected {
                    reason: error.to_string(),
                });
            }
        };
        // lettre bounds only the connection; a relay that accepts it and then says nothing would
        // hold the channel for good.
        match tokio::time::timeout(self.timeout, self.transport.send(message)).await {
            Ok(Ok(_)) => Sent::from(Verdict::Delivered),
            Ok(Err(error)) => Sent::from(reply::verdict(&error, &self.redactor)),
            Err(_) => Sent::from(Verdict::Retry {
                reason: format!("the relay did not answer within {:?}", self.timeout),
                retry_after: None,
            }),
        }
    }
}

impl std::fmt::Display for Mailer {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let scheme = match self.settings.security {
            RelaySecurity::ImplicitTls => "smtps",
            RelaySecurity::StartTls | RelaySecurity::None => "smtp",
        };
        write!(
            f,
            "{scheme}://{}:{}",
            self.settings.host, self.settings.port
        )
    }
}

fn tls(settings: &EmailSettings) -> Result<Tls, PostError> {
    if settings.security == RelaySecurity::None {
        return Ok(Tls::None);
    }
    let mut parameters = TlsParameters::builder(settings.host.clone());
    if let Some(bundle) = &settings.ca {
        let roots = Certificate::from_pem(&bundle.pem).map_err(|error| {
            PostError::Network(format!(
                "cannot use the certificates of ca_file {}: {error}",
                bundle.path.display()
            ))
        })?;
        parameters = parameters.add_root_certificate(roots);
    }
    let parameters = parameters
        .build_rustls()
        .map_err(|error| PostError::Network(format!("cannot set up TLS: {error}")))?;
    Ok(match settings.security {
        RelaySecurity::ImplicitTls => Tls::Wrapper(parameters),
        RelaySecurity::StartTls | RelaySecurity::None => Tls::Required(parameters),
    })
}

/// The message for `parts`, sent by the channel `channel` at `date`.
pub fn compose(
    channel: &str,
    settings: &EmailSettings,
    parts: &EmailParts,
    date: SystemTime,
) -> Result<Message, PostError> {
    let domain = settings.from.email.domain();
    let mut builder = Message::builder()
        .from(settings.from.clone())
        .subject(parts.subject.clone())
        .date(date)
        .message_id(Some(message_id(channel, &parts.identity, domain)))
        .header(ListId(list_id(&parts.feed, domain)))
        .header(AutoSubmitted);
    for recipient in &settings.to {
        builder = builder.to(recipient.clone());
    }
    builder
        .multipart(MultiPart::alternative_plain_html(
            parts.text.clone(),
            parts.html.clone(),
        ))
        .map_err(|error| PostError::WrongPayload(email_error(&error)))
}

/// The one message builder error a configured channel can meet.
fn email_error(error: &lettre::error::Error) -> &'static str {
    match error {
        lettre::error::Error::MissingTo => "the message has no recipient",
        _ => "the message could not be built",
    }
}

/// `<HASH@DOMAIN>`: the same for every send of one entry to one channel.
fn message_id(channel: &str, identity: &str, domain: &str) -> String {
    let digest = Sha256::digest(format!("{channel}\n{identity}"));
    let hex = format!("{digest:x}");
    let short = hex.get(..32).unwrap_or(&hex);
    format!("<{short}.feedhook@{domain}>")
}

/// `"FEED" <LABEL.feedhook.DOMAIN>`: the feed's name as the phrase (its ASCII, as a header
/// phrase is not encoded here), and as the list's label in the characters RFC 2919 allows.
fn list_id(feed: &str, domain: &str) -> String {
    let mut label: String = feed
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() {
                c.to_ascii_lowercase()
            } else {
                '-'
            }
        })
        .collect();
    label = label
        .split('-')
        .filter(|part| !part.is_empty())
        .collect::<Vec<_>>()
        .join("-");
    label.truncate(60);
    if label.is_empty() {
        label.push_str("feed");
    }
    let phrase: String = feed
        .chars()
        .filter(|c| (c.is_ascii_graphic() || *c == ' ') && !matches!(c, '"' | '\\'))
        .collect();
    match phrase.trim() {
        "" => format!("<{label}.feedhook.{domain}>"),
        phrase => format!("\"{phrase}\" <{label}.feedhook.{domain}>"),
    }
}

/// `List-Id` (RFC 2919).
#[derive(Debug, Clone)]
struct ListId(String);

impl Header for ListId {
    fn name() -> HeaderName {
        HeaderName::new_from_ascii_str("List-Id")
    }

    fn parse(text: &str) -> Result<Self, Box<dyn std::error::Error + Send + Sync>> {
        Ok(Self(text.to_owned()))
    }

    fn display(&self) -> HeaderValue {
        HeaderValue::new(Self::name(), self.0.clone())
    }
}

/// `Auto-Submitted: auto-generated` (RFC 3834).
#[derive(Debug, Clone)]
struct AutoSubmitted;

impl Header for AutoSubmitted {
    fn name() -> HeaderName {
        HeaderName::new_from_ascii_str("Auto-Submitted")
    }

    fn parse(_text: &str) -> Result<Self, Box<dyn std::error::Error + Send + Sync>> {
        Ok(Self)
    }

    fn display(&self) -> HeaderValue {
        HeaderValue::new(Self::name(), "auto-generated".to_owned())
    }
}

#[cfg(test)]
mod tests;
