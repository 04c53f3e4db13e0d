//! Reading TOML tables key by key, with a diagnostic for every problem.
//!
//! Front matter, registries and `site.toml` are read with the same few
//! helpers: parse with positions ([`parse`]), then take each key through a
//! [`Table`] that checks its type and reports unknown keys with the valid ones
//! as a suggestion. Positions are in the whole file, not in the TOML block.

use std::ops::Range;
use std::sync::Arc;

use toml::de::{DeTable, DeValue};

use crate::diagnostics::{Code, Diagnostic, did_you_mean};
use crate::source::{SourceFile, Span};

/// A value with the place it was written.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Spanned<T> {
    /// The value.
    pub value: T,
    /// Where it was written.
    pub span: Span,
}

/// Where a TOML text sits: a file, and the byte offset of the text in it.
#[derive(Debug, Clone)]
pub struct Place {
    file: Arc<SourceFile>,
    offset: usize,
}

impl Place {
    /// The TOML text starting at byte `offset` of `file`.
    pub fn new(file: Arc<SourceFile>, offset: usize) -> Self {
        Place { file, offset }
    }

    /// The file the text is in.
    pub fn file(&self) -> &Arc<SourceFile> {
        &self.file
    }

    /// A span for a range of the TOML text.
    pub fn span(&self, range: Range<usize>) -> Span {
        self.file
            .span(range.start + self.offset..range.end + self.offset)
    }
}

/// Parses `text` (which sits at `place`) as a TOML table. Every syntax error
/// becomes a diagnostic. When every error is a repeated key, the table (with
/// the first of each repeated key) is still returned, so that one repeated
/// registry id does not hide the whole registry; on any other error the
/// table is `None`.
pub fn parse<'i>(
    text: &'i str,
    place: &Place,
    diagnostics: &mut Vec<Diagnostic>,
) -> Option<toml::Spanned<DeTable<'i>>> {
    let (table, errors) = DeTable::parse_recoverable(text);
    let mut only_repeats = true;
    // The header lines of repeated tables: the keys under them repeat the
    // first table's keys too, and are not reported again.
    let mut repeated_tables: Vec<usize> = Vec::new();
    for error in errors {
        let range = error.span().unwrap_or(0..0);
        let message = error.message().trim().to_string();
        if message.contains("duplicate key") {
            let header = table_header_above(text, range.start);
            let line_start = text
                .get(..range.start)
                .and_then(|before| before.rfind('\n'))
                .map_or(0, |i| i + 1);
            if header == Some(line_start) {
                repeated_tables.push(line_start);
            } else if header.is_some_and(|h| repeated_tables.contains(&h)) {
                continue;
            }
            let key = text.get(range.clone()).unwrap_or_default().trim();
            diagnostics.push(
                Diagnostic::error(Code::DuplicateId, format!("`{key}` is defined twice"))
                    .at(place.span(range))
                    .label("already defined above")
                    .help("remove one of the two, or rename it"),
            );
            continue;
        }
        only_repeats = false;
        let first_line = message.lines().next().unwrap_or("invalid TOML").to_string();
        let mut diagnostic =
            Diagnostic::error(Code::TomlSyntax, format!("invalid TOML: {first_line}"))
                .at(place.span(range));
        for line in message.lines().skip(1).filter(|l| !l.trim().is_empty()) {
            diagnostic = diagnostic.note(line.trim().to_string());
        }
        diagnostics.push(diagnostic);
    }
    only_repeats.then_some(table)
}

/// The start of the header line (`[name]`) of the table that the byte
/// `offset` of `text` is in, if it is under one.
fn table_header_above(text: &str, offset: usize) -> Option<usize> {
    let mut end = offset;
    loop {
        let line_start = text.get(..end)?.rfind('\n').map_or(0, |i| i + 1);
        if text[line_start..].trim_start().starts_with('[') {
            return Some(line_start);
        }
        if line_start == 0 {
            return None;
        }
        end = line_start - 1;
    }
}

/// One TOML table being read: `what` names it in messages ("front matter",
/// "agency `isro`").
pub struct Table<'t, 'i> {
    table: &'t DeTable<'i>,
    span: Span,
    place: &'t Place,
    what: String,
}

impl<'t, 'i> Table<'t, 'i> {
    /// Reads `table`, from the TOML text at `place`; `span` is where problems
    /// with the table as a whole (a missing key) are shown.
    pub fn new(
        table: &'t DeTable<'i>,
        span: Span,
        place: &'t Place,
        what: impl Into<String>,
    ) -> Self {
        Table {
            table,
            span,
            place,
            what: what.into(),
        }
    }

    /// The same table, called `what` in messages.
    pub fn named(mut self, what: impl Into<String>) -> Self {
        self.what = what.into();
        self
    }

    /// Where problems with the table as a whole are shown.
    pub fn span(&self) -> Span {
        self.span.clone()
    }

    /// Whether the table has `key`.
    pub fn has(&self, key: &str) -> bool {
        self.table.get(key).is_some()
    }

    /// Reports every key not in `allowed`, with the nearest allowed key, or
    /// the list of them, as a suggestion.
    pub fn deny_unknown_keys(&self, allowed: &[&str], diagnostics: &mut Vec<Diagnostic>) {
        for (key, _) in self.table.iter() {
            let name: &str = key.get_ref();
            if allowed.contains(&name) {
                continue;
            }
            let listed = allowed
                .iter()
                .map(|k| format!("`{k}`"))
                .collect::<Vec<_>>()
                .join(", ");
            let help = did_you_mean(name, allowed.iter().copied())
                .unwrap_or_else(|| format!("the keys of {} are {listed}", self.what));
            diagnostics.push(
                Diagnostic::error(
                    Code::UnknownKey,
                    format!("unknown key `{name}` in {}", self.what),
                )
                .at(self.place.span(key.span()))
                .label("not a key dossier knows")
                .help(help),
            );
        }
    }

    fn get(&self, key: &str) -> Option<&'t toml::Spanned<DeValue<'i>>> {
        self.table.get(key)
    }

    fn wrong_type(
        &self,
        key: &str,
        value: &toml::Spanned<DeValue<'_>>,
        expected: &str,
    ) -> Diagnostic {
        Diagnostic::error(
            Code::WrongType,
            format!(
                "`{key}` in {} must be {expected}, not {}",
                self.what,
                article(value.get_ref().type_str())
            ),
        )
        .at(self.place.span(value.span()))
        .label(format!("expected {expected}"))
    }

    /// Reports that `key` is required and absent.
    pub fn missing(&self, key: &str, example: &str) -> Diagnostic {
        Diagnostic::error(Code::MissingKey, format!("{} has no `{key}`", self.what))
            .at(self.span())
            .label(format!("`{key}` is required here"))
            .help(format!("add a line such as `{key} = {example}`"))
    }

    /// The string at `key`, if present and a string.
    pub fn string(&self, key: &str, diagnostics: &mut Vec<Diagnostic>) -> Option<Spanned<String>> {
        let value = self.get(key)?;
        match value.get_ref() {
            DeValue::String(s) => {
                let span = self.place.span(value.span());
                printable(key, s, &span, diagnostics).then(|| Spanned {
                    value: s.to_string(),
                    span,
                })
            }
            _ => {
                diagnostics.push(self.wrong_type(key, value, "a string"));
                None
            }
        }
    }

    /// The string at `key`; its absence is reported with `example`.
    pub fn required_string(
        &self,
        key: &str,
        example: &str,
        diagnostics: &mut Vec<Diagnostic>,
    ) -> Option<Spanned<String>> {
        if self.get(key).is_none() {
            diagnostics.push(self.missing(key, example));
            return None;
        }
        self.string(key, diagnostics)
    }

    /// The integer at `key`, if present and an integer in `i64` range.
    pub fn integer(&self, key: &str, diagnostics: &mut Vec<Diagnostic>) -> Option<Spanned<i64>> {
        let value = self.get(key)?;
        let span = self.place.span(value.span());
        match value.get_ref() {
            DeValue::Integer(int) => match i64::from_str_radix(int.as_str(), int.radix()) {
                Ok(n) => Some(Spanned { value: n, span }),
                Err(_) => {
                    diagnostics.push(
                        Diagnostic::error(
                            Code::InvalidValue,
                            format!("`{key}` in {} is out of range", self.what),
                        )
                        .at(span),
                    );
                    None
                }
            },
            _ => {
                diagnostics.push(self.wrong_type(key, value, "an integer"));
                None
            }
        }
    }

    /// The boolean at `key`, if present and a boolean.
    pub fn boolean(&self, key: &str, diagnostics: &mut Vec<Diagnostic>) -> Option<Spanned<bool>> {
        let value = self.get(key)?;
        match value.get_ref() {
            DeValue::Boolean(b) => Some(Spanned {
                value: *b,
                span: self.place.span(value.span()),
            }),
            _ => {
                diagnostics.push(self.wrong_type(key, value, "a boolean (`true` or `false`)"));
                None
            }
        }
    }

    /// The array of strings at `key`; an absent key is an empty list.
    pub fn string_list(
        &self,
        key: &str,
        diagnostics: &mut Vec<Diagnostic>,
    ) -> Vec<Spanned<String>> {
        let Some(value) = self.get(key) else {
            return Vec::new();
        };
        let DeValue::Array(items) = value.get_ref() else {
            diagnostics.push(self.wrong_type(key, value, "an array of strings"));
            return Vec::new();
        };
        let mut strings = Vec::with_capacity(items.len());
        for item in items.iter() {
            match item.get_ref() {
                DeValue::String(s) => {
                    let span = self.place.span(item.span());
                    if printable(key, s, &span, diagnostics) {
                        strings.push(Spanned {
                            value: s.to_string(),
                            span,
                        });
                    }
                }
                other => diagnostics.push(
                    Diagnostic::error(
                        Code::WrongType,
                        format!(
                            "`{key}` in {} must hold strings, not {}",
                            self.what,
                            article(other.type_str())
                        ),
                    )
                    .at(self.place.span(item.span()))
                    .label("expected a string"),
                ),
            }
        }
        strings
    }

    /// The date at `key`: a TOML date (`2023-01-31`), a date-time (its date
    /// is kept), or a string in `YYYY-MM-DD` form.
    pub fn date(&self, key: &str, diagnostics: &mut Vec<Diagnostic>) -> Option<Spanned<Date>> {
        let value = self.get(key)?;
        let span = self.place.span(value.span());
        let date = match value.get_ref() {
            DeValue::Datetime(datetime) => datetime.date.map(|d| Date {
                year: d.year,
                month: d.month,
                day: d.day,
            }),
            DeValue::String(s) => Date::parse(s),
            _ => {
                diagnostics.push(self.wrong_type(key, value, "a date such as 2023-01-31"));
                return None;
            }
        };
        match date {
            Some(date) => Some(Spanned { value: date, span }),
            None => {
                diagnostics.push(
                    Diagnostic::error(
                        Code::InvalidValue,
                        format!("`{key}` in {} is not a calendar date", self.what),
                    )
                    .at(span)
                    .label("expected a date such as 2023-01-31"),
                );
                None
            }
        }
    }

    /// The table at `key`, if present and a table.
    pub fn table(&self, key: &str, diagnostics: &mut Vec<Diagnostic>) -> Option<Table<'t, 'i>> {
        let value = self.get(key)?;
        match value.get_ref() {
            DeValue::Table(table) => Some(Table::new(
                table,
                self.place.span(value.span()),
                self.place,
                format!("`[{key}]`"),
            )),
            _ => {
                diagnostics.push(self.wrong_type(key, value, "a table"));
                None
            }
        }
    }

    /// The keys of this table with their string values, in the order they
    /// are written; a value that is not a string is reported.
    pub fn string_entries(
        &self,
        diagnostics: &mut Vec<Diagnostic>,
    ) -> Vec<(Spanned<String>, Spanned<String>)> {
        let mut entries: Vec<_> = self.table.iter().collect();
        entries.sort_by_key(|(key, _)| key.span().start);
        entries
            .into_iter()
            .filter_map(|(key, _)| {
                let key = Spanned {
                    value: key.get_ref().to_string(),
                    span: self.place.span(key.span()),
                };
                let value = self.string(&key.value, diagnostics)?;
                Some((key, value))
            })
            .collect()
    }

    /// The sub-tables of this table, each with its key, in the order they are
    /// written, for registries whose entries are `[id]` tables. A key whose
    /// value is not a table is reported.
    pub fn tables(
        &self,
        diagnostics: &mut Vec<Diagnostic>,
    ) -> Vec<(Spanned<String>, Table<'t, 'i>)> {
        let mut tables = Vec::new();
        let mut entries: Vec<_> = self.table.iter().collect();
        entries.sort_by_key(|(key, _)| key.span().start);
        for (key, value) in entries {
            let name = Spanned {
                value: key.get_ref().to_string(),
                span: self.place.span(key.span()),
            };
            match value.get_ref() {
                DeValue::Table(table) => {
                    let what = format!("entry `{}`", name.value);
                    let span = name.span.clone();
                    tables.push((name, Table::new(table, span, self.place, what)));
                }
                _ => diagnostics.push(self.wrong_type(
                    &name.value,
                    value,
                    "a table such as `[id]` followed by its keys",
                )),
            }
        }
        tables
    }
}

fn article(type_name: &str) -> String {
    match type_name {
        "integer" | "array" => format!("an {type_name}"),
        _ => format!("a {type_name}"),
    }
}

/// A calendar date.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Date {
    /// The year.
    pub year: u16,
    /// The month, 1 to 12.
    pub month: u8,
    /// The day of the month, from 1.
    pub day: u8,
}

impl Date {
    /// Parses `YYYY-MM-DD`, checking that the day exists.
    ///
    /// ```
    /// use dossier::toml_fields::Date;
    /// assert!(Date::parse("2024-02-29").is_some());
    /// assert!(Date::parse("2023-02-29").is_none());
    /// assert!(Date::parse("31/01/2023").is_none());
    /// ```
    pub fn parse(text: &str) -> Option<Date> {
        let mut parts = text.splitn(3, '-');
        let year: u16 = parts.next().filter(|p| p.len() == 4)?.parse().ok()?;
        let month: u8 = parts.next().filter(|p| p.len() == 2)?.parse().ok()?;
        let day: u8 = parts.next().filter(|p| p.len() == 2)?.parse().ok()?;
        let date = Date { year, month, day };
        date.is_valid().then_some(date)
    }

    fn is_valid(self) -> bool {
        let leap = self.year.is_multiple_of(4)
            && (!self.year.is_multiple_of(100) || self.year.is_multiple_of(400));
        let days = match self.month {
            1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
            4 | 6 | 9 | 11 => 30,
            2 if leap => 29,
            2 => 28,
            _ => return false,
        };
        (1..=days).contains(&self.day)
    }
}

impl std::fmt::Display for Date {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{:04}-{:02}-{:02}", self.year, self.month, self.day)
    }
}

/// Whether the string value of `key` holds no control character but tab
/// and line breaks; a NUL or an escape code written as `\u0000` or
/// `\u001b` is reported at `span`: no page can show it, and it would reach
/// the HTML and the terminal as it is.
pub fn printable(key: &str, value: &str, span: &Span, diagnostics: &mut Vec<Diagnostic>) -> bool {
    let Some(control) = value
        .chars()
        .find(|c| c.is_control() && !matches!(c, '\t' | '\n' | '\r'))
    else {
        return true;
    };
    diagnostics.push(
        Diagnostic::error(
            Code::InvalidValue,
            format!(
                "`{key}` holds the control character U+{:04X}",
                u32::from(control)
            ),
        )
        .at(span.clone())
        .label("no page can show this character")
        .help("remove it from the value"),
    );
    false
}

#[cfg(test)]
mod tests {
    use super::*;

    fn read(text: &str) -> (Arc<SourceFile>, Vec<Diagnostic>) {
        let file = Arc::new(SourceFile::new("t.toml", text));
        (file, Vec::new())
    }

    #[test]
    fn wrong_type_points_at_the_value_in_the_whole_file() {
        let text = "+++\ntitle = \"x\"\nweight = \"high\"\n+++\n";
        let (file, mut diagnostics) = read(text);
        let place = Place::new(Arc::clone(&file), 4);
        let toml_text = &text[4..text.len() - 4];
        let table = parse(toml_text, &place, &mut diagnostics).unwrap();
        let reader = Table::new(
            table.get_ref(),
            place.span(table.span()),
            &place,
            "front matter",
        );
        assert!(reader.integer("weight", &mut diagnostics).is_none());
        let d = &diagnostics[0];
        assert_eq!(d.code, Code::WrongType);
        let span = d.span.as_ref().unwrap();
        assert_eq!((span.line, span.col), (3, 10));
        assert!(
            d.message.contains("must be an integer, not a string"),
            "{}",
            d.message
        );
    }

    #[test]
    fn unknown_key_suggests_the_nearest_key() {
        let (file, mut diagnostics) = read("titel = \"x\"\n");
        let place = Place::new(Arc::clone(&file), 0);
        let table = parse(file.text(), &place, &mut diagnostics).unwrap();
        let reader = Table::new(
            table.get_ref(),
            place.span(table.span()),
            &place,
            "front matter",
        );
        reader.deny_unknown_keys(&["title", "summary"], &mut diagnostics);
        assert_eq!(diagnostics[0].code, Code::UnknownKey);
        assert_eq!(
            diagnostics[0].help.as_deref(),
            Some("did you mean `title`?")
        );
    }

    #[test]
    fn every_syntax_error_is_reported() {
        let (file, mut diagnostics) = read("a = \nb = [1,\n");
        let place = Place::new(Arc::clone(&file), 0);
        assert!(parse(file.text(), &place, &mut diagnostics).is_none());
        assert!(diagnostics.len() >= 2, "{diagnostics:#?}");
        assert!(diagnostics.iter().all(|d| d.code == Code::TomlSyntax));
        let lines: Vec<_> = diagnostics
            .iter()
            .map(|d| d.span.as_ref().unwrap().line)
            .collect();
        assert!(lines.contains(&1) && lines.contains(&2), "{diagnostics:#?}");
    }
}
