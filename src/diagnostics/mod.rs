//! Problems found in a build, as data.
//!
//! Every stage reports what it finds as [`Diagnostic`] values with a
//! [`Span`]; the build collects them all and renders them once, at the edge
//! (terminal, JSON), with [`report`].

pub mod lints;
pub mod report;

use std::fmt;
use std::sync::Arc;

use serde::Serialize;

use crate::source::Span;

/// How bad a problem is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    /// The build cannot produce a correct site.
    Error,
    /// The site is built, but something is probably not what the author meant.
    Warning,
}

macro_rules! codes {
    ($( $(#[$doc:meta])* $variant:ident = ($id:literal, $name:literal), )*) => {
        /// The kind of a problem: a stable short id and a readable name.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
        pub enum Code {
            $( $(#[$doc])* $variant, )*
        }

        impl Code {
            /// Every code, in order.
            pub const ALL: &'static [Code] = &[$(Code::$variant),*];

            /// The short id, such as `E0101`.
            pub fn id(self) -> &'static str {
                match self { $(Code::$variant => $id,)* }
            }

            /// The readable name, such as `unknown-agency`.
            pub fn name(self) -> &'static str {
                match self { $(Code::$variant => $name,)* }
            }

            /// The code whose readable name is `name`.
            pub fn named(name: &str) -> Option<Code> {
                match name { $($name => Some(Code::$variant),)* _ => None }
            }
        }
    };
}

codes! {
    /// A file or directory could not be read.
    Io = ("E0001", "io"),
    /// A file is not valid UTF-8.
    NotUtf8 = ("E0002", "not-utf8"),
    /// A symbolic link leads outside the project, nowhere, or into a loop.
    BadSymlink = ("E0003", "bad-symlink"),
    /// A text file larger than dossier reads.
    TooLarge = ("E0004", "file-too-large"),
    /// An inline or front-matter agency id that is not in the registry.
    UnknownAgency = ("E0101", "unknown-agency"),
    /// An inline or front-matter topic id that is not in the registry.
    UnknownTopic = ("E0102", "unknown-topic"),
    /// A source that is not in `seeds/`.
    UnknownSource = ("E0103", "unknown-source"),
    /// A link to a page or file that does not exist.
    BrokenLink = ("E0104", "broken-link"),
    /// A link to a heading or passage anchor that does not exist.
    BrokenAnchor = ("E0105", "broken-anchor"),
    /// A link whose scheme dossier does not publish (`javascript:`, ...).
    UnsafeLink = ("E0106", "unsafe-link"),
    /// A quotation that is not in the source passage it cites.
    Misquote = ("E0107", "misquote"),
    /// A heading's `{#id}` that another heading or passage, or the theme,
    /// has already.
    DuplicateAnchor = ("E0108", "duplicate-anchor"),
    /// A source cited less than `--min-coverage` asks.
    LowCoverage = ("E0109", "low-coverage"),
    /// TOML that does not parse.
    TomlSyntax = ("E0201", "toml-syntax"),
    /// A key that the table does not accept.
    UnknownKey = ("E0202", "unknown-key"),
    /// A value of the wrong type.
    WrongType = ("E0203", "wrong-type"),
    /// A required key that is absent.
    MissingKey = ("E0204", "missing-key"),
    /// Front matter that opens with `+++` and never closes.
    UnclosedFrontMatter = ("E0205", "unclosed-front-matter"),
    /// A value of the right type that is still not acceptable.
    InvalidValue = ("E0206", "invalid-value"),
    /// Source front matter (YAML) that does not parse.
    YamlSyntax = ("E0207", "yaml-syntax"),
    /// Two registry entries with the same id.
    DuplicateId = ("E0301", "duplicate-id"),
    /// One alias claimed by two registry entries.
    DuplicateAlias = ("E0302", "duplicate-alias"),
    /// Two inputs that would write the same output file.
    OutputCollision = ("E0401", "output-collision"),
    /// A template that does not parse or fails to render.
    Template = ("E0501", "template"),
    /// The theme named in `site.toml` does not exist or is incomplete.
    MissingTheme = ("E0502", "missing-theme"),
    /// A template that ran longer, or wrote more, than one file may take.
    TemplateLimit = ("E0503", "template-limit"),
    /// An output directory that dossier refuses to write.
    UnsafeOutput = ("E0601", "unsafe-output"),
    /// Publishing the built site failed.
    Publish = ("E0602", "publish"),
    /// A registry entry that no page mentions.
    UnusedEntry = ("W0101", "unused-entry"),
    /// A page that names no agency.
    NoAgencies = ("W0102", "no-agencies"),
    /// A registry name or alias in the text without an annotation.
    UnannotatedMention = ("W0103", "unannotated-mention"),
    /// A page without any text.
    EmptyPage = ("W0104", "empty-page"),
    /// A cited passage of a source whose words changed since
    /// `sources.lock` recorded them.
    SourceChanged = ("W0106", "source-changed"),
    /// Raw HTML published without what could run script.
    SanitisedHtml = ("W0105", "sanitised-html"),
    /// An accent colour of `site.toml` too faint on the theme's background.
    LowContrast = ("W0107", "low-contrast"),
    /// A build without `base_url`: the sitemap and the feed need one.
    NoBaseUrl = ("W0108", "no-base-url"),
    /// A registry entry without a parent whose name holds the name of
    /// another entry, which may be its parent.
    MissingParent = ("W0109", "missing-parent"),
}

impl Code {
    /// Whether this is a lint: a check whose problems are warnings unless
    /// `[lints]` of `site.toml` says otherwise (the `W` codes).
    pub fn is_lint(self) -> bool {
        self.id().starts_with('W')
    }
}

impl fmt::Display for Code {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} {}", self.id(), self.name())
    }
}

/// One problem: what, where, and what would fix it (its [`Details`],
/// which it reads as).
///
/// Copies share the details: `serve` keeps the warnings of every
/// unchanged page from one rebuild to the next, and a large site has tens
/// of thousands, so a copy is one count, and two copies compare equal
/// without reading their texts. Changing a shared copy's details copies
/// them first.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Diagnostic(Arc<Details>);

/// What a [`Diagnostic`] says.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Details {
    /// How bad it is.
    pub severity: Severity,
    /// What kind of problem it is.
    pub code: Code,
    /// One line that says what is wrong.
    pub message: Text,
    /// Where, if the problem has a place.
    pub span: Option<Span>,
    /// A short text under the underlined span, usually what was expected.
    pub label: Option<Text>,
    /// Further facts that explain the problem.
    pub notes: Vec<Text>,
    /// What would fix it, such as "did you mean `isro`?".
    pub help: Option<Text>,
}

/// A text of a diagnostic, shared rather than copied when shared details
/// are changed (see [`Diagnostic`]). Reads as a `str`.
#[derive(Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Text(Arc<str>);

impl Text {
    /// The text.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl std::ops::Deref for Text {
    type Target = str;

    fn deref(&self) -> &str {
        &self.0
    }
}

impl AsRef<str> for Text {
    fn as_ref(&self) -> &str {
        &self.0
    }
}

impl std::borrow::Borrow<str> for Text {
    fn borrow(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for Text {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl fmt::Debug for Text {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Debug::fmt(&*self.0, f)
    }
}

impl From<String> for Text {
    fn from(text: String) -> Self {
        Text(Arc::from(text))
    }
}

impl From<&str> for Text {
    fn from(text: &str) -> Self {
        Text(Arc::from(text))
    }
}

impl PartialEq<str> for Text {
    fn eq(&self, other: &str) -> bool {
        *self.0 == *other
    }
}

impl PartialEq<&str> for Text {
    fn eq(&self, other: &&str) -> bool {
        *self.0 == **other
    }
}

impl PartialEq<String> for Text {
    fn eq(&self, other: &String) -> bool {
        *self.0 == **other
    }
}

impl serde::Serialize for Text {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(&self.0)
    }
}

impl std::ops::Deref for Diagnostic {
    type Target = Details;

    fn deref(&self) -> &Details {
        &self.0
    }
}

impl std::ops::DerefMut for Diagnostic {
    /// The details to change, copied first if another copy shares them.
    fn deref_mut(&mut self) -> &mut Details {
        Arc::make_mut(&mut self.0)
    }
}

impl Diagnostic {
    /// An error of `code`.
    pub fn error(code: Code, message: impl Into<Text>) -> Self {
        Self::new(Severity::Error, code, message)
    }

    /// A warning of `code`.
    pub fn warning(code: Code, message: impl Into<Text>) -> Self {
        Self::new(Severity::Warning, code, message)
    }

    fn new(severity: Severity, code: Code, message: impl Into<Text>) -> Self {
        Diagnostic(Arc::new(Details {
            severity,
            code,
            message: message.into(),
            span: None,
            label: None,
            notes: Vec::new(),
            help: None,
        }))
    }

    /// Places the problem at `span`.
    pub fn at(mut self, span: Span) -> Self {
        self.span = Some(span);
        self
    }

    /// Sets the label shown under the span.
    pub fn label(mut self, label: impl Into<Text>) -> Self {
        self.label = Some(label.into());
        self
    }

    /// Adds a note.
    pub fn note(mut self, note: impl Into<Text>) -> Self {
        self.notes.push(note.into());
        self
    }

    /// Sets the suggestion, if there is one.
    pub fn help(mut self, help: impl Into<Text>) -> Self {
        self.help = Some(help.into());
        self
    }

    /// Sets the suggestion from an optional text.
    pub fn maybe_help(mut self, help: Option<String>) -> Self {
        if let Some(help) = help {
            self.help = Some(help.into());
        }
        self
    }

    /// Whether this diagnostic fails the build.
    pub fn is_error(&self) -> bool {
        self.severity == Severity::Error
    }

    /// The order diagnostics are shown in: by file, line, column, code and
    /// message. The spans of one file share its path, which then needs no
    /// comparing.
    fn order(&self, other: &Diagnostic) -> std::cmp::Ordering {
        if Arc::ptr_eq(&self.0, &other.0) {
            return std::cmp::Ordering::Equal;
        }
        let files = match (&self.span, &other.span) {
            (Some(a), Some(b)) if Arc::ptr_eq(&a.file, &b.file) => std::cmp::Ordering::Equal,
            (a, b) => a
                .as_ref()
                .map(|s| &s.file)
                .cmp(&b.as_ref().map(|s| &s.file)),
        };
        files.then_with(|| self.place_key().cmp(&other.place_key()))
    }

    fn place_key(&self) -> (usize, usize, Code, &str) {
        let (line, col) = self.span.as_ref().map_or((0, 0), |s| (s.line, s.col));
        (line, col, self.code, &self.message)
    }
}

/// Whether any of `diagnostics` is an error.
pub fn has_errors(diagnostics: &[Diagnostic]) -> bool {
    diagnostics.iter().any(Diagnostic::is_error)
}

/// Finishes the diagnostics of a run, in the one place every run (`check`,
/// `build`, `serve`) finishes them: drops the warnings that only echo an
/// error ([`drop_consequences`]), applies the levels of `[lints]` (see
/// [`lints`]) and sorts them. Finishing twice gives the same diagnostics.
pub fn finish(diagnostics: &mut Vec<Diagnostic>, levels: &lints::Lints) {
    drop_consequences(diagnostics);
    levels.apply(diagnostics);
    sort(diagnostics);
}

/// Drops the warnings that may only echo an error, so that the error is
/// what a writer reads first: every warning in a file that has an error (a
/// page whose front matter does not parse "names no agency"), and, while
/// a page of `content/` has an error, every warning that an entry is
/// mentioned by no page (a misspelt `agency` key or id leaves its entry
/// unmentioned). A lint that `[lints]` made an error, and a source cited
/// less than `--min-coverage` asks, echo nothing: neither is a reason to
/// doubt the rest of its file. A citation of a changed source passage is
/// never dropped.
pub fn drop_consequences(diagnostics: &mut Vec<Diagnostic>) {
    let failed: std::collections::HashSet<&std::path::Path> = diagnostics
        .iter()
        .filter(|d| d.is_error() && !d.code.is_lint() && d.code != Code::LowCoverage)
        .filter_map(|d| d.span.as_ref().map(|span| &*span.file))
        .collect();
    if failed.is_empty() {
        return;
    }
    let a_page_failed = failed
        .iter()
        .any(|file| file.starts_with("content") && file.extension().is_some_and(|e| e == "md"));
    // A changed source passage is a fact of its own, never an echo.
    let echoes = |d: &Diagnostic| {
        !d.is_error()
            && d.code != Code::SourceChanged
            && (d
                .span
                .as_ref()
                .is_some_and(|span| failed.contains(&*span.file))
                || (a_page_failed && d.code == Code::UnusedEntry))
    };
    let keep: Vec<bool> = diagnostics.iter().map(|d| !echoes(d)).collect();
    let mut kept = keep.into_iter();
    diagnostics.retain(|_| kept.next().unwrap_or(true));
}

/// Puts `diagnostics` in a stable order (by file, line, column, then code)
/// and drops exact repeats.
pub fn sort(diagnostics: &mut Vec<Diagnostic>) {
    diagnostics.sort_by(Diagnostic::order);
    diagnostics.dedup();
}

/// What changed from the diagnostics `before` to those `now`, each list
/// [sorted](sort): the places in `now` of the diagnostics `before` did not
/// have, in order, and how many of `before` are gone. A diagnostic twice
/// in one list counts twice.
///
/// The two lists are walked side by side, in their order, so that a
/// diagnostic is compared only with those in the same place of the other
/// list, and two copies of one diagnostic compare by pointer: `serve`
/// compares tens of thousands at each rebuild, and hashing each whole took
/// tens of milliseconds.
pub fn changes(before: &[Diagnostic], now: &[Diagnostic]) -> (Vec<usize>, usize) {
    use std::cmp::Ordering;
    let (mut i, mut j) = (0, 0);
    let mut new = Vec::new();
    let mut gone = 0;
    while i < before.len() && j < now.len() {
        match before[i].order(&now[j]) {
            Ordering::Less => {
                gone += 1;
                i += 1;
            }
            Ordering::Greater => {
                new.push(j);
                j += 1;
            }
            Ordering::Equal => {
                // The diagnostics of one place, code and message, in any
                // order on either side: matched one for one.
                let place = |list: &[Diagnostic], from: usize| {
                    from + list[from..]
                        .iter()
                        .take_while(|d| d.order(&list[from]) == Ordering::Equal)
                        .count()
                };
                let (i_end, j_end) = (place(before, i), place(now, j));
                let mut matched = vec![false; i_end - i];
                for (k, diagnostic) in now[j..j_end].iter().enumerate() {
                    let twin = (i..i_end).find(|&m| !matched[m - i] && before[m] == *diagnostic);
                    match twin {
                        Some(m) => matched[m - i] = true,
                        None => new.push(j + k),
                    }
                }
                gone += matched.iter().filter(|&&m| !m).count();
                (i, j) = (i_end, j_end);
            }
        }
    }
    gone += before.len() - i;
    new.extend(j..now.len());
    (new, gone)
}

/// The names in `candidates` nearest to `wanted`, best first, as a
/// "did you mean" suggestion; `None` when nothing is close.
///
/// ```
/// use dossier::diagnostics::did_you_mean;
/// let ids = ["isro", "nasa", "nsf"];
/// assert_eq!(did_you_mean("isr0", ids).as_deref(), Some("did you mean `isro`?"));
/// assert_eq!(did_you_mean("quantum", ids), None);
/// ```
pub fn did_you_mean<'a>(
    wanted: &str,
    candidates: impl IntoIterator<Item = &'a str>,
) -> Option<String> {
    let nearest = nearest(wanted, candidates, 3);
    match nearest.as_slice() {
        [] => None,
        [one] => Some(format!("did you mean `{one}`?")),
        many => {
            let quoted: Vec<String> = many.iter().map(|n| format!("`{n}`")).collect();
            Some(format!("did you mean one of {}?", quoted.join(", ")))
        }
    }
}

/// Up to `limit` names from `candidates` close to `wanted` by edit distance,
/// nearest first (ties in alphabetical order).
pub fn nearest<'a>(
    wanted: &str,
    candidates: impl IntoIterator<Item = &'a str>,
    limit: usize,
) -> Vec<&'a str> {
    let wanted_lower = wanted.to_lowercase();
    let mut scored: Vec<(usize, bool, &str)> = candidates
        .into_iter()
        .filter_map(|candidate| {
            let lower = candidate.to_lowercase();
            let distance = strsim::damerau_levenshtein(&wanted_lower, &lower);
            let allowed = match wanted.chars().count() {
                0..=3 => 1,
                4..=8 => 2,
                n => n / 3,
            };
            let contains = (wanted_lower.len() >= 3 && lower.contains(&wanted_lower))
                || (lower.len() >= 3 && wanted_lower.contains(&lower));
            (distance <= allowed || contains).then_some((distance, contains, candidate))
        })
        .collect();
    scored.sort();
    scored.dedup();
    // A closer name makes the farther ones noise, unless they contain (or
    // are contained in) what was written.
    let best = scored.first().map_or(0, |&(distance, _, _)| distance);
    scored
        .into_iter()
        .filter(|&(distance, contains, _)| distance == best || contains)
        .take(limit)
        .map(|(_, _, name)| name)
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A diagnostic of a small space, so that lists of a few share places,
    /// codes, messages and whole diagnostics.
    fn small_diagnostic() -> impl proptest::strategy::Strategy<Value = Diagnostic> {
        use proptest::prelude::*;
        (0..3usize, 0..3usize, any::<bool>(), 0..2usize, 0..3usize).prop_map(
            |(file, line, error, message, label)| {
                let code = if error { Code::Io } else { Code::EmptyPage };
                let mut d = Diagnostic::warning(code, ["one", "two"][message]);
                if error {
                    d.severity = Severity::Error;
                }
                if file > 0 {
                    let mut span = Span::file_only(["", "a.md", "b.md"][file]);
                    span.line = line;
                    d = d.at(span);
                }
                if label > 0 {
                    d = d.label(["", "x", "y"][label]);
                }
                d
            },
        )
    }

    proptest::proptest! {
        #[test]
        fn changes_are_what_matching_each_diagnostic_with_an_equal_one_gives(
            before in proptest::collection::vec(small_diagnostic(), 0..12),
            now in proptest::collection::vec(small_diagnostic(), 0..12),
        ) {
            // Sorted, and not deduplicated, so that twins stay.
            let (mut before, mut now) = (before, now);
            before.sort_by(Diagnostic::order);
            now.sort_by(Diagnostic::order);
            // Each diagnostic of `now` matched with an unmatched equal one
            // of `before`, if there is one.
            let mut matched = vec![false; before.len()];
            let mut expected_new = Vec::new();
            for (k, d) in now.iter().enumerate() {
                match (0..before.len()).find(|&m| !matched[m] && before[m] == *d) {
                    Some(m) => matched[m] = true,
                    None => expected_new.push(k),
                }
            }
            let expected_gone = matched.iter().filter(|&&m| !m).count();
            proptest::prop_assert_eq!(changes(&before, &now), (expected_new, expected_gone));
        }
    }

    #[test]
    fn codes_have_unique_ids_and_names() {
        let mut ids: Vec<_> = Code::ALL.iter().map(|c| c.id()).collect();
        let mut names: Vec<_> = Code::ALL.iter().map(|c| c.name()).collect();
        ids.sort();
        names.sort();
        let (id_count, name_count) = (ids.len(), names.len());
        ids.dedup();
        names.dedup();
        assert_eq!(ids.len(), id_count);
        assert_eq!(names.len(), name_count);
    }

    #[test]
    fn nearest_prefers_small_edit_distance_and_substrings() {
        let ids = ["isro", "dos", "nasa", "nasa-jsc", "nsf"];
        assert_eq!(nearest("nasa-js", ids, 3), vec!["nasa-jsc", "nasa"]);
        assert_eq!(nearest("isor", ids, 3)[0], "isro");
        assert!(nearest("biotechnology", ids, 3).is_empty());
        assert_eq!(nearest("isr0", ["isro", "ism", "nsf"], 3), vec!["isro"]);
    }
}
