//! A real SMTP relay on 127.0.0.1 for the email tests: aiosmtpd, run by
//! `tests/fixtures/smtp/relay.py`, which keeps every message it accepts in a spool folder.
//!
//! `FEEDHOOK_AIOSMTPD` names a Python interpreter that has aiosmtpd; without it, the one `.ci/run`
//! installs in target/ci/smtp is used when it is there, then `python3` is tried. When none has
//! aiosmtpd the email tests are skipped with a note, except under CI=true, where they fail.

use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};

/// How the relay protects its connections.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SmtpTls {
    None,
    StartTls,
    Implicit,
}

/// How the relay behaves.
#[derive(Debug, Clone)]
pub struct SmtpOptions {
    pub tls: SmtpTls,
    /// `USER:PASSWORD` the relay requires.
    pub login: Option<String>,
    /// `USER:TOKEN` the relay requires with AUTH XOAUTH2 (Exchange Online's login).
    pub xoauth2: Option<String>,
    /// Messages answered 451 first.
    pub temporary: u32,
    /// Every message answered 554.
    pub reject: bool,
    /// Messages never answered first.
    pub hang: u32,
}

impl Default for SmtpOptions {
    fn default() -> Self {
        Self {
            tls: SmtpTls::None,
            login: None,
            xoauth2: None,
            temporary: 0,
            reject: false,
            hang: 0,
        }
    }
}

/// One message the relay accepted.
#[derive(Debug, Clone)]
pub struct Received {
    /// The message as sent, headers and body.
    pub source: String,
    pub mail_from: String,
    pub rcpt_tos: Vec<String>,
    /// The user the client logged in as, if it did.
    pub login: Option<String>,
}

impl Received {
    /// The value of the first header `name` (unfolded).
    pub fn header(&self, name: &str) -> Option<String> {
        let head = self.source.split("\r\n\r\n").next()?;
        let unfolded = head.replace("\r\n ", " ").replace("\r\n\t", " ");
        unfolded.lines().find_map(|line| {
            let (key, value) = line.split_once(':')?;
            key.eq_ignore_ascii_case(name)
                .then(|| value.trim().to_owned())
        })
    }
}

/// A running relay; stopped when dropped.
pub struct SmtpRelay {
    child: Child,
    pub port: u16,
    spool: tempfile::TempDir,
    /// The relay's certificate (PEM), for `ca_file`, when it speaks TLS.
    pub ca_file: Option<PathBuf>,
}

impl SmtpRelay {
    /// Starts a relay; `None` (with a note printed) when aiosmtpd is not installed outside CI.
    pub fn start(options: &SmtpOptions) -> Option<Self> {
        let python = python()?;
        let spool = tempfile::tempdir().unwrap();
        let mut command = Command::new(python);
        command
            .arg(relay_script())
            .arg("--spool")
            .arg(spool.path())
            .arg("--temporary")
            .arg(options.temporary.to_string())
            .arg("--hang")
            .arg(options.hang.to_string());
        let ca_file = (options.tls != SmtpTls::None).then(|| {
            let (cert, key) = certificate(spool.path());
            let tls = if options.tls == SmtpTls::StartTls {
                "starttls"
            } else {
                "implicit"
            };
            command
                .args(["--tls", tls])
                .arg("--cert")
                .arg(&cert)
                .arg("--key")
                .arg(key);
            cert
        });
        if let Some(login) = &options.login {
            command.args(["--login", login]);
        }
        if let Some(login) = &options.xoauth2 {
            command.args(["--xoauth2", login]);
        }
        if options.reject {
            command.arg("--reject");
        }
        let mut child = command.stdout(Stdio::piped()).spawn().unwrap();
        let mut line = String::new();
        BufReader::new(child.stdout.take().unwrap())
            .read_line(&mut line)
            .unwrap();
        let port = line
            .trim()
            .parse()
            .unwrap_or_else(|_| panic!("the relay did not start: {line:?}"));
        Some(Self {
            child,
            port,
            spool,
            ca_file,
        })
    }

    /// The messages accepted so far, in order.
    pub fn received(&self) -> Vec<Received> {
        let mut found = Vec::new();
        loop {
            let base = self.spool.path().join((found.len() + 1).to_string());
            let Ok(source) = std::fs::read_to_string(base.with_extension("eml")) else {
                return found;
            };
            let envelope = std::fs::read_to_string(base.with_extension("json")).unwrap();
            let envelope: serde_json::Value = serde_json::from_str(&envelope).unwrap();
            let rcpt_tos = envelope["rcpt_tos"].as_array().unwrap().iter();
            found.push(Received {
                source,
                mail_from: envelope["mail_from"].as_str().unwrap().to_owned(),
                rcpt_tos: rcpt_tos.map(|to| to.as_str().unwrap().to_owned()).collect(),
                login: envelope["login"].as_str().map(str::to_owned),
            });
        }
    }
}

impl Drop for SmtpRelay {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn relay_script() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/smtp/relay.py")
}

/// The Python that runs the relay, or `None` (noted) when there is none outside CI.
fn python() -> Option<String> {
    if let Ok(python) = std::env::var("FEEDHOOK_AIOSMTPD") {
        return Some(python);
    }
    // Where `.ci/run` installs it: a plain `cargo test` after one `.ci/run` needs no variable.
    let installed = Path::new(env!("CARGO_MANIFEST_DIR")).join("target/ci/smtp/bin/python");
    if installed.is_file() {
        return Some(installed.to_string_lossy().into_owned());
    }
    let has_aiosmtpd = Command::new("python3")
        .args(["-c", "import aiosmtpd"])
        .stderr(Stdio::null())
        .status()
        .is_ok_and(|status| status.success());
    if has_aiosmtpd {
        return Some("python3".to_owned());
    }
    let note = "aiosmtpd is not installed: run .ci/run once (it installs it in target/ci/smtp), \
                then set FEEDHOOK_AIOSMTPD=target/ci/smtp/bin/python";
    assert!(
        std::env::var("CI").as_deref() != Ok("true"),
        "{note}; under CI=true the email tests must run"
    );
    eprintln!("note: email test skipped: {note}");
    None
}

/// A self-signed certificate for 127.0.0.1 written to `dir`: (certificate, key).
fn certificate(dir: &Path) -> (PathBuf, PathBuf) {
    let certified = rcgen::generate_simple_self_signed(vec!["127.0.0.1".to_owned()]).unwrap();
    let (cert, key) = (dir.join("relay-cert.pem"), dir.join("relay-key.pem"));
    std::fs::write(&cert, certified.cert.pem()).unwrap();
    std::fs::write(&key, certified.signing_key.serialize_pem()).unwrap();
    (cert, key)
}
