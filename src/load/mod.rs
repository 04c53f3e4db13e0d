//! The first stage: read everything the site is built from.
//!
//! `load` walks `content/` and `seeds/`, reads `site.toml` and the
//! registries, splits front matter from bodies, and returns an [`Input`]:
//! text and parsed settings, nothing resolved yet. Problems are collected,
//! never returned early, so that one run reports them all.

pub mod front_matter;
pub mod lock;
pub mod registry;
pub mod seed;

use std::collections::{BTreeMap, BTreeSet};
use std::io::Read;
use std::ops::Range;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use rayon::prelude::*;
use walkdir::WalkDir;

use crate::config::{self, Config};
use crate::diagnostics::{Code, Diagnostic};
use crate::source::{SourceFile, SourceMap, Span};
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
    /// Its front matter, as far as it is valid.
    pub front: FrontMatter,
    /// The byte range of the Markdown body in the file.
    pub body: Range<usize>,
}

impl PageSource {
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
/// (and its problems) is reused as it was. Returns `None` when the project
/// is gone (no `site.toml`), with the reason in `diagnostics`.
pub fn reload(
    previous: &Input,
    changes: &Changes,
    diagnostics: &mut Vec<Diagnostic>,
) -> Option<Input> {
    let project = &previous.project;
    if !project.config_path().is_file() {
        diagnostics.push(not_a_project(project));
        return None;
    }
    let mut input = previous.clone();
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
        for (path, page, problems) in read {
            self.set_problems(&content_key(&path), problems);
            if let Some(page) = page {
                self.sources.add_shared(Arc::clone(&page.file));
                let at = self
                    .pages
                    .partition_point(|p| walk_order(&p.path, &page.path).is_lt());
                self.pages.insert(at, page);
            }
        }
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
        Arc::new(PageSource {
            file,
            path: path.to_string(),
            front,
            body,
        })
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

/// The files under `dir`, sorted by path.
pub(crate) struct Walked {
    /// Each file's path relative to the folder walked, `/`-separated, and
    /// where it is on disk.
    pub files: Vec<(String, PathBuf)>,
}

/// Walks `target` (a folder or file inside `dir`), following symbolic links
/// that stay inside the project and refusing the others; paths are given
/// relative to `dir`. Hidden files and directories (`.git`, editor swap
/// files) and editor backups (`name~`) are skipped.
pub(crate) fn walk(
    project: &Project,
    dir: &Path,
    target: &Path,
    diagnostics: &mut Vec<Diagnostic>,
) -> Walked {
    let mut walked = Walked { files: Vec::new() };
    if std::fs::symlink_metadata(target).is_err() || !dir.is_dir() || is_hidden_below(dir, target) {
        return walked;
    }
    let root =
        std::fs::canonicalize(project.root()).unwrap_or_else(|_| project.root().to_path_buf());
    let mut entries = WalkDir::new(target)
        .follow_links(true)
        .sort_by_file_name()
        .into_iter();
    while let Some(entry) = entries.next() {
        let entry = match entry {
            Ok(entry) => entry,
            Err(error) => {
                let path = error
                    .path()
                    .map(|p| project.relative(p))
                    .unwrap_or_default();
                let diagnostic = if error.loop_ancestor().is_some() {
                    Diagnostic::error(
                        Code::BadSymlink,
                        "this symbolic link leads back into a folder that contains it",
                    )
                    .at(Span::file_only(path))
                    .help("remove the link: dossier does not follow loops")
                } else if error.path().is_some_and(is_symlink) {
                    // A link to nothing, or a chain of links that never ends.
                    Diagnostic::error(
                        Code::BadSymlink,
                        format!(
                            "this symbolic link cannot be followed: {}",
                            io_reason(&error)
                        ),
                    )
                    .at(Span::file_only(path))
                    .help("point the link at a file inside the project, or remove it")
                } else {
                    Diagnostic::error(Code::Io, format!("cannot read: {}", io_reason(&error)))
                        .at(Span::file_only(path))
                };
                diagnostics.push(diagnostic);
                continue;
            }
        };
        let name = entry.file_name().to_string_lossy();
        if entry.depth() > 0 && (name.starts_with('.') || name.ends_with('~')) {
            if entry.file_type().is_dir() {
                entries.skip_current_dir();
            }
            continue;
        }
        if entry.path_is_symlink() {
            let inside =
                std::fs::canonicalize(entry.path()).is_ok_and(|target| target.starts_with(&root));
            if !inside {
                diagnostics.push(outside_the_project(project, entry.path()));
                if entry.file_type().is_dir() {
                    entries.skip_current_dir();
                }
                continue;
            }
        }
        let Ok(relative) = entry.path().strip_prefix(dir) else {
            continue;
        };
        let Some(relative) = relative.to_str().map(|s| s.replace('\\', "/")) else {
            diagnostics.push(
                Diagnostic::error(Code::Io, "the file name is not valid UTF-8")
                    .at(Span::file_only(project.relative(entry.path())))
                    .help("rename the file using UTF-8 characters"),
            );
            continue;
        };
        if let Some(control) = relative.chars().find(|c| c.is_control()) {
            diagnostics.push(
                Diagnostic::error(
                    Code::Io,
                    format!(
                        "the name holds the control character U+{:04X}",
                        u32::from(control)
                    ),
                )
                .at(Span::file_only(project.relative(entry.path())))
                .help("rename it: names are shown in pages, addresses and messages"),
            );
            if entry.file_type().is_dir() {
                entries.skip_current_dir();
            }
            continue;
        }
        let kind = entry.file_type();
        if kind.is_file() {
            walked.files.push((relative, entry.path().to_path_buf()));
        } else if !kind.is_dir() {
            // A pipe would block the build for ever, a device never end.
            diagnostics.push(
                Diagnostic::error(Code::Io, "this is not a regular file")
                    .at(Span::file_only(project.relative(entry.path())))
                    .help(
                        "dossier reads files and folders only: remove it or replace it by a file",
                    ),
            );
        }
    }
    walked
}

/// Whether `target`, below `dir`, is (inside) a hidden file or folder or an
/// editor backup.
fn is_hidden_below(dir: &Path, target: &Path) -> bool {
    target.strip_prefix(dir).is_ok_and(|relative| {
        relative.components().any(|part| {
            let name = part.as_os_str().to_string_lossy();
            name.starts_with('.') || name.ends_with('~')
        })
    })
}

fn is_symlink(path: &Path) -> bool {
    std::fs::symlink_metadata(path).is_ok_and(|meta| meta.file_type().is_symlink())
}

fn io_reason(error: &walkdir::Error) -> String {
    error
        .io_error()
        .map_or_else(|| error.to_string(), std::string::ToString::to_string)
}

/// The largest text file dossier reads: 8 MiB, hundreds of times a long
/// briefing page. A larger file is refused before it is read whole, so that
/// memory stays bounded whatever the input.
pub const MAX_TEXT_FILE: u64 = 8 * 1024 * 1024;

/// Reads a text file into a [`SourceFile`] whose path is relative to the
/// project root. Problems are pushed to `diagnostics`:
///
/// - a file that cannot be read, or is larger than [`MAX_TEXT_FILE`], gives
///   `None`;
/// - a file that is not UTF-8 is reported with the byte offset, line and
///   column of its first invalid byte, and returned with the invalid bytes
///   replaced (U+FFFD), so that the line can be shown and the rest of the
///   file still checked.
pub fn read_text(
    project: &Project,
    path: &Path,
    diagnostics: &mut Vec<Diagnostic>,
) -> Option<SourceFile> {
    let relative = project.relative(path);
    let bytes = match read_bounded(path, MAX_TEXT_FILE) {
        Ok(Bounded::Whole(bytes)) => bytes,
        Ok(Bounded::TooLarge(size)) => {
            diagnostics.push(
                Diagnostic::error(
                    Code::TooLarge,
                    format!(
                        "the file is {}, more than the {} dossier reads",
                        mebibytes(size),
                        mebibytes(MAX_TEXT_FILE)
                    ),
                )
                .at(Span::start_of(relative))
                .note("the file was not read")
                .help("split it into several files"),
            );
            return None;
        }
        Err(error) => {
            diagnostics.push(
                Diagnostic::error(Code::Io, format!("cannot read the file: {error}"))
                    .at(Span::file_only(relative)),
            );
            return None;
        }
    };
    match String::from_utf8(bytes) {
        Ok(text) => Some(SourceFile::new(relative, text)),
        Err(error) => {
            let offset = error.utf8_error().valid_up_to();
            // The text before the first invalid byte is kept as it is, so the
            // offset is the same in the repaired text.
            let file = SourceFile::new(
                relative,
                String::from_utf8_lossy(error.as_bytes()).into_owned(),
            );
            diagnostics.push(
                Diagnostic::error(
                    Code::NotUtf8,
                    format!("the file is not valid UTF-8: invalid byte at offset {offset}"),
                )
                .at(file.span(offset..offset + '\u{FFFD}'.len_utf8()))
                .label("not UTF-8")
                .help("save the file as UTF-8"),
            );
            Some(file)
        }
    }
}

/// [`read_text`] for a file the project names by its path (`site.toml`,
/// the registries) rather than finds in a walk: refused when a symbolic
/// link takes it outside the project.
fn read_inside(
    project: &Project,
    path: &Path,
    diagnostics: &mut Vec<Diagnostic>,
) -> Option<SourceFile> {
    if let Some(refused) = project.refuse_outside(path) {
        diagnostics.push(refused);
        return None;
    }
    read_text(project, path, diagnostics)
}

/// A file read up to a limit.
enum Bounded {
    /// The whole file.
    Whole(Vec<u8>),
    /// The file is larger than the limit: its size in bytes.
    TooLarge(u64),
}

/// Reads the file at `path` unless it holds more than `limit` bytes; never
/// reads more than `limit + 1` bytes, even from a file that grows meanwhile.
fn read_bounded(path: &Path, limit: u64) -> std::io::Result<Bounded> {
    let file = std::fs::File::open(path)?;
    let size = file.metadata()?.len();
    if size > limit {
        return Ok(Bounded::TooLarge(size));
    }
    let mut bytes = Vec::with_capacity(usize::try_from(size).unwrap_or(0));
    file.take(limit + 1).read_to_end(&mut bytes)?;
    if bytes.len() as u64 > limit {
        return Ok(Bounded::TooLarge(bytes.len() as u64));
    }
    Ok(Bounded::Whole(bytes))
}

/// A size in mebibytes, such as `50.0 MiB`.
fn mebibytes(bytes: u64) -> String {
    format!("{:.1} MiB", bytes as f64 / (1024.0 * 1024.0))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn non_utf8_files_are_reported_with_offset_line_and_column() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("bad.md");
        std::fs::write(&path, b"+++\ntitle = \"x\"\n+++\nab\xffcd\n").unwrap();
        let project = Project::new(dir.path());
        let mut diagnostics = Vec::new();
        let file = read_text(&project, &path, &mut diagnostics).unwrap();
        assert_eq!(file.text(), "+++\ntitle = \"x\"\n+++\nab\u{FFFD}cd\n");
        let problem = &diagnostics[0];
        assert_eq!(problem.code, Code::NotUtf8);
        assert!(problem.message.contains("offset 22"), "{}", problem.message);
        let span = problem.span.as_ref().unwrap();
        assert_eq!((span.line, span.col), (4, 3));
        assert_eq!(span.file, PathBuf::from("bad.md"));
    }

    #[test]
    fn files_over_the_limit_are_refused_without_being_read() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("big.md");
        let file = std::fs::File::create(&path).unwrap();
        file.set_len(MAX_TEXT_FILE + 1).unwrap();
        let mut diagnostics = Vec::new();
        assert!(read_text(&Project::new(dir.path()), &path, &mut diagnostics).is_none());
        assert_eq!(diagnostics[0].code, Code::TooLarge);
        let span = diagnostics[0].span.as_ref().unwrap();
        assert_eq!((span.line, span.col), (1, 1));
    }
}
