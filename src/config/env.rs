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
mod tests;
