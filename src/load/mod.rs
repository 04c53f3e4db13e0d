//! The first stage: read everything the site is built from.
//!
//! `load` walks `content/` and `seeds/`, reads `site.toml` and the
//! registries, splits front matter from bodies, and returns an [`Input`]:
//! text and parsed settings, nothing resolved yet. Problems are collected,
//! never returned early, so that one run reports them all.

mod files;
pub mod front_matter;
pub mod lock;
pub mod registry;
pub mod seed;

use std::collections::{BTreeMap, BTreeSet};
use std::ops::Range;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use rayon::prelude::*;

use crate::config::{self, Config};
use crate::diagnostics::{Code, Diagnostic};
use crate::paths::OutputPath;
use crate::source::{SourceFile, SourceMap, Span};
use files::read_inside;
pub(crate) use files::walk;
pub use files::{MAX_TEXT_FILE, read_text};
pub use front_matter::FrontMatter;
pub use lock::{LOCK_FILE, SourcesLock};
pub use registry::{Agency, AgencyKind, Entry, Topic};
pub use seed::Seed;

/// The folders and files of a dossier project.
#[derive(Debug, Clone)]
pub struct Project {
    root: PathBuf,
}

impl Project {
    /// The project whose root directory is `root`.
    pub fn new(root: impl Into<PathBuf>) -> Self {
        Project { root: root.into() }
    }

    /// The root directory.
    pub fn root(&self) -> &Path {
        &self.root
    }

    /// `content/`: pages, sections, registries and files beside them.
    pub fn content_dir(&self) -> PathBuf {
        self.root.join("content")
    }

    /// `seeds/`: the source documents.
    pub fn seeds_dir(&self) -> PathBuf {
        self.root.join("seeds")
    }

    /// `themes/`.
    pub fn themes_dir(&self) -> PathBuf {
        self.root.join("themes")
    }

    /// `static/`: files copied into the site as they are, at the same
    /// path from its root.
    pub fn static_dir(&self) -> PathBuf {
        self.root.join(STATIC_DIR)
    }

    /// `site.toml`.
    pub fn config_path(&self) -> PathBuf {
        self.root.join("site.toml")
    }

    /// The default output directory, `public/`.
    pub fn default_output(&self) -> PathBuf {
        self.root.join("public")
    }

    /// The directories and files the site is built from, for watching and
    /// for refusing to publish over them.
    pub fn inputs(&self) -> Vec<PathBuf> {
        vec![
            self.content_dir(),
            self.seeds_dir(),
            self.themes_dir(),
            self.static_dir(),
            self.config_path(),
        ]
    }

    /// `path` relative to the root, for messages.
    pub fn relative(&self, path: &Path) -> PathBuf {
        path.strip_prefix(&self.root).unwrap_or(path).to_path_buf()
    }

    /// Whether `path`, with every symbolic link on the way followed, stays
    /// inside the project; a path that does not exist does.
    pub fn holds(&self, path: &Path) -> bool {
        let Ok(real) = std::fs::canonicalize(path) else {
            return true;
        };
        let root = std::fs::canonicalize(&self.root).unwrap_or_else(|_| self.root.clone());
        real.starts_with(root)
    }

    /// `None` when `path` stays inside the project (see [`holds`](Self::holds)),
    /// the error for a link out of it otherwise: dossier reads nothing
    /// outside the project.
    pub fn refuse_outside(&self, path: &Path) -> Option<Diagnostic> {
        (!self.holds(path)).then(|| outside_the_project(self, path))
    }
}

/// The error for a file or folder that a symbolic link (its own or one of
/// its folders') takes outside the project.
fn outside_the_project(project: &Project, path: &Path) -> Diagnostic {
    Diagnostic::error(
        Code::BadSymlink,
        "this symbolic link leads outside the project",
    )
    .at(Span::file_only(project.relative(path)))
    .help("copy the file into the project instead: dossier reads nothing outside it")
}

/// A Markdown page of `content/`.
#[derive(Debug, Clone)]
pub struct PageSource {
    /// The file.
    pub file: Arc<SourceFile>,
    /// Its path relative to `content/`, `/`-separated (`domains/space.md`).
    pub path: String,
    /// Where its page goes in the built site, from its path (see
    /// [`links::page_output_path`](crate::links::page_output_path)): made
    /// once when the file is read, not at every rebuild.
    pub output: OutputPath,
    /// Its front matter, as far as it is valid.
    pub front: FrontMatter,
    /// The byte range of the Markdown body in the file.
    pub body: Range<usize>,
}

impl PageSource {
    /// The page of `content/` at `path` whose file is `file`, with the
    /// front matter read from it and its body's byte range.
    pub fn new(file: Arc<SourceFile>, path: &str, front: FrontMatter, body: Range<usize>) -> Self {
        PageSource {
            file,
            path: path.to_string(),
            output: crate::links::page_output_path(path),
            front,
            body,
        }
    }

    /// The Markdown body.
    pub fn body(&self) -> &str {
        &self.file.text()[self.body.clone()]
    }

    /// Whether this is a section's index page (`_index.md`).
    pub fn is_section_index(&self) -> bool {
        self.path == "_index.md" || self.path.ends_with("/_index.md")
    }

    /// The directory of the page relative to `content/` (`""` at the top).
    pub fn dir(&self) -> &str {
        self.path.rsplit_once('/').map_or("", |(dir, _)| dir)
    }
}

/// A file copied as it is: a file of `content/` that is not a page or a
/// registry, or a file of `static/`.
#[derive(Debug, Clone)]
pub struct AssetSource {
    /// Its path relative to its folder (`content/` or `static/`),
    /// `/`-separated.
    pub path: String,
    /// Where it is on disk.
    pub disk_path: PathBuf,
}

/// Everything a site is built from.
#[derive(Debug, Clone)]
pub struct Input {
    /// The project.
    pub project: Project,
    /// Every text file read, for diagnostics.
    pub sources: SourceMap,
    /// `site.toml`.
    pub config: Config,
    /// The Markdown pages, in the order of a walk of `content/` (by name,
    /// folder by folder).
    pub pages: Vec<Arc<PageSource>>,
    /// The other files of `content/`, in the same order.
    pub assets: Vec<AssetSource>,
    /// The files of `static/`, in the order of a walk.
    pub statics: Vec<AssetSource>,
    /// `content/agencies.toml`.
    pub agencies: Vec<Agency>,
    /// `content/topics.toml`.
    pub topics: Vec<Topic>,
    /// The source documents, by slug.
    pub seeds: Vec<Seed>,
    /// `sources.lock`, when the project has one.
    pub lock: Option<SourcesLock>,
    /// The problems found while reading, by the project-relative path of
    /// the file (or folder) they belong to, so that a [`reload`] keeps the
    /// problems of the files it does not read again.
    pub problems: BTreeMap<String, Vec<Diagnostic>>,
}

impl Input {
    /// Every problem found while reading.
    pub fn diagnostics(&self) -> impl Iterator<Item = &Diagnostic> {
        self.problems.values().flatten()
    }

    /// What failed to load: the project-relative paths of the files that
    /// could not be read or parsed, and of the folders that could not be
    /// walked (`seeds`), so that the model does not report again what
    /// follows from them (every citation of an unreadable seed).
    pub fn failed(&self) -> BTreeSet<&str> {
        self.problems
            .iter()
            .filter(|(_, problems)| problems.iter().any(Diagnostic::is_error))
            .map(|(path, _)| path.as_str())
            .collect()
    }
}

/// The registry files in `content/`.
pub const AGENCIES_FILE: &str = "agencies.toml";
/// The registry files in `content/`.
pub const TOPICS_FILE: &str = "topics.toml";

/// Reads the project at `project`. Returns `None` only when there is no site
/// to speak of (no `site.toml`), with the reason in `diagnostics`; every
/// other problem is kept in [`Input::problems`].
pub fn load(project: &Project, diagnostics: &mut Vec<Diagnostic>) -> Option<Input> {
    if !project.config_path().is_file() {
        diagnostics.push(not_a_project(project));
        return None;
    }
    let mut input = Input {
        project: project.clone(),
        sources: SourceMap::default(),
        config: Config::default(),
        pages: Vec::new(),
        assets: Vec::new(),
        statics: Vec::new(),
        agencies: Vec::new(),
        topics: Vec::new(),
        seeds: Vec::new(),
        lock: None,
        problems: BTreeMap::new(),
    };
    input.read_config();
    input.read_content("");
    input.read_registries();
    input.read_seeds();
    input.read_lock();
    input.read_statics();
    Some(input)
}

/// What changed in a project since it was loaded: project-relative paths of
/// files or folders that were written, created, removed or renamed.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Changes {
    /// The paths, `/`-separated.
    pub paths: BTreeSet<String>,
}

impl Changes {
    /// The changes at `paths` (project-relative, `/`-separated).
    pub fn of<S: Into<String>>(paths: impl IntoIterator<Item = S>) -> Self {
        Changes {
            paths: paths.into_iter().map(Into::into).collect(),
        }
    }

    /// Whether `site.toml` changed.
    pub fn config(&self) -> bool {
        self.paths.contains(CONFIG_FILE)
    }

    /// Whether the file at `path` (project-relative) may have changed: it,
    /// or a folder it is in, changed.
    pub fn touch(&self, path: &str) -> bool {
        self.paths.iter().any(|changed| {
            path == changed
                || path
                    .strip_prefix(changed.as_str())
                    .is_some_and(|rest| rest.starts_with('/'))
        })
    }

    /// Whether anything under `dir` (a project-relative folder) changed.
    pub fn under(&self, dir: &str) -> bool {
        self.paths
            .iter()
            .any(|path| path == dir || path.starts_with(&format!("{dir}/")))
    }
}

/// `previous` with the files named in `changes` read again; everything else
/// (and its problems) is reused as it was, in place: nothing of a large
/// site is copied or freed for an edit of one page. Returns `None` when the
/// project is gone (no `site.toml`), with the reason in `diagnostics`.
pub fn reload(
    previous: Input,
    changes: &Changes,
    diagnostics: &mut Vec<Diagnostic>,
) -> Option<Input> {
    if !previous.project.config_path().is_file() {
        diagnostics.push(not_a_project(&previous.project));
        return None;
    }
    let mut input = previous;
    if changes.config() {
        input.read_config();
    }
    let registries = [AGENCIES_FILE, TOPICS_FILE].map(|name| format!("content/{name}"));
    for path in &changes.paths {
        if let Some(relative) = path.strip_prefix("content/")
            && !registries.contains(path)
        {
            input.read_content(relative);
        }
    }
    if changes
        .paths
        .iter()
        .any(|path| registries.contains(path) || path == "content")
    {
        input.read_registries();
    }
    if changes.under("seeds") {
        input.read_seeds();
    }
    if changes.paths.contains(LOCK_FILE) {
        input.read_lock();
    }
    if changes.under(STATIC_DIR) {
        input.read_statics();
    }
    Some(input)
}

const CONFIG_FILE: &str = "site.toml";

/// The folder of files copied as they are.
const STATIC_DIR: &str = "static";

fn not_a_project(project: &Project) -> Diagnostic {
    Diagnostic::error(
        Code::Io,
        format!(
            "{} is not a dossier project: it has no site.toml",
            project.root().display()
        ),
    )
    .at(Span::file_only(CONFIG_FILE))
    .help("run dossier in the project's root directory, or pass `--root DIR`")
}

impl Input {
    fn read_config(&mut self) {
        let mut problems = Vec::new();
        self.sources.remove(Path::new(CONFIG_FILE));
        let path = self.project.config_path();
        self.config = match read_inside(&self.project, &path, &mut problems) {
            Some(file) => config::read(&self.sources.add(file), &mut problems),
            None => Config::default(),
        };
        self.set_problems(CONFIG_FILE, problems);
    }

    /// Reads `content/<relative>` again, whatever it is now: a page, a
    /// file, a folder (walked), or nothing (what was there is dropped).
    /// `""` reads all of `content/`.
    fn read_content(&mut self, relative: &str) {
        let prefix = if relative.is_empty() {
            String::new()
        } else {
            format!("{relative}/")
        };
        let inside =
            |path: &str| relative.is_empty() || path == relative || path.starts_with(&prefix);
        for page in self.pages.iter().filter(|page| inside(&page.path)) {
            self.sources.remove(page.file.path());
        }
        self.pages.retain(|page| !inside(&page.path));
        self.assets.retain(|asset| !inside(&asset.path));
        let content_key = |path: &str| format!("content/{path}");
        self.problems.retain(|key, _| {
            key.strip_prefix("content/")
                .is_none_or(|path| !inside(path) || path == AGENCIES_FILE || path == TOPICS_FILE)
                && !(relative.is_empty() && key == "content")
        });

        let dir = self.project.content_dir();
        let target = if relative.is_empty() {
            dir.clone()
        } else {
            dir.join(relative)
        };
        let mut walk_problems = Vec::new();
        let walked = walk(&self.project, &dir, &target, &mut walk_problems);
        for problem in walk_problems {
            let key = problem.span.as_ref().map_or_else(
                || "content".to_string(),
                |span| span.file.to_string_lossy().replace('\\', "/"),
            );
            self.problems.entry(key).or_default().push(problem);
        }
        let mut page_paths = Vec::new();
        for (path, disk_path) in walked.files {
            if path == AGENCIES_FILE || path == TOPICS_FILE {
                continue;
            } else if path.ends_with(".md") {
                page_paths.push((path, disk_path));
            } else {
                let at = self
                    .assets
                    .partition_point(|a| walk_order(&a.path, &path).is_lt());
                self.assets.insert(at, AssetSource { path, disk_path });
            }
        }
        let read: Vec<(String, Option<Arc<PageSource>>, Vec<Diagnostic>)> = page_paths
            .par_iter()
            .map(|(path, disk_path)| {
                let (page, problems) = read_page(&self.project, path, disk_path);
                (path.clone(), page, problems)
            })
            .collect();
        // The problems of the pages read were all dropped above.
        for (path, page, problems) in read {
            if !problems.is_empty() {
                self.set_problems(&content_key(&path), problems);
            }
            if let Some(page) = page {
                self.sources.add_shared(Arc::clone(&page.file));
                self.pages.push(page);
            }
        }
        // In walk order: the pages kept, then those read, each already in
        // it, are merged.
        self.pages.sort_by(|a, b| walk_order(&a.path, &b.path));
    }

    fn read_registries(&mut self) {
        self.agencies.clear();
        self.topics.clear();
        for name in [AGENCIES_FILE, TOPICS_FILE] {
            let key = format!("content/{name}");
            self.sources.remove(Path::new(&key));
            let disk_path = self.project.content_dir().join(name);
            let mut problems = Vec::new();
            if disk_path.is_file()
                && let Some(file) = read_inside(&self.project, &disk_path, &mut problems)
            {
                let file = self.sources.add(file);
                if name == AGENCIES_FILE {
                    self.agencies = registry::read_agencies(&file, &mut problems);
                } else {
                    self.topics = registry::read_topics(&file, &mut problems);
                }
            }
            self.set_problems(&key, problems);
        }
    }

    fn read_seeds(&mut self) {
        for seed in &self.seeds {
            self.sources.remove(seed.file.path());
        }
        self.seeds.clear();
        self.problems
            .retain(|key, _| !key.starts_with("seeds/") && key != "seeds");
        let seeds_dir = self.project.seeds_dir();
        let mut walk_problems = Vec::new();
        let walked = walk(&self.project, &seeds_dir, &seeds_dir, &mut walk_problems);
        for problem in walk_problems {
            let key = problem.span.as_ref().map_or_else(
                || "seeds".to_string(),
                |span| span.file.to_string_lossy().replace('\\', "/"),
            );
            self.problems.entry(key).or_default().push(problem);
        }
        for (path, disk_path) in walked.files {
            if !path.ends_with(".md") {
                continue;
            }
            let key = format!("seeds/{path}");
            let mut problems = Vec::new();
            if let Some(file) = read_text(&self.project, &disk_path, &mut problems) {
                let file = self.sources.add(file);
                let name = path.rsplit('/').next().unwrap_or(&path).to_string();
                self.seeds.push(seed::read(file, &name, &mut problems));
            }
            self.set_problems(&key, problems);
        }
    }

    fn read_lock(&mut self) {
        self.sources.remove(Path::new(LOCK_FILE));
        let path = self.project.root().join(LOCK_FILE);
        let mut problems = Vec::new();
        self.lock = path
            .is_file()
            .then(|| read_inside(&self.project, &path, &mut problems))
            .flatten()
            .map(|file| lock::read(&self.sources.add(file), &mut problems));
        self.set_problems(LOCK_FILE, problems);
    }

    /// Walks `static/` again: which files it has (they are read when the
    /// site is written).
    fn read_statics(&mut self) {
        self.problems
            .retain(|key, _| !key.starts_with("static/") && key != STATIC_DIR);
        let dir = self.project.static_dir();
        if let Some(refused) = self.project.refuse_outside(&dir) {
            self.set_problems(STATIC_DIR, vec![refused]);
            self.statics.clear();
            return;
        }
        let mut walk_problems = Vec::new();
        let walked = walk(&self.project, &dir, &dir, &mut walk_problems);
        for problem in walk_problems {
            let key = problem.span.as_ref().map_or_else(
                || STATIC_DIR.to_string(),
                |span| span.file.to_string_lossy().replace('\\', "/"),
            );
            self.problems.entry(key).or_default().push(problem);
        }
        self.statics = walked
            .files
            .into_iter()
            .map(|(path, disk_path)| AssetSource { path, disk_path })
            .collect();
    }

    fn set_problems(&mut self, key: &str, problems: Vec<Diagnostic>) {
        if problems.is_empty() {
            self.problems.remove(key);
        } else {
            self.problems.insert(key.to_string(), problems);
        }
    }
}

/// Reads one page: its file and front matter, and the problems found.
fn read_page(
    project: &Project,
    path: &str,
    disk_path: &Path,
) -> (Option<Arc<PageSource>>, Vec<Diagnostic>) {
    let mut problems = Vec::new();
    let page = read_text(project, disk_path, &mut problems).map(|file| {
        let file = Arc::new(file);
        let (front, body) = front_matter::read_page(&file, &mut problems);
        Arc::new(PageSource::new(file, path, front, body))
    });
    (page, problems)
}

/// The order of a walk that visits each folder's entries by name: paths
/// compared part by part.
///
/// ```
/// use dossier::load::walk_order;
/// use std::cmp::Ordering;
/// // `a/` is walked (and finished) before `a-c/`, although `-` sorts before `/`.
/// assert_eq!(walk_order("a/b.md", "a-c/x.md"), Ordering::Less);
/// ```
pub fn walk_order(a: &str, b: &str) -> std::cmp::Ordering {
    a.split('/').cmp(b.split('/'))
}
