//! The disagreements that remain on purpose, each with its reason: what feedhook does differently
//! by choice, and the gaps it knowingly leaves. `docs/parsing.md` explains each one; a
//! disagreement that matches none of these is a regression.

/// Why a disagreement remains.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Why {
    /// feedhook reads the field differently on purpose.
    Choice(&'static str),
    /// feedhook does not read what the peer reads; rare enough to leave.
    Gap(&'static str),
}

/// A rule: the cases (path fragments) it covers, and fragments its expectation must all hold.
struct Rule {
    cases: &'static [&'static str],
    expectation: &'static [&'static str],
    why: Why,
}

const RULES: &[Rule] = &[
    Rule {
        cases: &["feed_item_image_-_rss_channel_item_"],
        expectation: &[],
        why: Why::Choice("no card image is guessed from an <img> in the summary"),
    },
    Rule {
        cases: &[""],
        expectation: &["image", "== \"http://"],
        why: Why::Choice("card images are https only: chat clients refuse plain-http images"),
    },
    Rule {
        cases: &[""],
        expectation: &["media_thumbnail", "== \"http://"],
        why: Why::Choice("card images are https only: chat clients refuse plain-http images"),
    },
    Rule {
        cases: &["_links.xml", "_links_-_", "links_-_rdf", "links_-_rss"],
        expectation: &[".link =="],
        why: Why::Choice("the first alternate link is the page, where gofeed takes the last"),
    },
    Rule {
        cases: &["dublincore_item_multiple_values"],
        expectation: &["authors"],
        why: Why::Choice("every author is kept, where gofeed keeps the first"),
    },
    Rule {
        cases: &["atom10/entry_category_term"],
        expectation: &[],
        why: Why::Choice("a category shows its label when it has one"),
    },
    Rule {
        cases: &["entry_id_xml_base", "http_entry_id_base_"],
        expectation: &[],
        why: Why::Choice("ids are kept as published: they are dedupe keys, not links"),
    },
    Rule {
        cases: &["entities/lang.xml", "entities/rang.xml"],
        expectation: &[],
        why: Why::Choice(
            "HTML5's entity table (&lang; is U+27E8), where feedparser keeps HTML 4's",
        ),
    },
    Rule {
        cases: &[
            "_crazy.xml",
            "_iframe.xml",
            "xml_malicious_comment",
            "xml_declaration_unexpected_character",
            "item_description_not_a_doctype",
            "_nested_cdata.xml",
        ],
        expectation: &[],
        why: Why::Choice("HTML is read as browsers read it (comments, doctypes, iframe contents)"),
    },
    Rule {
        cases: &["bozo_linenoise"],
        expectation: &[],
        why: Why::Choice("bytes that are not UTF-8 read as windows-1252, as browsers read them"),
    },
    Rule {
        cases: &["feed_item_updated_-_atom03_feed_entry_modified"],
        expectation: &["published"],
        why: Why::Choice("no publication date is made up from an update date"),
    },
    Rule {
        cases: &[
            "/cdf/",
            "atom/atom_namespace_",
            "itunes_core_element_uppercase",
            "entry_link_no_href_link_priority",
            "item_fullitem",
            "item_summary_and_description",
            "item_description_and_summary",
            "item_madeup_tags_element",
        ],
        expectation: &[],
        why: Why::Choice(
            "not a feed format or element feedhook reads (CDF, unknown Atom namespaces, \
             upper-case RSS names, feedparser's own elements)",
        ),
    },
    Rule {
        cases: &[
            "atom10_feed_title_xhtml_",
            "rss2.0NSwithModulesNoDefNS",
            "_naked_markup.xml",
            "issue_275_extensions_and_source",
            "atom10_feed_entry_category_label",
        ],
        expectation: &[],
        why: Why::Choice(
            "invalid documents left as they are: a mismatched end tag, a prefixed RSS root, \
             markup inside author/category/guid, JSON or XML content typed as base64, a \
             category without its required term",
        ),
    },
    Rule {
        cases: &["rdf_item_rdf_about"],
        expectation: &[],
        why: Why::Choice(
            "RSS 1.0 items are keyed by their link, so rdf:about is not read as the id",
        ),
    },
    Rule {
        cases: &[
            "itunes_item_category",
            "media-rss/item_media_category",
            "feed_item_fallbacks_-_rss_channel_item_extensions",
        ],
        expectation: &[],
        why: Why::Gap(
            "item-level itunes:category, itunes:keywords, media:category and dc:author are not read",
        ),
    },
    Rule {
        cases: &[
            "item_dc_author",
            "item_dcterms_",
            "_item_author_atom",
            "_item_content_atom",
            "_item_published_atom",
        ],
        expectation: &[],
        why: Why::Gap("dc:author, dcterms dates and Atom elements inside RSS items are not read"),
    },
];

/// Why the disagreement on `expectation` in `case` remains, if it is one of the known ones.
pub fn explain(case: &str, expectation: &str) -> Option<Why> {
    RULES
        .iter()
        .find(|rule| {
            rule.cases.iter().any(|fragment| case.contains(fragment))
                && rule
                    .expectation
                    .iter()
                    .all(|fragment| expectation.contains(fragment))
        })
        .map(|rule| rule.why)
}
