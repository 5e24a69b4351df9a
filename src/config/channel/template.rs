//! `template = "…"` of a generic channel: the operator's minijinja template, compiled once when the
//! configuration is read, with the bounds every render of it runs under.
//!
//! A template is code the operator wrote, run for every entry of every feed the channel takes. A
//! mistake in it must cost that channel's deliveries, never the daemon, and must say so:
//!
//! - undefined values are errors ([`UndefinedBehavior::Strict`]): a misspelt `{{ entry.titel }}`
//!   fails the delivery instead of posting an empty field. Every key of the generic object is
//!   always present (`null` when the feed does not say), so `{{ entry.title }}` on an untitled
//!   entry is not an error: `null` is written as nothing, and is false in an `{% if %}`;
//! - a render runs at most [`Template::FUEL`] steps, so that a loop over `range(100000)` inside
//!   another ends in milliseconds with an error instead of running for hours;
//! - loops, conditions and macro calls nest at most [`Template::RECURSION_LIMIT`] deep, so that
//!   endless recursion is an error, not a stack overflow;
//! - the size of what a render writes is capped by the renderer, which owns the output.

use std::fmt;
use std::io;
use std::sync::Arc;

use minijinja::value::{Kwargs, Value};
use minijinja::{Environment, Error, ErrorKind, UndefinedBehavior, escape_formatter};

/// The name the template is known by inside its environment, and in minijinja's own messages.
const NAME: &str = "template";

/// A channel's template, compiled. Cheap to clone; equal when the sources are equal (so that a
/// reload sees an unchanged channel as unchanged, wherever the key moved in the file).
#[derive(Clone)]
pub struct Template {
    compiled: Arc<Environment<'static>>,
    source: Arc<str>,
    line: Option<usize>,
}

impl Template {
    /// The most steps (template instructions) one render may take. A template that fills a chat
    /// message or a JSON body takes a few hundred; this leaves room for a loop over thousands of
    /// items, and stops a runaway loop within milliseconds.
    pub const FUEL: u64 = 100_000;

    /// How deep loops, conditions and macro calls may nest in one render (a macro call counts
    /// for several levels). A webhook body never needs more; endless recursion reaches it at once.
    pub const RECURSION_LIMIT: usize = 100;

    /// Compiles `source`; `line` is the line of the `template` key in the file, for messages
    /// about the template later on (`feedhook check`).
    ///
    /// # Errors
    ///
    /// An empty template, or one that does not compile, with the line in the template.
    pub fn compile(source: &str, line: Option<usize>) -> Result<Self, String> {
        if source.trim().is_empty() {
            return Err(
                "the template is empty; remove the key to post feedhook's JSON entry object".into(),
            );
        }
        let mut env = environment();
        env.add_template_owned(NAME, source.to_owned())
            .map_err(|error| compile_error(&error))?;
        Ok(Self {
            compiled: Arc::new(env),
            source: source.into(),
            line,
        })
    }

    /// The template as written in the configuration.
    #[must_use]
    pub fn source(&self) -> &str {
        &self.source
    }

    /// The line of the `template` key in the configuration file.
    #[must_use]
    pub fn line(&self) -> Option<usize> {
        self.line
    }

    /// Renders the template with `context` into `out`, within the bounds above.
    ///
    /// # Errors
    ///
    /// What minijinja reports: an undefined value, an unknown filter, running out of fuel, an
    /// error from `out` (the renderer's size cap), …
    pub fn render_to(
        &self,
        context: &minijinja::Value,
        out: impl io::Write,
    ) -> Result<(), minijinja::Error> {
        let template = self.compiled.get_template(NAME)?;
        template.render_captured_to(context, out).map(drop)
    }
}

impl PartialEq for Template {
    fn eq(&self, other: &Self) -> bool {
        self.source == other.source
    }
}

impl Eq for Template {}

impl fmt::Debug for Template {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Template")
            .field("source", &self.source)
            .field("line", &self.line)
            .finish_non_exhaustive()
    }
}

/// No auto-escaping (a body is not always JSON, nor HTML), `null` written as nothing rather than
/// `none`, undefined values refused, and the bounds of every render.
fn environment() -> Environment<'static> {
    let mut env = Environment::new();
    env.set_undefined_behavior(UndefinedBehavior::Strict);
    env.set_fuel(Some(Template::FUEL));
    env.set_recursion_limit(Template::RECURSION_LIMIT);
    env.set_formatter(|out, state, value| {
        if value.is_none() {
            Ok(())
        } else {
            escape_formatter(out, state, value)
        }
    });
    env.add_filter("tojson", strict_tojson);
    env
}

/// minijinja's `tojson`, refusing an undefined value: strict mode does not reach into filters, and
/// `{{ entry.titel | tojson }}` is how a misspelt key looks in a JSON body.
fn strict_tojson(value: &Value, indent: Option<Value>, args: Kwargs) -> Result<Value, Error> {
    if value.is_undefined() {
        return Err(Error::from(ErrorKind::UndefinedError));
    }
    minijinja::filters::tojson(value, indent, args)
}

fn compile_error(error: &minijinja::Error) -> String {
    let at = error.line().map_or_else(String::new, |line| {
        format!(" at line {line} of the template")
    });
    match error.detail() {
        Some(detail) => format!(
            "the template does not compile: {}{at}: {detail}",
            error.kind()
        ),
        None => format!("the template does not compile: {}{at}", error.kind()),
    }
}

#[cfg(test)]
mod tests;
