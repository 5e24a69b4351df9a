//! `feedhook check`: validates the configuration, touching neither the network nor the state.

use std::path::Path;

use super::{EXIT_OK, load_config};

pub fn run(path: &Path) -> u8 {
    match load_config(path) {
        Ok(config) => {
            for warning in &config.warnings {
                eprintln!("warning: {warning}");
            }
            println!(
                "{}: OK — {} feed(s), {} channel(s), state in {}",
                path.display(),
                config.feeds.len(),
                config.channels.len(),
                config.store.path.display()
            );
            EXIT_OK
        }
        Err(code) => code,
    }
}
