//! Bad input: every mistake an editor can make gets a diagnostic with its
//! code, file, line and column, and a build that fails leaves the published
//! site byte for byte as it was.
//!
//! Each test starts from the same small, clean site, builds it once, breaks
//! one thing and builds again.

use serde_json::Value;

use crate::common::{Site, snapshot_dir};

mod files;
mod output;
mod report;
mod themes;
mod warnings;

/// A clean site: two pages, two agencies, one topic, no warnings.
const GOOD: &str = r#"
-- site.toml --
title = "Errors site"
base_url = "https://example.org/errors/"
theme = "default"
-- content/_index.md --
+++
title = "Home"
agencies = ["isro"]
+++
Work by the [ISRO](agency:isro) on [quantum](topic:quantum).
-- content/domains/space.md --
+++
title = "Space"
weight = 1
agencies = ["nasa"]
topics = ["quantum"]
+++
The [NASA](agency:nasa) team.

## Launch

Back to [home](../_index.md).
-- content/agencies.toml --
[isro]
name = "Indian Space Research Organisation"
short = "ISRO"
country = "IN"
kind = "government"
description = "India's space agency."

[nasa]
name = "National Aeronautics and Space Administration"
short = "NASA"
country = "US"
kind = "government"
description = "The U.S. space agency."
-- content/topics.toml --
[quantum]
name = "Quantum"
description = "Quantum technologies."
"#;

/// The two registries of [`GOOD`], for tests that rewrite one of them.
const AGENCIES: &str = "[isro]
name = \"Indian Space Research Organisation\"
short = \"ISRO\"
country = \"IN\"
kind = \"government\"
description = \"India's space agency.\"

[nasa]
name = \"National Aeronautics and Space Administration\"
short = \"NASA\"
country = \"US\"
kind = \"government\"
description = \"The U.S. space agency.\"
";

/// Builds the clean site, breaks it with `break_it`, and builds again: the
/// build must fail and leave `public/` exactly as the first build left it.
/// Returns the diagnostics of the failed build.
fn break_and_build(break_it: impl FnOnce(&Site)) -> Vec<Value> {
    let site = Site::new(GOOD);
    site.run(&["build"]).expect_code(0);
    let before = snapshot_dir(&site.path("public"));
    break_it(&site);
    let run = site.run(&["build", "--format", "json"]);
    run.expect_code(1);
    assert_eq!(
        snapshot_dir(&site.path("public")),
        before,
        "the failed build changed public/"
    );
    run.json()
}

/// The diagnostic of `code` in `file` at `line`:`column`; fails the test
/// with every diagnostic shown when there is none.
fn find<'a>(all: &'a [Value], code: &str, file: &str, line: u64, column: u64) -> &'a Value {
    all.iter()
        .find(|d| {
            d["code"] == code && d["file"] == file && d["line"] == line && d["column"] == column
        })
        .unwrap_or_else(|| {
            panic!("no {code} at {file}:{line}:{column} among {all:#?}");
        })
}

/// [`find`], and that it is the only error: one mistake, one error, no
/// echoes of it elsewhere.
fn only_error<'a>(all: &'a [Value], code: &str, file: &str, line: u64, column: u64) -> &'a Value {
    let errors = all.iter().filter(|d| d["severity"] == "error").count();
    assert_eq!(errors, 1, "expected one error: {all:#?}");
    find(all, code, file, line, column)
}

/// The diagnostic of `code` about `file` as a whole, without a line or
/// column (a link, a folder).
fn find_unplaced<'a>(all: &'a [Value], code: &str, file: &str) -> &'a Value {
    let found = all
        .iter()
        .find(|d| d["code"] == code && d["file"] == file)
        .unwrap_or_else(|| panic!("no {code} for {file} among {all:#?}"));
    assert!(
        found["line"].is_null() && found["column"].is_null(),
        "{found:#}"
    );
    found
}

#[test]
fn the_clean_site_builds_without_any_diagnostic() {
    let site = Site::new(GOOD);
    let run = site.run(&["build", "--format", "json"]);
    run.expect_code(0);
    assert_eq!(run.json(), Vec::<Value>::new());
}

// --- TOML and front matter --------------------------------------------------

#[test]
fn toml_syntax_error_in_front_matter_is_placed_in_the_whole_file() {
    let all = break_and_build(|site| {
        site.write(
            "content/domains/space.md",
            "+++\ntitle = \"Space\"\nweight = \nagencies = [\"nasa\"]\n+++\nThe [NASA](agency:nasa) team.\n",
        );
    });
    only_error(&all, "E0201", "content/domains/space.md", 3, 10);
}

#[test]
fn toml_syntax_error_in_a_registry_is_placed_in_the_registry_without_echoes() {
    let all = break_and_build(|site| {
        site.write(
            "content/topics.toml",
            "[quantum]\nname = \"Quantum\ndescription = \"Quantum technologies.\"\n",
        );
    });
    find(&all, "E0201", "content/topics.toml", 2, 16);
    // The pages' `topic:quantum` links are not reported as unknown: the
    // registry is what is broken.
    for diagnostic in all.iter().filter(|d| d["severity"] == "error") {
        assert_eq!(diagnostic["file"], "content/topics.toml", "{all:#?}");
    }
}

#[test]
fn toml_syntax_error_in_site_toml_is_placed_in_site_toml() {
    let all = break_and_build(|site| {
        site.write("site.toml", "title = \"Errors site\"\ntheme = default\nbase_url = \"https://example.org/errors/\"\n");
    });
    only_error(&all, "E0201", "site.toml", 2, 9);
}

#[test]
fn front_matter_without_closing_delimiter_points_at_the_opening_one() {
    let all = break_and_build(|site| {
        site.write(
            "content/domains/space.md",
            "+++\ntitle = \"Space\"\nagencies = [\"nasa\"]\nThe [NASA](agency:nasa) team.\n",
        );
    });
    let problem = only_error(&all, "E0205", "content/domains/space.md", 1, 1);
    assert_eq!(
        problem["help"],
        "add a line with `+++` after the last front-matter key"
    );
}

#[test]
fn value_of_the_wrong_type_names_the_expected_type() {
    let all = break_and_build(|site| {
        site.write(
            "content/domains/space.md",
            "+++\ntitle = \"Space\"\nweight = \"high\"\nagencies = [\"nasa\"]\n+++\nThe [NASA](agency:nasa) team.\n",
        );
    });
    let problem = only_error(&all, "E0203", "content/domains/space.md", 3, 10);
    assert_eq!(
        problem["message"],
        "`weight` in the front matter must be an integer, not a string"
    );
    assert_eq!(problem["label"], "expected an integer");
}

#[test]
fn missing_title_points_at_the_front_matter_and_shows_an_example() {
    let all = break_and_build(|site| {
        site.write(
            "content/domains/space.md",
            "+++\nweight = 1\nagencies = [\"nasa\"]\n+++\nThe [NASA](agency:nasa) team.\n",
        );
    });
    let problem = only_error(&all, "E0204", "content/domains/space.md", 1, 1);
    assert_eq!(problem["message"], "the front matter has no `title`");
    assert_eq!(problem["help"], "add a line such as `title = \"Space\"`");
}

#[test]
fn unknown_front_matter_key_suggests_the_nearest_key_or_lists_them_all() {
    let all = break_and_build(|site| {
        site.write(
            "content/domains/space.md",
            "+++\ntitle = \"Space\"\nwieght = 1\ncolour = \"red\"\nagencies = [\"nasa\"]\n+++\nThe [NASA](agency:nasa) team.\n",
        );
    });
    let misspelt = find(&all, "E0202", "content/domains/space.md", 3, 1);
    assert_eq!(misspelt["help"], "did you mean `weight`?");
    let unknown = find(&all, "E0202", "content/domains/space.md", 4, 1);
    assert_eq!(
        unknown["help"],
        "the keys of the front matter are `title`, `summary`, `weight`, `date`, `updated`, `draft`, `agencies`, `topics`, `sources`"
    );
}

// --- Agencies, topics and registries -------------------------------------

#[test]
fn unknown_agency_in_front_matter_suggests_the_nearest_id() {
    let all = break_and_build(|site| {
        site.write(
            "content/domains/space.md",
            "+++\ntitle = \"Space\"\nagencies = [\"nsaa\"]\n+++\nThe [NASA](agency:nasa) team.\n",
        );
    });
    let problem = only_error(&all, "E0101", "content/domains/space.md", 3, 13);
    assert_eq!(problem["message"], "unknown agency `nsaa`");
    assert_eq!(problem["help"], "did you mean `nasa`?");
}

#[test]
fn unknown_topic_in_front_matter_suggests_the_nearest_id() {
    let all = break_and_build(|site| {
        site.write(
            "content/domains/space.md",
            "+++\ntitle = \"Space\"\nagencies = [\"nasa\"]\ntopics = [\"quantun\"]\n+++\nThe [NASA](agency:nasa) team.\n",
        );
    });
    let problem = only_error(&all, "E0102", "content/domains/space.md", 4, 11);
    assert_eq!(problem["message"], "unknown topic `quantun`");
    assert_eq!(problem["help"], "did you mean `quantum`?");
}

#[test]
fn unknown_agency_in_an_inline_link_suggests_the_nearest_id() {
    let all = break_and_build(|site| {
        site.write(
            "content/domains/space.md",
            "+++\ntitle = \"Space\"\nagencies = [\"nasa\"]\n+++\nThe [NASA](agency:nasaa) team.\n",
        );
    });
    let problem = only_error(&all, "E0101", "content/domains/space.md", 5, 12);
    assert_eq!(problem["label"], "not in content/agencies.toml");
    assert_eq!(problem["help"], "did you mean `nasa`?");
}

#[test]
fn unknown_topic_in_an_inline_link_suggests_the_nearest_id() {
    let all = break_and_build(|site| {
        site.write(
            "content/domains/space.md",
            "+++\ntitle = \"Space\"\nagencies = [\"nasa\"]\n+++\nThe [NASA](agency:nasa) works on [qubits](topic:quantom).\n",
        );
    });
    let problem = only_error(&all, "E0102", "content/domains/space.md", 5, 43);
    assert_eq!(problem["help"], "did you mean `quantum`?");
}

#[test]
fn repeated_registry_id_is_reported_once_and_hides_nothing_else() {
    let all = break_and_build(|site| {
        site.write(
            "content/agencies.toml",
            &format!(
                "{AGENCIES}\n[isro]\nname = \"Indian Space Research Organisation\"\ncountry = \"IN\"\nkind = \"government\"\ndescription = \"Again.\"\n"
            ),
        );
    });
    let problem = only_error(&all, "E0301", "content/agencies.toml", 15, 2);
    assert_eq!(problem["message"], "`isro` is defined twice");
}

#[test]
fn alias_claimed_by_two_entries_names_both() {
    let all = break_and_build(|site| {
        site.write(
            "content/agencies.toml",
            &AGENCIES.replace(
                "short = \"ISRO\"\n",
                "short = \"ISRO\"\naliases = [\"NASA\"]\n",
            ),
        );
    });
    let problem = only_error(&all, "E0302", "content/agencies.toml", 11, 9);
    assert_eq!(
        problem["message"],
        "`NASA` is claimed by both `isro` and `nasa`"
    );
    assert_eq!(
        problem["notes"][0],
        "`isro` claims it at content/agencies.toml:4:12"
    );
}

// --- Links and output paths -------------------------------------------------

#[test]
fn link_to_a_page_that_does_not_exist_is_an_error() {
    let all = break_and_build(|site| {
        site.write(
            "content/domains/space.md",
            "+++\ntitle = \"Space\"\nagencies = [\"nasa\"]\n+++\nThe [NASA](agency:nasa) team; see [the plan](plan.md).\n",
        );
    });
    let problem = only_error(&all, "E0104", "content/domains/space.md", 5, 46);
    assert_eq!(problem["message"], "no page `content/domains/plan.md`");
}

#[test]
fn link_to_a_heading_that_does_not_exist_suggests_the_nearest_anchor() {
    let all = break_and_build(|site| {
        site.write(
            "content/domains/space.md",
            "+++\ntitle = \"Space\"\nagencies = [\"nasa\"]\n+++\nThe [NASA](agency:nasa) team.\n\n## Launch\n\nSee [above](#lunch) and [home](../_index.md#nowhere).\n\nSee [it](#launc) again.\n",
        );
    });
    let here = find(&all, "E0105", "content/domains/space.md", 9, 13);
    assert_eq!(here["message"], "this page has no anchor `#lunch`");
    assert_eq!(here["help"], "did you mean `#launch`?");
    // `#launch-p1` holds `launc` too, but is a passage of `#launch`.
    let again = find(&all, "E0105", "content/domains/space.md", 11, 10);
    assert_eq!(again["help"], "did you mean `#launch`?");
    let there = find(&all, "E0105", "content/domains/space.md", 9, 32);
    assert_eq!(
        there["message"],
        "`content/_index.md` has no anchor `#nowhere`"
    );
}

#[test]
fn two_pages_with_the_same_output_path_are_an_error() {
    let all = break_and_build(|site| {
        site.write(
            "content/domains/Space.md",
            "+++\ntitle = \"Space again\"\nagencies = [\"nasa\"]\n+++\nThe [NASA](agency:nasa) again.\n",
        );
    });
    let problem = only_error(&all, "E0401", "content/domains/space.md", 1, 1);
    assert_eq!(
        problem["message"],
        "`content/domains/space.md` and `content/domains/Space.md` would both be written to `domains/space/index.html`"
    );
}

#[test]
fn page_name_without_letters_collides_with_its_section_index() {
    let all = break_and_build(|site| {
        site.write(
            "content/domains/_index.md",
            "+++\ntitle = \"Domains\"\nagencies = [\"nasa\"]\n+++\nThe [NASA](agency:nasa) domains.\n",
        );
        site.write(
            "content/domains/!!!.md",
            "+++\ntitle = \"Bang\"\nagencies = [\"nasa\"]\n+++\nThe [NASA](agency:nasa) bang.\n",
        );
    });
    let problem = only_error(&all, "E0401", "content/domains/_index.md", 1, 1);
    assert_eq!(
        problem["message"],
        "`content/domains/_index.md` and `content/domains/!!!.md` would both be written to `domains/index.html`"
    );
}
