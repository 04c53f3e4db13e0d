//! Search in Chromium: the box on every page, names and aliases, results
//! opened at their passage, and the relevance set of the bundled site.

use super::Session;
use crate::common::assert_contains;

/// The box on every page leads to the search page, which finds by any name
/// and opens a result at its passage.
pub(super) fn search_finds_passages_and_names(s: &Session) {
    s.open("domains/space/index.html");
    s.click("#site-search-input");
    s.type_text("quantum");
    s.press("Enter");
    s.wait_for(
        "see results for quantum",
        "location.pathname.endsWith('/search/index.html') && document.querySelectorAll('.search-result').length > 0",
    );
    assert_eq!(s.here(), "search/index.html?q=quantum");
    assert_eq!(
        s.text("document.getElementById('search-input').value"),
        "quantum"
    );
    let first = s.text("document.querySelector('.search-result-link').textContent");
    assert!(first.starts_with("Quantum technologies"), "{first}");
    assert!(
        s.truth("[...document.querySelectorAll('.search-result mark')].every(m => /quantum/i.test(m.textContent))"),
        "the highlights are the words searched for"
    );
    assert!(s.truth("document.querySelectorAll('.search-result mark').length > 1"));

    // A passage result opens the page at the passage.
    let passage = "a.search-result-link[href*='domains/'][href*='#']";
    let href = s.follow(passage);
    let (_, fragment) = href.split_once('#').expect("a passage anchor");
    assert_eq!(
        s.text("document.querySelector(':target')?.id ?? ''"),
        fragment
    );
    assert_contains!(
        s.text("document.querySelector(':target').textContent.toLowerCase()"),
        "quantum"
    );

    // Prefix matching as one types, each of ISRO's names, arrow keys.
    s.open("search/index.html");
    s.wait_for(
        "focus the box",
        "document.activeElement.id === 'search-input'",
    );
    // "ISR" is a topic's short name, so it comes first; ISRO starts with it.
    s.type_text("ISR");
    s.wait_for_value(
        "see the whole-word match first",
        "document.querySelector('.search-result-link')?.getAttribute('href')",
        "../topics/isr/index.html",
    );
    assert!(
        s.truth("[...document.querySelectorAll('.search-result-link')].some(a => a.getAttribute('href') === '../agencies/isro/index.html')"),
        "ISRO is found by the start of its name"
    );
    s.type_text("O");
    s.wait_for_value(
        "see ISRO first",
        "document.querySelector('.search-result-link')?.textContent",
        "Indian Space Research Organisation",
    );
    s.screenshot("search");
    for name in [
        "Indian Space Research Organisation",
        "indian space research organization",
        "isro",
    ] {
        s.open(&format!("search/index.html?q={}", name.replace(' ', "+")));
        s.wait_for(
            &format!("find ISRO as {name}"),
            "document.querySelector('.search-result-link')?.getAttribute('href') === '../agencies/isro/index.html'",
        );
    }
    s.press("ArrowDown");
    assert!(s.truth("document.activeElement.id === 'search-result-0'"));
    s.press("ArrowDown");
    assert!(s.truth("document.activeElement.id === 'search-result-1'"));
    s.press("ArrowUp");
    s.press("ArrowUp");
    assert!(s.truth("document.activeElement.id === 'search-input'"));
    s.press("ArrowDown");
    s.press("ArrowDown");
    let second = s.text("document.activeElement.href");
    s.press("Enter");
    let expected = serde_json::Value::String(second.clone());
    s.wait_for(
        "open the second result with Enter",
        &format!("location.href === {expected} && document.readyState === 'complete'"),
    );
    if let Some((_, fragment)) = second.split_once('#') {
        assert_eq!(
            s.text("document.querySelector(':target')?.id ?? ''"),
            fragment
        );
    }
}

/// What readers type, and the page they expect at the top: names, short
/// names, aliases and ids, a typo, another form of a word, two-letter
/// acronyms, words that stand in different passages of one page, and the
/// name of a domain.
const RELEVANCE: &[(&str, &str)] = &[
    ("ISRO", "../agencies/isro/index.html"),
    (
        "Indian Space Research Organization",
        "../agencies/isro/index.html",
    ),
    ("hpc", "../topics/hpc/index.html"),
    ("High-performance computing", "../topics/hpc/index.html"),
    ("export controls", "../topics/export-controls/index.html"),
    (
        "telecom regulation",
        "../topics/telecom-regulation/index.html",
    ),
    ("quantm", "../topics/quantum/index.html"),
    ("Quantum technology", "../topics/quantum/index.html"),
    ("AI", "../topics/artificial-intelligence/index.html"),
    ("GE", "../agencies/ge/index.html"),
    ("5G", "../topics/5g/index.html"),
    ("DoD", "../agencies/dod/index.html"),
    ("Space", "../domains/space/index.html"),
    (
        "next generation telecommunications",
        "../domains/telecommunications/index.html",
    ),
    ("codevelopment", "../topics/co-development/index.html"),
    (
        "seminconductor design",
        "../topics/semiconductor-design/index.html",
    ),
];

/// The results a reader means come first; words found in different
/// passages of a page still find it; results with only some of the words
/// come after, marked; `/` leads to a search box from any page.
pub(super) fn search_ranks_what_readers_mean(s: &Session) {
    let mut wrong = Vec::new();
    for (query, expected) in RELEVANCE {
        s.open(&format!("search/index.html?q={}", query.replace(' ', "+")));
        s.wait_for(
            &format!("see results for {query}"),
            "document.querySelectorAll('.search-result').length > 0",
        );
        let first = s.text(
            "document.querySelector('.search-result-link').getAttribute('href').split('#')[0]",
        );
        if first != *expected {
            wrong.push(format!("{query:?}: {first}, not {expected}"));
        }
    }
    assert!(wrong.is_empty(), "{}", wrong.join("\n"));

    // A two-letter acronym is not taken as the start of longer words.
    s.open("search/index.html?q=AI");
    s.wait_for(
        "see results",
        "document.querySelectorAll('.search-result').length > 0",
    );
    assert!(
        s.truth("[...document.querySelectorAll('.search-result mark')].every(m => /\\bai$/i.test(m.textContent) || /artificial|intelligence/i.test(m.textContent))"),
        "{}",
        s.text("[...document.querySelectorAll('.search-result mark')].map(m => m.textContent).join('|')")
    );

    // Two words of one page that never meet in one passage.
    s.open(&format!(
        "search/index.html?q={}",
        SPLIT_QUERY.replace(' ', "+")
    ));
    s.wait_for(
        "see results",
        "document.querySelectorAll('.search-result').length > 0",
    );
    assert_eq!(
        s.text("document.querySelector('.search-result-link').getAttribute('href').split('#')[0]"),
        SPLIT_PAGE
    );
    assert!(s.truth(
        "!document.querySelector('.search-result').classList.contains('search-result-some')"
    ));

    // Words found apart: every-word results, then the others, marked.
    s.open("search/index.html?q=quantum+zebra");
    s.wait_for(
        "see results",
        "document.querySelectorAll('.search-result').length > 0",
    );
    assert!(s.truth("document.querySelector('.search-group') !== null"));
    assert!(s.truth("[...document.querySelectorAll('.search-result')].every(r => r.classList.contains('search-result-some'))"));
    assert_contains!(
        s.text("document.querySelector('.search-result-missing').textContent"),
        "zebra"
    );

    // `/` puts the cursor in a search box, on any page.
    s.open("domains/space/index.html");
    s.press("/");
    assert!(s.truth("document.activeElement.id === 'site-search-input'"));
    assert_eq!(s.text("document.activeElement.value"), "");
    s.open("search/index.html?q=isro");
    s.wait_for(
        "see results",
        "document.querySelectorAll('.search-result').length > 0",
    );
    s.eval("document.activeElement.blur()");
    s.press("/");
    assert!(s.truth("document.activeElement.id === 'search-input'"));
}

/// Two words of the bundled site that stand in one page, never in one
/// passage of it, and that page.
const SPLIT_QUERY: &str = "hackathons lunar";
const SPLIT_PAGE: &str = "../sources/2023-01-31-icet-fact-sheet/index.html";
