//! The default theme, built into the binary: a project needs no theme
//! folder of its own, and overrides a file of this one by placing a file of
//! the same name in `themes/default/`.
//!
//! The files are those of `themes/default/` in dossier's own repository
//! when the binary was built (embedded with `include_dir`). In messages they
//! are named `<built-in>/default/templates/page.html`: a path no project
//! file can have.

use std::path::PathBuf;

use include_dir::{Dir, include_dir};

/// The name of the built-in theme, and of the folder of `themes/` that
/// overrides its files.
pub const NAME: &str = "default";

/// How messages name the folder of the built-in theme.
pub const PLACE: &str = "<built-in>/default";

/// The theme's files, as they were in the repository.
static THEME: Dir<'static> = include_dir!("$CARGO_MANIFEST_DIR/themes/default");

/// One file of the built-in theme.
#[derive(Debug, Clone, Copy)]
pub struct BuiltIn {
    /// Its path inside its folder (`templates/` or `static/`),
    /// `/`-separated: `page.html`, `style.css`.
    pub path: &'static str,
    /// Its bytes.
    pub bytes: &'static [u8],
}

impl BuiltIn {
    /// How messages name the file, such as
    /// `<built-in>/default/templates/page.html`.
    pub fn shown(&self, folder: Folder) -> PathBuf {
        PathBuf::from(format!("{PLACE}/{}/{}", folder.name(), self.path))
    }
}

/// A folder of a theme.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Folder {
    /// `templates/`: Tera templates, named by their path there.
    Templates,
    /// `static/`: files copied as they are.
    Static,
}

impl Folder {
    /// The folder's name.
    pub fn name(self) -> &'static str {
        match self {
            Folder::Templates => "templates",
            Folder::Static => "static",
        }
    }
}

/// The files of one folder of the built-in theme, sorted by path. Hidden
/// files and editor backups are left out, as the walk of a project's theme
/// leaves them out.
pub fn files(folder: Folder) -> Vec<BuiltIn> {
    let mut files = Vec::new();
    if let Some(dir) = THEME.get_dir(folder.name()) {
        gather(dir, folder.name(), &mut files);
    }
    files.sort_by(|a, b| crate::load::walk_order(a.path, b.path));
    files
}

/// Every file of the built-in theme with its path inside the theme
/// (`templates/page.html`), sorted: what `dossier theme eject` writes.
pub fn all() -> Vec<(String, &'static [u8])> {
    [Folder::Templates, Folder::Static]
        .into_iter()
        .flat_map(|folder| {
            files(folder)
                .into_iter()
                .map(move |file| (format!("{}/{}", folder.name(), file.path), file.bytes))
        })
        .collect()
}

/// Adds the files below `dir` to `files`, with their paths relative to the
/// folder `base` of the theme.
fn gather(dir: &'static Dir<'static>, base: &str, files: &mut Vec<BuiltIn>) {
    for file in dir.files() {
        let Some(path) = file.path().to_str() else {
            continue;
        };
        let Some(relative) = path.strip_prefix(base).and_then(|p| p.strip_prefix('/')) else {
            continue;
        };
        if relative
            .split('/')
            .any(|part| part.starts_with('.') || part.ends_with('~'))
        {
            continue;
        }
        files.push(BuiltIn {
            path: relative,
            bytes: file.contents(),
        });
    }
    for sub in dir.dirs() {
        gather(sub, base, files);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_built_in_theme_has_its_templates_and_static_files_as_utf8() {
        let templates = files(Folder::Templates);
        let names: Vec<&str> = templates.iter().map(|f| f.path).collect();
        for needed in [
            "base.html",
            "page.html",
            "index.html",
            "404.html",
            "feed.xml",
        ] {
            assert!(names.contains(&needed), "{names:?}");
        }
        assert!(
            templates
                .iter()
                .all(|f| std::str::from_utf8(f.bytes).is_ok())
        );
        let statics: Vec<&str> = files(Folder::Static).iter().map(|f| f.path).collect();
        assert!(statics.contains(&"style.css"), "{statics:?}");
        assert_eq!(
            templates[0].shown(Folder::Templates),
            PathBuf::from("<built-in>/default/templates/404.html")
        );
        assert!(all().iter().any(|(path, _)| path == "static/style.css"));
    }
}
