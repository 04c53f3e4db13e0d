//! The bundled site read as a person reads it, in Chromium: numbered
//! citations and their notes in print, a phone's order of a page, the keys
//! to the previous and next page, passage permalinks, the source and
//! coverage pages and the home page's figures.

use super::Session;
use crate::common::assert_contains;

/// A domain page with citations, and a page before and after it.
const SPACE: &str = "domains/space/index.html";

/// The source every page cites.
const SHEET: &str = "sources/2023-01-31-icet-fact-sheet/index.html";

impl Session {
    fn number(&self, expression: &str) -> f64 {
        self.eval(expression)
            .as_f64()
            .unwrap_or_else(|| panic!("{expression} is not a number"))
    }
}

/// Citation markers read 1, 2, 3 in page order, each named for its source
/// and passage; printed, a page and each chapter of the print page end
/// with one note per marker.
pub(super) fn citations_are_numbered_and_noted_in_print(s: &Session) {
    s.open(SPACE);
    let numbers = s
        .text("[...document.querySelectorAll('main .citation')].map(a => a.textContent).join(' ')");
    let count = numbers.split(' ').count();
    let expected: Vec<String> = (1..=count).map(|n| n.to_string()).collect();
    assert_eq!(numbers, expected.join(" "), "markers in page order");
    assert!(count >= 5, "{numbers}");
    let first = s.text("document.querySelector('main .citation').getAttribute('aria-label')");
    assert_eq!(
        first,
        s.text("document.querySelector('main .citation').title")
    );
    assert_contains!(
        first,
        "Source 1: FACT SHEET: United States and India Elevate Strategic Partnership"
    );
    assert_contains!(first, ", Space ¶1");
    assert!(
        s.truth("getComputedStyle(document.querySelector('.citation-notes')).display === 'none'"),
        "notes are for print only"
    );

    s.emulate("print", false);
    assert!(
        s.truth("getComputedStyle(document.querySelector('.citation-notes')).display === 'block'")
    );
    assert_eq!(
        s.number("document.querySelectorAll('.citation-notes li').length") as usize,
        count
    );
    let note = s.text("document.querySelector('.citation-notes li').innerText");
    assert_contains!(note, "#space-p1");
    assert_contains!(note, "Space ¶1");
    assert_contains!(note, "astronaut");
    s.emulate("", false);

    s.open("print/index.html");
    s.emulate("print", false);
    let chapters = s.text(
        "JSON.stringify([...document.querySelectorAll('.print-chapter')].map(c => {\
           const markers = [...c.querySelectorAll('.prose .citation')].map(a => a.textContent);\
           const notes = [...c.querySelectorAll('.citation-notes li')].map(li => li.value);\
           const shown = !notes.length || getComputedStyle(c.querySelector('.citation-notes')).display !== 'none';\
           return [c.id, markers.join(','), notes.join(','), shown];\
         }).filter(c => c[1] || c[2]))",
    );
    let chapters: Vec<(String, String, String, bool)> =
        serde_json::from_str(&chapters).expect("chapters");
    assert!(chapters.len() >= 6, "{chapters:?}");
    for (id, markers, notes, shown) in &chapters {
        assert!(markers.starts_with("1"), "{id}: numbered from 1: {markers}");
        assert_eq!(markers, notes, "{id}: a note for each marker");
        assert!(shown, "{id}: notes printed");
    }
    s.emulate("", false);
}

/// On a phone a domain page shows its lead before the table of contents
/// and the chips; on a wide screen the lead heads the text column.
pub(super) fn a_phone_shows_the_lead_before_the_chips(s: &Session) {
    s.viewport(Some(390));
    s.open(SPACE);
    let lead = s.number("document.querySelector('.page-lead').getBoundingClientRect().top");
    let aside = s.number("document.querySelector('.page-aside').getBoundingClientRect().top");
    let chips = s.number("document.querySelector('.chips').getBoundingClientRect().top");
    assert!(
        lead < aside && aside < chips,
        "lead {lead}, contents {aside}, chips {chips}"
    );
    assert!(lead < 844.0, "the lead starts on the first screen: {lead}");
    assert!(
        s.truth("document.querySelector('.page-lead').innerText.includes('six commitments')"),
        "the lead is the opening paragraph"
    );
    s.screenshot("phone-domain");
    s.viewport(None);

    s.open(SPACE);
    let lead_left = s.number("document.querySelector('.page-lead').getBoundingClientRect().left");
    let aside_left = s.number("document.querySelector('.page-aside').getBoundingClientRect().left");
    assert!(aside_left < lead_left, "the contents beside the text");
    let gap = s.number(
        "document.querySelector('.page-body').getBoundingClientRect().top - document.querySelector('.page-lead').getBoundingClientRect().bottom",
    );
    assert!(gap < 48.0, "the text runs on after the lead: {gap}px apart");
}

/// → and ← lead to the next and previous page, as the links at the top
/// and bottom do, but not while one types in the search box.
pub(super) fn arrows_lead_to_the_next_and_previous_page(s: &Session) {
    s.open(SPACE);
    let next = s.text("document.querySelector('.pager-top a[rel=next]').href");
    let previous = s.text("document.querySelector('.pager-top a[rel=prev]').href");
    assert_eq!(
        next,
        s.text("document.querySelector('.pager a[rel=next]').href"),
        "the top and the bottom agree"
    );
    let top = s.number("document.querySelector('.pager-top').getBoundingClientRect().top");
    assert!(top < 400.0, "previous and next at the top: {top}");

    s.click("#site-search-input");
    s.press("ArrowRight");
    std::thread::sleep(std::time::Duration::from_millis(200));
    assert_eq!(
        s.here(),
        SPACE,
        "an arrow in the search box moves the cursor"
    );
    // From a link in the text, as from anywhere else on the page.
    s.eval("document.querySelector('.page-lead a.term').focus()");

    s.press("ArrowRight");
    s.wait_for(
        "reach the next page",
        &format!(
            "location.href === {} && document.readyState === 'complete'",
            serde_json::Value::String(next)
        ),
    );
    s.press("ArrowLeft");
    s.wait_for(
        "come back",
        &format!(
            "location.href === {} && document.readyState === 'complete'",
            serde_json::Value::String(s.url(SPACE))
        ),
    );
    s.press("ArrowLeft");
    s.wait_for(
        "reach the previous page",
        &format!(
            "location.href === {} && document.readyState === 'complete'",
            serde_json::Value::String(previous)
        ),
    );
}

/// A passage's permalink is hidden until the passage is pointed at or the
/// link has the focus, and leads to the passage.
pub(super) fn a_passage_has_a_permalink(s: &Session) {
    s.open(SPACE);
    let selector = "#astronaut-training-and-exchanges-p1 > .permalink";
    let opacity = |s: &Session| {
        s.text(&format!(
            "getComputedStyle(document.querySelector('{selector}')).opacity"
        ))
    };
    assert_eq!(opacity(s), "0");
    assert_eq!(
        s.text(&format!(
            "document.querySelector('{selector}').getAttribute('aria-label')"
        )),
        "Link to Astronaut training and exchanges ¶1"
    );
    s.tab
        .wait_for_element("#astronaut-training-and-exchanges-p1")
        .expect("the passage")
        .move_mouse_over()
        .expect("point at the passage");
    assert_eq!(opacity(s), "1", "shown when the passage is pointed at");
    s.eval("window.scrollTo(0, 0); document.body.dispatchEvent(new MouseEvent('mousemove'))");
    s.tab
        .wait_for_element(".site-header")
        .expect("the header")
        .move_mouse_over()
        .expect("point elsewhere");
    assert_eq!(opacity(s), "0");
    s.eval(&format!("document.querySelector('{selector}').focus()"));
    assert_eq!(opacity(s), "1", "shown when it has the focus");
    s.press("Enter");
    s.wait_for(
        "reach the passage",
        "location.hash === '#astronaut-training-and-exchanges-p1'",
    );
}

/// The permalink script puts each passage's `¶` at the end of its own
/// text, named for its place: in a paragraph, before a nested list, in
/// the first paragraph of a loose item, before "Cited by"; a footnote's
/// item and a table row get none.
pub(super) fn permalinks_stand_at_the_end_of_each_passages_own_text(s: &Session) {
    s.open(SPACE);
    // Every passage of the page has exactly one, its own.
    let passages = s.text(
        "JSON.stringify([...document.querySelectorAll('.prose p[id], .prose li[id]')]\
           .map(p => [p.id, [...p.querySelectorAll('.permalink')]\
             .filter(a => a.closest('p[id], li[id]') === p).map(a => a.getAttribute('href'))]))",
    );
    let passages: Vec<(String, Vec<String>)> = serde_json::from_str(&passages).expect("JSON");
    assert!(passages.len() > 5, "{passages:?}");
    for (id, links) in &passages {
        assert_eq!(links, &[format!("#{id}")], "the permalinks of {id}");
    }
    // A body of every kind, the script run on it again.
    let body = "<div class=\"prose\"><p id=\"p1\">Lead.</p>\n\
        <h2 id=\"visits\">Visits <em>now</em> <a class=\"anchor\" href=\"#visits\">#</a></h2>\n\
        <ul>\n<li id=\"visits-p1\">One.\n<ul>\n<li id=\"visits-p2\">Nested.</li>\n</ul>\n</li>\n\
        <li id=\"visits-p3\">\n<p>Loose.</p>\n<p>More.</p>\n</li>\n\
        <li id=\"visits-p4\">Cited. <span class=\"cited-by\">Cited by</span>\n</li>\n</ul>\n\
        <table><tr id=\"visits-p5\"><td>Row</td></tr></table>\n\
        <ol><li id=\"fn-1\"><p id=\"visits-p6\">Note.</p></li></ol></div>";
    let written = s.text(&format!(
        "new Promise(done => {{\
           document.querySelector('main').innerHTML = {body:?};\
           const script = document.createElement('script');\
           script.src = '../../static/permalinks.js';\
           script.onload = () => done(document.querySelector('main').innerHTML);\
           document.head.appendChild(script);\
         }})"
    ));
    let link = |id: &str, label: &str| {
        format!("<a class=\"permalink\" href=\"#{id}\" aria-label=\"{label}\">¶</a>")
    };
    for expected in [
        format!("<p id=\"p1\">Lead.{}</p>", link("p1", "Link to ¶1")),
        format!(
            "<li id=\"visits-p1\">One.{}\n<ul>\n<li id=\"visits-p2\">Nested.{}</li>",
            link("visits-p1", "Link to Visits now ¶1"),
            link("visits-p2", "Link to Visits now ¶2")
        ),
        format!(
            "<li id=\"visits-p3\">\n<p>Loose.{}</p>\n<p>More.</p>\n</li>",
            link("visits-p3", "Link to Visits now ¶3")
        ),
        format!(
            "<li id=\"visits-p4\">Cited.{} <span class=\"cited-by\">",
            link("visits-p4", "Link to Visits now ¶4")
        ),
        "<tr id=\"visits-p5\"><td>Row</td></tr>".to_string(),
        format!(
            "<li id=\"fn-1\"><p id=\"visits-p6\">Note.{}</p></li>",
            link("visits-p6", "Link to Visits now ¶6")
        ),
    ] {
        assert_contains!(written, expected);
    }
}

/// The fact sheet's headings show without their colon in the contents, and
/// sit close to their lists; the coverage table breaks anchors at hyphens
/// only and, on a phone, shows every column without scrolling.
pub(super) fn source_and_coverage_pages_read_well(s: &Session) {
    s.open(SHEET);
    let toc = s.text("document.querySelector('.toc').innerText");
    assert_contains!(toc, "Next Generation Telecommunications");
    assert!(!toc.contains(':'), "no colon in the contents: {toc}");
    let gaps = s.text(
        "JSON.stringify([...document.querySelectorAll('.source-text h2')]\
           .filter(h => h.nextElementSibling && h.nextElementSibling.tagName === 'UL')\
           .map(h => Math.round(h.nextElementSibling.getBoundingClientRect().top - h.getBoundingClientRect().bottom)))",
    );
    let gaps: Vec<i64> = serde_json::from_str(&gaps).expect("gaps");
    assert!(!gaps.is_empty());
    assert!(
        gaps.iter().all(|&gap| gap <= 32),
        "heading to list: {gaps:?} px"
    );

    // Where an anchor wraps, it wraps after a hyphen.
    let breaks_mid_word = "JSON.stringify([...document.querySelectorAll('.coverage-table td:first-child code')].flatMap(code => {\
           const text = code.firstChild; const bad = [];\
           for (let i = 1; i < text.length; i++) {\
             const range = document.createRange();\
             range.setStart(text, i - 1); range.setEnd(text, i);\
             const before = range.getBoundingClientRect().top;\
             range.setStart(text, i); range.setEnd(text, i + 1);\
             if (range.getBoundingClientRect().top > before + 2 && text.data[i - 1] !== '-') bad.push(text.data);\
           }\
           return bad; }))";
    s.open("coverage/index.html");
    let wraps = s.number(
        "[...document.querySelectorAll('.coverage-table td:first-child code')].filter(c => c.getClientRects().length > 1).length",
    );
    assert!(wraps > 0.0, "some anchors wrap in a column 13rem wide");
    assert_eq!(s.text(breaks_mid_word), "[]");

    s.viewport(Some(390));
    s.open("coverage/index.html");
    assert_eq!(s.text(breaks_mid_word), "[]");
    let clipped = s.text(
        "JSON.stringify([...document.querySelectorAll('.coverage-table td')]\
           .filter(td => td.getBoundingClientRect().right > document.documentElement.clientWidth + 1\
             || td.getBoundingClientRect().width < 100)\
           .map(td => td.innerText.slice(0, 40)))",
    );
    assert_eq!(clipped, "[]", "cells cut off or squeezed on a phone");
    assert!(s.truth(
        "getComputedStyle(document.querySelector('.coverage-table td[data-label=\"Cited by\"]'), '::before').content.includes('Cited by')"
    ));
    assert!(
        s.truth("document.documentElement.scrollWidth <= document.documentElement.clientWidth")
    );
    s.screenshot("phone-coverage");
    s.viewport(None);
}

/// The home page's figures are links underlined from end to end: nothing
/// between the number and its word but a space, which the underline spans.
pub(super) fn figures_are_underlined_without_a_gap(s: &Session) {
    s.open("index.html");
    let gaps = s.text(
        "JSON.stringify([...document.querySelectorAll('.figures a')].map(a => {\
           const number = a.querySelector('strong');\
           const word = number.nextSibling;\
           const range = document.createRange();\
           range.setStart(word, 0); range.setEnd(word, 1);\
           return Math.round(range.getBoundingClientRect().left - number.getBoundingClientRect().right);\
         }))",
    );
    let gaps: Vec<i64> = serde_json::from_str(&gaps).expect("gaps");
    assert!(gaps.len() >= 2, "{gaps:?}");
    assert!(
        gaps.iter().all(|&gap| gap == 0),
        "space apart from the number: {gaps:?}"
    );
    assert!(s.truth(
        "[...document.querySelectorAll('.figures a')].every(a => getComputedStyle(a).textDecorationLine === 'underline')"
    ));
}
