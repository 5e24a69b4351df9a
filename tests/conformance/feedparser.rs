//! Python feedparser's expectations: each test document opens with a comment whose `Expect:`
//! line is a Python expression over feedparser's result (`feed`, `entries`, `bozo`, …), and
//! whose `Header:` lines are the HTTP headers the document is served with.
//!
//! Each top-level `and` of an expectation is one check; the checks that read no field feedhook
//! extracts (`bozo`, `feed['generator']`, `entries[0]['links']`, …) are left out.

use std::path::Path;

use feedhook::parse::parse_feed;

use super::compare::compare;
use super::expr;
use super::python;
use super::value::Value;
use super::view::{feedparser_mapped, feedparser_names};
use super::{Check, files_under};

/// Where feedparser's test server serves the documents; relative links in the expectations
/// resolve against it.
const SERVED_AT: &str = "http://127.0.0.1:8097/";

/// The checks of every feedparser test document under `dir` (the corpus's `feedparser/`).
pub fn checks(dir: &Path) -> Vec<Check> {
    let mut checks = Vec::new();
    for path in files_under(dir) {
        let relative = path.strip_prefix(dir).unwrap_or(&path).to_string_lossy();
        let body = std::fs::read(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
        let Some(head) = Head::read(&body) else {
            continue;
        };
        let Some(expr) = expr::parse(&head.expect) else {
            checks.push(Check::unreadable(
                format!("feedparser/{relative}"),
                &head.expect,
            ));
            continue;
        };
        let document_url = format!("{SERVED_AT}{relative}");
        let base = match &head.content_location {
            Some(location) => super::compare::resolve(location, &document_url)
                .filter(|url| url.starts_with("http"))
                .unwrap_or(document_url),
            None => document_url,
        };
        let parsed = parse_feed(&body, head.charset.as_deref(), &base).ok();
        let names = feedparser_names(parsed.as_ref(), &base);
        let scope = python::Scope {
            names: &names,
            compare: &compare,
            mapped: &feedparser_mapped,
        };
        for conjunct in python::conjuncts(expr) {
            let Some(agrees) = python::truth(&python::eval(&conjunct, &scope)) else {
                continue;
            };
            let detail = python::observed(&conjunct, &scope)
                .into_iter()
                .filter(|(_, value)| !matches!(value, Value::Ignored))
                .map(|(path, value)| format!("{path} = {}", super::compare::show(&value)))
                .collect::<Vec<_>>()
                .join("; ");
            checks.push(Check {
                case: format!("feedparser/{relative}"),
                what: conjunct.to_string(),
                agrees,
                detail: format!("feedhook: {detail}"),
            });
        }
    }
    checks
}

/// What a test document's opening comment says.
struct Head {
    expect: String,
    charset: Option<String>,
    content_location: Option<String>,
}

impl Head {
    fn read(body: &[u8]) -> Option<Self> {
        // UTF-16 and UTF-32 documents: the comment is ASCII, so dropping the zero bytes reads it.
        let head: Vec<u8> = body
            .iter()
            .take(8192)
            .copied()
            .filter(|&b| b != 0)
            .collect();
        let head = String::from_utf8_lossy(&head);
        let comment = &head[head.find("<!--")? + 4..];
        let comment = &comment[..comment.find("-->")?];
        let field = |name: &str| -> Vec<String> {
            comment
                .lines()
                .filter_map(|line| line.trim().strip_prefix(name).map(|v| v.trim().to_owned()))
                .collect()
        };
        let expect = field("Expect:").into_iter().next()?;
        let mut charset = None;
        let mut content_location = None;
        for header in field("Header:") {
            let Some((name, value)) = header.split_once(':') else {
                continue;
            };
            match name.trim().to_ascii_lowercase().as_str() {
                "content-type" => charset = charset_of(value),
                "content-location" => content_location = Some(value.trim().to_owned()),
                _ => {}
            }
        }
        Some(Self {
            expect,
            charset,
            content_location,
        })
    }
}

fn charset_of(content_type: &str) -> Option<String> {
    content_type.split(';').skip(1).find_map(|parameter| {
        let (name, value) = parameter.split_once('=')?;
        let value = value.trim().trim_matches(['"', '\'']).trim();
        (name.trim().eq_ignore_ascii_case("charset") && !value.is_empty()).then(|| value.to_owned())
    })
}
