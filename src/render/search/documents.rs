//! The documents of the search index, gathered from the site: every page
//! in reading order, then the agencies, the topics and the source
//! documents, each with its names and its passages, numbered as the index
//! numbers them.

use std::collections::HashMap;
use std::ops::Range;

use serde::Serialize;
use serde::ser::{SerializeSeq, Serializer};

use super::numbers;

use crate::links::{TermKind, layout};
use crate::markdown::{Annotation, Passage, PassageKind};
use crate::model::{PageId, Site, Term};
use crate::paths::OutputPath;

/// What a document is, as the index numbers it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[repr(u8)]
pub enum DocKind {
    /// A content page.
    Page = 0,
    /// An agency.
    Agency = 1,
    /// A topic.
    Topic = 2,
    /// A source document.
    Source = 3,
}

/// What a passage is, as the index numbers it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[repr(u8)]
pub enum Role {
    /// A paragraph, list item or table row.
    Body = 0,
    /// A heading.
    Heading = 1,
    /// The document's lead: a page's summary, an entry's description.
    Lead = 2,
}

/// One document: a page of the site that results lead to.
#[derive(Clone)]
pub struct Document<'a> {
    /// Its title: a page's, an entry's name.
    pub title: &'a str,
    /// Its other names: an entry's short name and aliases.
    pub names: Vec<&'a str>,
    /// An entry's id, which finds it too.
    pub id: Option<&'a str>,
    /// Where it is.
    pub path: &'a OutputPath,
    /// What it is.
    pub kind: DocKind,
    /// Its passages, the lead first (passage 0, always there, perhaps
    /// empty), then the others that have text.
    pub passages: Vec<DocPassage<'a>>,
}

/// One passage of a document.
#[derive(Clone)]
pub struct DocPassage<'a> {
    /// Its anchor in the page; empty for the lead.
    pub anchor: &'a str,
    /// Its text.
    pub text: &'a str,
    /// What it is.
    pub role: Role,
    /// The agencies and topics it annotates (each an entry's document in a
    /// docs shard: see [`TermNumbers`]).
    pub annotations: &'a [Annotation],
}

impl Document<'_> {
    /// Every name that finds it: the title, the other names and the id.
    pub fn all_names(&self) -> impl Iterator<Item = &str> {
        std::iter::once(self.title)
            .chain(self.names.iter().copied())
            .chain(self.id)
    }
}

/// The documents of a site, made as they are needed rather than held all
/// at once: the pages in reading order (document 0 on), then the agencies,
/// the topics and the source documents. A document borrows what it shows
/// from the site, but its list of passages is its own: held all at once,
/// the documents of 100,000 pages took about 140 MB, all of it new memory,
/// which is what costs a large build most.
pub struct Documents<'a> {
    site: &'a Site,
    order: Vec<PageId>,
    numbers: TermNumbers<'a>,
}

impl<'a> Documents<'a> {
    /// The documents of `site`.
    pub fn of(site: &'a Site) -> Self {
        let order = site.reading_order();
        let first_agency = order.len();
        let numbers = TermNumbers::new(
            numbers(&site.agencies, first_agency),
            numbers(&site.topics, first_agency + site.agencies.len()),
        );
        Documents {
            site,
            order,
            numbers,
        }
    }

    /// How many documents there are.
    pub fn len(&self) -> usize {
        self.order.len()
            + self.site.agencies.len()
            + self.site.topics.len()
            + self.site.sources.len()
    }

    /// Whether there are none.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// The document number of each agency and topic.
    pub fn numbers(&self) -> &TermNumbers<'a> {
        &self.numbers
    }

    /// The documents numbered `numbers`, in order.
    pub fn range(&self, numbers: Range<usize>) -> Vec<Document<'a>> {
        numbers.filter_map(|number| self.get(number)).collect()
    }

    /// The document numbered `number`, if there is one.
    pub fn get(&self, number: usize) -> Option<Document<'a>> {
        let site = self.site;
        if let Some(&id) = self.order.get(number) {
            let page = site.page(id);
            return Some(Document {
                title: &page.title,
                names: Vec::new(),
                id: None,
                path: &page.output,
                kind: DocKind::Page,
                passages: passages(page.summary.as_deref().unwrap_or(""), &page.body.passages),
            });
        }
        let mut at = number - self.order.len();
        for (kind, doc_kind) in [
            (TermKind::Agency, DocKind::Agency),
            (TermKind::Topic, DocKind::Topic),
        ] {
            let terms = site.terms(kind);
            match terms.get(at) {
                Some(term) => return Some(entry_document(term, doc_kind)),
                None => at -= terms.len(),
            }
        }
        let source = site.sources.get(at)?;
        Some(Document {
            title: &source.seed.title,
            names: Vec::new(),
            id: None,
            path: &source.output,
            kind: DocKind::Source,
            passages: passages("", &source.body.passages),
        })
    }
}

/// The document of the registry entry `term`.
fn entry_document(term: &Term, kind: DocKind) -> Document<'_> {
    let entry = &term.entry;
    let mut names: Vec<&str> = Vec::with_capacity(entry.aliases.len() + 2);
    if entry.short != entry.name {
        names.push(&entry.short);
    }
    names.extend(entry.aliases.iter().map(|alias| alias.value.as_str()));
    Document {
        title: &entry.name,
        names,
        id: Some(&entry.id.value),
        path: &term.output,
        kind,
        passages: passages(&entry.description, &[]),
    }
}

/// The lead, then every passage of `body` that has text.
fn passages<'a>(lead: &'a str, body: &'a [Passage]) -> Vec<DocPassage<'a>> {
    let mut passages = Vec::with_capacity(body.len() + 1);
    passages.push(DocPassage {
        anchor: "",
        text: lead,
        role: Role::Lead,
        annotations: &[],
    });
    for passage in body {
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
        passages.push(DocPassage {
            anchor: passage.id.as_str(),
            text: passage.text(),
            role,
            annotations: &passage.annotations,
        });
    }
    passages
}

/// The document number of every agency and topic, by id.
pub struct TermNumbers<'a> {
    agencies: HashMap<&'a str, usize>,
    topics: HashMap<&'a str, usize>,
}

impl<'a> TermNumbers<'a> {
    /// The numbers of the agencies and the topics given, by id.
    pub fn new(
        agencies: impl IntoIterator<Item = (&'a str, usize)>,
        topics: impl IntoIterator<Item = (&'a str, usize)>,
    ) -> Self {
        TermNumbers {
            agencies: agencies.into_iter().collect(),
            topics: topics.into_iter().collect(),
        }
    }

    /// The document number of every agency and topic.
    pub fn all(&self) -> impl Iterator<Item = usize> + '_ {
        self.agencies.values().chain(self.topics.values()).copied()
    }

    /// The document number of the entry `id` of the registry `kind`.
    pub fn get(&self, kind: TermKind, id: &str) -> Option<usize> {
        match kind {
            TermKind::Agency => self.agencies.get(id),
            TermKind::Topic => self.topics.get(id),
        }
        .copied()
    }
}

/// The document number of each entry of `terms`, the first at `first`.
fn numbers(terms: &[Term], first: usize) -> impl Iterator<Item = (&str, usize)> {
    terms
        .iter()
        .enumerate()
        .map(move |(i, term)| (term.entry.id.value.as_str(), first + i))
}

impl Document<'_> {
    /// About how many bytes the document takes in a docs shard.
    pub fn size(&self) -> usize {
        let names: usize = self.names.iter().map(|name| name.len() + 3).sum();
        let passages: usize = self
            .passages
            .iter()
            .map(|p| p.anchor.len() + p.text.len() + 10 + p.annotations.len() * 12)
            .sum();
        self.title.len() + self.path.as_str().len() + names + passages + 16
    }
}

/// Consecutive documents, as a docs shard writes them (see [`super`]), with
/// the document numbers of the entries their passages annotate.
pub struct DocumentsShard<'d, 'a>(pub &'d [Document<'a>], pub &'d TermNumbers<'a>);

impl Serialize for DocumentsShard<'_, '_> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let DocumentsShard(documents, numbers) = self;
        let mut seq = serializer.serialize_seq(Some(documents.len()))?;
        for doc in *documents {
            let mut heading = "";
            let passages: Vec<PassageEntry<'_>> = doc
                .passages
                .iter()
                .map(|passage| {
                    let entry = PassageEntry::new(passage, heading, numbers);
                    if passage.role == Role::Heading {
                        heading = passage.anchor;
                    }
                    entry
                })
                .collect();
            let path = doc.path.as_str();
            let home = layout::home();
            let path = if path == home.as_str() {
                ""
            } else {
                path.strip_suffix(home.as_str()).unwrap_or(path)
            };
            seq.serialize_element(&(doc.title, path, doc.kind as u8, &doc.names, passages))?;
        }
        seq.end()
    }
}

/// A passage as a docs shard writes it.
struct PassageEntry<'a> {
    passage: &'a DocPassage<'a>,
    /// The anchor, shortened where the heading above starts it.
    anchor: &'a str,
    /// The UTF-16 range and document of each annotation, as numbers.
    annotations: String,
}

impl<'a> PassageEntry<'a> {
    fn new(passage: &'a DocPassage<'a>, heading: &str, numbers: &TermNumbers<'_>) -> Self {
        let anchor = match passage.anchor.strip_prefix(heading) {
            Some(rest) if !heading.is_empty() && rest.starts_with('-') => rest,
            _ => passage.anchor,
        };
        let text = passage.text;
        let utf16 = |at: usize| text.get(..at).map_or(0, |head| head.encode_utf16().count());
        let mut annotations = String::new();
        let mut end = 0;
        for annotation in passage.annotations {
            let Some(doc) = numbers.get(annotation.kind, &annotation.id) else {
                continue;
            };
            let (start, stop) = (utf16(annotation.range.start), utf16(annotation.range.end));
            numbers::push(&mut annotations, start.saturating_sub(end) as u64);
            numbers::push(&mut annotations, stop.saturating_sub(start) as u64);
            numbers::push(&mut annotations, doc as u64);
            end = stop;
        }
        PassageEntry {
            passage,
            anchor,
            annotations,
        }
    }
}

impl Serialize for PassageEntry<'_> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let p = self.passage;
        let fields = match (self.annotations.is_empty(), p.role) {
            (false, _) => 4,
            (true, Role::Body) => 2,
            (true, _) => 3,
        };
        let mut seq = serializer.serialize_seq(Some(fields))?;
        seq.serialize_element(self.anchor)?;
        seq.serialize_element(p.text)?;
        if fields > 2 {
            seq.serialize_element(&(p.role as u8))?;
        }
        if fields > 3 {
            seq.serialize_element(&self.annotations)?;
        }
        seq.end()
    }
}
