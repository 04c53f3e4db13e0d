//! Agencies and topics as templates see them: chips, cards, the view of an
//! entry's page with its mentions, and the agencies grouped by country.

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
    pub(in crate::render) fn fingerprint(parts: &Parts, term: &Term, index: usize, h: &mut Hasher) {
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
