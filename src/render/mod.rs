//! The third stage: every file of the built site, computed in memory.
//!
//! [`render`] turns a [`Site`] and a [`Theme`] into a list of [`Output`]s:
//! one HTML file per page, section, agency, topic and source, the indexes,
//! the search page and its index script, the print page, the sitemap and
//! feed, the theme's static files and the files copied from `content/`.
//! Nothing is written here; the write stage publishes the list.

mod errors;
mod feed;
pub mod print;
pub mod provenance;
pub mod search;
pub mod theme;
pub mod view;

use std::collections::BTreeMap;

use rayon::prelude::*;
use tera::Context;

use crate::diagnostics::{Code, Diagnostic};
use crate::links::{self, TermKind};
use crate::model::{Site, Term};
use crate::paths::OutputPath;
use crate::source::Span;
use provenance::SourceView;
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

/// How many agencies the home page shows as key agencies.
const KEY_AGENCIES: usize = 8;

/// Renders every file of `site` with `theme`. Template errors are pushed to
/// `diagnostics`; the files that rendered are returned either way, sorted by
/// path.
pub fn render(site: &Site, theme: &Theme, diagnostics: &mut Vec<Diagnostic>) -> Vec<Output> {
    let renderer = Renderer::new(site, theme);
    // A template the theme lacks was reported when the theme was loaded:
    // the files it would render are left out rather than failed again.
    let jobs: Vec<Job> = jobs(site)
        .into_iter()
        .filter(|job| theme.file(job.template()).is_some())
        .collect();
    let rendered: Vec<Result<Output, Diagnostic>> =
        jobs.par_iter().map(|job| renderer.render(job)).collect();
    let mut outputs = Vec::with_capacity(rendered.len() + theme.static_files.len());
    let mut failed: BTreeMap<String, Diagnostic> = BTreeMap::new();
    for result in rendered {
        match result {
            Ok(output) => outputs.push(output),
            // One broken template fails every page that uses it: report it once.
            Err(diagnostic) => {
                failed
                    .entry(diagnostic.message.clone())
                    .or_insert(diagnostic);
            }
        }
    }
    diagnostics.extend(failed.into_values());
    outputs.extend(copied_files(site, theme, diagnostics));
    outputs.sort_by(|a, b| a.path.cmp(&b.path));
    outputs
}

/// What one output file is rendered from.
#[derive(Debug, Clone, Copy)]
enum Job {
    Home,
    Section(usize),
    Page(usize),
    Terms(TermKind),
    Term(TermKind, usize),
    Sources,
    Source(usize),
    Coverage,
    Search,
    SearchIndex,
    Print,
    NotFound,
    Sitemap,
    Feed,
}

impl Job {
    /// The template that renders the file.
    fn template(self) -> &'static str {
        match self {
            Job::Home => "index.html",
            Job::Section(_) => "section.html",
            Job::Page(_) => "page.html",
            Job::Terms(TermKind::Agency) => "agencies.html",
            Job::Terms(TermKind::Topic) => "topics.html",
            Job::Term(TermKind::Agency, _) => "agency.html",
            Job::Term(TermKind::Topic, _) => "topic.html",
            Job::Sources => "sources.html",
            Job::Source(_) => "source.html",
            Job::Coverage => "coverage.html",
            Job::Search | Job::SearchIndex => "search.html",
            Job::Print => "print.html",
            Job::NotFound => "404.html",
            Job::Sitemap => "sitemap.xml",
            Job::Feed => "feed.xml",
        }
    }
}

/// Every file to render, in a stable order.
fn jobs(site: &Site) -> Vec<Job> {
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
    jobs.extend([
        Job::Coverage,
        Job::Search,
        Job::SearchIndex,
        Job::Print,
        Job::NotFound,
        Job::Sitemap,
        Job::Feed,
    ]);
    jobs
}

/// What every template sees, shared by all the files of one build.
struct Renderer<'a> {
    site: &'a Site,
    theme: &'a Theme,
    base: Context,
}

impl<'a> Renderer<'a> {
    fn new(site: &'a Site, theme: &'a Theme) -> Self {
        let mut base = Context::new();
        base.insert("site", &SiteView::new(site));
        base.insert("nav", &view::nav(site));
        Renderer { site, theme, base }
    }

    fn render(&self, job: &Job) -> Result<Output, Diagnostic> {
        let site = self.site;
        let template = job.template();
        match *job {
            Job::Home => {
                let path = OutputPath::page("");
                let root_section = &site.sections[0];
                let home = root_section
                    .index
                    .map(|id| PageView::new(site, site.page(id)));
                let sections: Vec<SectionCard> = root_section
                    .subsections
                    .iter()
                    .map(|id| SectionCard::new(site, site.section(*id), 1))
                    .collect();
                let mut key_agencies: Vec<&Term> = site.agencies.iter().collect();
                key_agencies.sort_by_key(|t| std::cmp::Reverse(t.mentions.len()));
                let key_agencies: Vec<TermCard> = key_agencies
                    .into_iter()
                    .take(KEY_AGENCIES)
                    .filter(|t| !t.mentions.is_empty())
                    .map(TermCard::new)
                    .collect();
                self.template(template, path, |context| {
                    context.insert("page", &home);
                    context.insert("section", &SectionCard::new(site, root_section, 1));
                    context.insert("sections", &sections);
                    context.insert("figures", &Figures::new(site));
                    context.insert("key_agencies", &key_agencies);
                    context.insert("sources", &source_cards(site));
                })
            }
            Job::Section(index) => {
                let section = &site.sections[index];
                let page = section.index.map(|id| PageView::new(site, site.page(id)));
                let title = section.title.as_str();
                self.template(template, section.output.clone(), |context| {
                    context.insert("title", title);
                    context.insert("page", &page);
                    context.insert("section", &SectionCard::new(site, section, 1));
                    context.insert("breadcrumbs", &breadcrumbs_of_section(site, index));
                })
            }
            Job::Page(index) => {
                let page = &site.pages[index];
                self.template(template, page.output.clone(), |context| {
                    context.insert("title", &page.title);
                    context.insert("page", &PageView::new(site, page));
                })
            }
            Job::Terms(kind) => {
                let path = OutputPath::page(kind.dir());
                match kind {
                    TermKind::Agency => self.template(template, path, |context| {
                        context.insert("title", "Agencies");
                        context.insert("countries", &view::agencies_by_country(site));
                        context.insert("count", &site.agencies.len());
                    }),
                    TermKind::Topic => {
                        let mut topics: Vec<&Term> = site.topics.iter().collect();
                        topics.sort_by_cached_key(|t| t.entry.name.to_lowercase());
                        let topics: Vec<TermCard> = topics.into_iter().map(TermCard::new).collect();
                        self.template(template, path, |context| {
                            context.insert("title", "Topics");
                            context.insert("topics", &topics);
                            context.insert("count", &site.topics.len());
                        })
                    }
                }
            }
            Job::Term(kind, index) => {
                let term = &site.terms(kind)[index];
                let root = term.output.root();
                self.template(template, term.output.clone(), |context| {
                    context.insert("title", &term.entry.name);
                    context.insert("term", &TermView::new(site, term, &root));
                })
            }
            Job::Sources => self.template(template, OutputPath::page("sources"), |context| {
                context.insert("title", "Sources");
                context.insert("sources", &source_cards(site));
            }),
            Job::Source(index) => {
                let source = &site.sources[index];
                self.template(template, source.output.clone(), |context| {
                    context.insert("title", &source.seed.title);
                    context.insert("source", &SourceView::new(site, index));
                })
            }
            Job::Coverage => {
                let (sources, total) = provenance::coverage(site);
                self.template("coverage.html", OutputPath::page("coverage"), |context| {
                    context.insert("title", "Coverage");
                    context.insert("sources", &sources);
                    context.insert("total", &total);
                })
            }
            Job::Search => self.template("search.html", OutputPath::page("search"), |context| {
                context.insert("title", "Search");
                context.insert("index_script", "index.js");
            }),
            Job::SearchIndex => Ok(Output {
                path: file_path(search::SCRIPT_PATH),
                bytes: search::index_script(site),
            }),
            Job::Print => {
                let print = print::view(site).map_err(|message| {
                    Diagnostic::error(Code::Template, message)
                        .note("while rendering the print page")
                })?;
                self.template("print.html", OutputPath::page(print::DIR), |context| {
                    context.insert("title", "The whole briefing");
                    context.insert("print", &print);
                })
            }
            Job::NotFound => self.not_found(template),
            Job::Sitemap => {
                let path = file_path("sitemap.xml");
                self.template(template, path, |context| {
                    context.insert("entries", &feed::sitemap(site));
                })
            }
            Job::Feed => {
                let path = file_path("feed.xml");
                self.template(template, path, |context| {
                    context.insert("feed", &feed::feed(site));
                })
            }
        }
    }

    /// The 404 page is served at any depth, so its links cannot be relative
    /// to one place: with a `base_url` they are absolute, without one they
    /// lead from the site root (where a host serves it for missing paths).
    fn not_found(&self, template: &str) -> Result<Output, Diagnostic> {
        self.template(template, file_path("404.html"), |context| {
            context.insert("title", "Page not found");
            if let Some(base) = &self.site.config.base_url {
                context.insert("root", base);
            }
        })
    }

    /// Renders `template` to `path`: the shared context, `root` (the way
    /// back to the site root), `current` (the path) and what `fill` adds.
    fn template(
        &self,
        template: &str,
        path: OutputPath,
        fill: impl FnOnce(&mut Context),
    ) -> Result<Output, Diagnostic> {
        let mut context = self.base.clone();
        context.insert("root", &path.root());
        context.insert("current", path.as_str());
        fill(&mut context);
        match self.theme.tera.render(template, &context) {
            Ok(html) => Ok(Output {
                path,
                bytes: html.into_bytes(),
            }),
            Err(error) => Err(errors::template_error(&error, &self.theme.files)
                .note(format!("while rendering `{path}` with `{template}`"))),
        }
    }
}

/// `name` at the top of the output directory.
fn file_path(name: &str) -> OutputPath {
    OutputPath::file(name).unwrap_or_else(|| OutputPath::page(""))
}

fn source_cards(site: &Site) -> Vec<SourceCard<'_>> {
    site.sources.iter().map(SourceCard::new).collect()
}

fn breadcrumbs_of_section(site: &Site, index: usize) -> Vec<NavItem> {
    let mut crumbs = Vec::new();
    let mut current = site.sections[index].parent;
    while let Some(id) = current {
        if id.0 == 0 {
            break;
        }
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

/// The theme's static files and the files of `content/` that are not pages,
/// read into memory.
fn copied_files(site: &Site, theme: &Theme, diagnostics: &mut Vec<Diagnostic>) -> Vec<Output> {
    let theme_files = theme
        .static_files
        .iter()
        .map(|(path, disk)| (path.clone(), disk.as_path()));
    let content_files = site.assets.iter().filter_map(|asset| {
        links::asset_output_path(&asset.path).map(|path| (path, asset.disk_path.as_path()))
    });
    let files: Vec<_> = theme_files.chain(content_files).collect();
    let read: Vec<Result<Output, Diagnostic>> = files
        .par_iter()
        .map(|(path, disk)| {
            std::fs::read(disk)
                .map(|bytes| Output {
                    path: path.clone(),
                    bytes,
                })
                .map_err(|error| {
                    Diagnostic::error(Code::Io, format!("cannot read the file: {error}"))
                        .at(Span::file_only(site.project.relative(disk)))
                })
        })
        .collect();
    let mut outputs = Vec::with_capacity(read.len());
    for result in read {
        match result {
            Ok(output) => outputs.push(output),
            Err(diagnostic) => diagnostics.push(diagnostic),
        }
    }
    outputs
}
