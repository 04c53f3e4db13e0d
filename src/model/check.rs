//! Resolving what pages refer to, with a diagnostic for everything that
//! leads nowhere.

use rayon::prelude::*;

use super::{Page, PageId, Site, id_index};
use crate::diagnostics::{Code, Diagnostic, did_you_mean, nearest};
use crate::links::{EXTERNAL_SCHEMES, LinkTarget, TermKind};
use crate::load::{AGENCIES_FILE, TOPICS_FILE};
use crate::markdown::Anchors;
use crate::source::Span;

/// What a page refers to, resolved.
#[derive(Debug, Default)]
pub struct Resolved {
    agencies: Vec<usize>,
    topics: Vec<usize>,
    sources: Vec<usize>,
    links_to: Vec<PageId>,
}

/// Lookup tables for everything a page can refer to.
pub struct Resolver<'a> {
    site: &'a Site,
    pages: &'a [Page],
    pages_by_path: foldhash::HashMap<&'a str, PageId>,
    section_dirs: foldhash::HashSet<&'a str>,
    agencies: foldhash::HashMap<&'a str, usize>,
    topics: foldhash::HashMap<&'a str, usize>,
    sources: foldhash::HashMap<&'a str, usize>,
    assets: foldhash::HashSet<&'a str>,
    /// The registries whose file has errors: an id missing from them may be
    /// an entry that could not be read, so it is not reported again.
    broken_registries: Vec<TermKind>,
}

impl<'a> Resolver<'a> {
    /// Indexes `site` (whose pages are still apart, in `pages`);
    /// `diagnostics` are the problems found so far.
    pub fn new(site: &'a Site, pages: &'a [Page], diagnostics: &[Diagnostic]) -> Self {
        let content = site.project.relative(&site.project.content_dir());
        let broken_registries = [
            (TermKind::Agency, AGENCIES_FILE),
            (TermKind::Topic, TOPICS_FILE),
        ]
        .into_iter()
        .filter(|(_, file)| {
            let path = content.join(file);
            diagnostics
                .iter()
                .any(|d| d.is_error() && d.span.as_ref().is_some_and(|s| s.file == path))
        })
        .map(|(kind, _)| kind)
        .collect();
        Resolver {
            broken_registries,
            site,
            pages,
            pages_by_path: pages
                .iter()
                .enumerate()
                .map(|(i, page)| (page.path.as_str(), PageId(i)))
                .collect(),
            section_dirs: site.sections.iter().map(|s| s.dir.as_str()).collect(),
            agencies: id_index(&site.agencies),
            topics: id_index(&site.topics),
            sources: site
                .sources
                .iter()
                .enumerate()
                .map(|(i, source)| (source.seed.slug.as_str(), i))
                .collect(),
            assets: site.assets.iter().map(|a| a.path.as_str()).collect(),
        }
    }

    /// Resolves every page, in parallel.
    pub fn resolve_all(&self, pages: &[Page], diagnostics: &mut Vec<Diagnostic>) -> Vec<Resolved> {
        let results: Vec<(Resolved, Vec<Diagnostic>)> = pages
            .par_iter()
            .enumerate()
            .map(|(i, page)| {
                let mut problems = Vec::new();
                let resolved = self.resolve(PageId(i), page, &mut problems);
                (resolved, problems)
            })
            .collect();
        results
            .into_iter()
            .map(|(resolved, problems)| {
                diagnostics.extend(problems);
                resolved
            })
            .collect()
    }

    fn resolve(&self, id: PageId, page: &Page, diagnostics: &mut Vec<Diagnostic>) -> Resolved {
        let mut resolved = Resolved::default();
        for declared in &page.source.front.agencies {
            if let Some(index) = self.term(
                TermKind::Agency,
                &declared.value,
                || declared.span.clone(),
                diagnostics,
            ) {
                push_unique(&mut resolved.agencies, index);
            }
        }
        for declared in &page.source.front.topics {
            if let Some(index) = self.term(
                TermKind::Topic,
                &declared.value,
                || declared.span.clone(),
                diagnostics,
            ) {
                push_unique(&mut resolved.topics, index);
            }
        }
        for declared in &page.source.front.sources {
            if let Some(index) = self.source(&declared.value, || declared.span.clone(), diagnostics)
            {
                push_unique(&mut resolved.sources, index);
            }
        }
        for link in &page.body.links {
            // Most links resolve: find their line and column only when one
            // does not.
            let span = || {
                page.file
                    .span(page.body_offset + link.range.start..page.body_offset + link.range.end)
            };
            match &link.target {
                LinkTarget::Term { kind, id } => {
                    if let Some(index) = self.term(*kind, id, span, diagnostics) {
                        let list = match kind {
                            TermKind::Agency => &mut resolved.agencies,
                            TermKind::Topic => &mut resolved.topics,
                        };
                        push_unique(list, index);
                    }
                }
                LinkTarget::Page { path, fragment } => {
                    if let Some(target) = self.page(path, fragment.as_deref(), span, diagnostics)
                        && target != id
                    {
                        push_unique(&mut resolved.links_to, target);
                    }
                }
                LinkTarget::Fragment(fragment) => {
                    check_anchor(fragment, &page.body.anchors, || "this page".to_string(), span, diagnostics);
                }
                LinkTarget::Source { slug, fragment } => {
                    if let Some(index) = self.source(slug, span, diagnostics) {
                        push_unique(&mut resolved.sources, index);
                        if let Some(fragment) = fragment {
                            let source = &self.site.sources[index];
                            let what = || format!("the source `{slug}`");
                            check_anchor(fragment, &source.body.anchors, what, span, diagnostics);
                        }
                    }
                }
                LinkTarget::Asset(path) => {
                    if !self.assets.contains(path.as_str()) {
                        let help = did_you_mean(path, self.assets.iter().copied());
                        diagnostics.push(
                            Diagnostic::error(Code::BrokenLink, format!("no file `content/{path}`"))
                                .at(span())
                                .label("this link leads nowhere")
                                .maybe_help(help),
                        );
                    }
                }
                LinkTarget::External => {}
                LinkTarget::Unsafe(scheme) => diagnostics.push(
                    Diagnostic::error(Code::UnsafeLink, format!("`{scheme}:` links are never published"))
                        .at(span())
                        .label("this could run code in the reader's browser")
                        .help("link to a web address (https://...) or to a page of the site instead"),
                ),
                LinkTarget::UnknownScheme(scheme) => diagnostics.push(
                    Diagnostic::error(Code::BrokenLink, format!("unknown link scheme `{scheme}:`"))
                        .at(span())
                        .label("dossier cannot resolve this")
                        .help(format!(
                            "use `agency:`, `topic:` or `source:` for the site's own entries, a relative path for pages, or one of {}",
                            EXTERNAL_SCHEMES.iter().map(|s| format!("`{s}:`")).collect::<Vec<_>>().join(", ")
                        )),
                ),
                LinkTarget::OutsideContent => diagnostics.push(
                    Diagnostic::error(Code::BrokenLink, "this link climbs out of `content/`")
                        .at(span())
                        .label("too many `../`")
                        .help("link to pages and files inside `content/` only"),
                ),
            }
        }
        resolved
    }

    /// The position of registry entry `id`, or a diagnostic naming the
    /// nearest ids (or the entry whose name `id` is).
    fn term(
        &self,
        kind: TermKind,
        id: &str,
        span: impl FnOnce() -> Span,
        diagnostics: &mut Vec<Diagnostic>,
    ) -> Option<usize> {
        let (ids, terms, code, file) = match kind {
            TermKind::Agency => (
                &self.agencies,
                &self.site.agencies,
                Code::UnknownAgency,
                "content/agencies.toml",
            ),
            TermKind::Topic => (
                &self.topics,
                &self.site.topics,
                Code::UnknownTopic,
                "content/topics.toml",
            ),
        };
        if let Some(&index) = ids.get(id) {
            return Some(index);
        }
        if self.broken_registries.contains(&kind) {
            return None;
        }
        let by_name = terms.iter().find(|term| {
            term.entry
                .names()
                .iter()
                .any(|name| name.eq_ignore_ascii_case(id.trim()))
        });
        let help = match by_name {
            Some(term) => Some(format!(
                "`{id}` is a name of `{}`: write `{}:{}`",
                term.entry.id.value,
                kind.scheme(),
                term.entry.id.value
            )),
            None => did_you_mean(id, terms.iter().map(|t| t.entry.id.value.as_str())),
        };
        diagnostics.push(
            Diagnostic::error(code, format!("unknown {} `{id}`", kind.scheme()))
                .at(span())
                .label(format!("not in {file}"))
                .maybe_help(help.or_else(|| {
                    Some(format!(
                        "add an entry `[{id}]` to {file}, or use one of its ids"
                    ))
                })),
        );
        None
    }

    fn source(
        &self,
        written: &str,
        span: impl FnOnce() -> Span,
        diagnostics: &mut Vec<Diagnostic>,
    ) -> Option<usize> {
        let slug = written.trim_end_matches(".md");
        if let Some(&index) = self.sources.get(slug) {
            return Some(index);
        }
        let help = did_you_mean(slug, self.sources.keys().copied());
        diagnostics.push(
            Diagnostic::error(Code::UnknownSource, format!("unknown source `{slug}`"))
                .at(span())
                .label("no such file in seeds/")
                .maybe_help(help.or_else(|| Some(format!("add `seeds/{slug}.md`")))),
        );
        None
    }

    fn page(
        &self,
        path: &str,
        fragment: Option<&str>,
        span: impl FnOnce() -> Span,
        diagnostics: &mut Vec<Diagnostic>,
    ) -> Option<PageId> {
        if let Some(&target) = self.pages_by_path.get(path) {
            if let Some(fragment) = fragment {
                let page = &self.pages[target.0];
                let what = || format!("`content/{path}`");
                check_anchor(fragment, &page.body.anchors, what, span, diagnostics);
            }
            return Some(target);
        }
        // A section without `_index.md` still has its index page.
        let dir = path
            .strip_suffix("_index.md")
            .map(|d| d.trim_end_matches('/'));
        if let Some(dir) = dir
            && self.section_dirs.contains(dir)
            && fragment.is_none()
        {
            return None;
        }
        let help = did_you_mean(path, self.pages_by_path.keys().copied());
        diagnostics.push(
            Diagnostic::error(Code::BrokenLink, format!("no page `content/{path}`"))
                .at(span())
                .label("this link leads nowhere")
                .maybe_help(help),
        );
        None
    }
}

fn check_anchor(
    fragment: &str,
    anchors: &Anchors,
    what: impl FnOnce() -> String,
    span: impl FnOnce() -> Span,
    diagnostics: &mut Vec<Diagnostic>,
) {
    if anchors.contains(fragment) {
        return;
    }
    let what = what();
    let mut candidates: Vec<&str> = anchors.iter().map(String::as_str).collect();
    candidates.sort_unstable();
    let all_close = nearest(fragment, candidates, anchors.len());
    // A passage of a suggested heading (`launch-p1` beside `launch`) adds
    // nothing to the suggestion.
    let close: Vec<&str> = all_close
        .iter()
        .copied()
        .filter(|anchor| {
            !all_close
                .iter()
                .any(|heading| is_passage_of(anchor, heading))
        })
        .take(3)
        .collect();
    let help = if close.is_empty() {
        None
    } else {
        Some(format!(
            "did you mean {}?",
            close
                .iter()
                .map(|c| format!("`#{c}`"))
                .collect::<Vec<_>>()
                .join(", ")
        ))
    };
    diagnostics.push(
        Diagnostic::error(
            Code::BrokenAnchor,
            format!("{what} has no anchor `#{fragment}`"),
        )
        .at(span())
        .label("no heading or passage with this anchor")
        .maybe_help(help)
        .note("a heading's anchor is its text in lowercase, words joined by hyphens; a passage's is `<heading>-p<n>`, the n-th paragraph or list item after its heading (`p<n>` before the first)"),
    );
}

/// Whether `anchor` is the anchor of a passage under `heading`:
/// `<heading>-p<n>`.
fn is_passage_of(anchor: &str, heading: &str) -> bool {
    anchor
        .strip_prefix(heading)
        .and_then(|rest| rest.strip_prefix("-p"))
        .is_some_and(|n| !n.is_empty() && n.bytes().all(|b| b.is_ascii_digit()))
}

fn push_unique<T: PartialEq>(list: &mut Vec<T>, item: T) {
    if !list.contains(&item) {
        list.push(item);
    }
}

/// Stores what each page refers to.
pub fn apply(pages: &mut [Page], resolved: Vec<Resolved>) {
    for (page, resolved) in pages.iter_mut().zip(resolved) {
        page.agencies = resolved.agencies;
        page.topics = resolved.topics;
        page.sources = resolved.sources;
        page.links_to = resolved.links_to;
    }
}
