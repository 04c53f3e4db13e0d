//! What rendering a document gives: its HTML, and its headings, passages,
//! links and quotations as data.

use std::borrow::Cow;
use std::ops::Range;

use serde::Serialize;

use super::packed::PackedHtml;
use super::sanitise::SanitisedHtml;
use crate::links::{LinkTarget, TermKind};

/// What to do with HTML written inside Markdown.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RawHtml {
    /// Show it as text (the default: content cannot inject markup or scripts).
    Escape,
    /// Drop the tags, keep the text between them (for source documents).
    Strip,
    /// Publish it without what can run script, and say what was removed
    /// (only when `site.toml` opts in): see [`sanitise`](crate::markdown::sanitise).
    Keep,
}

/// How to read a Markdown document.
#[derive(Debug, Clone, Copy)]
pub struct Options {
    /// What to do with raw HTML.
    pub raw_html: RawHtml,
    /// Take a paragraph that is entirely bold as a section heading, as fact
    /// sheets mark their sections.
    pub bold_paragraphs_are_headings: bool,
}

impl Default for Options {
    fn default() -> Self {
        Options {
            raw_html: RawHtml::Escape,
            bold_paragraphs_are_headings: false,
        }
    }
}

/// Where a document sits, for rewriting its links.
#[derive(Debug, Clone, Copy)]
pub struct Location<'a> {
    /// The document's directory relative to `content/` (`""` at the top).
    pub dir: &'a str,
    /// The way from the document's output file back to the site root.
    pub root: &'a str,
}

/// A heading of a document.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Hash)]
pub struct Heading {
    /// 1 to 6.
    pub level: u8,
    /// The anchor (`id`).
    pub id: String,
    /// The heading as plain text.
    pub title: String,
}

/// What kind of block a passage is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum PassageKind {
    /// A paragraph outside any list.
    Paragraph,
    /// A list item (with its own paragraphs, without nested items).
    ListItem,
    /// A table row.
    TableRow,
    /// The header row of a table.
    TableHead,
    /// A heading.
    Heading,
}

/// An `agency:` or `topic:` link in a passage: the entry it names and
/// where its words are in the passage's text.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Annotation {
    /// Which registry.
    pub kind: TermKind,
    /// The entry's id.
    pub id: Box<str>,
    /// Where the words of the link are in [`Passage::text`], in bytes.
    pub range: Range<usize>,
}

/// A piece of a passage's text, as [`Passage::pieces`] gives them.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Piece<'a> {
    /// Plain text.
    Text(&'a str),
    /// The words of an annotation.
    Term(&'a Annotation, &'a str),
}

/// A block of text with its own anchor: what mentions point to.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Passage {
    /// The anchor.
    pub id: String,
    /// What kind of block it is.
    pub kind: PassageKind,
    /// The index of the heading it sits under (for a heading, the heading
    /// before it), if any: a mention's or a citation's section in O(1).
    pub heading: Option<usize>,
    /// The text, without markup.
    pub(super) text: String,
    /// The annotated terms in the text, in order.
    pub annotations: Vec<Annotation>,
    /// Where the block starts, in bytes of the Markdown text.
    pub offset: usize,
    /// The `source:` links in it: indexes into [`Rendered::links`].
    pub citations: Vec<usize>,
    /// Where the passage's own HTML ends in [`Rendered::html`], the place
    /// for a note about it: after a paragraph's `</p>`, before a list
    /// item's nested list or `</li>`. `None` where nothing may be added:
    /// headings, table rows, footnotes.
    pub html_end: Option<usize>,
}

impl Passage {
    /// The passage as plain text.
    pub fn text(&self) -> &str {
        &self.text
    }

    /// The text in pieces, in order: plain text, and the words of each
    /// annotation.
    pub fn pieces(&self) -> impl Iterator<Item = Piece<'_>> {
        let mut at = 0;
        let mut annotations = self.annotations.iter().peekable();
        std::iter::from_fn(move || {
            if let Some(annotation) = annotations.peek() {
                if annotation.range.start > at {
                    let text = &self.text[at..annotation.range.start];
                    at = annotation.range.start;
                    return Some(Piece::Text(text));
                }
                let annotation = annotations.next()?;
                at = annotation.range.end;
                return Some(Piece::Term(
                    annotation,
                    &self.text[annotation.range.clone()],
                ));
            }
            if at < self.text.len() {
                let text = &self.text[at..];
                at = self.text.len();
                return Some(Piece::Text(text));
            }
            None
        })
    }

    /// The registry entries the passage mentions, in order, without repeats.
    pub fn terms(&self) -> Vec<(TermKind, &str)> {
        let mut terms: Vec<(TermKind, &str)> = Vec::new();
        for annotation in &self.annotations {
            let term = (annotation.kind, &*annotation.id);
            if !terms.contains(&term) {
                terms.push(term);
            }
        }
        terms
    }
}

/// A link or image as written, and what it points to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Link {
    /// The destination as written.
    pub dest: String,
    /// What it points to.
    pub target: LinkTarget,
    /// Where the destination is, in bytes of the Markdown text.
    pub range: Range<usize>,
}

/// Words a document presents as the words of a source it cites: text in
/// double quotation marks in a passage with a `source:` link, or a
/// paragraph of a block quotation (`> ...`) with one.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Quotation {
    /// The quoted words as written, without the quotation marks.
    pub text: String,
    /// Where the quotation is, in bytes of the Markdown text.
    pub range: Range<usize>,
    /// The `source:` links it must agree with: indexes into
    /// [`Rendered::links`].
    pub citations: Vec<usize>,
    /// Whether it is a block quotation rather than text in quotation marks.
    pub block: bool,
}

/// The anchors (`id`s) of a document.
pub type Anchors = foldhash::HashSet<String>;

/// The result of rendering one document.
#[derive(Debug, Clone, Default)]
pub struct Rendered {
    /// The HTML of the body; empty once [packed](Rendered::pack_html).
    pub html: String,
    /// The HTML, compressed, once [packed](Rendered::pack_html).
    pub packed_html: Option<PackedHtml>,
    /// Every heading, in order.
    pub headings: Vec<Heading>,
    /// Every passage, in order.
    pub passages: Vec<Passage>,
    /// Every link and image.
    pub links: Vec<Link>,
    /// Every quotation of a cited source, in order.
    pub quotations: Vec<Quotation>,
    /// Every `id` written into the HTML.
    pub anchors: Anchors,
    /// The anchors headings asked for with `{#id}`, with where each heading
    /// starts in bytes of the Markdown.
    pub chosen_anchors: Vec<(String, usize)>,
    /// The anchors a heading asked for with `{#id}` that were taken already.
    pub taken_anchors: Vec<TakenAnchor>,
    /// How many words of text the document has.
    pub word_count: usize,
    /// What was removed from kept raw HTML, per inline tag or HTML block,
    /// in order.
    pub sanitised: Vec<SanitisedHtml>,
    /// The `source:` link of each citation marker, in the order they are
    /// written: indexes into [`Rendered::links`]. The marker numbered `n`
    /// (`<a href="..." class="citation">n</a>`) is the `n`-th.
    pub citation_markers: Vec<usize>,
    /// Where the lead (everything before the first heading) ends in
    /// [`Rendered::html`], when the first heading stands on its own (not in
    /// a list, a block quotation or kept raw HTML) and something comes
    /// before it.
    pub lead_end: Option<usize>,
}

impl Rendered {
    /// Holds the HTML compressed (see [`PackedHtml`]): what a large site's
    /// one-off build does with its pages' HTML between the model and the
    /// render stage. The places in it (`lead_end`, `html_end`) stay those of
    /// the HTML unpacked.
    pub fn pack_html(&mut self) {
        self.packed_html = Some(PackedHtml::pack(&self.html));
        self.html = String::new();
    }

    /// The HTML of the body, unpacked if it was packed.
    pub fn unpacked_html(&self) -> Cow<'_, str> {
        match &self.packed_html {
            Some(packed) => Cow::Owned(packed.unpack()),
            None => Cow::Borrowed(&self.html),
        }
    }

    /// The heading the passage at `index` sits under (the passage itself
    /// when it is a heading): the nearest heading at or before it.
    pub fn heading_of(&self, index: usize) -> Option<&Passage> {
        self.heading_index_of(index).map(|at| &self.passages[at])
    }

    /// The position of [`heading_of`](Rendered::heading_of) in the
    /// passages.
    pub fn heading_index_of(&self, index: usize) -> Option<usize> {
        let passage = self.passages.get(index)?;
        if passage.kind == PassageKind::Heading {
            Some(index)
        } else {
            passage.heading
        }
    }
}

/// An anchor a heading asked for with `{#id}` that the document had given
/// already: the heading got another.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct TakenAnchor {
    /// The anchor asked for.
    pub id: String,
    /// Where the heading that asked for it starts, in bytes of the Markdown.
    pub at: usize,
    /// Where the heading or passage that has it starts.
    pub first: usize,
}
