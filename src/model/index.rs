//! The indexes a site is read through: mentions of each agency and topic,
//! related terms and pages, back-links, citations.

use std::collections::{HashMap, HashSet};
use std::hash::{Hash, Hasher as _};
use std::sync::Arc;

use rayon::prelude::*;

use super::{Cache, PageId, PassageRef, Site, Term, id_index};
use crate::links::{LinkTarget, TermKind};

/// How many related pages a page lists.
const RELATED_PAGES: usize = 3;

/// How many pages on either side of a page, in the pages of one of its
/// agencies or topics, are candidates for its related pages.
const RELATED_WINDOW: usize = 32;

/// Fills in every index of `site` from its pages. Related pages are taken
/// from `cache` when no page's agencies, topics or links changed.
pub fn build(site: &mut Site, cache: &mut Cache) {
    let order = site.reading_order();
    index_mentions(site, &order, cache);
    index_listed(site, &order);
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
    let found: Vec<Arc<PassageTerms>> = cache.mentions.map(
        order,
        |page_id| (&pages[page_id.0].body, registry),
        |page_id| {
            let body = &pages[page_id.0].body;
            Arc::new(passage_terms(body, agencies, &agency_ids, &topic_ids))
        },
    );
    // The passages of each entry in reading order, and how often each two
    // entries meet in a passage: kept from the last build when every page
    // mentions the same entries in the same passages (an edit of a page's
    // text), tallied anew otherwise.
    let tallied = match cache.tallied.take() {
        Some(kept) if kept.fits(registry, order, &found) => Tallied { found, ..kept },
        _ => Tallied::of(registry, order, found, slots),
    };
    for (slot, mentions) in tallied.mentions.iter().enumerate() {
        entry_at(site, slot).mentions = Arc::clone(mentions);
    }
    let together = &tallied.together;
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
        let term = entry_at(site, slot);
        term.related_agencies = related_agencies;
        term.related_topics = related_topics;
    }
    if cache.keeps() {
        cache.tallied = Some(tallied);
    }
}

/// The passages of each entry in reading order, and how often each two
/// entries meet in a passage, tallied from the entries each page mentions.
#[derive(Debug)]
pub(super) struct Tallied {
    /// The fingerprint of the registries' ids.
    registry: u64,
    /// The pages, in reading order.
    order: Vec<PageId>,
    /// The entries each page mentions, in reading order.
    found: Vec<Arc<PassageTerms>>,
    /// The passages that mention each entry (agencies first, then topics).
    mentions: Vec<Arc<[PassageRef]>>,
    /// How many passages mention each two entries: a dense square.
    together: Vec<usize>,
}

impl Tallied {
    /// Tallies `found`, the entries each page of `order` mentions, on every
    /// thread over a run of pages each, the runs then joined in order.
    fn of(registry: u64, order: &[PageId], found: Vec<Arc<PassageTerms>>, slots: usize) -> Self {
        let tally = order
            .par_iter()
            .zip(&found)
            .with_min_len(4096)
            .fold(
                || Tally::new(slots),
                |mut tally, (&page, mentions)| {
                    tally.add(page, mentions);
                    tally
                },
            )
            .reduce(|| Tally::new(slots), Tally::then);
        Tallied {
            registry,
            order: order.to_vec(),
            found,
            mentions: tally.mentions.into_iter().map(Arc::from).collect(),
            together: tally.together,
        }
    }

    /// Whether this tally holds for the pages of `order` mentioning the
    /// entries `found` (the same ones, or equal ones: a page whose text
    /// changed and mentions the same entries in the same passages).
    fn fits(&self, registry: u64, order: &[PageId], found: &[Arc<PassageTerms>]) -> bool {
        self.registry == registry
            && self.order == order
            && self.found.len() == found.len()
            && self
                .found
                .iter()
                .zip(found)
                .all(|(kept, new)| Arc::ptr_eq(kept, new) || kept == new)
    }
}

/// The entry of `site` at `slot`: an agency's index, or the number of
/// agencies plus a topic's index.
fn entry_at(site: &mut Site, slot: usize) -> &mut Term {
    match slot.checked_sub(site.agencies.len()) {
        None => &mut site.agencies[slot],
        Some(topic) => &mut site.topics[topic],
    }
}

/// The mentions of a run of pages, by entry (agencies first, then topics).
struct Tally {
    /// The passages that mention each entry, in reading order.
    mentions: Vec<Vec<PassageRef>>,
    /// How many passages mention each two entries: a dense square.
    together: Vec<usize>,
}

impl Tally {
    fn new(slots: usize) -> Self {
        Tally {
            mentions: vec![Vec::new(); slots],
            together: vec![0; slots * slots],
        }
    }

    /// Counts the mentions of the page `page`, which comes after every page
    /// counted so far.
    fn add(&mut self, page: PageId, mentions: &[Mention]) {
        let slots = self.mentions.len();
        for passage_mentions in mentions.chunk_by(|a, b| a.passage == b.passage) {
            let at = PassageRef {
                page,
                passage: passage_mentions[0].passage,
            };
            for mention in passage_mentions {
                self.mentions[mention.slot].push(at);
                for other in passage_mentions {
                    if other.slot != mention.slot {
                        self.together[mention.slot * slots + other.slot] += 1;
                    }
                }
            }
        }
    }

    /// This tally followed by `later`, whose pages come after its own.
    fn then(mut self, later: Tally) -> Tally {
        for (mine, theirs) in self.mentions.iter_mut().zip(later.mentions) {
            if mine.is_empty() {
                *mine = theirs;
            } else {
                mine.extend(theirs);
            }
        }
        for (mine, theirs) in self.together.iter_mut().zip(later.together) {
            *mine += theirs;
        }
        self
    }
}

/// The registry entries each passage of a body mentions, in the order of
/// the passages, each entry once per passage: one flat list, which the
/// index walks for every page at every rebuild.
pub(super) type PassageTerms = Vec<Mention>;

/// A passage's mention of a registry entry.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) struct Mention {
    /// The passage's index in its body.
    passage: usize,
    /// The entry: an agency's index, or the number of agencies plus a
    /// topic's index.
    slot: usize,
}

fn passage_terms(
    body: &crate::markdown::Rendered,
    agencies: usize,
    agency_ids: &foldhash::HashMap<&str, usize>,
    topic_ids: &foldhash::HashMap<&str, usize>,
) -> PassageTerms {
    let mut mentions: Vec<Mention> = Vec::new();
    for (passage, text) in body.passages.iter().enumerate() {
        let first = mentions.len();
        for annotation in &text.annotations {
            let id = &*annotation.id;
            let slot = match annotation.kind {
                TermKind::Agency => agency_ids.get(id).copied(),
                TermKind::Topic => topic_ids.get(id).map(|&i| agencies + i),
            };
            if let Some(slot) = slot
                && !mentions[first..].iter().any(|m| m.slot == slot)
            {
                mentions.push(Mention { passage, slot });
            }
        }
    }
    mentions.shrink_to_fit();
    mentions
}

/// Gives each entry the passages its page lists: its own mentions, and
/// those of every entry within it, each once, in reading order.
fn index_listed(site: &mut Site, order: &[PageId]) {
    let mut rank = vec![0; site.pages.len()];
    for (position, id) in order.iter().enumerate() {
        rank[id.0] = position;
    }
    for terms in [&mut site.agencies, &mut site.topics] {
        let listed: Vec<Arc<[PassageRef]>> = (0..terms.len())
            .map(|index| {
                let term = &terms[index];
                if term.children.is_empty() {
                    return Arc::clone(&term.mentions);
                }
                let mut listed = term.mentions.to_vec();
                for child in term.within(terms) {
                    listed.extend_from_slice(&terms[child].mentions);
                }
                listed.sort_by_key(|at| (rank[at.page.0], at.passage));
                listed.dedup();
                Arc::from(listed)
            })
            .collect();
        for (term, listed) in terms.iter_mut().zip(listed) {
            term.listed = listed;
        }
    }
}

fn index_term_pages(site: &mut Site, order: &[PageId]) {
    for &page_id in order {
        let page = &site.pages[page_id.0];
        for &index in page.agencies.iter() {
            site.agencies[index].pages.push(page_id);
        }
        for &index in page.topics.iter() {
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
        // Most pages cite no source: skip their passages.
        if page.sources.is_empty() {
            continue;
        }
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
        for &source in site.pages[page_id.0].sources.iter() {
            site.sources[source].cited_by.push(page_id);
        }
    }
}

/// For each page, the pages sharing the most agencies and topics with it
/// (a link between the two counts as one more), ties in reading order.
/// Section index pages are neither given nor listed.
///
/// The candidates are the pages a page links to or is linked from, and,
/// for each of its agencies and topics, the [`RELATED_WINDOW`] pages on
/// either side of it in that entry's pages, in reading order: every page of
/// an entry on fewer pages, the nearest pages of a common one. Each
/// candidate is then scored on everything it shares with the page. So a
/// page costs time in proportion to its entries, not to the size of the
/// site, and the whole grows with the pages rather than with their square.
fn relate_pages(site: &Site, order: &[PageId]) -> Vec<Vec<PageId>> {
    let rank: Vec<usize> = {
        let mut rank = vec![0; site.pages.len()];
        for (position, id) in order.iter().enumerate() {
            rank[id.0] = position;
        }
        rank
    };
    let pages = &site.pages;
    let agencies = site.agencies.len();
    let slots = agencies + site.topics.len();
    pages
        .par_iter()
        .enumerate()
        .map_init(
            || Candidates::new(pages.len(), slots),
            |candidates, (i, page)| {
                if page.is_section_index {
                    return Vec::new();
                }
                let own_slots = page
                    .agencies
                    .iter()
                    .copied()
                    .chain(page.topics.iter().map(|&t| agencies + t));
                candidates.set_terms(own_slots);
                let entry_pages = page
                    .agencies
                    .iter()
                    .map(|&a| &site.agencies[a].pages)
                    .chain(page.topics.iter().map(|&t| &site.topics[t].pages));
                for entry_pages in entry_pages {
                    let at = entry_pages.partition_point(|other| rank[other.0] < rank[i]);
                    let from = at.saturating_sub(RELATED_WINDOW);
                    let to = (at + RELATED_WINDOW + 1).min(entry_pages.len());
                    for other in &entry_pages[from..to] {
                        candidates.offer(other.0);
                    }
                }
                for other in page.links_to.iter().chain(&page.linked_from) {
                    candidates.offer(other.0);
                }
                candidates.best(RELATED_PAGES, |other, terms| {
                    let candidate = &pages[other];
                    if other == i || candidate.is_section_index {
                        return None;
                    }
                    let shared = candidate
                        .agencies
                        .iter()
                        .copied()
                        .chain(candidate.topics.iter().map(|&t| agencies + t))
                        .filter(|&slot| terms[slot])
                        .count();
                    let linked = [&page.links_to[..], &page.linked_from[..]]
                        .into_iter()
                        .filter(|links| links.contains(&PageId(other)))
                        .count();
                    Some((shared + linked, rank[other]))
                })
            },
        )
        .collect()
}

/// The candidates for one page's related pages, reset after each page by
/// walking only what was touched.
struct Candidates {
    /// Whether each page has been offered.
    offered: Vec<bool>,
    /// The pages offered, in the order they came.
    touched: Vec<usize>,
    /// Whether the page has each agency and topic (agencies first).
    terms: Vec<bool>,
    /// The agencies and topics marked in `terms`.
    marked: Vec<usize>,
}

impl Candidates {
    fn new(pages: usize, slots: usize) -> Self {
        Candidates {
            offered: vec![false; pages],
            touched: Vec::new(),
            terms: vec![false; slots],
            marked: Vec::new(),
        }
    }

    /// Marks the agencies and topics of the page being related.
    fn set_terms(&mut self, slots: impl Iterator<Item = usize>) {
        for slot in slots {
            self.terms[slot] = true;
            self.marked.push(slot);
        }
    }

    fn offer(&mut self, page: usize) {
        if !self.offered[page] {
            self.offered[page] = true;
            self.touched.push(page);
        }
    }

    /// The `limit` candidates with the highest scores, ties broken by
    /// rank; `score` gives a candidate's score and rank from the marked
    /// terms, or `None` to leave it out. Clears the candidates and the
    /// marked terms.
    fn best(
        &mut self,
        limit: usize,
        score: impl Fn(usize, &[bool]) -> Option<(usize, usize)>,
    ) -> Vec<PageId> {
        let mut best: Vec<(std::cmp::Reverse<usize>, usize, usize)> = Vec::with_capacity(limit + 1);
        for &page in &self.touched {
            self.offered[page] = false;
            let Some((score, rank)) = score(page, &self.terms) else {
                continue;
            };
            let key = (std::cmp::Reverse(score), rank, page);
            if best.len() < limit || key < best[best.len() - 1] {
                let at = best.partition_point(|probe| *probe < key);
                best.insert(at, key);
                best.truncate(limit);
            }
        }
        self.touched.clear();
        for &slot in &self.marked {
            self.terms[slot] = false;
        }
        self.marked.clear();
        best.into_iter().map(|(_, _, page)| PageId(page)).collect()
    }
}
