//! Headings and passages, and the anchors that make each a place: a
//! heading's slug (or its `{#id}`), a passage's `<heading>-p<n>`.

use super::writer::{HeadingState, PassageTrail, Writer};
use super::*;
use crate::paths::slugify;

impl<'m> Writer<'m, '_> {
    /// Opens a passage and returns its anchor: `<section>-p<n>`, where
    /// `<section>` is the anchor of the nearest heading above and `n` counts
    /// the passages since that heading (`p<n>` before the first heading).
    pub(super) fn open_passage(&mut self, kind: PassageKind, offset: usize) -> String {
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
    pub(super) fn push_passage(&mut self, id: String, kind: PassageKind, offset: usize) {
        let heading = self.passages.last().and_then(|last| {
            let at = self.passages.len() - 1;
            (last.kind == PassageKind::Heading)
                .then_some(at)
                .or(last.heading)
        });
        self.passages.push(Passage {
            id,
            kind,
            heading,
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
    pub(super) fn close_passage(&mut self, kind: PassageKind) -> Option<usize> {
        match self.open_passages.last() {
            Some(&open) if self.passages[open].kind == kind => self.open_passages.pop(),
            _ => None,
        }
    }

    /// The innermost open passage, if it is a list item.
    pub(super) fn open_item(&self) -> Option<usize> {
        self.open_passages
            .last()
            .copied()
            .filter(|&open| self.passages[open].kind == PassageKind::ListItem)
    }

    /// Notes that the HTML of passage `index` ends here, unless it ended
    /// before or is not being written into the body.
    pub(super) fn mark_html_end(&mut self, index: usize) {
        if self.buffers.len() == 1 && self.passages[index].html_end.is_none() {
            self.passages[index].html_end = Some(self.buffers[0].len());
        }
    }

    /// `wanted`, or `wanted-1`, `wanted-2`... whichever is not taken yet.
    /// Anchors are never given back, so the search for a `wanted` asked
    /// before starts where it stopped: the same heading repeated n times
    /// costs n steps, not n².
    pub(super) fn unique_id(&mut self, wanted: String) -> String {
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

    pub(super) fn start_heading(
        &mut self,
        level: HeadingLevel,
        custom_id: Option<String>,
        classes: Vec<String>,
        offset: usize,
    ) {
        let body = &self.buffers[0];
        if self.headings.is_empty()
            && self.heading.is_none()
            && self.buffers.len() == 1
            && self.block_quotes.is_empty()
            && self.item_passages.is_empty()
            && self.kept.is_none()
            && !body.trim().is_empty()
        {
            self.lead_end = Some(body.len());
        }
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

    pub(super) fn end_heading(&mut self) {
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
        // The anchor keeps the words as written; the title shown drops a
        // trailing colon ("Telecommunications:", as fact sheets set their
        // headings before a list).
        let title = shown_title(&title).to_string();
        let passage = &mut self.passages[heading.passage];
        let text_end = shown_title(&passage.text).len();
        passage.text.truncate(text_end);
        for annotation in &mut passage.annotations {
            annotation.range.end = annotation.range.end.min(text_end);
            annotation.range.start = annotation.range.start.min(annotation.range.end);
        }
        passage.id = id.clone();
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
}

/// A heading's words as shown: without white space at the end, nor a colon
/// after its last word, unless that would leave nothing.
///
/// ```text
/// "Next Generation Telecommunications:" -> "Next Generation Telecommunications"
/// ```
fn shown_title(title: &str) -> &str {
    let trimmed = title.trim_end();
    match trimmed.trim_end_matches(':').trim_end() {
        "" => trimmed,
        shown => shown,
    }
}
