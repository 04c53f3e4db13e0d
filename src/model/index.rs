//! The indexes a site is read through: mentions of each agency and topic,
//! related terms and pages, back-links, citations.

use std::collections::{HashMap, HashSet};
use std::hash::{Hash, Hasher as _};
use std::sync::Arc;

use rayon::prelude::*;

use super::{Cache, PageId, PassageRef, Site, id_index};
use crate::links::{LinkTarget, TermKind};
use crate::markdown::Segment;

/// How many related pages a page lists.
const RELATED_PAGES: usize = 3;

/// Fills in every index of `site` from its pages. Related pages are taken
/// from `cache` when no page's agencies, topics or links changed.
pub fn build(site: &mut Site, cache: &mut Cache) {
    let order = site.reading_order();
    index_mentions(site, &order, cache);
    index_term_pages(site, &order);
    index_back_links(site, &order);
    index_citations(site, &order);
    let signature = relation_signature(site, &order);
    let related = match cache.related(signature) {
        Some(related) => related,
        None => {
            let related = Arc::new(relate_pages(site, &order));
            cache.store_related(signature, Arc::clone(&related));
            related
        }
    };
    for (page, related) in site.pages.iter_mut().zip(related.iter()) {
        page.related.clone_from(related);
    }
}

/// A fingerprint of everything related pages are computed from.
fn relation_signature(site: &Site, order: &[PageId]) -> u64 {
    let mut hasher = crate::fingerprint::hasher();
    order.hash(&mut hasher);
    for page in &site.pages {
        (
            page.is_section_index,
            &page.agencies,
            &page.topics,
            &page.links_to,
            &page.linked_from,
        )
            .hash(&mut hasher);
    }
    for term in site.agencies.iter().chain(&site.topics) {
        term.pages.hash(&mut hasher);
    }
    hasher.finish()
}

fn index_mentions(site: &mut Site, order: &[PageId], cache: &mut Cache) {
    let agencies = site.agencies.len();
    let slots = agencies + site.topics.len();
    let agency_ids = id_index(&site.agencies);
    let topic_ids = id_index(&site.topics);
    let registry = crate::fingerprint::of((
        site.agencies
            .iter()
            .map(|t| &t.entry.id.value)
            .collect::<Vec<_>>(),
        site.topics
            .iter()
            .map(|t| &t.entry.id.value)
            .collect::<Vec<_>>(),
    ));
    // The terms each passage mentions, as slots (agencies first, then
    // topics), found in parallel page by page, or kept from the last
    // build for the bodies that did not change.
    let pages = &site.pages;
    let kept = &*cache;
    let found: Vec<Arc<PassageTerms>> = order
        .par_iter()
        .map(|page_id| {
            let body = &pages[page_id.0].body;
            kept.mentions(body, registry)
                .unwrap_or_else(|| Arc::new(passage_terms(body, agencies, &agency_ids, &topic_ids)))
        })
        .collect();
    cache.store_mentions(
        order
            .iter()
            .zip(&found)
            .map(|(page_id, terms)| (&pages[page_id.0].body, registry, Arc::clone(terms))),
    );
    // How often each two terms meet in a passage: a dense square.
    let mut together = vec![0usize; slots * slots];
    for (&page, passages) in order.iter().zip(&found) {
        for (passage, terms) in passages.iter() {
            let at = PassageRef {
                page,
                passage: *passage,
            };
            for &slot in terms {
                let term = if slot < agencies {
                    &mut site.agencies[slot]
                } else {
                    &mut site.topics[slot - agencies]
                };
                term.mentions.push(at);
                for &other in terms {
                    if other != slot {
                        together[slot * slots + other] += 1;
                    }
                }
            }
        }
    }
    for slot in 0..slots {
        let row = &together[slot * slots..(slot + 1) * slots];
        let mut related_agencies: Vec<(usize, usize)> = Vec::new();
        let mut related_topics: Vec<(usize, usize)> = Vec::new();
        for (other, &count) in row.iter().enumerate().filter(|(_, count)| **count > 0) {
            if other < agencies {
                related_agencies.push((other, count));
            } else {
                related_topics.push((other - agencies, count));
            }
        }
        related_agencies.sort_by_key(|&(other, count)| (std::cmp::Reverse(count), other));
        related_topics.sort_by_key(|&(other, count)| (std::cmp::Reverse(count), other));
        let term = if slot < agencies {
            &mut site.agencies[slot]
        } else {
            &mut site.topics[slot - agencies]
        };
        term.related_agencies = related_agencies;
        term.related_topics = related_topics;
    }
}

/// The registry entries each passage of a body mentions: `(passage,
/// slots)`, where a slot is an agency's index, or the number of agencies
/// plus a topic's index.
pub(super) type PassageTerms = Vec<(usize, Vec<usize>)>;

fn passage_terms(
    body: &crate::markdown::Rendered,
    agencies: usize,
    agency_ids: &foldhash::HashMap<&str, usize>,
    topic_ids: &foldhash::HashMap<&str, usize>,
) -> PassageTerms {
    let mut passages = Vec::new();
    for (index, passage) in body.passages.iter().enumerate() {
        let mut terms: Vec<usize> = Vec::new();
        for segment in &passage.segments {
            let Segment::Term { kind, id, .. } = segment else {
                continue;
            };
            let slot = match kind {
                TermKind::Agency => agency_ids.get(id.as_str()).copied(),
                TermKind::Topic => topic_ids.get(id.as_str()).map(|&i| agencies + i),
            };
            if let Some(slot) = slot
                && !terms.contains(&slot)
            {
                terms.push(slot);
            }
        }
        if !terms.is_empty() {
            passages.push((index, terms));
        }
    }
    passages
}

fn index_term_pages(site: &mut Site, order: &[PageId]) {
    for &page_id in order {
        let page = &site.pages[page_id.0];
        for &index in &page.agencies {
            site.agencies[index].pages.push(page_id);
        }
        for &index in &page.topics {
            site.topics[index].pages.push(page_id);
        }
    }
}

fn index_back_links(site: &mut Site, order: &[PageId]) {
    let links: Vec<(PageId, PageId)> = order
        .iter()
        .flat_map(|&from| {
            site.pages[from.0]
                .links_to
                .iter()
                .map(move |&to| (to, from))
        })
        .collect();
    for (to, from) in links {
        site.pages[to.0].linked_from.push(from);
    }
}

/// Lists, for each source, the pages that cite it, and for each passage of
/// a source, the page passages whose `source:` links lead to it.
fn index_citations(site: &mut Site, order: &[PageId]) {
    let sources: HashMap<&str, usize> = site
        .sources
        .iter()
        .enumerate()
        .map(|(i, source)| (source.seed.slug.as_str(), i))
        .collect();
    let anchors: Vec<HashMap<&str, usize>> = site
        .sources
        .iter()
        .map(|source| {
            source
                .body
                .passages
                .iter()
                .enumerate()
                .map(|(i, passage)| (passage.id.as_str(), i))
                .collect()
        })
        .collect();
    let mut citations: Vec<(usize, usize, PassageRef)> = Vec::new();
    let mut seen = HashSet::new();
    for &page_id in order {
        let page = &site.pages[page_id.0];
        for (index, passage) in page.body.passages.iter().enumerate() {
            for &link in &passage.citations {
                let Some(LinkTarget::Source {
                    slug,
                    fragment: Some(anchor),
                }) = page.body.links.get(link).map(|l| &l.target)
                else {
                    continue;
                };
                let Some(&source) = sources.get(slug.as_str()) else {
                    continue;
                };
                let Some(&cited) = anchors[source].get(anchor.as_str()) else {
                    continue;
                };
                let at = PassageRef {
                    page: page_id,
                    passage: index,
                };
                if seen.insert((source, cited, at)) {
                    citations.push((source, cited, at));
                }
            }
        }
    }
    for (source, cited, at) in citations {
        site.sources[source].passage_cited_by[cited].push(at);
    }
    for &page_id in order {
        for &source in &site.pages[page_id.0].sources {
            site.sources[source].cited_by.push(page_id);
        }
    }
}

/// For each page, the pages sharing the most agencies and topics with it
/// (a link between the two counts as one more), ties in reading order.
/// Section index pages are neither given nor listed.
///
/// Scores are counted in a dense array per thread rather than a map, and
/// only the best few are kept, so a page costs time in proportion to the
/// pages it shares something with.
fn relate_pages(site: &Site, order: &[PageId]) -> Vec<Vec<PageId>> {
    let rank: Vec<usize> = {
        let mut rank = vec![0; site.pages.len()];
        for (position, id) in order.iter().enumerate() {
            rank[id.0] = position;
        }
        rank
    };
    let pages = &site.pages;
    pages
        .par_iter()
        .enumerate()
        .map_init(
            || Scores::new(pages.len()),
            |scores, (i, page)| {
                if page.is_section_index {
                    return Vec::new();
                }
                let shared = page
                    .agencies
                    .iter()
                    .flat_map(|&a| site.agencies[a].pages.iter())
                    .chain(
                        page.topics
                            .iter()
                            .flat_map(|&t| site.topics[t].pages.iter()),
                    )
                    .chain(page.links_to.iter())
                    .chain(page.linked_from.iter());
                for other in shared {
                    if other.0 != i && !pages[other.0].is_section_index {
                        scores.add(other.0);
                    }
                }
                scores.best(RELATED_PAGES, &rank)
            },
        )
        .collect()
}

/// Counts per page, reset after each use by walking only the pages touched.
struct Scores {
    counts: Vec<u32>,
    touched: Vec<usize>,
}

impl Scores {
    fn new(pages: usize) -> Self {
        Scores {
            counts: vec![0; pages],
            touched: Vec::new(),
        }
    }

    fn add(&mut self, page: usize) {
        if self.counts[page] == 0 {
            self.touched.push(page);
        }
        self.counts[page] += 1;
    }

    /// The `limit` pages with the highest counts, ties broken by `rank`;
    /// clears the counts.
    fn best(&mut self, limit: usize, rank: &[usize]) -> Vec<PageId> {
        let mut best: Vec<(std::cmp::Reverse<u32>, usize, usize)> = Vec::with_capacity(limit + 1);
        for &page in &self.touched {
            let key = (std::cmp::Reverse(self.counts[page]), rank[page], page);
            if best.len() < limit || key < best[best.len() - 1] {
                let at = best.partition_point(|probe| *probe < key);
                best.insert(at, key);
                best.truncate(limit);
            }
            self.counts[page] = 0;
        }
        self.touched.clear();
        best.into_iter().map(|(_, _, page)| PageId(page)).collect()
    }
}
