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

mod anchors;
mod citations;
mod footnotes;
pub mod highlight;
mod hyperlinks;
mod inventory;
mod kept;
mod lookahead;
mod packed;
mod quotes;
pub mod sanitise;
mod types;
mod writer;

use pulldown_cmark::{Event, HeadingLevel, Options as ParserOptions, Parser, Tag};

use lookahead::{Lookahead, write_citation_group};
pub use packed::PackedHtml;
pub use types::*;
use writer::Writer;

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

#[cfg(test)]
mod tests;
