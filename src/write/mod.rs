//! The last stage: publish the built site, atomically.
//!
//! Every file is first written into a staging directory beside the output
//! directory; files whose bytes did not change are hard-linked from the
//! published site instead, so they keep their modification time and an
//! `rsync` copies only what changed. When every file is in place, the two
//! directories are swapped in one step (Linux `renameat2(RENAME_EXCHANGE)`),
//! so there is no moment without a site, and the old one is removed. A
//! failure at any point leaves the published site exactly as it was.
//!
//! Where the atomic exchange is not available, the old site is renamed
//! aside, the new one renamed into place, and the old one removed: two
//! renames, with a moment between them when the output directory is absent.

mod guard;

use std::collections::BTreeSet;
use std::fs;
use std::io;
use std::path::{Path, PathBuf};

use rayon::prelude::*;
use walkdir::WalkDir;

use crate::diagnostics::{Code, Diagnostic};
use crate::render::Output;
use crate::source::Span;
pub use guard::{MARKER, MARKER_TEXT, check_output_dir};

/// What publishing did.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Published {
    /// Files written because they are new or changed.
    pub written: usize,
    /// Files kept as they were (same bytes, same modification time).
    pub unchanged: usize,
    /// Files of the previous site that the new one no longer has.
    pub removed: usize,
}

/// Publishes `outputs` into `output_dir`, replacing whatever dossier
/// published there before. `output_dir` must have passed
/// [`check_output_dir`].
pub fn publish(outputs: &[Output], output_dir: &Path) -> Result<Published, Box<Diagnostic>> {
    let (parent, name) = split_dir(output_dir)?;
    fs::create_dir_all(&parent).map_err(|e| failure(&parent, "cannot create the folder", &e))?;
    remove_stale_staging(&parent, &name);
    let pid = std::process::id();
    let staging = parent.join(format!(".{name}.dossier-staging-{pid}"));
    let old = parent.join(format!(".{name}.dossier-old-{pid}"));
    if staging.exists() {
        fs::remove_dir_all(&staging)
            .map_err(|e| failure(&staging, "cannot clear the staging folder", &e))?;
    }
    fs::create_dir(&staging)
        .map_err(|e| failure(&staging, "cannot create the staging folder", &e))?;
    let staged = stage(outputs, output_dir, &staging);
    let published = match staged {
        Ok(mut published) => {
            published.removed = removed_count(outputs, output_dir);
            swap_into_place(&staging, &old, output_dir).map(|()| published)
        }
        Err(error) => Err(error),
    };
    if published.is_err() {
        let _ = fs::remove_dir_all(&staging);
    }
    published
}

/// The parent directory and the name of `output_dir`.
fn split_dir(output_dir: &Path) -> Result<(PathBuf, String), Box<Diagnostic>> {
    let name = output_dir
        .file_name()
        .and_then(|n| n.to_str())
        .map(str::to_string);
    let parent = output_dir.parent().map(Path::to_path_buf);
    match (parent, name) {
        (Some(parent), Some(name)) => Ok((parent, name)),
        _ => Err(Box::new(
            Diagnostic::error(
                Code::UnsafeOutput,
                format!("cannot publish into `{}`", output_dir.display()),
            )
            .help("choose an output folder with a name, such as `public`"),
        )),
    }
}

/// Removes staging folders left by builds that were killed midway; only
/// folders that carry dossier's marker, or are empty (a build killed before
/// it wrote the marker), are touched.
fn remove_stale_staging(parent: &Path, name: &str) {
    let Ok(entries) = fs::read_dir(parent) else {
        return;
    };
    let prefixes = [
        format!(".{name}.dossier-staging-"),
        format!(".{name}.dossier-old-"),
    ];
    for entry in entries.filter_map(Result::ok) {
        let file_name = entry.file_name();
        let Some(file_name) = file_name.to_str() else {
            continue;
        };
        let ours = prefixes.iter().any(|p| file_name.starts_with(p.as_str()));
        if !ours {
            continue;
        }
        if entry.path().join(MARKER).is_file() {
            let _ = fs::remove_dir_all(entry.path());
        } else {
            // Removes the folder only if it is empty.
            let _ = fs::remove_dir(entry.path());
        }
    }
}

/// Writes every output into `staging`, linking unchanged files from
/// `published`. The marker goes first, so that a build killed midway leaves
/// a staging folder the next build recognises as its own and removes.
/// Problems name the file in the output folder, not in the staging folder.
fn stage(
    outputs: &[Output],
    published: &Path,
    staging: &Path,
) -> Result<Published, Box<Diagnostic>> {
    let marker = staging.join(MARKER);
    let previous_marker = published.join(MARKER);
    if !(same_bytes(&previous_marker, MARKER_TEXT.as_bytes())
        && fs::hard_link(&previous_marker, &marker).is_ok())
    {
        fs::write(&marker, MARKER_TEXT)
            .map_err(|e| failure(&previous_marker, "cannot write the file", &e))?;
    }
    let dirs: BTreeSet<&str> = outputs.iter().map(|o| o.path.dir()).collect();
    for dir in dirs.into_iter().filter(|d| !d.is_empty()) {
        fs::create_dir_all(staging.join(dir))
            .map_err(|e| failure(&published.join(dir), "cannot create the folder", &e))?;
    }
    let results: Vec<Result<bool, Box<Diagnostic>>> = outputs
        .par_iter()
        .map(|output| {
            let relative = output.path.as_str();
            let target = staging.join(relative);
            let previous = published.join(relative);
            if same_bytes(&previous, &output.bytes) && fs::hard_link(&previous, &target).is_ok() {
                return Ok(false);
            }
            fs::write(&target, &output.bytes)
                .map(|()| true)
                .map_err(|e| failure(&previous, "cannot write the file", &e))
        })
        .collect();
    let mut published = Published::default();
    for result in results {
        if result? {
            published.written += 1;
        } else {
            published.unchanged += 1;
        }
    }
    Ok(published)
}

/// Whether the regular file at `path` holds exactly `bytes`.
fn same_bytes(path: &Path, bytes: &[u8]) -> bool {
    match fs::symlink_metadata(path) {
        Ok(meta) if meta.is_file() && meta.len() == bytes.len() as u64 => {
            fs::read(path).is_ok_and(|old| old == bytes)
        }
        _ => false,
    }
}

/// How many files of the published site the new one does not have.
fn removed_count(outputs: &[Output], published: &Path) -> usize {
    if !published.is_dir() {
        return 0;
    }
    let new: BTreeSet<&str> = outputs.iter().map(|o| o.path.as_str()).collect();
    WalkDir::new(published)
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| !e.file_type().is_dir())
        .filter_map(|e| {
            let relative = e.path().strip_prefix(published).ok()?;
            relative.to_str().map(|s| s.replace('\\', "/"))
        })
        .filter(|relative| relative != MARKER && !new.contains(relative.as_str()))
        .count()
}

/// Puts `staging` where `output_dir` is, then removes the old site (moved
/// to `old` first where directories cannot be exchanged).
fn swap_into_place(staging: &Path, old: &Path, output_dir: &Path) -> Result<(), Box<Diagnostic>> {
    if !output_dir.exists() {
        return fs::rename(staging, output_dir)
            .map_err(|e| failure(output_dir, "cannot move the built site into place", &e));
    }
    match exchange(staging, output_dir) {
        Ok(()) => {
            // `staging` now holds the old site.
            let _ = fs::remove_dir_all(staging);
            Ok(())
        }
        Err(_) => {
            fs::rename(output_dir, old)
                .map_err(|e| failure(output_dir, "cannot move the old site aside", &e))?;
            if let Err(error) = fs::rename(staging, output_dir) {
                let _ = fs::rename(old, output_dir);
                return Err(failure(
                    output_dir,
                    "cannot move the built site into place",
                    &error,
                ));
            }
            let _ = fs::remove_dir_all(old);
            Ok(())
        }
    }
}

/// Swaps two directories in one atomic step.
#[cfg(target_os = "linux")]
fn exchange(a: &Path, b: &Path) -> io::Result<()> {
    use rustix::fs::{CWD, RenameFlags, renameat_with};
    renameat_with(CWD, a, CWD, b, RenameFlags::EXCHANGE).map_err(io::Error::from)
}

/// Swaps two directories in one atomic step (not available here).
#[cfg(not(target_os = "linux"))]
fn exchange(_a: &Path, _b: &Path) -> io::Result<()> {
    Err(io::Error::from(io::ErrorKind::Unsupported))
}

fn failure(path: &Path, what: &str, error: &io::Error) -> Box<Diagnostic> {
    Box::new(
        Diagnostic::error(Code::Publish, format!("{what}: {error}"))
            .at(Span::file_only(path))
            .note("the published site was left as it was"),
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::paths::OutputPath;
    use std::os::unix::fs::MetadataExt;

    fn output(path: &str, text: &str) -> Output {
        Output {
            path: OutputPath::file(path).unwrap(),
            bytes: text.as_bytes().to_vec(),
        }
    }

    #[test]
    fn unchanged_files_keep_their_inode_and_deleted_files_disappear() {
        let dir = tempfile::tempdir().unwrap();
        let public = dir.path().join("public");
        let first = [output("a/index.html", "A"), output("b/index.html", "B")];
        let report = publish(&first, &public).unwrap();
        assert_eq!(report.written, 2);
        assert!(public.join(MARKER).is_file());
        let inode = fs::metadata(public.join("a/index.html")).unwrap().ino();

        let second = [output("a/index.html", "A"), output("c/index.html", "C")];
        let report = publish(&second, &public).unwrap();
        assert_eq!(
            report,
            Published {
                written: 1,
                unchanged: 1,
                removed: 1
            }
        );
        assert_eq!(
            fs::metadata(public.join("a/index.html")).unwrap().ino(),
            inode
        );
        assert!(!public.join("b").exists());
        assert_eq!(
            fs::read_to_string(public.join("c/index.html")).unwrap(),
            "C"
        );
        let leftovers: Vec<_> = fs::read_dir(dir.path()).unwrap().collect();
        assert_eq!(leftovers.len(), 1, "staging folders left behind");
    }
}
