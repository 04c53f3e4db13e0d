//! What a reader meets on a page: numbered citations named for what they
//! cite and listed as notes in print, callouts, passage permalinks, the
//! lead before the contents, previous and next at the top, and the source
//! and coverage pages laid out to be read.

use crate::common::search::search_documents;
use crate::common::{Site, assert_contains, assert_not_contains};

const SITE: &str = r#"
-- site.toml --
title = "Reading"
-- content/_index.md --
+++
title = "Home"
+++
The home page.
-- content/domains/_index.md --
+++
title = "Domains"
+++
-- content/domains/space.md --
+++
title = "Space"
weight = 1
sources = ["sheet"]
+++
The space domain opens with a lead. ([source](source:sheet#p1))

## Visits

The two countries welcome “the visit of the Chairman”. ([source](source:sheet#space-p2), [source](source:sheet#space-p1))

- A first item. ([source](source:sheet#next-generation-telecommunications-p1))
- A second item.

> [!WARNING]
> Dates are targets.

> [!TIP]
> Read the source.

The lead's passage, once more. ([source](source:sheet#p1))
-- content/domains/telecom.md --
+++
title = "Telecom"
weight = 2
+++
Opening words.

## Networks

Networks are built.
-- content/domains/zeta.md --
+++
title = "Zeta"
weight = 3
+++
A page that opens with nothing before its first heading? No: this.
-- seeds/sheet.md --
---
title: A fact sheet
---
An opening paragraph.

**Space:**

-   Training an astronaut at the space center.
-   Welcoming the visit of the Chairman to the United States.

**Next Generation Telecommunications:**

-   Launching a public-private dialogue.
"#;

fn built() -> Site {
    let site = Site::new(SITE);
    site.run(&["build"]).expect_code(0);
    site
}

#[test]
fn citation_markers_are_numbered_in_page_order_and_named_for_what_they_cite() {
    let site = built();
    let space = site.public("domains/space/index.html");
    assert_contains!(
        space,
        "<a href=\"../../sources/sheet/index.html#p1\" class=\"citation\" title=\"Source 1: A fact sheet, ¶1\" aria-label=\"Source 1: A fact sheet, ¶1\">1</a>"
    );
    assert_contains!(
        space,
        "class=\"citation\" title=\"Source 2: A fact sheet, Space ¶2\" aria-label=\"Source 2: A fact sheet, Space ¶2\">2</a>, <a href=\"../../sources/sheet/index.html#space-p1\" class=\"citation\" title=\"Source 3: A fact sheet, Space ¶1\""
    );
    assert_contains!(
        space,
        "title=\"Source 4: A fact sheet, Next Generation Telecommunications ¶1\""
    );
    // No marker reads "source" any more.
    assert_not_contains!(space, "class=\"citation\">source</a>");
}

#[test]
fn a_page_lists_its_citations_as_notes_for_print() {
    let site = built();
    let space = site.public("domains/space/index.html");
    let notes = space
        .split("<section class=\"citation-notes print-only\"")
        .nth(1)
        .and_then(|rest| rest.split("</section>").next())
        .expect("the notes of the page");
    assert_contains!(notes, "<h2 id=\"citation-notes\">Sources cited</h2>");
    assert_contains!(
        notes,
        "<li value=\"1\"><a href=\"../../sources/sheet/index.html#p1\">A fact sheet</a>, ¶1 <code class=\"note-anchor\">#p1</code>: <q>An opening paragraph.</q></li>"
    );
    // The quotation is the cited words when the citation has one.
    assert_contains!(
        notes,
        "<li value=\"2\"><a href=\"../../sources/sheet/index.html#space-p2\">A fact sheet</a>, Space ¶2 <code class=\"note-anchor\">#space-p2</code>, quoted: <q>the visit of the Chairman</q></li>"
    );
    assert_contains!(
        notes,
        "#space-p1</code>, quoted: <q>the visit of the Chairman</q>"
    );
    assert_contains!(
        notes,
        "<code class=\"note-anchor\">#next-generation-telecommunications-p1</code>: <q>Launching a public-private dialogue.</q>"
    );
    // A passage cited again with the same words is not printed twice.
    assert_contains!(
        notes,
        "<li value=\"5\"><a href=\"../../sources/sheet/index.html#p1\">A fact sheet</a>, ¶1 <code class=\"note-anchor\">#p1</code>, as note 1</li>"
    );
    // Shown in print only.
    let css = site.public("static/style.css");
    assert_contains!(css, ".print-only { display: none; }");
    assert_contains!(css, "  .print-only { display: block; }");
}

#[test]
fn the_print_page_ends_each_chapter_with_its_own_numbered_notes() {
    let site = built();
    let print = site.public("print/index.html");
    let space = print
        .split("id=\"domains-space\"")
        .nth(1)
        .and_then(|rest| rest.split("class=\"print-chapter").next())
        .expect("the chapter of the space page");
    assert_contains!(
        space,
        "class=\"citation\" title=\"Source 1: A fact sheet, ¶1\" aria-label=\"Source 1: A fact sheet, ¶1\">1</a>"
    );
    assert_contains!(
        space,
        "<section class=\"citation-notes in-print-page\" aria-labelledby=\"domains-space--notes\">\n  <h3 id=\"domains-space--notes\">Sources cited</h3>"
    );
    assert_contains!(
        space,
        "<li value=\"4\"><a href=\"../sources/sheet/index.html#next-generation-telecommunications-p1\">A fact sheet</a>"
    );
    // A chapter without citations has no notes.
    let telecom = print
        .split("id=\"domains-telecom\"")
        .nth(1)
        .and_then(|rest| rest.split("class=\"print-chapter").next())
        .expect("the chapter of the telecom page");
    assert_not_contains!(telecom, "citation-notes");
}

#[test]
fn callouts_have_a_label_an_inline_icon_and_a_colour_of_their_kind() {
    let site = built();
    let space = site.public("domains/space/index.html");
    for (kind, label) in [("warning", "Warning"), ("tip", "Tip")] {
        let callout = space
            .split(&format!("<blockquote class=\"callout callout-{kind}\">"))
            .nth(1)
            .and_then(|rest| rest.split("</blockquote>").next())
            .unwrap_or_else(|| panic!("a {kind} callout in {space}"));
        assert_contains!(
            callout,
            "<p class=\"callout-title\"><svg class=\"callout-icon\""
        );
        assert_contains!(callout, "aria-hidden=\"true\"");
        assert_contains!(callout, &format!("</svg>{label}</p>"));
        assert_not_contains!(callout, "href=\"http");
    }
    let css = site.public("static/style.css");
    for kind in ["note", "tip", "important", "warning", "caution"] {
        assert_contains!(
            css,
            &format!(".callout-{kind} {{ --callout: var(--callout-{kind}); }}")
        );
    }
}

/// A passage's anchor is in the HTML; its `¶` permalink is added by the
/// theme's script, which every page loads (the browser test checks what
/// it writes).
#[test]
fn passages_have_anchors_named_for_their_place_and_pages_load_the_permalink_script() {
    let site = built();
    let space = site.public("domains/space/index.html");
    assert_contains!(
        space,
        "<p id=\"p1\">The space domain opens with a lead.<sup class=\"citations\">"
    );
    assert_contains!(space, "<li id=\"visits-p3\">A second item.</li>");
    let source = site.public("sources/sheet/index.html");
    assert_contains!(source, " id=\"space-p2\">");
    for page in [&space, &source] {
        assert_contains!(
            page,
            "<script src=\"../../static/permalinks.js\" defer></script>"
        );
        assert_not_contains!(page, "class=\"permalink\"");
    }
    assert_contains!(site.public("static/permalinks.js"), "\"Link to \"");
}

#[test]
fn source_headings_drop_their_trailing_colon_but_keep_their_anchors() {
    let site = built();
    let source = site.public("sources/sheet/index.html");
    let toc = source
        .split("<nav class=\"toc\"")
        .nth(1)
        .and_then(|rest| rest.split("</nav>").next())
        .expect("a table of contents");
    assert_contains!(
        toc,
        "<a href=\"#next-generation-telecommunications\">Next Generation Telecommunications</a>"
    );
    assert_not_contains!(toc, "Telecommunications:");
    assert_contains!(
        source,
        "aria-label=\"Link to this section: Next Generation Telecommunications\""
    );
    // The search index holds the heading as shown.
    let index = serde_json::Value::Array(search_documents(&site)).to_string();
    assert_contains!(index, "Next Generation Telecommunications");
    assert_not_contains!(index, "Telecommunications:");
}

#[test]
fn a_page_puts_its_lead_before_the_contents_and_previous_and_next_above_too() {
    let site = built();
    let space = site.public("domains/space/index.html");
    let lead = space.find("class=\"prose page-lead\"").expect("the lead");
    let aside = space.find("class=\"page-aside\"").expect("the aside");
    let body = space.find("class=\"prose page-body\"").expect("the body");
    assert!(lead < aside && aside < body, "{space}");
    assert_contains!(&space[lead..aside], "The space domain opens with a lead.");
    assert_not_contains!(&space[lead..aside], "<h2");
    // The pager above the text, compact, with the keys that follow it.
    assert_contains!(
        space,
        "<nav class=\"pager-top\" aria-label=\"Previous and next (top)\">"
    );
    assert_contains!(
        space,
        "<a class=\"next\" rel=\"next\" href=\"../../domains/telecom/index.html\" aria-keyshortcuts=\"ArrowRight\"><span class=\"visually-hidden\">Next: </span>Telecom<span aria-hidden=\"true\"> →</span></a>"
    );
    // A page without a heading has no lead of its own: all of it is the body.
    let zeta = site.public("domains/zeta/index.html");
    assert_not_contains!(zeta, "page-lead");
    assert_contains!(zeta, "<div class=\"page-layout\">");
    let keys = site.public("static/keys.js");
    assert_contains!(keys, "a[rel~='next']");
}

#[test]
fn the_coverage_table_names_each_cell_and_breaks_anchors_at_hyphens() {
    let site = built();
    let coverage = site.public("coverage/index.html");
    for label in ["Passage", "Text", "Cited by"] {
        assert_contains!(coverage, &format!("<td data-label=\"{label}\">"));
    }
    let css = site.public("static/style.css");
    assert_not_contains!(css, "overflow-wrap: anywhere");
    assert_contains!(
        css,
        ".coverage-table code { overflow-wrap: normal; word-break: normal; }"
    );
}
