//! What a link in a page points to, and the relative `href` written for it.
//!
//! Links are ordinary CommonMark links. A scheme names a registry entry or a
//! source (`agency:isro`, `topic:quantum`, `source:2023-01-31-icet-fact-sheet#space-p1`);
//! a relative path names another page (`space.md#human-spaceflight`) or a
//! file beside the content. Classifying is a pure function of the text; the
//! model checks afterwards that the target exists.

pub mod address;
pub mod layout;

use std::borrow::Cow;

use crate::paths::{OutputPath, join_relative};
use address::Scheme;
pub use address::{EXTERNAL_SCHEMES, UNSAFE_SCHEMES};
pub use layout::{asset_output_path, output_dir, page_output_path};

/// The registries a term link can point into.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum TermKind {
    /// `agency:<id>`, checked against `content/agencies.toml`.
    Agency,
    /// `topic:<id>`, checked against `content/topics.toml`.
    Topic,
}

impl TermKind {
    /// The link scheme, `agency` or `topic`.
    pub fn scheme(self) -> &'static str {
        match self {
            TermKind::Agency => "agency",
            TermKind::Topic => "topic",
        }
    }
}

/// What a link destination points to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum LinkTarget {
    /// Another Markdown page: its path relative to `content/`.
    Page {
        /// The page's path relative to `content/`, such as `domains/space.md`.
        path: String,
        /// The anchor, without `#`.
        fragment: Option<String>,
    },
    /// A heading or passage of the same page.
    Fragment(String),
    /// A registry entry.
    Term {
        /// Which registry.
        kind: TermKind,
        /// The entry's id.
        id: String,
    },
    /// A source document in `seeds/`, by slug.
    Source {
        /// The source's slug (its file name without `.md`).
        slug: String,
        /// The passage anchor, without `#`.
        fragment: Option<String>,
    },
    /// A file beside the content (an image, a PDF): its path relative to `content/`.
    Asset(String),
    /// A web address, mail address or phone number: left as written.
    External,
    /// A scheme that runs code or reads local files (`javascript:`, `file:`).
    Unsafe(String),
    /// A scheme dossier does not know.
    UnknownScheme(String),
    /// A relative path that climbs out of `content/`.
    OutsideContent,
    /// An address that starts with `//`: it takes the scheme of the page
    /// that links, which is `file:` when the site is read from disk.
    NetworkPath,
}

/// Classifies `dest`, written in a page whose directory (relative to
/// `content/`) is `page_dir`.
///
/// ```
/// use dossier::links::{classify, LinkTarget, TermKind};
/// assert_eq!(
///     classify("space.md#human-spaceflight", "domains"),
///     LinkTarget::Page { path: "domains/space.md".into(), fragment: Some("human-spaceflight".into()) }
/// );
/// assert_eq!(classify("agency:isro", ""), LinkTarget::Term { kind: TermKind::Agency, id: "isro".into() });
/// assert_eq!(classify("JavaScript:alert(1)", ""), LinkTarget::Unsafe("javascript".into()));
/// ```
pub fn classify(dest: &str, page_dir: &str) -> LinkTarget {
    let dest = address::normalized(dest);
    let dest = dest.as_ref();
    if let Some(fragment) = dest.strip_prefix('#') {
        return LinkTarget::Fragment(fragment.to_string());
    }
    if dest.starts_with("//") {
        return LinkTarget::NetworkPath;
    }
    if let Some((scheme, rest)) = address::split_scheme(dest) {
        return match scheme.to_ascii_lowercase().as_str() {
            "agency" => LinkTarget::Term {
                kind: TermKind::Agency,
                id: rest.to_string(),
            },
            "topic" => LinkTarget::Term {
                kind: TermKind::Topic,
                id: rest.to_string(),
            },
            "source" => {
                let (slug, fragment) = split_fragment(rest);
                LinkTarget::Source {
                    slug: slug.trim_end_matches(".md").to_string(),
                    fragment,
                }
            }
            _ => match address::scheme(dest) {
                Scheme::Web(_) | Scheme::Other(_) => LinkTarget::External,
                Scheme::Unsafe(scheme) => LinkTarget::Unsafe(scheme),
                Scheme::None | Scheme::Unknown(_) => LinkTarget::UnknownScheme(scheme.to_string()),
            },
        };
    }
    let (path, fragment) = split_fragment(dest);
    let path = path.split('?').next().unwrap_or_default();
    let Some(joined) = join_relative(page_dir, &percent_decode(path)) else {
        return LinkTarget::OutsideContent;
    };
    if joined.ends_with(".md") {
        LinkTarget::Page {
            path: joined,
            fragment,
        }
    } else if names_a_folder(path) || joined.is_empty() {
        LinkTarget::Page {
            path: if joined.is_empty() {
                "_index.md".to_string()
            } else {
                format!("{joined}/_index.md")
            },
            fragment,
        }
    } else {
        LinkTarget::Asset(joined)
    }
}

/// Whether a relative `path` names a folder: it ends with `/`, or is (or
/// ends with) `.` or `..`.
fn names_a_folder(path: &str) -> bool {
    let last = path.rsplit('/').next().unwrap_or(path);
    path.ends_with('/') || last == "." || last == ".."
}

fn split_fragment(text: &str) -> (&str, Option<String>) {
    match text.split_once('#') {
        Some((path, fragment)) if !fragment.is_empty() => (path, Some(fragment.to_string())),
        Some((path, _)) => (path, None),
        None => (text, None),
    }
}

/// Decodes `%XX` escapes; invalid escapes are kept as written, and so is
/// the whole text when what it decodes to is not UTF-8.
///
/// ```
/// use dossier::links::percent_decode;
/// assert_eq!(percent_decode("%C3%BCber%20uns"), "über uns");
/// assert_eq!(percent_decode("100%"), "100%");
/// assert_eq!(percent_decode("%FF%20"), "%FF%20");
/// ```
pub fn percent_decode(text: &str) -> String {
    percent_encoding::percent_decode_str(text)
        .decode_utf8()
        .map_or_else(|_| text.to_string(), Cow::into_owned)
}

/// `path` as the path of a web address: every byte but letters, digits,
/// `-`, `.`, `_`, `~` and `/` written as `%XX`.
///
/// ```
/// use dossier::links::percent_encode_path;
/// assert_eq!(percent_encode_path("content/über uns.md"), "content/%C3%BCber%20uns.md");
/// assert_eq!(percent_encode_path("a/b-c_d.e~f"), "a/b-c_d.e~f");
/// ```
pub fn percent_encode_path(path: &str) -> String {
    use std::fmt::Write as _;
    let mut out = String::with_capacity(path.len());
    for byte in path.bytes() {
        if byte.is_ascii_alphanumeric() || matches!(byte, b'-' | b'.' | b'_' | b'~' | b'/') {
            out.push(char::from(byte));
        } else {
            // Writing into a String cannot fail.
            let _ = write!(out, "%{byte:02X}");
        }
    }
    out
}

/// The `href` to write for `target` (written as `dest`) in a page whose way
/// back to the site root is `root`.
pub fn href(target: &LinkTarget, dest: &str, root: &str) -> String {
    let with_fragment = |path: OutputPath, fragment: &Option<String>| match fragment {
        Some(fragment) => format!("{root}{path}#{fragment}"),
        None => format!("{root}{path}"),
    };
    match target {
        LinkTarget::Page { path, fragment } => with_fragment(page_output_path(path), fragment),
        LinkTarget::Fragment(fragment) => format!("#{fragment}"),
        LinkTarget::Term { kind, id } => [root, layout::term(*kind, id).as_str()].concat(),
        LinkTarget::Source { slug, fragment } => with_fragment(layout::source(slug), fragment),
        LinkTarget::Asset(path) => match asset_output_path(path) {
            Some(path) => format!("{root}{path}"),
            None => "#".to_string(),
        },
        LinkTarget::External => address::normalized(dest).into_owned(),
        LinkTarget::Unsafe(_)
        | LinkTarget::UnknownScheme(_)
        | LinkTarget::OutsideContent
        | LinkTarget::NetworkPath => "#".to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn relative_links_are_resolved_against_the_page_directory() {
        assert_eq!(
            classify("../_index.md#launch", "domains"),
            LinkTarget::Page {
                path: "_index.md".into(),
                fragment: Some("launch".into())
            }
        );
        assert_eq!(
            classify("../../x.md", "domains"),
            LinkTarget::OutsideContent
        );
        assert_eq!(
            classify("img/map%20one.png", "domains"),
            LinkTarget::Asset("domains/img/map one.png".into())
        );
        assert_eq!(
            classify("domains/", ""),
            LinkTarget::Page {
                path: "domains/_index.md".into(),
                fragment: None
            }
        );
    }

    #[test]
    fn dots_name_folders_as_their_slashes_do() {
        for (dot, slash) in [(".", "./"), ("..", "../"), ("./a/..", "./a/../")] {
            assert_eq!(
                classify(dot, "domains/x"),
                classify(slash, "domains/x"),
                "{dot}"
            );
        }
        assert_eq!(
            classify(".", "domains"),
            LinkTarget::Page {
                path: "domains/_index.md".into(),
                fragment: None
            }
        );
        assert_eq!(classify("//example.org/x", ""), LinkTarget::NetworkPath);
    }

    #[test]
    fn schemes_are_sorted_into_terms_sources_external_and_unsafe() {
        assert_eq!(
            classify("source:2023-01-31-icet-fact-sheet#space-p1", ""),
            LinkTarget::Source {
                slug: "2023-01-31-icet-fact-sheet".into(),
                fragment: Some("space-p1".into())
            }
        );
        assert_eq!(classify("https://example.org/a", ""), LinkTarget::External);
        assert_eq!(classify("mailto:a@example.org", ""), LinkTarget::External);
        assert_eq!(
            classify(" javascript:alert(1)", ""),
            LinkTarget::Unsafe("javascript".into())
        );
        assert_eq!(
            classify("gopher:x", ""),
            LinkTarget::UnknownScheme("gopher".into())
        );
    }

    #[test]
    fn hrefs_are_relative_to_the_page() {
        let target = classify("space.md#human-spaceflight", "domains");
        assert_eq!(
            href(&target, "space.md#human-spaceflight", "../../"),
            "../../domains/space/index.html#human-spaceflight"
        );
        let agency = classify("agency:nasa", "domains");
        assert_eq!(
            href(&agency, "agency:nasa", "../../"),
            "../../agencies/nasa/index.html"
        );
    }
}
