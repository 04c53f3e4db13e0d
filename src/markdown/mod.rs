//! Markdown to HTML, in one pass over the parser's events.
//!
//! The same pass writes the HTML and records what the rest of the build
//! needs: the headings (anchors and table of contents), the passages
//! (paragraphs, list items, table rows, headings) with the agencies and
//! topics they mention and the sources they cite, the quotations, and every
//! link with its place in the file. Links are rewritten to relative `href`s
//! as they are written; whether their targets exist is checked afterwards by
//! the model, which knows every page.
//!
//! A group of `source:` links in brackets at the end of a sentence,
//! `([source](source:...#p1), [source](source:...#p2))`, is a citation: it
//! is written as a small marker (`<sup class="citations">`), and its words
//! are not part of the passage's text.
//!
//! Raw HTML is shown as text, or dropped (source documents), or, where a
//! site allows it, published without what can run script: it is gathered
//! into the units a browser reads as one (`kept`) and sanitised when each
//! ends ([`sanitise`]).

pub mod highlight;
mod inventory;
mod kept;
mod quotes;
pub mod sanitise;

use std::collections::{HashMap, VecDeque};
use std::ops::Range;

use pulldown_cmark::{
    Alignment, BlockQuoteKind, CodeBlockKind, CowStr, Event, HeadingLevel, LinkType,
    Options as ParserOptions, Parser, Tag, TagEnd,
};
use pulldown_cmark_escape::{escape_href, escape_html, escape_html_body_text};
use serde::Serialize;

use crate::links::{self, LinkTarget, TermKind};
use crate::paths::slugify;
use kept::{Boundary, KeptHtml};
use quotes::{PieceKind, Trail};
use sanitise::SanitisedHtml;

/// What to do with HTML written inside Markdown.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RawHtml {
    /// Show it as text (the default: content cannot inject markup or scripts).
    Escape,
    /// Drop the tags, keep the text between them (for source documents).
    Strip,
    /// Publish it without what can run script, and say what was removed
    /// (only when `site.toml` opts in): see [`sanitise`].
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
    /// The text, without markup.
    text: String,
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
    /// The HTML of the body.
    pub html: String,
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

/// How many words `text` has: runs of characters between white space, as
/// [`str::split_whitespace`] counts them, a byte at a time where the text is
/// ASCII.
fn count_words(text: &str) -> usize {
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

/// The parser extensions dossier enables: GFM tables, footnotes,
/// strikethrough, task lists, and `{#id .class}` on headings.
fn parser_options() -> ParserOptions {
    ParserOptions::ENABLE_TABLES
        | ParserOptions::ENABLE_FOOTNOTES
        | ParserOptions::ENABLE_STRIKETHROUGH
        | ParserOptions::ENABLE_TASKLISTS
        | ParserOptions::ENABLE_HEADING_ATTRIBUTES
        | ParserOptions::ENABLE_GFM
}

/// Renders `markdown`, written at `location`, to HTML and records its
/// headings, passages and links.
pub fn render(markdown: &str, options: Options, location: Location<'_>) -> Rendered {
    let mut writer = Writer::new(markdown, options, location);
    let mut events = Lookahead::new(Parser::new_ext(markdown, parser_options()).into_offset_iter());
    while let Some((event, range)) = events.next() {
        if options.bold_paragraphs_are_headings
            && matches!(event, Event::Start(Tag::Paragraph))
            && writer.open_passages.is_empty()
            && events.paragraph_is_all_bold()
        {
            writer.bold_heading = true;
            writer.start_heading(HeadingLevel::H2, None, Vec::new(), range.start);
            continue;
        }
        if let Event::Text(text) = &event
            && writer.image.is_none()
            && writer.code_block.is_none()
            && let Some(before) = text.trim_end().strip_suffix('(')
            && let Some(length) = events.citation_group()
        {
            write_citation_group(&mut writer, &mut events, before, range, length);
            continue;
        }
        writer.event(event, range);
    }
    writer.finish()
}

/// Writes the text `before` a citation group (without the opening bracket
/// and the space before it), the group's `length` events as a marker, and
/// what follows the closing bracket.
fn write_citation_group<'a, I: Iterator<Item = (Event<'a>, Range<usize>)>>(
    writer: &mut Writer<'a, '_>,
    events: &mut Lookahead<'a, I>,
    before: &str,
    range: Range<usize>,
    length: usize,
) {
    let before = before.trim_end();
    if !before.is_empty() {
        writer.event(
            Event::Text(before.to_string().into()),
            range.start..range.start + before.len(),
        );
    }
    let group: Vec<_> = (0..length).filter_map(|_| events.next()).collect();
    writer.citations(group);
    // `citation_group` saw the text that closes the bracket.
    if let Some((Event::Text(after), range)) = events.next() {
        let rest = after.trim_start();
        let rest = rest.strip_prefix(')').unwrap_or(rest);
        if !rest.is_empty() {
            let start = range.end.saturating_sub(rest.len()).max(range.start);
            writer.event(Event::Text(rest.to_string().into()), start..range.end);
        }
    }
}

/// Whether `dest` is a `source:` link.
fn is_source_link(dest: &str) -> bool {
    matches!(links::classify(dest, ""), LinkTarget::Source { .. })
}

/// The parser's events with the ability to look ahead to the end of the
/// current paragraph.
struct Lookahead<'a, I: Iterator<Item = (Event<'a>, Range<usize>)>> {
    inner: I,
    buffered: VecDeque<(Event<'a>, Range<usize>)>,
}

impl<'a, I: Iterator<Item = (Event<'a>, Range<usize>)>> Lookahead<'a, I> {
    fn new(inner: I) -> Self {
        Lookahead {
            inner,
            buffered: VecDeque::new(),
        }
    }

    /// The event `index` places ahead of the next one.
    fn peek(&mut self, index: usize) -> Option<&Event<'a>> {
        while self.buffered.len() <= index {
            let item = self.inner.next()?;
            self.buffered.push_back(item);
        }
        self.buffered.get(index).map(|(event, _)| event)
    }

    /// Whether the next events are a group of citations: `source:` links
    /// separated by commas or semicolons, followed by text that starts with
    /// `)`. Returns how many events the links (and what separates them)
    /// take, not counting the closing text.
    fn citation_group(&mut self) -> Option<usize> {
        let mut index = 0;
        loop {
            match self.peek(index)? {
                Event::Start(Tag::Link { dest_url, .. }) if is_source_link(dest_url) => {}
                _ => return None,
            }
            index += 1;
            loop {
                match self.peek(index)? {
                    Event::End(TagEnd::Link) => break,
                    Event::Text(_)
                    | Event::Code(_)
                    | Event::SoftBreak
                    | Event::Start(Tag::Emphasis | Tag::Strong)
                    | Event::End(TagEnd::Emphasis | TagEnd::Strong) => index += 1,
                    _ => return None,
                }
            }
            index += 1;
            let links_end = index;
            match self.peek(index)? {
                Event::Text(text) if text.trim_start().starts_with(')') => return Some(links_end),
                Event::Text(text)
                    if text
                        .chars()
                        .all(|c| c.is_whitespace() || c == ',' || c == ';') =>
                {
                    index += 1;
                }
                _ => return None,
            }
        }
    }

    /// Whether the paragraph just started holds only bold text (and inline
    /// HTML such as `<u>`), with some text in it.
    fn paragraph_is_all_bold(&mut self) -> bool {
        let mut index = 0;
        let mut strong_depth = 0usize;
        let mut has_text = false;
        loop {
            if index == self.buffered.len() {
                match self.inner.next() {
                    Some(item) => self.buffered.push_back(item),
                    None => return false,
                }
            }
            match &self.buffered[index].0 {
                Event::End(TagEnd::Paragraph) => return has_text,
                Event::Start(Tag::Strong) => strong_depth += 1,
                Event::End(TagEnd::Strong) => strong_depth = strong_depth.saturating_sub(1),
                Event::Text(text) if strong_depth > 0 => has_text |= !text.trim().is_empty(),
                Event::Text(text) if text.trim().is_empty() => {}
                Event::InlineHtml(_) | Event::SoftBreak => {}
                _ => return false,
            }
            index += 1;
        }
    }
}

impl<'a, I: Iterator<Item = (Event<'a>, Range<usize>)>> Iterator for Lookahead<'a, I> {
    type Item = (Event<'a>, Range<usize>);

    fn next(&mut self) -> Option<Self::Item> {
        self.buffered.pop_front().or_else(|| self.inner.next())
    }
}

struct HeadingState {
    level: u8,
    custom_id: Option<String>,
    classes: Vec<String>,
    title: String,
    passage: usize,
}

struct ImageState {
    src: String,
    title: String,
    alt: String,
}

struct TermState {
    kind: TermKind,
    id: String,
    /// The passage the link is in, and where its words start in the
    /// passage's text.
    start: Option<(usize, usize)>,
}

/// What the writer keeps about a passage besides the [`Passage`] itself.
#[derive(Default)]
struct PassageTrail {
    /// Its text with where each piece was written, for finding quotations.
    trail: Trail,
    /// Whether it is inside a block quotation that cites a source: the
    /// block is checked as a whole, not the quotation marks inside it.
    in_cited_block: bool,
}

/// A block quotation being written.
struct BlockQuoteState {
    /// A callout (`> [!NOTE]`) is the author's own words, never a quotation.
    callout: bool,
    /// The text of each of its paragraphs and list items.
    parts: Vec<Trail>,
    /// The `source:` links inside it.
    citations: Vec<usize>,
    /// The first passage written inside it.
    first_passage: usize,
}

struct Writer<'m, 'l> {
    markdown: &'m str,
    options: Options,
    location: Location<'l>,
    /// Output buffers: the body first; headings and footnote definitions
    /// are written into a buffer of their own, then moved into place.
    buffers: Vec<String>,
    anchors: Anchors,
    /// For each anchor asked for twice, the suffix to try next.
    next_suffix: HashMap<String, usize>,
    chosen_anchors: Vec<(String, usize)>,
    taken_anchors: Vec<TakenAnchor>,
    headings: Vec<Heading>,
    passages: Vec<Passage>,
    links: Vec<Link>,
    /// Indexes into `passages` of the passages being written, innermost last.
    open_passages: Vec<usize>,
    /// The passage a `Start(Item)` opened, for each list item being written.
    item_passages: Vec<Option<usize>>,
    section_id: Option<String>,
    passages_in_section: usize,
    heading: Option<HeadingState>,
    bold_heading: bool,
    image: Option<ImageState>,
    term: Option<TermState>,
    code_block: Option<(String, String)>,
    table_alignments: Vec<Alignment>,
    table_cell: usize,
    in_table_head: bool,
    footnote_numbers: HashMap<String, usize>,
    footnotes: Vec<(String, String)>,
    word_count: usize,
    /// One per passage, in the same order.
    trails: Vec<PassageTrail>,
    block_quotes: Vec<BlockQuoteState>,
    quotations: Vec<Quotation>,
    /// The Markdown range of the event being written.
    event_range: Range<usize>,
    /// Inside a citation group: its links are written as markers.
    in_citation_group: bool,
    /// Inside a citation marker: its words are not the passage's text.
    in_citation_marker: bool,
    /// Inside any `source:` link.
    in_source_link: bool,
    /// Raw HTML kept until its unit ends; only when it is kept.
    kept: Option<KeptHtml>,
}

impl<'m, 'l> Writer<'m, 'l> {
    fn new(markdown: &'m str, options: Options, location: Location<'l>) -> Self {
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
            in_source_link: false,
            kept: (options.raw_html == RawHtml::Keep).then(KeptHtml::new),
        }
    }

    fn out(&mut self) -> &mut String {
        // There is always the body buffer at the bottom of the stack.
        let last = self.buffers.len() - 1;
        &mut self.buffers[last]
    }

    fn write_escaped(&mut self, text: &str) {
        let _ = escape_html_body_text(self.out(), text);
    }

    fn write_attr(&mut self, text: &str) {
        let _ = escape_html(self.out(), text);
    }

    /// Writes one event. Where raw HTML is kept, its units end before a
    /// block event is written and start after it.
    fn event(&mut self, event: Event<'m>, range: Range<usize>) {
        let boundary = self.kept.as_ref().and_then(|_| Boundary::of(&event));
        if let (Some(kept), Some(boundary)) = (&mut self.kept, boundary) {
            kept.before(boundary, &mut self.buffers, &mut self.passages);
        }
        self.write_event(event, range.clone());
        if let (Some(kept), Some(boundary)) = (&mut self.kept, boundary) {
            kept.after(boundary, range, &mut self.buffers, &mut self.passages);
        }
    }

    fn write_event(&mut self, event: Event<'m>, range: Range<usize>) {
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
            Event::Start(tag) => self.start(tag, range),
            Event::End(tag) => self.end(tag),
            Event::Text(text) => {
                self.text(&text);
                self.write_escaped(&text);
            }
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

    fn raw_html(&mut self, html: &str) {
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
    fn text(&mut self, text: &str) {
        let kind = if self.in_source_link {
            PieceKind::Citation
        } else {
            PieceKind::Prose
        };
        self.record_text(text, kind);
    }

    /// Records text of `kind`; the words of a citation marker are not
    /// recorded at all.
    fn record_text(&mut self, text: &str, kind: PieceKind) {
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

    fn start(&mut self, tag: Tag<'m>, range: Range<usize>) {
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
                let html = match kind {
                    None => "<blockquote>\n".to_string(),
                    Some(kind) => format!(
                        "<blockquote class=\"callout callout-{}\">\n",
                        callout_name(kind)
                    ),
                };
                self.out().push_str(&html);
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

    fn end(&mut self, tag: TagEnd) {
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

    /// Opens a passage and returns its anchor: `<section>-p<n>`, where
    /// `<section>` is the anchor of the nearest heading above and `n` counts
    /// the passages since that heading (`p<n>` before the first heading).
    fn open_passage(&mut self, kind: PassageKind, offset: usize) -> String {
        self.passages_in_section += 1;
        let base = match &self.section_id {
            Some(section) => format!("{section}-p{}", self.passages_in_section),
            None => format!("p{}", self.passages_in_section),
        };
        let id = self.unique_id(base);
        self.push_passage(id.clone(), kind, offset);
        id
    }

    /// Adds a passage and opens it.
    fn push_passage(&mut self, id: String, kind: PassageKind, offset: usize) {
        self.passages.push(Passage {
            id,
            kind,
            text: String::new(),
            annotations: Vec::new(),
            offset,
            citations: Vec::new(),
            html_end: None,
        });
        self.trails.push(PassageTrail::default());
        self.open_passages.push(self.passages.len() - 1);
    }

    /// Closes the innermost passage if it is of `kind`, and returns it.
    fn close_passage(&mut self, kind: PassageKind) -> Option<usize> {
        match self.open_passages.last() {
            Some(&open) if self.passages[open].kind == kind => self.open_passages.pop(),
            _ => None,
        }
    }

    /// The innermost open passage, if it is a list item.
    fn open_item(&self) -> Option<usize> {
        self.open_passages
            .last()
            .copied()
            .filter(|&open| self.passages[open].kind == PassageKind::ListItem)
    }

    /// Notes that the HTML of passage `index` ends here, unless it ended
    /// before or is not being written into the body.
    fn mark_html_end(&mut self, index: usize) {
        if self.buffers.len() == 1 && self.passages[index].html_end.is_none() {
            self.passages[index].html_end = Some(self.buffers[0].len());
        }
    }

    fn start_list(&mut self, tag: Tag<'m>) {
        match tag {
            Tag::List(Some(1)) => self.out().push_str("<ol>\n"),
            Tag::List(Some(start)) => {
                let html = format!("<ol start=\"{start}\">\n");
                self.out().push_str(&html);
            }
            _ => self.out().push_str("<ul>\n"),
        }
    }

    /// Ends a block quotation: when it cites a source, each of its
    /// paragraphs and list items is a quotation.
    fn end_block_quote(&mut self) {
        let Some(block) = self.block_quotes.pop() else {
            return;
        };
        if block.callout || block.citations.is_empty() {
            return;
        }
        for trail in &mut self.trails[block.first_passage..] {
            trail.in_cited_block = true;
        }
        for part in &block.parts {
            if let Some((text, range)) = part.block_quotation() {
                self.quotations.push(Quotation {
                    text,
                    range,
                    citations: block.citations.clone(),
                    block: true,
                });
            }
        }
    }

    /// Writes a group of citations as a marker: the links with what
    /// separates them, none of it part of the passage's text.
    fn citations(&mut self, events: Vec<(Event<'m>, Range<usize>)>) {
        self.out().push_str("<sup class=\"citations\">");
        self.in_citation_group = true;
        for (event, range) in events {
            match event {
                Event::Text(separator) if !self.in_citation_marker => {
                    self.write_escaped(&separator);
                }
                event => self.event(event, range),
            }
        }
        self.in_citation_group = false;
        self.out().push_str("</sup>");
    }

    /// `wanted`, or `wanted-1`, `wanted-2`... whichever is not taken yet.
    /// Anchors are never given back, so the search for a `wanted` asked
    /// before starts where it stopped: the same heading repeated n times
    /// costs n steps, not n².
    fn unique_id(&mut self, wanted: String) -> String {
        if self.anchors.insert(wanted.clone()) {
            return wanted;
        }
        let next = self.next_suffix.entry(wanted.clone()).or_insert(1);
        loop {
            let candidate = format!("{wanted}-{next}");
            *next += 1;
            if self.anchors.insert(candidate.clone()) {
                return candidate;
            }
        }
    }

    fn start_heading(
        &mut self,
        level: HeadingLevel,
        custom_id: Option<String>,
        classes: Vec<String>,
        offset: usize,
    ) {
        self.push_passage(String::new(), PassageKind::Heading, offset);
        self.heading = Some(HeadingState {
            level: level as u8,
            custom_id,
            classes,
            title: String::new(),
            passage: self.passages.len() - 1,
        });
        self.buffers.push(String::new());
        if let Some(kept) = &mut self.kept {
            kept.inline_starts_here(&self.buffers);
        }
    }

    fn end_heading(&mut self) {
        let Some(heading) = self.heading.take() else {
            return;
        };
        let inner = self.buffers.pop().unwrap_or_default();
        let title = heading
            .title
            .split_whitespace()
            .collect::<Vec<_>>()
            .join(" ");
        let wanted = match heading.custom_id {
            Some(id) if !id.is_empty() => {
                let at = self.passages[heading.passage].offset;
                self.chosen_anchors.push((id.clone(), at));
                if self.anchors.contains(&id) {
                    let first = self
                        .passages
                        .iter()
                        .find(|passage| passage.id == id)
                        .map_or(0, |passage| passage.offset);
                    self.taken_anchors.push(TakenAnchor {
                        id: id.clone(),
                        at,
                        first,
                    });
                }
                id
            }
            _ => {
                let slug = slugify(&title);
                if slug.is_empty() {
                    "section".to_string()
                } else {
                    slug
                }
            }
        };
        let id = self.unique_id(wanted);
        self.passages[heading.passage].id = id.clone();
        if self.open_passages.last() == Some(&heading.passage) {
            self.open_passages.pop();
        }
        self.section_id = Some(id.clone());
        self.passages_in_section = 0;

        let level = heading.level;
        self.out().push_str(&format!("<h{level} id=\""));
        self.write_attr(&id);
        self.out().push('"');
        if !heading.classes.is_empty() {
            self.out().push_str(" class=\"");
            let classes = heading.classes.join(" ");
            self.write_attr(&classes);
            self.out().push('"');
        }
        self.out().push('>');
        self.out().push_str(inner.trim_end());
        self.out().push_str(" <a class=\"anchor\" href=\"#");
        self.write_attr(&id);
        self.out()
            .push_str("\" aria-label=\"Link to this section: ");
        self.write_attr(&title);
        self.out().push_str(&format!("\">#</a></h{level}>\n"));
        self.headings.push(Heading { level, id, title });
    }

    /// Records a link and returns what it points to.
    /// Records a link or image to `dest`, written at `range`; returns where
    /// it leads from this document, as an `href`, and its position in
    /// [`Rendered::links`].
    fn record_link(&mut self, dest: &str, range: Range<usize>) -> (String, usize) {
        let target = links::classify(dest, self.location.dir);
        let href = links::href(&target, dest, self.location.root);
        // Point at the destination itself when it is written inline.
        let written = &self.markdown[range.clone()];
        let range = match written.rfind(dest) {
            Some(at) if !dest.is_empty() => range.start + at..range.start + at + dest.len(),
            _ => range,
        };
        self.links.push(Link {
            dest: dest.to_string(),
            target,
            range,
        });
        (href, self.links.len() - 1)
    }

    fn start_link(
        &mut self,
        link_type: LinkType,
        dest: &CowStr<'m>,
        title: &CowStr<'m>,
        range: Range<usize>,
    ) {
        let dest: std::borrow::Cow<'_, str> = if link_type == LinkType::Email {
            format!("mailto:{dest}").into()
        } else {
            dest.as_ref().into()
        };
        let (href, link) = self.record_link(&dest, range);
        self.out().push_str("<a href=\"");
        let _ = escape_href(self.out(), &href);
        self.out().push('"');
        let term = match &self.links[link].target {
            LinkTarget::Source { .. } => {
                self.cite(link);
                None
            }
            LinkTarget::Term { kind, id } => Some((*kind, id.clone())),
            _ => None,
        };
        if let Some((kind, id)) = term {
            for piece in [" class=\"term term-", kind.scheme(), "\""] {
                self.out().push_str(piece);
            }
            if self.term.is_none() {
                let start = self
                    .open_passages
                    .last()
                    .map(|&open| (open, self.passages[open].text.len()));
                self.term = Some(TermState { kind, id, start });
            }
        }
        if !title.is_empty() {
            self.out().push_str(" title=\"");
            self.write_attr(title);
            self.out().push('"');
        }
        self.out().push('>');
    }

    /// Records the `source:` link at `link` as a citation of the passage and
    /// block quotation it is in.
    fn cite(&mut self, link: usize) {
        if let Some(&open) = self.open_passages.last() {
            self.passages[open].citations.push(link);
        }
        if let Some(block) = self.block_quotes.last_mut() {
            block.citations.push(link);
        }
        self.in_source_link = true;
        if self.in_citation_group {
            self.in_citation_marker = true;
            self.out().push_str(" class=\"citation\"");
        }
    }

    fn end_link(&mut self) {
        self.in_source_link = false;
        self.in_citation_marker = false;
        self.out().push_str("</a>");
        if let Some(term) = self.term.take()
            && let Some((open, start)) = term.start
        {
            let passage = &mut self.passages[open];
            passage.annotations.push(Annotation {
                kind: term.kind,
                id: term.id.into_boxed_str(),
                range: start..passage.text.len(),
            });
        }
    }

    fn end_image(&mut self) {
        let Some(image) = self.image.take() else {
            return;
        };
        self.out().push_str("<img src=\"");
        let _ = escape_href(self.out(), &image.src);
        self.out().push_str("\" alt=\"");
        self.write_attr(&image.alt);
        self.out().push('"');
        if !image.title.is_empty() {
            self.out().push_str(" title=\"");
            self.write_attr(&image.title);
            self.out().push('"');
        }
        self.out().push_str(" loading=\"lazy\">");
    }

    fn end_code_block(&mut self) {
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

    fn footnote_number(&mut self, label: &str) -> usize {
        let next = self.footnote_numbers.len() + 1;
        *self
            .footnote_numbers
            .entry(label.to_string())
            .or_insert(next)
    }

    fn footnote_reference(&mut self, label: &str) {
        let number = self.footnote_number(label);
        let slug = footnote_slug(label);
        let reference = self.unique_id(format!("fnref-{slug}"));
        let html = format!(
            "<sup class=\"footnote-ref\"><a id=\"{reference}\" href=\"#fn-{slug}\">{number}</a></sup>"
        );
        self.out().push_str(&html);
    }

    /// Adds the text in quotation marks of every passage that cites a
    /// source (outside cited block quotations, checked as a whole), then
    /// puts all quotations in the order they are written.
    fn inline_quotations(&mut self) {
        for (passage, trail) in self.passages.iter().zip(&self.trails) {
            if passage.citations.is_empty() || trail.in_cited_block {
                continue;
            }
            for (text, range) in trail.trail.quotations() {
                self.quotations.push(Quotation {
                    text,
                    range,
                    citations: passage.citations.clone(),
                    block: false,
                });
            }
        }
        self.quotations
            .sort_by_key(|q| (q.range.start, q.range.end));
    }

    fn finish(mut self) -> Rendered {
        let sanitised = match self.kept.take() {
            Some(kept) => kept.finish(&mut self.buffers, &mut self.passages),
            None => Vec::new(),
        };
        // Unclosed structures cannot happen with pulldown-cmark, but a
        // heading buffer left open must not lose its text.
        if self.heading.is_some() {
            self.end_heading();
        }
        if !self.footnotes.is_empty() {
            let mut footnotes = std::mem::take(&mut self.footnotes);
            footnotes.sort_by_key(|(label, _)| self.footnote_numbers.get(label).copied());
            let mut html =
                String::from("<section class=\"footnotes\" aria-label=\"Notes\">\n<ol>\n");
            for (label, body) in footnotes {
                let slug = footnote_slug(&label);
                let id = self.unique_id(format!("fn-{slug}"));
                html.push_str(&format!("<li id=\"{id}\">{}", body.trim_end()));
                if self.anchors.contains(&format!("fnref-{slug}")) {
                    html.push_str(&format!(
                        " <a class=\"footnote-back\" href=\"#fnref-{slug}\" aria-label=\"Back to the text\">↩</a>"
                    ));
                }
                html.push_str("</li>\n");
            }
            html.push_str("</ol>\n</section>\n");
            self.out().push_str(&html);
        }
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
            headings: self.headings,
            passages: self.passages,
            links: self.links,
            quotations: self.quotations,
            anchors: self.anchors,
            chosen_anchors: self.chosen_anchors,
            taken_anchors: self.taken_anchors,
            word_count: self.word_count,
            sanitised,
        }
    }
}

fn footnote_slug(label: &str) -> String {
    let slug = slugify(label);
    if slug.is_empty() {
        "note".to_string()
    } else {
        slug
    }
}

fn callout_name(kind: BlockQuoteKind) -> &'static str {
    match kind {
        BlockQuoteKind::Note => "note",
        BlockQuoteKind::Tip => "tip",
        BlockQuoteKind::Important => "important",
        BlockQuoteKind::Warning => "warning",
        BlockQuoteKind::Caution => "caution",
    }
}

#[cfg(test)]
mod tests;
