//! dossier's marker: the file `.dossier` in every folder it publishes,
//! which proves the folder is its own and lists the files it published
//! there.
//!
//! The marker starts with [`MARKER_TEXT`]; a file of that name with other
//! bytes proves nothing. After the text, one line per published file, in
//! order: a file in the folder that the list does not name is not
//! dossier's, and is never moved or deleted without `--force`. A marker of
//! an earlier version, with the text alone, vouches for every file.

use std::collections::BTreeSet;
use std::fs;
use std::io::{self, Read, Write};
use std::path::Path;

use rayon::prelude::*;

/// The name of the marker file.
pub const MARKER: &str = ".dossier";

/// The text the marker starts with.
pub const MARKER_TEXT: &str = "This folder is a site published by dossier.\nEach build replaces it whole: edit the project, not these files.\n";

/// The line between the text and the list of files.
const FILES_HEADING: &str = "\nFiles published:\n";

/// What a folder's marker says.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Marker {
    /// No marker, or a file of that name that is not dossier's.
    Absent,
    /// dossier's marker without a list: every file is dossier's.
    Unlisted,
    /// dossier's marker with the files it published.
    Listed(BTreeSet<String>),
}

impl Marker {
    /// Whether the folder is proven dossier's.
    pub fn is_dossiers(&self) -> bool {
        !matches!(self, Marker::Absent)
    }

    /// Whether the marker vouches for the file at `relative`.
    pub fn vouches_for(&self, relative: &str) -> bool {
        match self {
            Marker::Absent => false,
            Marker::Unlisted => true,
            Marker::Listed(files) => files.contains(relative),
        }
    }
}

/// Reads the marker of the folder `dir`.
pub fn read(dir: &Path) -> Marker {
    let path = dir.join(MARKER);
    let Ok(meta) = fs::symlink_metadata(&path) else {
        return Marker::Absent;
    };
    if !meta.is_file() {
        return Marker::Absent;
    }
    let mut text = String::new();
    if fs::File::open(&path)
        .and_then(|file| file.take(meta.len()).read_to_string(&mut text))
        .is_err()
    {
        return Marker::Absent;
    }
    let Some(rest) = text.strip_prefix(MARKER_TEXT) else {
        return Marker::Absent;
    };
    match rest.strip_prefix(FILES_HEADING) {
        Some(list) => Marker::Listed(list.lines().map(str::to_string).collect()),
        None if rest.is_empty() => Marker::Unlisted,
        None => Marker::Absent,
    }
}

/// Whether the folder `dir` carries dossier's marker.
pub fn is_marked(dir: &Path) -> bool {
    read(dir).is_dossiers()
}

/// Writes the marker of the folder `dir`, listing `files` (relative,
/// `/`-separated, sorted); replaces the one there in one step, so that the
/// folder is never without it.
pub fn write(dir: &Path, files: &[&str]) -> io::Result<()> {
    let mut text = String::with_capacity(
        MARKER_TEXT.len() + FILES_HEADING.len() + files.iter().map(|f| f.len() + 1).sum::<usize>(),
    );
    text.push_str(MARKER_TEXT);
    text.push_str(FILES_HEADING);
    for file in files {
        text.push_str(file);
        text.push('\n');
    }
    let fresh = dir.join(format!("{MARKER}.new"));
    let mut out = fs::File::create(&fresh)?;
    out.write_all(text.as_bytes())?;
    drop(out);
    fs::rename(&fresh, dir.join(MARKER))
}

/// Removes the folder `dir`, which carries dossier's marker, and all in it,
/// the marker last: a removal cut short leaves a folder that is still
/// marked, and the next build knows to remove it.
pub fn remove_marked_tree(dir: &Path) -> io::Result<()> {
    let entries: Vec<_> = fs::read_dir(dir)?
        .filter_map(Result::ok)
        .filter(|entry| entry.file_name() != MARKER)
        .collect();
    entries.par_iter().try_for_each(|entry| {
        let path = entry.path();
        match entry.file_type() {
            Ok(kind) if kind.is_dir() => fs::remove_dir_all(&path),
            _ => fs::remove_file(&path),
        }
    })?;
    match fs::remove_file(dir.join(MARKER)) {
        Err(error) if error.kind() != io::ErrorKind::NotFound => return Err(error),
        _ => {}
    }
    fs::remove_dir(dir)
}

/// Whether the folder `dir` holds nothing but pieces of a marker being
/// written (a build killed as it started one).
pub fn holds_only_a_marker(dir: &Path) -> bool {
    fs::read_dir(dir).is_ok_and(|entries| {
        entries.filter_map(Result::ok).all(|entry| {
            let name = entry.file_name();
            name == MARKER || name == format!("{MARKER}.new").as_str()
        })
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_dossiers_own_text_proves_a_folder() {
        let dir = tempfile::tempdir().unwrap();
        assert_eq!(read(dir.path()), Marker::Absent);
        fs::write(dir.path().join(MARKER), "cfg\n").unwrap();
        assert_eq!(read(dir.path()), Marker::Absent);
        fs::write(dir.path().join(MARKER), format!("{MARKER_TEXT}and more")).unwrap();
        assert_eq!(read(dir.path()), Marker::Absent);
        fs::write(dir.path().join(MARKER), MARKER_TEXT).unwrap();
        assert_eq!(read(dir.path()), Marker::Unlisted);
        write(dir.path(), &["a/index.html", "index.html"]).unwrap();
        let marker = read(dir.path());
        assert!(marker.vouches_for("a/index.html"));
        assert!(!marker.vouches_for("notes.txt"));
        assert!(!dir.path().join(".dossier.new").exists());
    }

    #[test]
    fn a_marked_tree_is_removed_marker_last() {
        let dir = tempfile::tempdir().unwrap();
        let tree = dir.path().join("t");
        fs::create_dir_all(tree.join("a/b")).unwrap();
        fs::write(tree.join("a/b/index.html"), "x").unwrap();
        write(&tree, &["a/b/index.html"]).unwrap();
        remove_marked_tree(&tree).unwrap();
        assert!(!tree.exists());
    }
}
