//! Log set-up: one line per event on stderr (stdout is the console channel's).
//!
//! Every event passes through one writer, `SafeStderr`, whatever logged it: the configured secrets
//! are masked ([`mask_secrets`]), then the control characters of every field and message are
//! escaped ([`super::escape`]), so that what a feed or a webhook says can neither forge a line nor
//! drive the terminal. Lines are therefore never coloured: the writer could not tell the
//! formatter's colour codes from a feed's.

use std::io::{self, Write};
use std::sync::{Arc, PoisonError, RwLock};

use tracing_subscriber::EnvFilter;
use tracing_subscriber::fmt::MakeWriter;

use super::LogFormat;
use super::escape;
use crate::config::Redactor;

/// The secrets of the configuration in force. The subscriber is the process's, set before any
/// config is read, so what it masks is the process's too; set at each (re)load.
static SECRETS: RwLock<Option<Arc<Redactor>>> = RwLock::new(None);

/// Installs the global subscriber. Under journald (`JOURNAL_STREAM` set) lines carry no timestamp,
/// since the journal adds one.
pub fn init(level: &str, format: LogFormat) -> Result<(), String> {
    let filter = match std::env::var("RUST_LOG") {
        Ok(directives) if !directives.is_empty() => EnvFilter::try_new(directives),
        // A plain level applies to feedhook's own events; libraries stay at warn, so that their
        // debug output (which can include request URLs, and so webhook secrets) is opt-in via RUST_LOG.
        _ if level.contains(['=', ',']) => EnvFilter::try_new(level),
        // The pool's own lines about each connection lost add nothing to the store's one line
        // about the database going away and coming back.
        _ => EnvFilter::try_new(format!("warn,feedhook={level},deadpool.postgres=error")),
    }
    .map_err(|e| format!("invalid log level: {e}"))?;
    let journald = std::env::var_os("JOURNAL_STREAM").is_some();
    let builder = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(SafeStderr { format })
        .with_ansi(false)
        .with_target(false);
    let installed = match (format, journald) {
        (LogFormat::Json, _) => builder.json().flatten_event(true).try_init(),
        (LogFormat::Human, true) => builder.without_time().try_init(),
        (LogFormat::Human, false) => builder.try_init(),
    };
    installed.map_err(|e| format!("cannot set up logging: {e}"))
}

/// From now on, every log line has the secrets `redactor` knows masked.
pub fn mask_secrets(redactor: &Arc<Redactor>) {
    let mut secrets = SECRETS.write().unwrap_or_else(PoisonError::into_inner);
    *secrets = Some(Arc::clone(redactor));
}

/// stderr, through [`safe_line`].
struct SafeStderr {
    format: LogFormat,
}

impl<'a> MakeWriter<'a> for SafeStderr {
    type Writer = EventWriter;

    fn make_writer(&'a self) -> Self::Writer {
        EventWriter {
            format: self.format,
        }
    }
}

/// Writes one event. The formatter writes each event whole, in one `write_all`, so every write is
/// one line and its final line break.
struct EventWriter {
    format: LogFormat,
}

impl Write for EventWriter {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        let text = String::from_utf8_lossy(buf);
        let secrets = SECRETS
            .read()
            .unwrap_or_else(PoisonError::into_inner)
            .clone();
        let line = safe_line(&text, self.format, secrets.as_deref());
        io::stderr().lock().write_all(line.as_bytes())?;
        Ok(buf.len())
    }

    fn flush(&mut self) -> io::Result<()> {
        io::stderr().flush()
    }
}

/// `line` (one formatted event) with the secrets of `redactor` masked and its control characters
/// escaped, as `format` writes them.
fn safe_line(line: &str, format: LogFormat, redactor: Option<&Redactor>) -> String {
    let masked = match redactor {
        Some(redactor) => redactor.redact(line),
        None => line.into(),
    };
    match format {
        LogFormat::Human => escape::text_line(&masked).into_owned(),
        LogFormat::Json => escape::json_line(&masked).into_owned(),
    }
}

#[cfg(test)]
mod tests;
