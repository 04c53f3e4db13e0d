//! Links and images: each recorded with its place, and written with the
//! `href` its target gives from this document.

use std::ops::Range;

use pulldown_cmark::{CowStr, LinkType};
use pulldown_cmark_escape::escape_href;

use super::writer::{TermState, Writer};
use super::*;
use crate::links::{self, LinkTarget};

impl<'m> Writer<'m, '_> {
    /// Records a link and returns what it points to.
    /// Records a link or image to `dest`, written at `range`; returns where
    /// it leads from this document, as an `href`, and its position in
    /// [`Rendered::links`].
    pub(super) fn record_link(&mut self, dest: &str, range: Range<usize>) -> (String, usize) {
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

    pub(super) fn start_link(
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
        // A citation marker's title is the source and passage it cites,
        // given when the page is rendered.
        if !title.is_empty() && !self.in_citation_marker {
            self.out().push_str(" title=\"");
            self.write_attr(title);
            self.out().push('"');
        }
        self.out().push('>');
    }

    pub(super) fn end_link(&mut self) {
        if self.in_citation_marker {
            self.end_citation_marker();
        }
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

    pub(super) fn end_image(&mut self) {
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
}
