//! The third stage: every file of the built site, computed in memory.
//!
//! [`render`] turns a [`Site`] and a [`Theme`] into a list of [`Output`]s:
//! one HTML file per page, section, agency, topic and source, the indexes,
//! the search page and its index script, the print page, the sitemap and
//! feed, the theme's static files and the files copied from `content/`.
//! Nothing is written here; the write stage publishes the list.

pub mod budget;
mod cards;
pub mod citations;
pub mod deps;
mod errors;
mod feed;
mod files;
pub mod print;
pub mod provenance;
mod recursion;
pub mod search;
mod sinks;
pub mod supervise;
pub mod theme;
pub mod view;

use std::collections::BTreeMap;
use std::io;
use std::rc::Rc;
use std::sync::Arc;
use std::time::Instant;

use rayon::prelude::*;
use tera::Context;

use crate::diagnostics::{Code, Diagnostic, Text};
use crate::links::{TermKind, layout};
use crate::model::{Site, Term};
use crate::paths::OutputPath;
use crate::source::Span;
use budget::{Budget, Cancel, Limits, Metered, Stop};
pub use cards::Cards;
pub use files::{asset_files, site_files, static_files};
use provenance::SourceView;
pub use sinks::Counted;
use sinks::Gathered;
pub use supervise::Heaviest;
use supervise::{Ended, Runaway, Watch};
pub use theme::Theme;
use view::{Figures, NavItem, PageView, SectionCard, SiteView, SourceCard, TermCard, TermView};

/// One file of the built site.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Output {
    /// Where it goes, relative to the output directory.
    pub path: OutputPath,
    /// Its bytes.
    pub bytes: Vec<u8>,
}

/// How many pages of each section the home page lists.
const HOME_PAGES: usize = 12;

/// How many agencies the home page shows as key agencies.
const KEY_AGENCIES: usize = 8;

/// Where [`render_each`] hands each file as soon as it is rendered.
pub trait Sink: Sync {
    /// Takes one file.
    fn put(&self, output: Output) -> Result<(), Box<Diagnostic>>;

    /// Takes one file that `write` writes out piece by piece, for a file too
    /// large to be worth holding whole; a failure of `write` is returned as
    /// it is. By default the pieces are gathered and [`put`](Sink::put).
    fn put_written(
        &self,
        path: OutputPath,
        write: &dyn Fn(&mut dyn io::Write) -> Result<(), Failed>,
    ) -> Result<(), Failed> {
        let mut bytes = Vec::new();
        write(&mut bytes)?;
        self.put(Output { path, bytes }).map_err(Failed::Problem)
    }
}

/// Renders every file of `site` with `theme`, here, in parallel. Template
/// errors are pushed to `diagnostics`; the files that rendered are returned
/// either way, sorted by path. Each file is held to its budget (see
/// [`budget`]), but a template that loops without reaching a checkpoint
/// holds this call up: [`render_gathered`] gives up on it instead.
pub fn render(site: &Site, theme: &Theme, diagnostics: &mut Vec<Diagnostic>) -> Vec<Output> {
    let gathered = Gathered::default();
    let cards = Cards::new(site);
    let watch = Watch::new(Limits::of(&site.config), Cancel::new());
    let renderer = Renderer::new(site, theme, &cards, &watch);
    let failures = render_jobs(&renderer, &jobs_of(site, theme), &gathered, &watch);
    report(failures, diagnostics);
    copy_files(site, theme, diagnostics, &gathered);
    gathered.sorted()
}

/// [`render_each`] into memory: every file of `site`, sorted by path, and
/// how rendering went.
pub fn render_gathered(
    site: &Arc<Site>,
    theme: &Arc<Theme>,
    diagnostics: &mut Vec<Diagnostic>,
) -> (Vec<Output>, Rendered) {
    let gathered = Arc::new(Gathered::default());
    let rendered = render_each(site, theme, diagnostics, &gathered);
    (gathered.sorted(), rendered)
}

/// How rendering went.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Rendered {
    /// Every file was rendered or failed; these came nearest to the limits.
    Finished(Heaviest),
    /// A template ran past its time limit and could not be stopped: it was
    /// given up on (and reported), and its thread left running. The sink
    /// may still hold its clone, but nothing more is written into it.
    GaveUp,
}

/// Renders every file of `site` with `theme` and hands each to `sink` as
/// soon as it is ready (in parallel, in no particular order, on threads of
/// their own), so that a large site is never held in memory whole; the
/// search index is handed over as it is written. Template errors, and the
/// errors of `sink`, are pushed to `diagnostics`.
///
/// Each file is held to the budget of `site.toml` (see [`budget`]); once
/// one file has run out of it, the files not rendered yet are left out. A
/// template that runs past its time limit and cannot be stopped is given up
/// on (see [`supervise`]): it is reported, and this returns
/// [`Rendered::GaveUp`] at once.
pub fn render_each<S: Sink + Send + 'static>(
    site: &Arc<Site>,
    theme: &Arc<Theme>,
    diagnostics: &mut Vec<Diagnostic>,
    sink: &Arc<S>,
) -> Rendered {
    render_each_except(site, theme, diagnostics, sink, foldhash::HashSet::default())
}

/// [`render_each`], but for the files of the jobs `except` (whose files
/// the caller has from elsewhere).
pub fn render_each_except<S: Sink + Send + 'static>(
    site: &Arc<Site>,
    theme: &Arc<Theme>,
    diagnostics: &mut Vec<Diagnostic>,
    sink: &Arc<S>,
    except: foldhash::HashSet<Job>,
) -> Rendered {
    let watch = Arc::new(Watch::new(Limits::of(&site.config), Cancel::new()));
    let work = {
        let (site, theme, sink, watch) = (
            Arc::clone(site),
            Arc::clone(theme),
            Arc::clone(sink),
            Arc::clone(&watch),
        );
        move || {
            let cards = Cards::new(&site);
            let renderer = Renderer::new(&site, &theme, &cards, &watch);
            let mut jobs = jobs_of(&site, &theme);
            jobs.retain(|job| !except.contains(job));
            render_jobs(&renderer, &jobs, &*sink, &watch)
        }
    };
    match supervise::run(&watch, work) {
        Ended::Finished(failures) => report(failures, diagnostics),
        Ended::Runaway(runaways) => {
            let problems = runaways.iter().map(|r| runaway_problem(theme, &watch, r));
            report(problems.collect(), diagnostics);
            return Rendered::GaveUp;
        }
        // Nothing makes a build obsolete.
        Ended::Obsolete => return Rendered::GaveUp,
    }
    copy_files(site, theme, diagnostics, &**sink);
    Rendered::Finished(watch.heaviest())
}

/// The problem to report for a template given up on.
pub fn runaway_problem(theme: &Theme, watch: &Watch, runaway: &Runaway) -> Diagnostic {
    let file = theme.file(&runaway.template).map_or_else(
        || Span::file_only(&runaway.template),
        |f| Span::file_only(f.path()),
    );
    budget::runaway(
        &watch.limits(),
        &runaway.template,
        &runaway.path,
        file,
        runaway.past_limit,
    )
}

/// The files to render with `theme`, the heaviest first (see
/// [`Job::weight`]). A template the theme lacks was reported when the
/// theme was loaded: the files it would render are left out rather than
/// failed again.
fn jobs_of(site: &Site, theme: &Theme) -> Vec<Job> {
    let mut jobs: Vec<Job> = jobs(site)
        .into_iter()
        .filter(|job| theme.file(job.template()).is_some())
        .collect();
    jobs.sort_by_key(|job| std::cmp::Reverse(job.weight()));
    jobs
}

/// Renders `jobs` in parallel into `sink`, each file a job of `watch`:
/// none is begun once `watch` is cancelled, and the first to run out of its
/// budget cancels it. Returns the problems, in the order of `jobs`.
///
/// The jobs are handed out one at a time, in their order, to whichever
/// thread is free: given the heaviest first, no thread is left alone with
/// a long one at the end while the others wait (splitting the list between
/// the threads beforehand left one of two idle for half of the bundled
/// site's render).
fn render_jobs(
    renderer: &Renderer<'_>,
    jobs: &[Job],
    sink: &(impl Sink + ?Sized),
    watch: &Watch,
) -> Vec<Diagnostic> {
    let mut failures: Vec<(usize, Diagnostic)> = jobs
        .iter()
        .enumerate()
        .par_bridge()
        .filter_map(|(at, &job)| {
            if watch.is_cancelled() {
                return None;
            }
            let _job = watch.job();
            render_job(renderer, job, sink, watch).map(|problem| (at, problem))
        })
        .collect();
    failures.sort_by_key(|(at, _)| *at);
    failures.into_iter().map(|(_, problem)| problem).collect()
}

/// Renders the file (or files) of `job` into `sink`; returns the problem,
/// if there was one to report.
fn render_job(
    renderer: &Renderer<'_>,
    job: Job,
    sink: &(impl Sink + ?Sized),
    watch: &Watch,
) -> Option<Diagnostic> {
    let put = if job == Job::SearchIndex {
        renderer.render_search_index(&mut |output| sink.put(output).map_err(Failed::Problem))
    } else if job.draws_on_whole_site() {
        // Large files go straight to the sink as they are written.
        sink.put_written(job.output_path(renderer.site), &|out| {
            renderer.render_to(job, out)
        })
    } else {
        renderer
            .render(&job)
            .and_then(|output| sink.put(output).map_err(Failed::Problem))
    };
    match put {
        Ok(()) | Err(Failed::Cancelled) => None,
        Err(Failed::Write(error)) => Some(Diagnostic::error(Code::Io, error.to_string())),
        Err(Failed::Problem(problem)) => {
            if problem.code == Code::TemplateLimit {
                watch.stop_all();
            }
            Some(*problem)
        }
    }
}

/// Adds `failures` to `diagnostics`, each once: one broken template fails
/// every file that uses it.
pub fn report(failures: Vec<Diagnostic>, diagnostics: &mut Vec<Diagnostic>) {
    let mut failed: BTreeMap<Text, Diagnostic> = BTreeMap::new();
    for diagnostic in failures {
        failed
            .entry(diagnostic.message.clone())
            .or_insert(diagnostic);
    }
    diagnostics.extend(failed.into_values());
}

/// Hands the theme's static files, the files of `content/` that are not
/// pages and the files of `static/` to `sink`.
fn copy_files(
    site: &Site,
    theme: &Theme,
    diagnostics: &mut Vec<Diagnostic>,
    sink: &(impl Sink + ?Sized),
) {
    let copied = static_files(theme, diagnostics)
        .into_iter()
        .chain(asset_files(&site.assets, diagnostics))
        .chain(site_files(&site.statics, diagnostics));
    for output in copied {
        if let Err(problem) = sink.put(output) {
            diagnostics.push(*problem);
        }
    }
}

/// What one output file is rendered from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Job {
    /// The home page, `index.html`.
    Home,
    /// The index page of the section at this position (never the root).
    Section(usize),
    /// The page at this position (never a section's `_index.md`).
    Page(usize),
    /// The index of a registry (`agencies/`, `topics/`).
    Terms(TermKind),
    /// The page of a registry entry.
    Term(TermKind, usize),
    /// The index of the source documents.
    Sources,
    /// The page of the source document at this position.
    Source(usize),
    /// The coverage of the sources by the pages' citations.
    Coverage,
    /// The search page.
    Search,
    /// The search index: its manifest (the job's path) and its shards.
    SearchIndex,
    /// The whole briefing on one page, for printing.
    Print,
    /// `404.html`.
    NotFound,
    /// `sitemap.xml`: every address of the site.
    Sitemap,
    /// `sitemap.xml` as the index of the parts of a sitemap too long for
    /// one file: more than 50,000 addresses, the sitemaps.org protocol's
    /// limit.
    SitemapIndex,
    /// The part of a long sitemap at this position (from 0),
    /// `sitemap-<position + 1>.xml`.
    SitemapPart(usize),
    /// `feed.xml`.
    Feed,
}

impl Job {
    /// Where the file goes.
    pub fn output_path(self, site: &Site) -> OutputPath {
        match self {
            Job::Home => layout::home(),
            Job::Section(index) => site.sections[index].output.clone(),
            Job::Page(index) => site.pages[index].output.clone(),
            Job::Terms(kind) => layout::term_index(kind),
            Job::Term(kind, index) => site.terms(kind)[index].output.clone(),
            Job::Sources => layout::sources(),
            Job::Coverage => layout::coverage(),
            Job::Search => layout::search(),
            Job::SearchIndex => layout::search_index(),
            Job::Print => layout::print(),
            Job::Source(index) => site.sources[index].output.clone(),
            Job::NotFound => layout::not_found(),
            Job::Sitemap | Job::SitemapIndex => layout::sitemap(),
            Job::SitemapPart(index) => layout::sitemap_part(index + 1),
            Job::Feed => layout::feed(),
        }
    }

    /// Whether the file gathers from every page of the site: the search
    /// index, the print page, the coverage page and the pages of agencies
    /// and topics. These can be large, and go to the sink as they are
    /// written rather than whole.
    pub fn draws_on_whole_site(self) -> bool {
        matches!(
            self,
            Job::SearchIndex | Job::Print | Job::Coverage | Job::Term(..)
        )
    }

    /// How long the file takes to render, roughly, as a rank: the search
    /// index and the print page hold the text of every page; the home page,
    /// the indexes, the coverage page and the pages of sources gather from
    /// every page; an agency or a topic from the passages that mention it;
    /// the rest show one page or list the pages.
    fn weight(self) -> u8 {
        match self {
            Job::SearchIndex | Job::Print => 3,
            Job::Home | Job::Terms(_) | Job::Coverage | Job::Source(_) => 2,
            Job::Term(..) => 1,
            Job::Section(_)
            | Job::Page(_)
            | Job::Sources
            | Job::Search
            | Job::NotFound
            | Job::Sitemap
            | Job::SitemapIndex
            | Job::SitemapPart(_)
            | Job::Feed => 0,
        }
    }

    /// The template the file is rendered with (the search index, written
    /// without one, goes with the search page's).
    pub fn template(self) -> &'static str {
        match self {
            Job::Home => "index.html",
            Job::Section(_) => "section.html",
            Job::Page(_) => "page.html",
            Job::Terms(TermKind::Agency) => "agencies.html",
            Job::Terms(TermKind::Topic) => "topics.html",
            Job::Term(TermKind::Agency, _) => "agency.html",
            Job::Term(TermKind::Topic, _) => "topic.html",
            Job::Sources => "sources.html",
            Job::Coverage => "coverage.html",
            Job::Search => "search.html",
            Job::SearchIndex => "search.html",
            Job::Print => "print.html",
            Job::Source(_) => "source.html",
            Job::NotFound => "404.html",
            Job::Sitemap | Job::SitemapPart(_) => "sitemap.xml",
            Job::SitemapIndex => "sitemap-index.xml",
            Job::Feed => "feed.xml",
        }
    }
}

/// Every file to render, in a stable order.
pub fn jobs(site: &Site) -> Vec<Job> {
    let mut jobs = vec![Job::Home];
    jobs.extend((1..site.sections.len()).map(Job::Section));
    jobs.extend(
        site.pages
            .iter()
            .enumerate()
            .filter(|(_, page)| !page.is_section_index)
            .map(|(i, _)| Job::Page(i)),
    );
    for kind in [TermKind::Agency, TermKind::Topic] {
        jobs.push(Job::Terms(kind));
        jobs.extend((0..site.terms(kind).len()).map(|i| Job::Term(kind, i)));
    }
    jobs.push(Job::Sources);
    jobs.extend((0..site.sources.len()).map(Job::Source));
    jobs.extend([Job::Coverage, Job::Search, Job::SearchIndex, Job::NotFound]);
    match feed::sitemap_parts(site) {
        0 => jobs.push(Job::Sitemap),
        parts => {
            jobs.push(Job::SitemapIndex);
            jobs.extend((0..parts).map(Job::SitemapPart));
        }
    }
    jobs.push(Job::Feed);
    if site.config.print_page {
        jobs.push(Job::Print);
    }
    jobs
}

/// Why a file could not be rendered.
#[derive(Debug)]
pub enum Failed {
    /// A problem to report: its template failed or ran out of its budget,
    /// or the file could not be published.
    Problem(Box<Diagnostic>),
    /// It could not be written out.
    Write(io::Error),
    /// Its render was cancelled: there is nothing to report.
    Cancelled,
}

/// Renders the files of one site with one theme; what every template sees
/// is built once and shared by all of them, and so are the cards of pages
/// and the chips of agencies and topics.
pub struct Renderer<'a> {
    site: &'a Site,
    theme: &'a Theme,
    cards: &'a Cards,
    watch: &'a Watch,
    base: Context,
}

impl<'a> Renderer<'a> {
    /// A renderer of `site` with `theme`, taking the cards of pages, agencies
    /// and topics from `cards`, made for `site`; each file is a job of
    /// `watch`, held to its limits and stopped when it is cancelled.
    pub fn new(site: &'a Site, theme: &'a Theme, cards: &'a Cards, watch: &'a Watch) -> Self {
        let mut base = Context::new();
        base.insert(
            "site",
            &SiteView::new(site, &theme::SiteFiles::of(site, theme)),
        );
        base.insert("nav", &view::nav(site));
        base.insert("urls", &layout::Urls::new(site.config.print_page));
        Renderer {
            site,
            theme,
            cards,
            watch,
            base,
        }
    }

    /// Renders the file of `job`, or says why it could not be.
    pub fn render(&self, job: &Job) -> Result<Output, Failed> {
        // Room for a typical page, which then needs no copying as it grows.
        let mut bytes = Vec::with_capacity(1 << 14);
        self.render_to(*job, &mut bytes)?;
        Ok(Output {
            path: job.output_path(self.site),
            bytes,
        })
    }

    /// Renders the file of `job` into `out`.
    pub fn render_to(&self, job: Job, out: &mut dyn io::Write) -> Result<(), Failed> {
        let path = job.output_path(self.site);
        match job {
            Job::SearchIndex => {
                // Its manifest; its other files come from
                // `render_search_index`.
                let mut manifest = None;
                self.render_search_index(&mut |output| {
                    if output.path == path {
                        manifest = Some(output.bytes);
                    }
                    Ok(())
                })?;
                out.write_all(&manifest.unwrap_or_default())
                    .map_err(Failed::Write)
            }
            Job::Print => {
                let print = print::view(self.site).map_err(|message| {
                    Failed::Problem(Box::new(
                        Diagnostic::error(Code::Template, message)
                            .note("while rendering the print page"),
                    ))
                })?;
                self.template(job.template(), path, out, |context| {
                    context.insert("title", "The whole briefing");
                    context.insert("print", &print);
                })
            }
            _ => self.template(job.template(), path, out, |context| self.fill(job, context)),
        }
    }

    /// Renders every file of the search index (its manifest and its
    /// shards, see [`search`]) and hands each to `put`; stops when the
    /// render is cancelled.
    pub fn render_search_index(
        &self,
        put: &mut dyn FnMut(Output) -> Result<(), Failed>,
    ) -> Result<(), Failed> {
        let watch = self.watch;
        search::write_files(self.site, &mut |output| {
            if watch.is_cancelled() {
                return Err(Failed::Cancelled);
            }
            put(output)
        })
    }

    /// Adds to `context` what the template of `job` shows.
    fn fill(&self, job: Job, context: &mut Context) {
        let site = self.site;
        let cards = self.cards;
        match job {
            Job::Home => {
                let root_section = &site.sections[0];
                let home = root_section
                    .index
                    .map(|id| PageView::new(site, cards, site.page(id)));
                let sections: Vec<SectionCard> = root_section
                    .subsections
                    .iter()
                    .map(|id| {
                        SectionCard::new(site, cards, site.section(*id), 1).first_pages(HOME_PAGES)
                    })
                    .collect();
                if let Some(summary) = root_section
                    .index
                    .and_then(|id| site.page(id).summary.as_ref())
                {
                    context.insert("summary", summary);
                }
                context.insert("title", &site.config.title);
                context.insert("page", &home);
                context.insert(
                    "section",
                    &SectionCard::new(site, cards, root_section, 1).first_pages(HOME_PAGES),
                );
                context.insert("sections", &sections);
                context.insert("figures", &Figures::new(site));
                context.insert("key_agencies", &key_agencies(site));
                context.insert("sources", &source_cards(site));
            }
            Job::Section(index) => {
                let section = &site.sections[index];
                let page = section
                    .index
                    .map(|id| PageView::new(site, cards, site.page(id)));
                context.insert("title", &section.title);
                if let Some(summary) = section.index.and_then(|id| site.page(id).summary.as_ref()) {
                    context.insert("summary", summary);
                }
                context.insert("page", &page);
                context.insert("section", &SectionCard::new(site, cards, section, 1));
                context.insert("breadcrumbs", &breadcrumbs_of_section(site, index));
            }
            Job::Page(index) => {
                let page = &site.pages[index];
                context.insert("title", &page.title);
                if let Some(summary) = &page.summary {
                    context.insert("summary", summary);
                }
                context.insert("page", &PageView::new(site, cards, page));
            }
            Job::Terms(TermKind::Agency) => {
                context.insert("title", "Agencies");
                context.insert("countries", &view::agencies_by_country(site));
                context.insert("count", &site.agencies.len());
                let links = view::SiteLinks {
                    site,
                    root: layout::term_index(TermKind::Agency).root(),
                };
                context.insert("matrix", &view::Matrix::new(site, &links));
            }
            Job::Terms(TermKind::Topic) => {
                let mut topics: Vec<&Term> = site.topics.iter().collect();
                topics.sort_by_cached_key(|t| t.entry.name.to_lowercase());
                let topics: Vec<TermCard> = topics.into_iter().map(TermCard::new).collect();
                context.insert("title", "Topics");
                context.insert("topics", &topics);
                context.insert("count", &site.topics.len());
            }
            Job::Term(kind, index) => {
                let term = &site.terms(kind)[index];
                let root = term.output.root();
                context.insert("title", &term.entry.name);
                context.insert("term", &TermView::new(site, cards, term, &root));
            }
            Job::Sources => {
                context.insert("title", "Sources");
                context.insert("sources", &source_cards(site));
            }
            Job::Source(index) => {
                context.insert("title", &site.sources[index].seed.title);
                context.insert("source", &SourceView::new(site, cards, index));
            }
            Job::Coverage => {
                let (sources, total) = provenance::coverage(site);
                context.insert("title", "Coverage");
                context.insert("sources", &sources);
                context.insert("total", &total);
            }
            Job::Search => {
                context.insert("title", "Search");
                let script = layout::search_index().relative_to(&layout::search());
                context.insert("index_script", &script);
            }
            // Rendered apart: see `render`.
            Job::SearchIndex | Job::Print => {}
            Job::NotFound => {
                // The 404 page is served at any depth (`/domains/spce/`), so
                // its links cannot be relative to one place: with a
                // `base_url` they are absolute, without one they lead from
                // the root of the host (where a site without `base_url` is
                // taken to be).
                context.insert("title", "Page not found");
                let root = site.config.base_url.as_deref().unwrap_or("/");
                context.insert("root", root);
            }
            Job::Sitemap => context.insert("entries", &feed::sitemap(site)),
            Job::SitemapIndex => context.insert("parts", &feed::sitemap_index(site)),
            Job::SitemapPart(index) => {
                context.insert("entries", &feed::sitemap_part(site, index));
            }
            Job::Feed => context.insert("feed", &feed::feed(site)),
        }
    }

    /// Renders `template` for `path` into `out`, within the budget of a
    /// file: the shared context, `root` (the way back to the site root),
    /// `current` (the path) and what `fill` adds.
    fn template(
        &self,
        template: &str,
        path: OutputPath,
        out: &mut dyn io::Write,
        fill: impl FnOnce(&mut Context),
    ) -> Result<(), Failed> {
        let mut context = self.base.clone();
        context.insert("root", &path.root());
        context.insert("current", path.as_str());
        if let Some(base) = &self.site.config.base_url
            && path != layout::not_found()
        {
            context.insert("canonical", &[base.as_str(), path.as_str()].concat());
        }
        context.insert("summary", &self.site.config.description);
        fill(&mut context);
        let running = self.watch.template(template, &path);
        let started = Instant::now();
        let budget = Rc::new(Budget::new(
            self.watch.limits(),
            self.watch.cancels(),
            running.expired(),
        ));
        let rendered = {
            let _entered = budget::enter(&budget);
            self.theme
                .tera
                .render_to(template, &context, Metered::new(out, &budget))
        };
        self.watch
            .record(&path, started.elapsed(), budget.written());
        if let Some(stop) = budget.stopped() {
            if stop == Stop::Cancelled {
                return Err(Failed::Cancelled);
            }
            let place = match &rendered {
                Err(error) if budget.stopped_at_range() => {
                    errors::span_of(error, &self.theme.files)
                }
                _ => None,
            };
            let file = self
                .theme
                .file(template)
                .map_or_else(|| Span::file_only(template), |f| Span::file_only(f.path()));
            return Err(Failed::Problem(Box::new(
                budget.problem(stop, template, &path, file, place),
            )));
        }
        rendered.map_err(|error| match error.kind() {
            tera::ErrorKind::Io(kind) => Failed::Write(io::Error::from(*kind)),
            _ => Failed::Problem(Box::new(
                errors::template_error(&error, &self.theme.files)
                    .note(format!("while rendering `{path}` with `{template}`")),
            )),
        })
    }
}

/// The agencies mentioned most, for the home page.
fn key_agencies(site: &Site) -> Vec<TermCard<'_>> {
    let mut agencies: Vec<&Term> = site.agencies.iter().collect();
    agencies.sort_by_key(|t| std::cmp::Reverse(t.listed.len()));
    agencies
        .into_iter()
        .take(KEY_AGENCIES)
        .filter(|t| !t.listed.is_empty())
        .map(TermCard::new)
        .collect()
}

fn source_cards(site: &Site) -> Vec<SourceCard<'_>> {
    site.sources.iter().map(SourceCard::new).collect()
}

fn breadcrumbs_of_section(site: &Site, index: usize) -> Vec<NavItem> {
    view::section_trail(site, site.sections[index].parent)
}
