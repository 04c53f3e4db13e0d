//! The search index: every title, heading, passage and registry name of the
//! site, shipped as `search/index.js`, a script that assigns the data to a
//! global. A `<script>` tag loads it from `file://` too, where `fetch` is
//! forbidden.
//!
//! The format is small: documents and passages are arrays of arrays, a
//! document is known by its position, and every text is there once.
//!
//! ```text
//! window.dossierSearchIndex = {
//!   "d": [[title, path, kind, [other names]], ...],
//!   "p": [[document, anchor, text, role, [documents it mentions]], ...]
//! };
//! ```
//!
//! A document is a page of the site: `kind` is 0 for a content page, 1 for
//! an agency, 2 for a topic, 3 for a source document; `path` is relative to
//! the site root; the other names of an agency or topic are its short name
//! and its aliases. A passage belongs to a document; `anchor` is its `id` in
//! the page (empty for the top of the page); `role` is 0 for a paragraph,
//! list item or table row, 1 for a heading, 2 for the document's lead (a
//! page's summary, an entry's description: one per document); the last
//! array lists the agency and topic documents the passage annotates, so
//! that any of their names finds it.
//!
//! The script can never end the `<script>` element that loads it or open a
//! comment in it: `<`, `>`, `&`, U+2028 and U+2029 are written as `\uXXXX`
//! escapes, which JSON and JavaScript read back as the same characters.

use std::collections::HashMap;

use serde::Serialize;

use crate::links::TermKind;
use crate::markdown::{Passage, PassageKind, Segment};
use crate::model::{Site, Term};
use crate::paths::OutputPath;

/// The global the index script assigns the data to.
pub const GLOBAL: &str = "dossierSearchIndex";

/// The path of the index script in the built site.
pub const SCRIPT_PATH: &str = "search/index.js";

/// What a document is, as the index numbers it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[repr(u8)]
enum DocKind {
    Page = 0,
    Agency = 1,
    Topic = 2,
    Source = 3,
}

/// What a passage is, as the index numbers it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[repr(u8)]
enum Role {
    Body = 0,
    Heading = 1,
    Lead = 2,
}

/// `[title, path, kind, other names]`.
type DocEntry<'a> = (&'a str, &'a str, u8, Vec<&'a str>);

/// `[document, anchor, text, role, documents mentioned]`.
type PassageEntry<'a> = (usize, &'a str, Text<'a>, u8, Vec<usize>);

/// A passage's text, put together only as it is written out, so that the
/// index never holds a copy of every passage of the site.
enum Text<'a> {
    /// A summary or description.
    Lead(&'a str),
    /// A passage of a page or source.
    Passage(&'a Passage),
}

impl Serialize for Text<'_> {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        match self {
            Text::Lead(text) => serializer.serialize_str(text),
            Text::Passage(passage) => serializer.serialize_str(&passage.text()),
        }
    }
}

/// The index as it is serialised.
#[derive(Serialize, Default)]
struct Index<'a> {
    d: Vec<DocEntry<'a>>,
    p: Vec<PassageEntry<'a>>,
}

impl<'a> Index<'a> {
    /// Adds a document with its lead passage; returns its position.
    fn document(
        &mut self,
        title: &'a str,
        path: &'a OutputPath,
        kind: DocKind,
        names: Vec<&'a str>,
        lead: &'a str,
    ) -> usize {
        let doc = self.d.len();
        self.d.push((title, path.as_str(), kind as u8, names));
        self.p
            .push((doc, "", Text::Lead(lead), Role::Lead as u8, Vec::new()));
        doc
    }

    /// Adds the passages of a document's body.
    fn passages(&mut self, doc: usize, passages: &'a [Passage], terms: &TermDocs<'_>) {
        for passage in passages {
            let blank = passage.segments.iter().all(|segment| match segment {
                Segment::Text(text) | Segment::Term { text, .. } => text.trim().is_empty(),
            });
            if blank {
                continue;
            }
            let role = match passage.kind {
                PassageKind::Heading => Role::Heading,
                PassageKind::Paragraph
                | PassageKind::ListItem
                | PassageKind::TableRow
                | PassageKind::TableHead => Role::Body,
            };
            let mentioned = passage
                .terms()
                .into_iter()
                .filter_map(|(kind, id)| terms.get(kind, id))
                .collect();
            self.p.push((
                doc,
                passage.id.as_str(),
                Text::Passage(passage),
                role as u8,
                mentioned,
            ));
        }
    }
}

/// The document position of every agency and topic, by id.
struct TermDocs<'a> {
    agencies: HashMap<&'a str, usize>,
    topics: HashMap<&'a str, usize>,
}

impl TermDocs<'_> {
    fn get(&self, kind: TermKind, id: &str) -> Option<usize> {
        match kind {
            TermKind::Agency => self.agencies.get(id),
            TermKind::Topic => self.topics.get(id),
        }
        .copied()
    }
}

/// The document position of each entry of `terms`, the first at `first`.
fn positions(terms: &[Term], first: usize) -> HashMap<&str, usize> {
    terms
        .iter()
        .enumerate()
        .map(|(i, term)| (term.entry.id.value.as_str(), first + i))
        .collect()
}

/// The index of `site`, as the bytes of `search/index.js`.
pub fn index_script(site: &Site) -> Vec<u8> {
    // Room for every text of the site once, so that the script is not
    // copied as it grows: memory not written to is not used.
    let texts: usize = site
        .pages
        .iter()
        .map(|page| page.file.text().len() + 64 * page.body.passages.len())
        .chain(
            site.sources
                .iter()
                .map(|source| source.seed.file.text().len()),
        )
        .sum();
    let mut script = Vec::with_capacity(texts + 4096);
    script.extend_from_slice(format!("window.{GLOBAL} = ").as_bytes());
    let mut safe = ScriptSafe::new(&mut script);
    // Arrays of strings and numbers always serialise; an empty index
    // would only make search find nothing.
    if serde_json::to_writer(&mut safe, &index(site)).is_err() {
        drop(safe);
        script.truncate(format!("window.{GLOBAL} = ").len());
        script.extend_from_slice(b"{}");
    } else {
        safe.finish();
    }
    script.extend_from_slice(b";\n");
    script
}

/// A writer that escapes, as [`script_safe`] does, what is written through
/// it, so that a large index is written once rather than copied.
struct ScriptSafe<'a> {
    out: &'a mut Vec<u8>,
    /// The first bytes of a three-byte character cut by a write.
    pending: Vec<u8>,
}

impl<'a> ScriptSafe<'a> {
    fn new(out: &'a mut Vec<u8>) -> Self {
        ScriptSafe {
            out,
            pending: Vec::new(),
        }
    }

    /// Writes the bytes held back at the end of the last write.
    fn finish(mut self) {
        let pending = std::mem::take(&mut self.pending);
        self.out.extend_from_slice(&pending);
    }
}

impl std::io::Write for ScriptSafe<'_> {
    fn write(&mut self, bytes: &[u8]) -> std::io::Result<usize> {
        let mut all = std::mem::take(&mut self.pending);
        all.extend_from_slice(bytes);
        let mut i = 0;
        while i < all.len() {
            match all[i] {
                b'<' => self.out.extend_from_slice(b"\\u003c"),
                b'>' => self.out.extend_from_slice(b"\\u003e"),
                b'&' => self.out.extend_from_slice(b"\\u0026"),
                0xE2 if i + 2 >= all.len() => {
                    // U+2028 and U+2029 are E2 80 A8 and E2 80 A9: wait for
                    // the rest of the character.
                    self.pending.extend_from_slice(&all[i..]);
                    break;
                }
                0xE2 if all[i + 1] == 0x80 && (all[i + 2] == 0xA8 || all[i + 2] == 0xA9) => {
                    let escape: &[u8] = if all[i + 2] == 0xA8 {
                        b"\\u2028"
                    } else {
                        b"\\u2029"
                    };
                    self.out.extend_from_slice(escape);
                    i += 3;
                    continue;
                }
                byte => self.out.push(byte),
            }
            i += 1;
        }
        Ok(bytes.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

/// Every document and passage of `site`: the pages in reading order, then
/// the agencies, the topics and the source documents.
fn index(site: &Site) -> Index<'_> {
    let order = site.reading_order();
    let first_agency = order.len();
    let first_topic = first_agency + site.agencies.len();
    let terms = TermDocs {
        agencies: positions(&site.agencies, first_agency),
        topics: positions(&site.topics, first_topic),
    };

    let mut index = Index::default();
    for id in order {
        let page = site.page(id);
        let doc = index.document(
            &page.title,
            &page.output,
            DocKind::Page,
            Vec::new(),
            page.summary.as_deref().unwrap_or(""),
        );
        index.passages(doc, &page.body.passages, &terms);
    }
    for (kind, doc_kind) in [
        (TermKind::Agency, DocKind::Agency),
        (TermKind::Topic, DocKind::Topic),
    ] {
        for term in site.terms(kind) {
            let entry = &term.entry;
            let mut names: Vec<&str> = Vec::with_capacity(entry.aliases.len() + 1);
            if entry.short != entry.name {
                names.push(&entry.short);
            }
            names.extend(entry.aliases.iter().map(|alias| alias.value.as_str()));
            index.document(
                &entry.name,
                &term.output,
                doc_kind,
                names,
                &entry.description,
            );
        }
    }
    for source in &site.sources {
        let doc = index.document(
            &source.seed.title,
            &source.output,
            DocKind::Source,
            Vec::new(),
            "",
        );
        index.passages(doc, &source.body.passages, &terms);
    }
    index
}

/// `json` made safe to stand inside an HTML `<script>` element: `<`, `>`,
/// `&`, U+2028 and U+2029 become `\uXXXX` escapes. Those characters can
/// only occur inside JSON strings, where the escapes mean the same.
///
/// ```
/// use dossier::render::search::script_safe;
/// assert_eq!(script_safe(r#"{"t":"</script><!--"}"#), r#"{"t":"\u003c/script\u003e\u003c!--"}"#);
/// ```
pub fn script_safe(json: &str) -> String {
    let mut out = String::with_capacity(json.len());
    for c in json.chars() {
        match c {
            '<' => out.push_str("\\u003c"),
            '>' => out.push_str("\\u003e"),
            '&' => out.push_str("\\u0026"),
            '\u{2028}' => out.push_str("\\u2028"),
            '\u{2029}' => out.push_str("\\u2029"),
            c => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_escaping_writer_escapes_like_script_safe_whatever_the_cuts() {
        use std::io::Write;
        let json = serde_json::to_string("a</b> & \u{2028}x\u{2029}é").unwrap();
        let bytes = json.as_bytes();
        for cut in 0..bytes.len() {
            let mut out = Vec::new();
            let mut safe = ScriptSafe::new(&mut out);
            safe.write_all(&bytes[..cut]).unwrap();
            safe.write_all(&bytes[cut..]).unwrap();
            safe.finish();
            assert_eq!(
                String::from_utf8(out).unwrap(),
                script_safe(&json),
                "cut at {cut}"
            );
        }
    }

    #[test]
    fn escaped_json_reads_back_as_the_same_text() {
        let text = "</script><script>alert(1)</script> <!-- a & b > c \u{2028}\u{2029} \\<";
        let json = serde_json::to_string(&text).unwrap();
        let safe = script_safe(&json);
        for forbidden in ['<', '>', '&', '\u{2028}', '\u{2029}'] {
            assert!(!safe.contains(forbidden), "{forbidden:?} left in {safe}");
        }
        let back: String = serde_json::from_str(&safe).unwrap();
        assert_eq!(back, text);
    }
}
