//! axe-core on the pages a reader sees, in light and dark.

use super::Session;

/// axe-core finds no serious or critical violation on the pages read, in
/// light and dark.
pub(super) fn pages_have_no_serious_accessibility_violations(s: &Session, axe: &str) {
    let mut found = Vec::new();
    for dark in [false, true] {
        s.emulate("", dark);
        for page in [
            "index.html",
            "domains/space/index.html",
            "agencies/index.html",
            "agencies/isro/index.html",
            "agencies/nasa/index.html",
            "topics/quantum/index.html",
            "search/index.html?q=ISRO",
            "print/index.html",
        ] {
            s.open(page);
            if page.starts_with("search/") {
                s.wait_for(
                    "see results",
                    "document.querySelectorAll('.search-result').length > 0",
                );
            }
            for violation in s.axe(axe) {
                found.push(format!(
                    "{page}{}: {violation}",
                    if dark { " (dark)" } else { "" }
                ));
            }
        }
    }
    s.emulate("", false);
    assert!(found.is_empty(), "{}", found.join("\n"));

    // The check itself sees a violation when there is one: text too faint
    // to read.
    s.open("index.html");
    s.eval("document.querySelector('main h1').style.color = '#f4f4f4'");
    let faint = s.axe(axe);
    assert!(
        faint
            .iter()
            .any(|v| v.starts_with("color-contrast (serious)")),
        "axe-core missed faint text: {faint:?}"
    );
}
