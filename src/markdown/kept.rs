//! Raw HTML kept in a page (`allow_raw_html = true`): gathered, as it is
//! written, into the units it is sanitised in, and put back sanitised.
//!
//! The unit is the smallest stretch of the page that a browser reads as
//! one piece of HTML, so that sanitising closes no element the writer
//! closes later and lets no end tag close the page's own elements:
//!
//! - Inline HTML arrives one tag at a time: `<a href="...">`, the link's
//!   words as Markdown, then `</a>`. Sanitised alone, `<a ...>` would be
//!   closed at once and `</a>` dropped. Its unit is the inline content of
//!   the block it is in (a paragraph, a heading, a table cell, a tight list
//!   item), from where that content starts to where the block ends. The
//!   page's own inline markup in it (emphasis, links, citations) is
//!   balanced within the block and on the sanitiser's allow-list, so it
//!   comes out as it went in. The unit is sanitised when the block ends,
//!   before its closing tag is written and before the passage records
//!   where its HTML ends.
//! - HTML blocks: `<details>` in one block, Markdown paragraphs, then
//!   `</details>` in a later block is how raw HTML wraps Markdown, and each
//!   block alone would lose the wrapping. Their unit is every HTML block of
//!   one container (the page, a list item, a block quotation, a footnote),
//!   from its first to its last, sanitised when the container ends. The
//!   page's own blocks between them are kept out of the sanitiser (see
//!   [`sanitise::clean_blocks`]) and come out byte for byte; the offsets
//!   recorded in them (`Passage::html_end`) move by however much the raw
//!   HTML before them changed.

use std::ops::Range;

use pulldown_cmark::{Event, Tag, TagEnd};

use super::Passage;
use super::sanitise::{self, Removal, SanitisedHtml};

/// What an event is to kept raw HTML: where units start and end.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Boundary {
    /// The start or end of a block, other than those below.
    Block,
    /// The start of a block that holds blocks (an HTML block can be in it).
    ContainerStart,
    /// The end of a block that holds blocks.
    ContainerEnd,
    /// The start of an HTML block.
    HtmlBlockStart,
    /// The end of an HTML block.
    HtmlBlockEnd,
}

impl Boundary {
    /// What `event` is; `None` for inline events.
    pub(super) fn of(event: &Event<'_>) -> Option<Boundary> {
        match event {
            Event::Start(tag) => match tag {
                Tag::BlockQuote(_)
                | Tag::Item
                | Tag::FootnoteDefinition(_)
                | Tag::DefinitionListDefinition => Some(Boundary::ContainerStart),
                Tag::HtmlBlock => Some(Boundary::HtmlBlockStart),
                Tag::Emphasis
                | Tag::Strong
                | Tag::Strikethrough
                | Tag::Superscript
                | Tag::Subscript
                | Tag::Link { .. }
                | Tag::Image { .. } => None,
                _ => Some(Boundary::Block),
            },
            Event::End(tag) => match tag {
                TagEnd::BlockQuote(_)
                | TagEnd::Item
                | TagEnd::FootnoteDefinition
                | TagEnd::DefinitionListDefinition => Some(Boundary::ContainerEnd),
                TagEnd::HtmlBlock => Some(Boundary::HtmlBlockEnd),
                TagEnd::Emphasis
                | TagEnd::Strong
                | TagEnd::Strikethrough
                | TagEnd::Superscript
                | TagEnd::Subscript
                | TagEnd::Link
                | TagEnd::Image => None,
                _ => Some(Boundary::Block),
            },
            // A task list marker comes before the item's text: its
            // `<input>` is the page's, never part of a unit.
            Event::Rule | Event::TaskListMarker(_) => Some(Boundary::Block),
            _ => None,
        }
    }
}

/// Raw HTML written into an output buffer.
#[derive(Debug, Clone)]
struct Raw {
    /// Where it is in the buffer.
    output: Range<usize>,
    /// Where it is in the Markdown text.
    markdown: Range<usize>,
}

/// A block's inline content that holds raw HTML.
#[derive(Debug)]
struct Run {
    buffer: usize,
    /// Where the block's inline content starts.
    start: usize,
    tags: Vec<Raw>,
}

/// The HTML blocks of one container.
#[derive(Debug)]
struct Region {
    buffer: usize,
    blocks: Vec<Raw>,
}

/// The raw HTML of a page being written, until its units end.
#[derive(Debug)]
pub(super) struct KeptHtml {
    /// Where the inline content of the block being written starts:
    /// buffer, offset.
    inline_start: (usize, usize),
    run: Option<Run>,
    /// The HTML block being written: buffer, start, Markdown range.
    block: Option<(usize, usize, Range<usize>)>,
    /// The HTML blocks of each container being written, the page's first.
    regions: Vec<Option<Region>>,
    reports: Vec<SanitisedHtml>,
}

impl KeptHtml {
    /// Nothing kept yet.
    pub(super) fn new() -> Self {
        KeptHtml {
            inline_start: (0, 0),
            run: None,
            block: None,
            regions: vec![None],
            reports: Vec::new(),
        }
    }

    /// Ends the units that end before the block event `boundary` is
    /// written: the inline run, and at a container's end its HTML blocks.
    pub(super) fn before(
        &mut self,
        boundary: Boundary,
        buffers: &mut [String],
        passages: &mut [Passage],
    ) {
        self.end_run(buffers, passages);
        if boundary == Boundary::ContainerEnd
            && self.regions.len() > 1
            && let Some(Some(region)) = self.regions.pop()
        {
            self.end_region(region, buffers, passages);
        }
    }

    /// Notes what the block event `boundary`, at `range` of the Markdown,
    /// started or ended, now that it is written.
    pub(super) fn after(
        &mut self,
        boundary: Boundary,
        range: Range<usize>,
        buffers: &mut [String],
        passages: &mut [Passage],
    ) {
        let (top, len) = top(buffers);
        match boundary {
            Boundary::ContainerStart => self.regions.push(None),
            Boundary::HtmlBlockStart => self.block = Some((top, len, range)),
            Boundary::HtmlBlockEnd => {
                if let Some((buffer, start, markdown)) = self.block.take() {
                    let end = buffers.get(buffer).map_or(start, String::len);
                    self.add_block(buffer, start..end, markdown, buffers, passages);
                }
            }
            Boundary::Block | Boundary::ContainerEnd => {}
        }
        self.inline_starts_here(buffers);
    }

    /// Notes that the inline content of a block starts at the end of the
    /// top buffer.
    pub(super) fn inline_starts_here(&mut self, buffers: &[String]) {
        self.inline_start = top(buffers);
    }

    /// Writes raw HTML, written at `markdown` of the Markdown text, into the
    /// top buffer, as part of the HTML block or the inline run it is in.
    pub(super) fn write(
        &mut self,
        html: &str,
        markdown: Range<usize>,
        buffers: &mut [String],
        passages: &mut [Passage],
    ) {
        if let Some((buffer, ..)) = &self.block {
            if let Some(out) = buffers.get_mut(*buffer) {
                out.push_str(html);
            }
            return;
        }
        if self
            .run
            .as_ref()
            .is_some_and(|run| run.buffer != top(buffers).0)
        {
            // A run is in one buffer; should the buffer change, the run so
            // far is a unit of its own.
            self.end_run(buffers, passages);
        }
        let (top, start) = top(buffers);
        let Some(out) = buffers.get_mut(top) else {
            return;
        };
        out.push_str(html);
        let (buffer, inline_start) = self.inline_start;
        let run = self.run.get_or_insert_with(|| Run {
            buffer: top,
            // The content of the block started in this buffer; if it did
            // not, the whole buffer is the unit.
            start: if buffer == top { inline_start } else { 0 },
            tags: Vec::new(),
        });
        run.tags.push(Raw {
            output: start..start + html.len(),
            markdown,
        });
    }

    /// Ends every unit still open and returns what was removed, in the
    /// order of the Markdown text.
    pub(super) fn finish(
        mut self,
        buffers: &mut [String],
        passages: &mut [Passage],
    ) -> Vec<SanitisedHtml> {
        self.end_run(buffers, passages);
        while let Some(region) = self.regions.pop() {
            if let Some(region) = region {
                self.end_region(region, buffers, passages);
            }
        }
        self.reports.sort_by_key(|report| report.range.start);
        self.reports
    }

    /// Adds an HTML block to the region of the innermost container.
    fn add_block(
        &mut self,
        buffer: usize,
        output: Range<usize>,
        markdown: Range<usize>,
        buffers: &mut [String],
        passages: &mut [Passage],
    ) {
        let block = Raw { output, markdown };
        let Some(slot) = self.regions.last_mut() else {
            return;
        };
        match slot {
            Some(region) if region.buffer == buffer => region.blocks.push(block),
            _ => {
                // A container's blocks share its buffer; should they not,
                // the region so far is a unit of its own.
                let new = Region {
                    buffer,
                    blocks: vec![block],
                };
                if let Some(old) = slot.replace(new) {
                    self.end_region(old, buffers, passages);
                }
            }
        }
    }

    /// Sanitises the inline run, if there is one.
    fn end_run(&mut self, buffers: &mut [String], passages: &mut [Passage]) {
        let Some(run) = self.run.take() else {
            return;
        };
        // Only block events take buffers away, and the run ends before them.
        let Some(buffer) = buffers.get_mut(run.buffer) else {
            return;
        };
        let start = floor_boundary(buffer, run.start);
        let html = &buffer[start..];
        let tags: Vec<&str> = run
            .tags
            .iter()
            .map(|tag| buffer.get(tag.output.clone()).unwrap_or_default())
            .collect();
        let (cleaned, removed) = sanitise::clean_run(html, &tags);
        let shift = Shift(vec![(start..buffer.len(), cleaned.len())]);
        buffer.truncate(start);
        buffer.push_str(&cleaned);
        if run.buffer == 0 {
            shift.apply(passages);
        }
        let ranges = run.tags.into_iter().map(|tag| tag.markdown);
        self.report(ranges.zip(removed));
    }

    /// Sanitises the HTML blocks of a container.
    fn end_region(&mut self, region: Region, buffers: &mut [String], passages: &mut [Passage]) {
        let (Some(buffer), Some(first), Some(last)) = (
            buffers.get_mut(region.buffer),
            region.blocks.first(),
            region.blocks.last(),
        ) else {
            return;
        };
        let in_order = region.blocks.windows(2).all(|pair| {
            pair[0].output.start <= pair[0].output.end && pair[0].output.end <= pair[1].output.start
        });
        let outputs: Option<Vec<&str>> = region
            .blocks
            .iter()
            .map(|block| buffer.get(block.output.clone()))
            .collect();
        let (Some(blocks), true) = (outputs, in_order) else {
            // Not the blocks that were written: sanitise all that follows
            // the first of them, which leaves nothing unsanitised.
            let start = floor_boundary(buffer, first.output.start);
            let (cleaned, _) = sanitise::clean_run(&buffer[start..], &[]);
            buffer.truncate(start);
            buffer.push_str(&cleaned);
            return;
        };
        let (cleaned, removed) = sanitise::clean_blocks(&blocks);
        let mut spliced = String::new();
        let mut changes = Vec::with_capacity(region.blocks.len());
        for (i, (block, new)) in region.blocks.iter().zip(&cleaned).enumerate() {
            if let Some(before) = i.checked_sub(1).and_then(|i| region.blocks.get(i)) {
                spliced.push_str(&buffer[before.output.end..block.output.start]);
            }
            spliced.push_str(new);
            changes.push((block.output.clone(), new.len()));
        }
        buffer.replace_range(first.output.start..last.output.end, &spliced);
        if region.buffer == 0 {
            Shift(changes).apply(passages);
        }
        let ranges = region.blocks.into_iter().map(|block| block.markdown);
        self.report(ranges.zip(removed));
    }

    /// Keeps what was removed from each piece of raw HTML.
    fn report(&mut self, removed: impl Iterator<Item = (Range<usize>, Vec<Removal>)>) {
        self.reports.extend(
            removed
                .filter(|(_, removed)| !removed.is_empty())
                .map(|(range, removed)| SanitisedHtml { range, removed }),
        );
    }
}

/// The top buffer and its length.
fn top(buffers: &[String]) -> (usize, usize) {
    let top = buffers.len().saturating_sub(1);
    (top, buffers.get(top).map_or(0, String::len))
}

/// The nearest character boundary of `text` at or before `at`.
fn floor_boundary(text: &str, at: usize) -> usize {
    let mut at = at.min(text.len());
    while !text.is_char_boundary(at) {
        at -= 1;
    }
    at
}

/// How offsets into a buffer move when ranges of it, in order, are replaced
/// by text of another length: each range and its new length.
struct Shift(Vec<(Range<usize>, usize)>);

impl Shift {
    /// Where `offset` is after the change: an offset inside a replaced
    /// range goes to the end of what replaced it.
    fn map(&self, offset: usize) -> usize {
        let (mut grown, mut shrunk) = (0, 0);
        for (old, new_len) in &self.0 {
            if offset <= old.start {
                break;
            }
            if offset < old.end {
                return (old.start + grown + new_len).saturating_sub(shrunk);
            }
            grown += new_len.saturating_sub(old.len());
            shrunk += old.len().saturating_sub(*new_len);
        }
        (offset + grown).saturating_sub(shrunk)
    }

    /// Moves where each passage's HTML ends.
    fn apply(&self, passages: &mut [Passage]) {
        for passage in passages {
            if let Some(end) = &mut passage.html_end {
                *end = self.map(*end);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn offsets_after_a_replaced_range_move_by_its_change_in_length() {
        let shift = Shift(vec![(10..20, 5), (30..32, 12)]);
        assert_eq!(shift.map(3), 3);
        assert_eq!(shift.map(10), 10);
        assert_eq!(shift.map(15), 15);
        assert_eq!(shift.map(20), 15);
        assert_eq!(shift.map(30), 25);
        assert_eq!(shift.map(32), 37);
        assert_eq!(shift.map(40), 45);
    }
}
