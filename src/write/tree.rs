//! Folder trees of sites: the files one has that another lacks, and files
//! replaced by links without a moment when they are missing.

use std::fs;
use std::io;
use std::path::{Path, PathBuf};

use rayon::prelude::*;
use walkdir::WalkDir;

use super::MARKER;

/// Removes the files of the tree at `root` that are not among the paths
/// `keep` (relative to `root`, `/`-separated), and the folders they leave
/// empty; dossier's marker stays. Returns how many files it removed. The
/// top-level folders are walked in parallel.
pub fn remove_files_not_in(root: &Path, keep: &foldhash::HashSet<&str>) -> usize {
    let Ok(entries) = fs::read_dir(root) else {
        return 0;
    };
    let entries: Vec<PathBuf> = entries.filter_map(|e| e.ok().map(|e| e.path())).collect();
    entries
        .par_iter()
        .map(|entry| {
            let mut count = 0;
            for item in WalkDir::new(entry)
                .contents_first(true)
                .into_iter()
                .flatten()
            {
                if item.file_type().is_dir() {
                    // Removes the folder only if it is empty.
                    let _ = fs::remove_dir(item.path());
                    continue;
                }
                let relative = item
                    .path()
                    .strip_prefix(root)
                    .ok()
                    .and_then(Path::to_str)
                    .map(|s| s.replace('\\', "/"));
                let stray = relative.is_some_and(|r| r != MARKER && !keep.contains(r.as_str()));
                if stray && fs::remove_file(item.path()).is_ok() {
                    count += 1;
                }
            }
            count
        })
        .sum()
}

/// Every file of the tree at `root` (anything but a folder: links too),
/// relative to `root` and `/`-separated, sorted. The top-level folders are
/// walked in parallel.
pub fn files(root: &Path) -> Vec<String> {
    let Ok(entries) = fs::read_dir(root) else {
        return Vec::new();
    };
    let entries: Vec<PathBuf> = entries.filter_map(|e| e.ok().map(|e| e.path())).collect();
    let mut files: Vec<String> = entries
        .par_iter()
        .flat_map_iter(|entry| {
            WalkDir::new(entry)
                .into_iter()
                .flatten()
                .filter(|item| !item.file_type().is_dir())
                .filter_map(|item| {
                    let relative = item.path().strip_prefix(root).ok()?;
                    Some(relative.to_string_lossy().replace('\\', "/"))
                })
                .collect::<Vec<_>>()
        })
        .collect();
    files.sort_unstable();
    files
}

/// Makes `target` a hard link to `published`, replacing in one step
/// whatever `target` was.
pub fn link_in_place(published: &Path, target: &Path) -> io::Result<()> {
    let name = target.file_name().unwrap_or_default().to_string_lossy();
    let link = target.with_file_name(format!(".{name}.dossier-link"));
    let _ = fs::remove_file(&link);
    fs::hard_link(published, &link)?;
    fs::rename(&link, target).inspect_err(|_| {
        let _ = fs::remove_file(&link);
    })
}

/// Whether `a` and `b` are the same file (hard links to one inode).
pub fn same_file(a: &Path, b: &Path) -> bool {
    #[cfg(unix)]
    {
        use std::os::unix::fs::MetadataExt;
        match (fs::symlink_metadata(a), fs::symlink_metadata(b)) {
            (Ok(a), Ok(b)) => a.dev() == b.dev() && a.ino() == b.ino(),
            _ => false,
        }
    }
    #[cfg(not(unix))]
    {
        let _ = (a, b);
        false
    }
}
