//! `feedhook check`: validates the configuration, touching neither the network nor the state —
//! unless `--fetch` asks it to read every feed once too. Each channel's template is rendered for
//! sample entries, so that one that would fail every delivery (a misspelt key, an unknown
//! filter, endless recursion) fails here first.

use std::path::Path;

use crate::config::{Config, ConfigError, Problem};
use crate::render::{self, generic::samples};

use super::escape::printable;
use super::{EXIT_CONFIG, EXIT_INCOMPLETE, EXIT_OK, logging, read_feed};

pub async fn run(path: &Path, fetch: bool) -> u8 {
    let config = match Config::load(path) {
        Ok(config) => {
            logging::mask_secrets(&config.redactor);
            config
        }
        Err(error @ (ConfigError::Read { .. } | ConfigError::Invalid(_))) => {
            eprintln!("feedhook: {error}");
            return EXIT_CONFIG;
        }
    };
    let problems = template_problems(&config);
    if !problems.is_empty() {
        eprintln!("feedhook: {}", ConfigError::Invalid(problems));
        return EXIT_CONFIG;
    }
    for warning in &config.warnings {
        eprintln!("warning: {warning}");
    }
    println!(
        "{}: OK — {} feed(s), {} channel(s), state in {}",
        path.display(),
        config.feeds.len(),
        config.channels.len(),
        config.store.shown()
    );
    if fetch {
        fetch_every_feed(&config).await
    } else {
        EXIT_OK
    }
}

/// Every channel's template (or Discord forum post name) rendered for each sample entry ([`samples`]), as a delivery renders
/// it; for each template, the first sample it fails for, located at the `template` key, in file
/// order.
fn template_problems(config: &Config) -> Vec<Problem> {
    let samples = samples::samples();
    let mut problems = Vec::new();
    for channel in config.channels.values() {
        // A generic channel's body, or a Discord forum's post names: a channel has one or none.
        let options = &channel.options;
        let templates = [
            ("template", &options.template),
            ("thread_name", &options.thread_name),
        ];
        let Some((key, template)) = templates
            .into_iter()
            .find_map(|(key, template)| Some((key, template.as_ref()?)))
        else {
            continue;
        };
        let failure = samples.iter().find_map(|sample| {
            render::render(channel.kind, &channel.options, &sample.card())
                .err()
                // The key is named already: the message need not say it again.
                .map(|error| match error {
                    render::RenderError::ThreadName(error) => (sample.description, *error),
                    error => (sample.description, error),
                })
        });
        if let Some((sample, error)) = failure {
            problems.push(Problem {
                file: config.source.clone(),
                line: template.line(),
                key: format!("channels.{}.{key}", channel.name),
                message: format!("rendered for {sample}, {error}"),
            });
        }
    }
    problems.sort_by_key(|problem| problem.line);
    problems
}

/// Reads every feed once and says, per feed, whether it is a feed (and how many entries it has), or
/// what it is instead — an HTML page names the feeds it advertises.
async fn fetch_every_feed(config: &Config) -> u8 {
    let mut failed = 0;
    for feed in config.feeds.iter() {
        let name = feed.display_name();
        match read_feed(config, feed).await {
            Ok(parsed) => println!("feed {name}: OK, {} entries", parsed.entries.len()),
            Err(message) => {
                failed += 1;
                // What the server sent is masked already (the fetcher's redactor): a feed's
                // error may still hold control characters.
                println!("feed {name}: {}", printable(&message));
            }
        }
    }
    if failed == 0 {
        EXIT_OK
    } else {
        EXIT_INCOMPLETE
    }
}
