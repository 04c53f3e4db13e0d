//! What templates see: small serialisable views that borrow from the
//! [`Site`](crate::model::Site). The theme's contract is documented in the
//! README ("Themes").

use serde::Serialize;

use crate::links::TermKind;
use crate::markdown::Heading;
use crate::model::{Page, Section, Site, Term};
use crate::toml_fields::Date;

/// The site's settings.
#[derive(Serialize)]
pub struct SiteView<'a> {
    pub title: &'a str,
    pub description: &'a str,
    pub language: &'a str,
    pub base_url: Option<&'a str>,
}

impl<'a> SiteView<'a> {
    pub fn new(site: &'a Site) -> Self {
        SiteView {
            title: &site.config.title,
            description: &site.config.description,
            language: &site.config.language,
            base_url: site.config.base_url.as_deref(),
        }
    }
}

/// A link in the site's navigation.
#[derive(Serialize)]
pub struct NavItem {
    pub title: String,
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
    if !site.agencies.is_empty() {
        items.push(NavItem {
            title: "Agencies".into(),
            path: "agencies/index.html".into(),
        });
    }
    if !site.topics.is_empty() {
        items.push(NavItem {
            title: "Topics".into(),
            path: "topics/index.html".into(),
        });
    }
    if !site.sources.is_empty() {
        items.push(NavItem {
            title: "Sources".into(),
            path: "sources/index.html".into(),
        });
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
            "January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
            "November", "December",
        ];
        let month = MONTHS.get(usize::from(date.month).saturating_sub(1)).copied().unwrap_or("");
        DateView {
            iso: date.to_string(),
            display: format!("{} {month} {}", date.day, date.year),
        }
    }
}

/// A page as listed elsewhere.
#[derive(Serialize)]
pub struct PageCard<'a> {
    pub title: &'a str,
    pub summary: Option<&'a str>,
    pub path: &'a str,
    pub date: Option<DateView>,
    /// How many top-level parts (headings) the page has.
    pub parts: usize,
    pub words: usize,
    pub agencies: usize,
    pub topics: usize,
}

impl<'a> PageCard<'a> {
    pub fn new(page: &'a Page) -> Self {
        let top = page.body.headings.iter().map(|h| h.level).min();
        PageCard {
            title: &page.title,
            summary: page.summary.as_deref(),
            path: page.output.as_str(),
            date: page.date.map(DateView::from),
            parts: page.body.headings.iter().filter(|h| Some(h.level) == top).count(),
            words: page.body.word_count,
            agencies: page.agencies.len(),
            topics: page.topics.len(),
        }
    }
}

/// A registry entry as listed elsewhere.
#[derive(Serialize)]
pub struct TermCard<'a> {
    pub id: &'a str,
    pub kind: &'static str,
    pub name: &'a str,
    pub short: &'a str,
    pub description: &'a str,
    pub aliases: Vec<&'a str>,
    pub path: &'a str,
    pub country: Option<&'a str>,
    pub country_label: Option<String>,
    pub kind_label: Option<&'static str>,
    pub mentions: usize,
    pub pages: usize,
}

impl<'a> TermCard<'a> {
    pub fn new(term: &'a Term) -> Self {
        TermCard {
            id: &term.entry.id.value,
            kind: term.kind.scheme(),
            name: &term.entry.name,
            short: &term.entry.short,
            description: &term.entry.description,
            aliases: term.entry.aliases.iter().map(|a| a.value.as_str()).collect(),
            path: term.output.as_str(),
            country: term.agency.as_ref().map(|(country, _)| country.as_str()),
            country_label: term.agency.as_ref().map(|(country, _)| country_label(country)),
            kind_label: term.agency.as_ref().map(|(_, kind)| kind.label()),
            mentions: term.mentions.len(),
            pages: term.pages.len(),
        }
    }
}

/// A readable name for a country code of the agency registry.
pub fn country_label(code: &str) -> String {
    match code {
        "US" => "United States".to_string(),
        "IN" => "India".to_string(),
        "joint" => "Joint bodies".to_string(),
        other => other.to_string(),
    }
}

/// An entry of a table of contents.
#[derive(Serialize, Debug, PartialEq, Eq)]
pub struct TocItem {
    pub id: String,
    pub title: String,
    pub children: Vec<TocItem>,
}

/// The table of contents of `headings`: the two shallowest levels, nested.
pub fn toc(headings: &[Heading]) -> Vec<TocItem> {
    let Some(top) = headings.iter().map(|h| h.level).min() else {
        return Vec::new();
    };
    let mut items: Vec<TocItem> = Vec::new();
    for heading in headings {
        let item = TocItem {
            id: heading.id.clone(),
            title: heading.title.clone(),
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

/// A section as listed on its parent's page.
#[derive(Serialize)]
pub struct SectionCard<'a> {
    pub title: &'a str,
    pub summary: Option<&'a str>,
    pub path: &'a str,
    pub pages: Vec<PageCard<'a>>,
}

impl<'a> SectionCard<'a> {
    pub fn new(site: &'a Site, section: &'a Section) -> Self {
        SectionCard {
            title: &section.title,
            summary: section.index.and_then(|id| site.page(id).summary.as_deref()),
            path: section.output.as_str(),
            pages: section.pages.iter().map(|id| PageCard::new(site.page(*id))).collect(),
        }
    }
}

/// A label for a registry.
pub fn kind_title(kind: TermKind) -> &'static str {
    match kind {
        TermKind::Agency => "Agency",
        TermKind::Topic => "Topic",
    }
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
        let toc = toc(&[heading(2, "a"), heading(3, "a1"), heading(4, "deep"), heading(2, "b")]);
        assert_eq!(toc.len(), 2);
        assert_eq!(toc[0].children.len(), 1);
        assert_eq!(toc[0].children[0].id, "a1");
        assert!(toc[1].children.is_empty());
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
}
