//! Quotations checked against their sources: the words a page puts in
//! quotation marks (or in a block quotation) next to a `source:` citation
//! must be the words of the cited passage.
//!
//! [`check`] reports each quotation that is not, with the closest passage of
//! the source and the first word that differs.

pub mod words;

use std::collections::{HashMap, HashSet};

use rayon::prelude::*;

use super::{Page, Site};
use crate::diagnostics::{Code, Diagnostic};
use crate::links::LinkTarget;
use crate::markdown::Quotation;
use words::{Quote, Token};

/// How many words of the passage a message shows on each side of the
/// stretch the quotation lines up with.
const CONTEXT_WORDS: usize = 8;

/// A passage of a source, read for comparison.
struct SourcePassage {
    /// `<slug>#<anchor>`, as a page cites it.
    address: String,
    text: String,
    tokens: Vec<Token>,
    /// The source it belongs to: a position in [`Site::sources`].
    source: usize,
}

/// Every passage of every source, read once, with the ways pages name them.
struct Library<'a> {
    passages: Vec<SourcePassage>,
    /// Source slug to its passages (positions in `passages`).
    by_source: HashMap<&'a str, Vec<usize>>,
    /// `(slug, anchor)` to a position in `passages`.
    by_anchor: HashMap<(&'a str, &'a str), usize>,
}

impl<'a> Library<'a> {
    fn new(site: &'a Site) -> Self {
        let mut library = Library {
            passages: Vec::new(),
            by_source: HashMap::new(),
            by_anchor: HashMap::new(),
        };
        for (index, source) in site.sources.iter().enumerate() {
            let slug = source.seed.slug.as_str();
            for passage in &source.body.passages {
                let text = passage.text();
                let at = library.passages.len();
                library.passages.push(SourcePassage {
                    address: format!("{slug}#{}", passage.id),
                    tokens: words::tokens(text),
                    text: text.to_string(),
                    source: index,
                });
                library.by_source.entry(slug).or_default().push(at);
                library.by_anchor.insert((slug, passage.id.as_str()), at);
            }
        }
        library
    }

    /// The passages `quotation` cites: the passage of each `source:` link
    /// with an anchor, every passage of a source cited as a whole. Links
    /// that lead nowhere are left out (they have their own error). Also
    /// says whether a whole source is cited.
    fn cited(&self, page: &Page, quotation: &Quotation) -> (Vec<usize>, bool) {
        let mut cited = Vec::new();
        let mut whole_source = false;
        for &link in &quotation.citations {
            let Some(LinkTarget::Source { slug, fragment }) =
                page.body.links.get(link).map(|l| &l.target)
            else {
                continue;
            };
            match fragment {
                Some(anchor) => cited.extend(self.by_anchor.get(&(slug.as_str(), anchor.as_str()))),
                None => {
                    let passages = self.by_source.get(slug.as_str());
                    whole_source |= passages.is_some();
                    cited.extend(passages.into_iter().flatten());
                }
            }
        }
        let mut seen = HashSet::new();
        cited.retain(|at| seen.insert(*at));
        (cited, whole_source)
    }
}

/// Checks every quotation of every page against the passages it cites.
pub fn check(site: &Site, diagnostics: &mut Vec<Diagnostic>) {
    let library = Library::new(site);
    let found: Vec<Vec<Diagnostic>> = site
        .pages
        .par_iter()
        .map(|page| {
            page.body
                .quotations
                .iter()
                .filter_map(|quotation| check_one(&library, page, quotation))
                .collect()
        })
        .collect();
    diagnostics.extend(found.into_iter().flatten());
}

fn check_one(library: &Library, page: &Page, quotation: &Quotation) -> Option<Diagnostic> {
    let (cited, whole_source) = library.cited(page, quotation);
    let quote = Quote::new(&quotation.text);
    if cited.is_empty() || !quote.has_words() {
        return None;
    }
    if cited
        .iter()
        .any(|&at| quote.is_in(&library.passages[at].tokens))
    {
        return None;
    }
    misquote(library, page, quotation, &quote, &cited, whole_source)
}

/// The error for `quotation`, which none of the `cited` passages holds:
/// the first difference from the closest of them, and the passage to cite
/// when another passage of the same sources holds the words.
fn misquote(
    library: &Library,
    page: &Page,
    quotation: &Quotation,
    quote: &Quote,
    cited: &[usize],
    whole_source: bool,
) -> Option<Diagnostic> {
    let (closest, alignment) = cited
        .iter()
        .map(|&at| {
            let passage = &library.passages[at];
            (at, quote.align(&passage.text, &passage.tokens))
        })
        .min_by_key(|(at, alignment)| (alignment.cost, *at))?;
    let passage = &library.passages[closest];
    // The words may be in a passage of the same sources that is not cited.
    let elsewhere = library
        .passages
        .iter()
        .enumerate()
        .filter(|(at, other)| {
            !cited.contains(at)
                && cited
                    .iter()
                    .any(|&c| library.passages[c].source == other.source)
        })
        .find(|(_, other)| quote.is_in(&other.tokens))
        .map(|(_, other)| other);

    let what = match cited.len() {
        _ if whole_source => "the cited source",
        1 => "the cited passage",
        _ => "any of the cited passages",
    };
    let kind = if quotation.block {
        "block quotation"
    } else {
        "quotation"
    };
    // A difference is worth naming when most of the words line up.
    let label = match &alignment.first {
        Some(difference) if alignment.cost * 2 <= quote.token_count() => difference.to_string(),
        _ => "most of these words are not in the passage".to_string(),
    };
    let help = match elsewhere {
        Some(other) => format!(
            "these words are in `{}`: cite `source:{}`",
            other.address, other.address
        ),
        None => "quote the source word for word: only spacing, quotation marks, dashes and the case of the first letter may differ; mark words left out with `…`".to_string(),
    };
    let span = page
        .file
        .span(page.body_offset + quotation.range.start..page.body_offset + quotation.range.end);
    Some(
        Diagnostic::error(Code::Misquote, format!("this {kind} is not in {what}"))
            .at(span)
            .label(label)
            .note(format!(
                "the closest passage is `{}`: “{}”",
                passage.address,
                excerpt(passage, alignment.window.clone())
            ))
            .help(help),
    )
}

/// The words of `passage` around the tokens at `window`, with `…` where
/// the passage goes on.
fn excerpt(passage: &SourcePassage, window: std::ops::Range<usize>) -> String {
    let tokens = &passage.tokens;
    if tokens.is_empty() {
        return String::new();
    }
    let first = window
        .start
        .saturating_sub(CONTEXT_WORDS)
        .min(tokens.len() - 1);
    let last = (window.end + CONTEXT_WORDS).min(tokens.len());
    let start = tokens[first].range.start;
    let end = tokens[last.saturating_sub(1).max(first)].range.end;
    let mut text = String::new();
    if first > 0 {
        text.push_str("… ");
    }
    let words: Vec<&str> = passage
        .text
        .get(start..end)
        .unwrap_or_default()
        .split_whitespace()
        .collect();
    text.push_str(&words.join(" "));
    if last < tokens.len() {
        text.push_str(" …");
    }
    text
}
