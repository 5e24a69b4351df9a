//! `mention = […]`: platform-native mentions that ping when a channel posts, each checked against
//! the form its platform writes it in. Only these ping: feed text stays neutralised everywhere.
//! A feed may replace a channel's mentions with its own (`mention = { ops = […] }` in
//! `[[feeds]]`, read in `feed::mention`), checked here the same way.

use toml::Spanned;

use super::kind::ChannelKind::{self, Discord, Matrix, Slack, Teams};

/// The kinds that take `mention`. A legacy `teams-messagecard` connector card cannot mention
/// anyone: only Adaptive Cards carry Teams' mention entities.
pub(in crate::config) const MENTION_KINDS: &[ChannelKind] = &[Teams, Slack, Discord, Matrix];
/// The most mentions one channel pings: enough for a team, and a bound the renderers' size
/// budgets leave room for.
pub const MAX_MENTIONS: usize = 10;
/// The longest mention (Matrix user ids may have 255 bytes; none of the others come near).
const MAX_MENTION_BYTES: usize = 128;

/// The mentions of a channel of `kind`, each in its platform's form.
pub(in crate::config) fn mentions(
    list: &[Spanned<String>],
    kind: Option<ChannelKind>,
) -> Result<Vec<String>, String> {
    if list.len() > MAX_MENTIONS {
        return Err(format!(
            "{} mentions; the most is {MAX_MENTIONS} (a user group or a role pings many at once)",
            list.len()
        ));
    }
    list.iter()
        .map(|mention| {
            let text = mention.get_ref().trim();
            match kind {
                Some(kind) => mention_for(kind, text).map(|()| text.to_owned()),
                None => Ok(text.to_owned()),
            }
        })
        .collect()
}

fn mention_for(kind: ChannelKind, text: &str) -> Result<(), String> {
    if text.len() > MAX_MENTION_BYTES || text.chars().any(|c| c.is_whitespace() || c.is_control()) {
        return Err(format!(
            "mention {text:?} is too long or holds a space or a control character"
        ));
    }
    let valid = match kind {
        Teams => is_teams_user(text),
        Slack => is_slack(text),
        Discord => is_discord(text),
        Matrix => is_matrix_user(text),
        _ => true,
    };
    if valid {
        return Ok(());
    }
    let forms = match kind {
        Teams => {
            "a user's UPN \"alice@contoso.com\" or Entra object id \"87d349ed-44d7-43e1-9a83-5f2406dee5bd\""
        }
        Slack => {
            "\"<!here>\", \"<!channel>\", a user \"<@U0123ABCD>\" or a user group \"<!subteam^S0123ABCD>\""
        }
        Discord => "a role \"<@&123456789012345678>\" or a user \"<@123456789012345678>\"",
        _ => "a user id such as \"@alice:example.org\"",
    };
    Err(format!(
        "mention {text:?} is not a {kind} mention; write {forms}"
    ))
}

/// A Teams user as Teams' Adaptive Card mentions name one: a user principal name (an email-like
/// `name@domain`) or a Microsoft Entra object id (a GUID).
fn is_teams_user(text: &str) -> bool {
    is_guid(text) || is_upn(text)
}

fn is_guid(text: &str) -> bool {
    let groups: Vec<&str> = text.split('-').collect();
    groups.len() == 5
        && groups
            .iter()
            .zip([8, 4, 4, 4, 12])
            .all(|(group, len)| group.len() == len && group.bytes().all(|b| b.is_ascii_hexdigit()))
}

/// `name@domain.tld`: a local part of the characters Entra allows in a UPN and a dotted domain.
/// No `<`, `>` or `"` can slip into the `<at>` text this becomes.
fn is_upn(text: &str) -> bool {
    let Some((local, domain)) = text.split_once('@') else {
        return false;
    };
    let local_ok = !local.is_empty()
        && local
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || "._-+'!#^~".contains(c));
    let labels: Vec<&str> = domain.split('.').collect();
    local_ok
        && labels.len() >= 2
        && labels.iter().all(|label| {
            !label.is_empty()
                && !label.starts_with('-')
                && !label.ends_with('-')
                && label.chars().all(|c| c.is_ascii_alphanumeric() || c == '-')
        })
}

fn is_slack(text: &str) -> bool {
    if matches!(text, "<!here>" | "<!channel>") {
        return true;
    }
    let id = |body: Option<&str>, first: &[char]| {
        body.and_then(|body| body.strip_suffix('>'))
            .is_some_and(|id| {
                id.starts_with(first)
                    && id.len() >= 2
                    && id
                        .chars()
                        .all(|c| c.is_ascii_uppercase() || c.is_ascii_digit())
            })
    };
    id(text.strip_prefix("<@"), &['U', 'W']) || id(text.strip_prefix("<!subteam^"), &['S'])
}

fn is_discord(text: &str) -> bool {
    let Some(inner) = text.strip_prefix("<@").and_then(|t| t.strip_suffix('>')) else {
        return false;
    };
    let id = inner.strip_prefix('&').unwrap_or(inner);
    (15..=20).contains(&id.len()) && id.bytes().all(|b| b.is_ascii_digit())
}

/// `@localpart:server`, as the Matrix spec's user identifier grammar has it (the localpart's
/// historical characters allowed).
fn is_matrix_user(text: &str) -> bool {
    let Some((local, server)) = text.strip_prefix('@').and_then(|t| t.split_once(':')) else {
        return false;
    };
    !local.is_empty()
        && local.chars().all(|c| c.is_ascii_graphic() && c != ':')
        && !server.is_empty()
        && server
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | ':' | '[' | ']'))
}

#[cfg(test)]
mod tests;
