//! The first stage: read everything the site is built from.
//!
//! `load` walks `content/` and `seeds/`, reads `site.toml` and the
//! registries, splits front matter from bodies, and returns an [`Input`]:
//! text and parsed settings, nothing resolved yet. Problems are collected,
//! never returned early, so that one run reports them all.

pub mod front_matter;
pub mod registry;
pub mod seed;

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
            self.config_path(),
        ]
    }

    /// `path` relative to the root, for messages.
    pub fn relative(&self, path: &Path) -> PathBuf {
        path.strip_prefix(&self.root).unwrap_or(path).to_path_buf()
    }
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

/// A file of `content/` that is not a page or a registry: copied as it is.
#[derive(Debug, Clone)]
pub struct AssetSource {
    /// Its path relative to `content/`, `/`-separated.
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
    /// The Markdown pages, by path.
    pub pages: Vec<PageSource>,
    /// The other files of `content/`, by path.
    pub assets: Vec<AssetSource>,
    /// `content/agencies.toml`.
    pub agencies: Vec<Agency>,
    /// `content/topics.toml`.
    pub topics: Vec<Topic>,
    /// The source documents, by slug.
    pub seeds: Vec<Seed>,
}

/// The registry files in `content/`.
pub const AGENCIES_FILE: &str = "agencies.toml";
/// The registry files in `content/`.
pub const TOPICS_FILE: &str = "topics.toml";

/// Reads the project at `project`. Returns `None` only when there is no site
/// to speak of (no `site.toml`); every problem is pushed to `diagnostics`.
pub fn load(project: &Project, diagnostics: &mut Vec<Diagnostic>) -> Option<Input> {
    let mut sources = SourceMap::default();
    let config_path = project.config_path();
    if !config_path.is_file() {
        diagnostics.push(
            Diagnostic::error(
                Code::Io,
                format!(
                    "{} is not a dossier project: it has no site.toml",
                    project.root().display()
                ),
            )
            .at(Span::file_only("site.toml"))
            .help("run dossier in the project's root directory, or pass `--root DIR`"),
        );
        return None;
    }
    let config = match read_text(project, &config_path, diagnostics) {
        Some(file) => config::read(&sources.add(file), diagnostics),
        None => Config::default(),
    };

    let content = walk(project, &project.content_dir(), diagnostics);
    let mut page_paths = Vec::new();
    let mut assets = Vec::new();
    let mut registry_paths = Vec::new();
    for (path, disk_path) in content.files {
        if path == AGENCIES_FILE || path == TOPICS_FILE {
            registry_paths.push((path, disk_path));
        } else if path.ends_with(".md") {
            page_paths.push((path, disk_path));
        } else {
            assets.push(AssetSource { path, disk_path });
        }
    }

    let read_pages: Vec<_> = page_paths
        .par_iter()
        .map(|(path, disk_path)| {
            let mut problems = Vec::new();
            let page = read_text(project, disk_path, &mut problems).map(|file| {
                let file = Arc::new(file);
                let (front, body) = front_matter::read_page(&file, &mut problems);
                PageSource {
                    file,
                    path: path.clone(),
                    front,
                    body,
                }
            });
            (page, problems)
        })
        .collect();
    let mut pages = Vec::with_capacity(read_pages.len());
    for (page, problems) in read_pages {
        diagnostics.extend(problems);
        if let Some(page) = page {
            sources.add_shared(Arc::clone(&page.file));
            pages.push(page);
        }
    }

    let mut agencies = Vec::new();
    let mut topics = Vec::new();
    for (path, disk_path) in registry_paths {
        let Some(file) = read_text(project, &disk_path, diagnostics) else {
            continue;
        };
        let file = sources.add(file);
        if path == AGENCIES_FILE {
            agencies = registry::read_agencies(&file, diagnostics);
        } else {
            topics = registry::read_topics(&file, diagnostics);
        }
    }

    let mut seeds = Vec::new();
    let seeds_dir = project.seeds_dir();
    if seeds_dir.is_dir() {
        for (path, disk_path) in walk(project, &seeds_dir, diagnostics).files {
            if !path.ends_with(".md") {
                continue;
            }
            if let Some(file) = read_text(project, &disk_path, diagnostics) {
                let file = sources.add(file);
                let name = path.rsplit('/').next().unwrap_or(&path).to_string();
                seeds.push(seed::read(file, &name, diagnostics));
            }
        }
    }

    Some(Input {
        project: project.clone(),
        sources,
        config,
        pages,
        assets,
        agencies,
        topics,
        seeds,
    })
}

/// The files under `dir`, sorted by path.
struct Walked {
    files: Vec<(String, PathBuf)>,
}

/// Walks `dir`, following symbolic links that stay inside the project and
/// refusing the others. Hidden files and directories (`.git`, editor swap
/// files) and editor backups (`name~`) are skipped.
fn walk(project: &Project, dir: &Path, diagnostics: &mut Vec<Diagnostic>) -> Walked {
    let mut walked = Walked { files: Vec::new() };
    if !dir.is_dir() {
        return walked;
    }
    let root =
        std::fs::canonicalize(project.root()).unwrap_or_else(|_| project.root().to_path_buf());
    let mut entries = WalkDir::new(dir)
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
                diagnostics.push(
                    Diagnostic::error(
                        Code::BadSymlink,
                        "this symbolic link leads outside the project",
                    )
                    .at(Span::file_only(project.relative(entry.path())))
                    .help(
                        "copy the file into the project instead: dossier reads nothing outside it",
                    ),
                );
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
        if !entry.file_type().is_dir() {
            walked.files.push((relative, entry.path().to_path_buf()));
        }
    }
    walked
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
