//! Provenance: quotations checked against the passages they cite, source
//! passages that link to the passages citing them, and coverage.

use crate::common::{Site, assert_contains, assert_not_contains, broken_links};

const SITE: &str = r#"
-- site.toml --
title = "Provenance"
-- content/_index.md --
+++
title = "Home"
agencies = ["agency"]
sources = ["sheet"]
+++
An opening on the initiative. ([source](source:sheet#p1))

## Review

The [Agency](agency:agency) commits to “an expeditious review of this application”. ([source](source:sheet#commitments-p2))

> The United States commits to an expeditious review of this application.
>
> — [the fact sheet](source:sheet#commitments-p2)
-- content/agencies.toml --
[agency]
name = "The Agency"
short = "Agency"
country = "US"
kind = "government"
description = "An agency."
-- seeds/sheet.md --
---
title: A fact sheet
date: '2023-01-31'
---
An opening paragraph about the initiative.

**<u>Commitments</u>**

-   Developing a new roadmap.
-   Noting an application. The United States commits to an expeditious
    review of this application.
-   Expanding the agenda.

A closing paragraph.

\###
"#;

/// The 1-based line and column (in characters) of the first `needle` in a
/// project file.
fn position(site: &Site, file: &str, needle: &str) -> (usize, usize) {
    let text = std::fs::read_to_string(site.path(file)).expect("file");
    let at = text.find(needle).expect("needle in the file");
    let line_start = text[..at].rfind('\n').map_or(0, |i| i + 1);
    let line = text[..at].matches('\n').count() + 1;
    (line, text[line_start..at].chars().count() + 1)
}

#[test]
fn a_verbatim_quotation_builds() {
    let site = Site::new(SITE);
    site.run(&["build"]).expect_code(0);
    let home = site.public("index.html");
    assert_contains!(home, "“an expeditious review of this application”");
}

#[test]
fn a_quotation_with_one_word_changed_names_the_word_and_its_place() {
    let site = Site::new(&SITE.replace(
        "commits to “an expeditious review",
        "commits to “an quick review",
    ));
    let run = site.run(&["check"]);
    run.expect_code(1);
    let (line, col) = position(&site, "content/_index.md", "“an quick review");
    assert_contains!(
        run.stderr,
        "error[E0107 misquote]: this quotation is not in the cited passage"
    );
    assert_contains!(run.stderr, format!("--> content/_index.md:{line}:{col}"));
    assert_contains!(
        run.stderr,
        "the source says `expeditious` where the page says `quick`"
    );
    assert_contains!(
        run.stderr,
        "the closest passage is `sheet#commitments-p2`: “… an application. The United States commits to an expeditious review of this application.”"
    );
    // One error: the block quotation below still says it right.
    assert_contains!(run.stderr, "1 error, 0 warnings");

    let json = site.run(&["check", "--format", "json"]).json();
    assert_eq!(json.len(), 1, "{json:#?}");
    assert_eq!(json[0]["code"], "E0107");
    assert_eq!(json[0]["name"], "misquote");
    assert_eq!(json[0]["line"], line);
    assert_eq!(json[0]["column"], col);
}

#[test]
fn a_misquoted_block_quotation_is_reported_and_nothing_is_published() {
    let site = Site::new(&SITE.replace(
        "> The United States commits to an expeditious review",
        "> The United States commits to an expeditious and fair review",
    ));
    let run = site.run(&["build"]);
    run.expect_code(1);
    let (line, col) = position(&site, "content/_index.md", "The United States commits");
    assert_contains!(
        run.stderr,
        format!(
            "error[E0107 misquote]: this block quotation is not in the cited passage\n  --> content/_index.md:{line}:{col}"
        )
    );
    assert_contains!(run.stderr, "the source has no `and` here");
    assert!(!site.path("public").exists());
}

#[test]
fn words_quoted_from_another_passage_point_to_the_right_anchor() {
    let site = Site::new(&SITE.replace(
        "this application”. ([source](source:sheet#commitments-p2))",
        "this application”. ([source](source:sheet#commitments-p3))",
    ));
    let run = site.run(&["check"]);
    run.expect_code(1);
    assert_contains!(
        run.stderr,
        "help: these words are in `sheet#commitments-p2`: cite `source:sheet#commitments-p2`"
    );
}

#[test]
fn a_quotation_citing_a_whole_source_may_come_from_any_passage() {
    let whole = SITE.replace(
        "this application”. ([source](source:sheet#commitments-p2))",
        "this application”. ([source](source:sheet))",
    );
    Site::new(&whole).run(&["check"]).expect_code(0);
    let site = Site::new(&whole.replace("“an expeditious", "“a expeditious"));
    let run = site.run(&["check"]);
    run.expect_code(1);
    assert_contains!(
        run.stderr,
        "error[E0107 misquote]: this quotation is not in the cited source"
    );
    assert_contains!(run.stderr, "the source says `an` where the page says `a`");
}

#[test]
fn a_citation_to_a_missing_anchor_names_the_nearest_one() {
    let site = Site::new(&SITE.replace("(source:sheet#p1)", "(source:sheet#comitments-p1)"));
    let run = site.run(&["check"]);
    run.expect_code(1);
    let (line, col) = position(&site, "content/_index.md", "source:sheet#comitments-p1");
    assert_contains!(
        run.stderr,
        "error[E0105 broken-anchor]: the source `sheet` has no anchor `#comitments-p1`"
    );
    assert_contains!(run.stderr, format!("--> content/_index.md:{line}:{col}"));
    assert_contains!(run.stderr, "help: did you mean `#commitments-p1`?");
}

#[test]
fn a_citation_past_the_last_passage_of_a_section_names_the_ones_it_has() {
    let site = Site::new(&SITE.replace("(source:sheet#p1)", "(source:sheet#commitments-p9)"));
    let run = site.run(&["check"]);
    run.expect_code(1);
    assert_contains!(
        run.stderr,
        "help: `#commitments` has `#commitments-p1` to `#commitments-p5`: did you mean `#commitments-p5`?"
    );
}

#[test]
fn a_citation_far_from_every_anchor_lists_the_headings_of_the_source() {
    let site = Site::new(&SITE.replace("(source:sheet#p1)", "(source:sheet#bio)"));
    let run = site.run(&["check"]);
    run.expect_code(1);
    assert_contains!(run.stderr, "help: its headings are `#commitments`");
}

#[test]
fn citations_are_markers_and_stay_out_of_mention_texts() {
    let site = Site::new(SITE);
    site.run(&["build"]).expect_code(0);
    let home = site.public("index.html");
    assert_contains!(
        home,
        "this application”.<sup class=\"citations\"><a href=\"sources/sheet/index.html#commitments-p2\" class=\"citation\" title=\"Source 2: A fact sheet, Commitments ¶2\" aria-label=\"Source 2: A fact sheet, Commitments ¶2\">2</a></sup></p>"
    );
    let agency = site.public("agencies/agency/index.html");
    let mention = agency
        .split("<blockquote>")
        .nth(1)
        .and_then(|rest| rest.split("</blockquote>").next())
        .expect("a mention");
    assert!(
        mention.ends_with("commits to “an expeditious review of this application”."),
        "{mention}"
    );
}

#[test]
fn source_passages_link_to_every_passage_citing_them() {
    let site = Site::new(SITE);
    site.run(&["build"]).expect_code(0);
    let sheet = site.public("sources/sheet/index.html");
    let item = sheet
        .split("<li id=\"commitments-p2\">")
        .nth(1)
        .and_then(|rest| rest.split("</li>").next())
        .expect("the cited item");
    // The paragraph quotes it; the block quotation cites it in its
    // attribution line, its third passage.
    assert_contains!(
        item,
        "<span class=\"cited-by\"><span class=\"cited-by-label\">Cited by</span> <a href=\"../../index.html\">Home</a>: Review <a href=\"../../index.html#review-p1\">¶1</a> <a href=\"../../index.html#review-p3\">¶3</a></span>"
    );
    let uncited = sheet
        .split("<li id=\"commitments-p1\">")
        .nth(1)
        .and_then(|rest| rest.split("</li>").next())
        .expect("an uncited item");
    assert_not_contains!(uncited, "cited-by");
    let broken = broken_links(&site.path("public"));
    assert!(broken.is_empty(), "{broken:#?}");
}

#[test]
fn coverage_counts_the_substantive_passages_of_each_source() {
    let site = Site::new(SITE);
    let run = site.run(&["check", "--coverage"]);
    run.expect_code(0);
    let expected = "\
sheet (seeds/sheet.md)
  p1              cited once  An opening paragraph about the initiative.
  commitments-p1  not cited   Developing a new roadmap.
  commitments-p2  cited 2×    Noting an application. The United States commits to an exped…
  commitments-p3  not cited   Expanding the agenda.
  commitments-p4  not cited   A closing paragraph.
  2 of 5 passages cited: 40%
";
    assert_eq!(run.stdout.trim_end(), expected.trim_end());

    let json = site
        .run(&["check", "--coverage", "--format", "json"])
        .json();
    assert_eq!(json.len(), 1, "{json:#?}");
    let coverage = &json[0]["coverage"];
    assert_eq!(coverage["source"], "sheet");
    assert_eq!(coverage["cited"], 2);
    assert_eq!(coverage["total"], 5);
    assert_eq!(coverage["percent"], 40);

    site.run(&["build"]).expect_code(0);
    let page = site.public("coverage/index.html");
    assert_contains!(page, "2 of 5 passages cited: <strong>40%</strong>");
    assert_eq!(page.matches("<tr class=\"uncited\">").count(), 3, "{page}");
    assert_eq!(page.matches("<tr class=\"cited\">").count(), 2, "{page}");
    assert_not_contains!(page, "commitments\"", "headings are not listed");
}

#[test]
fn a_second_source_is_published_cited_and_counted_without_code_changes() {
    let site = Site::new(&format!(
        "{SITE}\n-- seeds/2024-later.md --\n+++\ntitle = \"A later fact sheet\"\n+++\nA later meeting took place.\n\n**Space**\n\n- A second commitment on space.\n-- content/later.md --\n+++\ntitle = \"Later\"\nagencies = [\"agency\"]\n+++\nThe [Agency](agency:agency) met again. ([source](source:2024-later#p1))\n\nIt made “a second commitment on space”. ([source](source:2024-later#space-p1))\n"
    ));
    site.run(&["build"]).expect_code(0);
    let later = site.public("sources/2024-later/index.html");
    assert_contains!(later, "<li id=\"space-p1\">");
    assert_contains!(later, "../../later/index.html#p2");
    let run = site.run(&["check", "--coverage"]);
    assert_contains!(run.stdout, "2024-later (seeds/2024-later.md)");
    assert_contains!(run.stdout, "  2 of 2 passages cited: 100%");
    assert_contains!(run.stdout, "all sources: 4 of 7 passages cited: 57%");
}
