//! Refusing output directories that publishing would destroy.
//!
//! Publishing replaces the output directory whole, so it must never be the
//! project, one of its inputs, a folder above the project, the home
//! directory or the file-system root; and a folder dossier did not create
//! (one without its marker file) is only replaced when the user says so.

use std::path::{Component, Path, PathBuf};

use crate::diagnostics::{Code, Diagnostic};
use crate::source::Span;

/// The file dossier puts in every output directory it publishes, so that it
/// knows the folder is its own to replace.
pub const MARKER: &str = ".dossier";

/// The text of the marker file.
pub const MARKER_TEXT: &str = "This folder is a site published by dossier.\nEach build replaces it whole: edit the project, not these files.\n";

/// The project folders that are inputs (or the tool's own code) and must
/// never be published over, nor contain the output.
const PROTECTED: &[&str] = &["content", "seeds", "themes", "src", ".git"];

/// Checks that `output` may be replaced by a build of the project at
/// `root`. `force` allows replacing a non-empty folder that dossier did not
/// create.
pub fn check_output_dir(root: &Path, output: &Path, force: bool) -> Result<(), Box<Diagnostic>> {
    let output_abs = resolve(output);
    let root_abs = resolve(root);
    let refuse = |why: String, help: &str| {
        Err(Box::new(
            Diagnostic::error(
                Code::UnsafeOutput,
                format!("refusing to publish into `{}`: {why}", output.display()),
            )
            .at(Span::file_only(output))
            .note("publishing replaces the output folder and everything in it")
            .help(help.to_string()),
        ))
    };
    let default_help = "choose a folder of its own, such as `public` (the default)";
    if output_abs.parent().is_none() {
        return refuse("it is the root of the file system".into(), default_help);
    }
    if let Some(home) = std::env::var_os("HOME").map(PathBuf::from)
        && !home.as_os_str().is_empty()
        && resolve(&home) == output_abs
    {
        return refuse("it is the home folder".into(), default_help);
    }
    if output_abs == root_abs {
        return refuse("it is the project itself".into(), default_help);
    }
    if root_abs.starts_with(&output_abs) {
        return refuse("it contains the project".into(), default_help);
    }
    for name in PROTECTED {
        let protected = root_abs.join(name);
        if output_abs.starts_with(&protected) {
            let why = if output_abs == protected {
                format!("it is the project's `{name}/` folder")
            } else {
                format!("it is inside the project's `{name}/` folder")
            };
            return refuse(why, default_help);
        }
    }
    match std::fs::symlink_metadata(&output_abs) {
        Err(_) => Ok(()),
        Ok(meta) if !meta.is_dir() => refuse(
            "it exists and is not a folder".into(),
            "remove the file, or choose another output folder",
        ),
        Ok(_) => {
            let empty = std::fs::read_dir(&output_abs)
                .map(|mut entries| entries.next().is_none())
                .unwrap_or(false);
            if empty || force || output_abs.join(MARKER).is_file() {
                Ok(())
            } else {
                refuse(
                    "the folder is not empty and dossier did not create it".into(),
                    "pass `--force` to replace it and everything in it, or choose another folder",
                )
            }
        }
    }
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
    fn inputs_ancestors_and_foreign_folders_are_refused() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path().join("site");
        for sub in ["content/domains", "seeds", "themes", "src"] {
            std::fs::create_dir_all(root.join(sub)).unwrap();
        }
        let refused = |output: &Path, force: bool| check_output_dir(&root, output, force).is_err();
        assert!(refused(&root, false));
        assert!(refused(&root.join("content"), true));
        assert!(refused(&root.join("content/domains/out"), true));
        assert!(refused(&root.join("seeds"), true));
        assert!(refused(&root.join("themes"), true));
        assert!(refused(&root.join("src"), true));
        assert!(refused(dir.path(), true));
        assert!(refused(Path::new("/"), true));
        assert!(refused(&root.join("public/../content"), true));
        assert!(!refused(&root.join("public"), false));

        let foreign = root.join("mine");
        std::fs::create_dir_all(&foreign).unwrap();
        std::fs::write(foreign.join("notes.txt"), "keep").unwrap();
        assert!(refused(&foreign, false));
        assert!(!refused(&foreign, true));
        std::fs::write(foreign.join(MARKER), MARKER_TEXT).unwrap();
        assert!(!refused(&foreign, false));
    }
}
