//! What templates see: small serialisable views that borrow from the
//! [`Site`]. Views hold references to the shared model,
//! never copies of it, and the cards of other pages and the chips of
//! agencies and topics as the values [`Cards`](super::Cards) made once for the whole
//! site, so building a page's context costs little more than the page
//! itself. The theme's contract is documented in the README ("Themes").

use std::hash::Hash;

mod matrix;
mod page;
mod term;

use serde::Serialize;

use super::theme::SiteFiles;
use crate::links::{TermKind, layout};
use crate::markdown::Heading;
use crate::model::coverage::Coverage;
use crate::model::{Site, Source};
use crate::toml_fields::Date;
pub use matrix::*;
pub use page::*;
pub use term::*;

/// The site's settings.
#[derive(Serialize)]
pub struct SiteView<'a> {
    /// `title` of `site.toml`.
    pub title: &'a str,
    /// `description` of `site.toml`.
    pub description: &'a str,
    /// `language` of `site.toml`.
    pub language: &'a str,
    /// `base_url` of `site.toml`, ending in `/`.
    pub base_url: Option<&'a str>,
    /// Whether the site has a print page (`print_page` of `site.toml`).
    pub print_page: bool,
    /// The favicon, relative to the site root (`favicon` of `site.toml`).
    pub favicon: Option<String>,
    /// The logo, relative to the site root (`logo` of `site.toml`).
    pub logo: Option<String>,
    /// The accent colour on light backgrounds, `#rrggbb`, when `site.toml`
    /// sets one (`accent`).
    pub accent: Option<String>,
    /// The accent colour on dark backgrounds, when `site.toml` sets one
    /// (`accent_dark`).
    pub accent_dark: Option<String>,
}

impl<'a> SiteView<'a> {
    /// The settings of `site`, with the files it names where `files` says.
    pub fn new(site: &'a Site, files: &SiteFiles) -> Self {
        let path = |file: &Option<crate::paths::OutputPath>| {
            file.as_ref().map(|path| path.as_str().to_string())
        };
        SiteView {
            title: &site.config.title,
            description: &site.config.description,
            language: &site.config.language,
            base_url: site.config.base_url.as_deref(),
            print_page: site.config.print_page,
            favicon: path(&files.favicon),
            logo: path(&files.logo),
            accent: site.config.accent.map(crate::colour::Rgb::hex),
            accent_dark: site.config.accent_dark.map(crate::colour::Rgb::hex),
        }
    }
}

/// A link in the site's navigation.
#[derive(Serialize, Debug, Clone, PartialEq, Eq, Hash)]
pub struct NavItem {
    /// The words of the link.
    pub title: String,
    /// The output path it leads to, relative to the site root.
    pub path: String,
}

/// The navigation: the top-level sections, then the indexes.
pub fn nav(site: &Site) -> Vec<NavItem> {
    let mut items: Vec<NavItem> = site.sections[0]
        .subsections
        .iter()
        .map(|id| {
            let section = site.section(*id);
            NavItem {
                title: section.title.clone(),
                path: section.output.to_string(),
            }
        })
        .collect();
    let indexes = [
        (
            !site.agencies.is_empty(),
            "Agencies",
            layout::term_index(TermKind::Agency),
        ),
        (
            !site.topics.is_empty(),
            "Topics",
            layout::term_index(TermKind::Topic),
        ),
        (!site.sources.is_empty(), "Sources", layout::sources()),
    ];
    for (shown, title, path) in indexes {
        if shown {
            items.push(NavItem {
                title: title.into(),
                path: path.to_string(),
            });
        }
    }
    items
}

/// A date, machine- and human-readable.
#[derive(Serialize)]
pub struct DateView {
    /// `2023-01-31`.
    pub iso: String,
    /// `31 January 2023`.
    pub display: String,
}

impl From<Date> for DateView {
    fn from(date: Date) -> Self {
        const MONTHS: [&str; 12] = [
            "January",
            "February",
            "March",
            "April",
            "May",
            "June",
            "July",
            "August",
            "September",
            "October",
            "November",
            "December",
        ];
        let month = MONTHS
            .get(usize::from(date.month).saturating_sub(1))
            .copied()
            .unwrap_or("");
        DateView {
            iso: date.to_string(),
            display: format!("{} {month} {}", date.day, date.year),
        }
    }
}

/// An entry of a table of contents.
#[derive(Serialize, Debug, PartialEq, Eq)]
pub struct TocItem<'a> {
    /// The heading's anchor.
    pub id: &'a str,
    /// The heading's text.
    pub title: &'a str,
    /// The headings one level below it.
    pub children: Vec<TocItem<'a>>,
}

/// The table of contents of `headings`: the two shallowest levels, nested.
pub fn toc(headings: &[Heading]) -> Vec<TocItem<'_>> {
    let Some(top) = headings.iter().map(|h| h.level).min() else {
        return Vec::new();
    };
    let mut items: Vec<TocItem> = Vec::new();
    for heading in headings {
        let item = TocItem {
            id: &heading.id,
            title: &heading.title,
            children: Vec::new(),
        };
        if heading.level == top {
            items.push(item);
        } else if heading.level == top + 1 {
            match items.last_mut() {
                Some(parent) => parent.children.push(item),
                None => items.push(item),
            }
        }
    }
    items
}

/// The coverage figures of one source or of all of them.
#[derive(Serialize, Debug, Clone, Copy, PartialEq, Eq)]
pub struct CoverageView {
    /// Substantive passages cited.
    pub cited: usize,
    /// Substantive passages.
    pub total: usize,
    /// The share cited, in whole percent rounded down; none without
    /// substantive passages.
    pub percent: Option<usize>,
    /// Whether every substantive passage is cited.
    pub complete: bool,
}

impl From<Coverage> for CoverageView {
    fn from(coverage: Coverage) -> Self {
        CoverageView {
            cited: coverage.cited,
            total: coverage.total,
            percent: coverage.percent(),
            complete: coverage.is_complete(),
        }
    }
}

/// A source document as listed elsewhere.
#[derive(Serialize)]
pub struct SourceCard<'a> {
    /// The document's title.
    pub title: &'a str,
    /// Its slug, as pages cite it.
    pub slug: &'a str,
    /// Its page, relative to the site root.
    pub path: &'a str,
    /// Its date.
    pub date: Option<DateView>,
    /// Where it was first published.
    pub source_url: Option<&'a str>,
    /// How many pages cite it.
    pub cited_by: usize,
    /// How many of its substantive passages pages cite.
    pub coverage: CoverageView,
}

impl<'a> SourceCard<'a> {
    /// The card of `source`.
    pub fn new(source: &'a Source) -> Self {
        SourceCard {
            title: &source.seed.title,
            slug: &source.seed.slug,
            path: source.output.as_str(),
            date: source.seed.date.map(DateView::from),
            source_url: source.seed.source_url.as_deref(),
            cited_by: source.cited_by.len(),
            coverage: Coverage::of(source).into(),
        }
    }
}

/// Appends `text` to `out`, escaped for HTML text and attributes.
pub fn escape_into(out: &mut String, text: &str) {
    // Writing into a String cannot fail.
    let _ = pulldown_cmark_escape::escape_html(out, text);
}

#[cfg(test)]
mod tests {
    use super::*;

    fn heading(level: u8, id: &str) -> Heading {
        Heading {
            level,
            id: id.into(),
            title: id.into(),
        }
    }

    #[test]
    fn toc_nests_the_two_shallowest_levels() {
        let headings = [
            heading(2, "a"),
            heading(3, "a1"),
            heading(4, "deep"),
            heading(2, "b"),
        ];
        let toc = toc(&headings);
        assert_eq!(toc.len(), 2);
        assert_eq!(toc[0].children.len(), 1);
        assert_eq!(toc[0].children[0].id, "a1");
        assert!(toc[1].children.is_empty());
        assert_eq!(parts(&headings), 2);
    }

    #[test]
    fn dates_read_naturally() {
        let view = DateView::from(Date {
            year: 2023,
            month: 1,
            day: 31,
        });
        assert_eq!(view.display, "31 January 2023");
        assert_eq!(view.iso, "2023-01-31");
    }

    #[test]
    fn escaping_covers_text_and_attributes() {
        let mut out = String::new();
        escape_into(&mut out, "</script><b a=\"x\">'&");
        assert_eq!(out, "&lt;/script&gt;&lt;b a=&quot;x&quot;&gt;&#39;&amp;");
    }
}
