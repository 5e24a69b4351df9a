//! `feedhook store copy`: moves an install's state between a SQLite file and a PostgreSQL
//! database, so that switching backends posts nothing again and loses nothing pending.

use std::path::{Path, PathBuf};
use std::sync::Arc;

use crate::config::{CaBundle, DatabaseSettings, DatabaseUrl, Redactor};
use crate::store::{CopyReport, Store, StoreError};

use super::{EXIT_CONFIG, EXIT_INCOMPLETE, EXIT_OK, EXIT_STATE, logging, store_hint};

/// Connections the copy keeps open to each database.
const POOL: usize = 2;

/// What the command line asked for.
pub struct Request<'a> {
    pub from: &'a str,
    pub to: &'a str,
    pub force: bool,
    pub ca_file: Option<&'a Path>,
}

/// One end of the copy.
enum Location {
    File(PathBuf),
    Database(DatabaseSettings),
}

impl Location {
    /// A `postgres://` URL names a database; anything else a SQLite file.
    fn parse(text: &str, ca_file: Option<&CaBundle>) -> Result<Self, String> {
        if !text.starts_with("postgres://") && !text.starts_with("postgresql://") {
            return Ok(Self::File(PathBuf::from(text)));
        }
        let url = DatabaseUrl::parse(text)?;
        let mut settings = DatabaseSettings::new(url);
        settings.pool = POOL;
        settings.ca_file = ca_file.cloned();
        Ok(Self::Database(settings))
    }

    /// The location as messages name it: never a password.
    fn shown(&self) -> String {
        match self {
            Self::File(path) => path.display().to_string(),
            Self::Database(settings) => settings.url.redacted(),
        }
    }

    fn password(&self) -> Option<&str> {
        match self {
            Self::File(_) => None,
            Self::Database(settings) => settings.url.password(),
        }
    }

    /// Opens the state, as its one writer when it is a file (a running daemon on it is refused),
    /// migrating an older schema.
    async fn open(&self) -> Result<Store, u8> {
        let opened = match self {
            Self::File(path) => Store::open_exclusive(path),
            Self::Database(settings) => Store::connect(settings).await,
        };
        opened.map_err(|error| failed(&error))
    }
}

/// `feedhook store copy --from … --to … [--force]`.
pub async fn run(request: &Request<'_>) -> u8 {
    let ends = read_ca_file(request.ca_file).and_then(|ca| {
        let from =
            Location::parse(request.from, ca.as_ref()).map_err(|e| format!("--from: {e}"))?;
        let to = Location::parse(request.to, ca.as_ref()).map_err(|e| format!("--to: {e}"))?;
        Ok((from, to))
    });
    let (from, to) = match ends {
        Ok(ends) => ends,
        Err(message) => {
            eprintln!("feedhook: {message}");
            return EXIT_CONFIG;
        }
    };
    mask_passwords(&from, &to);
    if from.shown() == to.shown() {
        eprintln!("feedhook: --from and --to name the same state");
        return EXIT_CONFIG;
    }
    match copy(&from, &to, request.force).await {
        Ok(report) => {
            print_report(&from, &to, &report);
            EXIT_OK
        }
        Err(code) => code,
    }
}

async fn copy(from: &Location, to: &Location, force: bool) -> Result<CopyReport, u8> {
    if let Location::File(path) = from
        && !path.exists()
    {
        eprintln!("feedhook: there is no state file at {}", path.display());
        eprintln!(
            "hint: --from names the file [store] path names in the config of the install to move"
        );
        return Err(EXIT_CONFIG);
    }
    let source = from.open().await?;
    let target = to.open().await?;
    if target
        .holds_anything()
        .await
        .map_err(|error| failed(&error))?
    {
        if !force {
            eprintln!(
                "feedhook: {} already holds a state; nothing was copied",
                to.shown()
            );
            eprintln!(
                "hint: copy into an empty database or a new file, or add --force to delete what {} holds and replace it",
                to.shown()
            );
            return Err(EXIT_INCOMPLETE);
        }
        target.clear().await.map_err(|error| failed(&error))?;
    }
    source.copy_into(&target).await.map_err(|error| {
        eprintln!("feedhook: the copy stopped: {error}");
        eprintln!(
            "hint: {} holds part of the state now; run the same command again with --force once the cause is fixed",
            to.shown()
        );
        EXIT_STATE
    })
}

fn failed(error: &StoreError) -> u8 {
    eprintln!("feedhook: {error}");
    if let StoreError::AlreadyRunning { .. } = error {
        eprintln!(
            "hint: stop feedhook first (systemctl stop feedhook): a copy of a state being written would miss what comes after"
        );
    } else if let Some(hint) = store_hint(error) {
        eprintln!("hint: {hint}");
    }
    EXIT_STATE
}

fn print_report(from: &Location, to: &Location, report: &CopyReport) {
    println!("copied {} into {}:", from.shown(), to.shown());
    let lines = [
        ("feeds", "feeds (validators, schedule, health)"),
        ("entries", "seen entries"),
        (
            "deliveries",
            "deliveries (delivered, pending and failed, in their order)",
        ),
        ("channels", "channels (suspensions, pauses, health)"),
        ("push_subscriptions", "WebSub subscriptions"),
    ];
    for (table, what) in lines {
        println!("  {:>8} {what}", report.rows(table));
    }
    println!("point [store] at {} and start feedhook there", to.shown());
}

/// The databases' passwords join the secrets every log line is masked of.
fn mask_passwords(from: &Location, to: &Location) {
    let passwords: Vec<String> = [from.password(), to.password()]
        .into_iter()
        .flatten()
        .flat_map(|password| {
            let decoded = percent_encoding::percent_decode_str(password)
                .decode_utf8_lossy()
                .into_owned();
            [password.to_owned(), decoded]
        })
        .collect();
    logging::mask_secrets(&Arc::new(Redactor::new(passwords)));
}

fn read_ca_file(path: Option<&Path>) -> Result<Option<CaBundle>, String> {
    let Some(path) = path else { return Ok(None) };
    let pem = std::fs::read(path)
        .map_err(|error| format!("--ca-file: cannot read {}: {error}", path.display()))?;
    Ok(Some(CaBundle {
        path: path.to_owned(),
        pem,
    }))
}
