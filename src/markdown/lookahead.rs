//! What the writer needs to see of the events ahead: whether a bracket
//! opens a group of citations, whether a paragraph is all bold.

use std::collections::VecDeque;
use std::ops::Range;

use pulldown_cmark::{Event, Tag, TagEnd};

use super::writer::Writer;
use crate::links::{self, LinkTarget};

/// Writes the text `before` a citation group (without the opening bracket
/// and the space before it), the group's `length` events as a marker, and
/// what follows the closing bracket.
pub(super) fn write_citation_group<'a, I: Iterator<Item = (Event<'a>, Range<usize>)>>(
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
pub(super) struct Lookahead<'a, I: Iterator<Item = (Event<'a>, Range<usize>)>> {
    inner: I,
    buffered: VecDeque<(Event<'a>, Range<usize>)>,
}

impl<'a, I: Iterator<Item = (Event<'a>, Range<usize>)>> Lookahead<'a, I> {
    pub(super) fn new(inner: I) -> Self {
        Lookahead {
            inner,
            buffered: VecDeque::new(),
        }
    }

    /// The event `index` places ahead of the next one.
    pub(super) fn peek(&mut self, index: usize) -> Option<&Event<'a>> {
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
    pub(super) fn citation_group(&mut self) -> Option<usize> {
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
    pub(super) fn paragraph_is_all_bold(&mut self) -> bool {
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
