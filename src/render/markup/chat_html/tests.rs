use super::*;
use crate::render::html::to_rich_text;

fn matrix(summary: &str) -> String {
    MatrixHtml::write(&to_rich_text(summary, None))
}

fn telegram(summary: &str) -> String {
    TelegramHtml::write(&to_rich_text(summary, None))
}

#[test]
fn matrix_breaks_lines_with_br_and_keeps_code_in_pre() {
    assert_eq!(
        matrix("<p>a <b>bold</b><br>b</p><ul><li>x</li><li>y</li></ul><pre>  let x;\n</pre>"),
        "a <b>bold</b><br>b<br><br>• x<br>• y<br><br><pre><code>  let x;</code></pre>"
    );
}

#[test]
fn telegram_keeps_newlines_and_writes_no_br() {
    let written = telegram("<p>a <i>it</i><br>b</p><ol><li>one</li></ol><pre>x &lt; y</pre>");
    assert_eq!(written, "a <i>it</i>\nb\n\n1. one\n\n<pre>x &lt; y</pre>");
    assert!(!written.contains("<br"));
}

#[test]
fn feed_markup_is_escaped_in_both() {
    let summary =
        "<p>&lt;b&gt;x&lt;/b&gt; &amp;amp; <a href=\"https://x.example/?a=1&amp;b=\">l</a></p>";
    let expected = "&lt;b&gt;x&lt;/b&gt; &amp;amp; <a href=\"https://x.example/?a=1&amp;b=\">l</a>";
    assert_eq!(matrix(summary), expected);
    assert_eq!(telegram(summary), expected);
}

#[test]
fn telegram_mentions_are_defused_but_addresses_kept() {
    assert_eq!(
        telegram("<p>@everyone ping @admin_1, mail ops@example.org</p>"),
        "＠everyone ping ＠admin_1, mail ops@example.org"
    );
}
