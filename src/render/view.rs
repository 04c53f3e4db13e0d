//! What templates see: small serialisable views that borrow from the
//! [`Site`](crate::model::Site). Views hold references to the shared model,
//! never copies of it, and the cards of other pages and the chips of
//! agencies and topics as the values [`Cards`] made once for the whole
//! site, so building a page's context costs little more than the page
//! itself. The theme's contract is documented in the README ("Themes").

use std::hash::Hash;

use serde::Serialize;
use tera::Value;

use super::cards::Cards;
use super::deps::Parts;
use crate::fingerprint::Hasher;
use crate::links::{TermKind, layout};
use crate::markdown::{Heading, Piece};
use crate::model::coverage::Coverage;
use crate::model::{Page, PageId, PassageRef, Section, SectionId, Site, Source, Term};
use crate::toml_fields::Date;

/// The site's settings.
#[derive(Serialize)]
pub struct SiteView<'a> {
    /// `title` of `site.toml`.
    pub title: &'a str,
    /// `description` of `site.toml`.
    pub description: &'a str,
    /// `language` of `site.toml`.
    pub language: &'a str,
    /// `base_url` of `site.toml`, ending in `/`.
    pub base_url: Option<&'a str>,
    /// Whether the site has a print page (`print_page` of `site.toml`).
    pub print_page: bool,
}

impl<'a> SiteView<'a> {
    /// The settings of `site`.
    pub fn new(site: &'a Site) -> Self {
        SiteView {
            title: &site.config.title,
            description: &site.config.description,
            language: &site.config.language,
            base_url: site.config.base_url.as_deref(),
            print_page: site.config.print_page,
        }
    }
}

/// A link in the site's navigation.
#[derive(Serialize, Debug, Clone, PartialEq, Eq, Hash)]
pub struct NavItem {
    /// The words of the link.
    pub title: String,
    /// The output path it leads to, relative to the site root.
    pub path: String,
}

/// The navigation: the top-level sections, then the indexes.
pub fn nav(site: &Site) -> Vec<NavItem> {
    let mut items: Vec<NavItem> = site.sections[0]
        .subsections
        .iter()
        .map(|id| {
            let section = site.section(*id);
            NavItem {
                title: section.title.clone(),
                path: section.output.to_string(),
            }
        })
        .collect();
    let indexes = [
        (
            !site.agencies.is_empty(),
            "Agencies",
            layout::term_index(TermKind::Agency),
        ),
        (
            !site.topics.is_empty(),
            "Topics",
            layout::term_index(TermKind::Topic),
        ),
        (!site.sources.is_empty(), "Sources", layout::sources()),
    ];
    for (shown, title, path) in indexes {
        if shown {
            items.push(NavItem {
                title: title.into(),
                path: path.to_string(),
            });
        }
    }
    items
}

/// A date, machine- and human-readable.
#[derive(Serialize)]
pub struct DateView {
    /// `2023-01-31`.
    pub iso: String,
    /// `31 January 2023`.
    pub display: String,
}

impl From<Date> for DateView {
    fn from(date: Date) -> Self {
        const MONTHS: [&str; 12] = [
            "January",
            "February",
            "March",
            "April",
            "May",
            "June",
            "July",
            "August",
            "September",
            "October",
            "November",
            "December",
        ];
        let month = MONTHS
            .get(usize::from(date.month).saturating_sub(1))
            .copied()
            .unwrap_or("");
        DateView {
            iso: date.to_string(),
            display: format!("{} {month} {}", date.day, date.year),
        }
    }
}

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

/// A registry entry as a page names it: what the registry says of it.
#[derive(Serialize)]
pub struct TermChip<'a> {
    /// The id.
    pub id: &'a str,
    /// `agency` or `topic`.
    pub kind: &'static str,
    /// The full name.
    pub name: &'a str,
    /// The short name (the name when there is none).
    pub short: &'a str,
    /// One line about it.
    pub description: &'a str,
    /// Other names.
    pub aliases: Vec<&'a str>,
    /// Its page, relative to the site root.
    pub path: &'a str,
    /// For agencies: `US`, `IN`, `joint`, ...
    pub country: Option<&'a str>,
    /// For agencies: the country's name, as `site.toml` declares it.
    pub country_label: Option<&'a str>,
    /// For agencies: the kind of body, readable.
    pub kind_label: Option<&'static str>,
}

impl<'a> TermChip<'a> {
    /// The chip of `term`.
    pub fn new(term: &'a Term) -> Self {
        TermChip {
            id: &term.entry.id.value,
            kind: term.kind.scheme(),
            name: &term.entry.name,
            short: &term.entry.short,
            description: &term.entry.description,
            aliases: term
                .entry
                .aliases
                .iter()
                .map(|a| a.value.as_str())
                .collect(),
            path: term.output.as_str(),
            country: term.agency.as_ref().map(|a| a.country.as_str()),
            country_label: term.agency.as_ref().map(|a| a.country_name.as_str()),
            kind_label: term.agency.as_ref().map(|a| a.kind.label()),
        }
    }
}

/// A registry entry as its indexes list it: the chip and how much the
/// site says of it.
#[derive(Serialize)]
pub struct TermCard<'a> {
    /// What the registry says.
    #[serde(flatten)]
    pub chip: TermChip<'a>,
    /// How many passages mention it.
    pub mention_count: usize,
    /// How many pages name it.
    pub page_count: usize,
}

impl<'a> TermCard<'a> {
    /// The card of `term`.
    pub fn new(term: &'a Term) -> Self {
        TermCard {
            chip: TermChip::new(term),
            mention_count: term.mentions.len(),
            page_count: term.pages.len(),
        }
    }
}

/// An entry of a table of contents.
#[derive(Serialize, Debug, PartialEq, Eq)]
pub struct TocItem<'a> {
    /// The heading's anchor.
    pub id: &'a str,
    /// The heading's text.
    pub title: &'a str,
    /// The headings one level below it.
    pub children: Vec<TocItem<'a>>,
}

/// The table of contents of `headings`: the two shallowest levels, nested.
pub fn toc(headings: &[Heading]) -> Vec<TocItem<'_>> {
    let Some(top) = headings.iter().map(|h| h.level).min() else {
        return Vec::new();
    };
    let mut items: Vec<TocItem> = Vec::new();
    for heading in headings {
        let item = TocItem {
            id: &heading.id,
            title: &heading.title,
            children: Vec::new(),
        };
        if heading.level == top {
            items.push(item);
        } else if heading.level == top + 1 {
            match items.last_mut() {
                Some(parent) => parent.children.push(item),
                None => items.push(item),
            }
        }
    }
    items
}

/// The coverage figures of one source or of all of them.
#[derive(Serialize, Debug, Clone, Copy, PartialEq, Eq)]
pub struct CoverageView {
    /// Substantive passages cited.
    pub cited: usize,
    /// Substantive passages.
    pub total: usize,
    /// The share cited, in whole percent rounded down; none without
    /// substantive passages.
    pub percent: Option<usize>,
    /// Whether every substantive passage is cited.
    pub complete: bool,
}

impl From<Coverage> for CoverageView {
    fn from(coverage: Coverage) -> Self {
        CoverageView {
            cited: coverage.cited,
            total: coverage.total,
            percent: coverage.percent(),
            complete: coverage.is_complete(),
        }
    }
}

/// A source document as listed elsewhere.
#[derive(Serialize)]
pub struct SourceCard<'a> {
    /// The document's title.
    pub title: &'a str,
    /// Its slug, as pages cite it.
    pub slug: &'a str,
    /// Its page, relative to the site root.
    pub path: &'a str,
    /// Its date.
    pub date: Option<DateView>,
    /// Where it was first published.
    pub source_url: Option<&'a str>,
    /// How many pages cite it.
    pub cited_by: usize,
    /// How many of its substantive passages pages cite.
    pub coverage: CoverageView,
}

impl<'a> SourceCard<'a> {
    /// The card of `source`.
    pub fn new(source: &'a Source) -> Self {
        SourceCard {
            title: &source.seed.title,
            slug: &source.seed.slug,
            path: source.output.as_str(),
            date: source.seed.date.map(DateView::from),
            source_url: source.seed.source_url.as_deref(),
            cited_by: source.cited_by.len(),
            coverage: Coverage::of(source).into(),
        }
    }
}

/// A page with everything its template shows.
#[derive(Serialize)]
pub struct PageView<'a> {
    /// The card: title, summary, path, date, counts.
    #[serde(flatten)]
    pub card: PageCard<'a>,
    /// The rendered body (HTML, already escaped).
    pub html: &'a str,
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
}

impl<'a> PageView<'a> {
    /// The view of `page`, with the cards of `site` made by `cards`.
    pub fn new(site: &'a Site, cards: &'a Cards, page: &'a Page) -> Self {
        PageView {
            card: PageCard::new(page),
            html: &page.body.html,
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
        }
    }
}

impl PageView<'_> {
    /// Hashes into `h` what [`PageView::new`] reads of the page `id`, as
    /// the fingerprints in `parts` give it: the rebuild renders the page's
    /// file again when this changes. A field added to the view is read
    /// here too.
    pub(super) fn fingerprint(parts: &Parts, site: &Site, id: PageId, h: &mut Hasher) {
        let page = site.page(id);
        (parts.card(id), parts.body(id)).hash(h);
        for (kind, list) in [
            (TermKind::Agency, &page.agencies),
            (TermKind::Topic, &page.topics),
        ] {
            list.len().hash(h);
            for &i in list {
                parts.chips[&kind][i].hash(h);
            }
        }
        page.sources.len().hash(h);
        for &i in &page.sources {
            parts.source_cards[i].hash(h);
        }
        page.previous.map(|id| parts.card(id)).hash(h);
        page.next.map(|id| parts.card(id)).hash(h);
        parts.cards(&page.related, h);
        parts.cards(&page.linked_from, h);
        section_trail_fingerprint(site, breadcrumbs_from(site, page), h);
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
pub(super) fn section_trail_fingerprint(site: &Site, from: Option<SectionId>, h: &mut Hasher) {
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
    pub(super) fn fingerprint(
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
    /// Top-level parts of those pages: one per commitment in a briefing.
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
        let mut pages = 0;
        let mut commitments = 0;
        let mut mentions = 0;
        for page in content_pages {
            pages += 1;
            commitments += parts(&page.body.headings);
        }
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
            commitments,
            agencies: site.agencies.len(),
            topics: site.topics.len(),
            mentions,
            sources: site.sources.len(),
        }
    }
}

/// One passage that mentions a registry entry, as its page lists it.
#[derive(Serialize)]
pub struct MentionView {
    /// The passage's place: its page and anchor, relative to the site root.
    pub path: String,
    /// The passage's text as HTML, the entry marked and other entries linked.
    pub html: String,
}

/// The passages of one page that mention a registry entry.
#[derive(Serialize)]
pub struct MentionGroup<'a> {
    /// The page: a [`PageCard`].
    pub page: &'a Value,
    /// The passages, in reading order.
    pub passages: Vec<MentionView>,
}

/// A registry entry related to another, with how often they meet.
#[derive(Serialize)]
pub struct RelatedTerm<'a> {
    /// The related entry.
    #[serde(flatten)]
    pub card: TermCard<'a>,
    /// How many passages mention both.
    pub together: usize,
}

/// A registry entry with everything its page shows.
#[derive(Serialize)]
pub struct TermView<'a> {
    /// The entry.
    #[serde(flatten)]
    pub card: TermCard<'a>,
    /// The passages that mention it, grouped by page, in reading order.
    pub mentions: Vec<MentionGroup<'a>>,
    /// The pages that name it, in reading order: [`PageCard`]s.
    pub pages: Vec<&'a Value>,
    /// Agencies mentioned in the same passages, most often first.
    pub related_agencies: Vec<RelatedTerm<'a>>,
    /// Topics mentioned in the same passages, most often first.
    pub related_topics: Vec<RelatedTerm<'a>>,
}

/// How many related entries of each registry a term page lists.
pub const RELATED_TERMS: usize = 8;

impl TermView<'_> {
    /// Hashes into `h` what [`TermView::new`] reads of `term`, the entry at
    /// `index` of its registry.
    pub(super) fn fingerprint(parts: &Parts, term: &Term, index: usize, h: &mut Hasher) {
        parts.cards[&term.kind][index].hash(h);
        term.mentions.len().hash(h);
        for at in &term.mentions {
            let passage = parts.bodies[at.page.0].passages.get(at.passage).copied();
            (parts.card(at.page), at.passage, passage).hash(h);
        }
        parts.cards(&term.pages, h);
        for (kind, related) in [
            (TermKind::Agency, &term.related_agencies),
            (TermKind::Topic, &term.related_topics),
        ] {
            for &(i, together) in related.iter().take(RELATED_TERMS) {
                (parts.cards[&kind][i], together).hash(h);
            }
        }
    }
}

impl<'a> TermView<'a> {
    /// The view of `term`; `root` leads from its page to the site root.
    pub fn new(site: &'a Site, cards: &'a Cards, term: &'a Term, root: &str) -> Self {
        let mut mentions: Vec<MentionGroup> = Vec::new();
        let mut current: Option<PageId> = None;
        for at in &term.mentions {
            if current != Some(at.page) {
                current = Some(at.page);
                mentions.push(MentionGroup {
                    page: cards.page(site, at.page),
                    passages: Vec::new(),
                });
            }
            if let Some(group) = mentions.last_mut() {
                group.passages.push(mention(site, term, *at, root));
            }
        }
        let related = |kind: TermKind, list: &[(usize, usize)]| -> Vec<RelatedTerm<'a>> {
            list.iter()
                .take(RELATED_TERMS)
                .map(|&(index, together)| RelatedTerm {
                    card: TermCard::new(&site.terms(kind)[index]),
                    together,
                })
                .collect()
        };
        TermView {
            card: TermCard::new(term),
            mentions,
            pages: cards.pages(site, &term.pages),
            related_agencies: related(TermKind::Agency, &term.related_agencies),
            related_topics: related(TermKind::Topic, &term.related_topics),
        }
    }
}

/// The passage at `at` as a mention of `term`: its text with the words that
/// name `term` marked and the other annotated entries linked to their pages.
fn mention(site: &Site, term: &Term, at: PassageRef, root: &str) -> MentionView {
    let page = site.page(at.page);
    let passage = &page.body.passages[at.passage];
    let mut html = String::new();
    for piece in passage.pieces() {
        match piece {
            Piece::Text(text) => escape_into(&mut html, text),
            Piece::Term(annotation, text) => {
                let (kind, id) = (annotation.kind, &*annotation.id);
                if kind == term.kind && id == term.entry.id.value {
                    html.push_str("<mark>");
                    escape_into(&mut html, text);
                    html.push_str("</mark>");
                } else {
                    html.push_str("<a href=\"");
                    html.push_str(root);
                    escape_into(&mut html, layout::term(kind, id).as_str());
                    html.push_str("\">");
                    escape_into(&mut html, text);
                    html.push_str("</a>");
                }
            }
        }
    }
    MentionView {
        path: format!("{}#{}", page.output, passage.id),
        html,
    }
}

/// Appends `text` to `out`, escaped for HTML text and attributes.
pub fn escape_into(out: &mut String, text: &str) {
    // Writing into a String cannot fail.
    let _ = pulldown_cmark_escape::escape_html(out, text);
}

/// The agencies of one kind within one country.
#[derive(Serialize)]
pub struct KindGroup<'a> {
    /// The kind of body, readable.
    pub label: &'static str,
    /// The agencies, by name.
    pub agencies: Vec<TermCard<'a>>,
}

/// The agencies of one country, grouped by kind.
#[derive(Serialize)]
pub struct CountryGroup<'a> {
    /// `US`, `IN`, `joint`, ...
    pub country: &'a str,
    /// The country's name, as `site.toml` declares it (or its code).
    pub label: &'a str,
    /// The groups, in the order of [`AgencyKind::ALL`](crate::load::AgencyKind::ALL).
    pub kinds: Vec<KindGroup<'a>>,
}

/// The agencies grouped by country, in the order `site.toml` declares the
/// countries (undeclared codes after, by code), then by kind, each group
/// sorted by name.
pub fn agencies_by_country(site: &Site) -> Vec<CountryGroup<'_>> {
    let mut countries: Vec<&str> = site
        .agencies
        .iter()
        .filter_map(|a| a.agency.as_ref().map(|a| a.country.as_str()))
        .collect();
    countries.sort_by_key(|c| site.config.country_rank(c));
    countries.dedup();
    countries
        .into_iter()
        .map(|country| {
            let kinds = crate::load::AgencyKind::ALL
                .iter()
                .filter_map(|kind| {
                    let mut agencies: Vec<&Term> = site
                        .agencies
                        .iter()
                        .filter(|a| {
                            a.agency
                                .as_ref()
                                .is_some_and(|a| a.country == country && a.kind == *kind)
                        })
                        .collect();
                    agencies.sort_by_cached_key(|a| a.entry.name.to_lowercase());
                    (!agencies.is_empty()).then(|| KindGroup {
                        label: kind.label(),
                        agencies: agencies.into_iter().map(TermCard::new).collect(),
                    })
                })
                .collect();
            CountryGroup {
                country,
                label: site.config.country_name(country),
                kinds,
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn heading(level: u8, id: &str) -> Heading {
        Heading {
            level,
            id: id.into(),
            title: id.into(),
        }
    }

    #[test]
    fn toc_nests_the_two_shallowest_levels() {
        let headings = [
            heading(2, "a"),
            heading(3, "a1"),
            heading(4, "deep"),
            heading(2, "b"),
        ];
        let toc = toc(&headings);
        assert_eq!(toc.len(), 2);
        assert_eq!(toc[0].children.len(), 1);
        assert_eq!(toc[0].children[0].id, "a1");
        assert!(toc[1].children.is_empty());
        assert_eq!(parts(&headings), 2);
    }

    #[test]
    fn dates_read_naturally() {
        let view = DateView::from(Date {
            year: 2023,
            month: 1,
            day: 31,
        });
        assert_eq!(view.display, "31 January 2023");
        assert_eq!(view.iso, "2023-01-31");
    }

    #[test]
    fn escaping_covers_text_and_attributes() {
        let mut out = String::new();
        escape_into(&mut out, "</script><b a=\"x\">'&");
        assert_eq!(out, "&lt;/script&gt;&lt;b a=&quot;x&quot;&gt;&#39;&amp;");
    }
}
