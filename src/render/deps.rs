//! What each output file is made of, as one fingerprint per file.
//!
//! A file's fingerprint hashes everything its template can see: the
//! template files themselves, the site's settings and navigation, and the
//! parts of the model its view reads (a page's card, body and neighbours; a
//! term's mentions; ...). Two states of a site that give a file the same
//! fingerprint give it the same bytes, so after an edit only the files whose
//! fingerprint changed need rendering again.
//!
//! Each view's fingerprint sits beside its constructor (`PageView::new`
//! and `PageView::fingerprint`, and so on, in [`super::view`] and
//! [`super::provenance`]), made of the parts (`Parts`) computed here once per
//! site: a view that starts reading something new says so on the same
//! screen. The files that draw on the whole site (the search index, the
//! print page) hash every part. The property test of the incremental
//! build (random edits, each compared with a full build) catches a miss.

use std::hash::{Hash, Hasher as _};
use std::sync::Arc;

use rayon::prelude::*;

use super::provenance::SourceView;
use super::view::{self, PageView, SectionCard, TermView};
use super::{Job, Theme, jobs};
use crate::fingerprint::{self, Hasher};
use crate::links::TermKind;
use crate::markdown::Rendered;
use crate::memo::Memo;
use crate::model::{Page, PageId, PassageRef, Site, Term};

/// Fingerprints kept from one fingerprinting of a site to the next (in
/// `dossier serve`): those of rendered bodies, kept while the bodies are the
/// same (hashing every page's HTML again for each edit would cost more than
/// the edit), and those of the passages each agency and topic lists.
#[derive(Debug)]
pub struct KeptPrints {
    bodies: Memo<Rendered, (), Arc<BodyPrint>>,
    /// What the last fingerprinting saw of the pages and listed passages.
    last: Seen,
}

impl Default for KeptPrints {
    fn default() -> Self {
        KeptPrints {
            bodies: Memo::keeping(),
            last: Seen::default(),
        }
    }
}

/// What a fingerprinting saw, by page and by entry: enough to tell, at the
/// next one, which entries' listed passages can have changed.
#[derive(Debug, Default)]
struct Seen {
    /// Each page's card.
    cards: Vec<u64>,
    /// Each page's body print (held, so that no other print can take its
    /// place in memory).
    bodies: Vec<Arc<BodyPrint>>,
    /// Each entry's listed passages, by registry: see [`ListedPrint`].
    listed: [Vec<ListedPrint>; 2],
}

/// The passages an entry lists, and their fingerprint, each with its place
/// and its page's card (see [`ListedPrint::of`]).
#[derive(Debug, Clone)]
struct ListedPrint {
    passages: Arc<[PassageRef]>,
    print: u64,
}

/// The fingerprint of a rendered body, and of each of its passages.
#[derive(Debug)]
pub(super) struct BodyPrint {
    /// The fingerprint of the whole body.
    pub(super) body: u64,
    /// The fingerprint of each passage (its anchor, text and annotations)
    /// with that of the heading it sits under, whose words name its place
    /// in a list of mentions.
    pub(super) placed: Vec<u64>,
    /// How many passages mention an agency or topic (for the figures).
    mentioning: usize,
}

impl KeptPrints {
    /// The prints of `bodies`, computing only the new ones; forgets the
    /// bodies that are gone.
    fn update(&mut self, bodies: &[&Arc<Rendered>]) -> Vec<Arc<BodyPrint>> {
        self.bodies.map(
            bodies,
            |body| (body, ()),
            |body| Arc::new(BodyPrint::of(body)),
        )
    }

    /// The print of the listed passages of every entry of `site`, by
    /// registry, given each page's `cards` and `bodies`: the last
    /// fingerprinting's where the entry lists the same passages and none of
    /// their pages changed its card or body (so each is a walk of the
    /// entry's list, not a look into the prints of every page it names).
    fn listed(
        &self,
        site: &Site,
        cards: &[u64],
        bodies: &[Arc<BodyPrint>],
    ) -> [Vec<ListedPrint>; 2] {
        let last = &self.last;
        let changed: Vec<bool> = (0..cards.len())
            .map(|page| {
                last.cards.get(page) != Some(&cards[page])
                    || last
                        .bodies
                        .get(page)
                        .is_none_or(|body| !Arc::ptr_eq(body, &bodies[page]))
            })
            .collect();
        REGISTRIES.map(|kind| {
            site.terms(kind)
                .par_iter()
                .enumerate()
                .map(|(index, term)| {
                    let kept = last.listed[kind as usize].get(index).filter(|kept| {
                        kept.passages == term.listed
                            && term.listed.iter().all(|at| !changed[at.page.0])
                    });
                    kept.cloned().unwrap_or_else(|| ListedPrint {
                        passages: Arc::clone(&term.listed),
                        print: ListedPrint::of(term, cards, bodies),
                    })
                })
                .collect()
        })
    }

    /// Keeps what this fingerprinting saw, for the next.
    fn keep(&mut self, parts: Parts) {
        self.last = Seen {
            cards: parts.page_cards,
            bodies: parts.bodies,
            listed: parts.listed,
        };
    }
}

impl ListedPrint {
    /// Each passage `term` lists with the card of its page, and its own
    /// print and that of the heading it sits under in one: gathered first
    /// and hashed as one slice (an agency of a large site lists 100,000 of
    /// them). What [`TermView`] shows of them.
    fn of(term: &Term, cards: &[u64], bodies: &[Arc<BodyPrint>]) -> u64 {
        let mut listed: Vec<u64> = Vec::with_capacity(3 * term.listed.len());
        for at in term.listed.iter() {
            let placed = bodies[at.page.0].placed.get(at.passage);
            listed.extend([
                cards[at.page.0],
                at.passage as u64,
                placed.copied().unwrap_or_default(),
            ]);
        }
        hash(listed)
    }
}

impl BodyPrint {
    fn of(body: &Rendered) -> Self {
        let passages: Vec<u64> = body
            .passages
            .iter()
            .map(|passage| hash((&passage.id, passage.text(), &passage.annotations)))
            .collect();
        let placed = passages
            .iter()
            .enumerate()
            .map(|(at, &passage)| {
                let heading = body
                    .heading_index_of(at)
                    .and_then(|h| passages.get(h).copied());
                hash((passage, heading))
            })
            .collect();
        BodyPrint {
            // A large site's one-off build holds the HTML packed.
            body: hash((
                &body.html,
                &body.packed_html,
                &body.headings,
                body.word_count,
            )),
            placed,
            mentioning: body
                .passages
                .iter()
                .filter(|p| !p.annotations.is_empty())
                .count(),
        }
    }
}

fn hash(value: impl Hash) -> u64 {
    fingerprint::of(value)
}

/// The fingerprint of the whole theme: every template's name and text.
/// Any template can reach any other (`extends`, `include`, components), so
/// an edit of one renders every file again: rarer than content edits, and
/// nothing a scan of template texts could miss.
pub fn theme_print(theme: &Theme) -> u64 {
    let templates: Vec<(&str, &str)> = theme
        .files
        .iter()
        .map(|(name, file)| (name.as_str(), file.text()))
        .collect();
    hash(templates)
}

/// The fingerprint of what every file sees of `theme`: its templates
/// (`templates`, their [`theme_print`]), and where the favicon and the logo
/// of `site` are.
pub fn seen_of_theme(site: &Site, theme: &Theme, templates: u64) -> u64 {
    fingerprint::of((templates, super::theme::SiteFiles::of(site, theme)))
}

/// The parts of a site that many files share, fingerprinted once: what
/// each view's fingerprint (beside its constructor, in [`super::view`] and
/// [`super::provenance`]) is made of.
pub(super) struct Parts {
    global: u64,
    /// The fingerprint of each page's [`view::PageCard`].
    pub(super) page_cards: Vec<u64>,
    /// The fingerprint of each page's body.
    pub(super) bodies: Vec<Arc<BodyPrint>>,
    /// The fingerprint of each source's body.
    pub(super) source_bodies: Vec<Arc<BodyPrint>>,
    /// The fingerprint of each entry's [`view::TermChip`], by registry
    /// (see [`Parts::chips`]).
    chips: [Vec<u64>; 2],
    /// The fingerprint of each entry's [`view::TermCard`], by registry
    /// (see [`Parts::term_cards`]).
    term_cards: [Vec<u64>; 2],
    /// The fingerprint of each source's [`view::SourceCard`].
    pub(super) source_cards: Vec<u64>,
    /// The fingerprint of the passages each entry lists, by registry (see
    /// [`Parts::listed`]).
    listed: [Vec<ListedPrint>; 2],
}

/// The fingerprint of every job of `site` rendered with the theme whose
/// fingerprint is `theme`.
pub fn job_prints(site: &Site, theme: u64, kept: &mut KeptPrints) -> Vec<(Job, u64)> {
    let all_bodies: Vec<&Arc<Rendered>> = site
        .pages
        .iter()
        .map(|p| &p.body)
        .chain(site.sources.iter().map(|s| &s.body))
        .collect();
    let mut bodies = kept.update(&all_bodies);
    let source_bodies = bodies.split_off(site.pages.len());
    let page_cards: Vec<u64> = site.pages.par_iter().map(page_card).collect();
    let listed = kept.listed(site, &page_cards, &bodies);
    let parts = Parts {
        global: hash((&site.config, view::nav(site))),
        page_cards,
        bodies,
        source_bodies,
        chips: REGISTRIES.map(|kind| site.terms(kind).iter().map(term_chip).collect()),
        term_cards: REGISTRIES.map(|kind| {
            site.terms(kind)
                .iter()
                .map(|t| hash((term_chip(t), t.listed.len(), t.pages.len())))
                .collect()
        }),
        source_cards: site
            .sources
            .iter()
            .map(|s| {
                let cited: Vec<usize> = s.passage_cited_by.iter().map(Vec::len).collect();
                hash((
                    &s.seed.title,
                    &s.seed.slug,
                    s.output.as_str(),
                    s.seed.date,
                    &s.seed.source_url,
                    s.cited_by.len(),
                    cited,
                    &s.drift,
                ))
            })
            .collect(),
        listed,
    };
    let prints = jobs(site)
        .into_par_iter()
        .map(|job| {
            let mut hasher = fingerprint::hasher();
            (theme, parts.global, job).hash(&mut hasher);
            parts.job(site, job, &mut hasher);
            (job, hasher.finish())
        })
        .collect();
    kept.keep(parts);
    prints
}

fn page_card(page: &Page) -> u64 {
    hash((
        &page.title,
        &page.summary,
        page.output.as_str(),
        page.date,
        page.updated,
        page.draft,
        view::parts(&page.body.headings),
        page.body.word_count,
        page.agencies.len(),
        page.topics.len(),
    ))
}

fn term_chip(term: &Term) -> u64 {
    let entry = &term.entry;
    let aliases: Vec<&str> = entry.aliases.iter().map(|a| a.value.as_str()).collect();
    hash((
        &entry.id.value,
        term.kind,
        &entry.name,
        &entry.short,
        &entry.description,
        aliases,
        term.output.as_str(),
        &term.agency,
    ))
}

/// The registries, in the order [`Parts`] keeps their prints.
const REGISTRIES: [TermKind; 2] = [TermKind::Agency, TermKind::Topic];

impl Parts {
    /// The fingerprint of each [`view::TermChip`] of the registry `kind`.
    pub(super) fn chips(&self, kind: TermKind) -> &[u64] {
        &self.chips[kind as usize]
    }

    /// The fingerprint of each [`view::TermCard`] of the registry `kind`.
    pub(super) fn term_cards(&self, kind: TermKind) -> &[u64] {
        &self.term_cards[kind as usize]
    }

    /// The fingerprint of the passages listed by the entry at `index` of
    /// the registry `kind`.
    pub(super) fn listed(&self, kind: TermKind, index: usize) -> u64 {
        self.listed[kind as usize][index].print
    }

    /// The fingerprint of the card of the page `id`.
    pub(super) fn card(&self, id: PageId) -> u64 {
        self.page_cards[id.0]
    }

    /// Hashes the cards of the pages `ids` into `h`: gathered first and
    /// hashed as one slice, many times faster than one by one for the
    /// thousands of pages of an agency.
    pub(super) fn cards(&self, ids: &[PageId], h: &mut Hasher) {
        let cards: Vec<u64> = ids.iter().map(|&id| self.card(id)).collect();
        cards.hash(h);
    }

    /// The fingerprint of the body of the page `id`.
    pub(super) fn body(&self, id: PageId) -> u64 {
        self.bodies[id.0].body
    }

    /// Everything: every page's card and body in reading order, every
    /// section, entry and source.
    fn whole_site(&self, site: &Site, h: &mut Hasher) {
        for id in site.reading_order() {
            (
                self.card(id),
                self.body(id),
                &site.page(id).agencies,
                &site.page(id).topics,
            )
                .hash(h);
        }
        SectionCard::fingerprint(self, site, &site.sections[0], usize::MAX, h);
        for kind in [TermKind::Agency, TermKind::Topic] {
            self.all_term_cards(kind, h);
            for term in site.terms(kind) {
                (&term.listed, term.parent, &term.children).hash(h);
            }
        }
        self.source_cards.hash(h);
        for body in &self.source_bodies {
            body.body.hash(h);
        }
    }

    /// Hashes the cards of every entry of the registry `kind` into `h`.
    pub(super) fn all_term_cards(&self, kind: TermKind, h: &mut Hasher) {
        self.term_cards(kind).hash(h);
    }

    fn job(&self, site: &Site, job: Job, h: &mut Hasher) {
        match job {
            Job::Home => {
                let root = &site.sections[0];
                if let Some(id) = root.index {
                    PageView::fingerprint(self, site, id, h);
                }
                SectionCard::fingerprint(self, site, root, 2, h);
                // The figures: the page cards hold the parts, the bodies
                // the passages that mention something.
                self.page_cards.hash(h);
                let mentioning: usize = self.bodies.iter().map(|b| b.mentioning).sum();
                (
                    mentioning,
                    view::Figures::commitments(site),
                    site.agencies.len(),
                    site.topics.len(),
                    site.sources.len(),
                )
                    .hash(h);
                self.all_term_cards(TermKind::Agency, h);
                self.source_cards.hash(h);
            }
            Job::Section(index) => {
                let section = &site.sections[index];
                if let Some(id) = section.index {
                    PageView::fingerprint(self, site, id, h);
                }
                SectionCard::fingerprint(self, site, section, 1, h);
                view::section_trail_fingerprint(site, section.parent, h);
            }
            Job::Page(index) => PageView::fingerprint(self, site, PageId(index), h),
            Job::Terms(kind) => {
                self.all_term_cards(kind, h);
                if kind == TermKind::Agency {
                    // The matrix: its counts and first passages, and the
                    // titles and places of the pages and sections it has.
                    view::Grid::fingerprint(site, h);
                    self.page_cards.hash(h);
                    for section in &site.sections {
                        (&section.title, section.output.as_str()).hash(h);
                    }
                }
            }
            Job::Term(kind, index) => {
                TermView::fingerprint(self, site, &site.terms(kind)[index], index, h)
            }
            Job::Sources => self.source_cards.hash(h),
            Job::Source(index) => {
                self.source_cards[index].hash(h);
                self.source_bodies[index].body.hash(h);
                self.cards(&site.sources[index].cited_by, h);
                SourceView::fingerprint_citing(self, site, index, h);
            }
            Job::Coverage => {
                self.source_cards.hash(h);
                for index in 0..site.sources.len() {
                    self.source_bodies[index].body.hash(h);
                    SourceView::fingerprint_citing(self, site, index, h);
                }
            }
            Job::Search | Job::NotFound => {}
            // The search index and the print page hold the whole site.
            Job::SearchIndex | Job::Print => self.whole_site(site, h),
            // Every page's path and date, the sections', the entries' and
            // the sources' (where a part begins and ends, and the newest
            // date of each, depend on all of them).
            Job::Sitemap | Job::SitemapIndex | Job::SitemapPart(_) => {
                self.page_cards.hash(h);
                for section in &site.sections {
                    (section.output.as_str(), section.index).hash(h);
                }
                for kind in [TermKind::Agency, TermKind::Topic] {
                    self.chips(kind).hash(h);
                }
                self.source_cards.hash(h);
            }
            // Every page's title, summary, path and date in reading order,
            // and the sources' dates.
            Job::Feed => {
                for id in site.reading_order() {
                    (site.page(id).is_section_index, self.card(id)).hash(h);
                }
                self.source_cards.hash(h);
            }
        }
    }
}
