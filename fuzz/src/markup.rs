//! Link destinations as each chat platform's markup would read them from a rendered text.
//!
//! Feed text is escaped by the markup writers, so the only links a platform should find are the
//! ones feedhook wrote, all to http(s) URLs. These scanners read the markup the way the platform
//! does (escapes, code fences) and return every destination, for the targets to check.

/// Destinations of Markdown inline links `[label](destination)` and autolinks `<scheme:…>` outside
/// fenced code, honouring backslash escapes (Teams, MessageCard, Discord, Mattermost).
#[must_use]
pub fn markdown_destinations(text: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut fence: Option<(char, usize)> = None;
    for line in text.split('\n') {
        let bare = line.trim_start_matches([' ', '>', '\u{a0}']);
        let run = |c: char| bare.chars().take_while(|&x| x == c).count();
        match fence {
            Some((c, len)) if run(c) >= len => fence = None,
            Some(_) => {}
            None => match ['`', '~'].into_iter().find(|&c| run(c) >= 3) {
                Some(c) => fence = Some((c, run(c))),
                None => scan_markdown_line(line, &mut out),
            },
        }
    }
    out
}

fn scan_markdown_line(line: &str, out: &mut Vec<String>) {
    let chars: Vec<char> = line.chars().collect();
    let mut i = 0;
    while i < chars.len() {
        match chars[i] {
            '\\' => i += 1,
            ']' if chars.get(i + 1) == Some(&'(') => {
                let rest = &chars[i + 2..];
                let end = rest
                    .iter()
                    .position(|&c| c == ')' || c.is_whitespace())
                    .unwrap_or(rest.len());
                out.push(rest[..end].iter().collect());
            }
            '<' => {
                // CommonMark autolink: `<` scheme `:` no spaces or `<` `>`.
                let rest = &chars[i + 1..];
                if let Some(end) = rest.iter().position(|&c| c == '>' || c == '<' || c == ' ')
                    && rest[end] == '>'
                    && rest[..end].contains(&':')
                {
                    out.push(rest[..end].iter().collect());
                }
            }
            _ => {}
        }
        i += 1;
    }
}

/// Destinations of Slack mrkdwn links and control sequences: every `<…>`. Slack reads `&lt;`
/// as text, so each literal `<` opens one.
#[must_use]
pub fn slack_destinations(text: &str) -> Vec<String> {
    text.split('<')
        .skip(1)
        .map(|rest| {
            let end = rest.find(['|', '>']).unwrap_or(rest.len());
            rest[..end].to_owned()
        })
        .collect()
}

/// `href` values of the `<a>` tags in the HTML a Google Chat `textParagraph` reads. Feed text
/// there has every `<` escaped, so a literal `<` opens a tag feedhook wrote.
#[must_use]
pub fn html_hrefs(text: &str) -> Vec<String> {
    text.split('<')
        .skip(1)
        .filter_map(|tag| {
            let tag = &tag[..tag.find('>').unwrap_or(tag.len())];
            let at = tag.to_ascii_lowercase().find("href")?;
            let value = tag[at + 4..].trim_start_matches([' ', '=', '"', '\'']);
            let end = value.find(['"', '\'', ' ']).unwrap_or(value.len());
            Some(value[..end].to_owned())
        })
        .collect()
}

/// Whether a destination is one feedhook may write: an absolute http(s) URL.
#[must_use]
pub fn is_web_destination(destination: &str) -> bool {
    let lower = destination.trim().to_ascii_lowercase();
    lower.starts_with("http://") || lower.starts_with("https://")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn markdown_links_are_found_and_escaped_ones_are_not() {
        let text = "[a](https://x.example/) \\[b\\](javascript:1) <javascript:2> \\<c:d>";
        assert_eq!(
            markdown_destinations(text),
            ["https://x.example/", "javascript:2"]
        );
    }

    #[test]
    fn fenced_code_is_not_read_for_links() {
        let text = "```\n[a](javascript:1)\n```\n[b](data:x)";
        assert_eq!(markdown_destinations(text), ["data:x"]);
    }

    #[test]
    fn slack_and_html_links_are_found() {
        assert_eq!(
            slack_destinations("&lt;x <https://a.example|a> <!channel>"),
            ["https://a.example", "!channel"]
        );
        assert_eq!(
            html_hrefs("<a href=\"javascript:1\">x</a> &lt;a href=\"#text\"&gt;"),
            ["javascript:1"]
        );
    }
}
