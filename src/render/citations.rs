//! Citation markers as readers meet them: numbered in the order of the page
//! (the Markdown pass writes the numbers), each named for the source and
//! passage it cites, and listed as notes that a printed page carries at its
//! end, so that paper can be checked against the source by hand.
//!
//! The marker numbered `n`, `<a href="..." class="citation">n</a>`, gets
//! `title` and `aria-label` attributes here, when the page is rendered: the
//! Markdown pass cannot know the titles of the sources its links lead to.

use std::collections::HashMap;

use serde::Serialize;

use super::view::escape_into;
use crate::links::LinkTarget;
use crate::markdown::{Passage, PassageKind, Rendered};
use crate::model::{Page, Site, Source};

/// What a marker writes before its number, and the notes' heading uses.
const MARKER: &str = " class=\"citation\">";

/// One citation marker of a page, with what it cites.
#[derive(Serialize, Debug, Clone, PartialEq, Eq)]
pub struct CitationNote<'a> {
    /// Its number on the page, from 1.
    pub number: usize,
    /// The title of the source cited; none when the link leads nowhere.
    pub source: Option<&'a str>,
    /// The passage (or the source's page), relative to the site root.
    pub path: String,
    /// The anchor of the passage cited, as written after `#`.
    pub anchor: Option<&'a str>,
    /// Where the passage is in the source: its heading, and its number
    /// under that heading (`Space ¶2`).
    pub place: Option<String>,
    /// The words cited: the quotation when the citation has one, else the
    /// passage's text.
    pub words: Option<String>,
    /// Whether `words` are the page's quotation of the source.
    pub quoted: bool,
    /// The number of an earlier note of the page with the same passage and
    /// words, which a printed page does not repeat.
    pub repeats: Option<usize>,
    /// What the marker is called: `Source 2: <title>, Space ¶2`.
    pub label: String,
}

/// The notes of every citation marker of `page`, in order.
pub fn notes<'a>(site: &'a Site, page: &'a Page) -> Vec<CitationNote<'a>> {
    let mut notes: Vec<CitationNote> = page
        .body
        .citation_markers
        .iter()
        .enumerate()
        .map(|(i, &link)| note(site, page, i + 1, link))
        .collect();
    let mut first: HashMap<(String, Option<String>), usize> = HashMap::new();
    for note in &mut notes {
        if note.source.is_none() {
            continue;
        }
        let key = (note.path.clone(), note.words.clone());
        match first.get(&key) {
            Some(&number) => note.repeats = Some(number),
            None => {
                first.insert(key, note.number);
            }
        }
    }
    notes
}

fn note<'a>(site: &'a Site, page: &'a Page, number: usize, link: usize) -> CitationNote<'a> {
    let body: &Rendered = &page.body;
    let (slug, anchor) = match body.links.get(link).map(|l| &l.target) {
        Some(LinkTarget::Source { slug, fragment }) => (Some(slug.as_str()), fragment.as_deref()),
        _ => (None, None),
    };
    // Among the few sources the page cites, not every source of the site.
    let source = slug.and_then(|slug| {
        page.sources
            .iter()
            .filter_map(|&i| site.sources.get(i))
            .find(|s| s.seed.slug == slug)
    });
    let cited = source.zip(anchor).and_then(|(source, anchor)| {
        let passages = &source.body.passages;
        let at = passages.iter().position(|p| p.id == anchor)?;
        Some((passages, at))
    });
    let place = cited.map(|(passages, at)| place(passages, at));
    let quotation = body
        .quotations
        .iter()
        .find(|q| q.citations.contains(&link))
        .map(|q| words(&q.text));
    let quoted = quotation.is_some();
    let words = quotation.or_else(|| {
        cited
            .filter(|(passages, at)| passages[*at].kind != PassageKind::Heading)
            .map(|(passages, at)| words(passages[at].text()))
    });
    let mut label = format!("Source {number}");
    if let Some(source) = source {
        label.push_str(": ");
        label.push_str(&source.seed.title);
        if let Some(place) = &place {
            label.push_str(", ");
            label.push_str(place);
        }
    }
    CitationNote {
        number,
        source: source.map(|s| s.seed.title.as_str()),
        path: path(source, anchor),
        anchor,
        place,
        words,
        quoted,
        repeats: None,
        label,
    }
}

/// The passage `anchor` of `source` (or the source's page), relative to the
/// site root.
fn path(source: Option<&Source>, anchor: Option<&str>) -> String {
    match (source, anchor) {
        (Some(source), Some(anchor)) => format!("{}#{anchor}", source.output),
        (Some(source), None) => source.output.to_string(),
        (None, _) => String::new(),
    }
}

/// Where passage `at` of `passages` is: a heading's own title, or the
/// heading above with the passage's number under it (`Space ¶2`), or `¶n`
/// before the first heading.
fn place(passages: &[Passage], at: usize) -> String {
    let passage = &passages[at];
    if passage.kind == PassageKind::Heading {
        return words(passage.text());
    }
    match passage.heading {
        Some(h) => format!("{} ¶{}", words(passages[h].text()), at - h),
        None => format!("¶{}", at + 1),
    }
}

/// `text` with its runs of white space made single spaces.
fn words(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// `html` with each citation marker named by its note: a `title` and an
/// `aria-label` reading `Source 2: <title>, Space ¶2`.
pub fn titled(html: &str, notes: &[CitationNote]) -> String {
    let mut out = String::with_capacity(html.len() + notes.len() * 96);
    let mut written = 0;
    for (at, _) in html.match_indices(MARKER) {
        let number_at = at + MARKER.len();
        let digits = html[number_at..]
            .find(|c: char| !c.is_ascii_digit())
            .map_or(&html[number_at..], |end| &html[number_at..number_at + end]);
        let Some(note) = digits
            .parse::<usize>()
            .ok()
            .and_then(|n| notes.get(n.checked_sub(1)?))
        else {
            continue;
        };
        // Before the `>` that ends the marker's start tag.
        let close = number_at - 1;
        out.push_str(&html[written..close]);
        out.push_str(" title=\"");
        escape_into(&mut out, &note.label);
        out.push_str("\" aria-label=\"");
        escape_into(&mut out, &note.label);
        out.push('"');
        written = close;
    }
    out.push_str(&html[written..]);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn note(number: usize, label: &str) -> CitationNote<'static> {
        CitationNote {
            number,
            source: None,
            path: String::new(),
            anchor: None,
            place: None,
            words: None,
            quoted: false,
            repeats: None,
            label: label.to_string(),
        }
    }

    #[test]
    fn markers_are_named_by_their_notes() {
        let html = "A.<sup class=\"citations\"><a href=\"s#p1\" class=\"citation\">1</a>, \
                    <a href=\"s#p2\" class=\"citation\">2</a></sup> <a class=\"citation\">9</a>";
        let notes = [
            note(1, "Source 1: Sheet, Space ¶1"),
            note(2, "Source 2: \"Q\" & A"),
        ];
        assert_eq!(
            titled(html, &notes),
            "A.<sup class=\"citations\"><a href=\"s#p1\" class=\"citation\" \
             title=\"Source 1: Sheet, Space ¶1\" aria-label=\"Source 1: Sheet, Space ¶1\">1</a>, \
             <a href=\"s#p2\" class=\"citation\" title=\"Source 2: &quot;Q&quot; &amp; A\" \
             aria-label=\"Source 2: &quot;Q&quot; &amp; A\">2</a></sup> <a class=\"citation\">9</a>"
        );
    }
}
