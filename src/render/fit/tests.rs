use super::*;
use crate::render::html::to_rich_text;
use crate::render::markup::Markup;
use crate::render::markup::plain::Plain;

fn plain_within(max: usize) -> impl Fn(&String) -> bool {
    move |text: &String| text.chars().count() <= max
}

#[test]
fn the_longest_start_within_the_budget_is_kept() {
    let text = to_rich_text(&"<p>word word word word</p>".repeat(20), None);
    let written = fit(Plain::write, &text, plain_within(100));
    assert!(written.chars().count() <= 100, "{written}");
    assert!(written.chars().count() > 90, "{written}");
    assert!(written.ends_with('…'));
}

#[test]
fn a_summary_that_fits_is_kept_whole() {
    let text = to_rich_text("<p>short</p>", None);
    assert_eq!(fit(Plain::write, &text, plain_within(100)), "short");
}

/// A card of a title and an image (both counted) around the summary.
struct Card {
    title: String,
    image: Option<String>,
}

impl Fit for Card {
    type Output = String;

    fn render(&self, summary: &RichText) -> String {
        let image = self.image.as_deref().unwrap_or_default();
        format!("{}|{image}|{}", self.title, Plain::write(summary))
    }

    fn shed(&mut self) -> bool {
        shed_image_then_title(&mut self.image, &mut self.title)
    }
}

fn card() -> Card {
    Card {
        title: "word ".repeat(40).trim_end().to_owned(),
        image: Some("i".repeat(50)),
    }
}

#[test]
fn a_card_too_big_without_summary_sheds_its_image_first() {
    let summary = to_rich_text("<p>some summary text</p>", None);
    let written = fit(card(), &summary, plain_within(230));
    assert_eq!(
        written,
        format!("{}||some summary text", card().title),
        "the image went, the title and the whole summary stayed"
    );
}

#[test]
fn then_the_title_end_and_what_summary_fits_comes_back() {
    let summary = to_rich_text("<p>some summary text</p>", None);
    let written = fit(card(), &summary, plain_within(95));
    let (title, rest) = written.split_once('|').expect("title first");
    assert!(title.chars().count() <= SHORT_TITLE_CHARS, "{title}");
    assert!(rest.starts_with("|some"), "{written}");
    assert!(written.chars().count() <= 95, "{written}");
}

#[test]
fn a_card_too_big_with_nothing_left_to_shed_is_returned_bare() {
    let summary = to_rich_text("<p>text</p>", None);
    let written = fit(card(), &summary, plain_within(10));
    let (title, rest) = written.split_once('|').expect("title first");
    assert!(title.chars().count() <= SHORT_TITLE_CHARS, "{title}");
    assert_eq!(rest, "|");
}
