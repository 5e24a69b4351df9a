//! `[http]`: the address of the operator's endpoint (`/metrics`, `/healthz`). Without the table
//! nothing listens; with it, `listen` is required, since guessing a port would surprise a firewall.

use std::net::SocketAddr;

use toml::Spanned;

use super::HttpSettings;
use super::raw::HttpRaw;
use super::report::Report;

const LISTEN_HINT: &str = "write an IP address and a port, e.g. \"127.0.0.1:9184\" or \"[::1]:9184\" (host names are not resolved)";

/// The validated `[http]` table, or `None` when it has a problem (reported).
pub(super) fn http(table: &Spanned<HttpRaw>, report: &mut Report) -> Option<HttpSettings> {
    let Some(listen) = &table.get_ref().listen else {
        // A `listen` of the wrong type was reported and left out; it is not missing as well.
        if report.problems.iter().any(|p| p.key == "http.listen") {
            return None;
        }
        let message = "missing key listen (the address to serve /metrics and /healthz on, \
                       e.g. listen = \"127.0.0.1:9184\"); remove [http] to serve nothing";
        report.error(table.span(), "http.listen", message);
        return None;
    };
    let text = listen.get_ref();
    let Ok(address) = text.trim().parse::<SocketAddr>() else {
        let message = format!("invalid address {text:?}: {LISTEN_HINT}");
        report.error(listen.span(), "http.listen", message);
        return None;
    };
    if !address.ip().is_loopback() {
        let message = format!(
            "listen = {text:?} serves the metrics (feed and channel names, error counts) to the \
             network without authentication; prefer 127.0.0.1 and let Prometheus or a proxy reach it"
        );
        report.warn(Some(listen.span()), "http.listen", message);
    }
    Some(HttpSettings { listen: address })
}

#[cfg(test)]
mod tests {
    use std::path::Path;

    use crate::config::{Config, ConfigError, Problem};

    const CONSOLE: &str = "[channels.terminal]\nkind = \"console\"\n";

    fn load(http: &str) -> Result<Config, ConfigError> {
        let text = format!("{http}{CONSOLE}");
        Config::from_toml_str(&text, Path::new("/etc/feedhook/feedhook.toml"), &|_| None)
    }

    fn only_problem(http: &str) -> Problem {
        match load(http) {
            Err(ConfigError::Invalid(problems)) if problems.len() == 1 => {
                problems.into_iter().next().expect("one problem")
            }
            other => panic!("expected one problem, got {other:?}"),
        }
    }

    #[test]
    fn without_http_nothing_listens() {
        let config = load("").expect("valid");
        assert_eq!(config.http, None);
    }

    #[test]
    fn listen_takes_a_socket_address() {
        let config = load("[http]\nlisten = \"127.0.0.1:9184\"\n").expect("valid");
        let listen = config.http.expect("[http] is set").listen;
        assert_eq!(listen, "127.0.0.1:9184".parse().expect("address"));
        assert!(
            !config.warnings.iter().any(|w| w.contains("http.listen")),
            "{:?}",
            config.warnings
        );
        let config = load("[http]\nlisten = \"[::1]:9184\"\n").expect("valid");
        assert!(config.http.expect("[http] is set").listen.is_ipv6());
    }

    #[test]
    fn a_host_name_or_a_missing_port_is_refused_at_its_line() {
        for bad in ["localhost:9184", "127.0.0.1", "9184", ""] {
            let problem = only_problem(&format!("[http]\nlisten = \"{bad}\"\n"));
            assert_eq!(
                (problem.key.as_str(), problem.line),
                ("http.listen", Some(2))
            );
            assert!(
                problem.message.contains("e.g. \"127.0.0.1:9184\""),
                "{problem}"
            );
        }
    }

    #[test]
    fn an_http_table_without_listen_is_an_error() {
        let problem = only_problem("[http]\n\n");
        assert_eq!(
            (problem.key.as_str(), problem.line),
            ("http.listen", Some(1))
        );
        assert!(problem.message.contains("missing key listen"), "{problem}");
    }

    #[test]
    fn unknown_keys_and_wrong_types_are_named() {
        let problem = only_problem("[http]\nlisten = \"127.0.0.1:9184\"\nport = 9184\n");
        assert_eq!((problem.key.as_str(), problem.line), ("http.port", Some(3)));
        let problem = only_problem("[http]\nlisten = 9184\n");
        assert_eq!(
            (problem.key.as_str(), problem.line),
            ("http.listen", Some(2))
        );
    }

    #[test]
    fn listening_beyond_loopback_is_allowed_with_a_warning() {
        let config = load("[http]\nlisten = \"0.0.0.0:9184\"\n").expect("valid");
        assert!(config.http.is_some());
        assert!(
            config
                .warnings
                .iter()
                .any(|w| w.contains("http.listen") && w.contains("without authentication")),
            "{:?}",
            config.warnings
        );
    }
}
