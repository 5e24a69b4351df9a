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
//!
//! A channel with `auth = "entra"` (Exchange Online) logs in with SMTP AUTH XOAUTH2: the mailbox
//! and its Entra ID app's token, from the token cache every channel of that app shares
//! (`super::entra`). A token the relay refuses is dropped and a fresh one tried once; refused
//! again, the channel is suspended.

mod reply;

use std::sync::Arc;
use std::time::{Duration, SystemTime};

use lettre::message::MultiPart;
use lettre::message::header::{Header, HeaderName, HeaderValue};
use lettre::transport::smtp::authentication::{Credentials, Mechanism};
use lettre::transport::smtp::client::{Certificate, Tls, TlsParameters};
use lettre::transport::smtp::{AsyncSmtpTransportBuilder, Error as SmtpError};
use lettre::{AsyncSmtpTransport, AsyncTransport, Message, Tokio1Executor};
use sha2::{Digest, Sha256};

use super::answer::{PostError, Sent, unanswered};
use super::entra::EntraTokens;
use super::verdict::Verdict;
use crate::config::{EmailSettings, Redactor, RelaySecurity, Secret, SmtpOauth};
use crate::render::email::EmailParts;

/// The channel's relay, ready to send.
pub struct Mailer {
    channel: String,
    settings: EmailSettings,
    /// The relay's address and TLS, for a login with a token (which changes).
    builder: AsyncSmtpTransportBuilder,
    /// The relay with its password login, or none.
    transport: AsyncSmtpTransport<Tokio1Executor>,
    /// The bound on one send, connecting to the relay's last reply.
    timeout: Duration,
    /// Where an Entra ID app's tokens come from (`auth = "entra"`).
    tokens: Arc<EntraTokens>,
    /// What masks the config's secrets in the relay's replies.
    redactor: Arc<Redactor>,
}

/// What came of one try at sending: the relay's verdict, or no answer in time.
type Attempt = Result<Result<(), SmtpError>, tokio::time::error::Elapsed>;

impl Mailer {
    /// The mailer of the channel `channel`, asking `tokens` for its app's tokens when it has
    /// one, the relay's replies masked by `redactor`; `timeout` bounds each send, from
    /// connecting to the relay's last reply.
    pub(super) fn new(
        channel: &str,
        settings: &EmailSettings,
        (tokens, redactor): (&Arc<EntraTokens>, &Arc<Redactor>),
        timeout: Duration,
    ) -> Result<Self, PostError> {
        let builder = AsyncSmtpTransport::<Tokio1Executor>::builder_dangerous(&settings.host)
            .port(settings.port)
            .timeout(Some(timeout))
            .tls(tls(settings)?);
        let transport = match &settings.login {
            Some(login) => builder.clone().credentials(Credentials::new(
                login.username.clone(),
                login.password.expose().to_owned(),
            )),
            None => builder.clone(),
        };
        Ok(Self {
            channel: channel.to_owned(),
            settings: settings.clone(),
            builder,
            transport: transport.build(),
            timeout,
            tokens: Arc::clone(tokens),
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
        match &self.settings.oauth {
            Some(oauth) => self.send_with_token(oauth, message).await,
            None => Sent::from(self.judge(self.attempt(&self.transport, message).await)),
        }
    }

    /// Sends `message` logged in with the app's token; a refused token is replaced once.
    async fn send_with_token(&self, oauth: &SmtpOauth, message: Message) -> Sent {
        let tokens = &self.tokens;
        let token = match tokens.token(&oauth.app, self.timeout).await {
            Ok(token) => token,
            Err(error) => return Sent::from(unanswered(&PostError::Token(error))),
        };
        let transport = self.with_token(oauth, &token);
        let attempt = self.attempt(&transport, message.clone()).await;
        if !refused_login(&attempt) {
            return Sent::from(self.judge(attempt));
        }
        tracing::info!("the relay refused the app's token; asking for a fresh one");
        tokens.forget(&oauth.app, &token).await;
        let token = match tokens.token(&oauth.app, self.timeout).await {
            Ok(token) => token,
            Err(error) => return Sent::from(unanswered(&PostError::Token(error))),
        };
        let transport = self.with_token(oauth, &token);
        let attempt = self.attempt(&transport, message).await;
        match attempt {
            Ok(Err(error)) if reply::refuses_login(&error) => Sent::from(Verdict::ChannelGone {
                reason: reply::token_refused(&error, &oauth.user, &self.redactor),
            }),
            attempt => Sent::from(self.judge(attempt)),
        }
    }

    /// The relay, logged in to as the mailbox with `token` (SMTP AUTH XOAUTH2).
    fn with_token(&self, oauth: &SmtpOauth, token: &Secret) -> AsyncSmtpTransport<Tokio1Executor> {
        let credentials = Credentials::new(oauth.user.clone(), token.expose().to_owned());
        self.builder
            .clone()
            .credentials(credentials)
            .authentication(vec![Mechanism::Xoauth2])
            .build()
    }

    async fn attempt(
        &self,
        transport: &AsyncSmtpTransport<Tokio1Executor>,
        message: Message,
    ) -> Attempt {
        // lettre bounds only the connection; a relay that accepts it and then says nothing would
        // hold the channel for good.
        let sent = tokio::time::timeout(self.timeout, transport.send(message)).await;
        sent.map(|sent| sent.map(|_| ()))
    }

    fn judge(&self, attempt: Attempt) -> Verdict {
        match attempt {
            Ok(Ok(())) => Verdict::Delivered,
            Ok(Err(error)) => reply::verdict(&error, &self.redactor),
            Err(_) => Verdict::Retry {
                reason: format!("the relay did not answer within {:?}", self.timeout),
                retry_after: None,
            },
        }
    }
}

fn refused_login(attempt: &Attempt) -> bool {
    matches!(attempt, Ok(Err(error)) if reply::refuses_login(error))
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
