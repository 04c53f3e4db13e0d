//! The output layout: where every file of the built site goes. This is the
//! one place that spells it; the rest of the build, and the templates
//! (through [`Urls`]), ask here.
//!
//! ```text
//! index.html                   the home page
//! <section>/index.html         a section (its folders slugified)
//! <section>/<page>/index.html  a page
//! agencies/index.html          the agencies; agencies/<id>/index.html each one
//! topics/index.html            the topics;   topics/<id>/index.html each one
//! sources/index.html           the sources;  sources/<slug>/index.html each one
//! coverage/index.html          which passages of the sources are cited
//! search/index.html            the search page; search/index.js the manifest
//!                              of its index, search/{terms,postings,docs}/ the
//!                              shards the page loads on demand
//! print/index.html             the whole briefing on one page
//! 404.html  sitemap.xml  feed.xml
//! sitemap-<n>.xml              the parts of a sitemap too long for one file
//! static/...                   the theme's static files
//! ...                          the files of the project's `static/`, as they are
//! ```

use serde::Serialize;

use super::TermKind;
use crate::paths::{OutputPath, slugify};

/// The folder of the source documents' pages.
const SOURCES: &str = "sources";
/// The folder of the coverage page.
const COVERAGE: &str = "coverage";
/// The folder of the search page and its index.
const SEARCH: &str = "search";
/// The search index's manifest, in [`SEARCH`].
const SEARCH_INDEX: &str = "search/index.js";
/// The folder of the search index's vocabulary shards.
const SEARCH_TERMS: &str = "search/terms";
/// The folder of the search index's postings.
const SEARCH_POSTINGS: &str = "search/postings";
/// The folder of the search index's documents.
const SEARCH_DOCS: &str = "search/docs";
/// The folder of the print page.
const PRINT: &str = "print";
/// The folder of the theme's static files.
const STATIC: &str = "static";
/// The page a host shows for a missing address.
const NOT_FOUND: &str = "404.html";
/// The sitemap.
const SITEMAP: &str = "sitemap.xml";
/// How the name of a part of a long sitemap begins: `sitemap-1.xml`.
const SITEMAP_PART: &str = "sitemap-";
/// The Atom feed.
const FEED: &str = "feed.xml";

/// The folder of a registry's pages.
pub fn term_dir(kind: TermKind) -> &'static str {
    match kind {
        TermKind::Agency => "agencies",
        TermKind::Topic => "topics",
    }
}

/// The top-level folders the generator writes itself: no page or file of
/// `content/` may write into them.
pub fn reserved_dirs() -> [&'static str; 7] {
    [
        term_dir(TermKind::Agency),
        term_dir(TermKind::Topic),
        SOURCES,
        COVERAGE,
        SEARCH,
        PRINT,
        STATIC,
    ]
}

/// The top-level files the generator writes itself (besides the parts
/// of a long sitemap: see [`is_reserved_file`]).
pub fn reserved_files() -> [&'static str; 3] {
    [NOT_FOUND, SITEMAP, FEED]
}

/// The names of the parts of a long sitemap, as a pattern for people.
pub const SITEMAP_PARTS: &str = "sitemap-<n>.xml";

/// Whether the generator writes the file at `path` itself: one of
/// [`reserved_files`], or a part of a long sitemap (`sitemap-<n>.xml`,
/// reserved on every site, so that a site that grows past one file's worth
/// of addresses finds the names free).
pub fn is_reserved_file(path: &str) -> bool {
    reserved_files().contains(&path)
        || path
            .strip_prefix(SITEMAP_PART)
            .and_then(|rest| rest.strip_suffix(".xml"))
            .is_some_and(|n| !n.is_empty() && n.bytes().all(|b| b.is_ascii_digit()))
}

/// The home page.
pub fn home() -> OutputPath {
    OutputPath::page("")
}

/// The index of a registry's entries.
pub fn term_index(kind: TermKind) -> OutputPath {
    OutputPath::page(term_dir(kind))
}

/// The page of a registry entry.
pub fn term(kind: TermKind, id: &str) -> OutputPath {
    OutputPath::page(&[term_dir(kind), "/", id].concat())
}

/// The index of the source documents.
pub fn sources() -> OutputPath {
    OutputPath::page(SOURCES)
}

/// The page of a source document.
pub fn source(slug: &str) -> OutputPath {
    OutputPath::page(&[SOURCES, "/", slug].concat())
}

/// The coverage page.
pub fn coverage() -> OutputPath {
    OutputPath::page(COVERAGE)
}

/// The search page.
pub fn search() -> OutputPath {
    OutputPath::page(SEARCH)
}

/// The search index's manifest, the script the search page loads.
pub fn search_index() -> OutputPath {
    fixed(SEARCH_INDEX)
}

/// The three kinds of shard of the search index, each in a folder of its
/// own beside the manifest.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SearchShard {
    /// A part of the vocabulary.
    Terms,
    /// The postings of some of the vocabulary's stems.
    Postings,
    /// The titles and passages of some documents.
    Docs,
}

impl SearchShard {
    fn dir(self) -> &'static str {
        match self {
            SearchShard::Terms => SEARCH_TERMS,
            SearchShard::Postings => SEARCH_POSTINGS,
            SearchShard::Docs => SEARCH_DOCS,
        }
    }

    /// The shard script called `name` (letters, digits, `.`, `_`).
    pub fn file(self, name: &str) -> Option<OutputPath> {
        OutputPath::file(&[self.dir(), "/", name, ".js"].concat())
    }

    /// The folder of these shards relative to the search page, with its
    /// `/`: what the page puts before a shard's name and `.js`.
    pub fn from_search_page(self) -> String {
        let page = search();
        let dir = self.dir();
        match dir
            .strip_prefix(page.dir())
            .and_then(|d| d.strip_prefix('/'))
        {
            Some(inside) => [inside, "/"].concat(),
            None => [page.root().as_str(), dir, "/"].concat(),
        }
    }
}

/// Whether `path` is a file of the search index: its manifest or a shard.
pub fn in_search_index(path: &OutputPath) -> bool {
    let path = path.as_str();
    path == SEARCH_INDEX
        || [SEARCH_TERMS, SEARCH_POSTINGS, SEARCH_DOCS]
            .iter()
            .any(|dir| {
                path.strip_prefix(dir)
                    .is_some_and(|rest| rest.starts_with('/'))
            })
}

/// The print page: the whole briefing on one page.
pub fn print() -> OutputPath {
    OutputPath::page(PRINT)
}

/// The page a host shows for a missing address.
pub fn not_found() -> OutputPath {
    fixed(NOT_FOUND)
}

/// The sitemap: the list of the site's addresses, or, where they are too
/// many for one file, the index of its parts.
pub fn sitemap() -> OutputPath {
    fixed(SITEMAP)
}

/// The part `n` (from 1) of a sitemap too long for one file.
pub fn sitemap_part(n: usize) -> OutputPath {
    fixed(&format!("{SITEMAP_PART}{n}.xml"))
}

/// The Atom feed.
pub fn feed() -> OutputPath {
    fixed(FEED)
}

/// Where the theme's static file `relative` (a path inside its `static/`)
/// goes; `None` for a path that could leave the site.
pub fn static_file(relative: &str) -> Option<OutputPath> {
    OutputPath::file(&[STATIC, "/", relative].concat())
}

/// A file of the project's `static/` folder: at the same path from the
/// site root, as it is (`static/robots.txt` is `robots.txt`).
///
/// ```
/// use dossier::links::layout::site_file;
/// assert_eq!(site_file("img/logo.svg").unwrap().as_str(), "img/logo.svg");
/// assert!(site_file("../x").is_none());
/// ```
pub fn site_file(relative: &str) -> Option<OutputPath> {
    OutputPath::file(relative)
}

/// A file whose place is fixed here, and valid.
fn fixed(path: &str) -> OutputPath {
    OutputPath::file(path).unwrap_or_else(home)
}

/// The output path of the page written from `content/<path>`: `_index.md`
/// gives its directory's `index.html`, any other page `<slug>/index.html`.
/// Directory names are slugified too.
///
/// ```
/// use dossier::links::page_output_path;
/// assert_eq!(page_output_path("_index.md").as_str(), "index.html");
/// assert_eq!(page_output_path("domains/_index.md").as_str(), "domains/index.html");
/// assert_eq!(page_output_path("domains/space.md").as_str(), "domains/space/index.html");
/// assert_eq!(page_output_path("My Notes/First Draft.md").as_str(), "my-notes/first-draft/index.html");
/// ```
///
/// A name without letters or digits slugifies to nothing and adds no part to
/// the path: `domains/!!!.md` claims `domains/index.html`, which the model
/// reports as a collision with the section's own index.
pub fn page_output_path(path: &str) -> OutputPath {
    let (dir, file) = path.rsplit_once('/').unwrap_or(("", path));
    let dir = output_dir(dir);
    let stem = file.strip_suffix(".md").unwrap_or(file);
    let slug = if stem == "_index" {
        String::new()
    } else {
        slugify(stem)
    };
    match (dir.is_empty(), slug.is_empty()) {
        (_, true) => OutputPath::page(&dir),
        (true, false) => OutputPath::page(&slug),
        (false, false) => OutputPath::page(&format!("{dir}/{slug}")),
    }
}

/// The output path of the index page of the section whose folder in
/// `content/` is `dir`.
pub fn section_output_path(dir: &str) -> OutputPath {
    OutputPath::page(&output_dir(dir))
}

/// The output directory for a content directory: each part slugified, parts
/// that slugify to nothing left out.
///
/// ```
/// use dossier::links::output_dir;
/// assert_eq!(output_dir("My Notes/2023 Drafts"), "my-notes/2023-drafts");
/// assert_eq!(output_dir("a/???/b"), "a/b");
/// ```
pub fn output_dir(dir: &str) -> String {
    dir.split('/')
        .map(slugify)
        .filter(|part| !part.is_empty())
        .collect::<Vec<_>>()
        .join("/")
}

/// The output path of a file copied from `content/<path>`: its directory
/// slugified like a page's, its name kept.
pub fn asset_output_path(path: &str) -> Option<OutputPath> {
    let (dir, file) = path.rsplit_once('/').unwrap_or(("", path));
    let dir = output_dir(dir);
    if dir.is_empty() {
        OutputPath::file(file)
    } else {
        OutputPath::file(&format!("{dir}/{file}"))
    }
}

/// The addresses templates link to, relative to the site root: a theme
/// writes `{{ root }}{{ urls.agencies }}` and never spells the layout.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize)]
pub struct Urls {
    /// The home page.
    pub home: OutputPath,
    /// The index of the agencies.
    pub agencies: OutputPath,
    /// The index of the topics.
    pub topics: OutputPath,
    /// The index of the source documents.
    pub sources: OutputPath,
    /// The coverage page.
    pub coverage: OutputPath,
    /// The search page.
    pub search: OutputPath,
    /// The print page; none when the site has none.
    pub print: Option<OutputPath>,
    /// The Atom feed.
    pub feed: OutputPath,
    /// The folder of the theme's static files, with its `/`:
    /// `{{ root }}{{ urls.static }}style.css`.
    #[serde(rename = "static")]
    pub static_dir: String,
}

impl Urls {
    /// The addresses of a site, with a print page or without.
    pub fn new(print_page: bool) -> Self {
        Urls {
            home: home(),
            agencies: term_index(TermKind::Agency),
            topics: term_index(TermKind::Topic),
            sources: sources(),
            coverage: coverage(),
            search: search(),
            print: print_page.then(print),
            feed: feed(),
            static_dir: [STATIC, "/"].concat(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_reserved_names_are_the_tops_of_the_fixed_places() {
        let fixed = [
            term_index(TermKind::Agency),
            term_index(TermKind::Topic),
            sources(),
            coverage(),
            search(),
            search_index(),
            print(),
        ];
        for shard in [SearchShard::Terms, SearchShard::Postings, SearchShard::Docs] {
            let file = shard.file("a.0").expect("a shard");
            assert!(in_search_index(&file), "{file}");
            assert!(file.as_str().starts_with(SEARCH), "{file}");
            let from_page = [search().dir(), "/", &shard.from_search_page(), "a.0.js"].concat();
            assert_eq!(from_page, file.as_str());
        }
        assert!(in_search_index(&search_index()));
        assert!(!in_search_index(&search()));
        for path in fixed {
            let top = path.as_str().split('/').next().unwrap_or_default();
            assert!(reserved_dirs().contains(&top), "{path}");
        }
        assert!(static_file("style.css").is_some_and(|p| p.as_str().starts_with(STATIC)));
        for path in [
            not_found(),
            sitemap(),
            feed(),
            sitemap_part(1),
            sitemap_part(12),
        ] {
            assert!(is_reserved_file(path.as_str()), "{path}");
        }
        for path in [
            "sitemap-.xml",
            "sitemap-1a.xml",
            "sitemap-1.xml.gz",
            "sitemaps.xml",
        ] {
            assert!(!is_reserved_file(path), "{path}");
        }
        assert_eq!(static_file("../x"), None);
    }
}
