//! `${VAR}` in channel URLs, so that the secret part of a webhook can live in the service's environment
//! (an `EnvironmentFile=` readable by root only) instead of the config file.
//!
//! Only `${` starts a reference: a lone `$` is kept as written, and no escape is needed because no
//! webhook URL contains `${`.

/// Replaces every `${NAME}` in `text` with the value `env` gives for `NAME`. An unset or empty variable is
/// an error: a webhook URL with a hole in it would only fail later, far from the cause.
pub(super) fn expand(text: &str, env: &dyn Fn(&str) -> Option<String>) -> Result<String, String> {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(start) = rest.find("${") {
        out.push_str(&rest[..start]);
        let after = &rest[start + 2..];
        let end = after
            .find('}')
            .ok_or("\"${\" is not closed by \"}\"; write ${VARIABLE}")?;
        let name = &after[..end];
        if !is_variable_name(name) {
            return Err(format!(
                "{name:?} is not an environment variable name (letters, digits and _, not starting with a digit)"
            ));
        }
        match env(name) {
            Some(value) if !value.is_empty() => out.push_str(&value),
            Some(_) => return Err(format!("environment variable {name} is empty")),
            None => return Err(format!("environment variable {name} is not set")),
        }
        rest = &after[end + 1..];
    }
    out.push_str(rest);
    Ok(out)
}

fn is_variable_name(name: &str) -> bool {
    let mut chars = name.chars();
    chars
        .next()
        .is_some_and(|c| c.is_ascii_alphabetic() || c == '_')
        && chars.all(|c| c.is_ascii_alphanumeric() || c == '_')
}

#[cfg(test)]
mod tests {
    use super::*;

    fn env(name: &str) -> Option<String> {
        match name {
            "HOOK" => Some("https://hooks.example/abc".to_owned()),
            "TOKEN" => Some("s3cret".to_owned()),
            "BLANK" => Some(String::new()),
            _ => None,
        }
    }

    #[test]
    fn references_are_replaced_anywhere_in_the_text() {
        assert_eq!(
            expand("${HOOK}", &env).as_deref(),
            Ok("https://hooks.example/abc")
        );
        assert_eq!(
            expand("https://x.example/${TOKEN}?a=${TOKEN}", &env).as_deref(),
            Ok("https://x.example/s3cret?a=s3cret")
        );
    }

    #[test]
    fn text_without_references_is_kept_including_a_lone_dollar() {
        assert_eq!(
            expand("https://x.example/$path", &env).as_deref(),
            Ok("https://x.example/$path")
        );
    }

    #[test]
    fn an_unset_variable_is_named() {
        assert_eq!(
            expand("${OPS_TEAMS_WEBHOOK}", &env),
            Err("environment variable OPS_TEAMS_WEBHOOK is not set".to_owned())
        );
        assert!(
            expand("${BLANK}", &env)
                .expect_err("empty")
                .contains("BLANK is empty")
        );
    }

    #[test]
    fn malformed_references_are_errors() {
        assert!(
            expand("${HOOK", &env)
                .expect_err("unclosed")
                .contains("not closed")
        );
        assert!(
            expand("${1X}", &env)
                .expect_err("bad name")
                .contains("\"1X\"")
        );
    }
}
