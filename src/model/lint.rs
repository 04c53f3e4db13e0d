//! Warnings: things that build, but are probably not what the author meant.

use std::hash::{DefaultHasher, Hash, Hasher};
use std::sync::Arc;

use super::names::{EveryName, NameMatcher};
use super::{Cache, Page, Site, Term};
use crate::diagnostics::{Code, Diagnostic};
use crate::links::TermKind;
use crate::markdown::Piece;

/// Runs every check and pushes its warnings. (Warnings that only echo an
/// error are dropped where the run ends: see
/// [`drop_consequences`](crate::diagnostics::drop_consequences).) Per-page
/// results come from `cache` when the page and the registries are
/// unchanged.
pub fn run(site: &Site, cache: &mut Cache, diagnostics: &mut Vec<Diagnostic>) {
    let pages: Vec<&Page> = site.pages.iter().collect();
    // An example from the project's own registry, for the help.
    let example = site.agencies.first().map(|agency| {
        let entry = &agency.entry;
        let words = if entry.short.is_empty() {
            &entry.name
        } else {
            &entry.short
        };
        format!("[{words}](agency:{})", entry.id.value)
    });
    unused_entries(site, diagnostics);
    missing_parents(site, TermKind::Agency, diagnostics);
    missing_parents(site, TermKind::Topic, diagnostics);
    for page in &pages {
        if page.is_section_index {
            continue;
        }
        if page.body.word_count == 0 {
            diagnostics.push(
                Diagnostic::warning(Code::EmptyPage, format!("`{}` has no text", page.title))
                    .at(page.file.start_span())
                    .help("write the page's text below the front matter, or remove the page"),
            );
        }
        if let Some(example) = example.as_ref().filter(|_| page.agencies.is_empty()) {
            diagnostics.push(
                Diagnostic::warning(
                    Code::NoAgencies,
                    format!("`{}` names no agency", page.title),
                )
                .at(page.file.start_span())
                .help(format!(
                    "annotate the bodies the page is about, such as {example}, or list them in `agencies` of its front matter"
                )),
            );
        }
    }
    unannotated_mentions(site, &pages, cache, diagnostics);
    sanitised_html(&pages, diagnostics);
}

/// Reports what was removed from each piece of raw HTML a page keeps, at
/// the first line of the raw HTML.
fn sanitised_html(pages: &[&Page], diagnostics: &mut Vec<Diagnostic>) {
    for page in pages {
        for sanitised in &page.body.sanitised {
            let start = page.body_offset + sanitised.range.start;
            let end = page.body_offset + sanitised.range.end;
            let first_line = page
                .file
                .text()
                .get(start..end)
                .and_then(|html| html.find('\n'))
                .map_or(end, |at| start + at);
            diagnostics.push(
                Diagnostic::warning(Code::SanitisedHtml, sanitised.message())
                    .at(page.file.span(start..first_line))
                    .label("raw HTML")
                    .note("raw HTML is published without what can run script: `<script>` and `<style>`, `on*` and `style` attributes, elements that embed, submit or redirect, and addresses that fail the address check of links")
                    .help("remove it from the page: the published page is already without it"),
            );
        }
    }
}

fn unused_entries(site: &Site, diagnostics: &mut Vec<Diagnostic>) {
    for term in site.agencies.iter().chain(&site.topics) {
        if term.pages.is_empty() {
            diagnostics.push(
                Diagnostic::warning(
                    Code::UnusedEntry,
                    format!(
                        "{} `{}` is not mentioned by any page",
                        term.kind.scheme(),
                        term.entry.id.value
                    ),
                )
                .at(term.entry.id.span.clone())
                .help(format!(
                    "mention it in a page as [{}]({}:{}), or remove the entry",
                    term.entry.short,
                    term.kind.scheme(),
                    term.entry.id.value
                )),
            );
        }
    }
}

/// Suggests a parent for each entry without one whose name (or short name,
/// or alias) holds, as whole words, a name of another entry of its registry
/// (of its country, for agencies): "NASA Johnson Space Center" holds "NASA".
/// An entry within it is never suggested, nor one it would make a circle
/// with.
fn missing_parents(site: &Site, kind: TermKind, diagnostics: &mut Vec<Diagnostic>) {
    let terms = site.terms(kind);
    let names: Vec<(&str, usize)> = terms
        .iter()
        .enumerate()
        .flat_map(|(i, term)| term.entry.names().into_iter().map(move |name| (name, i)))
        .filter(|(name, _)| name.chars().count() >= 2)
        .collect();
    let texts: Vec<&str> = names.iter().map(|(name, _)| *name).collect();
    let Some(finder) = EveryName::new(&texts) else {
        return;
    };
    for (index, term) in terms.iter().enumerate() {
        if term.parent.is_some() || term.entry.parent.is_some() {
            continue;
        }
        let within = term.within(terms);
        let mut best: Option<(&str, &str, usize)> = None;
        for own in term.entry.names() {
            for hit in finder.find(own) {
                let (name, other) = names[hit.name];
                let written = &own[hit.range.clone()];
                if other == index
                    || within.contains(&other)
                    || (is_acronym(name) && written != name)
                    || !at_word_boundaries(own, hit.range.clone())
                    || term.agency.as_ref().map(|a| &a.country)
                        != terms[other].agency.as_ref().map(|a| &a.country)
                {
                    continue;
                }
                if best.is_none_or(|(_, held, _)| name.len() > held.len()) {
                    best = Some((own, name, other));
                }
            }
        }
        let Some((own, held, other)) = best else {
            continue;
        };
        let id = &term.entry.id.value;
        let parent = &terms[other].entry.id.value;
        let what = kind.scheme();
        diagnostics.push(
            Diagnostic::warning(
                Code::MissingParent,
                format!("{what} `{id}` may be part of `{parent}`"),
            )
            .at(term.entry.id.span.clone())
            .label(format!("“{own}” holds “{held}”, a name of `{parent}`"))
            .help(format!(
                "if it is, add `parent = \"{parent}\"` to `[{id}]`: the page of `{parent}` then lists its mentions too; if it is not, set `missing-parent = \"allow\"` in `[lints]` of site.toml"
            )),
        );
    }
}

/// A registry name or alias, as searched for in plain text.
struct Name<'a> {
    text: &'a str,
    term: &'a Term,
    /// Acronyms (`ISRO`, `DoT`) must match case; other names match any case.
    exact_case: bool,
}

/// Reports every registry name or alias written in a passage's plain text
/// instead of as an annotation.
fn unannotated_mentions(
    site: &Site,
    pages: &[&Page],
    cache: &mut Cache,
    diagnostics: &mut Vec<Diagnostic>,
) {
    let names: Vec<Name> = site
        .agencies
        .iter()
        .chain(&site.topics)
        .flat_map(|term| {
            term.entry.names().into_iter().map(move |text| Name {
                text,
                term,
                exact_case: is_acronym(text),
            })
        })
        .filter(|name| name.text.chars().count() >= 2)
        .collect();
    if names.is_empty() {
        return;
    }
    let names_key = fingerprint(&names);
    let matcher = std::sync::OnceLock::new();
    let build_matcher = || {
        let texts: Vec<&str> = names.iter().map(|name| name.text).collect();
        let text_bytes = pages.iter().map(|page| page.file.text().len()).sum();
        NameMatcher::new(&texts, text_bytes)
    };
    let found: Vec<Arc<Vec<Diagnostic>>> = cache.lints.map(
        pages,
        |page| (&page.file, names_key),
        |page| {
            let found = matcher
                .get_or_init(build_matcher)
                .as_ref()
                .map(|matcher| check_page(page, &names, matcher))
                .unwrap_or_default();
            Arc::new(found)
        },
    );
    if !cache.lints.keeps() {
        // Nothing to keep them for: moved, not copied (a large site has
        // tens of thousands).
        diagnostics.extend(found.into_iter().flat_map(Arc::unwrap_or_clone));
        return;
    }
    diagnostics.reserve(found.iter().map(|found| found.len()).sum());
    for found in &found {
        diagnostics.extend(found.iter().cloned());
    }
}

/// A fingerprint of the names searched for, so that cached results are
/// dropped when a registry changes.
fn fingerprint(names: &[Name]) -> u64 {
    let mut hasher = DefaultHasher::new();
    for name in names {
        name.text.hash(&mut hasher);
        name.term.kind.hash(&mut hasher);
        name.term.entry.id.value.hash(&mut hasher);
        name.exact_case.hash(&mut hasher);
    }
    hasher.finish()
}

fn check_page(page: &Page, names: &[Name], matcher: &NameMatcher) -> Vec<Diagnostic> {
    let mut found = Vec::new();
    let source = page.file.text();
    for passage in &page.body.passages {
        // Where to look for each phrase in the file: from the passage on.
        let mut search_from = page.body_offset + passage.offset;
        for piece in passage.pieces() {
            let Piece::Text(text) = piece else {
                continue;
            };
            for hit in matcher.find(text) {
                let name = &names[hit.name];
                let written = &text[hit.range.clone()];
                if (name.exact_case && written != name.text) || !at_word_boundaries(text, hit.range)
                {
                    continue;
                }
                let Some(at) = source
                    .get(search_from..)
                    .and_then(|rest| rest.find(written))
                else {
                    continue;
                };
                let start = search_from + at;
                search_from = start + written.len();
                let scheme = name.term.kind.scheme();
                let id = &name.term.entry.id.value;
                let what = match name.term.kind {
                    TermKind::Agency => "agency",
                    TermKind::Topic => "topic",
                };
                found.push(
                    Diagnostic::warning(
                        Code::UnannotatedMention,
                        format!("`{written}` names the {what} `{id}` but is not annotated"),
                    )
                    .at(page.file.span(start..start + written.len()))
                    .label("plain text")
                    .help(format!("write [{written}]({scheme}:{id}) so that the {what}'s page lists this passage")),
                );
            }
        }
    }
    found
}

/// Whether `text` is an acronym: short, and with more than one capital.
fn is_acronym(text: &str) -> bool {
    text.chars().count() <= 6 && text.chars().filter(|c| c.is_uppercase()).count() >= 2
}

fn at_word_boundaries(text: &str, range: std::ops::Range<usize>) -> bool {
    let before = text[..range.start].chars().next_back();
    let after = text[range.end..].chars().next();
    let is_word = |c: Option<char>| c.is_some_and(|c| c.is_alphanumeric());
    !is_word(before) && !is_word(after)
}
