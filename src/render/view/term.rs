//! Agencies and topics as templates see them: chips, cards, the view of an
//! entry's page with its mentions, and the agencies grouped by country.

use std::collections::HashSet;
use std::hash::Hash;

use serde::Serialize;
use tera::Value;

use super::*;
use crate::fingerprint::Hasher;
use crate::links::{TermKind, layout};
use crate::markdown::Piece;
use crate::model::{PageId, PassageRef, Site, Term};
use crate::render::cards::Cards;
use crate::render::deps::Parts;

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
    /// How many passages its page lists: those that mention it and those
    /// that mention an entry within it.
    pub mention_count: usize,
    /// How many pages name it.
    pub page_count: usize,
}

impl<'a> TermCard<'a> {
    /// The card of `term`.
    pub fn new(term: &'a Term) -> Self {
        TermCard {
            chip: TermChip::new(term),
            mention_count: term.listed.len(),
            page_count: term.pages.len(),
        }
    }
}

/// One passage that mentions a registry entry, as its page lists it.
#[derive(Serialize)]
pub struct MentionView<'a> {
    /// The passage's place: its page and anchor, relative to the site root.
    pub path: String,
    /// The passage's text as HTML, the entry marked and other entries linked.
    pub html: String,
    /// The title of the heading it sits under; none before a page's first
    /// heading.
    pub heading: Option<String>,
    /// Its page and heading, `Space › Visits`, told apart from the other
    /// passages of the list under the same heading by a number from the
    /// second on (`Space › Visits (2)`): the words that name the link to
    /// it.
    pub place: String,
    /// The entries within this one that the passage mentions, when it does
    /// not mention this one itself: [`TermChip`]s.
    pub via: Vec<&'a Value>,
}

/// The passages of one page that mention a registry entry.
#[derive(Serialize)]
pub struct MentionGroup<'a> {
    /// The group's anchor on the entry's page, `in-` and the page's path
    /// (`in-domains-space`): where the agencies' matrix leads.
    pub id: String,
    /// The page: a [`PageCard`].
    pub page: &'a Value,
    /// The passages, in reading order.
    pub passages: Vec<MentionView<'a>>,
}

/// The anchor, on an entry's page, of the group of passages of the page
/// written at `page_output`.
pub fn mention_group_id(page_output: &str) -> String {
    format!("in-{}", crate::render::print::chapter_id(page_output))
}

/// A passage that mentions an entry, listed by its place only: a link to
/// it named by the heading it sits under.
#[derive(Serialize)]
pub struct BriefMention {
    /// The passage's place: its page and anchor, relative to the site root.
    pub path: String,
    /// The words of the heading it sits under (`Opening` before a page's
    /// first heading), numbered from the second time within its page
    /// (`Visits (2)`), with the short names of the entries within this
    /// one it mentions instead of this one (`Visits (JSC)`).
    pub label: String,
}

/// A page that mentions an entry, as the entry's list of pages shows it:
/// with a link to each passage that mentions it.
#[derive(Serialize)]
pub struct PageMentions<'a> {
    /// The page's anchor on the entry's page ([`mention_group_id`]),
    /// unless its passages are among those shown in full, whose group
    /// holds it.
    pub id: Option<String>,
    /// The page: a [`PageCard`].
    pub page: &'a Value,
    /// Its passages that mention the entry or one within it, in reading
    /// order.
    pub passages: Vec<BriefMention>,
}

/// How many passages an entry's page shows in full, with their text; the
/// others are one click away in its list of pages, by heading, so that an
/// entry mentioned thousands of times has a page a reader can scan (and a
/// browser can load).
pub const FULL_MENTIONS: usize = 20;

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
    /// The entry it is part of, if any.
    pub parent: Option<TermCard<'a>>,
    /// The entries that are part of it.
    pub children: Vec<TermCard<'a>>,
    /// The first [`FULL_MENTIONS`] passages that mention it, or an entry
    /// within it, grouped by page, in reading order.
    pub mentions: Vec<MentionGroup<'a>>,
    /// How many passages it lists past those.
    pub more_count: usize,
    /// The pages that name it, in reading order: [`PageCard`]s.
    pub pages: Vec<&'a Value>,
    /// The pages whose passages mention it, or an entry within it, in
    /// reading order, each with its passages.
    pub by_page: Vec<PageMentions<'a>>,
    /// The pages that name it in their front matter only, in reading
    /// order: [`PageCard`]s.
    pub named_only: Vec<&'a Value>,
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
    pub(in crate::render) fn fingerprint(
        parts: &Parts,
        site: &Site,
        term: &Term,
        index: usize,
        h: &mut Hasher,
    ) {
        let cards = parts.term_cards(term.kind);
        cards[index].hash(h);
        term.parent.map(|parent| cards[parent]).hash(h);
        term.children.len().hash(h);
        for &child in &term.children {
            cards[child].hash(h);
        }
        let within = term.within(site.terms(term.kind));
        for &i in &within {
            (i, parts.chips(term.kind)[i]).hash(h);
        }
        // Each passage with the card of its page, and its own print and that
        // of the heading it sits under.
        parts.listed(term.kind, index).hash(h);
        parts.cards(&term.pages, h);
        for (kind, related) in [
            (TermKind::Agency, &term.related_agencies),
            (TermKind::Topic, &term.related_topics),
        ] {
            for &(i, together) in related.iter().take(RELATED_TERMS) {
                (parts.term_cards(kind)[i], together).hash(h);
            }
        }
    }
}

impl<'a> TermView<'a> {
    /// The view of `term`; `root` leads from its page to the site root.
    pub fn new(site: &'a Site, cards: &'a Cards, term: &'a Term, root: &str) -> Self {
        let terms = site.terms(term.kind);
        let within: Vec<usize> = term.within(terms);
        let within_ids: Vec<&str> = within
            .iter()
            .map(|&i| terms[i].entry.id.value.as_str())
            .collect();
        let full = &term.listed[..term.listed.len().min(FULL_MENTIONS)];
        let mut mentions: Vec<MentionGroup> = Vec::new();
        let mut current: Option<PageId> = None;
        for at in full {
            if current != Some(at.page) {
                current = Some(at.page);
                mentions.push(MentionGroup {
                    id: mention_group_id(site.page(at.page).output.as_str()),
                    page: cards.page(site, at.page),
                    passages: Vec::new(),
                });
            }
            if let Some(group) = mentions.last_mut() {
                let mut view = mention(site, term, &within_ids, *at, root);
                view.via = via(site, term, &within, *at)
                    .into_iter()
                    .map(|i| cards.chip(site, term.kind, i))
                    .collect();
                group.passages.push(view);
            }
        }
        let mut places: Vec<&mut String> = mentions
            .iter_mut()
            .flat_map(|group| group.passages.iter_mut().map(|m| &mut m.place))
            .collect();
        number_repeated(&mut places);
        let full_pages: Vec<PageId> = full.iter().map(|at| at.page).collect();
        let by_page = page_mentions(site, cards, term, &within, &full_pages);
        let mentioned: HashSet<PageId> = term.listed.iter().map(|at| at.page).collect();
        let named_only: Vec<PageId> = term
            .pages
            .iter()
            .copied()
            .filter(|page| !mentioned.contains(page))
            .collect();
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
            parent: term.parent.map(|parent| TermCard::new(&terms[parent])),
            children: term
                .children
                .iter()
                .map(|&child| TermCard::new(&terms[child]))
                .collect(),
            mentions,
            more_count: term.listed.len() - full.len(),
            pages: cards.pages(site, &term.pages),
            by_page,
            named_only: cards.pages(site, &named_only),
            related_agencies: related(TermKind::Agency, &term.related_agencies),
            related_topics: related(TermKind::Topic, &term.related_topics),
        }
    }
}

/// The passages `term`'s page lists, grouped by page, each a link named
/// by its heading; the pages of `full_pages` have their anchor on their
/// group of passages shown in full.
fn page_mentions<'a>(
    site: &'a Site,
    cards: &'a Cards,
    term: &Term,
    within: &[usize],
    full_pages: &[PageId],
) -> Vec<PageMentions<'a>> {
    let terms = site.terms(term.kind);
    let mut groups: Vec<PageMentions> = Vec::new();
    let mut current = None;
    for at in term.listed.iter() {
        let page = site.page(at.page);
        if current != Some(at.page) {
            current = Some(at.page);
            groups.push(PageMentions {
                id: (!full_pages.contains(&at.page))
                    .then(|| mention_group_id(page.output.as_str())),
                page: cards.page(site, at.page),
                passages: Vec::new(),
            });
        }
        let heading = page
            .body
            .heading_of(at.passage)
            .map_or_else(|| "Opening".to_string(), |h| words(h.text()));
        let named: Vec<&str> = via(site, term, within, *at)
            .into_iter()
            .map(|i| terms[i].entry.short.as_str())
            .collect();
        let label = if named.is_empty() {
            heading
        } else {
            format!("{heading} ({})", named.join(", "))
        };
        if let Some(group) = groups.last_mut() {
            group.passages.push(BriefMention {
                path: format!("{}#{}", page.output, page.body.passages[at.passage].id),
                label,
            });
        }
    }
    for group in &mut groups {
        let mut labels: Vec<&mut String> =
            group.passages.iter_mut().map(|m| &mut m.label).collect();
        number_repeated(&mut labels);
    }
    groups
}

/// `text` with its runs of white space made single spaces.
pub fn words(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// Gives the words that repeat a number from their second time on
/// (`Space › Visits`, `Space › Visits (2)`), so that each reads apart.
pub fn number_repeated(words: &mut [&mut String]) {
    let mut seen: std::collections::HashMap<String, usize> = std::collections::HashMap::new();
    for text in words {
        let count = seen.entry(text.to_string()).or_insert(0);
        *count += 1;
        if *count > 1 {
            **text = format!("{text} ({count})");
        }
    }
}

/// The entries of `within` (those within `term`) that the passage at `at`
/// mentions, when it does not mention `term` itself: by position in the
/// registry, in the order the passage names them.
fn via(site: &Site, term: &Term, within: &[usize], at: PassageRef) -> Vec<usize> {
    let passage = &site.page(at.page).body.passages[at.passage];
    let terms = site.terms(term.kind);
    let names = |id: &str, entry: &Term| entry.entry.id.value == id;
    let own = passage
        .terms()
        .iter()
        .any(|&(kind, id)| kind == term.kind && names(id, term));
    if own {
        return Vec::new();
    }
    let mut found = Vec::new();
    for (kind, id) in passage.terms() {
        if kind != term.kind {
            continue;
        }
        if let Some(&i) = within.iter().find(|&&i| names(id, &terms[i])) {
            found.push(i);
        }
    }
    found
}

/// The passage at `at` as a mention of `term`: its text with the words that
/// name `term` or an entry within it (`within`) marked and the other
/// annotated entries linked to their pages.
fn mention<'a>(
    site: &Site,
    term: &Term,
    within: &[&str],
    at: PassageRef,
    root: &str,
) -> MentionView<'a> {
    let page = site.page(at.page);
    let passage = &page.body.passages[at.passage];
    let mut html = String::new();
    for piece in passage.pieces() {
        match piece {
            Piece::Text(text) => escape_into(&mut html, text),
            Piece::Term(annotation, text) => {
                let (kind, id) = (annotation.kind, &*annotation.id);
                if kind == term.kind && (id == term.entry.id.value || within.contains(&id)) {
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
    let heading = page.body.heading_of(at.passage).map(|heading| {
        heading
            .text()
            .split_whitespace()
            .collect::<Vec<_>>()
            .join(" ")
    });
    let place = match &heading {
        Some(heading) => format!("{} › {heading}", page.title),
        None => page.title.clone(),
    };
    MentionView {
        path: format!("{}#{}", page.output, passage.id),
        html,
        heading,
        place,
        via: Vec::new(),
    }
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
