//! Bad input: every mistake an editor can make gets a diagnostic with its
//! code, file, line and column, and a build that fails leaves the published
//! site byte for byte as it was.
//!
//! Each test starts from the same small, clean site, builds it once, breaks
//! one thing and builds again.

use std::path::Path;

use serde_json::Value;

use crate::common::{Site, assert_contains, assert_not_contains, dossier, snapshot_dir};

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

// --- Files ----------------------------------------------------------------

#[test]
fn file_that_is_not_utf8_is_named_with_its_byte_offset() {
    let all = break_and_build(|site| {
        site.write_bytes(
            "content/domains/space.md",
            b"+++\ntitle = \"Space\"\nagencies = [\"nasa\"]\n+++\nThe [NASA](agency:nasa) caf\xe9.\n",
        );
    });
    let problem = only_error(&all, "E0002", "content/domains/space.md", 5, 28);
    assert_eq!(
        problem["message"],
        "the file is not valid UTF-8: invalid byte at offset 71"
    );
    assert_eq!(problem["byte_range"][0], 71);
}

#[test]
fn empty_file_is_an_error_at_its_start() {
    let all = break_and_build(|site| site.write("content/domains/space.md", ""));
    let problem = only_error(&all, "E0204", "content/domains/space.md", 1, 1);
    assert_eq!(
        problem["message"],
        "the page is empty: it has no front matter and no text"
    );
}

/// A paragraph of annotated text, repeated to make large pages.
const PARAGRAPH: &str = "The [NASA](agency:nasa) team works on [quantum](topic:quantum) with partners. The team keeps working.\n\n";

/// A page of `size` bytes or a little less, with headings every fifty
/// paragraphs.
fn large_page(size: usize) -> String {
    let mut page = String::from("+++\ntitle = \"Large\"\nagencies = [\"nasa\"]\n+++\n");
    let mut part = 0;
    while page.len() + PARAGRAPH.len() + 20 < size {
        if part % 50 == 0 {
            page.push_str(&format!("## Part {part}\n\n"));
        }
        page.push_str(PARAGRAPH);
        part += 1;
    }
    page
}

/// At most 1 GiB of address space, for runs that must keep memory bounded.
/// The thread pool and the allocator's arenas are kept small, so that the
/// address space they reserve (not memory used) does not grow with the
/// machine's number of cores.
const BOUNDED_MEMORY: &str = "export MALLOC_ARENA_MAX=2 RAYON_NUM_THREADS=2; ulimit -v 1048576";

#[test]
fn page_of_50_mb_is_refused_quickly_with_bounded_memory() {
    let site = Site::new(GOOD);
    site.run(&["build"]).expect_code(0);
    let before = snapshot_dir(&site.path("public"));
    site.write("content/domains/large.md", &large_page(50 * 1024 * 1024));
    let run = site.run_in_shell(BOUNDED_MEMORY, &["build", "--format", "json"]);
    run.expect_code(1);
    let all = run.json();
    let problem = only_error(&all, "E0004", "content/domains/large.md", 1, 1);
    assert_eq!(
        problem["message"],
        "the file is 50.0 MiB, more than the 8.0 MiB dossier reads"
    );
    assert_eq!(snapshot_dir(&site.path("public")), before);
}

#[test]
fn page_just_under_the_size_limit_builds_with_bounded_memory() {
    let site = Site::new(GOOD);
    site.write("content/domains/large.md", &large_page(8 * 1024 * 1024));
    let run = site.run_in_shell(BOUNDED_MEMORY, &["build"]);
    run.expect_code(0);
    let html = site.public("domains/large/index.html");
    assert_contains!(html, "id=\"part-8000-p50\"", "the last part is missing");
}

#[test]
fn deeply_nested_lists_do_not_overflow_the_stack() {
    let site = Site::new(GOOD);
    let depth = 50_000;
    site.write(
        "content/domains/nested.md",
        &format!(
            "+++\ntitle = \"Nested\"\nagencies = [\"nasa\"]\n+++\n{}[NASA](agency:nasa) at the bottom\n",
            "- ".repeat(depth)
        ),
    );
    site.run(&["build"]).expect_code(0);
    let html = site.public("domains/nested/index.html");
    assert!(html.matches("<ul>").count() >= depth);
    assert_contains!(html, "at the bottom");
    let agency = site.public("agencies/nasa/index.html");
    assert_contains!(agency, "at the bottom", "the mention is not indexed");
}

#[test]
fn deeply_nested_quotes_do_not_overflow_the_stack() {
    let site = Site::new(GOOD);
    let depth = 100_000;
    site.write(
        "content/domains/nested.md",
        &format!(
            "+++\ntitle = \"Nested\"\nagencies = [\"nasa\"]\n+++\n{} [NASA](agency:nasa) at the bottom\n\n{}\n",
            ">".repeat(depth),
            "> - ".repeat(depth / 4)
        ),
    );
    site.run(&["build"]).expect_code(0);
    let html = site.public("domains/nested/index.html");
    assert!(html.matches("<blockquote>").count() >= depth);
    assert_contains!(html, "at the bottom");
}

#[test]
fn symlink_out_of_the_project_is_refused() {
    let outside = tempfile::tempdir().expect("temporary folder");
    let target = outside.path().join("secret.md");
    std::fs::write(&target, "+++\ntitle = \"Secret\"\n+++\nSecret.\n").expect("write");
    let all = break_and_build(|site| {
        std::os::unix::fs::symlink(&target, site.path("content/domains/secret.md"))
            .expect("symlink");
    });
    let problem = find_unplaced(&all, "E0003", "content/domains/secret.md");
    assert_eq!(
        problem["message"],
        "this symbolic link leads outside the project"
    );
    assert_eq!(all.len(), 1, "{all:#?}");
}

#[test]
fn inputs_named_by_path_that_lead_outside_the_project_are_refused() {
    for input in ["site.toml", "content/topics.toml", "themes/default"] {
        let outside = tempfile::tempdir().expect("temporary folder");
        let all = break_and_build(|site| {
            site.copy_theme();
            let target = outside.path().join("copy");
            std::fs::rename(site.path(input), &target).expect("move out");
            std::os::unix::fs::symlink(&target, site.path(input)).expect("symlink");
        });
        let problem = find_unplaced(&all, "E0003", input);
        assert_eq!(
            problem["message"], "this symbolic link leads outside the project",
            "{input}"
        );
    }
}

#[test]
fn a_theme_named_by_a_path_is_refused() {
    for theme in ["../elsewhere", "/usr/share/theme", "..", "a/b"] {
        let all = break_and_build(|site| {
            site.write(
                "site.toml",
                &format!("title = \"Errors site\"\ntheme = \"{theme}\"\nbase_url = \"https://example.org/errors/\"\n"),
            );
        });
        let problem = only_error(&all, "E0206", "site.toml", 2, 9);
        assert_eq!(
            problem["label"], "expected the name of a folder of `themes/`, not a path",
            "{theme}"
        );
    }
}

#[test]
fn theme_files_linked_inside_the_project_are_copied() {
    let site = Site::new(GOOD);
    site.write("shared/extra.css", "body { margin: 0 }\n");
    std::fs::create_dir_all(site.path("themes/default/static")).expect("folder");
    std::os::unix::fs::symlink(
        "../../../shared/extra.css",
        site.path("themes/default/static/extra.css"),
    )
    .expect("symlink");
    site.run(&["build"]).expect_code(0);
    assert_eq!(site.public("static/extra.css"), "body { margin: 0 }\n");
}

#[test]
fn control_characters_in_values_and_names_are_refused_and_never_printed() {
    let all = break_and_build(|site| {
        site.write(
            "content/domains/space.md",
            "+++\ntitle = \"Space\\u0000 \\u001b[2J\"\nweight = 1\n+++\nText.\n",
        );
        site.write(
            "content/domains/\u{1b}[31mred.md",
            "+++\ntitle = \"Red\"\n+++\nRed.\n",
        );
    });
    let value = find(&all, "E0206", "content/domains/space.md", 2, 9);
    assert_eq!(
        value["message"],
        "`title` holds the control character U+0000"
    );
    let name = find_unplaced(&all, "E0001", "content/domains/\u{1b}[31mred.md");
    assert_eq!(
        name["message"],
        "the name holds the control character U+001B"
    );

    let site = Site::new(GOOD);
    site.write("content/\u{1b}]0;x\u{7}.md", "+++\ntitle = \"x\"\n+++\nx\n");
    let run = site.run(&["build"]);
    run.expect_code(1);
    assert!(
        !run.stderr.chars().any(|c| c.is_control() && c != '\n'),
        "{:?}",
        run.stderr
    );
}

#[test]
fn a_pipe_among_the_content_is_refused_instead_of_read() {
    let all = break_and_build(|site| {
        let status = std::process::Command::new("mkfifo")
            .arg(site.path("content/domains/pipe.md"))
            .status()
            .expect("mkfifo");
        assert!(status.success());
    });
    let problem = find_unplaced(&all, "E0001", "content/domains/pipe.md");
    assert_eq!(problem["message"], "this is not a regular file");
}

#[test]
fn an_unreadable_seeds_folder_is_one_error_not_one_per_citation() {
    use std::os::unix::fs::PermissionsExt;
    let mut archive = GOOD.to_string();
    archive.push_str("-- seeds/fact-sheet.md --\nThe agencies agree.\n\nA second paragraph.\n");
    archive.push_str(
        "-- content/cited.md --\n+++\ntitle = \"Cited\"\n+++\n[ISRO](agency:isro) agreed. ([source](source:fact-sheet#p1))\n\nAgain. ([source](source:fact-sheet#p2))\n",
    );
    let site = Site::new(&archive);
    site.run(&["check"]).expect_code(0);
    let mode = |path: &Path, mode: u32| {
        std::fs::set_permissions(path, std::fs::Permissions::from_mode(mode)).expect("chmod");
    };
    mode(site.root(), 0o755);
    mode(&site.path("seeds"), 0o000);
    // Root reads any folder: run as nobody to be refused.
    let as_root = std::fs::metadata("/proc/self").is_ok_and(|m| {
        use std::os::unix::fs::MetadataExt;
        m.uid() == 0
    });
    let mut command = if as_root {
        let mut command = std::process::Command::new("setpriv");
        command.args(["--reuid=65534", "--regid=65534", "--clear-groups"]);
        command.arg(env!("CARGO_BIN_EXE_dossier"));
        command
    } else {
        dossier()
    };
    let run = site.run_command(command.args(["check", "--format", "json"]));
    mode(&site.path("seeds"), 0o755);
    run.expect_code(1);
    let all = run.json();
    let problem = find_unplaced(&all, "E0001", "seeds");
    assert!(
        problem["message"]
            .as_str()
            .is_some_and(|m| m.contains("ermission denied")),
        "{problem:#}"
    );
    assert_eq!(all.len(), 1, "{all:#?}");
}

#[test]
fn a_heading_anchor_that_is_taken_is_an_error_naming_both_places() {
    let all = break_and_build(|site| {
        site.write(
            "content/domains/space.md",
            "+++\ntitle = \"Space\"\nagencies = [\"nasa\"]\n+++\nThe [NASA](agency:nasa) team.\n\n## Launch {#plan}\n\nText.\n\n## Landing {#plan}\n\nMore.\n\n## Main text {#main}\n",
        );
    });
    let taken = find(&all, "E0108", "content/domains/space.md", 11, 1);
    assert_eq!(taken["message"], "the anchor `plan` is taken");
    assert_eq!(taken["label"], "line 7 has this anchor already");
    let theme = find(&all, "E0108", "content/domains/space.md", 15, 1);
    assert_eq!(theme["message"], "the anchor `main` is the theme's");
    assert!(
        theme["label"]
            .as_str()
            .is_some_and(|l| l.starts_with("<built-in>/default/templates/base.html:")),
        "{theme:#}"
    );
    assert_eq!(all.len(), 2, "{all:#?}");
}

#[test]
fn symlink_loops_are_reported_without_hanging() {
    let all = break_and_build(|site| {
        let link = |target: &str, link: &str| {
            std::os::unix::fs::symlink(target, site.path(link)).expect("symlink");
        };
        // A folder that contains itself, and two links that lead to each other.
        link("..", "content/domains/loop");
        link("second.md", "content/first.md");
        link("first.md", "content/second.md");
    });
    let folder = find_unplaced(&all, "E0003", "content/domains/loop");
    assert_eq!(
        folder["message"],
        "this symbolic link leads back into a folder that contains it"
    );
    for link in ["content/first.md", "content/second.md"] {
        let problem = find_unplaced(&all, "E0003", link);
        assert!(
            problem["message"]
                .as_str()
                .is_some_and(|m| m.starts_with("this symbolic link cannot be followed")),
            "{problem:#}"
        );
    }
    assert_eq!(all.len(), 3, "{all:#?}");
}

// --- Themes -----------------------------------------------------------------

/// A `page.html` with `line` as its third line.
fn page_template(line: &str) -> String {
    format!(
        "{{% extends \"base.html\" %}}\n{{% block content %}}\n{line}\n{{% endblock content %}}\n"
    )
}

#[test]
fn template_syntax_error_names_the_template_line_and_what_was_expected() {
    let all = break_and_build(|site| {
        site.write(
            "themes/default/templates/page.html",
            &page_template("<h1>{{ page.title </h1>"),
        );
    });
    let problem = only_error(&all, "E0501", "themes/default/templates/page.html", 3, 19);
    assert_eq!(problem["message"], "Found `</` but expected }}.");
}

#[test]
fn template_render_error_names_the_unknown_variable_and_its_place() {
    let all = break_and_build(|site| {
        site.write(
            "themes/default/templates/page.html",
            &page_template("<h1>{{ headline }}</h1>"),
        );
    });
    let problem = only_error(&all, "E0501", "themes/default/templates/page.html", 3, 8);
    assert!(
        problem["message"]
            .as_str()
            .is_some_and(|m| m.starts_with("Variable `headline` is not defined.")),
        "{problem:#}"
    );
    assert_eq!(
        problem["notes"][0],
        "while rendering `domains/space/index.html` with `page.html`"
    );
}

#[test]
fn template_render_error_in_a_file_written_straight_to_disk_is_reported_once() {
    // Agency pages are written into the staging folder as they render:
    // a failure midway is still a template error at its place, reported
    // once for every agency, and nothing is published.
    let all = break_and_build(|site| {
        site.write(
            "themes/default/templates/agency.html",
            "{% extends \"base.html\" %}\n{% block content %}\n<h1>{{ term.name }}</h1>\n{{ term.nickname.first }}\n{% endblock content %}\n",
        );
    });
    let problem = only_error(&all, "E0501", "themes/default/templates/agency.html", 4, 9);
    assert!(
        problem["notes"][0]
            .as_str()
            .is_some_and(|note| note.starts_with("while rendering `agencies/")),
        "{problem:#}"
    );
}

#[test]
fn template_that_extends_a_missing_template_names_it() {
    let all = break_and_build(|site| {
        site.write(
            "themes/default/templates/page.html",
            "{% extends \"bsae.html\" %}\n{% block content %}{% endblock content %}\n",
        );
    });
    let problem = only_error(&all, "E0501", "themes/default/templates/page.html", 1, 13);
    assert_eq!(
        problem["message"],
        "`page.html` extends `bsae.html`, which does not exist"
    );
}

#[test]
fn unknown_component_points_at_where_it_is_used() {
    let all = break_and_build(|site| {
        site.write(
            "themes/default/templates/page.html",
            &page_template("{{ <crums items={page.breadcrumbs} root={root} here={page.title}/> }}"),
        );
    });
    let problem = only_error(&all, "E0501", "themes/default/templates/page.html", 3, 4);
    assert_eq!(problem["message"], "Unknown component `crums`");
}

#[test]
fn syntax_error_in_the_base_template_is_reported_once() {
    let all = break_and_build(|site| {
        // Every page template extends base.html: none of them is reported.
        site.write(
            "themes/default/templates/base.html",
            "<!DOCTYPE html>\n<title>{{ title }}</title>\n<main>{% block content %}{% endblock content }</main>\n",
        );
    });
    let problem = only_error(&all, "E0501", "themes/default/templates/base.html", 3, 46);
    assert_eq!(problem["message"], "Found `}` but expected %}.");
}

#[test]
fn a_component_that_calls_itself_is_reported_at_the_call() {
    let all = break_and_build(|site| {
        site.write(
            "themes/default/templates/nest.html",
            "{% component nest(n) %}\n<i>{{ n }}</i>{{ <nest n={n}/> }}\n{% endcomponent nest %}\n",
        );
        site.write(
            "themes/default/templates/page.html",
            &page_template("{{ <nest n={1}/> }}"),
        );
    });
    let problem = only_error(&all, "E0501", "themes/default/templates/nest.html", 2, 19);
    assert_eq!(
        problem["message"],
        "the component `nest` called itself more than Tera allows (20 levels)"
    );
    assert_eq!(
        problem["label"],
        "this call leads back to the component it is in"
    );
}

#[test]
fn templates_that_include_each_other_are_reported_at_the_include() {
    let all = break_and_build(|site| {
        site.write(
            "themes/default/templates/part.html",
            "<p>part</p>\n{% include \"other.html\" %}\n",
        );
        site.write(
            "themes/default/templates/other.html",
            "<p>other</p>\n{% include \"part.html\" %}\n",
        );
    });
    let errors: Vec<&Value> = all.iter().filter(|d| d["severity"] == "error").collect();
    assert_eq!(errors.len(), 1, "expected one error: {all:#?}");
    let problem = errors[0];
    assert!(
        [
            "themes/default/templates/part.html",
            "themes/default/templates/other.html"
        ]
        .contains(&problem["file"].as_str().unwrap_or_default()),
        "{problem:#}"
    );
    assert_eq!(
        (problem["line"].clone(), problem["column"].clone()),
        (2.into(), 13.into())
    );
    assert_eq!(problem["code"], "E0501");
    assert!(
        problem["message"]
            .as_str()
            .is_some_and(|m| m.contains("includes itself")),
        "{problem:#}"
    );
}

// --- Runaway templates ------------------------------------------------------

/// A loop of 1,000,000,000 turns that writes on every one and calls `range` every
/// 10,000 (so that the place where it is stopped is known soon, however
/// loaded the machine).
const RUNAWAY: &str = "{% for i in range(end=100000) %}{% for j in range(end=10000) %}{{ i }}{% endfor %}{% endfor %}";

/// A loop of 10,000,000,000 turns that neither writes nor calls `range`.
const SILENT_RUNAWAY: &str =
    "{% set xs = range(end=100000) %}{% for i in xs %}{% for j in xs %}{% endfor %}{% endfor %}";

/// Builds the clean site, then breaks its page template with `line` (on its
/// third line) under `limits` in site.toml: the build must fail within
/// `seconds`, leave `public/` as it was and no staging folder behind.
/// Returns its only error.
fn runaway_build(line: &str, limits: &str, seconds: u64) -> Value {
    let started = std::time::Instant::now();
    let all = break_and_build(|site| {
        site.write(
            "site.toml",
            &format!("title = \"Errors site\"\ntheme = \"default\"\n{limits}\nbase_url = \"https://example.org/errors/\"\n"),
        );
        site.write("themes/default/templates/page.html", &page_template(line));
    });
    let took = started.elapsed();
    assert!(
        took < std::time::Duration::from_secs(seconds),
        "the runaway build took {took:?}"
    );
    let errors: Vec<&Value> = all.iter().filter(|d| d["severity"] == "error").collect();
    assert_eq!(errors.len(), 1, "expected one error: {all:#?}");
    let problem = errors[0].clone();
    assert_eq!(problem["code"], "E0503", "{problem:#}");
    assert_eq!(problem["name"], "template-limit", "{problem:#}");
    assert_eq!(problem["file"], "themes/default/templates/page.html");
    assert_eq!(
        problem["notes"][0],
        "while rendering `domains/space/index.html` with `page.html`"
    );
    problem
}

/// Fails unless the project holds nothing a build left behind but its
/// lock and `public/`.
fn assert_no_staging_left(site: &Site) {
    let left: Vec<String> = std::fs::read_dir(site.root())
        .expect("read the project")
        .filter_map(|entry| entry.ok()?.file_name().into_string().ok())
        .filter(|name| name.contains("dossier-staging") || name.contains("dossier-old"))
        .collect();
    assert!(left.is_empty(), "left behind: {left:?}");
}

#[test]
fn a_runaway_template_is_stopped_at_its_output_limit_at_the_loop() {
    let problem = runaway_build(RUNAWAY, "template_output_limit = 1", 30);
    assert_eq!(
        problem["message"],
        "`page.html` wrote more than 1 MiB into one file and was stopped"
    );
    // At the inner loop's `range`, where it was when it was stopped.
    assert_eq!(
        (problem["line"].clone(), problem["column"].clone()),
        (3.into(), 45.into())
    );
    assert_eq!(problem["label"], "stopped here");
    assert!(
        problem["help"].as_str().is_some_and(
            |h| h.contains("raise `template_output_limit` in site.toml (it is 1, in MiB)")
        ),
        "{problem:#}"
    );
}

#[test]
fn a_runaway_template_is_stopped_at_its_time_limit_at_the_loop() {
    let problem = runaway_build(RUNAWAY, "template_time_limit = 1", 30);
    assert_eq!(
        problem["message"],
        "`page.html` ran for more than 1 s on one file and was stopped"
    );
    assert_eq!(
        (problem["line"].clone(), problem["column"].clone()),
        (3.into(), 45.into())
    );
    assert!(
        problem["help"].as_str().is_some_and(
            |h| h.contains("raise `template_time_limit` in site.toml (it is 1, in seconds)")
        ),
        "{problem:#}"
    );
}

#[test]
fn a_runaway_template_that_cannot_be_stopped_is_given_up_on_and_nothing_is_published() {
    let site = Site::new(GOOD);
    site.run(&["build"]).expect_code(0);
    let before = snapshot_dir(&site.path("public"));
    site.write(
        "site.toml",
        "title = \"Errors site\"\ntheme = \"default\"\ntemplate_time_limit = 1\nbase_url = \"https://example.org/errors/\"\n",
    );
    site.write(
        "themes/default/templates/page.html",
        &page_template(SILENT_RUNAWAY),
    );
    // Two pages, so that two threads are stuck at once: reported once.
    site.write(
        "content/domains/ground.md",
        "+++\ntitle = \"Ground\"\nagencies = [\"nasa\"]\n+++\nThe [NASA](agency:nasa) on the ground.\n",
    );
    let started = std::time::Instant::now();
    let run = site.run(&["build", "--format", "json"]);
    let took = started.elapsed();
    run.expect_code(1);
    assert!(took < std::time::Duration::from_secs(20), "took {took:?}");
    assert_eq!(snapshot_dir(&site.path("public")), before);
    assert_no_staging_left(&site);
    let all = run.json();
    let errors: Vec<&Value> = all.iter().filter(|d| d["severity"] == "error").collect();
    assert_eq!(errors.len(), 1, "expected one error: {all:#?}");
    let problem = find_unplaced(&all, "E0503", "themes/default/templates/page.html");
    assert_eq!(
        problem["message"],
        "`page.html` ran for more than 1 s on one file and could not be stopped"
    );
    assert!(
        problem["notes"][0]
            .as_str()
            .is_some_and(|note| note.starts_with("while rendering `domains/")),
        "{problem:#}"
    );

    // The same, checked without publishing.
    let run = site.run(&["check", "--format", "json"]);
    run.expect_code(1);
    find_unplaced(&run.json(), "E0503", "themes/default/templates/page.html");
}

#[test]
fn runaway_builds_leave_no_staging_folder_behind() {
    let site = Site::new(GOOD);
    site.run(&["build"]).expect_code(0);
    site.write(
        "site.toml",
        "title = \"Errors site\"\ntheme = \"default\"\ntemplate_output_limit = 1\nbase_url = \"https://example.org/errors/\"\n",
    );
    site.write(
        "themes/default/templates/page.html",
        &page_template(RUNAWAY),
    );
    site.run(&["build"]).expect_code(1);
    assert_no_staging_left(&site);
}

#[test]
fn template_limits_must_be_whole_numbers_of_at_least_one() {
    let all = break_and_build(|site| {
        site.write(
            "site.toml",
            "title = \"Errors site\"\ntemplate_time_limit = 0\ntemplate_output_limit = \"lots\"\nbase_url = \"https://example.org/errors/\"\n",
        );
    });
    let problem = find(&all, "E0206", "site.toml", 2, 23);
    assert_eq!(
        problem["message"],
        "`template_time_limit` must be at least 1"
    );
    find(&all, "E0203", "site.toml", 3, 25);
}

#[test]
fn missing_theme_points_at_the_theme_line_of_site_toml() {
    let all = break_and_build(|site| {
        site.write("site.toml", "title = \"A theme park\"\ntheme = \"fancy\"\n");
    });
    let problem = only_error(&all, "E0502", "site.toml", 2, 9);
    assert_eq!(problem["message"], "the theme `fancy` does not exist");
    assert_eq!(problem["help"], "the themes here are: default");
}

#[test]
fn misspelt_theme_suggests_the_nearest_theme() {
    let all = break_and_build(|site| {
        site.write(
            "site.toml",
            "title = \"Errors site\"\ntheme = \"defualt\"\nbase_url = \"https://example.org/errors/\"\n",
        );
    });
    let problem = only_error(&all, "E0502", "site.toml", 2, 9);
    assert_eq!(problem["help"], "did you mean `default`?");
}

// --- The output folder ------------------------------------------------------

/// Builds the clean site, then asks to publish into `output`: refused, with
/// one diagnostic naming `output`, and nothing in the project touched.
fn assert_output_refused(output: &str, why: &str) {
    let site = Site::new(GOOD);
    for folder in ["seeds", "src"] {
        site.write(&format!("{folder}/keep.txt"), "not to be touched");
    }
    site.run(&["build"]).expect_code(0);
    let before = snapshot_dir(site.root());
    let run = site.run(&["build", "--output", output, "--force", "--format", "json"]);
    run.expect_code(1);
    let all = run.json();
    assert_eq!(all.len(), 1, "{all:#?}");
    let problem = find_unplaced(&all, "E0601", output);
    assert_eq!(
        problem["message"],
        format!("refusing to publish into `{output}`: {why}")
    );
    assert_eq!(snapshot_dir(site.root()), before, "the project changed");
}

#[test]
fn output_equal_to_the_project_root_is_refused() {
    assert_output_refused(".", "it is the project itself");
}

#[test]
fn output_equal_to_content_is_refused() {
    assert_output_refused("content", "it is the project's `content/` folder");
}

#[test]
fn output_equal_to_seeds_is_refused() {
    assert_output_refused("seeds", "it is the project's `seeds/` folder");
}

#[test]
fn output_equal_to_themes_is_refused() {
    assert_output_refused("themes", "it is the project's `themes/` folder");
}

#[test]
fn output_equal_to_src_is_refused() {
    assert_output_refused("src", "it is the project's `src/` folder");
}

#[test]
fn output_inside_an_input_folder_is_refused() {
    assert_output_refused(
        "content/site",
        "it is inside the project's `content/` folder",
    );
}

#[test]
fn output_equal_to_the_file_system_root_is_refused() {
    assert_output_refused("/", "it is the root of the file system");
}

#[test]
fn output_equal_to_the_parent_of_the_project_is_refused() {
    assert_output_refused("..", "it contains the project");
}

#[test]
fn output_equal_to_a_farther_ancestor_of_the_project_is_refused() {
    let outer = tempfile::tempdir().expect("temporary folder");
    let deep = outer.path().join("a/b");
    std::fs::create_dir_all(&deep).expect("create folder");
    std::fs::write(outer.path().join("a/notes.txt"), "mine").expect("write");
    let site = Site::new_in(&deep, GOOD);
    let run = site.run(&["build", "--output", "../..", "--format", "json"]);
    run.expect_code(1);
    let all = run.json();
    let problem = find_unplaced(&all, "E0601", "../..");
    assert_eq!(
        problem["message"],
        "refusing to publish into `../..`: it contains the project"
    );
    assert_eq!(
        std::fs::read_to_string(outer.path().join("a/notes.txt")).expect("kept"),
        "mine"
    );
    assert!(!site.path("public").exists());
}

#[test]
fn output_equal_to_the_home_folder_is_refused() {
    let home = tempfile::tempdir().expect("temporary folder");
    std::fs::write(home.path().join("notes.txt"), "mine").expect("write");
    let site = Site::new(GOOD);
    let output = home.path().to_str().expect("UTF-8 path");
    let run = site.run_command(
        dossier()
            .env("HOME", home.path())
            .args(["build", "--output", output, "--force", "--format", "json"]),
    );
    run.expect_code(1);
    let all = run.json();
    let problem = find_unplaced(&all, "E0601", output);
    assert_eq!(
        problem["message"],
        format!("refusing to publish into `{output}`: it is the home folder")
    );
    assert_eq!(
        snapshot_dir(home.path()).into_keys().collect::<Vec<_>>(),
        ["notes.txt"]
    );
    assert!(!site.path("public").exists());
}

#[test]
fn non_empty_folder_dossier_did_not_create_is_refused_unless_forced() {
    let site = Site::new(GOOD);
    site.write("elsewhere/notes.txt", "mine");
    let run = site.run(&["build", "--output", "elsewhere", "--format", "json"]);
    run.expect_code(1);
    let all = run.json();
    let problem = find_unplaced(&all, "E0601", "elsewhere");
    assert!(
        problem["message"]
            .as_str()
            .is_some_and(|m| m.ends_with("dossier did not create it: `notes.txt`")),
        "{problem:#}"
    );
    assert_eq!(
        problem["help"],
        "pass `--force` to replace it and delete everything in it, or choose another folder"
    );
    assert_eq!(
        std::fs::read_to_string(site.path("elsewhere/notes.txt")).expect("kept"),
        "mine"
    );
    site.run(&["build", "--output", "elsewhere", "--force"])
        .expect_code(0);
    assert!(site.path("elsewhere/index.html").is_file());
}

// --- Unsafe content -----------------------------------------------------------

#[test]
fn javascript_links_are_errors_in_every_form() {
    let all = break_and_build(|site| {
        site.write(
            "content/domains/space.md",
            "+++\ntitle = \"Space\"\nagencies = [\"nasa\"]\n+++\nThe [NASA](agency:nasa) team.\n\n[one](javascript:alert(1)) [two](JaVaScRiPt:alert(2)) <javascript:alert(3)>\n\n[four][r]\n\n[r]: javascript:alert(4)\n",
        );
    });
    for (line, column) in [(7, 7), (7, 34), (7, 56), (9, 1)] {
        let problem = find(&all, "E0106", "content/domains/space.md", line, column);
        assert_eq!(
            problem["message"],
            "`javascript:` links are never published"
        );
    }
    assert_eq!(all.len(), 4, "{all:#?}");
}

#[test]
fn script_in_titles_names_and_text_stays_inert_text_everywhere() {
    let script = "</script><script>alert(1)</script>";
    let site = Site::new(GOOD);
    site.write(
        "content/domains/space.md",
        &format!(
            "+++\ntitle = \"{script}\"\nsummary = \"{script}\"\nagencies = [\"nasa\"]\n+++\nThe [NASA](agency:nasa) team. {script}\n\n<script>alert(2)</script>\n\n<img src=x onerror=alert(3)>\n\n## {script}\n"
        ),
    );
    site.write(
        "content/agencies.toml",
        &AGENCIES.replace(
            "short = \"NASA\"",
            &format!("short = \"NASA\"\naliases = [\"{script}\"]"),
        ),
    );
    site.run(&["build"]).expect_code(0);
    let files = snapshot_dir(&site.path("public"));
    for (path, bytes) in &files {
        let text = String::from_utf8_lossy(bytes);
        for raw in ["<script>alert", "</script><script>", "<img src=x onerror"] {
            assert_not_contains!(text, raw, "{path} holds `{raw}` as markup");
        }
    }
    let escaped = "&lt;/script&gt;&lt;script&gt;alert(1)&lt;/script&gt;";
    for path in [
        "domains/space/index.html",
        "domains/index.html",
        "index.html",
        "agencies/nasa/index.html",
        "feed.xml",
    ] {
        assert_contains!(
            String::from_utf8_lossy(&files[path]),
            escaped,
            "{path} does not show the title as text"
        );
    }
}

#[test]
fn allowed_raw_html_is_published_without_script_and_says_what_it_lost() {
    let site = Site::new(GOOD);
    site.write(
        "site.toml",
        "title = \"Errors site\"\ntheme = \"default\"\nallow_raw_html = true\nbase_url = \"https://example.org/errors/\"\n",
    );
    site.write(
        "content/domains/space.md",
        "+++\ntitle = \"Space\"\nweight = 1\nagencies = [\"nasa\"]\ntopics = [\"quantum\"]\n+++\nThe [NASA](agency:nasa) team <a href=\"javascript:alert(1)\">launches</a> <kbd>now</kbd>.\n\n<script>alert(2)</script>\n\n<details>\n<summary>More</summary>\n\n<img src=\"map.png\" alt=\"Map\" onerror=\"alert(3)\">\n\n</details>\n\n## Launch\n\nBack to [home](../_index.md).\n",
    );
    let run = site.run(&["build", "--format", "json"]);
    run.expect_code(0);
    let all = run.json();
    assert_eq!(all.len(), 3, "{all:#?}");
    let file = "content/domains/space.md";
    let link = find(&all, "W0105", file, 7, 30);
    assert_eq!(link["severity"], "warning");
    assert_eq!(
        link["message"],
        "removed from raw HTML: the `href` of `<a>` (`javascript:` addresses are never published)"
    );
    let script = find(&all, "W0105", file, 9, 1);
    assert_eq!(
        script["message"],
        "removed from raw HTML: the `<script>` element and its content"
    );
    let image = find(&all, "W0105", file, 14, 1);
    assert_eq!(
        image["message"],
        "removed from raw HTML: the `onerror` attribute of `<img>`"
    );
    let page = site.public("domains/space/index.html");
    for hostile in ["javascript:", "onerror", "<script>", "alert("] {
        assert_not_contains!(page, hostile, "the page holds `{hostile}`");
    }
    for kept in [
        "<a>launches</a> <kbd>now</kbd>.<a class=\"permalink\"",
        "<details>\n<summary>More</summary>\n<img src=\"map.png\" alt=\"Map\">\n</details>",
    ] {
        assert_contains!(page, kept, "the page lost `{kept}`");
    }
    site.run(&["build", "--deny-warnings"]).expect_code(1);
}

// --- Warnings -----------------------------------------------------------------

/// Builds the clean site after `change`: the build succeeds with exactly the
/// warning `code` at `file`:`line`:`column`, and fails under
/// `--deny-warnings` without touching `public/`.
fn assert_warning(
    change: impl FnOnce(&Site),
    code: &str,
    file: &str,
    line: u64,
    column: u64,
) -> Value {
    let site = Site::new(GOOD);
    site.run(&["build"]).expect_code(0);
    change(&site);
    let before = snapshot_dir(&site.path("public"));
    let denied = site.run(&["build", "--deny-warnings", "--format", "json"]);
    denied.expect_code(1);
    assert_eq!(snapshot_dir(&site.path("public")), before);
    let run = site.run(&["build", "--format", "json"]);
    run.expect_code(0);
    let all = run.json();
    assert_eq!(all.len(), 1, "{all:#?}");
    let warning = find(&all, code, file, line, column);
    assert_eq!(warning["severity"], "warning");
    warning.clone()
}

#[test]
fn registry_entry_no_page_mentions_is_a_warning() {
    let warning = assert_warning(
        |site| {
            site.write(
                "content/agencies.toml",
                &format!(
                    "{AGENCIES}\n[doe]\nname = \"Department of Energy\"\nshort = \"DOE\"\ncountry = \"US\"\nkind = \"government\"\ndescription = \"Energy.\"\n"
                ),
            );
        },
        "W0101",
        "content/agencies.toml",
        15,
        2,
    );
    assert_eq!(
        warning["help"],
        "mention it in a page as [DOE](agency:doe), or remove the entry"
    );
}

#[test]
fn page_that_names_no_agency_is_a_warning() {
    assert_warning(
        |site| {
            site.write(
                "content/domains/notes.md",
                "+++\ntitle = \"Notes\"\n+++\nSome notes on [quantum](topic:quantum).\n",
            );
        },
        "W0102",
        "content/domains/notes.md",
        1,
        1,
    );
}

#[test]
fn alias_written_without_an_annotation_is_a_warning() {
    let warning = assert_warning(
        |site| {
            site.write(
                "content/agencies.toml",
                &AGENCIES.replace(
                    "short = \"ISRO\"\n",
                    "short = \"ISRO\"\naliases = [\"Indian Space Research Organization\"]\n",
                ),
            );
            site.write(
                "content/domains/space.md",
                "+++\ntitle = \"Space\"\nagencies = [\"nasa\"]\n+++\nThe [NASA](agency:nasa) team met the Indian Space Research Organization.\n",
            );
        },
        "W0103",
        "content/domains/space.md",
        5,
        38,
    );
    assert_eq!(
        warning["help"],
        "write [Indian Space Research Organization](agency:isro) so that the agency's page lists this passage"
    );
}

#[test]
fn page_without_text_is_a_warning() {
    assert_warning(
        |site| {
            site.write(
                "content/domains/empty.md",
                "+++\ntitle = \"Empty\"\nagencies = [\"nasa\"]\n+++\n",
            );
        },
        "W0104",
        "content/domains/empty.md",
        1,
        1,
    );
}

#[test]
fn a_file_with_an_error_gets_no_warnings_that_echo_it() {
    let all = break_and_build(|site| {
        // Unreadable front matter: the page would also "name no agency" and
        // be "without text".
        site.write(
            "content/domains/notes.md",
            "+++\ntitle = \"Notes\"\nweight = \n+++\n",
        );
        // An entry with an error in a registry: the unused entry beside it
        // is not reported either.
        site.write(
            "content/topics.toml",
            "[quantum]\nname = \"Quantum\"\ndescription = \"Quantum technologies.\"\n\n[ai]\nname = \"AI\"\ncolour = \"x\"\ndescription = \"Artificial intelligence.\"\n",
        );
    });
    find(&all, "E0201", "content/domains/notes.md", 3, 10);
    find(&all, "E0202", "content/topics.toml", 7, 1);
    assert_eq!(all.len(), 2, "{all:#?}");
}

// --- Drafts, dates and the settings of writing ------------------------------

#[test]
fn a_link_to_a_draft_is_an_error_that_says_it_is_a_draft() {
    let all = break_and_build(|site| {
        site.write(
            "content/domains/plans.md",
            "+++\ntitle = \"Plans\"\ndraft = true\nagencies = [\"nasa\"]\n+++\nThe [NASA](agency:nasa) plans.\n",
        );
        site.write(
            "content/domains/space.md",
            "+++\ntitle = \"Space\"\nweight = 1\nagencies = [\"nasa\"]\ntopics = [\"quantum\"]\n+++\nThe [NASA](agency:nasa) team and its [plans](plans.md).\n",
        );
    });
    let error = only_error(&all, "E0104", "content/domains/space.md", 7, 46);
    assert_eq!(
        error["message"],
        "`content/domains/plans.md` is a draft: it is not published"
    );
    assert_eq!(
        error["help"],
        "publish the page (remove `draft = true` from `content/domains/plans.md`), or remove the link until it is"
    );
    // A preview with the drafts takes the link as it is.
    let site = Site::new(GOOD);
    site.write(
        "content/domains/plans.md",
        "+++\ntitle = \"Plans\"\ndraft = true\nagencies = [\"nasa\"]\n+++\nThe [NASA](agency:nasa) plans.\n",
    );
    site.write(
        "content/domains/space.md",
        "+++\ntitle = \"Space\"\nagencies = [\"nasa\"]\ntopics = [\"quantum\"]\n+++\nThe [NASA](agency:nasa) team and its [plans](plans.md).\n",
    );
    site.run(&["check", "--drafts"]).expect_code(0);
}

#[test]
fn draft_and_updated_must_have_their_types_and_an_update_follows_the_date() {
    let all = break_and_build(|site| {
        site.write(
            "content/domains/space.md",
            "+++\ntitle = \"Space\"\nagencies = [\"nasa\"]\ndate = 2024-06-17\nupdated = 2023-01-31\n+++\nThe [NASA](agency:nasa) team.\n",
        );
        site.write(
            "content/domains/plans.md",
            "+++\ntitle = \"Plans\"\nagencies = [\"nasa\"]\ndraft = \"yes\"\nupdated = \"soon\"\n+++\nThe [NASA](agency:nasa) plans.\n",
        );
    });
    let before = find(&all, "E0206", "content/domains/space.md", 5, 11);
    assert_eq!(
        before["message"],
        "the page is updated on 2023-01-31, before its date, 2024-06-17"
    );
    find(&all, "E0203", "content/domains/plans.md", 4, 9);
    find(&all, "E0206", "content/domains/plans.md", 5, 11);
    assert_eq!(all.len(), 3, "{all:#?}");
}

#[test]
fn edit_url_must_be_a_web_address_with_a_place_for_the_path() {
    for (edit_url, code, label) in [
        (
            "github.com/org/repo/edit/main/{path}",
            "E0206",
            "expected an address starting with https:// or http://",
        ),
        (
            "javascript:alert('{path}')",
            "E0106",
            "this could run code in the reader's browser",
        ),
        (
            "https://github.com/org/repo/edit/main/",
            "E0206",
            "no `{path}` in this address",
        ),
        (
            "https://{path}.example.org/",
            "E0206",
            "`{path}` is in the host name, not the path",
        ),
    ] {
        let all = break_and_build(|site| {
            site.write(
                "site.toml",
                &format!(
                    "title = \"Errors site\"\ntheme = \"default\"\nedit_url = \"{edit_url}\"\nbase_url = \"https://example.org/errors/\"\n"
                ),
            );
        });
        let error = only_error(&all, code, "site.toml", 3, 12);
        assert_eq!(error["label"], label, "{edit_url}");
    }
}

#[test]
fn unknown_lints_and_levels_are_errors_that_name_the_valid_ones() {
    let all = break_and_build(|site| {
        site.write(
            "site.toml",
            "title = \"Errors site\"\ntheme = \"default\"\nbase_url = \"https://example.org/errors/\"\n[lints]\nunannotated-mentions = \"allow\"\nempty-page = \"error\"\nbroken-link = \"allow\"\n",
        );
    });
    let name = find(&all, "E0202", "site.toml", 5, 1);
    assert_eq!(
        name["message"],
        "unknown lint `unannotated-mentions` in `[lints]`"
    );
    assert_eq!(name["help"], "did you mean `unannotated-mention`?");
    let level = find(&all, "E0206", "site.toml", 6, 14);
    assert_eq!(level["label"], "expected `allow`, `warn` or `deny`");
    let error = find(&all, "E0202", "site.toml", 7, 1);
    assert_eq!(
        error["label"],
        "an error, not a lint: errors are always errors"
    );
    assert_eq!(all.len(), 3, "{all:#?}");
}

#[test]
fn lints_can_be_allowed_or_denied_alike_in_check_build_and_json() {
    let site = Site::new(GOOD);
    // A page that names no agency (W0102) and has no text (W0104).
    site.write("content/domains/empty.md", "+++\ntitle = \"Empty\"\n+++\n");
    let codes = |run: &crate::common::Run| -> Vec<(String, String)> {
        run.json()
            .iter()
            .map(|d| {
                (
                    d["code"].as_str().unwrap_or_default().to_string(),
                    d["severity"].as_str().unwrap_or_default().to_string(),
                )
            })
            .collect()
    };
    let warned = site.run(&["check", "--format", "json"]);
    warned.expect_code(0);
    assert_eq!(
        codes(&warned),
        [
            ("W0102".into(), "warning".into()),
            ("W0104".into(), "warning".into())
        ]
    );

    site.write(
        "site.toml",
        "title = \"Errors site\"\ntheme = \"default\"\nbase_url = \"https://example.org/errors/\"\n[lints]\nno-agencies = \"allow\"\nempty-page = \"deny\"\n",
    );
    for command in ["check", "build"] {
        let denied = site.run(&[command, "--format", "json"]);
        denied.expect_code(1);
        assert_eq!(
            codes(&denied),
            [("W0104".into(), "error".into())],
            "{command}"
        );
        assert_eq!(
            denied.json()[0]["notes"][0],
            "`empty-page = \"deny\"` in `[lints]` of site.toml makes this an error"
        );
    }
    assert!(
        !site.path("public").exists(),
        "a denied lint published the site"
    );
    let human = site.run(&["check"]);
    assert!(
        human
            .stderr
            .contains("error[W0104 empty-page]: `Empty` has no text"),
        "{}",
        human.stderr
    );
    assert!(
        human.stderr.contains("1 error, 0 warnings"),
        "{}",
        human.stderr
    );

    site.write(
        "site.toml",
        "title = \"Errors site\"\ntheme = \"default\"\nbase_url = \"https://example.org/errors/\"\n[lints]\nno-agencies = \"allow\"\nempty-page = \"allow\"\n",
    );
    let allowed = site.run(&["build", "--deny-warnings", "--format", "json"]);
    allowed.expect_code(0);
    assert_eq!(allowed.json(), Vec::<Value>::new());
}

// --- The report as a person reads it ----------------------------------------

#[test]
fn every_problem_is_reported_grouped_by_file_then_a_summary() {
    let site = Site::new(GOOD);
    site.write(
        "content/_index.md",
        "+++\ntitle = \"Home\"\nagencies = [\"isro\"]\n+++\nWork by the [ISRO](agency:isor) on [quantum](topic:quantun).\n",
    );
    site.write(
        "content/domains/space.md",
        "+++\ntitle = \"Space\"\nwieght = 1\n+++\nThe [NASA](agency:nasa) team.\n",
    );
    site.write(
        "content/domains/notes.md",
        "+++\ntitle = \"Notes\"\n+++\nNotes on [quantum](topic:quantum).\n",
    );
    let run = site.run(&["check"]);
    run.expect_code(1);
    let report = &run.stderr;
    let expected_order = [
        "--- content/_index.md",
        "error[E0101 unknown-agency]: unknown agency `isor`",
        "--> content/_index.md:5:20",
        "help: did you mean `isro`?",
        "error[E0102 unknown-topic]: unknown topic `quantun`",
        "--> content/_index.md:5:46",
        "--- content/domains/notes.md",
        "warning[W0102 no-agencies]: `Notes` names no agency",
        "--- content/domains/space.md",
        "error[E0202 unknown-key]: unknown key `wieght` in the front matter",
        "--> content/domains/space.md:3:1",
        "3 errors, 1 warning",
    ];
    let mut from = 0;
    for expected in expected_order {
        let at = report[from..]
            .find(expected)
            .unwrap_or_else(|| panic!("`{expected}` missing or out of order in:\n{report}"));
        from += at + expected.len();
    }
    for file in ["content/_index.md", "content/domains/space.md"] {
        assert_eq!(
            report.matches(&format!("--- {file}\n")).count(),
            1,
            "{file} is not one group:\n{report}"
        );
    }
    assert!(!Path::new(&site.path("public")).exists());
}

#[test]
fn an_agency_of_a_country_site_toml_does_not_declare_is_an_error() {
    let all = break_and_build(|site| {
        site.write(
            "site.toml",
            "title = \"Errors site\"\nbase_url = \"https://example.org/errors/\"\n[countries]\nUS = \"United States\"\nIN = \"India\"\n",
        );
        site.write(
            "content/agencies.toml",
            &AGENCIES.replace("country = \"IN\"", "country = \"INN\""),
        );
    });
    let problem = only_error(&all, "E0206", "content/agencies.toml", 4, 11);
    assert_eq!(problem["message"], "`INN` is not a country of site.toml");
    assert_eq!(problem["help"], "did you mean `IN`?");
}

#[test]
fn countries_are_named_and_ordered_as_site_toml_declares_them() {
    let site = Site::new(GOOD);
    site.write(
        "site.toml",
        "title = \"Errors site\"\nbase_url = \"https://example.org/errors/\"\n[countries]\nIN = \"Bharat\"\nUS = \"United States of America\"\n",
    );
    site.run(&["build"]).expect_code(0);
    let index = site.public("agencies/index.html");
    let india = index
        .find(">Bharat</h2>")
        .expect("India's group, by its declared name");
    let us = index
        .find(">United States of America</h2>")
        .expect("the U.S. group");
    assert!(india < us, "declared order: India first");
}

#[test]
fn what_a_project_theme_lacks_comes_from_the_built_in_theme() {
    let site = Site::new(GOOD);
    site.write(
        "site.toml",
        "title = \"Errors site\"\ntheme = \"mine\"\nbase_url = \"https://example.org/errors/\"\n",
    );
    site.write("themes/mine/static/style.css", "/* mine */\n");
    site.run(&["build", "--deny-warnings"]).expect_code(0);
    assert_eq!(site.public("static/style.css"), "/* mine */\n");
    assert!(
        site.public("static/search.js")
            .contains("window.dossierSearch = {")
    );
    assert!(
        site.public("coverage/index.html")
            .contains("class=\"site-header\"")
    );
}

#[test]
fn a_site_without_a_print_page_has_none() {
    let site = Site::new(GOOD);
    site.write(
        "site.toml",
        "title = \"Errors site\"\nprint_page = false\nbase_url = \"https://example.org/errors/\"\n",
    );
    site.run(&["build"]).expect_code(0);
    assert!(!site.path("public/print").exists());
}

// --- The settings of the theme, and the files of `static/` -------------------

#[test]
fn a_bad_accent_colour_is_an_error_at_its_line() {
    for bad in ["orange", "#ff88", "8a4b00", "#8a4b00aa"] {
        let all = break_and_build(|site| {
            site.write(
                "site.toml",
                &format!("title = \"Errors site\"\naccent = \"{bad}\"\nbase_url = \"https://example.org/errors/\"\n"),
            );
        });
        let problem = only_error(&all, "E0206", "site.toml", 2, 10);
        assert_eq!(problem["message"], format!("`{bad}` is not a hex colour"));
        assert_eq!(
            problem["label"],
            "expected `#rgb` or `#rrggbb`, such as `#8a4b00`"
        );
    }
}

#[test]
fn a_faint_accent_is_a_warning_that_suggests_a_colour_that_keeps_the_contrast() {
    let site = Site::new(GOOD);
    site.write(
        "site.toml",
        "title = \"Errors site\"\naccent = \"#fc0\"\naccent_dark = \"#123\"\nbase_url = \"https://example.org/errors/\"\n",
    );
    let run = site.run(&["build", "--format", "json"]);
    run.expect_code(0);
    let all = run.json();
    let light = find(&all, "W0107", "site.toml", 2, 10);
    assert_eq!(
        light["message"],
        "`accent` #ffcc00 has a contrast of 1.5:1 with the light background #ffffff"
    );
    let suggested = light["help"].as_str().expect("help");
    assert!(
        suggested.starts_with("the nearest colour that keeps it is `#"),
        "{suggested}"
    );
    find(&all, "W0107", "site.toml", 3, 15);
    assert_eq!(all.len(), 2, "{all:#?}");
    // Kept, as the page's own style.
    let home = site.public("index.html");
    assert!(
        home.contains("@media (prefers-color-scheme: light) { :root { --accent: #ffcc00; } }"),
        "{home}"
    );
    assert!(home.contains("@media (prefers-color-scheme: dark) { :root { --accent: #112233; } }"));
    site.run(&["check", "--deny-warnings"]).expect_code(1);
}

#[test]
fn a_favicon_or_logo_that_is_nowhere_is_an_error_at_its_line() {
    let all = break_and_build(|site| {
        site.write(
            "static/img/logo.svg",
            "<svg xmlns=\"http://www.w3.org/2000/svg\"/>\n",
        );
        site.write(
            "site.toml",
            "title = \"Errors site\"\nfavicon = \"favicon.png\"\nlogo = \"img/logo.sgv\"\nbase_url = \"https://example.org/errors/\"\n",
        );
    });
    let favicon = find(&all, "E0104", "site.toml", 2, 11);
    assert_eq!(
        favicon["message"],
        "`favicon` names `favicon.png`, which is not there"
    );
    assert_eq!(favicon["help"], "did you mean `favicon.svg`?");
    let logo = find(&all, "E0104", "site.toml", 3, 8);
    assert_eq!(logo["help"], "did you mean `img/logo.svg`?");
    assert_eq!(all.len(), 2, "{all:#?}");
}

#[test]
fn a_file_of_static_where_the_site_has_a_file_is_an_error_naming_both() {
    let all = break_and_build(|site| {
        site.write("static/index.html", "<!doctype html>\n");
        site.write("static/sitemap.xml", "<urlset/>\n");
        site.write("static/static/style.css", "body {}\n");
        site.write("static/domains/space/index.html", "<!doctype html>\n");
    });
    let home = find_unplaced(&all, "E0401", "static/index.html");
    assert_eq!(
        home["message"],
        "`static/index.html` and `content/_index.md` would both be written to `index.html`"
    );
    let page = find_unplaced(&all, "E0401", "static/domains/space/index.html");
    assert_eq!(
        page["message"],
        "`static/domains/space/index.html` and `content/domains/space.md` would both be written to `domains/space/index.html`"
    );
    let sitemap = find_unplaced(&all, "E0401", "static/sitemap.xml");
    assert_eq!(
        sitemap["message"],
        "`static/sitemap.xml` would be written to `sitemap.xml`, which dossier writes itself"
    );
    find_unplaced(&all, "E0401", "static/static/style.css");
    assert_eq!(all.len(), 4, "{all:#?}");
}

#[test]
fn the_home_page_written_without_an_index_page_is_claimed_too() {
    let site = Site::new(GOOD);
    std::fs::remove_file(site.path("content/_index.md")).expect("remove");
    site.write(
        "content/domains/space.md",
        "+++\ntitle = \"Space\"\nagencies = [\"nasa\", \"isro\"]\ntopics = [\"quantum\"]\n+++\nThe [NASA](agency:nasa) and [ISRO](agency:isro) on [quantum](topic:quantum).\n",
    );
    site.run(&["build"]).expect_code(0);
    site.write("static/index.html", "<!doctype html>\n");
    let run = site.run(&["build", "--format", "json"]);
    run.expect_code(1);
    let all = run.json();
    let home = find_unplaced(&all, "E0401", "static/index.html");
    assert_eq!(
        home["message"],
        "`static/index.html` and the home page would both be written to `index.html`"
    );
}

#[test]
fn an_empty_or_blank_alias_is_an_error_at_the_alias() {
    let all = break_and_build(|site| {
        site.write(
            "content/agencies.toml",
            &AGENCIES.replace(
                "short = \"NASA\"\n",
                "short = \"NASA\"\naliases = [\"\", \"  \", \"N.A.S.A.\"]\n",
            ),
        );
    });
    let empty = find(&all, "E0206", "content/agencies.toml", 11, 12);
    assert_eq!(empty["message"], "an alias cannot be empty");
    find(&all, "E0206", "content/agencies.toml", 11, 16);
    assert_eq!(
        all.iter().filter(|d| d["severity"] == "error").count(),
        2,
        "{all:#?}"
    );
}

#[test]
fn an_address_without_a_scheme_is_an_error() {
    let all = break_and_build(|site| {
        site.write(
            "content/domains/space.md",
            "+++\ntitle = \"Space\"\nagencies = [\"nasa\"]\n+++\nThe [NASA](agency:nasa) [site](//www.nasa.gov/).\n",
        );
    });
    let problem = only_error(&all, "E0104", "content/domains/space.md", 5, 32);
    assert_eq!(
        problem["message"],
        "an address that starts with `//` has no scheme"
    );
}

#[test]
fn a_link_to_dot_is_a_link_to_the_folder_as_dot_slash_is() {
    let site = Site::new(GOOD);
    site.write(
        "content/domains/space.md",
        "+++\ntitle = \"Space\"\nagencies = [\"nasa\"]\n+++\nThe [NASA](agency:nasa), [up](.) and [up again](./).\n",
    );
    site.run(&["build"]).expect_code(0);
    let page = site.public("domains/space/index.html");
    assert_contains!(page, "<a href=\"../../domains/index.html\">up</a>");
    assert_contains!(page, "<a href=\"../../domains/index.html\">up again</a>");
}
