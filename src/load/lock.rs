//! `sources.lock`: what each cited passage of a source said when its
//! citations were last accepted.
//!
//! Passage anchors are positional (`space-p3` is the third passage under
//! **Space**), so a corrected source with a paragraph inserted moves every
//! later citation of that section onto other words without a broken link.
//! The lock records, per cited passage, a fingerprint of its normalised
//! words (spacing, quotation marks and dashes as quotations are compared)
//! and its first words for people, so that the build can name every
//! citation whose passage changed, and where its old words went.
//!
//! ```toml
//! ["2023-01-31-icet-fact-sheet"]
//! p1 = { fingerprint = "4b1e0f6a9c2d7e35", text = "President Biden and Prime Minister Modi announced …" }
//! ```
//!
//! Sources and anchors are sorted, so the file changes only where the
//! citations do, and reads well in a diff.

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::sync::Arc;

use sha2::{Digest, Sha256};

use crate::diagnostics::Diagnostic;
use crate::model::quotations::words::tokens;
use crate::source::{SourceFile, Span};
use crate::toml_fields::{self, Place, Table};

/// The lock file's name, at the project root.
pub const LOCK_FILE: &str = "sources.lock";

/// How many words of a passage the lock shows.
const START_WORDS: usize = 12;

/// What one cited passage said.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Locked {
    /// The fingerprint of its normalised words.
    pub fingerprint: String,
    /// Its first words, for people.
    pub text: String,
    /// Where the entry is in `sources.lock`, when it was read from there.
    pub span: Option<Span>,
}

impl Locked {
    /// The entry for a passage whose text is `text`.
    pub fn of(text: &str) -> Locked {
        Locked {
            fingerprint: fingerprint(text),
            text: start(text),
            span: None,
        }
    }

    /// Whether `text` has the words this entry recorded.
    pub fn matches(&self, text: &str) -> bool {
        self.fingerprint == fingerprint(text)
    }
}

/// The cited passages of every source, by source slug and anchor.
#[derive(Debug, Clone, Default, PartialEq, Eq, Hash)]
pub struct SourcesLock {
    /// The entries, sorted by source and anchor.
    pub passages: BTreeMap<(String, String), Locked>,
}

impl SourcesLock {
    /// The entry of the passage `anchor` of the source `slug`.
    pub fn get(&self, slug: &str, anchor: &str) -> Option<&Locked> {
        self.passages.get(&(slug.to_string(), anchor.to_string()))
    }

    /// The file's text: a comment, then a table per source with an entry
    /// per passage, both sorted.
    pub fn to_toml(&self) -> String {
        let mut out = String::from(
            "# What each cited passage of a source said when its citations were\n\
             # last accepted. dossier records newly cited passages itself; when a\n\
             # source changes, `dossier check` names every citation it affects, and\n\
             # `dossier check --accept-sources` records the new words once a person\n\
             # has reviewed them. Keep this file under version control.\n",
        );
        let mut current: Option<&str> = None;
        for ((slug, anchor), locked) in &self.passages {
            if current != Some(slug.as_str()) {
                let _ = write!(out, "\n[{}]\n", toml_key(slug));
                current = Some(slug);
            }
            let _ = writeln!(
                out,
                "{} = {{ fingerprint = {}, text = {} }}",
                toml_key(anchor),
                toml_string(&locked.fingerprint),
                toml_string(&locked.text)
            );
        }
        out
    }
}

/// What a run changed in `sources.lock`.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct LockUpdate {
    /// Whether the file was created.
    pub created: bool,
    /// Passages recorded for the first time: newly cited.
    pub recorded: usize,
    /// Passages no longer cited, dropped.
    pub dropped: usize,
    /// Changed passages whose new words were accepted.
    pub accepted: usize,
}

impl LockUpdate {
    /// What replacing `old` (none: no file) by `new` changes.
    pub fn between(old: Option<&SourcesLock>, new: &SourcesLock) -> LockUpdate {
        let empty = SourcesLock::default();
        let before = old.unwrap_or(&empty);
        let mut update = LockUpdate {
            created: old.is_none(),
            ..LockUpdate::default()
        };
        for (key, entry) in &new.passages {
            match before.passages.get(key) {
                None => update.recorded += 1,
                Some(kept) if kept.fingerprint != entry.fingerprint => update.accepted += 1,
                Some(_) => {}
            }
        }
        update.dropped = before
            .passages
            .keys()
            .filter(|key| !new.passages.contains_key(*key))
            .count();
        update
    }

    /// Whether anything changed.
    pub fn is_change(&self) -> bool {
        self.created || self.recorded + self.dropped + self.accepted > 0
    }

    /// What changed, in a line: `sources.lock: recorded 2 newly cited
    /// passages, dropped 1 passage no longer cited`.
    pub fn describe(&self) -> String {
        let count = |n: usize, what: &str| {
            let s = if n == 1 { "" } else { "s" };
            format!("{n} {what}{s}")
        };
        if self.created {
            return format!(
                "{LOCK_FILE}: created, recording {}",
                count(self.recorded, "cited passage")
            );
        }
        let mut parts = Vec::new();
        if self.accepted > 0 {
            parts.push(format!(
                "accepted {}",
                count(self.accepted, "changed passage")
            ));
        }
        if self.recorded > 0 {
            parts.push(format!(
                "recorded {}",
                count(self.recorded, "newly cited passage")
            ));
        }
        if self.dropped > 0 {
            parts.push(format!(
                "dropped {} no longer cited",
                count(self.dropped, "passage")
            ));
        }
        format!("{LOCK_FILE}: {}", parts.join(", "))
    }
}

/// Writes `lock` as the file at `path`, in one step (a new file renamed
/// over the old), so that it is never half written.
pub fn write(path: &std::path::Path, lock: &SourcesLock) -> std::io::Result<()> {
    let fresh = path.with_extension("lock.new");
    std::fs::write(&fresh, lock.to_toml())?;
    std::fs::rename(&fresh, path)
}

/// Reads `sources.lock`; every problem is reported in it, and the entries
/// that could be read are returned.
pub fn read(file: &Arc<SourceFile>, diagnostics: &mut Vec<Diagnostic>) -> SourcesLock {
    let mut lock = SourcesLock::default();
    let place = Place::new(Arc::clone(file), 0);
    let Some(table) = toml_fields::parse(file.text(), &place, diagnostics) else {
        return lock;
    };
    let reader = Table::new(table.get_ref(), file.start_span(), &place, LOCK_FILE);
    for (slug, source) in reader.tables(diagnostics) {
        for (anchor, entry) in source.tables(diagnostics) {
            entry.deny_unknown_keys(&["fingerprint", "text"], diagnostics);
            let fingerprint =
                entry.required_string("fingerprint", "\"4b1e0f6a9c2d7e35\"", diagnostics);
            let text = entry.string("text", diagnostics);
            if let Some(fingerprint) = fingerprint {
                lock.passages.insert(
                    (slug.value.clone(), anchor.value),
                    Locked {
                        fingerprint: fingerprint.value,
                        text: text.map(|t| t.value).unwrap_or_default(),
                        span: Some(anchor.span),
                    },
                );
            }
        }
    }
    lock
}

/// The fingerprint of the words of `text`, read as quotations are compared
/// (spacing, quotation marks and dashes do not count): the first 16 hex
/// digits of their SHA-256, the same on every machine and version.
pub fn fingerprint(text: &str) -> String {
    let mut hasher = Sha256::new();
    for token in tokens(text) {
        hasher.update(token.norm.as_bytes());
        hasher.update(b" ");
    }
    hasher.finalize()[..8]
        .iter()
        .fold(String::with_capacity(16), |mut hex, byte| {
            let _ = write!(hex, "{byte:02x}");
            hex
        })
}

/// The first words of `text`, spaces made single, with `…` when there are
/// more.
fn start(text: &str) -> String {
    let mut words = text.split_whitespace();
    let mut start: Vec<&str> = words.by_ref().take(START_WORDS).collect();
    if words.next().is_some() {
        start.push("…");
    }
    start.join(" ")
}

/// `key` as a TOML key: bare when it can be, quoted otherwise.
fn toml_key(key: &str) -> String {
    let bare = !key.is_empty()
        && key
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_');
    if bare {
        key.to_string()
    } else {
        toml_string(key)
    }
}

/// `text` as a TOML basic string.
fn toml_string(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 2);
    out.push('"');
    for c in text.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            c if c.is_control() => {
                let _ = write!(out, "\\u{:04X}", u32::from(c));
            }
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_fingerprint_ignores_spacing_quotes_and_dashes_but_not_words() {
        let a = fingerprint("The “two” countries — together.");
        assert_eq!(a, fingerprint("The  \"two\"\ncountries - together."));
        assert_ne!(a, fingerprint("The three countries - together."));
        assert_eq!(a.len(), 16);
    }

    #[test]
    fn a_lock_reads_back_what_it_wrote() {
        let mut lock = SourcesLock::default();
        for (slug, anchor, text) in [
            (
                "2023 sheet",
                "space-p2",
                "Two \"quoted\" words\\ and a long tail of words that goes on past the first twelve.",
            ),
            ("2023 sheet", "p1", "First."),
            ("other", "a.b", "Other."),
        ] {
            lock.passages
                .insert((slug.into(), anchor.into()), Locked::of(text));
        }
        let text = lock.to_toml();
        let file = Arc::new(SourceFile::new(LOCK_FILE, text.clone()));
        let mut diagnostics = Vec::new();
        let read = read(&file, &mut diagnostics);
        assert!(diagnostics.is_empty(), "{diagnostics:?}\n{text}");
        let strip = |lock: &SourcesLock| {
            lock.passages
                .iter()
                .map(|(k, v)| (k.clone(), v.fingerprint.clone(), v.text.clone()))
                .collect::<Vec<_>>()
        };
        assert_eq!(strip(&read), strip(&lock));
        assert!(text.contains("[\"2023 sheet\"]\np1 = "), "{text}");
        assert!(text.contains("of words that goes on …\""), "{text}");
    }
}
