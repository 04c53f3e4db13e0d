//! Resolving what pages refer to, with a diagnostic for everything that
//! leads nowhere.

use std::collections::BTreeSet;
use std::hash::{Hash, Hasher as _};
use std::path::Path;
use std::sync::Arc;

use rayon::prelude::*;

use super::{Page, PageId, Referents, id_index};
use crate::diagnostics::{Code, Diagnostic, did_you_mean, nearest};
use crate::links::{EXTERNAL_SCHEMES, LinkTarget, TermKind};
use crate::load::lock::{Locked, SourcesLock};
use crate::load::{AGENCIES_FILE, PageSource, TOPICS_FILE};
use crate::markdown::{Anchors, Rendered};
use crate::memo::Memo;
use crate::paths::slugify;
use crate::source::{SourceFile, Span};

/// What a page refers to, resolved: shared lists, so that a resolution
/// kept from the last build goes to the new page without a copy.
#[derive(Debug, Default, Clone)]
pub struct Resolved {
    agencies: Arc<[usize]>,
    topics: Arc<[usize]>,
    sources: Arc<[usize]>,
    links_to: Arc<[PageId]>,
}

/// What a page refers to, as it is being resolved.
#[derive(Debug, Default)]
struct Resolving {
    agencies: Vec<usize>,
    topics: Vec<usize>,
    sources: Vec<usize>,
    links_to: Vec<PageId>,
}

impl From<Resolving> for Resolved {
    fn from(resolving: Resolving) -> Self {
        Resolved {
            agencies: resolving.agencies.into(),
            topics: resolving.topics.into(),
            sources: resolving.sources.into(),
            links_to: resolving.links_to.into(),
        }
    }
}

/// The resolutions of earlier builds, kept for the next: by page file and
/// the fingerprint of what every resolution depends on; and the
/// fingerprints of anchor sets by rendered body.
#[derive(Debug, Default)]
pub struct Memos {
    resolutions: Memo<SourceFile, u64, Arc<Resolution>>,
    anchors: Memo<Rendered, (), u64>,
}

impl Memos {
    /// Memos that keep each build's resolutions for the next.
    pub fn keeping() -> Self {
        Memos {
            resolutions: Memo::keeping(),
            anchors: Memo::keeping(),
        }
    }

    /// The fingerprint of the anchors of each of `bodies`, computed (in
    /// parallel) only for the bodies not kept; this build's are kept for
    /// the next.
    fn anchor_prints(&mut self, bodies: &[&Arc<Rendered>]) -> Vec<u64> {
        self.anchors
            .map(bodies, |body| (*body, ()), |body| anchor_set_print(body))
    }
}

/// The fingerprint of the anchors of `body`, whatever their order.
fn anchor_set_print(body: &Rendered) -> u64 {
    body.anchors
        .iter()
        .map(crate::fingerprint::of)
        .fold(0, |all, one| all ^ one)
}

/// The resolution of a page that had no problems, and the anchors it
/// depended on.
#[derive(Debug)]
struct Resolution {
    anchors: Vec<(AnchorOwner, u64)>,
    resolved: Resolved,
}

/// The error for a heading of `page` whose `{#id}` was taken already.
fn taken_anchor(page: &Page, taken: &crate::markdown::TakenAnchor) -> Diagnostic {
    let text = page.file.text();
    let at = page.body_offset + taken.at;
    let end = text[at..].find('\n').map_or(text.len(), |i| at + i);
    let (line, _) = page.file.line_col(page.body_offset + taken.first);
    Diagnostic::error(
        Code::DuplicateAnchor,
        format!("the anchor `{}` is taken", taken.id),
    )
    .at(page.file.span(at..end))
    .label(format!("line {line} has this anchor already"))
    .help("give this heading an anchor of its own: every anchor of a page is one place")
}

/// `broken`, the error for a cited anchor that is gone, with what
/// `sources.lock` recorded of it and, when its words are at another anchor
/// now, that anchor.
fn gone_passage(
    broken: Diagnostic,
    source: &super::Source,
    anchor: &str,
    locked: &Locked,
) -> Diagnostic {
    let noted = broken.note(format!(
        "sources.lock recorded `#{anchor}` as “{}”",
        locked.text
    ));
    match super::drift::find_words(source, locked, None) {
        Some(now) => noted.help(format!(
            "its words are now at `#{now}`: cite that (`dossier fix` moves every such citation)"
        )),
        None => noted,
    }
}

/// The slugs of the seeds that failed to load, or `None` when `seeds/`
/// itself could not be walked; `failed` are the paths that failed to load.
fn unread_seeds(failed: &BTreeSet<&str>) -> Option<foldhash::HashSet<String>> {
    if failed.contains("seeds") {
        return None;
    }
    Some(
        failed
            .iter()
            .filter_map(|path| path.strip_prefix("seeds/"))
            .filter_map(|file| Path::new(file).file_stem().and_then(|s| s.to_str()))
            .map(slugify)
            .collect(),
    )
}

/// A page or source whose anchors a link points into, by position.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum AnchorOwner {
    Page(usize),
    Source(usize),
}

/// Lookup tables for everything a page can refer to.
pub struct Resolver<'a> {
    site: &'a Referents,
    pages: &'a [Page],
    pages_by_path: foldhash::HashMap<&'a str, PageId>,
    /// The paths of the drafts left out of the build: a link to one is an
    /// error of its own.
    drafts: foldhash::HashSet<&'a str>,
    section_dirs: foldhash::HashSet<&'a str>,
    agencies: foldhash::HashMap<&'a str, usize>,
    topics: foldhash::HashMap<&'a str, usize>,
    sources: foldhash::HashMap<&'a str, usize>,
    assets: foldhash::HashSet<&'a str>,
    /// The registries whose file has errors: an id missing from them may be
    /// an entry that could not be read, so it is not reported again.
    broken_registries: Vec<TermKind>,
    /// The slugs of the seeds that could not be read, or `None` when
    /// `seeds/` itself could not: a citation of them is not reported again.
    unread_seeds: Option<foldhash::HashSet<String>>,
    /// What the cited passages said, to say where a gone one's words went.
    lock: Option<&'a SourcesLock>,
}

impl<'a> Resolver<'a> {
    /// Indexes what `pages` can refer to, `site`; `drafts` are the drafts
    /// left out of the build, `failed` the project-relative paths that
    /// failed to load ([`Input::failed`](crate::load::Input::failed)), and
    /// `lock` what the cited passages said.
    pub fn new(
        site: &'a Referents,
        pages: &'a [Page],
        drafts: &'a [Arc<PageSource>],
        failed: &BTreeSet<&str>,
        lock: Option<&'a SourcesLock>,
    ) -> Self {
        let broken_registries = [
            (TermKind::Agency, AGENCIES_FILE),
            (TermKind::Topic, TOPICS_FILE),
        ]
        .into_iter()
        .filter(|(_, file)| failed.contains(format!("content/{file}").as_str()))
        .map(|(kind, _)| kind)
        .collect();
        Resolver {
            broken_registries,
            unread_seeds: unread_seeds(failed),
            lock,
            site,
            pages,
            pages_by_path: pages
                .iter()
                .enumerate()
                .map(|(i, page)| (page.path.as_str(), PageId(i)))
                .collect(),
            drafts: drafts.iter().map(|draft| draft.path.as_str()).collect(),
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

    /// Resolves every page, in parallel. A page resolved without problems
    /// by an earlier build is taken from `memos` when neither the page nor
    /// what it depended on (the registries, the set of pages, sources and
    /// files, and the anchors of the pages and sources it links into) has
    /// changed; `memos` is brought up to date.
    pub fn resolve_all(
        &self,
        pages: &[Page],
        memos: &mut Memos,
        diagnostics: &mut Vec<Diagnostic>,
    ) -> Vec<Resolved> {
        // What a kept resolution is checked against: nothing for a build
        // that keeps none.
        let keeps = memos.resolutions.keeps();
        let context = if keeps { self.context() } else { 0 };
        let (page_anchors, source_anchors) = if keeps {
            let bodies: Vec<&Arc<Rendered>> = pages
                .iter()
                .map(|page| &page.body)
                .chain(self.site.sources.iter().map(|source| &source.body))
                .collect();
            let mut prints = memos.anchor_prints(&bodies);
            let source_prints = prints.split_off(pages.len());
            (prints, source_prints)
        } else {
            (Vec::new(), Vec::new())
        };
        let current = |owner: &AnchorOwner| match *owner {
            AnchorOwner::Page(i) => page_anchors.get(i).copied(),
            AnchorOwner::Source(i) => source_anchors.get(i).copied(),
        };
        let kept = &memos.resolutions;
        let results: Vec<(Resolved, Vec<Diagnostic>, Option<Arc<Resolution>>)> = pages
            .par_iter()
            .enumerate()
            .map(|(i, page)| {
                let unchanged = |memo: &Arc<Resolution>| {
                    memo.anchors
                        .iter()
                        .all(|(owner, print)| current(owner) == Some(*print))
                };
                if let Some(memo) = kept.get_if(&page.file, &context, unchanged) {
                    return (memo.resolved.clone(), Vec::new(), None);
                }
                let mut problems = Vec::new();
                let resolved = self.resolve(PageId(i), page, &mut problems);
                let memo = (keeps && problems.is_empty()).then(|| {
                    Arc::new(Resolution {
                        anchors: self
                            .anchor_owners(PageId(i), page)
                            .into_iter()
                            .filter_map(|owner| Some((owner, current(&owner)?)))
                            .collect(),
                        resolved: resolved.clone(),
                    })
                });
                (resolved, problems, memo)
            })
            .collect();
        // The resolutions taken from `memos` are kept by being taken.
        let mut computed = Vec::new();
        let mut all = Vec::with_capacity(results.len());
        for (page, (resolved, problems, memo)) in pages.iter().zip(results) {
            diagnostics.extend(problems);
            if let Some(memo) = memo {
                computed.push((Arc::clone(&page.file), context, memo));
            }
            all.push(resolved);
        }
        memos.resolutions.replace(computed);
        all
    }

    /// A fingerprint of everything a page's resolution depends on besides
    /// the page itself and the anchors it links into.
    fn context(&self) -> u64 {
        let mut hasher = crate::fingerprint::hasher();
        for page in self.pages {
            page.path.hash(&mut hasher);
        }
        let mut drafts: Vec<&str> = self.drafts.iter().copied().collect();
        drafts.sort_unstable();
        drafts.hash(&mut hasher);
        for section in &self.site.sections {
            section.dir.hash(&mut hasher);
        }
        for term in self.site.agencies.iter().chain(&self.site.topics) {
            term.entry.id.value.hash(&mut hasher);
        }
        for source in &self.site.sources {
            source.seed.slug.hash(&mut hasher);
        }
        for asset in &self.site.assets {
            asset.path.hash(&mut hasher);
        }
        self.broken_registries.hash(&mut hasher);
        let mut unread: Option<Vec<&String>> = self
            .unread_seeds
            .as_ref()
            .map(|seeds| seeds.iter().collect());
        if let Some(unread) = &mut unread {
            unread.sort_unstable();
        }
        unread.hash(&mut hasher);
        hasher.finish()
    }

    /// The pages and sources whose anchors the links of `page` point into.
    fn anchor_owners(&self, id: PageId, page: &Page) -> Vec<AnchorOwner> {
        let mut owners = Vec::new();
        for link in &page.body.links {
            let owner = match &link.target {
                LinkTarget::Page {
                    path,
                    fragment: Some(_),
                } => self
                    .pages_by_path
                    .get(path.as_str())
                    .map(|t| AnchorOwner::Page(t.0)),
                LinkTarget::Fragment(_) => Some(AnchorOwner::Page(id.0)),
                LinkTarget::Source {
                    slug,
                    fragment: Some(_),
                } => self
                    .sources
                    .get(slug.trim_end_matches(".md"))
                    .map(|&i| AnchorOwner::Source(i)),
                _ => None,
            };
            if let Some(owner) = owner
                && !owners.contains(&owner)
            {
                owners.push(owner);
            }
        }
        owners
    }

    fn resolve(&self, id: PageId, page: &Page, diagnostics: &mut Vec<Diagnostic>) -> Resolved {
        let mut resolved = Resolving::default();
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
        for taken in &page.body.taken_anchors {
            diagnostics.push(taken_anchor(page, taken));
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
                    check_anchor(fragment, &page.body, || "this page".to_string(), span, diagnostics);
                }
                LinkTarget::Source { slug, fragment } => {
                    if let Some(index) = self.source(slug, span, diagnostics) {
                        push_unique(&mut resolved.sources, index);
                        if let Some(fragment) = fragment {
                            let source = &self.site.sources[index];
                            let what = || format!("the source `{slug}`");
                            let before = diagnostics.len();
                            check_anchor(fragment, &source.body, what, span, diagnostics);
                            if diagnostics.len() > before
                                && let Some(locked) =
                                    self.lock.and_then(|lock| lock.get(slug, fragment))
                                && let Some(gone) = diagnostics.last_mut()
                            {
                                *gone = gone_passage(gone.clone(), source, fragment, locked);
                            }
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
                LinkTarget::NetworkPath => diagnostics.push(
                    Diagnostic::error(
                        Code::BrokenLink,
                        "an address that starts with `//` has no scheme",
                    )
                    .at(span())
                    .label("read from disk, this leads to `file://` on another host")
                    .help("write the scheme: `https://` and the host"),
                ),
                LinkTarget::OutsideContent => diagnostics.push(
                    Diagnostic::error(Code::BrokenLink, "this link climbs out of `content/`")
                        .at(span())
                        .label("too many `../`")
                        .help("link to pages and files inside `content/` only"),
                ),
            }
        }
        resolved.into()
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
        let unread = self
            .unread_seeds
            .as_ref()
            .is_none_or(|unread| unread.contains(slug));
        if unread {
            // The error that explains it is reported where the seed is.
            return None;
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
                check_anchor(fragment, &page.body, what, span, diagnostics);
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
        if self.drafts.contains(path) {
            diagnostics.push(
                Diagnostic::error(
                    Code::BrokenLink,
                    format!("`content/{path}` is a draft: it is not published"),
                )
                .at(span())
                .label("this link would lead nowhere on the built site")
                .note("a page with `draft = true` is left out of `dossier build`")
                .help(format!(
                    "publish the page (remove `draft = true` from `content/{path}`), or remove the link until it is"
                )),
            );
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
    body: &Rendered,
    what: impl FnOnce() -> String,
    span: impl FnOnce() -> Span,
    diagnostics: &mut Vec<Diagnostic>,
) {
    let anchors = &body.anchors;
    if anchors.contains(fragment) {
        return;
    }
    let what = what();
    if let Some(help) = past_the_last_passage(fragment, anchors) {
        diagnostics.push(broken_anchor(&what, fragment, span()).help(help));
        return;
    }
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
    if close.is_empty() {
        // Nothing near: the headings are the map of the document.
        let headings: Vec<String> = body
            .headings
            .iter()
            .take(12)
            .map(|h| format!("`#{}`", h.id))
            .collect();
        let more = if body.headings.len() > headings.len() {
            ", ..."
        } else {
            ""
        };
        let help = (!headings.is_empty())
            .then(|| format!("its headings are {}{more}", headings.join(", ")));
        diagnostics.push(broken_anchor(&what, fragment, span()).maybe_help(help));
        return;
    }
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
    diagnostics.push(broken_anchor(&what, fragment, span()).maybe_help(help));
}

/// The error for an anchor `fragment` that `what` does not have.
fn broken_anchor(what: &str, fragment: &str, span: Span) -> Diagnostic {
    Diagnostic::error(
        Code::BrokenAnchor,
        format!("{what} has no anchor `#{fragment}`"),
    )
    .at(span)
    .label("no heading or passage with this anchor")
    .note("a heading's anchor is its text in lowercase, words joined by hyphens; a passage's is `<heading>-p<n>`, the n-th paragraph or list item after its heading (`p<n>` before the first)")
}

/// For a passage anchor `<heading>-p<n>` (or `p<n>`) whose section has
/// fewer passages, what the section has and the nearest passage:
/// "`#space` has `#space-p1` to `#space-p6`: did you mean `#space-p6`?".
fn past_the_last_passage(fragment: &str, anchors: &Anchors) -> Option<String> {
    let (section, number) = match fragment.rsplit_once("-p") {
        Some((section, n)) => (Some(section), n),
        None => (None, fragment.strip_prefix('p')?),
    };
    let wanted: usize = number
        .parse()
        .ok()
        .filter(|_| number.bytes().all(|b| b.is_ascii_digit()))?;
    let passage = |n: usize| match section {
        Some(section) => format!("{section}-p{n}"),
        None => format!("p{n}"),
    };
    if section.is_some_and(|section| !anchors.contains(section)) {
        return None;
    }
    let last = (1..)
        .take_while(|&n| anchors.contains(&passage(n)))
        .last()?;
    if wanted <= last {
        return None;
    }
    let owner = section.map_or("the text before the first heading".to_string(), |s| {
        format!("`#{s}`")
    });
    Some(format!(
        "{owner} has `#{}` to `#{}`: did you mean `#{}`?",
        passage(1),
        passage(last),
        passage(last)
    ))
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
