//! Splitting a file into front matter and body, and reading page front matter.

use std::ops::Range;

use crate::diagnostics::{Code, Diagnostic};
use crate::source::SourceFile;
use crate::toml_fields::{self, Date, Place, Spanned, Table};

/// The parts of a file with front matter, as byte ranges of the file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Split {
    /// The text between the delimiter lines.
    pub front_matter: Range<usize>,
    /// Everything after the closing delimiter line.
    pub body: Range<usize>,
}

/// Splits `text` whose front matter is fenced by lines of exactly
/// `delimiter` (`+++` for TOML, `---` for YAML). A leading byte-order mark
/// and trailing spaces on the delimiter lines are allowed.
///
/// Returns `Ok(None)` when the text does not start with the delimiter, and
/// `Err` with the range of the opening line when it is never closed.
///
/// ```
/// use dossier::load::front_matter::split;
/// let text = "+++\ntitle = \"Space\"\n+++\nBody\n";
/// let parts = split(text, "+++").unwrap().unwrap();
/// assert_eq!(&text[parts.front_matter], "title = \"Space\"\n");
/// assert_eq!(&text[parts.body], "Body\n");
/// ```
pub fn split(text: &str, delimiter: &str) -> Result<Option<Split>, Range<usize>> {
    let start = if text.starts_with('\u{feff}') { 3 } else { 0 };
    let mut lines = LineRanges::new(text, start);
    let Some(first) = lines.next() else {
        return Ok(None);
    };
    if text[first.clone()].trim_end() != delimiter {
        return Ok(None);
    }
    let front_start = first.end;
    for line in lines {
        if text[line.clone()].trim_end() == delimiter {
            return Ok(Some(Split {
                front_matter: front_start..line.start,
                body: line.end..text.len(),
            }));
        }
    }
    let opening_end = text[first.clone()].trim_end().len() + first.start;
    Err(first.start..opening_end)
}

/// The byte ranges of the lines of `text` from `start`, each with its line
/// ending.
struct LineRanges<'a> {
    text: &'a str,
    at: usize,
}

impl<'a> LineRanges<'a> {
    fn new(text: &'a str, start: usize) -> Self {
        LineRanges { text, at: start }
    }
}

impl Iterator for LineRanges<'_> {
    type Item = Range<usize>;

    fn next(&mut self) -> Option<Range<usize>> {
        if self.at >= self.text.len() {
            return None;
        }
        let start = self.at;
        let end = self.text[start..]
            .find('\n')
            .map_or(self.text.len(), |i| start + i + 1);
        self.at = end;
        Some(start..end)
    }
}

/// The keys a page's front matter accepts.
pub const PAGE_KEYS: &[&str] = &[
    "title", "summary", "weight", "date", "updated", "draft", "agencies", "topics", "sources",
];

/// A page's front matter, read as far as it is valid.
#[derive(Debug, Clone)]
pub struct FrontMatter {
    /// The title; `None` when absent or invalid (already reported).
    pub title: Option<Spanned<String>>,
    /// A sentence or two for indexes and the feed.
    pub summary: Option<String>,
    /// The order within the section, lowest first.
    pub weight: i64,
    /// The date of the page.
    pub date: Option<Date>,
    /// When the page was last revised: never before `date`.
    pub updated: Option<Date>,
    /// Whether the page is a draft: left out of `dossier build`.
    pub draft: bool,
    /// Agency ids, as written.
    pub agencies: Vec<Spanned<String>>,
    /// Topic ids, as written.
    pub topics: Vec<Spanned<String>>,
    /// Source slugs or file names, as written.
    pub sources: Vec<Spanned<String>>,
}

/// A page file split and its front matter read. Problems are pushed to
/// `diagnostics`; the page is returned as far as it could be read, so that
/// its body is still checked.
pub fn read_page(
    file: &std::sync::Arc<SourceFile>,
    diagnostics: &mut Vec<Diagnostic>,
) -> (FrontMatter, Range<usize>) {
    let text = file.text();
    let mut front = FrontMatter {
        title: None,
        summary: None,
        weight: 0,
        date: None,
        updated: None,
        draft: false,
        agencies: Vec::new(),
        topics: Vec::new(),
        sources: Vec::new(),
    };
    let parts = match split(text, "+++") {
        Ok(Some(parts)) => parts,
        Ok(None) => {
            let message = if text.trim().is_empty() {
                "the page is empty: it has no front matter and no text"
            } else {
                "the page has no front matter"
            };
            diagnostics.push(
                Diagnostic::error(Code::MissingKey, message)
                    .at(file.start_span())
                    .label("expected `+++` on the first line")
                    .help(
                        "start the page with front matter, such as:\n+++\ntitle = \"Space\"\n+++",
                    ),
            );
            return (front, 0..text.len());
        }
        Err(opening) => {
            diagnostics.push(
                Diagnostic::error(
                    Code::UnclosedFrontMatter,
                    "the front matter is never closed",
                )
                .at(file.span(opening))
                .label("this `+++` opens the front matter")
                .help("add a line with `+++` after the last front-matter key"),
            );
            return (front, text.len()..text.len());
        }
    };
    let place = Place::new(std::sync::Arc::clone(file), parts.front_matter.start);
    let toml_text = &text[parts.front_matter.clone()];
    let Some(table) = toml_fields::parse(toml_text, &place, diagnostics) else {
        return (front, parts.body);
    };
    // Problems with the front matter as a whole point at the opening `+++`.
    let opening_end = text[..parts.front_matter.start].trim_end().len();
    let opening_start = text[..opening_end].rfind('\n').map_or(0, |i| i + 1);
    let reader = Table::new(
        table.get_ref(),
        file.span(opening_start..opening_end),
        &place,
        "the front matter",
    );
    reader.deny_unknown_keys(PAGE_KEYS, diagnostics);
    front.title = reader.required_string("title", "\"Space\"", diagnostics);
    if let Some(title) = &front.title
        && title.value.trim().is_empty()
    {
        diagnostics.push(
            Diagnostic::error(Code::InvalidValue, "the title is empty")
                .at(title.span.clone())
                .label("expected some text"),
        );
    }
    front.summary = reader.string("summary", diagnostics).map(|s| s.value);
    front.weight = reader.integer("weight", diagnostics).map_or(0, |w| w.value);
    let date = reader.date("date", diagnostics);
    let updated = reader.date("updated", diagnostics);
    if let (Some(date), Some(updated)) = (&date, &updated)
        && updated.value < date.value
    {
        diagnostics.push(
            Diagnostic::error(
                Code::InvalidValue,
                format!(
                    "the page is updated on {}, before its date, {}",
                    updated.value, date.value
                ),
            )
            .at(updated.span.clone())
            .label("before `date`")
            .help("`updated` is when the page was last revised, on or after `date`: correct one of the two"),
        );
    } else {
        front.updated = updated.map(|d| d.value);
    }
    front.date = date.map(|d| d.value);
    front.draft = reader
        .boolean("draft", diagnostics)
        .is_some_and(|d| d.value);
    front.agencies = reader.string_list("agencies", diagnostics);
    front.topics = reader.string_list("topics", diagnostics);
    front.sources = reader.string_list("sources", diagnostics);
    (front, parts.body)
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::Arc;

    fn page(text: &str) -> (FrontMatter, Range<usize>, Vec<Diagnostic>) {
        let file = Arc::new(SourceFile::new("content/p.md", text));
        let mut diagnostics = Vec::new();
        let (front, body) = read_page(&file, &mut diagnostics);
        (front, body, diagnostics)
    }

    #[test]
    fn front_matter_is_read_with_every_key() {
        let text = "+++\ntitle = \"Space\"\nsummary = \"S\"\nweight = 4\ndate = 2023-01-31\nupdated = 2024-06-17\ndraft = true\nagencies = [\"nasa\"]\ntopics = [\"clps\"]\nsources = [\"fact\"]\n+++\nBody\n";
        let (front, body, diagnostics) = page(text);
        assert!(diagnostics.is_empty(), "{diagnostics:?}");
        assert_eq!(front.title.unwrap().value, "Space");
        assert_eq!(front.weight, 4);
        assert_eq!(front.date.unwrap().to_string(), "2023-01-31");
        assert_eq!(front.updated.unwrap().to_string(), "2024-06-17");
        assert!(front.draft);
        assert_eq!(front.agencies[0].value, "nasa");
        assert_eq!(&text[body], "Body\n");
    }

    #[test]
    fn a_missing_title_points_at_the_opening_line() {
        let (_, _, diagnostics) = page("+++\nweight = 1\n+++\n");
        assert_eq!(diagnostics[0].code, Code::MissingKey);
        let span = diagnostics[0].span.as_ref().unwrap();
        assert_eq!((span.line, span.col), (1, 1));
    }

    #[test]
    fn an_update_before_the_date_is_an_error_at_the_update() {
        let (front, _, diagnostics) =
            page("+++\ntitle = \"x\"\ndate = 2024-06-17\nupdated = 2024-06-16\n+++\n");
        assert_eq!(diagnostics.len(), 1, "{diagnostics:?}");
        assert_eq!(diagnostics[0].code, Code::InvalidValue);
        let span = diagnostics[0].span.as_ref().unwrap();
        assert_eq!((span.line, span.col), (4, 11));
        assert_eq!(front.updated, None);
        let (front, _, diagnostics) =
            page("+++\ntitle = \"x\"\ndate = 2024-06-17\nupdated = 2024-06-17\n+++\n");
        assert!(diagnostics.is_empty(), "{diagnostics:?}");
        assert!(front.updated.is_some());
    }

    #[test]
    fn draft_must_be_a_boolean() {
        let (front, _, diagnostics) = page("+++\ntitle = \"x\"\ndraft = \"yes\"\n+++\n");
        assert_eq!(diagnostics[0].code, Code::WrongType);
        assert!(!front.draft);
    }

    #[test]
    fn unclosed_front_matter_is_reported() {
        let (_, _, diagnostics) = page("+++\ntitle = \"x\"\nBody\n");
        assert_eq!(diagnostics[0].code, Code::UnclosedFrontMatter);
    }

    #[test]
    fn delimiters_with_trailing_spaces_and_a_bom_are_accepted() {
        let text = "\u{feff}+++  \ntitle = \"x\"\n+++\t\r\nBody";
        let parts = split(text, "+++").unwrap().unwrap();
        assert_eq!(&text[parts.body], "Body");
    }
}
