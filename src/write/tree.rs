//! Folder trees of sites: the files one has that another lacks, and files
//! replaced by links without a moment when they are missing.

use std::fs;
use std::io;
use std::path::{Path, PathBuf};

use rayon::prelude::*;
use walkdir::WalkDir;

use super::MARKER;

/// What to do with the files [`files_not_in`] finds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Found {
    /// Count them.
    Count,
    /// Count and remove them, and the folders they leave empty.
    Remove,
}

/// How many files of the tree at `root` are not among the paths `keep`
/// (relative to `root`, `/`-separated); dossier's marker is neither counted
/// nor removed. The top-level folders are walked in parallel.
pub fn files_not_in(root: &Path, keep: &foldhash::HashSet<&str>, found: Found) -> usize {
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
                    if found == Found::Remove {
                        // Removes the folder only if it is empty.
                        let _ = fs::remove_dir(item.path());
                    }
                    continue;
                }
                let relative = item
                    .path()
                    .strip_prefix(root)
                    .ok()
                    .and_then(Path::to_str)
                    .map(|s| s.replace('\\', "/"));
                let stray = relative.is_some_and(|r| r != MARKER && !keep.contains(r.as_str()));
                if stray {
                    count += 1;
                    if found == Found::Remove {
                        let _ = fs::remove_file(item.path());
                    }
                }
            }
            count
        })
        .sum()
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
