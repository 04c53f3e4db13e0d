//! Rendering diagnostics for people (terminal) and for tools (JSON lines).

use std::borrow::Cow;
use std::collections::{BTreeMap, HashMap};
use std::fmt::Write as _;
use std::ops::Range;
use std::path::Path;

use annotate_snippets::renderer::DecorStyle;
use annotate_snippets::{AnnotationKind, Element, Group, Level, Origin, Renderer, Snippet};
use serde::Serialize;

use super::{Code, Diagnostic, Severity};
use crate::source::{SourceMap, Span};

/// How to print diagnostics.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Style {
    /// Plain text, for files, pipes and tests.
    Plain,
    /// Coloured text, for a terminal.
    Colored,
}

/// Renders `diagnostics` (already sorted) for a person: each one with its
/// source line and the offending span underlined, grouped by file, then a
/// one-line summary such as `2 errors, 1 warning`.
pub fn human(diagnostics: &[Diagnostic], sources: &SourceMap, style: Style) -> String {
    human_within(diagnostics, sources, style, usize::MAX)
}

/// [`human`], but every error and only the first `per_code` warnings of
/// each code in full: the others are counted, by code, with the files that
/// have the most, so that a site with 40,000 of one warning prints a page,
/// not 20 MB. `dossier check` and `--format json` give them all.
pub fn human_within(
    diagnostics: &[Diagnostic],
    sources: &SourceMap,
    style: Style,
    per_code: usize,
) -> String {
    let mut in_full = InFull::new(per_code);
    let mut held: BTreeMap<Code, Held> = BTreeMap::new();
    let shown: Vec<&Diagnostic> = diagnostics
        .iter()
        .filter(|d| {
            if in_full.takes(d) {
                return true;
            }
            let held = held.entry(d.code).or_default();
            held.count += 1;
            if let Some(span) = &d.span {
                *held.files.entry(&span.file).or_default() += 1;
            }
            false
        })
        .collect();
    let mut out = render_all(shown.iter().copied(), sources, style);
    if !held.is_empty() {
        let total: usize = held.values().map(|h| h.count).sum();
        let _ = writeln!(
            out,
            "{} not shown (`dossier check` shows them all, `--format json` too):",
            plural(total, "more warning")
        );
        for (code, held) in &held {
            let most: Vec<String> = held
                .most(3)
                .into_iter()
                .map(|(file, n)| format!("{} ({n})", printable(&file.display().to_string())))
                .collect();
            let _ = writeln!(
                out,
                "  {code}: {} in {}, most in {}",
                held.count,
                plural(held.files.len(), "file"),
                most.join(", ")
            );
        }
        out.push('\n');
    }
    out.push_str(&summary(diagnostics));
    out.push('\n');
    out
}

/// Which diagnostics [`human_within`] shows in full: every error, and the
/// first `per_code` warnings of each code.
struct InFull {
    per_code: usize,
    shown_of: HashMap<Code, usize>,
}

impl InFull {
    fn new(per_code: usize) -> Self {
        InFull {
            per_code,
            shown_of: HashMap::new(),
        }
    }

    /// Whether `diagnostic`, the next in order, is shown in full.
    fn takes(&mut self, diagnostic: &Diagnostic) -> bool {
        if diagnostic.is_error() {
            return true;
        }
        let shown = self.shown_of.entry(diagnostic.code).or_default();
        if *shown < self.per_code {
            *shown += 1;
            true
        } else {
            false
        }
    }
}

/// Gives back the texts of the files at `released`, but for the lines that
/// [`human_within`] with `per_code` shows of `diagnostics` (sorted): a
/// build that has read all it needs of its pages keeps only the lines its
/// report will quote. Diagnostics added later keep this true: they can
/// only push these ones out of the first of their code.
pub fn release_texts<'p>(
    diagnostics: &[Diagnostic],
    per_code: usize,
    sources: &mut SourceMap,
    released: impl IntoIterator<Item = &'p Path>,
) {
    let mut in_full = InFull::new(per_code);
    let mut quoted: HashMap<&Path, Vec<Range<usize>>> = HashMap::new();
    for span in diagnostics
        .iter()
        .filter(|d| in_full.takes(d))
        .filter_map(|d| d.span.as_ref())
        .filter(|span| span.has_position())
    {
        if let Some((text, base)) = sources.text_at(&span.file, span.range.start) {
            let lines = Excerpt::lines(text, base, span);
            quoted
                .entry(&span.file)
                .or_default()
                .push(base + lines.start..base + lines.end);
        }
    }
    for path in released {
        let keep = quoted.remove(path).unwrap_or_default();
        sources.release(path, keep);
    }
}

/// The warnings of one code that [`human_within`] does not show.
#[derive(Default)]
struct Held<'d> {
    count: usize,
    /// How many in each file.
    files: HashMap<&'d Path, usize>,
}

impl<'d> Held<'d> {
    /// The `n` files with the most, the most first, then by name.
    fn most(&self, n: usize) -> Vec<(&'d Path, usize)> {
        let order = |a: &(&Path, usize), b: &(&Path, usize)| {
            let (name_a, name_b) = (a.0.as_os_str(), b.0.as_os_str());
            b.1.cmp(&a.1)
                .then_with(|| name_a.as_encoded_bytes().cmp(name_b.as_encoded_bytes()))
        };
        let mut files: Vec<(&'d Path, usize)> = self.files.iter().map(|(f, c)| (*f, *c)).collect();
        if files.len() > n {
            files.select_nth_unstable_by(n, order);
            files.truncate(n);
        }
        files.sort_by(order);
        files
    }
}

/// `n word`, `word` in the plural unless `n` is 1.
fn plural(n: usize, word: &str) -> String {
    format!("{n} {word}{}", if n == 1 { "" } else { "s" })
}

/// Every diagnostic of `diagnostics` in full, grouped by file.
fn render_all<'d>(
    diagnostics: impl Iterator<Item = &'d Diagnostic>,
    sources: &SourceMap,
    style: Style,
) -> String {
    let renderer = match style {
        Style::Plain => Renderer::plain(),
        Style::Colored => Renderer::styled(),
    }
    .decor_style(DecorStyle::Ascii);
    let mut out = String::new();
    let mut current_file = None;
    for diagnostic in diagnostics {
        let file = diagnostic.span.as_ref().map(|span| &*span.file);
        if file != current_file {
            if let Some(path) = file {
                let _ = writeln!(out, "--- {}", printable(&path.display().to_string()));
            }
            current_file = file;
        }
        out.push_str(&render_one(diagnostic, sources, &renderer));
        out.push_str("\n\n");
    }
    out
}

/// The one-line count of errors and warnings, such as `3 errors, 1 warning`.
pub fn summary(diagnostics: &[Diagnostic]) -> String {
    let errors = diagnostics.iter().filter(|d| d.is_error()).count();
    let warnings = diagnostics.len() - errors;
    format!(
        "{}, {}",
        plural(errors, "error"),
        plural(warnings, "warning")
    )
}

fn render_one(diagnostic: &Diagnostic, sources: &SourceMap, renderer: &Renderer) -> String {
    let level = match diagnostic.severity {
        Severity::Error => Level::ERROR,
        Severity::Warning => Level::WARNING,
    };
    let id = format!("{} {}", diagnostic.code.id(), diagnostic.code.name());
    let message = printable(&diagnostic.message);
    let label = diagnostic.label.as_deref().map(printable);
    let notes: Vec<Cow<str>> = diagnostic.notes.iter().map(|n| printable(n)).collect();
    let help = diagnostic.help.as_deref().map(printable);
    let title = level.primary_title(message.as_ref()).id(id);
    let mut elements: Vec<Element> = Vec::new();
    let excerpt = diagnostic
        .span
        .as_ref()
        .and_then(|span| Excerpt::of(span, sources));
    let origin;
    if let Some(excerpt) = &excerpt {
        let mut annotation = AnnotationKind::Primary.span(excerpt.range.clone());
        if let Some(label) = &label {
            annotation = annotation.label(label.as_ref());
        }
        elements.push(
            Snippet::source(excerpt.text.as_str())
                .line_start(excerpt.first_line)
                .path(excerpt.path.as_str())
                .annotation(annotation)
                .into(),
        );
    } else if let Some(span) = &diagnostic.span {
        origin = printable(&span.file.display().to_string()).into_owned();
        let mut place = Origin::path(origin.as_str());
        if span.has_position() {
            place = place.line(span.line).char_column(span.col);
        }
        elements.push(place.into());
        if let Some(label) = &label {
            elements.push(Level::NOTE.message(label.as_ref()).into());
        }
    }
    for note in &notes {
        elements.push(Level::NOTE.message(note.as_ref()).into());
    }
    let mut report: Vec<Group> = vec![title.elements(elements)];
    if let Some(help) = &help {
        report.push(Group::with_title(
            Level::HELP.secondary_title(help.as_ref()),
        ));
    }
    renderer.render(&report)
}

/// The lines of a file that a span covers, cut out so that huge files render
/// as fast as small ones.
struct Excerpt {
    path: String,
    text: String,
    first_line: usize,
    range: Range<usize>,
}

impl Excerpt {
    const MAX_LINES: usize = 6;

    fn of(span: &Span, sources: &SourceMap) -> Option<Excerpt> {
        if !span.has_position() {
            return None;
        }
        let (text, base) = sources.text_at(&span.file, span.range.start)?;
        let Range {
            start: line_start,
            end: line_end,
        } = Self::lines(text, base, span);
        let start = span.range.start.saturating_sub(base).min(text.len());
        let end = span.range.end.saturating_sub(base);
        // Without its line ending (`\n` or `\r\n`); a stray `\r` stays, and
        // is shown as `␍`.
        let excerpt = text[line_start..line_end]
            .strip_suffix('\n')
            .map_or(&text[line_start..line_end], |line| {
                line.strip_suffix('\r').unwrap_or(line)
            });
        // A span on the line ending itself is shown at the end of the line.
        let start = start.min(line_start + excerpt.len());
        let end = end.clamp(start, line_start + excerpt.len());
        Some(Excerpt {
            path: printable(&span.file.display().to_string()).into_owned(),
            text: masked(excerpt),
            first_line: span.line,
            range: start - line_start..end - line_start,
        })
    }

    /// The lines `span` is shown with, within `text` (which starts at the
    /// byte `base` of its file): the line it starts on and those after, up
    /// to the one it ends on or [`MAX_LINES`](Self::MAX_LINES) in all.
    fn lines(text: &str, base: usize, span: &Span) -> Range<usize> {
        let start = span.range.start.saturating_sub(base).min(text.len());
        let end = span.range.end.saturating_sub(base);
        let line_start = text[..start].rfind('\n').map_or(0, |i| i + 1);
        let mut line_end = line_start;
        let mut lines = 0;
        while lines < Self::MAX_LINES {
            match text[line_end..].find('\n') {
                Some(i) => line_end += i + 1,
                None => {
                    line_end = text.len();
                    break;
                }
            }
            lines += 1;
            if line_end > end {
                break;
            }
        }
        line_start..line_end
    }
}

/// `text` with its control characters (but tabs and line breaks) written
/// as escapes (`\u{1b}`): a name or message from the input never reaches
/// the terminal as an escape code.
fn printable(text: &str) -> Cow<'_, str> {
    if !text.chars().any(is_unprintable) {
        return Cow::Borrowed(text);
    }
    Cow::Owned(
        text.chars()
            .map(|c| {
                if is_unprintable(c) {
                    c.escape_unicode().to_string()
                } else {
                    c.to_string()
                }
            })
            .collect(),
    )
}

/// `line` with each control character (but tabs) replaced by as many `?`
/// as it has bytes, so that the byte ranges of spans still fit.
fn masked(line: &str) -> String {
    line.chars()
        .map(|c| {
            if is_unprintable(c) && c != '\r' {
                "?".repeat(c.len_utf8())
            } else {
                c.to_string()
            }
        })
        .collect()
}

fn is_unprintable(c: char) -> bool {
    c.is_control() && !matches!(c, '\t' | '\n')
}

/// One diagnostic as a JSON object, for editors and CI.
#[derive(Debug, Serialize)]
pub struct JsonDiagnostic<'a> {
    /// `error` or `warning`.
    pub severity: Severity,
    /// The short id, such as `E0101`.
    pub code: &'static str,
    /// The readable name, such as `unknown-agency`.
    pub name: &'static str,
    /// What is wrong.
    pub message: &'a str,
    /// The file, relative to the project root.
    pub file: Option<String>,
    /// 1-based line.
    pub line: Option<usize>,
    /// 1-based column, in characters.
    pub column: Option<usize>,
    /// Byte offsets of the span in the file.
    pub byte_range: Option<[usize; 2]>,
    /// The text under the span.
    pub label: Option<&'a str>,
    /// Further facts.
    pub notes: &'a [super::Text],
    /// The suggestion.
    pub help: Option<&'a str>,
}

impl<'a> From<&'a Diagnostic> for JsonDiagnostic<'a> {
    fn from(d: &'a Diagnostic) -> Self {
        let positioned = d.span.as_ref().filter(|s| s.has_position());
        JsonDiagnostic {
            severity: d.severity,
            code: d.code.id(),
            name: d.code.name(),
            message: &d.message,
            file: d.span.as_ref().map(|s| s.file.display().to_string()),
            line: positioned.map(|s| s.line),
            column: positioned.map(|s| s.col),
            byte_range: positioned.map(|s| [s.range.start, s.range.end]),
            label: d.label.as_deref(),
            notes: &d.notes,
            help: d.help.as_deref(),
        }
    }
}

/// Renders `diagnostics` as JSON lines: one object per diagnostic.
pub fn json_lines(diagnostics: &[Diagnostic]) -> String {
    let mut out = String::new();
    for diagnostic in diagnostics {
        // Serialising plain strings and numbers cannot fail.
        if let Ok(line) = serde_json::to_string(&JsonDiagnostic::from(diagnostic)) {
            out.push_str(&line);
            out.push('\n');
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diagnostics::Code;
    use crate::source::SourceFile;

    fn sources_with(path: &str, text: &str) -> (SourceMap, std::sync::Arc<SourceFile>) {
        let mut sources = SourceMap::default();
        let file = sources.add(SourceFile::new(path, text));
        (sources, file)
    }

    #[test]
    fn control_characters_of_the_input_never_reach_the_terminal() {
        let (sources, file) = sources_with(
            "content/\u{1b}[31mred.md",
            "+++\ntitle = \"\u{1b}]0;owned\u{7}x\"\n+++\n",
        );
        let diagnostic = Diagnostic::error(Code::InvalidValue, "bad `\u{1b}[2J` value")
            .at(file.span(12..28))
            .label("here \u{9b}")
            .note("a note \u{0}")
            .help("help \u{1b}");
        let text = human(&[diagnostic], &sources, Style::Plain);
        assert!(
            !text.chars().any(|c| c.is_control() && c != '\n'),
            "{text:?}"
        );
        assert!(text.contains("--- content/\\u{1b}[31mred.md"), "{text}");
        assert!(text.contains("bad `\\u{1b}[2J` value"), "{text}");
        assert!(text.contains("title = \"?]0;owned?x\""), "{text}");
    }

    #[test]
    fn human_report_shows_position_line_underline_and_help() {
        let (sources, file) = sources_with(
            "content/space.md",
            "+++\ntitle = \"x\"\n+++\nSee [ISRO](agency:isr0).\n",
        );
        let at = file.text().find("agency:isr0").unwrap();
        let diagnostic = Diagnostic::error(Code::UnknownAgency, "unknown agency `isr0`")
            .at(file.span(at..at + 11))
            .label("not in content/agencies.toml")
            .help("did you mean `isro`?");
        let text = human(&[diagnostic], &sources, Style::Plain);
        assert!(
            text.contains("error[E0101 unknown-agency]: unknown agency `isr0`"),
            "{text}"
        );
        assert!(text.contains("--> content/space.md:4:12"), "{text}");
        assert!(text.contains("See [ISRO](agency:isr0)."), "{text}");
        assert!(
            text.contains("^^^^^^^^^^^ not in content/agencies.toml"),
            "{text}"
        );
        assert!(text.contains("help: did you mean `isro`?"), "{text}");
        assert!(text.ends_with("1 error, 0 warnings\n"), "{text}");
    }

    #[test]
    fn stray_carriage_returns_are_shown_and_line_endings_are_not() {
        let (sources, file) = sources_with("site.toml", "title = 1\r\r\r\nx = 2\r\n");
        let stray =
            Diagnostic::error(Code::TomlSyntax, "stray carriage return").at(file.span(11..12));
        let text = human(&[stray], &sources, Style::Plain);
        assert!(text.contains("--> site.toml:1:12"), "{text}");
        assert!(text.contains("1 | title = 1\u{240d}\u{240d}\n"), "{text}");
        let ending = Diagnostic::error(Code::TomlSyntax, "at the end").at(file.span(19..20));
        let text = human(&[ending], &sources, Style::Plain);
        assert!(text.contains("2 | x = 2\n"), "{text}");
    }

    #[test]
    fn a_released_text_still_quotes_the_lines_of_the_warnings_shown() {
        let text = "+++\ntitle = \"x\"\n+++\none ISRO\ntwo ISRO\n\nthree\nfour\nfive ISRO\nsix\nseven\neight\nnine\nten ISRO";
        let (mut sources, file) = sources_with("content/space.md", text);
        let at = |needle: &str| text.find(needle).unwrap();
        let warning = |range: Range<usize>| {
            Diagnostic::warning(Code::UnannotatedMention, "not annotated").at(file.span(range))
        };
        let diagnostics = [
            Diagnostic::error(Code::InvalidValue, "bad").at(file.span(at("one")..at("one") + 3)),
            warning(at("one") + 4..at("one") + 8),
            // Over seven lines: the excerpt stops after six.
            warning(at("two")..at("eight")),
            warning(at("five") + 5..at("five") + 9),
            // At the very end of the file.
            warning(text.len()..text.len()),
        ];
        let full = human_within(&diagnostics, &sources, Style::Plain, 3);
        release_texts(
            &diagnostics,
            3,
            &mut sources,
            [Path::new("content/space.md")],
        );
        assert!(sources.get(Path::new("content/space.md")).is_none());
        assert_eq!(human_within(&diagnostics, &sources, Style::Plain, 3), full);
        assert!(full.contains("9 | five ISRO"), "{full}");
        assert!(full.contains("1 more warning not shown"), "{full}");

        // The lines of the warning not shown are not kept: a report that
        // shows it prints its place alone.
        let everything = human_within(&diagnostics, &sources, Style::Plain, usize::MAX);
        assert!(everything.contains("content/space.md:14:9"), "{everything}");
        assert!(!everything.contains("14 | ten ISRO"), "{everything}");
    }

    #[test]
    fn json_lines_carry_code_file_line_and_column() {
        let (_, file) = sources_with("site.toml", "title = 3\n");
        let diagnostic = Diagnostic::warning(Code::WrongType, "wrong type").at(file.span(8..9));
        let line = json_lines(&[diagnostic]);
        let value: serde_json::Value = serde_json::from_str(line.trim()).unwrap();
        assert_eq!(value["code"], "E0203");
        assert_eq!(value["severity"], "warning");
        assert_eq!(value["file"], "site.toml");
        assert_eq!(value["line"], 1);
        assert_eq!(value["column"], 9);
    }
}
