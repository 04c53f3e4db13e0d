//! The inverted index: for every stem, the documents and passages that
//! hold it and where in them it stands, and the words it was made from.
//! Built from the documents in parallel, a batch at a time, and merged in
//! document order, so that the same site always gives the same index.

use std::collections::{BTreeMap, BTreeSet};
use std::ops::Range;
use std::sync::{Arc, Mutex, PoisonError};

use foldhash::{HashMap, HashMapExt};

use rayon::prelude::*;

use super::documents::{Document, Role, TermNumbers};
use super::numbers;
use super::words::{Stems, fold, is_stop_word, words};

/// Where a word stands in a passage, as the index ranks it: the higher,
/// the more it says about the passage.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
#[repr(u8)]
pub enum Field {
    /// In the text of a paragraph, list item, table row or lead.
    Body = 0,
    /// In a heading.
    Heading = 1,
    /// In a name of an agency or topic that the passage annotates.
    Named = 2,
    /// In the document's own title or names (always passage 0).
    Name = 3,
}

/// One stem of the index.
#[derive(Debug, Default)]
pub struct Entry {
    /// The words of the site it was made from, folded.
    pub surfaces: BTreeSet<String>,
    /// How many documents hold it.
    pub documents: u32,
    /// Where it stands, encoded (see [`super`]).
    pub postings: String,
    /// The last document appended to `postings`.
    last: Option<usize>,
}

/// Every stem of the site, in order.
pub type Index = BTreeMap<String, Entry>;

/// Where a stem stands in one document, passage by passage in order: the
/// passage, the field and, for [`Field::Name`], the number of words of the
/// shortest name it is in.
type Hits = Vec<(u32, Field, u32)>;

/// What one document adds to the index: where each of its stems stands.
#[derive(Default)]
struct DocTerms {
    hits: HashMap<Arc<str>, Hits>,
}

/// Every word stemmed while one index is built, with its stem: each word
/// is stemmed once, and each thread keeps the words it has met in front of
/// the shared table, so that it seldom waits for it.
struct StemTable {
    stems: Stems,
    known: Mutex<HashMap<String, Arc<str>>>,
    /// One for each thread of the pool, and the last for a thread off it.
    fronts: Vec<Mutex<HashMap<String, Arc<str>>>>,
}

/// The stem table as one thread uses it.
struct Stemming<'t> {
    table: &'t StemTable,
    front: &'t mut HashMap<String, Arc<str>>,
}

impl StemTable {
    fn new() -> Self {
        let threads = rayon::current_num_threads() + 1;
        StemTable {
            stems: Stems::default(),
            known: Mutex::default(),
            fronts: (0..threads).map(|_| Mutex::default()).collect(),
        }
    }

    /// Runs `work` with the front of the thread it runs on: no other thread
    /// takes it meanwhile.
    fn with<T>(&self, work: impl FnOnce(&mut Stemming<'_>) -> T) -> T {
        let last = self.fronts.len() - 1;
        let slot = rayon::current_thread_index().map_or(last, |i| i.min(last));
        let mut front = self.fronts[slot]
            .lock()
            .unwrap_or_else(PoisonError::into_inner);
        work(&mut Stemming {
            table: self,
            front: &mut front,
        })
    }

    /// The stem of `word`, from the shared table or stemmed now.
    fn shared(&self, word: &str) -> Arc<str> {
        let known = || self.known.lock().unwrap_or_else(PoisonError::into_inner);
        if let Some(stem) = known().get(word) {
            return Arc::clone(stem);
        }
        let stem: Arc<str> = Arc::from(self.stems.stem(word));
        Arc::clone(known().entry(word.to_string()).or_insert(stem))
    }

    /// Every word stemmed, with its stem.
    fn words(self) -> HashMap<String, Arc<str>> {
        self.known
            .into_inner()
            .unwrap_or_else(PoisonError::into_inner)
    }
}

impl Stemming<'_> {
    fn stem(&mut self, word: &str) -> Arc<str> {
        if let Some(stem) = self.front.get(word) {
            return Arc::clone(stem);
        }
        let stem = self.table.shared(word);
        self.front.insert(word.to_string(), Arc::clone(&stem));
        stem
    }
}

/// `text` folded; plain ASCII takes the short way.
fn folded(text: &str) -> std::borrow::Cow<'_, str> {
    if text.is_ascii() {
        if text.bytes().any(|b| b.is_ascii_uppercase()) {
            std::borrow::Cow::Owned(text.to_ascii_lowercase())
        } else {
            std::borrow::Cow::Borrowed(text)
        }
    } else {
        std::borrow::Cow::Owned(fold(text))
    }
}

impl DocTerms {
    /// Records that `stem` stands in `passage` as `field`; `name_words`
    /// counts the words of the name it is in. Passages come in order.
    fn hit(&mut self, stem: Arc<str>, passage: u32, field: Field, name_words: u32) {
        let hits = self.hits.entry(stem).or_default();
        match hits.last_mut() {
            Some(slot) if slot.0 == passage => {
                if field > slot.1 {
                    *slot = (passage, field, name_words);
                } else if field == slot.1 && field == Field::Name {
                    slot.2 = slot.2.min(name_words);
                }
            }
            _ => hits.push((passage, field, name_words)),
        }
    }

    /// Records the words of `text` in `passage` as `field`.
    fn text(&mut self, stemming: &mut Stemming<'_>, text: &str, passage: u32, field: Field) {
        let text = folded(text);
        for word in words(&text) {
            if is_stop_word(&word.text) {
                continue;
            }
            let stem = stemming.stem(&word.text);
            self.hit(stem, passage, field, 0);
        }
    }
}

/// The stems of the names of each of the `count` documents (empty but for
/// the agencies and topics `numbers` numbers, which passages annotate);
/// stop words and hyphenated words written together are left out.
fn name_stems(
    count: usize,
    batch: &Batch<'_, '_>,
    numbers: &TermNumbers<'_>,
    stemming: &mut Stemming<'_>,
) -> Vec<Vec<Arc<str>>> {
    let mut names = vec![Vec::new(); count];
    for number in numbers.all().filter(|&number| number < count) {
        for doc in batch(number..number + 1) {
            if doc.id.is_none() {
                continue;
            }
            let mut stems = BTreeSet::new();
            for name in doc.all_names() {
                let name = folded(name);
                let found = words(&name);
                for word in found.iter().filter(|w| !w.joined && !is_stop_word(&w.text)) {
                    stems.insert(stemming.stem(&word.text));
                }
            }
            names[number] = stems.into_iter().collect();
        }
    }
    names
}

/// The stems of one document and where they stand.
fn doc_terms(
    doc: &Document<'_>,
    names: &[Vec<Arc<str>>],
    numbers: &TermNumbers<'_>,
    stemming: &mut Stemming<'_>,
) -> DocTerms {
    let mut terms = DocTerms::default();
    for name in doc.all_names() {
        let is_id = doc.id == Some(name);
        let name = folded(name);
        let found = words(&name);
        let count = found
            .iter()
            .filter(|w| !w.joined && !is_stop_word(&w.text))
            .count()
            .max(1) as u32;
        // An id's words written together are no one's way to name it.
        for word in found.iter().filter(|w| !(is_id && w.joined)) {
            let stem = stemming.stem(&word.text);
            terms.hit(stem, 0, Field::Name, count);
        }
    }
    for (i, passage) in doc.passages.iter().enumerate() {
        let i = i as u32;
        let field = match passage.role {
            Role::Heading => Field::Heading,
            Role::Body | Role::Lead => Field::Body,
        };
        terms.text(stemming, passage.text, i, field);
        let annotated = passage
            .annotations
            .iter()
            .filter_map(|annotation| numbers.get(annotation.kind, &annotation.id));
        for term in annotated {
            for stem in names.get(term).into_iter().flatten() {
                terms.hit(Arc::clone(stem), i, Field::Named, 0);
            }
        }
    }
    terms
}

/// How many documents are stemmed in parallel at a time before they are
/// merged: enough to keep every core busy, few enough to stay small.
const BATCH: usize = 64;

/// The documents numbered in a range, in order: made as they are needed
/// (see [`super::documents::Documents`]).
pub type Batch<'b, 'a> = dyn Fn(Range<usize>) -> Vec<Document<'a>> + Sync + 'b;

/// The index of the `count` documents that `batch` makes, whose passages
/// annotate the entries `numbers` numbers. The documents are made a batch
/// at a time, and dropped once indexed.
pub fn build(count: usize, batch: &Batch<'_, '_>, numbers: &TermNumbers<'_>) -> Index {
    let table = StemTable::new();
    let names = table.with(|stemming| name_stems(count, batch, numbers, stemming));
    let mut entries: HashMap<Arc<str>, Entry> = HashMap::new();
    for start in (0..count).step_by(BATCH) {
        let documents = batch(start..count.min(start + BATCH));
        let terms: Vec<DocTerms> = documents
            .par_iter()
            .map(|doc| table.with(|stemming| doc_terms(doc, &names, numbers, stemming)))
            .collect();
        for (i, doc) in terms.into_iter().enumerate() {
            merge(&mut entries, start + i, doc);
        }
    }
    // The words of the site each stem was made from.
    for (word, stem) in table.words() {
        if let Some(entry) = entries.get_mut(&stem) {
            entry.surfaces.insert(word);
        }
    }
    entries
        .into_iter()
        .map(|(stem, entry)| (stem.to_string(), entry))
        .collect()
}

/// Appends the stems of the document `number` to `index`.
/// Each stem's postings are its own: the order of a document's stems
/// does not matter.
fn merge(entries: &mut HashMap<Arc<str>, Entry>, number: usize, doc: DocTerms) {
    for (stem, hits) in doc.hits {
        let entry = entries.entry(stem).or_default();
        let gap = number - entry.last.map_or(0, |last| last + 1);
        entry.last = Some(number);
        entry.documents += 1;
        let out = &mut entry.postings;
        // The gap and, when it is below 8, the count, in one number.
        let count = hits.len() as u64;
        let small = if count < 8 { count } else { 0 };
        numbers::push(out, gap as u64 * 8 + small);
        if small == 0 {
            numbers::push(out, count);
        }
        let mut previous = 0;
        for (passage, field, name_words) in hits {
            numbers::push(out, u64::from(passage - previous) * 4 + field as u64);
            if field == Field::Name {
                numbers::push(out, u64::from(name_words));
            }
            previous = passage;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::super::documents::{DocKind, DocPassage};
    use super::*;
    use crate::links::TermKind;
    use crate::markdown::Annotation;
    use crate::paths::OutputPath;

    fn passage<'a>(text: &'a str, role: Role, annotations: &'a [Annotation]) -> DocPassage<'a> {
        DocPassage {
            anchor: "",
            text,
            role,
            annotations,
        }
    }

    /// `(passage, field, name words)`.
    type Hit = (u64, u64, u64);

    /// The postings of `stem`, decoded: per document, its number and its
    /// hits.
    fn postings(index: &Index, stem: &str) -> Vec<(u64, Vec<Hit>)> {
        let text = &index[stem].postings;
        let mut numbers = numbers::read(text).into_iter();
        let mut found = Vec::new();
        let mut doc = 0;
        let mut first = true;
        while let Some(head) = numbers.next() {
            let gap = head / 8;
            doc = if first { gap } else { doc + 1 + gap };
            first = false;
            let count = match head % 8 {
                0 => numbers.next().unwrap(),
                small => small,
            };
            let mut passage = 0;
            let mut hits = Vec::new();
            for _ in 0..count {
                let code = numbers.next().unwrap();
                passage += code / 4;
                let field = code % 4;
                let words = if field == 3 {
                    numbers.next().unwrap()
                } else {
                    0
                };
                hits.push((passage, field, words));
            }
            found.push((doc, hits));
        }
        found
    }

    #[test]
    fn stems_lead_to_their_passages_and_fields() {
        let page = OutputPath::page("p");
        let entry = OutputPath::page("agencies/isro");
        let isro = [Annotation {
            kind: TermKind::Agency,
            id: "isro".into(),
            range: 4..10,
        }];
        let documents = [
            Document {
                title: "Space launches",
                names: Vec::new(),
                id: None,
                path: &page,
                kind: DocKind::Page,
                passages: vec![
                    passage("About launching.", Role::Lead, &[]),
                    passage("Launch plans", Role::Heading, &[]),
                    passage("The agency launched it.", Role::Body, &isro),
                ],
            },
            Document {
                title: "Indian Space Research Organisation",
                names: vec!["ISRO"],
                id: Some("isro"),
                path: &entry,
                kind: DocKind::Agency,
                passages: vec![passage("", Role::Lead, &[])],
            },
        ];
        let numbers = TermNumbers::new([("isro", 1)], []);
        let index = build(
            documents.len(),
            &|range| documents[range].to_vec(),
            &numbers,
        );
        // "launches", "launching", "Launch", "launched": one stem.
        assert_eq!(
            postings(&index, "launch"),
            [(0, vec![(0, 3, 2), (1, 1, 0), (2, 0, 0)])]
        );
        let surfaces: Vec<&str> = index["launch"]
            .surfaces
            .iter()
            .map(String::as_str)
            .collect();
        assert_eq!(surfaces, ["launch", "launched", "launches", "launching"]);
        // The passage that annotates ISRO is found by its names; the
        // agency by its short name, a name of one word.
        assert_eq!(
            postings(&index, "isro"),
            [(0, vec![(2, 2, 0)]), (1, vec![(0, 3, 1)])]
        );
        assert_eq!(
            postings(&index, "space"),
            [(0, vec![(0, 3, 2), (2, 2, 0)]), (1, vec![(0, 3, 4)])]
        );
        assert_eq!(index["space"].documents, 2);
    }
}
