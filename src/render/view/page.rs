//! Pages and sections as templates see them: cards, the page view, the
//! breadcrumbs, the section cards and the home page's figures.

use std::borrow::Cow;
use std::hash::Hash;
use std::ops::Range;

use serde::Serialize;
use tera::Value;

use super::*;
use crate::fingerprint::Hasher;
use crate::links::TermKind;
use crate::markdown::{Heading, PassageKind};
use crate::model::{Page, PageId, Section, SectionId, Site};
use crate::render::cards::Cards;
use crate::render::citations::{self, CitationNote};
use crate::render::deps::Parts;

/// A page as listed elsewhere.
#[derive(Serialize)]
pub struct PageCard<'a> {
    /// The page's title.
    pub title: &'a str,
    /// Its summary.
    pub summary: Option<&'a str>,
    /// Its output path, relative to the site root.
    pub path: &'a str,
    /// Its date.
    pub date: Option<DateView>,
    /// When it was last revised.
    pub updated: Option<DateView>,
    /// Whether it is a draft (shown only where drafts are built: `dossier
    /// serve`, `build --drafts`).
    pub draft: bool,
    /// How many top-level parts (headings of the shallowest level) it has.
    pub parts: usize,
    /// How many words it has.
    pub words: usize,
    /// How many agencies it names.
    pub agencies: usize,
    /// How many topics it names.
    pub topics: usize,
}

impl<'a> PageCard<'a> {
    /// The card of `page`.
    pub fn new(page: &'a Page) -> Self {
        PageCard {
            title: &page.title,
            summary: page.summary.as_deref(),
            path: page.output.as_str(),
            date: page.date.map(DateView::from),
            updated: page.updated.map(DateView::from),
            draft: page.draft,
            parts: parts(&page.body.headings),
            words: page.body.word_count,
            agencies: page.agencies.len(),
            topics: page.topics.len(),
        }
    }
}

/// How many headings of the shallowest level `headings` has: the parts of a
/// page, which a briefing uses for its commitments.
pub fn parts(headings: &[Heading]) -> usize {
    let top = headings.iter().map(|h| h.level).min();
    headings.iter().filter(|h| Some(h.level) == top).count()
}

/// A page with everything its template shows.
#[derive(Serialize)]
pub struct PageView<'a> {
    /// The card: title, summary, path, date, counts.
    #[serde(flatten)]
    pub card: PageCard<'a>,
    /// The rendered body (HTML, already escaped), its citation markers
    /// named for what they cite.
    pub html: Cow<'a, str>,
    /// The lead of the body: what comes before its first heading (empty
    /// when that cannot stand apart), which a phone shows before the table
    /// of contents.
    pub lead: Cow<'a, str>,
    /// The body after the lead.
    pub after_lead: Cow<'a, str>,
    /// The notes of its citation markers, in order: what a printed page
    /// lists at its end.
    pub citations: Vec<CitationNote<'a>>,
    /// The table of contents.
    pub toc: Vec<TocItem<'a>>,
    /// The agencies it names: [`TermChip`]s.
    pub agencies: Vec<&'a Value>,
    /// The topics it names: [`TermChip`]s.
    pub topics: Vec<&'a Value>,
    /// The sources it cites.
    pub sources: Vec<SourceCard<'a>>,
    /// The previous page of its section: a [`PageCard`].
    pub previous: Option<&'a Value>,
    /// The next page of its section: a [`PageCard`].
    pub next: Option<&'a Value>,
    /// Pages on the same agencies and topics: [`PageCard`]s.
    pub related: Vec<&'a Value>,
    /// Pages that link to it: [`PageCard`]s.
    pub linked_from: Vec<&'a Value>,
    /// The sections above it, outermost first (the home page excluded).
    pub breadcrumbs: Vec<NavItem>,
    /// Where its file is edited: `edit_url` of `site.toml` with the file's
    /// path; none without `edit_url`.
    pub edit_url: Option<String>,
}

impl<'a> PageView<'a> {
    /// The view of `page`, with the cards of `site` made by `cards`.
    pub fn new(site: &'a Site, cards: &'a Cards, page: &'a Page) -> Self {
        let citations = citations::notes(site, page);
        let titled =
            |html: &str| (!citations.is_empty()).then(|| citations::titled(html, &citations));
        // Held packed in a one-off build of a large site.
        let html = page.body.unpacked_html();
        let lead_end = page
            .body
            .lead_end
            .filter(|&at| html.is_char_boundary(at))
            .unwrap_or(0);
        let piece = |range: Range<usize>| -> Cow<'a, str> {
            match &html {
                Cow::Borrowed(html) => {
                    let piece: &'a str = &html[range];
                    titled(piece).map_or(Cow::Borrowed(piece), Cow::Owned)
                }
                Cow::Owned(html) => {
                    let piece = &html[range];
                    Cow::Owned(titled(piece).unwrap_or_else(|| piece.to_owned()))
                }
            }
        };
        let end = html.len();
        PageView {
            card: PageCard::new(page),
            html: piece(0..end),
            lead: piece(0..lead_end),
            after_lead: piece(lead_end..end),
            citations,
            toc: toc(&page.body.headings),
            agencies: cards.chips(site, TermKind::Agency, &page.agencies),
            topics: cards.chips(site, TermKind::Topic, &page.topics),
            sources: page
                .sources
                .iter()
                .map(|&i| SourceCard::new(&site.sources[i]))
                .collect(),
            previous: page.previous.map(|id| cards.page(site, id)),
            next: page.next.map(|id| cards.page(site, id)),
            related: cards.pages(site, &page.related),
            linked_from: cards.pages(site, &page.linked_from),
            breadcrumbs: breadcrumbs(site, page),
            edit_url: edit_url(site, page),
        }
    }
}

/// Where the file of `page` is edited, from `edit_url` of `site.toml`.
fn edit_url(site: &Site, page: &Page) -> Option<String> {
    site.config.edit_address(&format!("content/{}", page.path))
}

impl PageView<'_> {
    /// Hashes into `h` what [`PageView::new`] reads of the page `id`, as
    /// the fingerprints in `parts` give it: the rebuild renders the page's
    /// file again when this changes. A field added to the view is read
    /// here too.
    pub(in crate::render) fn fingerprint(parts: &Parts, site: &Site, id: PageId, h: &mut Hasher) {
        let page = site.page(id);
        (parts.card(id), parts.body(id)).hash(h);
        for (kind, list) in [
            (TermKind::Agency, &page.agencies),
            (TermKind::Topic, &page.topics),
        ] {
            list.len().hash(h);
            for &i in list.iter() {
                parts.chips(kind)[i].hash(h);
            }
        }
        page.sources.len().hash(h);
        for &i in page.sources.iter() {
            // The card, and the passages its citations are named for.
            (parts.source_cards[i], parts.source_bodies[i].body).hash(h);
        }
        page.previous.map(|id| parts.card(id)).hash(h);
        page.next.map(|id| parts.card(id)).hash(h);
        parts.cards(&page.related, h);
        parts.cards(&page.linked_from, h);
        section_trail_fingerprint(site, breadcrumbs_from(site, page), h);
        // The edit link is made of the path and the settings (hashed with
        // every file's print).
        page.path.hash(h);
    }
}

/// The sections above `page`, outermost first, without the root; a
/// section's own index page does not list its own section.
pub fn breadcrumbs(site: &Site, page: &Page) -> Vec<NavItem> {
    section_trail(site, breadcrumbs_from(site, page))
}

/// The innermost section of the breadcrumbs of `page`.
fn breadcrumbs_from(site: &Site, page: &Page) -> Option<SectionId> {
    if page.is_section_index {
        site.section(page.section).parent
    } else {
        Some(page.section)
    }
}

/// The section `from` and the sections above it, outermost first, the root
/// left out.
pub fn section_trail(site: &Site, from: Option<SectionId>) -> Vec<NavItem> {
    let mut crumbs = Vec::new();
    let mut current = from;
    while let Some(id) = current.filter(|id| *id != SectionId(0)) {
        let section = site.section(id);
        crumbs.push(NavItem {
            title: section.title.clone(),
            path: section.output.to_string(),
        });
        current = section.parent;
    }
    crumbs.reverse();
    crumbs
}

/// Hashes into `h` what [`section_trail`] reads.
pub(in crate::render) fn section_trail_fingerprint(
    site: &Site,
    from: Option<SectionId>,
    h: &mut Hasher,
) {
    let mut current = from;
    while let Some(id) = current.filter(|id| *id != SectionId(0)) {
        let section = site.section(id);
        (&section.title, section.output.as_str()).hash(h);
        current = section.parent;
    }
}

/// A section as listed on its own page or its parent's.
#[derive(Serialize)]
pub struct SectionCard<'a> {
    /// The section's title.
    pub title: &'a str,
    /// The summary of its `_index.md`.
    pub summary: Option<&'a str>,
    /// Its index page, relative to the site root.
    pub path: &'a str,
    /// Its pages, in reading order (on the home page, the first few):
    /// [`PageCard`]s.
    pub pages: Vec<&'a Value>,
    /// How many pages it has.
    pub page_count: usize,
    /// Its sub-sections, in reading order, with their pages.
    pub subsections: Vec<SectionCard<'a>>,
}

impl<'a> SectionCard<'a> {
    /// The card of `section`, with its sub-sections down to `depth` levels.
    pub fn new(site: &'a Site, cards: &'a Cards, section: &'a Section, depth: usize) -> Self {
        SectionCard {
            title: &section.title,
            summary: section
                .index
                .and_then(|id| site.page(id).summary.as_deref()),
            path: section.output.as_str(),
            pages: cards.pages(site, &section.pages),
            page_count: section.pages.len(),
            subsections: if depth == 0 {
                Vec::new()
            } else {
                section
                    .subsections
                    .iter()
                    .map(|id| SectionCard::new(site, cards, site.section(*id), depth - 1))
                    .collect()
            },
        }
    }

    /// Hashes into `h` what [`SectionCard::new`] reads, `depth` levels
    /// down.
    pub(in crate::render) fn fingerprint(
        parts: &Parts,
        site: &Site,
        section: &Section,
        depth: usize,
        h: &mut Hasher,
    ) {
        (&section.title, section.output.as_str()).hash(h);
        section
            .index
            .and_then(|id| site.page(id).summary.as_deref())
            .hash(h);
        parts.cards(&section.pages, h);
        if depth > 0 {
            section.subsections.len().hash(h);
            for id in &section.subsections {
                SectionCard::fingerprint(parts, site, site.section(*id), depth - 1, h);
            }
        }
    }

    /// The same card listing at most `limit` pages (here and in its
    /// sub-sections), as the home page shows sections.
    pub fn first_pages(mut self, limit: usize) -> Self {
        self.pages.truncate(limit);
        self.subsections = self
            .subsections
            .into_iter()
            .map(|card| card.first_pages(limit))
            .collect();
        self
    }
}

/// The figures the home page shows.
#[derive(Serialize)]
pub struct Figures {
    /// Pages outside section indexes.
    pub pages: usize,
    /// The bulleted items of the source documents, each one of them a
    /// commitment in a briefing's fact sheet: see [`Figures::commitments`].
    pub commitments: usize,
    /// Registered agencies.
    pub agencies: usize,
    /// Registered topics.
    pub topics: usize,
    /// Passages that mention an agency or topic.
    pub mentions: usize,
    /// Source documents.
    pub sources: usize,
}

impl Figures {
    /// The figures of `site`.
    pub fn new(site: &Site) -> Self {
        let content_pages = site.pages.iter().filter(|p| !p.is_section_index);
        let pages = content_pages.count();
        let mut mentions = 0;
        for page in &site.pages {
            mentions += page
                .body
                .passages
                .iter()
                .filter(|p| !p.annotations.is_empty())
                .count();
        }
        Figures {
            pages,
            commitments: Figures::commitments(site),
            agencies: site.agencies.len(),
            topics: site.topics.len(),
            mentions,
            sources: site.sources.len(),
        }
    }

    /// How many bulleted items the source documents have, nested ones
    /// included: what the home page calls commitments.
    pub fn commitments(site: &Site) -> usize {
        site.sources
            .iter()
            .flat_map(|source| &source.body.passages)
            .filter(|passage| passage.kind == PassageKind::ListItem)
            .count()
    }
}
