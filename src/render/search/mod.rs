//! The search index: every title, name, heading and passage of the site,
//! split into small scripts that the search page loads as it needs them.
//! Each is a `<script>` that hands its data to a registration function of
//! `window.dossierSearch` (defined by `static/search.js`): a script element
//! loads from `file://` too, where `fetch` is forbidden.
//!
//! ```text
//! search/index.js            the manifest, loaded with the search page
//! search/terms/<key>.js      the vocabulary of the stems that start with <key>
//! search/postings/<key>.<n>.js  where some of those stems stand
//! search/docs/<n>.js         the titles, names and passages of some documents
//! ```
//!
//! **Documents** are the pages in reading order, then the agencies, the
//! topics and the source documents, numbered from 0 in that order (see
//! [`documents`]). A document's passages are numbered from 0: passage 0 is
//! its lead (a page's summary, an entry's description, perhaps empty), the
//! others its headings, paragraphs, list items and table rows that have
//! text, in order.
//!
//! **Words** are folded, split and stemmed as [`words`] says; the index is
//! of stems. A stem stands in a passage as one of four fields: 0 the text,
//! 1 a heading, 2 a name of an agency or topic the passage annotates (so
//! that "ISRO" finds every passage annotating the Indian Space Research
//! Organisation), 3 the document's own title, names or id (passage 0).
//!
//! **The manifest** calls
//! `dossierSearch.manifest({"terms": [[key, file], ...], "docs": counts,
//! "dirs": [terms, postings, docs], "page": "index.html"})`: the vocabulary shards by key, each
//! in `<terms dir><file>.js`; how many documents each docs shard holds,
//! as [`numbers`] (shard 0 holds the first ones); the three folders
//! relative to the search page.
//!
//! **A vocabulary shard** calls `dossierSearch.terms(key, entries)` with
//! the stems that start with `key` (and with no longer key of the
//! manifest), in order, separated by spaces. An entry is
//! `stem:<documents><pack>` ([`numbers`]: how many documents hold the
//! stem, and the pack of postings it is in, `<postings dir><file>.<pack>.js`,
//! left out when it is 0)
//! followed, unless the only word it was made from is the stem itself, by
//! `:` and those words separated by commas, each written `~rest` when it
//! is the stem followed by `rest`: `scienc:E0:~e,~es`. A word finds its
//! stem in the shard of the longest key it starts with. A vocabulary of at
//! most [`VOCABULARY_SHARD`] bytes is one shard, whose key is empty (file
//! `_`); a larger one is split by the stems' first character, and a shard
//! still too large by their first two, then three.
//!
//! **A postings pack** calls `dossierSearch.postings(name, postings)`: the
//! postings of the stems of one vocabulary shard that are in this pack, in
//! the shard's order, separated by spaces. The postings of a stem are
//! [`numbers`]: for each document that holds it, in order, `gap × 8 +
//! count` (the gap since the last document, the number itself for the
//! first; how many of its passages hold it, when fewer than 8, otherwise
//! 0 and the count as a number of its own), and for each passage, in order, `gap × 4 + field` (the gap
//! since the last passage, the number itself for the first), followed for
//! field 3 by the number of words (not counting stop words) of the
//! shortest name that holds it (so that a query equal to a name is known). A pack holds stems up to about
//! [`POSTINGS_PACK`] bytes (a larger stem is alone in its pack).
//!
//! **A docs shard** calls `dossierSearch.docs(n, "<deflated>")`, where
//! the string is, as [`deflated`] writes it, the JSON `[[title, path, kind,
//! [other names], [passage, ...]], ...]` of consecutive documents of
//! about [`DOCS_SHARD`] bytes of JSON together: `kind` is 0 for a page, 1 an
//! agency, 2 a topic, 3 a source document; `path` is relative to the site
//! root, without the name of a folder's page (the manifest's `"page"`,
//! `index.html`) where it ends in one; the other names are an entry's short name and aliases; a passage
//! is `[anchor, text]` for body text, `[anchor, text, role]` for a heading
//! (role 1) or the lead (2), or `[anchor, text, role, annotations]` when it
//! annotates agencies or topics: [`numbers`], for each, the gap from the
//! end of the last one (or the start of the text) to its start, its length
//! (both in UTF-16 code units, as scripts count) and its document. The
//! anchor is empty for the top of the page and written `-rest` when it is the
//! anchor of the heading above followed by `-rest` (`-p2` under the
//! heading `the-launch` is `the-launch-p2`).
//!
//! No script can end the `<script>` element that loads it or open a
//! comment in it: every string goes through [`json`], which writes `<`,
//! `>`, `&`, U+2028 and U+2029 as `\uXXXX` escapes, and a docs shard's is
//! base64, which has none of them. The same site always
//! gives the same files, byte for byte.

pub mod deflated;
pub mod documents;
pub mod index;
pub mod json;
pub mod numbers;
pub mod words;

use std::ops::Range;

use rayon::prelude::*;
use serde::Serialize;

use super::{Failed, Output};
use crate::links::layout::{self, SearchShard};
use crate::model::Site;
use crate::paths::OutputPath;
use documents::{Documents, DocumentsShard};
pub use json::script_safe;
use json::write_json;

/// The global object whose functions the index's scripts call.
pub const GLOBAL: &str = "dossierSearch";

/// The size past which a vocabulary shard is split by a longer key.
pub const VOCABULARY_SHARD: usize = 16 * 1024;

/// The size a pack of postings is filled to.
pub const POSTINGS_PACK: usize = 24 * 1024;

/// The size a docs shard is filled to, in bytes of JSON. A page of prose is
/// 4 to 8 kB of it: a shard holds two to four pages, a third as many files
/// as one a page (the index's shards were half of the files of a large
/// site, and each file costs its build more than its bytes do), for about
/// 40 kB more a query (its results' shards are larger).
pub const DOCS_SHARD: usize = 16 * 1024;

/// How many docs shards are compressed together, one a thread.
const DOCS_AT_ONCE: usize = 64;

/// The longest key of a vocabulary shard, in characters.
const LONGEST_KEY: usize = 3;

/// Hands every file of the index of `site` to `put`, one at a time, and
/// stops at the first it refuses.
pub fn write_files(
    site: &Site,
    put: &mut dyn FnMut(Output) -> Result<(), Failed>,
) -> Result<(), Failed> {
    let documents = Documents::of(site);
    let term_numbers = documents.numbers();
    let index = index::build(
        documents.len(),
        &|numbers| documents.range(numbers),
        term_numbers,
    );
    let shards = vocabulary_shards(&index);
    let mut manifest_terms = Vec::with_capacity(shards.len());
    for (key, stems) in &shards {
        let file = file_name(key);
        let packs = packs(&index, stems);
        for (pack, members) in packs.iter().enumerate() {
            let postings = members
                .iter()
                .map(|stem| index[*stem].postings.as_str())
                .collect::<Vec<&str>>()
                .join(" ");
            let name = format!("{file}.{pack}");
            put(script(
                SearchShard::Postings,
                &name,
                "postings",
                &name,
                &postings,
            )?)?;
        }
        let mut entries = String::new();
        for (pack, members) in packs.iter().enumerate() {
            for stem in members {
                if !entries.is_empty() {
                    entries.push(' ');
                }
                vocabulary_entry(&mut entries, stem, &index[*stem], pack);
            }
        }
        put(script(SearchShard::Terms, &file, "terms", key, &entries)?)?;
        manifest_terms.push((key.as_str(), file));
    }
    let shards = docs_shards(&documents);
    let mut counts = String::new();
    for shard in &shards {
        numbers::push(&mut counts, shard.len() as u64);
    }
    // Made and compressed on every thread, a few at a time: each is
    // written before the next are made.
    for (chunk, group) in shards.chunks(DOCS_AT_ONCE).enumerate() {
        let scripts: Vec<Result<Output, Failed>> = group
            .par_iter()
            .enumerate()
            .map(|(i, shard)| {
                let n = chunk * DOCS_AT_ONCE + i;
                let members = documents.range(shard.clone());
                docs_script(n, &DocumentsShard(&members, term_numbers))
            })
            .collect();
        for script in scripts {
            put(script?)?;
        }
    }
    let manifest = Manifest {
        terms: manifest_terms,
        docs: counts,
        dirs: [
            SearchShard::Terms.from_search_page(),
            SearchShard::Postings.from_search_page(),
            SearchShard::Docs.from_search_page(),
        ],
        page: layout::home().as_str().to_string(),
    };
    let mut bytes = format!("{GLOBAL}.manifest(").into_bytes();
    write_json(&mut bytes, &manifest);
    bytes.extend_from_slice(b");\n");
    put(Output {
        path: layout::search_index(),
        bytes,
    })
}

/// What the manifest holds.
#[derive(Serialize)]
struct Manifest<'a> {
    terms: Vec<(&'a str, String)>,
    docs: String,
    dirs: [String; 3],
    page: String,
}

/// The script `dossierSearch.<function>(<key>, <data>);` of the shard
/// `name`.
fn script(
    shard: SearchShard,
    name: &str,
    function: &str,
    key: &impl Serialize,
    data: &impl Serialize,
) -> Result<Output, Failed> {
    let path = shard_path(shard, name)?;
    let mut bytes = format!("{GLOBAL}.{function}(").into_bytes();
    write_json(&mut bytes, key);
    bytes.push(b',');
    write_json(&mut bytes, data);
    bytes.extend_from_slice(b");\n");
    Ok(Output { path, bytes })
}

/// Where the shard script `name` is written.
fn shard_path(shard: SearchShard, name: &str) -> Result<OutputPath, Failed> {
    shard.file(name).ok_or_else(|| {
        Failed::Write(std::io::Error::other(format!(
            "no search shard can be called {name}"
        )))
    })
}

/// Appends the vocabulary entry of `stem` to `out`:
/// `stem:<documents><pack>` (the pack left out when it is 0) and, unless its only word is the stem itself,
/// `:` and its words separated by commas, each written `~rest` when it is
/// the stem followed by `rest`.
fn vocabulary_entry(out: &mut String, stem: &str, entry: &index::Entry, pack: usize) {
    out.push_str(stem);
    out.push(':');
    numbers::push(out, u64::from(entry.documents));
    if pack > 0 {
        numbers::push(out, pack as u64);
    }
    if entry.surfaces.len() == 1 && entry.surfaces.contains(stem) {
        return;
    }
    out.push(':');
    for (i, surface) in entry.surfaces.iter().enumerate() {
        if i > 0 {
            out.push(',');
        }
        match surface.strip_prefix(stem) {
            Some(rest) => {
                out.push('~');
                out.push_str(rest);
            }
            None => out.push_str(surface),
        }
    }
}

/// The stems of `index` by vocabulary shard, the shards in order of key.
fn vocabulary_shards(index: &index::Index) -> Vec<(String, Vec<&str>)> {
    let stems: Vec<&str> = index.keys().map(String::as_str).collect();
    let mut shards = Vec::new();
    split(index, &stems, 0, &mut shards);
    shards
}

/// Adds to `shards` the stems of `stems` (which share their first `depth -
/// 1` characters) by their first `depth` characters, splitting further
/// those that would be too large (depth 0: all of them under the key `""`).
fn split<'a>(
    index: &index::Index,
    stems: &[&'a str],
    depth: usize,
    shards: &mut Vec<(String, Vec<&'a str>)>,
) {
    let key_of = |stem: &str| -> String { stem.chars().take(depth).collect() };
    let mut start = 0;
    while start < stems.len() {
        let key = key_of(stems[start]);
        let end = start
            + stems[start..]
                .iter()
                .take_while(|stem| key_of(stem) == key)
                .count();
        let group = &stems[start..end];
        let size: usize = group
            .iter()
            .map(|stem| stem.len() * 2 + index[*stem].surfaces.len() * 4 + 12)
            .sum();
        if size <= VOCABULARY_SHARD || depth >= LONGEST_KEY {
            shards.push((key, group.to_vec()));
        } else {
            // The stems no longer than the key stay under it.
            let (short, long): (Vec<&str>, Vec<&str>) =
                group.iter().partition(|stem| stem.chars().count() <= depth);
            if !short.is_empty() {
                shards.push((key, short));
            }
            split(index, &long, depth + 1, shards);
        }
        start = end;
    }
}

/// The stems of one vocabulary shard in packs of postings.
fn packs<'a>(index: &index::Index, stems: &[&'a str]) -> Vec<Vec<&'a str>> {
    let mut packs: Vec<Vec<&str>> = Vec::new();
    let mut size = 0;
    for stem in stems {
        let bytes = index[*stem].postings.len() + stem.len() + 6;
        match packs.last_mut() {
            Some(pack) if size + bytes <= POSTINGS_PACK => {
                pack.push(stem);
                size += bytes;
            }
            _ => {
                packs.push(vec![stem]);
                size = bytes;
            }
        }
    }
    packs
}

/// The script `dossierSearch.docs(<n>, "<deflated>");` of docs shard `n`:
/// its documents as [`deflated::deflated_json`].
fn docs_script(n: usize, shard: &DocumentsShard) -> Result<Output, Failed> {
    let path = shard_path(SearchShard::Docs, &n.to_string())?;
    let mut bytes = format!("{GLOBAL}.docs({n},\"").into_bytes();
    bytes.extend_from_slice(deflated::deflated_json(shard).as_bytes());
    bytes.extend_from_slice(b"\");\n");
    Ok(Output { path, bytes })
}

/// The file name of the vocabulary shard `key`: the key itself where it
/// is of the letters a to z and digits 0 to 9, each other character
/// written `_<hex>_`; `_` for the empty key.
fn file_name(key: &str) -> String {
    if key.is_empty() {
        return "_".to_string();
    }
    let mut name = String::new();
    for c in key.chars() {
        if c.is_ascii_lowercase() || c.is_ascii_digit() {
            name.push(c);
        } else {
            name.push_str(&format!("_{:x}_", u32::from(c)));
        }
    }
    name
}

/// The numbers of the documents of each docs shard, of about
/// [`DOCS_SHARD`] bytes each.
fn docs_shards(documents: &Documents<'_>) -> Vec<Range<usize>> {
    let sizes: Vec<usize> = (0..documents.len())
        .into_par_iter()
        .map(|number| documents.get(number).map_or(0, |doc| doc.size()))
        .collect();
    let mut shards = Vec::new();
    let mut start = 0;
    let mut size = 0;
    for (i, bytes) in sizes.into_iter().enumerate() {
        if i > start && size + bytes > DOCS_SHARD {
            shards.push(start..i);
            start = i;
            size = 0;
        }
        size += bytes;
    }
    if start < documents.len() {
        shards.push(start..documents.len());
    }
    shards
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn file_names_keep_plain_keys_and_spell_out_the_others() {
        assert_eq!(file_name("qu"), "qu");
        assert_eq!(file_name("5g"), "5g");
        assert_eq!(file_name("é1"), "_e9_1");
        assert_eq!(file_name(""), "_");
    }
}
