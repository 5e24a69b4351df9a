//! The `feedhook` command line: argument parsing, logging set-up, and one module per command.

mod check;
mod escape;
mod logging;
mod maintenance;
mod once;
mod opml;
mod preview;
mod run;
mod status;
mod store_copy;
mod table;
mod test_webhook;

use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Parser, Subcommand, ValueEnum};

use crate::config::{Config, ConfigError, Feed};
use crate::fetch::Fetcher;
use crate::poll::{self, Document};
use crate::store::{Store, StoreError};

/// Exit status of a command that worked.
pub const EXIT_OK: u8 = 0;
/// `once`: some feed could not be read or some delivery was not made.
pub const EXIT_INCOMPLETE: u8 = 1;
/// The configuration is invalid.
pub const EXIT_CONFIG: u8 = 2;
/// The state file cannot be opened (corrupt, from a newer feedhook, unreadable).
pub const EXIT_STATE: u8 = 3;
/// The state file was deleted or replaced while the daemon ran. Unlike [`EXIT_STATE`], a restart
/// fixes it (it opens whatever the path names now), so systemd's unit does not prevent one.
pub const EXIT_STATE_CHANGED: u8 = 4;

/// Polls RSS, Atom and JSON feeds and posts each new entry, once, to chat webhooks.
#[derive(Debug, Parser)]
#[command(name = "feedhook", version, about, long_about = None)]
pub struct Cli {
    /// The configuration file.
    #[arg(
        short,
        long,
        global = true,
        env = "FEEDHOOK_CONFIG",
        default_value = "/etc/feedhook/feedhook.toml"
    )]
    pub config: PathBuf,
    /// Log level (error, warn, info, debug, trace); `RUST_LOG`, when set, takes precedence.
    #[arg(long, global = true, default_value = "info")]
    pub log_level: String,
    /// Log format: human-readable lines, or one JSON object per line.
    #[arg(long, global = true, value_enum, default_value_t = LogFormat::Human)]
    pub log_format: LogFormat,
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum LogFormat {
    Human,
    Json,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Run the daemon: poll on schedule and deliver until SIGTERM or SIGINT; SIGHUP reloads the config.
    #[command(
        after_help = "Example:\n  feedhook --config /etc/feedhook/feedhook.toml run\n\nExit status: 0 after a clean shutdown, 2 on a config error, 3 when the state file cannot be used, 4 when it was deleted or replaced while running (a restart opens what the path names then)."
    )]
    Run,
    /// Poll every feed once, deliver what is pending (retrying for up to 30 s), and exit.
    #[command(
        after_help = "Example (cron, or trying a config):\n  feedhook --config ./feedhook.toml once\n\nOn a terminal, with 20 feeds or more, a progress count is shown on stderr.\n\nExit status: 0 when every feed was read and every delivery made; 1 otherwise, with a summary on stderr."
    )]
    Once,
    /// Fetch one feed and print the payload each channel would receive (a digest channel: the
    /// digest of those entries), or, without a feed, the digest a digest channel would post now;
    /// posts and writes nothing.
    #[command(
        after_help = "Examples:\n  feedhook preview rust-blog\n  feedhook preview https://example.com/feed.xml --channel ops --limit 1\n  feedhook preview --channel weekly    # the digest it would post now\n\nExit status: 0 when the feed (or the state) was read, 1 otherwise."
    )]
    Preview {
        /// The feed: its name in the config, or any feed URL. Without it, `--channel` names a
        /// digest channel, and the digest it would post now is shown.
        feed: Option<String>,
        /// Render only for this channel (default: the feed's channels, or every channel for a URL
        /// not in the config).
        #[arg(long)]
        channel: Option<String>,
        /// How many of the newest entries to show.
        #[arg(long, default_value_t = 3)]
        limit: usize,
        /// `text` for people, `json` for scripts (one array of entry × channel payloads).
        #[arg(long, value_enum, default_value_t = preview::Format::Text)]
        format: preview::Format,
    },
    /// Show each feed's last poll, result, next due time and errors, and each channel's queue.
    #[command(
        after_help = "Examples:\n  feedhook status\n  feedhook status --json | jq '.channels[] | select(.pending > 0)'\n\nReads the state while the daemon runs; changes nothing. On a terminal, results are coloured (green ok, yellow waiting or failed deliveries, red errors or a suspended channel) unless NO_COLOR is set."
    )]
    Status {
        /// Print JSON for scripts instead of tables.
        #[arg(long)]
        json: bool,
    },
    /// Post a clearly marked test card to a channel and show the platform's answer.
    #[command(
        name = "test-webhook",
        after_help = "Example:\n  feedhook test-webhook ops\n\nExit status: 0 when the platform accepted the card, 1 otherwise. Writes nothing to the state."
    )]
    TestWebhook {
        /// The channel's name in the config.
        channel: String,
    },
    /// Re-queue failed deliveries and resume suspended channels (all, or one channel's).
    #[command(
        after_help = "Examples:\n  feedhook retry\n  feedhook retry ops\n\nA running daemon picks the re-queued deliveries up at its next reload or restart."
    )]
    Retry {
        /// Only this channel.
        channel: Option<String>,
    },
    /// Record a feed's current entries as seen without posting them (catch up after an outage).
    #[command(
        name = "mark-seen",
        after_help = "Example:\n  feedhook mark-seen rust-blog"
    )]
    MarkSeen {
        /// The feed: its name in the config, or its URL.
        feed: String,
    },
    /// Print `[[feeds]]` entries for every feed of an OPML subscription list, to append to the config.
    #[command(
        name = "import-opml",
        after_help = "Example:\n  feedhook import-opml subscriptions.opml --channel ops >> /etc/feedhook/feedhook.toml"
    )]
    ImportOpml {
        /// The OPML file.
        file: PathBuf,
        /// The channel the feeds post to.
        #[arg(long, default_value = "CHANNEL")]
        channel: String,
    },
    /// Print a shell completion script (bash, zsh, fish, elvish, powershell).
    #[command(
        after_help = "Example:\n  feedhook completions bash > /usr/share/bash-completion/completions/feedhook"
    )]
    Completions { shell: clap_complete::Shell },
    /// Print the man page (roff).
    #[command(after_help = "Example:\n  feedhook man > /usr/share/man/man1/feedhook.1")]
    Man,
    /// Work on a state as a whole: `store copy` moves it between SQLite and PostgreSQL.
    Store {
        #[command(subcommand)]
        command: StoreCommand,
    },
    /// Validate the configuration without touching the network or the state.
    #[command(
        after_help = "Example:\n  feedhook --config /etc/feedhook/feedhook.toml check\n\nWith --fetch, every feed is read once too.\n\nExit status: 0 and a one-line summary; 2 and one line per problem (file:line: key: message); 1 when --fetch finds a feed that cannot be read."
    )]
    Check {
        /// Also fetch every feed once and say whether it is a feed (an HTML page names the feeds it
        /// advertises). Posts nothing, writes nothing.
        #[arg(long)]
        fetch: bool,
    },
}

#[derive(Debug, Subcommand)]
pub enum StoreCommand {
    /// Copy a state — feeds, seen entries, the outbox, channels, WebSub subscriptions — into an
    /// empty one: from a SQLite file to a PostgreSQL database, or back.
    #[command(
        after_help = "Examples:\n  systemctl stop feedhook\n  feedhook store copy --from /var/lib/feedhook/feedhook.db \\\n      --to postgres://feedhook@db.internal/feedhook\n  FEEDHOOK_COPY_TO=\"$(cat /run/secrets/db-url)\" \\\n      feedhook store copy --from /var/lib/feedhook/feedhook.db\n\nStop feedhook first: a running daemon on the source file is refused. The source is migrated to this feedhook's schema first; one written by a newer feedhook is refused, untouched. A target that already holds a state is refused unless --force.\n\nThe copy keeps each delivery's place in its channel's order, its attempts and its failure, each feed's seen entries, validators and health, each channel's suspension or pause, and the WebSub subscriptions: the daemon on the target posts nothing again and sends what was pending.\n\nPasswords in database URLs are never printed; FEEDHOOK_COPY_FROM and FEEDHOOK_COPY_TO keep them off the command line.\n\nExit status: 0 when everything was copied; 1 when the target already holds a state (nothing copied); 2 for a wrong argument or a missing source file; 3 when a state cannot be opened or the copy stopped."
    )]
    Copy {
        /// The state to copy: a SQLite file, or a postgres:// URL.
        #[arg(long, env = "FEEDHOOK_COPY_FROM", hide_env_values = true)]
        from: String,
        /// Where to copy it: a postgres:// URL, or a SQLite file (created if missing; its folder
        /// must exist).
        #[arg(long, env = "FEEDHOOK_COPY_TO", hide_env_values = true)]
        to: String,
        /// Delete whatever the target holds first, and replace it with the copy.
        #[arg(long)]
        force: bool,
        /// Certificates to trust, besides the system roots, for a database's TLS (as `[store]
        /// ca_file`).
        #[arg(long)]
        ca_file: Option<PathBuf>,
    },
}

/// Parses the command line and runs the command.
#[must_use]
pub fn main() -> ExitCode {
    let cli = Cli::parse();
    if let Err(error) = logging::init(&cli.log_level, cli.log_format) {
        eprintln!("feedhook: {error}");
        return ExitCode::from(EXIT_CONFIG);
    }
    let code = match cli.command {
        Command::Check { fetch } => with_runtime(check::run(&cli.config, fetch)),
        Command::Status { json } => with_runtime(status::run(&cli.config, json)),
        Command::TestWebhook { channel } => with_runtime(test_webhook::run(&cli.config, &channel)),
        Command::Retry { channel } => {
            with_runtime(maintenance::retry(&cli.config, channel.as_deref()))
        }
        Command::MarkSeen { feed } => with_runtime(maintenance::mark_seen(&cli.config, &feed)),
        Command::ImportOpml { file, channel } => opml::run(&file, &channel),
        Command::Completions { shell } => {
            clap_complete::generate(
                shell,
                &mut <Cli as clap::CommandFactory>::command(),
                "feedhook",
                &mut std::io::stdout(),
            );
            EXIT_OK
        }
        Command::Man => match clap_mangen::Man::new(<Cli as clap::CommandFactory>::command())
            .render(&mut std::io::stdout())
        {
            Ok(()) => EXIT_OK,
            Err(error) => {
                eprintln!("feedhook: {error}");
                EXIT_INCOMPLETE
            }
        },
        Command::Preview {
            feed,
            channel,
            limit,
            format,
        } => {
            let request = preview::Request {
                feed: feed.as_deref(),
                channel: channel.as_deref(),
                limit,
                format,
            };
            with_runtime(preview::run(&cli.config, request))
        }
        Command::Store {
            command:
                StoreCommand::Copy {
                    from,
                    to,
                    force,
                    ca_file,
                },
        } => {
            let request = store_copy::Request {
                from: &from,
                to: &to,
                force,
                ca_file: ca_file.as_deref(),
            };
            with_runtime(store_copy::run(&request))
        }
        Command::Run => with_runtime(run::run(cli.config)),
        Command::Once => with_runtime(once::run(cli.config)),
    };
    ExitCode::from(code)
}

fn with_runtime(command: impl Future<Output = u8>) -> u8 {
    match tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
    {
        Ok(runtime) => runtime.block_on(command),
        Err(error) => {
            eprintln!("feedhook: cannot start the async runtime: {error}");
            EXIT_STATE
        }
    }
}

/// Loads the config, printing its problems and warnings; `Err` holds the exit status.
fn load_config(path: &std::path::Path) -> Result<Config, u8> {
    match Config::load(path) {
        Ok(config) => {
            logging::mask_secrets(&config.redactor);
            for warning in &config.warnings {
                tracing::warn!("{warning}");
            }
            Ok(config)
        }
        Err(error @ (ConfigError::Read { .. } | ConfigError::Invalid(_))) => {
            eprintln!("feedhook: {error}");
            Err(EXIT_CONFIG)
        }
    }
}

/// Reads `feed` in full, as the poll stage reads it; `Err` holds what went wrong, for the operator,
/// with the configured secrets masked (a parse error may quote the body).
async fn read_feed(config: &Config, feed: &Feed) -> Result<Document, String> {
    let masked =
        |error: &dyn std::fmt::Display| config.redactor.redact(&error.to_string()).into_owned();
    let fetcher = Fetcher::new(&config.fetch, std::slice::from_ref(feed), &config.redactor)
        .map_err(|error| masked(&error))?;
    poll::read_once(&fetcher, feed)
        .await
        .map_err(|error| masked(&error))
}

/// Opens the state as its one writer (a second `run`, `once` or `mark-seen` on the same SQLite
/// file is refused; instances share a database by design); `Err` holds the exit status.
async fn open_store(config: &Config) -> Result<Store, u8> {
    Store::open_configured(&config.store, true)
        .await
        .map_err(|error| {
            eprintln!("feedhook: {error}");
            if let Some(hint) = store_hint(&error) {
                eprintln!("hint: {hint}");
            }
            EXIT_STATE
        })
}

/// The exit status of a daemon whose state failed under it: [`EXIT_STATE_CHANGED`] when its state
/// file was deleted or replaced (a restart opens what the path names now), else [`EXIT_STATE`].
async fn state_failure_status(store: &Store) -> u8 {
    match store.check_state_file().await {
        Err(StoreError::Changed { .. }) => EXIT_STATE_CHANGED,
        _ => EXIT_STATE,
    }
}

/// What `status` says, and its exit status, when there is no state file at `path`: none yet, or
/// one deleted while a feedhook had it open.
fn report_missing_state(path: &std::path::Path) -> u8 {
    if crate::store::deleted_while_open(path) {
        eprintln!(
            "feedhook: the state file {} was deleted while a feedhook had it open (its -wal/-shm files are still there)",
            path.display()
        );
        eprintln!("hint: {CHANGED_HINT}");
        return EXIT_STATE;
    }
    println!(
        "no state yet at {} (feedhook has not polled with this config)",
        path.display()
    );
    EXIT_OK
}

const CHANGED_HINT: &str = "a running feedhook stops when it notices (exit status 4, which systemd restarts); at its next start it opens what the path names then, and with no file there it starts a new state: feeds are read as new (posting only their backlog) and deliveries pending in the old state are lost. Restore a state file from a backup only while feedhook is stopped";

fn store_hint(error: &StoreError) -> Option<&'static str> {
    match error {
        StoreError::Corrupt { .. } => Some(
            "the file was left untouched; restore it from a backup, or move it aside to start afresh (feeds will be re-read as new, posting only their backlog)",
        ),
        StoreError::TooNew { .. } => {
            Some("run the newer feedhook, or point [store] path (or url) at another state")
        }
        StoreError::Open { .. } => {
            Some("check that the folder exists and that feedhook's user may write there")
        }
        StoreError::DiskFull(_) => Some("free some space on the state file's disk"),
        StoreError::Unavailable { .. } => Some(
            "check that the database server is running and reachable from this host, and the [store] url",
        ),
        StoreError::AlreadyRunning { .. } => Some(
            "stop the other feedhook first (systemctl stop feedhook), or give this one another [store] path (a symlink to the same file is the same state)",
        ),
        StoreError::Changed { .. } => Some(CHANGED_HINT),
        StoreError::NotPending(_) | StoreError::Database(_) | StoreError::Fenced { .. } => None,
    }
}
