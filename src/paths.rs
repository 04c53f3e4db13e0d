//! Slugs, output paths and relative URLs.
//!
//! Every page is written to `<dir>/index.html` and every internal link is
//! relative (`../../agencies/nasa/index.html`), so a site works from disk, from
//! a USB stick and from any sub-path of a web server.

use std::fmt;
use std::sync::Arc;

use serde::Serialize;

/// Turns text into a URL- and anchor-friendly slug: lowercase letters and
/// digits (any script), words joined by single hyphens, nothing else.
///
/// ```
/// use dossier::paths::slugify;
/// assert_eq!(slugify("Commercial Lunar Payload Services (CLPS)"), "commercial-lunar-payload-services-clps");
/// assert_eq!(slugify("5G, 6G and Open RAN"), "5g-6g-and-open-ran");
/// assert_eq!(slugify("  Science, Technology: Math!  "), "science-technology-math");
/// assert_eq!(slugify("Ünïcode straße"), "ünïcode-straße");
/// assert_eq!(slugify("!!!"), "");
/// ```
pub fn slugify(text: &str) -> String {
    let mut slug = String::with_capacity(text.len());
    let mut pending_hyphen = false;
    for c in text.chars() {
        if c.is_alphanumeric() {
            // Lowercasing can add combining marks (`İ` gives `i̇`): only
            // letters and digits are kept, so that a slug slugifies to itself.
            for lower in c.to_lowercase().filter(|l| l.is_alphanumeric()) {
                if pending_hyphen && !slug.is_empty() {
                    slug.push('-');
                }
                pending_hyphen = false;
                slug.push(lower);
            }
        } else if c.is_whitespace() || c == '-' || c == '_' || c == '/' || c == '.' {
            pending_hyphen = true;
        }
    }
    slug
}

/// Where a file of the built site goes, relative to the output directory:
/// always a file, never absolute, `/`-separated, no `.` or `..` components.
/// Shared text: copies cost no allocation.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct OutputPath(Arc<str>);

impl Serialize for OutputPath {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(&self.0)
    }
}

impl OutputPath {
    /// The page whose directory is `dir` (`""` for the site root, or slugs
    /// joined by `/`): `<dir>/index.html`.
    ///
    /// ```
    /// use dossier::paths::OutputPath;
    /// assert_eq!(OutputPath::page("").as_str(), "index.html");
    /// assert_eq!(OutputPath::page("agencies/nasa").as_str(), "agencies/nasa/index.html");
    /// ```
    pub fn page(dir: &str) -> OutputPath {
        if dir.is_empty() {
            OutputPath(Arc::from("index.html"))
        } else {
            OutputPath(Arc::from([dir, "/index.html"].concat()))
        }
    }

    /// A file at `path` (already normalised, relative, `/`-separated).
    ///
    /// Returns `None` for anything that could escape the output directory.
    pub fn file(path: &str) -> Option<OutputPath> {
        let safe = !path.is_empty()
            && !path.starts_with('/')
            && !path.ends_with('/')
            && !path.contains('\\')
            && path
                .split('/')
                .all(|part| !part.is_empty() && part != "." && part != "..");
        safe.then(|| OutputPath(Arc::from(path)))
    }

    /// The path as a string.
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// The relative prefix that leads from this file back to the site root:
    /// `""` at the root, `"../"` one level down, and so on.
    ///
    /// ```
    /// use dossier::paths::OutputPath;
    /// assert_eq!(OutputPath::page("").root(), "");
    /// assert_eq!(OutputPath::page("domains/space").root(), "../../");
    /// ```
    pub fn root(&self) -> String {
        "../".repeat(self.0.matches('/').count())
    }

    /// The directory of the file (`""` at the root).
    pub fn dir(&self) -> &str {
        self.0.rsplit_once('/').map_or("", |(dir, _)| dir)
    }

    /// The relative link from the file `from` to this one: the file's name
    /// when the two share a folder, the way back to the root and the whole
    /// path otherwise.
    ///
    /// ```
    /// use dossier::paths::OutputPath;
    /// let script = OutputPath::file("search/index.js").unwrap();
    /// assert_eq!(script.relative_to(&OutputPath::page("search")), "index.js");
    /// assert_eq!(script.relative_to(&OutputPath::page("a/b")), "../../search/index.js");
    /// ```
    pub fn relative_to(&self, from: &OutputPath) -> String {
        if self.dir() == from.dir() {
            let name = self.0.rsplit_once('/').map_or(&*self.0, |(_, name)| name);
            name.to_string()
        } else {
            [from.root().as_str(), &self.0].concat()
        }
    }
}

impl fmt::Display for OutputPath {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// Joins a relative link `target` to the directory `base` (both
/// `/`-separated, relative to the same root), resolving `.` and `..`.
/// A target that starts with `/` is taken from the root. Returns `None` when
/// the result would climb above the root.
///
/// ```
/// use dossier::paths::join_relative;
/// assert_eq!(join_relative("domains", "space.md").as_deref(), Some("domains/space.md"));
/// assert_eq!(join_relative("domains", "../_index.md").as_deref(), Some("_index.md"));
/// assert_eq!(join_relative("domains", "/domains/./space.md").as_deref(), Some("domains/space.md"));
/// assert_eq!(join_relative("", "../x.md"), None);
/// ```
pub fn join_relative(base: &str, target: &str) -> Option<String> {
    let mut parts: Vec<&str> = Vec::new();
    let (start, rest) = match target.strip_prefix('/') {
        Some(rest) => ("", rest),
        None => (base, target),
    };
    for part in start.split('/').chain(rest.split('/')) {
        match part {
            "" | "." => {}
            ".." => {
                parts.pop()?;
            }
            part => parts.push(part),
        }
    }
    Some(parts.join("/"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn output_file_paths_never_escape_the_output_directory() {
        for bad in [
            "",
            "/etc/passwd",
            "a/../../b",
            "a/./b",
            "a//b",
            "dir/",
            "a\\b",
            "..",
        ] {
            assert!(OutputPath::file(bad).is_none(), "{bad:?} accepted");
        }
        assert_eq!(
            OutputPath::file("static/style.css").unwrap().dir(),
            "static"
        );
    }

    #[test]
    fn slugs_collapse_separators() {
        assert_eq!(slugify("a -- b__c"), "a-b-c");
        assert_eq!(slugify("U.S.-India"), "u-s-india");
        assert_eq!(slugify("R&D"), "rd");
    }
}
