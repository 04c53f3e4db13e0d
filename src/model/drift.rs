//! Citations that drifted: the passages whose words changed since
//! `sources.lock` recorded them, every citation they affect, and where the
//! old words went.
//!
//! A citation of a passage whose words are the lock's is fine. One whose
//! passage has other words now is a warning (an error under
//! `--deny-warnings`) at the citation: the passage may have been reworded
//! and still support the statement, or a passage inserted before it may
//! have moved the citation onto other words; a person decides. Where the
//! recorded words now stand at another anchor of the source, that anchor is
//! suggested, and `dossier fix` moves the citation there. A cited anchor
//! that is gone is an error of its own (a broken anchor, with the lock's
//! words and where they went).

use std::ops::Range;
use std::path::PathBuf;

use super::{Site, Source};
use crate::diagnostics::{Code, Diagnostic};
use crate::links::LinkTarget;
use crate::load::lock::{Locked, SourcesLock};

/// What a passage of a source is to the lock.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum PassageDrift {
    /// The lock does not record it (it was not cited when the lock was
    /// last written, or there is no lock).
    Unlocked,
    /// Its words are the lock's.
    Same,
    /// Its words changed since the lock recorded them.
    Changed(Locked),
}

/// A citation to move to the anchor where its passage's old words are now.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CitationMove {
    /// The page's file, relative to the project.
    pub file: PathBuf,
    /// Where the anchor is written in the file, in bytes (after the `#`).
    pub range: Range<usize>,
    /// The source's slug.
    pub source: String,
    /// The anchor cited.
    pub from: String,
    /// The anchor to cite.
    pub to: String,
}

/// The anchor of the passage of `source` that has the words `locked`
/// recorded, nearest to `near` (the passage's position) first.
pub fn find_words<'s>(source: &'s Source, locked: &Locked, near: Option<usize>) -> Option<&'s str> {
    let mut found: Vec<(usize, &str)> = source
        .body
        .passages
        .iter()
        .enumerate()
        .filter(|(_, passage)| locked.matches(passage.text()))
        .map(|(i, passage)| (i, passage.id.as_str()))
        .collect();
    found.sort_by_key(|(i, _)| near.map_or(*i, |near| i.abs_diff(near)));
    found.first().map(|(_, id)| *id)
}

/// Compares the cited passages of `site` with `lock`: records on each
/// source what each passage is to the lock, reports every citation of a
/// changed passage, and gathers the citations `dossier fix` can move.
pub fn check(site: &mut Site, lock: Option<&SourcesLock>, diagnostics: &mut Vec<Diagnostic>) {
    for source in &mut site.sources {
        source.drift = source
            .body
            .passages
            .iter()
            .map(
                |passage| match lock.and_then(|l| l.get(&source.seed.slug, &passage.id)) {
                    None => PassageDrift::Unlocked,
                    Some(locked) if locked.matches(passage.text()) => PassageDrift::Same,
                    Some(locked) => PassageDrift::Changed(locked.clone()),
                },
            )
            .collect();
    }
    if lock.is_none() {
        return;
    }
    let mut moves = Vec::new();
    for page in &site.pages {
        for link in &page.body.links {
            let LinkTarget::Source {
                slug,
                fragment: Some(anchor),
            } = &link.target
            else {
                continue;
            };
            let Some(source) = site.sources.iter().find(|s| s.seed.slug == *slug) else {
                continue;
            };
            let Some(at) = source.body.passages.iter().position(|p| p.id == *anchor) else {
                continue;
            };
            let PassageDrift::Changed(locked) = &source.drift[at] else {
                continue;
            };
            let now = &source.body.passages[at];
            let moved = find_words(source, locked, Some(at));
            let start = page.body_offset + link.range.start;
            let span = page.file.span(start..page.body_offset + link.range.end);
            let help = match moved {
                Some(to) => format!(
                    "its old words are now at `#{to}`: cite that (`dossier fix` moves every such citation), or accept the change with `dossier check --accept-sources` once you have read it"
                ),
                None => "read the passage again; if the page still says what it says, accept the change with `dossier check --accept-sources`".to_string(),
            };
            diagnostics.push(
                Diagnostic::warning(
                    Code::SourceChanged,
                    format!("the passage cited as `#{anchor}` has changed since sources.lock"),
                )
                .at(span)
                .label("cited here")
                .note(format!("sources.lock: “{}”", locked.text))
                .note(format!("now:          “{}”", Locked::of(now.text()).text))
                .help(help),
            );
            if let Some(to) = moved {
                let written = &page.file.text()[start..page.body_offset + link.range.end];
                if let Some(hash) = written.rfind('#') {
                    moves.push(CitationMove {
                        file: page.file.path().to_path_buf(),
                        range: start + hash + 1..start + written.len(),
                        source: slug.clone(),
                        from: anchor.clone(),
                        to: to.to_string(),
                    });
                }
            }
        }
    }
    site.citation_moves = moves;
}

/// The lock for `site` as it is now: every passage a page cites, with the
/// words it has, except that a passage whose words changed since `old`
/// keeps its old entry until the change is accepted (`accept`), and a
/// cited anchor that is gone keeps its entry (its words may be elsewhere).
pub fn updated_lock(site: &Site, old: Option<&SourcesLock>, accept: bool) -> SourcesLock {
    let mut lock = SourcesLock::default();
    for page in &site.pages {
        for link in &page.body.links {
            let LinkTarget::Source {
                slug,
                fragment: Some(anchor),
            } = &link.target
            else {
                continue;
            };
            let key = (slug.clone(), anchor.clone());
            if lock.passages.contains_key(&key) {
                continue;
            }
            let kept = old.and_then(|old| old.get(slug, anchor)).cloned();
            let current = site
                .sources
                .iter()
                .find(|s| s.seed.slug == *slug)
                .and_then(|s| s.body.passages.iter().find(|p| p.id == *anchor))
                .map(|passage| Locked::of(passage.text()));
            let entry = match (current, kept) {
                (Some(current), Some(kept))
                    if !accept && kept.fingerprint != current.fingerprint =>
                {
                    kept
                }
                (Some(current), _) => current,
                (None, Some(kept)) => kept,
                (None, None) => continue,
            };
            lock.passages.insert(
                key,
                Locked {
                    span: None,
                    ..entry
                },
            );
        }
    }
    lock
}
