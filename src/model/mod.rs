//! The second stage: one [`Site`] value, every cross-reference resolved.
//!
//! [`build`] renders each page's Markdown (in parallel, one pass per page),
//! then resolves what the pages refer to: agencies, topics, sources, other
//! pages and their anchors. Once a `Site` exists without errors, every
//! reference in it leads somewhere. It also gathers the indexes the site is
//! read through: the passages that mention each agency and topic, the pages
//! that link to each page, related pages and terms.

mod cache;
mod check;
pub mod coverage;
pub mod drift;
mod index;
mod lint;
mod names;
mod outputs;
pub mod quotations;

use std::collections::HashMap;
use std::sync::Arc;

use rayon::prelude::*;

use crate::config::Config;
use crate::diagnostics::{Code, Diagnostic};
use crate::links::{TermKind, layout};
use crate::load::{Agency, AgencyKind, AssetSource, Entry, Input, PageSource, Seed};
use crate::markdown::{self, Options, RawHtml, Rendered};
use crate::paths::{OutputPath, slugify};
use crate::source::SourceFile;
use crate::toml_fields::Date;
pub use cache::{Cache, HOLD_HTML_UP_TO};
use drift::{CitationMove, PassageDrift};

/// A page, by its position in [`Site::pages`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct PageId(pub usize);

/// A section, by its position in [`Site::sections`]; the root section is 0.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct SectionId(pub usize);

/// A registry entry: which registry, and its position in it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct TermRef {
    /// The registry.
    pub kind: TermKind,
    /// The position in [`Site::agencies`] or [`Site::topics`].
    pub index: usize,
}

/// A passage of a page.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct PassageRef {
    /// The page.
    pub page: PageId,
    /// The position in the page's passages.
    pub passage: usize,
}

/// A page of the site: a Markdown file of `content/`.
#[derive(Debug, Clone)]
pub struct Page {
    /// The file it was written from.
    pub file: Arc<SourceFile>,
    /// Its path relative to `content/`.
    pub path: String,
    /// Where it is written.
    pub output: OutputPath,
    /// Its title.
    pub title: String,
    /// A sentence or two for indexes and the feed.
    pub summary: Option<String>,
    /// Its order within its section.
    pub weight: i64,
    /// Its date.
    pub date: Option<Date>,
    /// When it was last revised (never before `date`).
    pub updated: Option<Date>,
    /// Whether it is a draft, built because drafts are
    /// [included](Drafts::Included); a site without them has none.
    pub draft: bool,
    /// The section it belongs to; for a section's `_index.md`, that section.
    pub section: SectionId,
    /// Whether it is a section's `_index.md`.
    pub is_section_index: bool,
    /// The rendered body, headings, passages and links (shared with the
    /// build cache).
    pub body: Arc<Rendered>,
    /// Where the body starts in the file, in bytes: link and passage offsets
    /// are relative to it.
    pub body_offset: usize,
    /// The page as read: its front matter holds the agencies, topics and
    /// sources as written.
    pub source: Arc<PageSource>,
    /// The agencies of its front matter, then those mentioned only inline.
    pub agencies: Arc<[usize]>,
    /// The topics of its front matter, then those mentioned only inline.
    pub topics: Arc<[usize]>,
    /// The sources it cites, in front matter or inline.
    pub sources: Arc<[usize]>,
    /// The pages it links to.
    pub links_to: Arc<[PageId]>,
    /// The pages that link to it.
    pub linked_from: Vec<PageId>,
    /// The previous page of its section, in reading order.
    pub previous: Option<PageId>,
    /// The next page of its section, in reading order.
    pub next: Option<PageId>,
    /// Pages that share the most agencies and topics with it.
    pub related: Vec<PageId>,
}

/// A section: a directory of `content/` with its pages.
#[derive(Debug, Clone)]
pub struct Section {
    /// Its path relative to `content/` (`""` for the root).
    pub dir: String,
    /// Where its index page is written.
    pub output: OutputPath,
    /// Its `_index.md`, if it has one.
    pub index: Option<PageId>,
    /// Its title: the `_index.md` title, or the directory's name.
    pub title: String,
    /// Its order among its siblings.
    pub weight: i64,
    /// Its pages (not the index), in reading order.
    pub pages: Vec<PageId>,
    /// Its sub-sections, in reading order.
    pub subsections: Vec<SectionId>,
    /// The section it is in; `None` for the root.
    pub parent: Option<SectionId>,
}

/// An agency or topic with everything the site says about it.
#[derive(Debug, Clone)]
pub struct Term {
    /// Which registry it is in.
    pub kind: TermKind,
    /// Its id, names and description.
    pub entry: Entry,
    /// For agencies: country and kind.
    pub agency: Option<Affiliation>,
    /// Where its page is written.
    pub output: OutputPath,
    /// The passages that mention it inline, in reading order.
    pub mentions: Arc<[PassageRef]>,
    /// The entry of the same registry it is part of (`parent` in the
    /// registry), by its position there.
    pub parent: Option<usize>,
    /// The entries that are part of it, in registry order.
    pub children: Vec<usize>,
    /// The passages its page lists: its own mentions and those of every
    /// entry within it (its children, theirs, and so on), each once, in
    /// reading order. The same as `mentions` for an entry without children.
    pub listed: Arc<[PassageRef]>,
    /// The pages that mention it or list it in their front matter, in
    /// reading order.
    pub pages: Vec<PageId>,
    /// Agencies mentioned in the same passages, with how often, most first.
    pub related_agencies: Vec<(usize, usize)>,
    /// Topics mentioned in the same passages, with how often, most first.
    pub related_topics: Vec<(usize, usize)>,
}

impl Term {
    /// The entries within this one, by position in `registry` (its own
    /// registry): its children, theirs, and so on, in registry order.
    pub fn within(&self, registry: &[Term]) -> Vec<usize> {
        let mut found = Vec::new();
        let mut next = self.children.clone();
        while let Some(child) = next.pop() {
            found.push(child);
            next.extend_from_slice(&registry[child].children);
        }
        found.sort_unstable();
        found
    }
}

/// Where an agency is from and what kind of body it is.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Affiliation {
    /// The country's code, as the registry gives it (`US`).
    pub country: String,
    /// The country's name, as `site.toml` declares it (or the code).
    pub country_name: String,
    /// The kind of body.
    pub kind: AgencyKind,
}

/// A source document, rendered.
#[derive(Debug, Clone)]
pub struct Source {
    /// The document as loaded.
    pub seed: Seed,
    /// Where its page is written.
    pub output: OutputPath,
    /// The rendered body: headings and passages with stable anchors.
    pub body: Arc<Rendered>,
    /// The pages that cite it.
    pub cited_by: Vec<PageId>,
    /// For each passage of the body (in the same order), the passages of
    /// pages that cite it, in reading order.
    pub passage_cited_by: Vec<Vec<PassageRef>>,
    /// For each passage of the body, what it is to `sources.lock`.
    pub drift: Vec<PassageDrift>,
}

/// What the pages of a site refer to, before they are resolved: the site
/// but its pages. The pages are resolved against it, then the two make the
/// [`Site`].
#[derive(Debug)]
pub struct Referents {
    /// `site.toml`.
    pub config: Config,
    /// Every section; the root (the home page) first.
    pub sections: Vec<Section>,
    /// The agencies, in registry order.
    pub agencies: Vec<Term>,
    /// The topics, in registry order.
    pub topics: Vec<Term>,
    /// The source documents, by slug.
    pub sources: Vec<Source>,
    /// Files copied from `content/`.
    pub assets: Vec<AssetSource>,
    /// Files copied from `static/`, at the same path from the site root.
    pub statics: Vec<AssetSource>,
}

/// The whole site, resolved: the model every later stage reads, and
/// nothing else (the files it was read from stay with the load stage).
#[derive(Debug, Clone)]
pub struct Site {
    /// `site.toml`.
    pub config: Config,
    /// Every page, the section indexes included.
    pub pages: Vec<Page>,
    /// Every section; the root (the home page) first.
    pub sections: Vec<Section>,
    /// The agencies, in registry order.
    pub agencies: Vec<Term>,
    /// The topics, in registry order.
    pub topics: Vec<Term>,
    /// The source documents, by slug.
    pub sources: Vec<Source>,
    /// Files copied from `content/`.
    pub assets: Vec<AssetSource>,
    /// The citations whose passage's old words are now at another anchor,
    /// which `dossier fix` moves there.
    pub citation_moves: Vec<CitationMove>,
    /// The drafts left out of it, by path relative to `content/`, in the
    /// order of a walk of `content/`.
    pub drafts_left_out: Vec<String>,
    /// Files copied from `static/`, at the same path from the site root.
    pub statics: Vec<AssetSource>,
}

impl Site {
    /// The registry of `kind`.
    pub fn terms(&self, kind: TermKind) -> &[Term] {
        match kind {
            TermKind::Agency => &self.agencies,
            TermKind::Topic => &self.topics,
        }
    }

    /// A registry entry.
    pub fn term(&self, term: TermRef) -> &Term {
        &self.terms(term.kind)[term.index]
    }

    /// Gives back the Markdown of every page, which the stages after the
    /// model do not read: each page keeps a stand-in for its file (see
    /// [`SourceFile::released`]), and the texts are freed once no other
    /// handle holds them (the source map's, a session's).
    pub fn release_page_texts(&mut self) {
        self.pages.par_iter_mut().for_each(|page| {
            let file = Arc::new(page.file.released());
            page.source = Arc::new(PageSource {
                file: Arc::clone(&file),
                ..PageSource::clone(&page.source)
            });
            page.file = file;
        });
    }

    /// A page.
    pub fn page(&self, id: PageId) -> &Page {
        &self.pages[id.0]
    }

    /// A section.
    pub fn section(&self, id: SectionId) -> &Section {
        &self.sections[id.0]
    }

    /// The home page: the root section's `_index.md`, if there is one.
    pub fn home(&self) -> Option<&Page> {
        self.sections[0].index.map(|id| self.page(id))
    }

    /// Every page in reading order: the home page, then each section's index
    /// followed by its pages and sub-sections, depth first.
    pub fn reading_order(&self) -> Vec<PageId> {
        self.sections_in_reading_order()
            .into_iter()
            .filter_map(|(section, page)| page.or(self.section(section).index))
            .collect()
    }

    /// The sections and pages in reading order: each section (the root
    /// first), then its pages, then its sub-sections, depth first; a
    /// section is `(id, None)`, a page of it `(id, Some(page))`.
    pub fn sections_in_reading_order(&self) -> Vec<(SectionId, Option<PageId>)> {
        let mut order = Vec::with_capacity(self.pages.len() + self.sections.len());
        let mut stack = vec![SectionId(0)];
        while let Some(id) = stack.pop() {
            let section = self.section(id);
            order.push((id, None));
            order.extend(section.pages.iter().map(|&page| (id, Some(page))));
            stack.extend(section.subsections.iter().rev().copied());
        }
        order
    }
}

/// What a build does with the pages marked `draft = true`.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash)]
pub enum Drafts {
    /// They are left out, as if they were not there: no file, no place in
    /// any list, index, count, search index or feed, no citation counted.
    /// A link to one from a published page is an error. What `dossier
    /// build` and `dossier check` do.
    #[default]
    LeftOut,
    /// They are built like any other page, each marked as a draft: what
    /// `dossier serve` does, and `build --drafts` for a preview.
    Included,
}

/// Builds the site from `input`, its drafts left out. Every problem is
/// pushed to `diagnostics`; the site is returned even when some are errors,
/// so that later checks (templates) still run and report theirs.
pub fn build(input: &Input, diagnostics: &mut Vec<Diagnostic>) -> Site {
    build_cached(input, &mut Cache::default(), Drafts::LeftOut, diagnostics)
}

/// [`build`], taking in the drafts or not as `drafts` says, reusing from
/// `cache` the work of an earlier build whose input has not changed
/// (rendered Markdown, per-page checks), and leaving this build's work in
/// it for the next.
pub fn build_cached(
    input: &Input,
    cache: &mut Cache,
    drafts: Drafts,
    diagnostics: &mut Vec<Diagnostic>,
) -> Site {
    let raw_html = if input.config.allow_raw_html {
        RawHtml::Keep
    } else {
        RawHtml::Escape
    };
    // A draft left out is read (its front matter says it is one) and no
    // further: nothing of it reaches the model.
    let (built, left_out): (Vec<Arc<PageSource>>, Vec<Arc<PageSource>>) = input
        .pages
        .iter()
        .cloned()
        .partition(|page| drafts == Drafts::Included || !page.front.draft);
    let bodies = cache.page_bodies(&built, raw_html);
    let mut sections = outputs::sections(&built);
    let section_ids: HashMap<&str, SectionId> = sections
        .iter()
        .enumerate()
        .map(|(i, section)| (section.dir.as_str(), SectionId(i)))
        .collect();
    let mut pages: Vec<Page> = built
        .par_iter()
        .zip(bodies)
        .map(|(source, body)| new_page(source, body, &section_ids))
        .collect();
    drop(section_ids);
    outputs::attach_pages(&mut sections, &pages);
    let source_bodies = cache.source_bodies(&input.seeds);
    let sources: Vec<Source> = input
        .seeds
        .iter()
        .zip(source_bodies)
        .map(|(seed, body)| Source {
            seed: seed.clone(),
            output: layout::source(&seed.slug),
            passage_cited_by: vec![Vec::new(); body.passages.len()],
            drift: vec![PassageDrift::Unlocked; body.passages.len()],
            body,
            cited_by: Vec::new(),
        })
        .collect();

    let mut referents = Referents {
        config: input.config.clone(),
        sections,
        agencies: input
            .agencies
            .iter()
            .map(|agency| {
                check_country(&input.config, agency, diagnostics);
                let code = &agency.country.value;
                let affiliation = Affiliation {
                    country: code.clone(),
                    country_name: input.config.country_name(code).to_string(),
                    kind: agency.kind,
                };
                new_term(TermKind::Agency, agency.entry.clone(), Some(affiliation))
            })
            .collect(),
        topics: input
            .topics
            .iter()
            .map(|topic| new_term(TermKind::Topic, topic.entry.clone(), None))
            .collect(),
        sources,
        assets: input.assets.clone(),
        statics: input.statics.clone(),
    };
    link_parents(&mut referents.agencies);
    link_parents(&mut referents.topics);
    outputs::check_collisions(&referents, &pages, diagnostics);
    let failed = input.failed();
    let resolver =
        check::Resolver::new(&referents, &pages, &left_out, &failed, input.lock.as_ref());
    let resolved = resolver.resolve_all(&pages, &mut cache.resolutions, diagnostics);
    drop(resolver);
    check::apply(&mut pages, resolved);
    let mut site = Site {
        config: referents.config,
        pages,
        sections: referents.sections,
        agencies: referents.agencies,
        topics: referents.topics,
        sources: referents.sources,
        assets: referents.assets,
        citation_moves: Vec::new(),
        drafts_left_out: left_out.iter().map(|page| page.path.clone()).collect(),
        statics: referents.statics,
    };
    outputs::order_sections(&mut site);
    index::build(&mut site, cache);
    drift::check(&mut site, input.lock.as_ref(), diagnostics);
    quotations::check(&site, diagnostics);
    lint::run(&site, cache, diagnostics);
    site
}

/// Renders the body of a page of `content/`.
pub(crate) fn render_page(page: &PageSource, raw_html: RawHtml) -> Rendered {
    let root = page.output.root();
    let options = Options {
        raw_html,
        bold_paragraphs_are_headings: false,
    };
    markdown::render(
        page.body(),
        options,
        markdown::Location {
            dir: page.dir(),
            root: &root,
        },
    )
}

/// Renders a source document: bold paragraphs are its section headings,
/// HTML is dropped.
pub(crate) fn render_source(seed: &Seed) -> Rendered {
    let output = layout::source(&seed.slug);
    let root = output.root();
    let text = &seed.file.text()[seed.body.clone()];
    let options = Options {
        raw_html: RawHtml::Strip,
        bold_paragraphs_are_headings: true,
    };
    markdown::render(
        text,
        options,
        markdown::Location {
            dir: "",
            root: &root,
        },
    )
}

fn new_page(
    source: &Arc<PageSource>,
    body: Arc<Rendered>,
    sections: &HashMap<&str, SectionId>,
) -> Page {
    let is_section_index = source.is_section_index();
    let section = sections.get(source.dir()).copied().unwrap_or(SectionId(0));
    let title = source.front.title.as_ref().map_or_else(
        || {
            let stem = source.path.rsplit('/').next().unwrap_or(&source.path);
            stem.trim_end_matches(".md").to_string()
        },
        |t| t.value.clone(),
    );
    Page {
        path: source.path.clone(),
        output: source.output.clone(),
        title,
        summary: source.front.summary.clone(),
        weight: source.front.weight,
        date: source.front.date,
        updated: source.front.updated,
        draft: source.front.draft,
        section,
        is_section_index,
        body,
        body_offset: source.body.start,
        source: Arc::clone(source),
        agencies: Arc::default(),
        topics: Arc::default(),
        sources: Arc::default(),
        links_to: Arc::default(),
        linked_from: Vec::new(),
        previous: None,
        next: None,
        related: Vec::new(),
        file: Arc::clone(&source.file),
    }
}

fn new_term(kind: TermKind, entry: Entry, agency: Option<Affiliation>) -> Term {
    Term {
        output: layout::term(kind, &entry.id.value),
        kind,
        entry,
        agency,
        mentions: Arc::default(),
        parent: None,
        children: Vec::new(),
        listed: Arc::default(),
        pages: Vec::new(),
        related_agencies: Vec::new(),
        related_topics: Vec::new(),
    }
}

/// Reports an agency whose country is not one that `site.toml` declares
/// (when it declares any).
fn check_country(config: &Config, agency: &Agency, diagnostics: &mut Vec<Diagnostic>) {
    let code = &agency.country.value;
    if config.countries.is_empty() || config.countries.iter().any(|c| c.code == *code) {
        return;
    }
    let codes = config.countries.iter().map(|c| c.code.as_str());
    let help = crate::diagnostics::did_you_mean(code, codes.clone()).unwrap_or_else(|| {
        format!(
            "use one of {}, or add `{code} = \"<name>\"` to `[countries]` in site.toml",
            codes
                .map(|c| format!("`{c}`"))
                .collect::<Vec<_>>()
                .join(", ")
        )
    });
    diagnostics.push(
        Diagnostic::error(
            Code::InvalidValue,
            format!("`{code}` is not a country of site.toml"),
        )
        .at(agency.country.span.clone())
        .label("not in `[countries]` of site.toml")
        .help(help),
    );
}

/// Sets each entry's parent and children from the `parent` of its registry
/// entry (checked when the registry was read: it leads to an entry, and
/// never around in a circle).
fn link_parents(terms: &mut [Term]) {
    let ids: HashMap<String, usize> = terms
        .iter()
        .enumerate()
        .map(|(i, term)| (term.entry.id.value.clone(), i))
        .collect();
    for child in 0..terms.len() {
        let parent = terms[child]
            .entry
            .parent
            .as_ref()
            .and_then(|parent| ids.get(&parent.value).copied())
            .filter(|&parent| parent != child);
        terms[child].parent = parent;
        if let Some(parent) = parent {
            terms[parent].children.push(child);
        }
    }
}

/// A map from each id to its position in a registry.
fn id_index(terms: &[Term]) -> foldhash::HashMap<&str, usize> {
    terms
        .iter()
        .enumerate()
        .map(|(i, term)| (term.entry.id.value.as_str(), i))
        .collect()
}

/// The title of a section without `_index.md`: its directory name, words
/// capitalised.
fn title_from_dir(dir: &str) -> String {
    let name = dir.rsplit('/').next().unwrap_or(dir);
    slugify(name)
        .split('-')
        .map(|word| {
            let mut chars = word.chars();
            chars
                .next()
                .map(|first| first.to_uppercase().chain(chars).collect::<String>())
                .unwrap_or_default()
        })
        .collect::<Vec<_>>()
        .join(" ")
}
