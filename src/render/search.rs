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

use rayon::prelude::*;
use serde::Serialize;

use crate::links::TermKind;
use crate::markdown::{Passage, PassageKind};
use crate::model::{Site, Term};
use crate::paths::OutputPath;

/// The global the index script assigns the data to.
pub const GLOBAL: &str = "dossierSearchIndex";

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
type DocEntry<'a> = (&'a str, &'a str, u8, &'a [&'a str]);

/// `[document, anchor, text, role, documents mentioned]`.
type PassageEntry<'a> = (usize, &'a str, &'a str, u8, &'a [usize]);

/// One document of the index: what its entry and passages are made from.
struct Document<'a> {
    title: &'a str,
    path: &'a OutputPath,
    kind: DocKind,
    names: Vec<&'a str>,
    lead: &'a str,
    passages: &'a [Passage],
}

impl Document<'_> {
    /// Appends the document's entry of `"d"`.
    fn write_entry(&self, out: &mut Vec<u8>) {
        let entry: DocEntry<'_> = (self.title, self.path.as_str(), self.kind as u8, &self.names);
        write_json(out, &entry);
    }

    /// Appends the document's passages of `"p"`, its lead first, as the
    /// document at `position`, separated by commas.
    fn write_passages(&self, position: usize, terms: &TermDocs<'_>, out: &mut Vec<u8>) {
        let lead: PassageEntry<'_> = (position, "", self.lead, Role::Lead as u8, &[]);
        write_json(out, &lead);
        let mut mentioned = Vec::new();
        for passage in self.passages {
            if passage.text().trim().is_empty() {
                continue;
            }
            let role = match passage.kind {
                PassageKind::Heading => Role::Heading,
                PassageKind::Paragraph
                | PassageKind::ListItem
                | PassageKind::TableRow
                | PassageKind::TableHead => Role::Body,
            };
            mentioned.clear();
            mentioned.extend(
                passage
                    .terms()
                    .into_iter()
                    .filter_map(|(kind, id)| terms.get(kind, id)),
            );
            out.push(b',');
            let entry: PassageEntry<'_> = (
                position,
                passage.id.as_str(),
                passage.text(),
                role as u8,
                &mentioned,
            );
            write_json(out, &entry);
        }
    }
}

/// Appends `value` to `out` as script-safe JSON.
fn write_json(out: &mut Vec<u8>, value: &impl Serialize) {
    let mut serializer = serde_json::Serializer::with_formatter(out, ScriptSafe);
    // Tuples of strings, numbers and arrays of them always serialise, and
    // writing into a Vec cannot fail.
    let _ = value.serialize(&mut serializer);
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

/// How many documents' passages are written in parallel at a time: enough
/// to keep every core busy, few enough that their buffers stay small.
const BATCH: usize = 256;

/// Writes the index of `site` to `out`, as the bytes of `search/index.js`.
/// The passages of each batch of documents are written in parallel, then
/// handed to `out` in order, so that the index is never held whole.
pub fn write_index_script(site: &Site, out: &mut dyn std::io::Write) -> std::io::Result<()> {
    let documents = documents(site);
    let first_agency =
        documents.len() - site.agencies.len() - site.topics.len() - site.sources.len();
    let terms = TermDocs {
        agencies: positions(&site.agencies, first_agency),
        topics: positions(&site.topics, first_agency + site.agencies.len()),
    };
    let mut entries = format!("window.{GLOBAL} = {{\"d\":[").into_bytes();
    for (i, document) in documents.iter().enumerate() {
        if i > 0 {
            entries.push(b',');
        }
        document.write_entry(&mut entries);
    }
    entries.extend_from_slice(b"],\"p\":[");
    out.write_all(&entries)?;
    drop(entries);
    for (batch, chunk) in documents.chunks(BATCH).enumerate() {
        let written: Vec<Vec<u8>> = chunk
            .par_iter()
            .enumerate()
            .map(|(i, document)| {
                let position = batch * BATCH + i;
                // Every document has at least its lead passage.
                let mut passages = if position == 0 {
                    Vec::new()
                } else {
                    vec![b',']
                };
                document.write_passages(position, &terms, &mut passages);
                passages
            })
            .collect();
        for passages in written {
            out.write_all(&passages)?;
        }
    }
    out.write_all(b"]};\n")
}

/// Every document of `site`: the pages in reading order, then the
/// agencies, the topics and the source documents.
fn documents(site: &Site) -> Vec<Document<'_>> {
    let mut documents: Vec<Document<'_>> = site
        .reading_order()
        .into_iter()
        .map(|id| {
            let page = site.page(id);
            Document {
                title: &page.title,
                path: &page.output,
                kind: DocKind::Page,
                names: Vec::new(),
                lead: page.summary.as_deref().unwrap_or(""),
                passages: &page.body.passages,
            }
        })
        .collect();
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
            documents.push(Document {
                title: &entry.name,
                path: &term.output,
                kind: doc_kind,
                names,
                lead: &entry.description,
                passages: &[],
            });
        }
    }
    for source in &site.sources {
        documents.push(Document {
            title: &source.seed.title,
            path: &source.output,
            kind: DocKind::Source,
            names: Vec::new(),
            lead: "",
            passages: &source.body.passages,
        });
    }
    documents
}

/// JSON as `serde_json` writes it, except that `<`, `>`, `&`, U+2028 and
/// U+2029 in strings are written as `\uXXXX` escapes (see [`script_safe`]).
struct ScriptSafe;

impl serde_json::ser::Formatter for ScriptSafe {
    fn write_string_fragment<W: ?Sized + std::io::Write>(
        &mut self,
        writer: &mut W,
        fragment: &str,
    ) -> std::io::Result<()> {
        let bytes = fragment.as_bytes();
        // Where the next `<`, `>` or `&` is, and the next E2 byte that may
        // start U+2028 or U+2029 (E2 80 A8, E2 80 A9): each found with a
        // fast search, and looked for again only once passed.
        let markup_from =
            |at: usize| memchr::memchr3(b'<', b'>', b'&', &bytes[at..]).map(|i| at + i);
        let e2_from = |at: usize| memchr::memchr(0xE2, &bytes[at..]).map(|i| at + i);
        let mut markup = markup_from(0);
        let mut e2 = e2_from(0);
        let mut start = 0;
        loop {
            let (at, escape, width): (usize, &[u8], usize) = match (markup, e2) {
                (Some(m), e) if e.is_none_or(|e| m < e) => {
                    let escape: &[u8] = match bytes[m] {
                        b'<' => b"\\u003c",
                        b'>' => b"\\u003e",
                        _ => b"\\u0026",
                    };
                    markup = markup_from(m + 1);
                    (m, escape, 1)
                }
                (_, None) => break,
                (_, Some(e)) => {
                    e2 = e2_from(e + 1);
                    match bytes.get(e + 1..e + 3) {
                        Some([0x80, 0xA8]) => (e, b"\\u2028", 3),
                        Some([0x80, 0xA9]) => (e, b"\\u2029", 3),
                        _ => continue,
                    }
                }
            };
            writer.write_all(&bytes[start..at])?;
            writer.write_all(escape)?;
            start = at + width;
        }
        writer.write_all(&bytes[start..])
    }
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
    fn the_script_safe_formatter_escapes_like_script_safe() {
        let text = "a</b> & \u{2028}x\u{2029}é \u{2027}\u{202A} \"q\" \\";
        let mut out = Vec::new();
        write_json(&mut out, &(text, 1, [text]));
        let plain = serde_json::to_string(&(text, 1, [text])).unwrap();
        assert_eq!(String::from_utf8(out).unwrap(), script_safe(&plain));
    }

    proptest::proptest! {
        #[test]
        fn the_script_safe_formatter_escapes_any_text_like_script_safe(
            text in "([<>&\"\\\\a\u{e9}\u{2013}\u{201c}\u{2027}\u{2028}\u{2029}\u{202a} \n]|\\PC){0,40}"
        ) {
            let mut out = Vec::new();
            write_json(&mut out, &text);
            let plain = serde_json::to_string(&text).unwrap();
            proptest::prop_assert_eq!(String::from_utf8(out).unwrap(), script_safe(&plain));
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
