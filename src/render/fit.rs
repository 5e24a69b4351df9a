//! Fitting a card into its platform's limits, the one search every target uses: the longest start
//! of the summary whose rendering still fits, counted however the platform counts (payload
//! bytes, characters of written text, UTF-16 units of one field). When not even a card without
//! summary fits (a link of many kilobytes), the card sheds what it can spare, in its own order
//! (the image, most of the title…), and the search starts again.

use super::card::ChannelCard;
use super::richtext::RichText;
use super::truncate::{Measure, rich_len, truncate, truncate_rich};

/// Used for a title that leaves no room, where a target sheds its title's end.
pub const SHORT_TITLE_CHARS: usize = 80;

/// What a target fits: anything rendered from a summary. A closure `Fn(&RichText) -> T` is one
/// that sheds nothing.
pub trait Fit {
    type Output;
    /// The rendering with this summary.
    fn render(&self, summary: &RichText) -> Self::Output;
    /// Gives up the next part that can go; false when nothing is left to give.
    fn shed(&mut self) -> bool {
        false
    }
}

impl<F: Fn(&RichText) -> T, T> Fit for F {
    type Output = T;

    fn render(&self, summary: &RichText) -> T {
        self(summary)
    }
}

/// The rendering of `card` with as much of `summary` as `fits` allows. If not even an empty
/// summary fits, the card sheds a part and the search starts again; a card still too big with
/// nothing left to shed is returned as is, and the platform's rejection is logged by the delivery.
pub fn fit<F: Fit>(
    mut card: F,
    summary: &RichText,
    fits: impl Fn(&F::Output) -> bool,
) -> F::Output {
    loop {
        if let Some(fitted) = longest_fitting(&card, summary, &fits) {
            return fitted;
        }
        if !card.shed() {
            return card.render(&RichText::default());
        }
    }
}

/// The rendering with the longest start of `summary` (as [`truncate_rich`] cuts it, ellipsis
/// included) that fits, found by binary search; `None` when not even an empty summary fits.
/// Assumes that a shorter start never renders longer, which holds for every writer here.
fn longest_fitting<F: Fit>(
    card: &F,
    summary: &RichText,
    fits: &impl Fn(&F::Output) -> bool,
) -> Option<F::Output> {
    let whole = card.render(summary);
    if fits(&whole) {
        return Some(whole);
    }
    let mut best = card.render(&RichText::default());
    if !fits(&best) {
        return None;
    }
    // Invariant: `fitting` characters of summary fit (as `best`), `too_many` do not.
    let (mut fitting, mut too_many) = (0, rich_len(summary));
    while fitting + 1 < too_many {
        let middle = fitting + (too_many - fitting) / 2;
        let candidate = card.render(&truncate_rich(summary, middle));
        if fits(&candidate) {
            fitting = middle;
            best = candidate;
        } else {
            too_many = middle;
        }
    }
    Some(best)
}

/// A card fitted around its summary: the title, link and image the card targets show, and the
/// target's own `parts`, which it lays out ([`Layout`]). When not even an empty summary fits, the
/// card gives up its image, then its title's end, then (where the target allows) its link.
#[derive(Debug, Clone)]
pub struct Frame<P> {
    pub title: String,
    pub link: Option<String>,
    pub image: Option<String>,
    pub parts: P,
}

/// How a target lays out a [`Frame`] of its `parts` and a summary.
pub trait Layout: Sized {
    type Output;
    /// Whether the link may go once the image and the title's end are gone. Most targets keep
    /// the link whatever it costs: without it the card leads nowhere.
    const SHEDS_LINK: bool = false;
    /// The rendering of `frame` with this summary.
    fn render(frame: &Frame<Self>, summary: &RichText) -> Self::Output;
}

impl<P: Layout> Frame<P> {
    /// The display title, link and image of `card`, around the target's `parts`.
    #[must_use]
    pub fn new(card: &ChannelCard<'_>, parts: P) -> Self {
        Self {
            title: card.display_title(),
            link: card.link().map(String::from),
            image: card.image().map(String::from),
            parts,
        }
    }
}

impl<P: Layout> Fit for Frame<P> {
    type Output = P::Output;

    fn render(&self, summary: &RichText) -> P::Output {
        P::render(self, summary)
    }

    fn shed(&mut self) -> bool {
        shed_image_then_title(&mut self.image, &mut self.title)
            || (P::SHEDS_LINK && self.link.take().is_some())
    }
}

/// Sheds a card's image, else the end of its title (down to [`SHORT_TITLE_CHARS`]); false when
/// both are gone already.
fn shed_image_then_title(image: &mut Option<String>, title: &mut String) -> bool {
    if image.take().is_some() {
        return true;
    }
    let short = truncate(title, SHORT_TITLE_CHARS, Measure::Chars);
    if short.len() < title.len() {
        *title = short.into_owned();
        return true;
    }
    false
}

#[cfg(test)]
mod tests;
