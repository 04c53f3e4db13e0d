//! Files written for the user to own: a new project (`dossier init`) and
//! the built-in theme (`dossier theme eject`). Both write files that are
//! built into the binary, and never replace a file without being told to.

use std::fmt;
use std::fs;
use std::io::{self, Write};
use std::path::{Path, PathBuf};

use include_dir::{Dir, include_dir};

use crate::load::Project;
use crate::render::theme::builtin;

/// The project `dossier init` writes: a short briefing that builds without
/// an error or a warning and cites its source in full.
static STARTER: Dir<'static> = include_dir!("$CARGO_MANIFEST_DIR/starter");

/// Why nothing was written.
#[derive(Debug)]
pub enum Refusal {
    /// The folder for a new project holds files already.
    NotEmpty {
        /// The folder.
        dir: PathBuf,
        /// Some of what it holds, by name, sorted.
        entries: Vec<String>,
    },
    /// The path for a new project is a file.
    NotAFolder(PathBuf),
    /// The folder is not a dossier project: it has no `site.toml`.
    NotAProject(PathBuf),
    /// The files would replace files of the project.
    Exists {
        /// The files, relative to the project.
        files: Vec<PathBuf>,
    },
    /// `themes/` or `themes/default/` is a symbolic link that leads out of
    /// the project.
    Outside(PathBuf),
    /// A file or folder could not be written.
    Io {
        /// Where.
        path: PathBuf,
        /// Why.
        error: io::Error,
    },
}

/// How many names a refusal lists before it counts the rest.
const LISTED: usize = 5;

impl Refusal {
    /// What would resolve it.
    pub fn help(&self) -> String {
        match self {
            Refusal::NotEmpty { dir, .. } => format!(
                "start the project in a new folder (`dossier init {}`), or empty this one",
                dir.join("briefing").display()
            ),
            Refusal::NotAFolder(_) => "name a folder, new or empty".to_string(),
            Refusal::NotAProject(_) => {
                "run it in the project's root folder, or pass `--root DIR`".to_string()
            }
            Refusal::Exists { .. } => {
                "pass `--force` to replace them with the built-in files".to_string()
            }
            Refusal::Outside(_) => {
                "dossier writes nothing outside the project: make it a folder of the project"
                    .to_string()
            }
            Refusal::Io { .. } => "check the folder's permissions and free space".to_string(),
        }
    }
}

impl fmt::Display for Refusal {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Refusal::NotEmpty { dir, entries } => write!(
                f,
                "{} is not empty: it holds {}",
                dir.display(),
                listed(entries.iter().map(|name| format!("`{name}`")))
            ),
            Refusal::NotAFolder(path) => write!(f, "{} is a file, not a folder", path.display()),
            Refusal::NotAProject(root) => write!(
                f,
                "{} is not a dossier project: it has no site.toml",
                root.display()
            ),
            Refusal::Exists { files } => write!(
                f,
                "the project has {} already: {}",
                crate::write::files_phrase(files.len()),
                listed(files.iter().map(|file| format!("`{}`", file.display())))
            ),
            Refusal::Outside(path) => write!(
                f,
                "{} is a symbolic link that leads outside the project",
                path.display()
            ),
            Refusal::Io { path, error } => write!(f, "cannot write {}: {error}", path.display()),
        }
    }
}

/// The first [`LISTED`] of `names` joined, then how many more there are.
fn listed(names: impl ExactSizeIterator<Item = String>) -> String {
    let total = names.len();
    let mut shown: Vec<String> = names.take(LISTED).collect();
    if total > LISTED {
        shown.push(format!("and {} more", total - LISTED));
    }
    shown.join(", ")
}

/// Writes a new project into `dir` (made if it does not exist): the files
/// of `starter/` in dossier's repository, as they were when the binary was
/// built. Refuses a folder that holds anything but hidden files and
/// folders (`.git`), and a hidden file that the project has too
/// (`.gitignore`). Returns the files written, relative to `dir`, sorted.
pub fn init(dir: &Path) -> Result<Vec<PathBuf>, Refusal> {
    let files = starter_files();
    if dir.exists() && !dir.is_dir() {
        return Err(Refusal::NotAFolder(dir.to_path_buf()));
    }
    if dir.is_dir() {
        let entries = fs::read_dir(dir).map_err(|error| io_error(dir, error))?;
        let mut held: Vec<String> = entries
            .filter_map(Result::ok)
            .map(|entry| entry.file_name().to_string_lossy().into_owned())
            .filter(|name| {
                !name.starts_with('.') || files.iter().any(|(path, _)| path == Path::new(name))
            })
            .collect();
        if !held.is_empty() {
            held.sort();
            return Err(Refusal::NotEmpty {
                dir: dir.to_path_buf(),
                entries: held,
            });
        }
    }
    fs::create_dir_all(dir).map_err(|error| io_error(dir, error))?;
    for (path, bytes) in &files {
        write_new(&dir.join(path), bytes).map_err(|error| io_error(&dir.join(path), error))?;
    }
    Ok(files.into_iter().map(|(path, _)| path).collect())
}

/// What `dossier theme eject` did.
#[derive(Debug, Default)]
pub struct Ejected {
    /// The files written, relative to the project, sorted.
    pub written: Vec<PathBuf>,
    /// Of those, the ones that replaced a file of the project (`--force`).
    pub replaced: usize,
}

/// Writes every file of the built-in theme into `themes/default/` of
/// `project`, where it overrides the built-in file of the same name.
/// Refuses to replace a file the project has unless `force`, naming them.
pub fn eject(project: &Project, force: bool) -> Result<Ejected, Refusal> {
    if !project.config_path().is_file() {
        return Err(Refusal::NotAProject(project.root().to_path_buf()));
    }
    let theme_dir = Path::new("themes").join(builtin::NAME);
    for folder in [project.themes_dir(), project.root().join(&theme_dir)] {
        if !project.holds(&folder) {
            return Err(Refusal::Outside(project.relative(&folder)));
        }
    }
    let files: Vec<(PathBuf, &[u8])> = builtin::all()
        .into_iter()
        .map(|(path, bytes)| (theme_dir.join(path), bytes))
        .collect();
    let existing: Vec<PathBuf> = files
        .iter()
        .map(|(path, _)| path.clone())
        .filter(|path| fs::symlink_metadata(project.root().join(path)).is_ok())
        .collect();
    if !existing.is_empty() && !force {
        return Err(Refusal::Exists { files: existing });
    }
    for (path, bytes) in &files {
        let target = project.root().join(path);
        let written = if existing.contains(path) {
            replace(&target, bytes)
        } else {
            write_new(&target, bytes)
        };
        written.map_err(|error| io_error(path, error))?;
    }
    Ok(Ejected {
        written: files.into_iter().map(|(path, _)| path).collect(),
        replaced: existing.len(),
    })
}

/// The files of the starter project, with their paths, sorted.
fn starter_files() -> Vec<(PathBuf, &'static [u8])> {
    let mut files = Vec::new();
    let mut dirs = vec![&STARTER];
    while let Some(dir) = dirs.pop() {
        files.extend(
            dir.files()
                .map(|file| (file.path().to_path_buf(), file.contents())),
        );
        dirs.extend(dir.dirs());
    }
    files.sort();
    files
}

/// Writes a file that must not exist yet, with the folders it needs.
fn write_new(path: &Path, bytes: &[u8]) -> io::Result<()> {
    if let Some(parent) = path.parent() {
        fs::create_dir_all(parent)?;
    }
    fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .open(path)?
        .write_all(bytes)
}

/// Replaces a file (or a symbolic link) with a new one of `bytes`: a link
/// is replaced, never written through.
fn replace(path: &Path, bytes: &[u8]) -> io::Result<()> {
    match fs::remove_file(path) {
        Ok(()) => {}
        Err(error) if error.kind() == io::ErrorKind::NotFound => {}
        Err(error) => return Err(error),
    }
    write_new(path, bytes)
}

fn io_error(path: &Path, error: io::Error) -> Refusal {
    Refusal::Io {
        path: path.to_path_buf(),
        error,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_starter_has_the_files_of_a_project() {
        let paths: Vec<String> = starter_files()
            .iter()
            .map(|(path, _)| path.to_string_lossy().into_owned())
            .collect();
        for needed in [
            ".gitignore",
            "site.toml",
            "content/_index.md",
            "content/agencies.toml",
            "content/topics.toml",
        ] {
            assert!(paths.iter().any(|p| p == needed), "{paths:?}");
        }
        assert!(paths.iter().any(|p| p.starts_with("seeds/")), "{paths:?}");
    }

    #[test]
    fn only_hidden_files_the_starter_lacks_may_be_in_the_folder() {
        let dir = tempfile::tempdir().unwrap();
        fs::create_dir(dir.path().join(".git")).unwrap();
        assert!(init(dir.path()).is_ok());

        let dir = tempfile::tempdir().unwrap();
        fs::write(dir.path().join(".gitignore"), "x\n").unwrap();
        let refused = init(dir.path()).unwrap_err();
        assert!(
            matches!(&refused, Refusal::NotEmpty { entries, .. } if entries == &[".gitignore"]),
            "{refused:?}"
        );
        assert_eq!(
            fs::read_to_string(dir.path().join(".gitignore")).unwrap(),
            "x\n"
        );
    }
}
