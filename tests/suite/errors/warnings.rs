//! Warnings, drafts, dates and the settings of writing.

use serde_json::Value;

use super::*;
use crate::common::{Site, snapshot_dir};

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
