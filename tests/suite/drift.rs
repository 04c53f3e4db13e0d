//! Citations that cannot drift: when a source document is replaced by
//! another version, every citation whose passage changed is named at its
//! place, with where its old words went, and no other; `dossier fix` moves
//! citations, `check --accept-sources` records reviewed changes, and the
//! site is clean again.

use crate::common::{Run, Site, assert_contains, assert_not_contains};

/// A page citing every passage of a two-section source, each citation in
/// a paragraph of its own; `sources.lock` is made by the first check.
const SITE: &str = r#"
-- site.toml --
title = "Drift"
-- content/_index.md --
+++
title = "Home"
agencies = ["agency"]
sources = ["sheet"]
+++
The [Agency](agency:agency) says one thing. ([source](source:sheet#alpha-p1))

It says a second thing. ([source](source:sheet#alpha-p2))

And a third. ([source](source:sheet#alpha-p3))

And a fourth. ([source](source:sheet#alpha-p4))

Elsewhere, a fifth. ([source](source:sheet#beta-p1))

And a sixth. ([source](source:sheet#beta-p2))
-- content/agencies.toml --
[agency]
name = "The Agency"
short = "Agency"
country = "US"
kind = "government"
description = "An agency."
"#;

/// The source, its sections' items as given.
fn sheet(alpha: &[&str], beta: &[&str]) -> String {
    let items = |items: &[&str]| {
        items
            .iter()
            .map(|item| format!("- {item}\n"))
            .collect::<String>()
    };
    format!(
        "---\ntitle: Sheet\n---\n**Alpha**\n\n{}\n**Beta**\n\n{}",
        items(alpha),
        items(beta)
    )
}

const ALPHA: [&str; 4] = [
    "The first commitment on roads.",
    "The second commitment on bridges.",
    "The third commitment on rails.",
    "The fourth commitment on ports.",
];
const BETA: [&str; 2] = ["The fifth on schools.", "The sixth on clinics."];

/// The site, checked once so that its lock records every cited passage.
fn locked_site() -> Site {
    let mut archive = SITE.to_string();
    archive.push_str(&format!("-- seeds/sheet.md --\n{}", sheet(&ALPHA, &BETA)));
    let site = Site::new(&archive);
    let run = site.run(&["check", "--deny-warnings"]);
    run.expect_code(0);
    assert_contains!(
        run.stderr,
        "sources.lock: created, recording 6 cited passages"
    );
    site
}

/// The drift warnings of a `check --format json`: `(anchor cited, line,
/// suggested anchor)` for each, in order.
fn drifted(run: &Run) -> Vec<(String, u64, Option<String>)> {
    run.json()
        .iter()
        .filter(|d| d["code"] == "W0106")
        .map(|d| {
            let message = d["message"].as_str().unwrap_or_default();
            let anchor = message
                .split('`')
                .nth(1)
                .unwrap_or_default()
                .trim_start_matches('#')
                .to_string();
            let help = d["help"].as_str().unwrap_or_default();
            let suggested = help
                .strip_prefix("its old words are now at `#")
                .and_then(|rest| rest.split('`').next())
                .map(str::to_string);
            (anchor, d["line"].as_u64().unwrap_or_default(), suggested)
        })
        .collect()
}

fn suggestion(anchor: &str, line: u64, to: Option<&str>) -> (String, u64, Option<String>) {
    (anchor.to_string(), line, to.map(str::to_string))
}

#[test]
fn an_inserted_passage_names_every_later_citation_of_its_section_and_fix_moves_them() {
    let site = locked_site();
    let lock_before = std::fs::read_to_string(site.path("sources.lock")).expect("lock");
    let mut alpha = vec!["An inserted first commitment on canals."];
    alpha.extend(ALPHA);
    site.write("seeds/sheet.md", &sheet(&alpha, &BETA));
    let run = site.run(&["check", "--format", "json"]);
    run.expect_code(0);
    assert_eq!(
        drifted(&run),
        [
            suggestion("alpha-p1", 6, Some("alpha-p2")),
            suggestion("alpha-p2", 8, Some("alpha-p3")),
            suggestion("alpha-p3", 10, Some("alpha-p4")),
            suggestion("alpha-p4", 12, Some("alpha-p5")),
        ],
        "beta's citations are untouched"
    );
    // Warnings, not yet accepted: the lock says what it said.
    assert_eq!(
        std::fs::read_to_string(site.path("sources.lock")).expect("lock"),
        lock_before
    );
    site.run(&["check", "--deny-warnings"]).expect_code(1);

    let fix = site.run(&["fix"]);
    fix.expect_code(0);
    assert_contains!(fix.stdout, "content/_index.md:6:");
    assert_contains!(fix.stdout, "source:sheet#alpha-p4 -> #alpha-p5");
    assert_contains!(fix.stdout, "moved 4 citations");
    let page = std::fs::read_to_string(site.path("content/_index.md")).expect("page");
    assert_contains!(page, "([source](source:sheet#alpha-p5))");
    assert_not_contains!(page, "#alpha-p1)");
    site.run(&["check", "--deny-warnings"]).expect_code(0);
}

#[test]
fn a_reworded_passage_is_named_once_and_accepting_it_makes_the_site_clean() {
    let site = locked_site();
    let mut alpha = ALPHA.to_vec();
    alpha[1] = "The second commitment on bridges and tunnels.";
    site.write("seeds/sheet.md", &sheet(&alpha, &BETA));
    let run = site.run(&["check", "--format", "json"]);
    assert_eq!(drifted(&run), [suggestion("alpha-p2", 8, None)]);
    let human = site.run(&["check"]);
    assert_contains!(
        human.stderr,
        "sources.lock: “The second commitment on bridges.”"
    );
    assert_contains!(
        human.stderr,
        "now:          “The second commitment on bridges and tunnels.”"
    );

    let accept = site.run(&["check", "--accept-sources"]);
    accept.expect_code(0);
    assert_contains!(accept.stderr, "sources.lock: accepted 1 changed passage");
    let clean = site.run(&["check", "--deny-warnings"]);
    clean.expect_code(0);
    assert_not_contains!(clean.stderr, "sources.lock:");
}

#[test]
fn a_deleted_passage_is_an_error_that_says_where_its_words_went() {
    let site = locked_site();
    let alpha = [ALPHA[0], ALPHA[2], ALPHA[3]];
    site.write("seeds/sheet.md", &sheet(&alpha, &BETA));
    let run = site.run(&["check", "--format", "json"]);
    run.expect_code(1);
    // alpha-p2 now has the old third item's words; the old second item's
    // words are gone; alpha-p3 has the old fourth's; alpha-p4 is gone.
    assert_eq!(
        drifted(&run),
        [
            suggestion("alpha-p2", 8, None),
            suggestion("alpha-p3", 10, Some("alpha-p2")),
        ]
    );
    let all = run.json();
    let gone = all
        .iter()
        .find(|d| d["code"] == "E0105")
        .expect("the citation of a gone anchor is an error");
    assert_eq!(gone["line"], 12);
    assert_eq!(
        gone["help"],
        "its words are now at `#alpha-p3`: cite that (`dossier fix` moves every such citation)"
    );
    assert!(
        gone["notes"].as_array().is_some_and(|notes| {
            notes.iter().any(|n| {
                n == "sources.lock recorded `#alpha-p4` as “The fourth commitment on ports.”"
            })
        }),
        "{gone:#}"
    );
}

#[test]
fn two_passages_swapped_are_both_named_and_fix_swaps_their_citations() {
    let site = locked_site();
    let alpha = [ALPHA[1], ALPHA[0], ALPHA[2], ALPHA[3]];
    site.write("seeds/sheet.md", &sheet(&alpha, &BETA));
    let run = site.run(&["check", "--format", "json"]);
    assert_eq!(
        drifted(&run),
        [
            suggestion("alpha-p1", 6, Some("alpha-p2")),
            suggestion("alpha-p2", 8, Some("alpha-p1")),
        ]
    );
    site.run(&["fix"]).expect_code(0);
    let page = std::fs::read_to_string(site.path("content/_index.md")).expect("page");
    assert_contains!(page, "says one thing. ([source](source:sheet#alpha-p2))");
    assert_contains!(page, "a second thing. ([source](source:sheet#alpha-p1))");
    site.run(&["check", "--deny-warnings"]).expect_code(0);
}

#[test]
fn the_source_page_and_the_coverage_mark_a_changed_passage() {
    let site = locked_site();
    let mut alpha = ALPHA.to_vec();
    alpha[3] = "The fourth commitment on airports.";
    site.write("seeds/sheet.md", &sheet(&alpha, &BETA));
    site.run(&["build"]).expect_code(0);
    assert_eq!(
        site.public("sources/sheet/index.html")
            .matches("class=\"changed\"")
            .count(),
        1
    );
    assert_contains!(site.public("coverage/index.html"), "class=\"changed\"");
    let coverage = site.run(&["check", "--coverage"]);
    assert_contains!(
        coverage.stdout,
        "The fourth commitment on airports.  (changed since sources.lock)"
    );
}
