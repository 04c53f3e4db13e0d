//! Walking the project's folders and reading its text files: inside the
//! project, hidden files skipped, every file bounded in size.

use std::io::Read as _;
use std::path::{Path, PathBuf};

use walkdir::WalkDir;

use super::{Project, outside_the_project};
use crate::diagnostics::{Code, Diagnostic};
use crate::source::{SourceFile, Span};

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
pub(super) fn read_inside(
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
        assert_eq!(&*span.file, Path::new("bad.md"));
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
