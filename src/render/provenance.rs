//! What source pages and the coverage page show: each passage of a source
//! with the passages of pages that cite it.
//!
//! A source page's body gets a note after each cited passage,
//! `<span class="cited-by">Cited by <a href="...">Space › Visits</a></span>`,
//! written into the HTML at the place the Markdown pass recorded
//! ([`Passage::html_end`](crate::markdown::Passage::html_end)).

use std::hash::Hash;

use serde::Serialize;

use super::cards::Cards;
use super::deps::Parts;
use super::view::{self, CoverageView, SourceCard, TocItem, escape_into};
use crate::fingerprint::Hasher;
use crate::model::coverage::{self, Coverage};
use crate::model::drift::PassageDrift;
use crate::model::{PassageRef, Site, Source};

/// A passage of a page that cites a source passage.
#[derive(Serialize, Debug, Clone, PartialEq, Eq)]
pub struct CitingPassage<'a> {
    /// The page's title.
    pub page: &'a str,
    /// The page, relative to the site root.
    pub page_path: &'a str,
    /// The title of the heading the passage is under, if any.
    pub section: Option<String>,
    /// Its position under that heading (or before the first), from 1.
    pub number: usize,
    /// The passage: its page and anchor, relative to the site root.
    pub path: String,
}

impl<'a> CitingPassage<'a> {
    /// The passage at `at`.
    pub fn new(site: &'a Site, at: PassageRef) -> Self {
        let page = site.page(at.page);
        let passages = &page.body.passages;
        let passage = passages.get(at.passage);
        let heading = passage.and_then(|p| p.heading);
        let anchor = passage.map_or("", |p| p.id.as_str());
        CitingPassage {
            page: &page.title,
            page_path: page.output.as_str(),
            section: heading.map(|h| words(passages[h].text())),
            number: at.passage - heading.map_or(0, |h| h + 1) + 1,
            path: format!("{}#{anchor}", page.output),
        }
    }
}

/// The passages of one page that cite a source passage, by heading.
#[derive(Serialize, Debug, Clone, PartialEq, Eq)]
pub struct CitingPage<'a> {
    /// The page's title.
    pub title: &'a str,
    /// The page, relative to the site root.
    pub path: &'a str,
    /// The headings the passages are under, in reading order.
    pub sections: Vec<CitingSection<'a>>,
}

/// The passages under one heading of a page that cite a source passage.
#[derive(Serialize, Debug, Clone, PartialEq, Eq)]
pub struct CitingSection<'a> {
    /// The heading's title; none before the first heading.
    pub title: Option<String>,
    /// The passages, in reading order.
    pub passages: Vec<CitingPassage<'a>>,
}

/// `cited_by` (in reading order) grouped by page, then by heading.
pub fn by_page<'a>(cited_by: &[CitingPassage<'a>]) -> Vec<CitingPage<'a>> {
    let mut pages: Vec<CitingPage> = Vec::new();
    for citing in cited_by {
        if pages
            .last()
            .is_none_or(|page| page.path != citing.page_path)
        {
            pages.push(CitingPage {
                title: citing.page,
                path: citing.page_path,
                sections: Vec::new(),
            });
        }
        let Some(page) = pages.last_mut() else {
            continue;
        };
        match page.sections.last_mut() {
            Some(section) if section.title == citing.section => {
                section.passages.push(citing.clone());
            }
            _ => page.sections.push(CitingSection {
                title: citing.section.clone(),
                passages: vec![citing.clone()],
            }),
        }
    }
    pages
}

/// `text` with its runs of white space made single spaces.
fn words(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// A passage of a source with the page passages that cite it.
#[derive(Serialize)]
pub struct SourcePassageView<'a> {
    /// The passage's anchor.
    pub id: &'a str,
    /// The passage on its source page, relative to the site root.
    pub path: String,
    /// Its text.
    pub text: String,
    /// Whether pages should cite it (see [`coverage::is_substantive`]).
    pub substantive: bool,
    /// What `sources.lock` recorded of it, when its words changed since.
    pub changed_from: Option<&'a str>,
    /// The page passages that cite it, in reading order.
    pub cited_by: Vec<CitingPassage<'a>>,
    /// The same, grouped by page and heading.
    pub cited_by_pages: Vec<CitingPage<'a>>,
}

/// The passages of `source`, each with what cites it.
fn passages<'a>(site: &'a Site, source: &'a Source) -> Vec<SourcePassageView<'a>> {
    source
        .body
        .passages
        .iter()
        .zip(&source.passage_cited_by)
        .zip(&source.drift)
        .map(|((passage, cited_by), drift)| {
            let cited_by: Vec<CitingPassage> = cited_by
                .iter()
                .map(|&at| CitingPassage::new(site, at))
                .collect();
            SourcePassageView {
                id: &passage.id,
                path: format!("{}#{}", source.output, passage.id),
                text: words(passage.text()),
                substantive: coverage::is_substantive(passage),
                changed_from: match drift {
                    PassageDrift::Changed(locked) => Some(&locked.text),
                    _ => None,
                },
                cited_by_pages: by_page(&cited_by),
                cited_by,
            }
        })
        .collect()
}

/// A source document with everything its page shows.
#[derive(Serialize)]
pub struct SourceView<'a> {
    /// The card: title, slug, path, date, address.
    #[serde(flatten)]
    pub card: SourceCard<'a>,
    /// The body, with a "cited by" note after each cited passage.
    pub html: String,
    /// The table of contents.
    pub toc: Vec<TocItem<'a>>,
    /// The pages that cite it: [`PageCard`](super::view::PageCard)s.
    pub cited_by: Vec<&'a tera::Value>,
    /// Its passages, each with what cites it.
    pub passages: Vec<SourcePassageView<'a>>,
}

impl SourceView<'_> {
    /// Hashes into `h` what the notes on the passages of the source at
    /// `index` read of the passages citing them: each citing page's card
    /// and body.
    pub(super) fn fingerprint_citing(parts: &Parts, site: &Site, index: usize, h: &mut Hasher) {
        for cited_by in &site.sources[index].passage_cited_by {
            cited_by.len().hash(h);
            for at in cited_by {
                (parts.card(at.page), parts.body(at.page), at.passage).hash(h);
            }
        }
    }
}

impl<'a> SourceView<'a> {
    /// The view of the source at `index`, with the cards of `site` made by
    /// `cards`.
    pub fn new(site: &'a Site, cards: &'a Cards, index: usize) -> Self {
        let source = &site.sources[index];
        let passages = passages(site, source);
        SourceView {
            card: SourceCard::new(source),
            html: annotated_html(source, &passages, &source.output.root()),
            toc: view::toc(&source.body.headings),
            cited_by: cards.pages(site, &source.cited_by),
            passages,
        }
    }
}

/// The body of `source` with a note after each cited passage; `root` leads
/// from the source's page to the site root.
fn annotated_html(source: &Source, passages: &[SourcePassageView], root: &str) -> String {
    let html = &source.body.html;
    let mut notes: Vec<(usize, String)> = source
        .body
        .passages
        .iter()
        .zip(passages)
        .filter(|(_, view)| !view.cited_by.is_empty())
        .filter_map(|(passage, view)| Some((passage.html_end?, note(view, root))))
        .filter(|(at, _)| html.is_char_boundary(*at))
        .collect();
    notes.sort_by_key(|(at, _)| *at);
    let mut out =
        String::with_capacity(html.len() + notes.iter().map(|(_, n)| n.len()).sum::<usize>());
    let mut written = 0;
    for (at, note) in notes {
        out.push_str(&html[written..at]);
        out.push_str(&note);
        written = at;
    }
    out.push_str(&html[written..]);
    out
}

/// The "cited by" note of a passage: for each citing page, a link to it,
/// then a link to each citing passage, named by its heading (or
/// "opening" before the first), with `¶n` links when a heading has several.
fn note(passage: &SourcePassageView, root: &str) -> String {
    let cited_by = &passage.cited_by;
    let mut html = String::new();
    if passage.changed_from.is_some() {
        html.push_str(
            " <span class=\"changed\">Changed since the citations were accepted (sources.lock)</span>",
        );
    }
    html.push_str(" <span class=\"cited-by\"><span class=\"cited-by-label\">Cited by</span> ");
    let link = |html: &mut String, path: &str, text: &str| {
        html.push_str("<a href=\"");
        escape_into(html, root);
        escape_into(html, path);
        html.push_str("\">");
        escape_into(html, text);
        html.push_str("</a>");
    };
    for (i, page) in by_page(cited_by).iter().enumerate() {
        if i > 0 {
            html.push_str("; ");
        }
        link(&mut html, page.path, page.title);
        html.push_str(": ");
        for (j, section) in page.sections.iter().enumerate() {
            if j > 0 {
                html.push_str(" · ");
            }
            let title = section.title.as_deref().unwrap_or("opening");
            match section.passages.as_slice() {
                [one] => link(&mut html, &one.path, title),
                many => {
                    escape_into(&mut html, title);
                    for passage in many {
                        html.push(' ');
                        link(&mut html, &passage.path, &format!("¶{}", passage.number));
                    }
                }
            }
        }
    }
    html.push_str("</span>\n");
    html
}

/// A source as the coverage page lists it.
#[derive(Serialize)]
pub struct SourceCoverage<'a> {
    /// The card: title, slug, path, date, address, coverage.
    #[serde(flatten)]
    pub card: SourceCard<'a>,
    /// Its substantive passages, each with what cites it.
    pub passages: Vec<SourcePassageView<'a>>,
}

/// Every source with its coverage, and the figures of all of them.
pub fn coverage(site: &Site) -> (Vec<SourceCoverage<'_>>, CoverageView) {
    let sources: Vec<SourceCoverage> = site
        .sources
        .iter()
        .map(|source| SourceCoverage {
            card: SourceCard::new(source),
            passages: passages(site, source)
                .into_iter()
                .filter(|p| p.substantive)
                .collect(),
        })
        .collect();
    let total = Coverage::sum(site.sources.iter().map(Coverage::of)).into();
    (sources, total)
}
