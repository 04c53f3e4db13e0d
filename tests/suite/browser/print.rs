//! The print page and the print stylesheet in a real browser.

use super::Session;
use crate::common::assert_contains;

/// The print page holds every page, its links lead within it, and print
/// media hide the navigation.
pub(super) fn print_page_holds_the_whole_briefing(s: &Session) {
    s.open("index.html");
    s.follow(".site-footer a[href='print/index.html']");
    for chapter in [
        "home",
        "domains",
        "domains-space",
        "domains-defense",
        "agencies",
        "topics",
        "agencies-isro",
    ] {
        assert!(
            s.truth(&format!("!!document.getElementById('{chapter}')")),
            "chapter {chapter}"
        );
    }
    let broken = s.text(
        "JSON.stringify([...document.querySelectorAll('a[href^=\"#\"]')]\
           .map(a => decodeURIComponent(a.getAttribute('href').slice(1)))\
           .filter(id => id && !document.getElementById(id)))",
    );
    assert_eq!(broken, "[]", "in-page links without a target");
    assert!(
        s.truth(
            "!document.querySelector('main a[href*=\"domains/\"], main a[href*=\"agencies/\"]')"
        ),
        "links between printed pages stay on the page"
    );
    s.screenshot("print");
    s.follow("main a[href='#domains-space--visits']");
    assert_eq!(s.here(), "print/index.html#domains-space--visits");

    s.emulate("print", false);
    assert!(s.truth("getComputedStyle(document.querySelector('.site-header')).display === 'none'"));
    assert!(s.truth("getComputedStyle(document.querySelector('.site-footer')).display === 'none'"));
    assert!(s.truth(
        "getComputedStyle(document.querySelector('.print-chapter')).breakBefore === 'page'"
    ));
    s.emulate("", false);
}

/// A page prints on its own: no navigation, the address of every link to
/// the web written out.
pub(super) fn each_page_prints_on_its_own(s: &Session) {
    s.open("sources/2023-01-31-icet-fact-sheet/index.html");
    s.emulate("print", false);
    for chrome in [
        ".site-header",
        ".site-footer",
        ".breadcrumbs",
        ".page-aside",
    ] {
        assert!(
            s.truth(&format!(
                "getComputedStyle(document.querySelector('{chrome}')).display === 'none'"
            )),
            "{chrome} is hidden in print"
        );
    }
    let external = s.text(
        "getComputedStyle(document.querySelector('main a[href^=\"https:\"]'), '::after').content",
    );
    assert_contains!(
        external,
        "https://www.whitehouse.gov/",
        "external links show their address"
    );
    s.emulate("", false);
}
