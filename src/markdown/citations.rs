//! Citations and quotations: a group of `source:` links written as a
//! marker, the passages they cite, and the quoted words checked against
//! them.

use std::ops::Range;

use pulldown_cmark::Event;

use super::writer::Writer;
use super::*;

impl<'m> Writer<'m, '_> {
    /// Ends a block quotation: when it cites a source, each of its
    /// paragraphs and list items is a quotation.
    pub(super) fn end_block_quote(&mut self) {
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
    pub(super) fn citations(&mut self, events: Vec<(Event<'m>, Range<usize>)>) {
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

    /// Records the `source:` link at `link` as a citation of the passage and
    /// block quotation it is in.
    pub(super) fn cite(&mut self, link: usize) {
        if let Some(&open) = self.open_passages.last() {
            self.passages[open].citations.push(link);
        }
        if let Some(block) = self.block_quotes.last_mut() {
            block.citations.push(link);
        }
        self.in_source_link = true;
        if self.in_citation_group {
            self.in_citation_marker = true;
            self.citation_markers.push(link);
            self.out().push_str(" class=\"citation\"");
        }
    }

    /// Ends a citation marker: its words give way to its number, the
    /// citation's place among the markers of the document.
    pub(super) fn end_citation_marker(&mut self) {
        let number = self.citation_markers.len().to_string();
        self.out().push_str(&number);
    }

    /// Adds the text in quotation marks of every passage that cites a
    /// source (outside cited block quotations, checked as a whole), then
    /// puts all quotations in the order they are written.
    pub(super) fn inline_quotations(&mut self) {
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
}
