//! What an SMTP relay's reply, or the failure to get one, means for the delivery — the email
//! counterpart of [`super::super::verdict`]:
//!
//! - 4xx (greylisting, a full queue, a rate limit), a connection that fails or a relay that stops
//!   answering: retry with backoff;
//! - 5xx to the message or a recipient: this message will never be accepted; fail this delivery;
//! - the login refused (530, 534, 535, 538), TLS that fails, or a relay that lacks what the
//!   channel requires (STARTTLS, an authentication mechanism): the channel cannot send anything
//!   until the operator acts, so it is suspended with the reason, its deliveries kept.
//!
//! The relay's words are redacted before anyone reads them: a relay may quote what it was sent.

use lettre::transport::smtp::Error;

use crate::config::Redactor;
use crate::deliver::verdict::Verdict;

/// Replies that refuse the login: authentication required (530), mechanism too weak (534),
/// credentials invalid (535), encryption required for the mechanism (538).
const LOGIN_REFUSED: [u16; 4] = [530, 534, 535, 538];

/// Whether the relay refused the login.
pub(super) fn refuses_login(error: &Error) -> bool {
    error
        .status()
        .is_some_and(|code| LOGIN_REFUSED.contains(&u16::from(code)))
}

/// Why the channel is suspended when the relay refused `user` with a fresh token of the app.
pub(super) fn token_refused(error: &Error, user: &str, redactor: &Redactor) -> String {
    let said = redactor.redact(&error.to_string()).into_owned();
    format!(
        "the relay refused the Entra ID app's token for {user} ({said}); check that the app has \
         the SMTP.SendAsApp permission, that its service principal was given access to the \
         mailbox in Exchange Online, and that SMTP AUTH is enabled for the mailbox"
    )
}

/// The verdict on a send that failed with `error`.
pub(super) fn verdict(error: &Error, redactor: &Redactor) -> Verdict {
    let said = redactor.redact(&error.to_string()).into_owned();
    if let Some(code) = error.status().map(u16::from) {
        if LOGIN_REFUSED.contains(&code) {
            return Verdict::ChannelGone {
                reason: format!(
                    "the relay refused the login ({said}); check the user and the password"
                ),
            };
        }
        if error.is_permanent() {
            return Verdict::Rejected { reason: said };
        }
        return retry(said);
    }
    if error.is_tls() {
        return Verdict::ChannelGone {
            reason: format!(
                "TLS with the relay failed ({said}); check its certificate, or set ca_file"
            ),
        };
    }
    if error.is_client() {
        return Verdict::ChannelGone {
            reason: format!("the relay cannot be used as configured ({said})"),
        };
    }
    retry(said)
}

fn retry(reason: String) -> Verdict {
    Verdict::Retry {
        reason,
        retry_after: None,
    }
}
