//! What each output file is made of, as one fingerprint per file.
//!
//! A file's fingerprint hashes everything its template can see: the
//! template files themselves, the site's settings and navigation, and the
//! parts of the model its view reads (a page's card, body and neighbours; a
//! term's mentions; ...). Two states of a site that give a file the same
//! fingerprint give it the same bytes, so after an edit only the files whose
//! fingerprint changed need rendering again.
//!
//! The parts mirror the views of [`super::view`] one for one: a view that
//! starts reading something new must hash it here too (the incremental
//! build's tests compare it with full builds to catch a miss).

use std::collections::HashMap;
use std::hash::{Hash, Hasher as _};
use std::sync::Arc;

use rayon::prelude::*;

use super::view;
use super::{Job, Theme, jobs};
use crate::fingerprint::{self, Hasher};
use crate::links::TermKind;
use crate::markdown::Rendered;
use crate::model::{Page, PageId, Section, SectionId, Site, Term};

/// The fingerprints of rendered bodies, kept while the bodies are the same
/// (hashing every page's HTML again for each edit would cost more than the
/// edit).
#[derive(Debug, Default)]
pub struct BodyPrints {
    memo: HashMap<usize, (Arc<Rendered>, Arc<BodyPrint>)>,
}

/// The fingerprint of a rendered body, and of each of its passages.
#[derive(Debug)]
struct BodyPrint {
    body: u64,
    passages: Vec<u64>,
    /// How many passages mention an agency or topic (for the figures).
    mentioning: usize,
}

impl BodyPrints {
    fn get(&self, body: &Arc<Rendered>) -> Option<Arc<BodyPrint>> {
        let key = Arc::as_ptr(body) as usize;
        self.memo
            .get(&key)
            .filter(|(kept, _)| Arc::ptr_eq(kept, body))
            .map(|(_, print)| Arc::clone(print))
    }

    /// The prints of `bodies`, computing only the new ones; forgets the
    /// bodies that are gone.
    fn update(&mut self, bodies: &[&Arc<Rendered>]) -> Vec<Arc<BodyPrint>> {
        let prints: Vec<Arc<BodyPrint>> = bodies
            .par_iter()
            .map(|body| {
                self.get(body)
                    .unwrap_or_else(|| Arc::new(BodyPrint::of(body)))
            })
            .collect();
        self.memo = bodies
            .iter()
            .zip(&prints)
            .map(|(body, print)| {
                let key = Arc::as_ptr(body) as usize;
                (key, (Arc::clone(body), Arc::clone(print)))
            })
            .collect();
        prints
    }
}

impl BodyPrint {
    fn of(body: &Rendered) -> Self {
        BodyPrint {
            body: hash((&body.html, &body.headings, body.word_count)),
            passages: body
                .passages
                .iter()
                .map(|passage| hash((&passage.id, passage.text(), &passage.annotations)))
                .collect(),
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

/// The fingerprint of every template: its own text, the templates it
/// extends or includes, and every template that defines components (which
/// any template may use).
pub fn template_prints(theme: &Theme) -> HashMap<String, u64> {
    let text_of: HashMap<&str, &str> = theme
        .files
        .iter()
        .map(|(name, file)| (name.as_str(), file.text()))
        .collect();
    let components: Vec<&str> = theme
        .files
        .iter()
        .filter(|(_, file)| file.text().contains("{% component"))
        .map(|(name, _)| name.as_str())
        .collect();
    theme
        .files
        .iter()
        .map(|(name, _)| {
            let mut seen: Vec<&str> = Vec::new();
            let mut pending: Vec<&str> = vec![name.as_str()];
            pending.extend(&components);
            while let Some(next) = pending.pop() {
                if seen.contains(&next) {
                    continue;
                }
                seen.push(next);
                if let Some(text) = text_of.get(next) {
                    pending.extend(referenced_templates(text));
                }
            }
            seen.sort_unstable();
            let texts: Vec<(&str, Option<&&str>)> =
                seen.iter().map(|n| (*n, text_of.get(n))).collect();
            (name.clone(), hash(texts))
        })
        .collect()
}

/// The names in `{% extends "..." %}` and `{% include "..." %}` of a
/// template.
fn referenced_templates(text: &str) -> Vec<&str> {
    let mut names = Vec::new();
    for keyword in ["extends", "include"] {
        let mut rest = text;
        while let Some(at) = rest.find(keyword) {
            rest = &rest[at + keyword.len()..];
            let trimmed = rest.trim_start();
            if let Some(quoted) = trimmed
                .strip_prefix('"')
                .or_else(|| trimmed.strip_prefix('\''))
                && let Some(end) = quoted.find(['"', '\''])
            {
                names.push(&quoted[..end]);
            }
        }
    }
    names
}

/// The parts of a site that many files share, fingerprinted once.
struct Parts {
    global: u64,
    page_cards: Vec<u64>,
    bodies: Vec<Arc<BodyPrint>>,
    source_bodies: Vec<Arc<BodyPrint>>,
    chips: HashMap<TermKind, Vec<u64>>,
    cards: HashMap<TermKind, Vec<u64>>,
    source_cards: Vec<u64>,
}

/// The fingerprint of every job of `site` rendered with the templates
/// fingerprinted in `templates`.
pub fn job_prints(
    site: &Site,
    templates: &HashMap<String, u64>,
    bodies: &mut BodyPrints,
) -> Vec<(Job, u64)> {
    let all_bodies: Vec<&Arc<Rendered>> = site
        .pages
        .iter()
        .map(|p| &p.body)
        .chain(site.sources.iter().map(|s| &s.body))
        .collect();
    let mut prints = bodies.update(&all_bodies);
    let source_bodies = prints.split_off(site.pages.len());
    let parts = Parts {
        global: hash((&site.config, view::nav(site))),
        page_cards: site.pages.par_iter().map(page_card).collect(),
        bodies: prints,
        source_bodies,
        chips: [TermKind::Agency, TermKind::Topic]
            .into_iter()
            .map(|kind| (kind, site.terms(kind).iter().map(term_chip).collect()))
            .collect(),
        cards: [TermKind::Agency, TermKind::Topic]
            .into_iter()
            .map(|kind| {
                let cards = site
                    .terms(kind)
                    .iter()
                    .map(|t| hash((term_chip(t), t.mentions.len(), t.pages.len())))
                    .collect();
                (kind, cards)
            })
            .collect(),
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
                ))
            })
            .collect(),
    };
    jobs(site)
        .into_par_iter()
        .map(|job| {
            let template = templates.get(job.template()).copied().unwrap_or(0);
            let mut hasher = fingerprint::hasher();
            (template, parts.global, job).hash(&mut hasher);
            parts.job(site, job, &mut hasher);
            (job, hasher.finish())
        })
        .collect()
}

fn page_card(page: &Page) -> u64 {
    hash((
        &page.title,
        &page.summary,
        page.output.as_str(),
        page.date,
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

impl Parts {
    fn card(&self, id: PageId) -> u64 {
        self.page_cards[id.0]
    }

    fn cards(&self, ids: &[PageId], h: &mut Hasher) {
        ids.len().hash(h);
        for id in ids {
            self.card(*id).hash(h);
        }
    }

    fn body(&self, id: PageId) -> u64 {
        self.bodies[id.0].body
    }

    /// What [`view::PageView`] reads.
    fn page_view(&self, site: &Site, page_id: PageId, h: &mut Hasher) {
        let page = site.page(page_id);
        (self.card(page_id), self.body(page_id)).hash(h);
        for (kind, list) in [
            (TermKind::Agency, &page.agencies),
            (TermKind::Topic, &page.topics),
        ] {
            list.len().hash(h);
            for &i in list {
                self.chips[&kind][i].hash(h);
            }
        }
        page.sources.len().hash(h);
        for &i in &page.sources {
            self.source_cards[i].hash(h);
        }
        page.previous.map(|id| self.card(id)).hash(h);
        page.next.map(|id| self.card(id)).hash(h);
        self.cards(&page.related, h);
        self.cards(&page.linked_from, h);
        let crumbs_from = if page.is_section_index {
            site.section(page.section).parent
        } else {
            Some(page.section)
        };
        self.section_chain(site, crumbs_from, h);
    }

    /// The titles and paths of `section` and the sections above it, the
    /// root left out: what breadcrumbs show.
    fn section_chain(&self, site: &Site, mut section: Option<SectionId>, h: &mut Hasher) {
        while let Some(id) = section.filter(|id| *id != SectionId(0)) {
            let above = site.section(id);
            (&above.title, above.output.as_str()).hash(h);
            section = above.parent;
        }
    }

    /// What [`view::SectionCard`] reads, `depth` levels down.
    fn section_card(&self, site: &Site, section: &Section, depth: usize, h: &mut Hasher) {
        (&section.title, section.output.as_str()).hash(h);
        section
            .index
            .and_then(|id| site.page(id).summary.as_deref())
            .hash(h);
        self.cards(&section.pages, h);
        if depth > 0 {
            section.subsections.len().hash(h);
            for id in &section.subsections {
                self.section_card(site, site.section(*id), depth - 1, h);
            }
        }
    }

    /// What [`view::TermView`] reads.
    fn term_view(&self, term: &Term, index: usize, h: &mut Hasher) {
        self.cards[&term.kind][index].hash(h);
        term.mentions.len().hash(h);
        for at in &term.mentions {
            let passage = self.bodies[at.page.0].passages.get(at.passage).copied();
            (self.card(at.page), at.passage, passage).hash(h);
        }
        self.cards(&term.pages, h);
        for (kind, related) in [
            (TermKind::Agency, &term.related_agencies),
            (TermKind::Topic, &term.related_topics),
        ] {
            for &(i, together) in related.iter().take(view::RELATED_TERMS) {
                (self.cards[&kind][i], together).hash(h);
            }
        }
    }

    /// What the notes on a source's passages read of the passages citing
    /// them: each citing page's card and body.
    fn citing_passages(&self, site: &Site, index: usize, h: &mut Hasher) {
        for cited_by in &site.sources[index].passage_cited_by {
            cited_by.len().hash(h);
            for at in cited_by {
                (self.card(at.page), self.body(at.page), at.passage).hash(h);
            }
        }
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
        self.section_card(site, &site.sections[0], usize::MAX, h);
        for kind in [TermKind::Agency, TermKind::Topic] {
            self.all_term_cards(kind, h);
            for term in site.terms(kind) {
                term.mentions.hash(h);
            }
        }
        self.source_cards.hash(h);
        for body in &self.source_bodies {
            body.body.hash(h);
        }
    }

    fn all_term_cards(&self, kind: TermKind, h: &mut Hasher) {
        self.cards[&kind].hash(h);
    }

    fn job(&self, site: &Site, job: Job, h: &mut Hasher) {
        match job {
            Job::Home => {
                let root = &site.sections[0];
                if let Some(id) = root.index {
                    self.page_view(site, id, h);
                }
                self.section_card(site, root, 2, h);
                // The figures: the page cards hold the parts, the bodies
                // the passages that mention something.
                self.page_cards.hash(h);
                let mentioning: usize = self.bodies.iter().map(|b| b.mentioning).sum();
                (
                    mentioning,
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
                    self.page_view(site, id, h);
                }
                self.section_card(site, section, 1, h);
                self.section_chain(site, section.parent, h);
            }
            Job::Page(index) => self.page_view(site, PageId(index), h),
            Job::Terms(kind) => self.all_term_cards(kind, h),
            Job::Term(kind, index) => self.term_view(&site.terms(kind)[index], index, h),
            Job::Sources => self.source_cards.hash(h),
            Job::Source(index) => {
                self.source_cards[index].hash(h);
                self.source_bodies[index].body.hash(h);
                self.cards(&site.sources[index].cited_by, h);
                self.citing_passages(site, index, h);
            }
            Job::Coverage => {
                self.source_cards.hash(h);
                for index in 0..site.sources.len() {
                    self.source_bodies[index].body.hash(h);
                    self.citing_passages(site, index, h);
                }
            }
            Job::Search | Job::NotFound => {}
            // The search index and the print page hold the whole site.
            Job::SearchIndex | Job::Print => self.whole_site(site, h),
            // Every page's path and date, the sections', the entries' and
            // the sources'.
            Job::Sitemap => {
                self.page_cards.hash(h);
                for section in &site.sections {
                    (section.output.as_str(), section.index).hash(h);
                }
                for kind in [TermKind::Agency, TermKind::Topic] {
                    self.chips[&kind].hash(h);
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
