//! The report as a person reads it, and the settings of the theme and the
//! files of `static/`.

use std::path::Path;

use super::*;
use crate::common::{Site, assert_contains};

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
        site.write("static/sitemap-2.xml", "<urlset/>\n");
        site.write("static/sitemap-notes.xml", "<urlset/>\n");
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
    // A part of a long sitemap, whether or not this site needs one; any
    // other name is the project's.
    let part = find_unplaced(&all, "E0401", "static/sitemap-2.xml");
    assert_contains!(
        part["help"].as_str().unwrap_or_default(),
        "`sitemap-<n>.xml`"
    );
    find_unplaced(&all, "E0401", "static/static/style.css");
    assert_eq!(all.len(), 5, "{all:#?}");
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
