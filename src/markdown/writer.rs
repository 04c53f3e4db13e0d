//! The writer: Markdown events in, HTML out, with what the rest of the
//! build needs recorded on the way (see [`super::anchors`],
//! [`super::citations`], [`super::footnotes`] and [`super::hyperlinks`] for
//! its other parts).

use std::collections::HashMap;
use std::ops::Range;

use pulldown_cmark::{Alignment, BlockQuoteKind, CodeBlockKind, Event, Tag, TagEnd};
use pulldown_cmark_escape::{escape_html, escape_html_body_text};

use super::kept::{Boundary, KeptHtml};
use super::quotes::{PieceKind, Trail};
use super::*;
use crate::links::TermKind;

pub(super) struct HeadingState {
    pub(super) level: u8,
    pub(super) custom_id: Option<String>,
    pub(super) classes: Vec<String>,
    pub(super) title: String,
    pub(super) passage: usize,
}

pub(super) struct ImageState {
    pub(super) src: String,
    pub(super) title: String,
    pub(super) alt: String,
}

pub(super) struct TermState {
    pub(super) kind: TermKind,
    pub(super) id: String,
    /// The passage the link is in, and where its words start in the
    /// passage's text.
    pub(super) start: Option<(usize, usize)>,
}

/// What the writer keeps about a passage besides the [`Passage`] itself.
#[derive(Default)]
pub(super) struct PassageTrail {
    /// Its text with where each piece was written, for finding quotations.
    pub(super) trail: Trail,
    /// Whether it is inside a block quotation that cites a source: the
    /// block is checked as a whole, not the quotation marks inside it.
    pub(super) in_cited_block: bool,
}

/// A block quotation being written.
pub(super) struct BlockQuoteState {
    /// A callout (`> [!NOTE]`) is the author's own words, never a quotation.
    pub(super) callout: bool,
    /// The text of each of its paragraphs and list items.
    pub(super) parts: Vec<Trail>,
    /// The `source:` links inside it.
    pub(super) citations: Vec<usize>,
    /// The first passage written inside it.
    pub(super) first_passage: usize,
}

pub(super) struct Writer<'m, 'l> {
    pub(super) markdown: &'m str,
    pub(super) options: Options,
    pub(super) location: Location<'l>,
    /// Output buffers: the body first; headings and footnote definitions
    /// are written into a buffer of their own, then moved into place.
    pub(super) buffers: Vec<String>,
    pub(super) anchors: Anchors,
    /// For each anchor asked for twice, the suffix to try next.
    pub(super) next_suffix: HashMap<String, usize>,
    pub(super) chosen_anchors: Vec<(String, usize)>,
    pub(super) taken_anchors: Vec<TakenAnchor>,
    pub(super) headings: Vec<Heading>,
    pub(super) passages: Vec<Passage>,
    pub(super) links: Vec<Link>,
    /// Indexes into `passages` of the passages being written, innermost last.
    pub(super) open_passages: Vec<usize>,
    /// The passage a `Start(Item)` opened, for each list item being written.
    pub(super) item_passages: Vec<Option<usize>>,
    pub(super) section_id: Option<String>,
    pub(super) passages_in_section: usize,
    pub(super) heading: Option<HeadingState>,
    pub(super) bold_heading: bool,
    pub(super) image: Option<ImageState>,
    pub(super) term: Option<TermState>,
    pub(super) code_block: Option<(String, String)>,
    pub(super) table_alignments: Vec<Alignment>,
    pub(super) table_cell: usize,
    pub(super) in_table_head: bool,
    pub(super) footnote_numbers: HashMap<String, usize>,
    pub(super) footnotes: Vec<(String, String)>,
    pub(super) word_count: usize,
    /// One per passage, in the same order.
    pub(super) trails: Vec<PassageTrail>,
    pub(super) block_quotes: Vec<BlockQuoteState>,
    pub(super) quotations: Vec<Quotation>,
    /// The Markdown range of the event being written.
    pub(super) event_range: Range<usize>,
    /// Inside a citation group: its links are written as markers.
    pub(super) in_citation_group: bool,
    /// Inside a citation marker: its words are not the passage's text,
    /// and its number is written in their place.
    pub(super) in_citation_marker: bool,
    /// The link of each citation marker, in order: see
    /// [`Rendered::citation_markers`].
    pub(super) citation_markers: Vec<usize>,
    /// Inside any `source:` link.
    pub(super) in_source_link: bool,
    /// Raw HTML kept until its unit ends; only when it is kept.
    pub(super) kept: Option<KeptHtml>,
    /// Where the lead ends in the body: see [`Rendered::lead_end`].
    pub(super) lead_end: Option<usize>,
}

impl<'m, 'l> Writer<'m, 'l> {
    pub(super) fn new(markdown: &'m str, options: Options, location: Location<'l>) -> Self {
        Writer {
            markdown,
            options,
            location,
            buffers: vec![String::with_capacity(markdown.len() * 3 / 2)],
            anchors: Anchors::default(),
            next_suffix: HashMap::new(),
            chosen_anchors: Vec::new(),
            taken_anchors: Vec::new(),
            headings: Vec::new(),
            passages: Vec::new(),
            links: Vec::new(),
            open_passages: Vec::new(),
            item_passages: Vec::new(),
            section_id: None,
            passages_in_section: 0,
            heading: None,
            bold_heading: false,
            image: None,
            term: None,
            code_block: None,
            table_alignments: Vec::new(),
            table_cell: 0,
            in_table_head: false,
            footnote_numbers: HashMap::new(),
            footnotes: Vec::new(),
            word_count: 0,
            trails: Vec::new(),
            block_quotes: Vec::new(),
            quotations: Vec::new(),
            event_range: 0..0,
            in_citation_group: false,
            in_citation_marker: false,
            citation_markers: Vec::new(),
            in_source_link: false,
            kept: (options.raw_html == RawHtml::Keep).then(KeptHtml::new),
            lead_end: None,
        }
    }

    pub(super) fn out(&mut self) -> &mut String {
        // There is always the body buffer at the bottom of the stack.
        let last = self.buffers.len() - 1;
        &mut self.buffers[last]
    }

    pub(super) fn write_escaped(&mut self, text: &str) {
        let _ = escape_html_body_text(self.out(), text);
    }

    pub(super) fn write_attr(&mut self, text: &str) {
        let _ = escape_html(self.out(), text);
    }

    /// Writes one event. Where raw HTML is kept, its units end before a
    /// block event is written and start after it.
    pub(super) fn event(&mut self, event: Event<'m>, range: Range<usize>) {
        let boundary = self.kept.as_ref().and_then(|_| Boundary::of(&event));
        if let (Some(kept), Some(boundary)) = (&mut self.kept, boundary) {
            kept.before(boundary, &mut self.buffers, &mut self.passages);
        }
        self.write_event(event, range.clone());
        if let (Some(kept), Some(boundary)) = (&mut self.kept, boundary) {
            kept.after(boundary, range, &mut self.buffers, &mut self.passages);
        }
    }

    pub(super) fn write_event(&mut self, event: Event<'m>, range: Range<usize>) {
        self.event_range = range.clone();
        if let Some(image) = &mut self.image {
            match event {
                Event::End(TagEnd::Image) => self.end_image(),
                Event::Text(text) | Event::Code(text) => image.alt.push_str(&text),
                _ => {}
            }
            return;
        }
        if let Some((_, code)) = &mut self.code_block {
            match event {
                Event::Text(text) => code.push_str(&text),
                Event::End(TagEnd::CodeBlock) => self.end_code_block(),
                _ => {}
            }
            return;
        }
        match event {
            // A citation marker shows its number only.
            Event::Start(Tag::Emphasis | Tag::Strong)
            | Event::End(TagEnd::Emphasis | TagEnd::Strong)
                if self.in_citation_marker => {}
            Event::Start(tag) => self.start(tag, range),
            Event::End(tag) => self.end(tag),
            Event::Text(text) => {
                self.text(&text);
                if !self.in_citation_marker {
                    self.write_escaped(&text);
                }
            }
            Event::Code(_) if self.in_citation_marker => {}
            Event::Code(code) => {
                self.record_text(&code, PieceKind::Verbatim);
                self.out().push_str("<code>");
                self.write_escaped(&code);
                self.out().push_str("</code>");
            }
            Event::Html(html) | Event::InlineHtml(html) => self.raw_html(&html),
            Event::SoftBreak => {
                self.text(" ");
                self.out().push('\n');
            }
            Event::HardBreak => {
                self.text(" ");
                self.out().push_str("<br>\n");
            }
            Event::Rule => self.out().push_str("<hr>\n"),
            Event::FootnoteReference(label) => self.footnote_reference(&label),
            Event::TaskListMarker(checked) => {
                let checked = if checked { " checked" } else { "" };
                let html = format!("<input type=\"checkbox\" disabled{checked}> ");
                self.out().push_str(&html);
            }
            Event::InlineMath(math) | Event::DisplayMath(math) => {
                self.record_text(&math, PieceKind::Verbatim);
                self.write_escaped(&math);
            }
        }
    }

    pub(super) fn raw_html(&mut self, html: &str) {
        match self.options.raw_html {
            RawHtml::Keep => {
                if let Some(kept) = &mut self.kept {
                    let range = self.event_range.clone();
                    kept.write(html, range, &mut self.buffers, &mut self.passages);
                }
            }
            RawHtml::Strip => {}
            RawHtml::Escape => {
                self.record_text(html, PieceKind::Verbatim);
                self.write_escaped(html);
            }
        }
    }

    /// Records prose for the passage, the heading, the term and the word
    /// count.
    pub(super) fn text(&mut self, text: &str) {
        let kind = if self.in_source_link {
            PieceKind::Citation
        } else {
            PieceKind::Prose
        };
        self.record_text(text, kind);
    }

    /// Records text of `kind`; the words of a citation marker are not
    /// recorded at all.
    pub(super) fn record_text(&mut self, text: &str, kind: PieceKind) {
        if self.in_citation_marker {
            return;
        }
        let range = self.event_range.clone();
        if let Some(&open) = self.open_passages.last() {
            self.trails[open]
                .trail
                .push(text, range.clone(), self.markdown, kind);
        }
        if let Some(part) = self
            .block_quotes
            .last_mut()
            .and_then(|block| block.parts.last_mut())
        {
            part.push(text, range, self.markdown, kind);
        }
        self.word_count += count_words(text);
        if let Some(heading) = &mut self.heading {
            heading.title.push_str(text);
        }
        if let Some(&open) = self.open_passages.last() {
            self.passages[open].text.push_str(text);
        }
    }

    pub(super) fn start(&mut self, tag: Tag<'m>, range: Range<usize>) {
        if matches!(tag, Tag::Paragraph | Tag::Item | Tag::Heading { .. })
            && let Some(block) = self.block_quotes.last_mut()
        {
            block.parts.push(Trail::default());
        }
        match tag {
            Tag::Paragraph => {
                if self.open_passages.is_empty() {
                    let id = self.open_passage(PassageKind::Paragraph, range.start);
                    self.out().push_str("<p id=\"");
                    self.write_attr(&id);
                    self.out().push_str("\">");
                } else {
                    self.out().push_str("<p>");
                }
            }
            Tag::Heading {
                level, id, classes, ..
            } => self.start_heading(
                level,
                id.map(|id| id.to_string()),
                classes.iter().map(|c| c.to_string()).collect(),
                range.start,
            ),
            Tag::BlockQuote(kind) => {
                self.block_quotes.push(BlockQuoteState {
                    callout: kind.is_some(),
                    parts: Vec::new(),
                    citations: Vec::new(),
                    first_passage: self.passages.len(),
                });
                match kind {
                    None => self.out().push_str("<blockquote>\n"),
                    Some(kind) => self.out().push_str(&callout_start(kind)),
                }
            }
            Tag::CodeBlock(kind) => {
                let language = match kind {
                    CodeBlockKind::Fenced(info) => info
                        .split([' ', ',', '{'])
                        .next()
                        .unwrap_or_default()
                        .to_string(),
                    CodeBlockKind::Indented => String::new(),
                };
                self.code_block = Some((language, String::new()));
            }
            Tag::HtmlBlock => {}
            Tag::List(_) => {
                // A nested list ends its item's own text.
                if let Some(item) = self.open_item() {
                    self.mark_html_end(item);
                }
                self.start_list(tag);
            }
            Tag::Item => {
                let id = self.open_passage(PassageKind::ListItem, range.start);
                self.item_passages.push(self.open_passages.last().copied());
                self.out().push_str("<li id=\"");
                self.write_attr(&id);
                self.out().push_str("\">");
            }
            Tag::FootnoteDefinition(label) => {
                self.footnote_number(&label);
                self.buffers.push(String::new());
                self.footnotes.push((label.to_string(), String::new()));
            }
            Tag::DefinitionList => self.out().push_str("<dl>\n"),
            Tag::DefinitionListTitle => self.out().push_str("<dt>"),
            Tag::DefinitionListDefinition => self.out().push_str("<dd>"),
            Tag::Table(alignments) => {
                self.table_alignments = alignments;
                self.out().push_str("<div class=\"table-wrap\"><table>\n");
            }
            Tag::TableHead => {
                self.in_table_head = true;
                self.table_cell = 0;
                let id = self.open_passage(PassageKind::TableHead, range.start);
                self.out().push_str("<thead><tr id=\"");
                self.write_attr(&id);
                self.out().push_str("\">");
            }
            Tag::TableRow => {
                self.table_cell = 0;
                let id = self.open_passage(PassageKind::TableRow, range.start);
                self.out().push_str("<tr id=\"");
                self.write_attr(&id);
                self.out().push_str("\">");
            }
            Tag::TableCell => {
                let element = if self.in_table_head { "th" } else { "td" };
                let align = match self.table_alignments.get(self.table_cell) {
                    Some(Alignment::Left) => " style=\"text-align: left\"",
                    Some(Alignment::Center) => " style=\"text-align: center\"",
                    Some(Alignment::Right) => " style=\"text-align: right\"",
                    _ => "",
                };
                let html = format!("<{element}{align}>");
                self.out().push_str(&html);
                if self.table_cell > 0 {
                    self.text(" ");
                }
            }
            Tag::Emphasis => self.out().push_str("<em>"),
            Tag::Strong => {
                if !self.bold_heading {
                    self.out().push_str("<strong>");
                }
            }
            Tag::Strikethrough => self.out().push_str("<del>"),
            Tag::Superscript => self.out().push_str("<sup>"),
            Tag::Subscript => self.out().push_str("<sub>"),
            Tag::Link {
                link_type,
                dest_url,
                title,
                ..
            } => self.start_link(link_type, &dest_url, &title, range),
            Tag::Image {
                dest_url, title, ..
            } => {
                let (src, _) = self.record_link(&dest_url, range);
                self.image = Some(ImageState {
                    src,
                    title: title.to_string(),
                    alt: String::new(),
                });
            }
            Tag::MetadataBlock(_) => {}
        }
    }

    pub(super) fn end(&mut self, tag: TagEnd) {
        match tag {
            TagEnd::Paragraph => {
                if self.bold_heading {
                    self.bold_heading = false;
                    self.end_heading();
                    return;
                }
                self.out().push_str("</p>\n");
                if let Some(closed) = self.close_passage(PassageKind::Paragraph) {
                    self.mark_html_end(closed);
                }
            }
            TagEnd::Heading(_) => self.end_heading(),
            TagEnd::BlockQuote(_) => {
                self.out().push_str("</blockquote>\n");
                self.end_block_quote();
            }
            TagEnd::CodeBlock => {}
            TagEnd::HtmlBlock => {}
            TagEnd::List(true) => self.out().push_str("</ol>\n"),
            TagEnd::List(false) => self.out().push_str("</ul>\n"),
            TagEnd::Item => {
                if let Some(Some(index)) = self.item_passages.last().copied() {
                    self.mark_html_end(index);
                }
                self.out().push_str("</li>\n");
                if let Some(Some(index)) = self.item_passages.pop()
                    && self.open_passages.last() == Some(&index)
                {
                    self.open_passages.pop();
                }
            }
            TagEnd::FootnoteDefinition => {
                let html = self.buffers.pop().unwrap_or_default();
                if let Some(last) = self.footnotes.last_mut() {
                    last.1 = html;
                }
            }
            TagEnd::DefinitionList => self.out().push_str("</dl>\n"),
            TagEnd::DefinitionListTitle => self.out().push_str("</dt>\n"),
            TagEnd::DefinitionListDefinition => self.out().push_str("</dd>\n"),
            TagEnd::Table => self.out().push_str("</tbody></table></div>\n"),
            TagEnd::TableHead => {
                self.in_table_head = false;
                self.out().push_str("</tr></thead><tbody>\n");
                self.close_passage(PassageKind::TableHead);
            }
            TagEnd::TableRow => {
                self.out().push_str("</tr>\n");
                self.close_passage(PassageKind::TableRow);
            }
            TagEnd::TableCell => {
                let element = if self.in_table_head { "</th>" } else { "</td>" };
                self.out().push_str(element);
                self.table_cell += 1;
            }
            TagEnd::Emphasis => self.out().push_str("</em>"),
            TagEnd::Strong => {
                if !self.bold_heading {
                    self.out().push_str("</strong>");
                }
            }
            TagEnd::Strikethrough => self.out().push_str("</del>"),
            TagEnd::Superscript => self.out().push_str("</sup>"),
            TagEnd::Subscript => self.out().push_str("</sub>"),
            TagEnd::Link => self.end_link(),
            TagEnd::Image => self.end_image(),
            TagEnd::MetadataBlock(_) => {}
        }
    }

    pub(super) fn start_list(&mut self, tag: Tag<'m>) {
        match tag {
            Tag::List(Some(1)) => self.out().push_str("<ol>\n"),
            Tag::List(Some(start)) => {
                let html = format!("<ol start=\"{start}\">\n");
                self.out().push_str(&html);
            }
            _ => self.out().push_str("<ul>\n"),
        }
    }

    pub(super) fn end_code_block(&mut self) {
        let Some((language, code)) = self.code_block.take() else {
            return;
        };
        self.word_count += count_words(&code);
        match highlight::highlight(&code, &language) {
            Some(html) => {
                self.out().push_str("<pre class=\"code\" data-lang=\"");
                self.write_attr(&language);
                self.out().push_str("\"><code>");
                self.out().push_str(&html);
            }
            None if language.is_empty() => {
                self.out().push_str("<pre class=\"code\"><code>");
                self.write_escaped(&code);
            }
            None => {
                self.out().push_str("<pre class=\"code\" data-lang=\"");
                self.write_attr(&language);
                self.out().push_str("\"><code>");
                self.write_escaped(&code);
            }
        }
        self.out().push_str("</code></pre>\n");
    }

    pub(super) fn finish(mut self) -> Rendered {
        let sanitised = match self.kept.take() {
            Some(kept) => kept.finish(&mut self.buffers, &mut self.passages),
            None => Vec::new(),
        };
        // Unclosed structures cannot happen with pulldown-cmark, but a
        // heading buffer left open must not lose its text.
        if self.heading.is_some() {
            self.end_heading();
        }
        self.write_footnotes();
        self.inline_quotations();
        // A site keeps every page's rendering in memory: no spare room.
        let mut html = self.buffers.swap_remove(0);
        html.shrink_to_fit();
        self.passages.shrink_to_fit();
        for passage in &mut self.passages {
            passage.text.shrink_to_fit();
            passage.annotations.shrink_to_fit();
        }
        self.links.shrink_to_fit();
        Rendered {
            html,
            packed_html: None,
            headings: self.headings,
            passages: self.passages,
            links: self.links,
            quotations: self.quotations,
            anchors: self.anchors,
            chosen_anchors: self.chosen_anchors,
            taken_anchors: self.taken_anchors,
            word_count: self.word_count,
            sanitised,
            citation_markers: self.citation_markers,
            lead_end: self.lead_end,
        }
    }
}

/// How many words `text` has: runs of characters between white space, as
/// [`str::split_whitespace`] counts them, a byte at a time where the text is
/// ASCII.
pub(super) fn count_words(text: &str) -> usize {
    if !text.is_ascii() {
        return text.split_whitespace().count();
    }
    let mut words = 0;
    let mut in_word = false;
    for &byte in text.as_bytes() {
        let space = byte == b' ' || (b'\t'..=b'\r').contains(&byte);
        words += usize::from(!space && !in_word);
        in_word = !space;
    }
    words
}

/// The start of a callout (`> [!NOTE]`): its box, then its label with an
/// icon drawn inline (no request), hidden from screen readers, which read
/// the label.
fn callout_start(kind: BlockQuoteKind) -> String {
    let (name, label, icon) = match kind {
        BlockQuoteKind::Note => ("note", "Note", ICON_NOTE),
        BlockQuoteKind::Tip => ("tip", "Tip", ICON_TIP),
        BlockQuoteKind::Important => ("important", "Important", ICON_IMPORTANT),
        BlockQuoteKind::Warning => ("warning", "Warning", ICON_WARNING),
        BlockQuoteKind::Caution => ("caution", "Caution", ICON_CAUTION),
    };
    format!(
        "<blockquote class=\"callout callout-{name}\">\n<p class=\"callout-title\">\
         <svg class=\"callout-icon\" viewBox=\"0 0 16 16\" width=\"16\" height=\"16\" \
         aria-hidden=\"true\" focusable=\"false\">{icon}</svg>{label}</p>\n"
    )
}

/// A circle with an `i`.
const ICON_NOTE: &str = "<circle cx=\"8\" cy=\"8\" r=\"6.5\" fill=\"none\" stroke=\"currentColor\" stroke-width=\"1.5\"/>\
    <path d=\"M8 7v4.5\" stroke=\"currentColor\" stroke-width=\"1.5\" stroke-linecap=\"round\"/>\
    <circle cx=\"8\" cy=\"4.75\" r=\"1\" fill=\"currentColor\"/>";
/// A light bulb.
const ICON_TIP: &str = "<path d=\"M5.5 10.5C4.3 9.6 3.5 8.3 3.5 6.75a4.5 4.5 0 0 1 9 0c0 1.55-.8 2.85-2 3.75v1.5h-5z\" \
    fill=\"none\" stroke=\"currentColor\" stroke-width=\"1.5\" stroke-linejoin=\"round\"/>\
    <path d=\"M6 14.25h4\" stroke=\"currentColor\" stroke-width=\"1.5\" stroke-linecap=\"round\"/>";
/// A speech bubble with `!`.
const ICON_IMPORTANT: &str = "<path d=\"M2.25 2.25h11.5v8.5H7.5l-3 3v-3H2.25z\" fill=\"none\" \
    stroke=\"currentColor\" stroke-width=\"1.5\" stroke-linejoin=\"round\"/>\
    <path d=\"M8 4.5v3\" stroke=\"currentColor\" stroke-width=\"1.5\" stroke-linecap=\"round\"/>\
    <circle cx=\"8\" cy=\"9.25\" r=\"0.9\" fill=\"currentColor\"/>";
/// A triangle with `!`.
const ICON_WARNING: &str = "<path d=\"M8 1.75 14.75 14H1.25z\" fill=\"none\" stroke=\"currentColor\" \
    stroke-width=\"1.5\" stroke-linejoin=\"round\"/>\
    <path d=\"M8 6v3.75\" stroke=\"currentColor\" stroke-width=\"1.5\" stroke-linecap=\"round\"/>\
    <circle cx=\"8\" cy=\"11.75\" r=\"0.9\" fill=\"currentColor\"/>";
/// An octagon with `!`.
const ICON_CAUTION: &str = "<path d=\"M5.25 1.5h5.5l3.75 3.75v5.5l-3.75 3.75h-5.5L1.5 10.75v-5.5z\" \
    fill=\"none\" stroke=\"currentColor\" stroke-width=\"1.5\" stroke-linejoin=\"round\"/>\
    <path d=\"M8 4.5v4\" stroke=\"currentColor\" stroke-width=\"1.5\" stroke-linecap=\"round\"/>\
    <circle cx=\"8\" cy=\"10.75\" r=\"0.9\" fill=\"currentColor\"/>";
