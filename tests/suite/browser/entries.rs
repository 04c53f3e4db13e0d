//! The pages of agencies in a real browser: a parent's page lists the
//! mentions of an entry within it, and the map at a glance reads on screen,
//! on a phone and on paper.

use super::Session;

/// NASA's page lists the passage that names only the NASA Johnson Space
/// Center, marked with the centre's name, and the centre's page says it is
/// part of NASA.
pub(super) fn a_parents_page_lists_a_childs_mention(s: &Session) {
    s.open("agencies/nasa/index.html");
    assert!(
        s.truth(
            "[...document.querySelectorAll('.mentions li')].some(li =>\
               li.querySelector('mark')?.textContent === 'NASA Johnson Space Center'\
               && !!li.querySelector('.mention-where a.chip[href$=\"agencies/nasa-jsc/index.html\"]'))"
        ),
        "NASA's page lists the centre's mention, marked with its name"
    );
    assert!(s.truth(
        "[...document.querySelectorAll('#within ~ .term-list a')].some(a => a.textContent === 'NASA Johnson Space Center')"
    ));
    s.follow("#within ~ .term-list a[href$='agencies/nasa-jsc/index.html']");
    assert_eq!(
        s.text("document.querySelector('.part-of').textContent"),
        "Part of National Aeronautics and Space Administration"
    );
}

/// The agencies index shows the matrix, its cells lead to the agency's
/// passages on that page; on a phone it scrolls in its own box with the
/// agency column in view; printed, it is whole and shaded.
pub(super) fn the_matrix_shows_on_screen_on_a_phone_and_in_print(s: &Session) {
    s.open("agencies/index.html");
    assert!(s.truth("document.querySelector('table.matrix').getBoundingClientRect().height > 300"));
    let columns = s.eval("document.querySelectorAll('table.matrix thead th').length");
    assert_eq!(columns, serde_json::json!(7), "Agency and six domains");
    let cell = "table.matrix tr:has(th a[href$='agencies/nasa/index.html']) td a";
    assert_eq!(
        s.text(&format!("document.querySelector(\"{cell}\").textContent")),
        "6"
    );
    s.screenshot("agencies");
    let href = s.follow(cell);
    assert!(
        href.ends_with("agencies/nasa/index.html#in-domains-space"),
        "{href}"
    );
    assert!(
        s.truth("document.getElementById('in-domains-space').getBoundingClientRect().top < 50")
    );

    s.open("agencies/index.html");
    s.viewport(Some(390));
    let phone = (
        s.truth("document.documentElement.scrollWidth <= window.innerWidth"),
        s.truth("(b => b.scrollWidth > b.clientWidth)(document.querySelector('.matrix-scroll'))"),
        s.text("getComputedStyle(document.querySelector('table.matrix th[scope=row]')).position"),
    );
    s.viewport(None);
    assert_eq!(
        phone,
        (true, true, "sticky".to_string()),
        "on a phone: the page fits, the matrix scrolls in its box, the agency column stays"
    );

    s.open("print/index.html");
    s.emulate("print", false);
    let printed = (
        s.truth("document.querySelector('table.matrix').getBoundingClientRect().height > 300"),
        s.text("getComputedStyle(document.querySelector('.matrix-scroll')).overflowX"),
        s.text(
            "getComputedStyle(document.querySelector('table.matrix td.level-3')).printColorAdjust",
        ),
    );
    s.emulate("", false);
    assert_eq!(
        printed,
        (true, "visible".to_string(), "exact".to_string()),
        "printed: the matrix shows whole, with its shades"
    );
    let broken = s.text(
        "JSON.stringify([...document.querySelectorAll('table.matrix a')]\
           .map(a => a.getAttribute('href').slice(1))\
           .filter(id => !document.getElementById(id)))",
    );
    assert_eq!(broken, "[]", "the matrix's links on the print page");
}
