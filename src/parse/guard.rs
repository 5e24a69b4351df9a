//! Runs feed-rs so that a panic on hostile input becomes an error for that one feed.
//!
//! The panic is reported through [`super::ParseError::ParserPanicked`] (message and location), so
//! the default hook's stderr print would only duplicate it outside the log. A wrapper hook,
//! installed once, stays quiet for panics raised on a thread while it runs feed-rs here and hands
//! every other panic to the hook that was installed before it. The flag is per thread, so no
//! other thread's panic is ever silenced.

use std::cell::{Cell, RefCell};
use std::panic::{self, AssertUnwindSafe};
use std::sync::Once;

thread_local! {
    static QUIET: Cell<bool> = const { Cell::new(false) };
    static LOCATION: RefCell<Option<String>> = const { RefCell::new(None) };
}

static INSTALL_HOOK: Once = Once::new();

/// Runs `f`; a panic inside it comes back as `Err` with its message and location.
pub(super) fn catch_panic<T>(f: impl FnOnce() -> T) -> Result<T, String> {
    INSTALL_HOOK.call_once(install_hook);
    let was_quiet = QUIET.replace(true);
    let outcome = panic::catch_unwind(AssertUnwindSafe(f));
    QUIET.set(was_quiet);
    outcome.map_err(|payload| {
        let message = payload
            .downcast_ref::<&str>()
            .map(|s| (*s).to_owned())
            .or_else(|| payload.downcast_ref::<String>().cloned())
            .unwrap_or_else(|| "a panic without a message".to_owned());
        match LOCATION.take() {
            Some(location) => format!("{message} (at {location})"),
            None => message,
        }
    })
}

fn install_hook() {
    let previous = panic::take_hook();
    panic::set_hook(Box::new(move |info| {
        // `try_with` because a panic during thread teardown may find the locals gone.
        if QUIET.try_with(Cell::get).unwrap_or(false) {
            let location = info
                .location()
                .map(|location| format!("{}:{}", crate_relative(location.file()), location.line()));
            let _ = LOCATION.try_with(|slot| slot.replace(location));
        } else {
            previous(info);
        }
    }));
}

/// `feed-rs-3.0.0/src/x.rs` rather than the whole path into the builder's cargo registry.
fn crate_relative(file: &str) -> &str {
    match file.rsplit_once("/registry/src/") {
        Some((_, in_registry)) => in_registry
            .split_once('/')
            .map_or(in_registry, |(_, path)| path),
        None => file,
    }
}

#[cfg(test)]
mod tests;
