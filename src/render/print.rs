//! The print page: the whole briefing on one page, in reading order. The
//! home page comes first, then each section's index and its pages, depth
//! first, then the agencies and topics as an index at the back.
//!
//! Each page becomes a chapter whose anchors get the chapter's id as a
//! prefix, so ids stay unique on the one page: the passage `visits-p1` of
//! `domains/space/index.html` is `#domains-space--visits-p1` there. Links
//! between pages of the print page become links to those anchors; links to
//! pages that are not on it (sources, files) lead from `print/` to them.

use std::collections::{BTreeMap, BTreeSet, HashMap};

use lol_html::html_content::Element;
use lol_html::{RewriteStrSettings, element, rewrite_str};
use serde::Serialize;

use crate::links::{self, TermKind, layout};
use crate::markdown::Anchors;
use crate::model::{PageId, PassageRef, SectionId, Site, Term};
use crate::paths::join_relative;

use super::citations::{self, CitationNote};
use super::view;

/// A link on the print page.
#[derive(Serialize, Debug, Clone, PartialEq, Eq)]
pub struct PrintLink {
    /// The words of the link.
    pub title: String,
    /// Where it leads: `#anchor` on the print page.
    pub href: String,
}

/// One page of the site as a chapter of the print page.
#[derive(Serialize, Debug)]
pub struct Chapter<'a> {
    /// The chapter's anchor, the prefix of every anchor in it.
    pub id: String,
    /// `home`, `section` or `page`.
    pub kind: &'static str,
    /// The page's title.
    pub title: String,
    /// Its summary.
    pub summary: Option<String>,
    /// The page's body, its headings one level down and its links
    /// rewritten for the print page.
    pub html: String,
    /// For a section: its pages, in reading order.
    pub pages: Vec<PrintLink>,
    /// The notes of its citation markers, numbered from 1 in each chapter:
    /// the source, the passage and the words cited.
    pub citations: Vec<CitationNote<'a>>,
}

/// An agency or topic in the index at the back of the print page.
#[derive(Serialize, Debug)]
pub struct PrintTerm {
    /// Its anchor on the print page.
    pub id: String,
    /// Its full name.
    pub name: String,
    /// Its short name (the name when there is none).
    pub short: String,
    /// One line about it.
    pub description: String,
    /// Other names.
    pub aliases: Vec<String>,
    /// The chapters that name it, in reading order.
    pub pages: Vec<PrintLink>,
    /// The passages that mention it: `Page › Heading`, in reading order.
    pub mentions: Vec<PrintLink>,
}

/// The agencies of one kind within one country.
#[derive(Serialize, Debug)]
pub struct PrintKindGroup {
    /// The kind of body, readable.
    pub label: &'static str,
    /// The agencies, by name.
    pub terms: Vec<PrintTerm>,
}

/// The agencies of one country, grouped by kind.
#[derive(Serialize, Debug)]
pub struct PrintCountry {
    /// The country's name, as `site.toml` declares it (or its code).
    pub label: String,
    /// Its anchor on the print page.
    pub id: String,
    /// The groups by kind.
    pub kinds: Vec<PrintKindGroup>,
}

/// Everything the print page shows.
#[derive(Serialize, Debug)]
pub struct PrintView<'a> {
    /// The pages, in reading order.
    pub chapters: Vec<Chapter<'a>>,
    /// The anchor of the agency index.
    pub agencies_id: String,
    /// The agencies, grouped by country and kind.
    pub countries: Vec<PrintCountry>,
    /// The anchor of the topic index.
    pub topics_id: String,
    /// The topics, by name.
    pub topics: Vec<PrintTerm>,
    /// The agencies by page, each cell leading to the first passage.
    pub matrix: Option<view::Matrix<'a>>,
}

/// The links of the matrix on the print page: to the chapters and the
/// agencies' entries, a cell to the first passage in its chapter.
struct PrintMatrixLinks<'t, 'a> {
    site: &'a Site,
    targets: &'t Targets<'a>,
}

impl view::MatrixLinks for PrintMatrixLinks<'_, '_> {
    fn column(&self, output: &str) -> String {
        format!("#{}", self.targets.id(output))
    }

    fn agency(&self, term: &Term) -> String {
        format!("#{}", self.targets.id(term.output.as_str()))
    }

    fn passage(&self, _: &Term, at: PassageRef) -> String {
        let page = self.site.page(at.page);
        let passage = page
            .body
            .passages
            .get(at.passage)
            .map_or("", |p| p.id.as_str());
        format!("#{}--{passage}", self.targets.id(page.output.as_str()))
    }
}

/// What a page of the site is on the print page.
struct Target<'a> {
    /// Its chapter's anchor.
    id: String,
    /// The anchors of the page, when its body is on the print page.
    anchors: Option<&'a Anchors>,
}

/// Where every page of the print page is, by output path.
struct Targets<'a> {
    by_path: BTreeMap<String, Target<'a>>,
    taken: BTreeSet<String>,
}

impl<'a> Targets<'a> {
    /// Gives the page at `path` a chapter anchor that no other page has.
    fn add(&mut self, path: &str, anchors: Option<&'a Anchors>) -> String {
        let base = chapter_id(path);
        let mut id = base.clone();
        let mut n = 2;
        while !self.taken.insert(id.clone()) {
            id = format!("{base}-{n}");
            n += 1;
        }
        self.by_path.insert(
            path.to_string(),
            Target {
                id: id.clone(),
                anchors,
            },
        );
        id
    }

    fn id(&self, path: &str) -> String {
        self.by_path
            .get(path)
            .map(|t| t.id.clone())
            .unwrap_or_default()
    }

    /// The `href` that replaces `href`, written in the page at `from`.
    fn href(&self, from: &str, own_id: &str, href: &str) -> String {
        if let Some(fragment) = href.strip_prefix('#') {
            return if fragment.is_empty() {
                format!("#{own_id}")
            } else {
                format!("#{own_id}--{fragment}")
            };
        }
        if is_external(href) {
            return href.to_string();
        }
        let (path, fragment) = match href.split_once('#') {
            Some((path, fragment)) => (path, Some(fragment)),
            None => (href, None),
        };
        let decoded = links::percent_decode(path);
        let from_dir = from.rsplit_once('/').map_or("", |(dir, _)| dir);
        let Some(site_path) = join_relative(from_dir, &decoded) else {
            return href.to_string();
        };
        match self.by_path.get(&site_path) {
            Some(target) => match fragment {
                Some(fragment)
                    if target
                        .anchors
                        .is_some_and(|a| a.contains(&links::percent_decode(fragment))) =>
                {
                    format!("#{}--{fragment}", target.id)
                }
                _ => format!("#{}", target.id),
            },
            None => {
                let mut out = print_root();
                let _ = pulldown_cmark_escape::escape_href(&mut out, &site_path);
                if let Some(fragment) = fragment {
                    out.push('#');
                    out.push_str(fragment);
                }
                out
            }
        }
    }

    /// The `src` that replaces `src`, written in the page at `from`.
    fn src(&self, from: &str, src: &str) -> String {
        if is_external(src) || src.starts_with('#') {
            return src.to_string();
        }
        let from_dir = from.rsplit_once('/').map_or("", |(dir, _)| dir);
        match join_relative(from_dir, &links::percent_decode(src)) {
            Some(site_path) => {
                let mut out = print_root();
                let _ = pulldown_cmark_escape::escape_href(&mut out, &site_path);
                out
            }
            None => src.to_string(),
        }
    }

    /// `html`, written for the page at `from`, rewritten for the chapter
    /// `own_id`: every `id` prefixed, every link and image source redirected,
    /// every heading one level down (the chapter's title is the `h2`).
    fn rewrite(&self, html: &str, from: &str, own_id: &str) -> Result<String, String> {
        let prefix_id = |el: &mut Element| {
            if let Some(id) = el.get_attribute("id") {
                el.set_attribute("id", &format!("{own_id}--{id}"))?;
            }
            Ok(())
        };
        let link = |el: &mut Element| {
            if let Some(href) = el.get_attribute("href") {
                el.set_attribute("href", &self.href(from, own_id, &href))?;
            }
            Ok(())
        };
        let image = |el: &mut Element| {
            if let Some(src) = el.get_attribute("src") {
                el.set_attribute("src", &self.src(from, &src))?;
            }
            Ok(())
        };
        let heading = |el: &mut Element| {
            let level = el
                .tag_name()
                .strip_prefix('h')
                .and_then(|n| n.parse::<u8>().ok());
            if let Some(level) = level {
                el.set_tag_name(&format!("h{}", (level + 1).min(6)))?;
            }
            Ok(())
        };
        rewrite_str(
            html,
            RewriteStrSettings::new()
                .append_element_content_handler(element!("[id]", prefix_id))
                .append_element_content_handler(element!("a[href]", link))
                .append_element_content_handler(element!("img[src]", image))
                .append_element_content_handler(element!("h1, h2, h3, h4, h5", heading)),
        )
        .map_err(|error| format!("cannot rewrite the page `{from}` for the print page: {error}"))
    }
}

/// The way from the print page back to the site root.
fn print_root() -> String {
    layout::print().root()
}

/// Whether `href` leaves the site: a scheme (`https:`, `mailto:`) or `//`.
fn is_external(href: &str) -> bool {
    if href.starts_with("//") {
        return true;
    }
    let end = href.find(['/', '?', '#']).unwrap_or(href.len());
    href[..end].contains(':')
}

/// The anchor of a page's chapter: its directory, `/` as `-`; `home` for
/// the site root. Slugs never hold `--`, which separates it from the
/// anchors inside the chapter.
///
/// ```
/// use dossier::render::print::chapter_id;
/// assert_eq!(chapter_id("domains/space/index.html"), "domains-space");
/// assert_eq!(chapter_id("index.html"), "home");
/// ```
pub fn chapter_id(path: &str) -> String {
    let dir = path
        .strip_suffix("index.html")
        .unwrap_or(path)
        .trim_end_matches('/');
    if dir.is_empty() {
        "home".to_string()
    } else {
        dir.replace('/', "-")
    }
}

/// The print page of `site`.
pub fn view(site: &Site) -> Result<PrintView<'_>, String> {
    let mut targets = Targets {
        by_path: BTreeMap::new(),
        taken: BTreeSet::new(),
    };
    let order = site.sections_in_reading_order();
    // Every anchor first, so that links to later chapters resolve.
    let mut placed: Vec<(String, SectionId, Option<PageId>)> = Vec::with_capacity(order.len());
    for &(section_id, page_id) in &order {
        let section = site.section(section_id);
        let page = page_id.or(section.index).map(|id| site.page(id));
        let path = match page_id {
            Some(id) => site.page(id).output.as_str(),
            None => section.output.as_str(),
        };
        let id = targets.add(path, page.map(|p| &p.body.anchors));
        placed.push((id, section_id, page_id));
    }
    let agencies_id = targets.add(&layout::term_index(TermKind::Agency).to_string(), None);
    for term in &site.agencies {
        targets.add(term.output.as_str(), None);
    }
    let topics_id = targets.add(&layout::term_index(TermKind::Topic).to_string(), None);
    for term in &site.topics {
        targets.add(term.output.as_str(), None);
    }

    let mut chapters = Vec::with_capacity(placed.len());
    for (id, section_id, page_id) in placed {
        let section = site.section(section_id);
        let page = page_id.or(section.index).map(|id| site.page(id));
        let from = match page_id {
            Some(id) => site.page(id).output.as_str(),
            None => section.output.as_str(),
        };
        let citations = page.map_or_else(Vec::new, |page| citations::notes(site, page));
        let html = match page.map(|page| page.body.unpacked_html()) {
            Some(html) if citations.is_empty() => targets.rewrite(&html, from, &id)?,
            Some(html) => {
                let titled = citations::titled(&html, &citations);
                targets.rewrite(&titled, from, &id)?
            }
            None => String::new(),
        };
        let kind = match (page_id, section_id) {
            (Some(_), _) => "page",
            (None, SectionId(0)) => "home",
            (None, _) => "section",
        };
        let title = match page {
            Some(page) => page.title.clone(),
            None if section_id == SectionId(0) => site.config.title.clone(),
            None => section.title.clone(),
        };
        let summary = match page {
            Some(page) => page.summary.clone(),
            None if section_id == SectionId(0) => {
                Some(site.config.description.clone()).filter(|d| !d.is_empty())
            }
            None => None,
        };
        let pages = if page_id.is_none() {
            section
                .pages
                .iter()
                .map(|&p| {
                    let page = site.page(p);
                    PrintLink {
                        title: page.title.clone(),
                        href: format!("#{}", targets.id(page.output.as_str())),
                    }
                })
                .collect()
        } else {
            Vec::new()
        };
        chapters.push(Chapter {
            id,
            kind,
            title,
            summary,
            html,
            pages,
            citations,
        });
    }

    let terms: HashMap<&str, &Term> = site
        .agencies
        .iter()
        .map(|t| (t.entry.id.value.as_str(), t))
        .collect();
    let countries = view::agencies_by_country(site)
        .into_iter()
        .map(|country| PrintCountry {
            label: country.label.to_string(),
            id: format!("{agencies_id}--{}", country.country.to_lowercase()),
            kinds: country
                .kinds
                .into_iter()
                .map(|group| PrintKindGroup {
                    label: group.label,
                    terms: group
                        .agencies
                        .iter()
                        .filter_map(|card| terms.get(card.chip.id))
                        .map(|term| print_term(site, &targets, term))
                        .collect(),
                })
                .collect(),
        })
        .collect();
    let mut topics: Vec<&Term> = site.topics.iter().collect();
    topics.sort_by_cached_key(|t| t.entry.name.to_lowercase());
    let topics = topics
        .into_iter()
        .map(|term| print_term(site, &targets, term))
        .collect();

    let matrix = view::Matrix::new(
        site,
        &PrintMatrixLinks {
            site,
            targets: &targets,
        },
    );
    Ok(PrintView {
        matrix,
        chapters,
        agencies_id,
        countries,
        topics_id,
        topics,
    })
}

/// `term` as the index at the back lists it.
fn print_term(site: &Site, targets: &Targets<'_>, term: &Term) -> PrintTerm {
    let entry = &term.entry;
    let pages = term
        .pages
        .iter()
        .map(|&id| {
            let page = site.page(id);
            PrintLink {
                title: page.title.clone(),
                href: format!("#{}", targets.id(page.output.as_str())),
            }
        })
        .collect();
    let terms = site.terms(term.kind);
    let within = term.within(terms);
    let mut mentions: Vec<PrintLink> = term
        .listed
        .iter()
        .map(|at| {
            let page = site.page(at.page);
            let passage = &page.body.passages[at.passage];
            let heading = page.body.heading_of(at.passage).map(|p| p.text());
            let mut title = match heading {
                Some(heading) => format!("{} › {}", page.title, view::words(heading)),
                None => page.title.clone(),
            };
            if !passage
                .terms()
                .contains(&(term.kind, term.entry.id.value.as_str()))
            {
                let named: Vec<&str> = passage
                    .terms()
                    .into_iter()
                    .filter(|&(kind, _)| kind == term.kind)
                    .filter_map(|(_, id)| {
                        within
                            .iter()
                            .map(|&i| &terms[i].entry)
                            .find(|entry| entry.id.value == id)
                    })
                    .map(|entry| entry.short.as_str())
                    .collect();
                if !named.is_empty() {
                    title = format!("{title} ({})", named.join(", "));
                }
            }
            PrintLink {
                title,
                href: format!("#{}--{}", targets.id(page.output.as_str()), passage.id),
            }
        })
        .collect();
    number_repeated_titles(&mut mentions);
    PrintTerm {
        id: targets.id(term.output.as_str()),
        name: entry.name.clone(),
        short: entry.short.clone(),
        description: entry.description.clone(),
        aliases: entry.aliases.iter().map(|a| a.value.clone()).collect(),
        pages,
        mentions,
    }
}

/// Gives links that share their words a number from the second on
/// (`Space › Visits`, `Space › Visits (2)`), so that each reads apart.
fn number_repeated_titles(links: &mut [PrintLink]) {
    let mut titles: Vec<&mut String> = links.iter_mut().map(|link| &mut link.title).collect();
    view::number_repeated(&mut titles);
}

#[cfg(test)]
mod tests {
    use super::*;

    fn targets(anchors: &Anchors) -> Targets<'_> {
        let mut targets = Targets {
            by_path: BTreeMap::new(),
            taken: BTreeSet::new(),
        };
        targets.add("index.html", None);
        targets.add("domains/space/index.html", Some(anchors));
        targets.add("agencies/isro/index.html", None);
        targets
    }

    #[test]
    fn links_between_printed_pages_become_anchors_of_the_print_page() {
        let anchors: Anchors = ["visits".to_string()].into_iter().collect();
        let targets = targets(&anchors);
        let from = "domains/defense/index.html";
        let cases = [
            (
                "../../domains/space/index.html#visits",
                "#domains-space--visits",
            ),
            ("../../domains/space/index.html#nowhere", "#domains-space"),
            ("../space/index.html", "#domains-space"),
            ("../../agencies/isro/index.html", "#agencies-isro"),
            ("../../index.html#launch", "#home"),
            ("#p1", "#domains-defense--p1"),
            (
                "../../sources/fact-sheet/index.html#space-p1",
                "../sources/fact-sheet/index.html#space-p1",
            ),
            ("https://example.org/a#b", "https://example.org/a#b"),
            ("mailto:a@example.org", "mailto:a@example.org"),
        ];
        for (href, expected) in cases {
            assert_eq!(
                targets.href(from, "domains-defense", href),
                expected,
                "{href}"
            );
        }
    }

    #[test]
    fn rewritten_chapters_prefix_ids_and_lower_headings() {
        let anchors = Anchors::default();
        let targets = targets(&anchors);
        let html = "<h2 id=\"visits\">Visits <a class=\"anchor\" href=\"#visits\">#</a></h2>\n\
                    <p id=\"visits-p1\"><img src=\"img/map.png\" alt=\"map\"></p>";
        let out = targets
            .rewrite(html, "domains/space/index.html", "domains-space")
            .unwrap();
        assert_eq!(
            out,
            "<h3 id=\"domains-space--visits\">Visits <a class=\"anchor\" href=\"#domains-space--visits\">#</a></h3>\n\
             <p id=\"domains-space--visits-p1\"><img src=\"../domains/space/img/map.png\" alt=\"map\"></p>"
        );
    }

    #[test]
    fn repeated_mention_titles_are_numbered() {
        let link = |title: &str| PrintLink {
            title: title.to_string(),
            href: "#x".to_string(),
        };
        let mut links = vec![
            link("Space › Visits"),
            link("Space"),
            link("Space › Visits"),
        ];
        number_repeated_titles(&mut links);
        let titles: Vec<&str> = links.iter().map(|l| l.title.as_str()).collect();
        assert_eq!(titles, ["Space › Visits", "Space", "Space › Visits (2)"]);
    }

    #[test]
    fn chapter_ids_stay_unique() {
        let anchors = Anchors::default();
        let mut targets = targets(&anchors);
        assert_eq!(
            targets.add("domains-space/index.html", None),
            "domains-space-2"
        );
    }
}
