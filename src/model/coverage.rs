//! How much of each source the pages cite.
//!
//! A source is covered passage by passage: every *substantive* passage (a
//! paragraph, list item or table row with at least one word) should be
//! cited by some passage of a page. Headings (a bold paragraph of a fact
//! sheet included), table header rows and lines without a word, such as
//! the `###` that closes a press release, are not substantive.

use serde::Serialize;

use super::drift::PassageDrift;
use super::{Site, Source};
use crate::diagnostics::{Code, Diagnostic};
use crate::markdown::{Passage, PassageKind};

/// Whether a passage of a source is one that pages should cite.
pub fn is_substantive(passage: &Passage) -> bool {
    !matches!(passage.kind, PassageKind::Heading | PassageKind::TableHead)
        && passage.text().chars().any(char::is_alphanumeric)
}

/// How many substantive passages of a source are cited.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct Coverage {
    /// Substantive passages cited by at least one page passage.
    pub cited: usize,
    /// Substantive passages.
    pub total: usize,
}

impl Coverage {
    /// The coverage of `source`.
    pub fn of(source: &Source) -> Coverage {
        let mut coverage = Coverage::default();
        for (passage, cited_by) in source.body.passages.iter().zip(&source.passage_cited_by) {
            if is_substantive(passage) {
                coverage.total += 1;
                coverage.cited += usize::from(!cited_by.is_empty());
            }
        }
        coverage
    }

    /// The coverage of several sources together.
    pub fn sum(coverages: impl IntoIterator<Item = Coverage>) -> Coverage {
        coverages
            .into_iter()
            .fold(Coverage::default(), |sum, c| Coverage {
                cited: sum.cited + c.cited,
                total: sum.total + c.total,
            })
    }

    /// The share of substantive passages cited, in whole percent, rounded
    /// down (so that 100 means every one); `None` when there is none.
    ///
    /// ```
    /// use dossier::model::coverage::Coverage;
    /// assert_eq!(Coverage { cited: 199, total: 200 }.percent(), Some(99));
    /// assert_eq!(Coverage { cited: 3, total: 3 }.percent(), Some(100));
    /// assert_eq!(Coverage { cited: 0, total: 0 }.percent(), None);
    /// ```
    pub fn percent(&self) -> Option<usize> {
        (self.total > 0).then(|| self.cited * 100 / self.total)
    }

    /// Whether every substantive passage is cited.
    pub fn is_complete(&self) -> bool {
        self.cited == self.total
    }
}

/// How many passages no page cites a `--min-coverage` error names.
const LISTED_UNCITED: usize = 8;

/// An error for every source of `site` whose coverage, in whole percent
/// rounded down, is below `least` (`--min-coverage`), placed at its first
/// passage that no page cites, with its figures and the anchors of the
/// passages to cite. A source without a substantive passage has nothing to
/// cite and is never below.
pub fn below(site: &Site, least: u8) -> Vec<Diagnostic> {
    let mut problems = Vec::new();
    for source in &site.sources {
        let coverage = Coverage::of(source);
        let Some(percent) = coverage.percent() else {
            continue;
        };
        if percent >= usize::from(least) {
            continue;
        }
        let uncited: Vec<&Passage> = source
            .body
            .passages
            .iter()
            .zip(&source.passage_cited_by)
            .filter(|(passage, cited_by)| is_substantive(passage) && cited_by.is_empty())
            .map(|(passage, _)| passage)
            .collect();
        let mut listed: Vec<String> = uncited
            .iter()
            .take(LISTED_UNCITED)
            .map(|passage| format!("`{}`", passage.id))
            .collect();
        if uncited.len() > LISTED_UNCITED {
            listed.push(format!("and {} more", uncited.len() - LISTED_UNCITED));
        }
        let seed = &source.seed;
        let span = match uncited.first() {
            Some(first) => {
                let start = seed.body.start + first.offset;
                let text = seed.file.text();
                let end = text[start.min(text.len())..]
                    .find('\n')
                    .map_or(text.len(), |at| start + at);
                seed.file.span(start..end)
            }
            None => seed.file.start_span(),
        };
        problems.push(
            Diagnostic::error(
                Code::LowCoverage,
                format!(
                    "the source `{}` is {percent}% cited, below the {least}% of `--min-coverage`",
                    seed.slug
                ),
            )
            .at(span)
            .label(format!(
                "no page cites this passage: {} of {} passages cited",
                coverage.cited, coverage.total
            ))
            .note(format!("not cited: {}", listed.join(", ")))
            .help("cite these passages from the pages (`dossier check --coverage` lists them with their text), or lower `--min-coverage`"),
        );
    }
    problems
}

/// One substantive passage of a source, for a coverage report.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct PassageReport {
    /// Its anchor.
    pub id: String,
    /// How many page passages cite it.
    pub cited_by: usize,
    /// Its text, spaces made single.
    pub text: String,
    /// Whether its words changed since `sources.lock` recorded them.
    pub changed: bool,
}

/// The coverage of one source, passage by passage.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct SourceReport {
    /// The slug pages cite it by.
    pub source: String,
    /// Its file, relative to the project root.
    pub file: String,
    /// Its title.
    pub title: String,
    /// Substantive passages cited.
    pub cited: usize,
    /// Substantive passages.
    pub total: usize,
    /// The share cited, in whole percent rounded down.
    pub percent: Option<usize>,
    /// Its substantive passages, in order.
    pub passages: Vec<PassageReport>,
}

impl SourceReport {
    /// The report of `source`.
    pub fn new(source: &Source) -> SourceReport {
        let coverage = Coverage::of(source);
        SourceReport {
            source: source.seed.slug.clone(),
            file: source.seed.file.path().display().to_string(),
            title: source.seed.title.clone(),
            cited: coverage.cited,
            total: coverage.total,
            percent: coverage.percent(),
            passages: source
                .body
                .passages
                .iter()
                .zip(&source.passage_cited_by)
                .zip(&source.drift)
                .filter(|((passage, _), _)| is_substantive(passage))
                .map(|((passage, cited_by), drift)| PassageReport {
                    changed: matches!(drift, PassageDrift::Changed(_)),
                    id: passage.id.clone(),
                    cited_by: cited_by.len(),
                    text: passage
                        .text()
                        .split_whitespace()
                        .collect::<Vec<_>>()
                        .join(" "),
                })
                .collect(),
        }
    }
}

/// How many characters of a passage's text a line of the table shows.
const TEXT_WIDTH: usize = 60;

/// The reports as a table for a terminal: per source, a line per
/// substantive passage (its anchor, how often it is cited, the start of
/// its text), then the figures; with several sources, the figures of all.
pub fn human(reports: &[SourceReport]) -> String {
    use std::fmt::Write as _;
    let mut out = String::new();
    let figures = |cited: usize, total: usize| match (total > 0).then(|| cited * 100 / total) {
        Some(percent) => format!("{cited} of {total} passages cited: {percent}%"),
        None => "no passage to cite".to_string(),
    };
    for report in reports {
        let _ = writeln!(out, "{} ({})", report.source, report.file);
        let width = report
            .passages
            .iter()
            .map(|p| p.id.chars().count())
            .max()
            .unwrap_or(0);
        for passage in &report.passages {
            let cited = match passage.cited_by {
                0 => "not cited".to_string(),
                1 => "cited once".to_string(),
                n => format!("cited {n}×"),
            };
            let mut text: String = passage.text.chars().take(TEXT_WIDTH).collect();
            if passage.text.chars().count() > TEXT_WIDTH {
                text.push('…');
            }
            let changed = if passage.changed {
                "  (changed since sources.lock)"
            } else {
                ""
            };
            let _ = writeln!(
                out,
                "  {:<width$}  {cited:<10}  {text}{changed}",
                passage.id
            );
        }
        let _ = writeln!(out, "  {}\n", figures(report.cited, report.total));
    }
    if reports.len() > 1 {
        let cited = reports.iter().map(|r| r.cited).sum();
        let total = reports.iter().map(|r| r.total).sum();
        let _ = writeln!(out, "all sources: {}", figures(cited, total));
    }
    out
}

/// The reports as JSON lines, one object `{"coverage": {...}}` per source.
pub fn json_lines(reports: &[SourceReport]) -> String {
    #[derive(Serialize)]
    struct Line<'a> {
        coverage: &'a SourceReport,
    }
    let mut out = String::new();
    for report in reports {
        // Serialising strings and numbers cannot fail.
        if let Ok(line) = serde_json::to_string(&Line { coverage: report }) {
            out.push_str(&line);
            out.push('\n');
        }
    }
    out
}
