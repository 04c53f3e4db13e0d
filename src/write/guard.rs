//! Refusing output directories that publishing would destroy.
//!
//! Publishing replaces the output directory whole, so it must never be the
//! project, one of its inputs, a folder above the project, the home
//! directory or the file-system root; and a folder dossier did not create
//! (one without its marker file) is only replaced when the user says so.

use std::path::{Component, Path, PathBuf};

use crate::diagnostics::{Code, Diagnostic};
use crate::source::Span;

use super::marker::{self, MARKER};
use super::tree;

/// The project folders that are inputs (or the tool's own code) and must
/// never be published over, nor contain the output.
const PROTECTED: &[&str] = &["content", "seeds", "themes", "static", "src", ".git"];

/// How many names of files a refusal lists before it counts the rest.
const LISTED: usize = 5;

/// Checks that `output` is a place a build of the project at `root` may
/// publish into at all: not the project, one of its inputs, a folder above
/// it, the home folder or the root of the file system, and a folder if it
/// exists. What the folder holds is inspected under the lock (`inspect`).
pub fn check_output_dir(root: &Path, output: &Path) -> Result<(), Box<Diagnostic>> {
    let output_abs = resolve(output);
    let root_abs = resolve(root);
    let default_help = "choose a folder of its own, such as `public` (the default)";
    if output_abs.parent().is_none() {
        return Err(refusal(
            output,
            "it is the root of the file system",
            default_help,
        ));
    }
    if let Some(home) = std::env::var_os("HOME").map(PathBuf::from)
        && !home.as_os_str().is_empty()
        && resolve(&home) == output_abs
    {
        return Err(refusal(output, "it is the home folder", default_help));
    }
    if output_abs == root_abs {
        return Err(refusal(output, "it is the project itself", default_help));
    }
    if root_abs.starts_with(&output_abs) {
        return Err(refusal(output, "it contains the project", default_help));
    }
    for name in PROTECTED {
        let protected = root_abs.join(name);
        if output_abs.starts_with(&protected) {
            let why = if output_abs == protected {
                format!("it is the project's `{name}/` folder")
            } else {
                format!("it is inside the project's `{name}/` folder")
            };
            return Err(refusal(output, &why, default_help));
        }
    }
    match std::fs::symlink_metadata(&output_abs) {
        Ok(meta) if !meta.is_dir() => Err(refusal(
            output,
            "it exists and is not a folder",
            "remove the file, or choose another output folder",
        )),
        _ => Ok(()),
    }
}

/// What the output folder held before this build.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Prior {
    /// The files dossier published there (relative, `/`-separated), but
    /// for its marker.
    pub published: Vec<String>,
    /// The files it did not publish, which `--force` allows to delete.
    pub foreign: Vec<String>,
    /// Whether the folder carries dossier's marker.
    pub marked: bool,
}

/// Reads what the output folder `output` holds, and refuses it when it
/// holds files that dossier did not publish, unless `force`. Runs under the
/// lock of [`OutputLock`](super::lock::OutputLock), so that no other build
/// changes the folder meanwhile.
pub fn inspect(output: &Path, force: bool) -> Result<Prior, Box<Diagnostic>> {
    if !output.is_dir() {
        return Ok(Prior::default());
    }
    let marker = marker::read(output);
    let (published, foreign): (Vec<String>, Vec<String>) = tree::files(output)
        .into_iter()
        .filter(|file| !(marker.is_dossiers() && file == MARKER))
        .partition(|file| marker.vouches_for(file));
    if !foreign.is_empty() && !force {
        let listed = listing(&foreign);
        return Err(if marker.is_dossiers() {
            refusal(
                output,
                &format!(
                    "it holds {} that dossier did not publish: {listed}",
                    files(foreign.len())
                ),
                "move them out of the folder (files to publish with the site belong in `content/`), or pass `--force` to delete them",
            )
        } else {
            refusal(
                output,
                &format!("the folder is not empty and dossier did not create it: {listed}"),
                "pass `--force` to replace it and delete everything in it, or choose another folder",
            )
        });
    }
    Ok(Prior {
        published,
        foreign,
        marked: marker.is_dossiers(),
    })
}

/// `1 file` or `n files`.
pub fn files(count: usize) -> String {
    if count == 1 {
        "1 file".to_string()
    } else {
        format!("{count} files")
    }
}

/// The first names of `files` in backticks, and how many more there are.
pub fn listing(files: &[String]) -> String {
    let mut names: Vec<String> = files
        .iter()
        .take(LISTED)
        .map(|f| format!("`{f}`"))
        .collect();
    if files.len() > LISTED {
        names.push(format!("and {} more", files.len() - LISTED));
    }
    names.join(", ")
}

fn refusal(output: &Path, why: &str, help: &str) -> Box<Diagnostic> {
    Box::new(
        Diagnostic::error(
            Code::UnsafeOutput,
            format!("refusing to publish into `{}`: {why}", output.display()),
        )
        .at(Span::file_only(output))
        .note("publishing replaces the output folder and everything in it")
        .help(help.to_string()),
    )
}

/// `path` made absolute and free of `.`, `..` and symbolic links, as far as
/// it exists; the rest is appended as written, with `..` applied.
fn resolve(path: &Path) -> PathBuf {
    let absolute = if path.is_absolute() {
        path.to_path_buf()
    } else {
        std::env::current_dir()
            .map(|cwd| cwd.join(path))
            .unwrap_or_else(|_| path.to_path_buf())
    };
    let mut resolved = PathBuf::new();
    for component in absolute.components() {
        match component {
            Component::Prefix(_) | Component::RootDir => resolved.push(component),
            Component::CurDir => {}
            Component::ParentDir => {
                resolved.pop();
            }
            Component::Normal(part) => {
                resolved.push(part);
                if let Ok(canonical) = resolved.canonicalize() {
                    resolved = canonical;
                }
            }
        }
    }
    resolved
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn inputs_ancestors_and_files_are_refused() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path().join("site");
        for sub in ["content/domains", "seeds", "themes", "src"] {
            std::fs::create_dir_all(root.join(sub)).unwrap();
        }
        std::fs::write(root.join("a-file"), "x").unwrap();
        let refused = |output: &Path| check_output_dir(&root, output).is_err();
        assert!(refused(&root));
        assert!(refused(&root.join("content")));
        assert!(refused(&root.join("content/domains/out")));
        assert!(refused(&root.join("seeds")));
        assert!(refused(&root.join("themes")));
        assert!(refused(&root.join("src")));
        assert!(refused(dir.path()));
        assert!(refused(Path::new("/")));
        assert!(refused(&root.join("public/../content")));
        assert!(refused(&root.join("a-file")));
        assert!(!refused(&root.join("public")));
    }

    #[test]
    fn foreign_files_are_refused_unless_forced() {
        let dir = tempfile::tempdir().unwrap();
        let foreign = dir.path().join("mine");
        std::fs::create_dir_all(&foreign).unwrap();
        std::fs::write(foreign.join("notes.txt"), "keep").unwrap();
        assert!(inspect(&foreign, false).is_err());
        // A file that merely has the marker's name proves nothing.
        std::fs::write(foreign.join(MARKER), "cfg").unwrap();
        assert!(inspect(&foreign, false).is_err());
        let forced = inspect(&foreign, true).unwrap();
        assert_eq!(forced.foreign, [".dossier", "notes.txt"]);
        assert!(!forced.marked);

        // dossier's marker vouches for the files it lists, no others.
        marker::write(&foreign, &["index.html"]).unwrap();
        std::fs::write(foreign.join("index.html"), "site").unwrap();
        let refused = inspect(&foreign, false).unwrap_err();
        assert!(
            refused
                .message
                .contains("1 file that dossier did not publish: `notes.txt`"),
            "{}",
            refused.message
        );
        std::fs::remove_file(foreign.join("notes.txt")).unwrap();
        let prior = inspect(&foreign, false).unwrap();
        assert_eq!(
            prior,
            Prior {
                published: vec!["index.html".into()],
                foreign: vec![],
                marked: true
            }
        );
    }
}
