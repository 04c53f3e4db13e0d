//! Themes: template errors at their file and line, and templates that run
//! away, stopped at their budget.

use serde_json::Value;

use super::*;
use crate::common::{Site, snapshot_dir};

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
