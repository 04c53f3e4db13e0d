//! `dossier fix`: moves every citation whose passage's old words are now at
//! another anchor of the source to that anchor, and records the move in
//! `sources.lock`.
//!
//! Only what the build found for certain is changed: the citations of
//! passages whose words changed since the lock recorded them, when those
//! words stand unchanged at another anchor. Each edit is the anchor of one
//! link, checked against the file as it is on disk before it is made.

use std::collections::BTreeMap;
use std::path::PathBuf;

use crate::diagnostics::{Code, Diagnostic};
use crate::load::lock::{self, Locked};
use crate::load::{Changes, LOCK_FILE, Project};
use crate::model::drift::CitationMove;
use crate::session::{LockFile, Session};
use crate::source::{SourceFile, Span};

/// One citation moved.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Edit {
    /// The page's file, relative to the project.
    pub file: PathBuf,
    /// The line and column of the anchor in the file, before the edit.
    pub line: usize,
    /// The column, in characters.
    pub col: usize,
    /// The source's slug.
    pub source: String,
    /// The anchor that was cited.
    pub from: String,
    /// The anchor cited now.
    pub to: String,
}

impl Edit {
    /// The edit in a line: `content/a.md:12:40: source:sheet#space-p3 -> #space-p4`.
    pub fn describe(&self) -> String {
        format!(
            "{}:{}:{}: source:{}#{} -> #{}",
            self.file.display(),
            self.line,
            self.col,
            self.source,
            self.from,
            self.to
        )
    }
}

/// Moves the citations of the project at `project` that the build knows
/// where to move, and records the moves in `sources.lock`. Returns the
/// edits made, or the problems that kept it from making them.
pub fn run(project: &Project) -> Result<Vec<Edit>, Vec<Diagnostic>> {
    let prepared = Session::one_off(project.clone()).prepare(&Changes::default());
    // A project that cannot be read is reported by the check that follows.
    let Some(site) = prepared.site else {
        return Ok(Vec::new());
    };
    let LockFile::Read(mut recorded) = prepared.lock else {
        return Ok(Vec::new());
    };
    let mut by_file: BTreeMap<&PathBuf, Vec<&CitationMove>> = BTreeMap::new();
    for citation in &site.citation_moves {
        by_file.entry(&citation.file).or_default().push(citation);
    }
    let mut edits = Vec::new();
    let mut problems = Vec::new();
    for (file, mut moves) in by_file {
        let path = project.root().join(file);
        let Ok(text) = std::fs::read_to_string(&path) else {
            problems.push(
                Diagnostic::error(Code::Io, "cannot read the file to fix it")
                    .at(Span::file_only(file.clone())),
            );
            continue;
        };
        let shown = SourceFile::new(file.clone(), text.clone());
        let mut fixed = text;
        // From the end, so that earlier offsets stay right.
        moves.sort_by_key(|citation| std::cmp::Reverse(citation.range.start));
        for citation in moves {
            if fixed.get(citation.range.clone()) != Some(citation.from.as_str()) {
                continue;
            }
            fixed.replace_range(citation.range.clone(), &citation.to);
            let (line, col) = shown.line_col(citation.range.start);
            edits.push(Edit {
                file: file.clone(),
                line,
                col,
                source: citation.source.clone(),
                from: citation.from.clone(),
                to: citation.to.clone(),
            });
            if let Some(source) = site.sources.iter().find(|s| s.seed.slug == citation.source)
                && let Some(passage) = source.body.passages.iter().find(|p| p.id == citation.to)
            {
                recorded.passages.insert(
                    (citation.source.clone(), citation.to.clone()),
                    Locked::of(passage.text()),
                );
            }
        }
        if let Err(error) = write_over(&path, &fixed) {
            problems.push(
                Diagnostic::error(Code::Io, format!("cannot write the fixed file: {error}"))
                    .at(Span::file_only(file.clone())),
            );
        }
    }
    if !edits.is_empty()
        && let Err(error) = lock::write(&project.root().join(LOCK_FILE), &recorded)
    {
        problems.push(
            Diagnostic::error(Code::Io, format!("cannot write {LOCK_FILE}: {error}"))
                .at(Span::file_only(LOCK_FILE)),
        );
    }
    edits.sort_by(|a, b| (&a.file, a.line, a.col).cmp(&(&b.file, b.line, b.col)));
    if problems.is_empty() {
        Ok(edits)
    } else {
        Err(problems)
    }
}

/// Writes `text` over the file at `path` in one step.
fn write_over(path: &std::path::Path, text: &str) -> std::io::Result<()> {
    let name = path.file_name().unwrap_or_default().to_string_lossy();
    let fresh = path.with_file_name(format!(".{name}.dossier-fix"));
    std::fs::write(&fresh, text)?;
    std::fs::rename(&fresh, path)
}
