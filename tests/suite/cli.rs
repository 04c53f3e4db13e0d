//! The command line as a user types it: exit codes, help, check, JSON.

use crate::common::{Run, Site, assert_contains, assert_not_contains, dossier};

const SITE: &str = r#"
-- site.toml --
title = "CLI site"
-- content/_index.md --
+++
title = "Home"
+++
Work by the [Agency](agency:agency).
-- content/agencies.toml --
[agency]
name = "The Agency"
short = "Agency"
country = "US"
kind = "government"
description = "An agency."
"#;

#[test]
fn help_shows_examples_and_version_prints_the_version() {
    let run = Run::of(dossier().arg("--help").output().expect("run"));
    run.expect_code(0);
    assert_contains!(run.stdout, "Examples:");
    assert_contains!(run.stdout, "dossier init briefing");
    // Each command shows its own examples, and each default once.
    let help = |command: &str| {
        let run = Run::of(dossier().args([command, "--help"]).output().expect("run"));
        run.expect_code(0);
        run.stdout
    };
    let build = help("build");
    assert_contains!(build, "--output <DIR>");
    assert_contains!(build, "dossier build --output /tmp/site");
    assert_not_contains!(build, "dossier check --coverage");
    let check = help("check");
    assert_contains!(check, "dossier check --coverage");
    assert_not_contains!(check, "dossier build --output");
    let serve = help("serve");
    assert_contains!(serve, "dossier serve --port 8000");
    assert_contains!(serve, "[default: a free one]");
    assert_not_contains!(serve, "[default: 0]");
    assert_contains!(help("fix"), "dossier fix ");
    assert_contains!(help("init"), "dossier init briefing");
    let run = Run::of(dossier().arg("--version").output().expect("run"));
    run.expect_code(0);
    assert_eq!(
        run.stdout.trim(),
        format!("dossier {}", env!("CARGO_PKG_VERSION"))
    );
}

#[test]
fn usage_errors_exit_with_two() {
    let site = Site::new(SITE);
    site.run(&["build", "--no-such-flag"]).expect_code(2);
    site.run(&["frobnicate"]).expect_code(2);
    site.run(&["check", "--format", "yaml"]).expect_code(2);
    for command in ["build", "check", "serve"] {
        let run = site.run(&[command, "--root", "/nonexistent/project"]);
        run.expect_code(2);
        assert_contains!(run.stderr, "--root /nonexistent/project: no such folder");
    }
}

#[test]
fn build_publishes_into_public_by_default_and_reports_what_it_did() {
    let site = Site::new(SITE);
    let run = site.run(&["build"]);
    run.expect_code(0);
    assert_contains!(run.stderr, "published");
    assert!(site.path("public/index.html").is_file());
    assert!(site.path("public/agencies/agency/index.html").is_file());
    let again = site.run(&["build"]);
    assert_contains!(again.stderr, "0 written");
}

#[test]
fn check_writes_nothing() {
    let site = Site::new(SITE);
    site.run(&["check"]).expect_code(0);
    assert!(!site.path("public").exists());
}

#[test]
fn content_errors_exit_with_one_and_publish_nothing() {
    let site = Site::new(SITE);
    site.write(
        "content/_index.md",
        "+++\ntitle = \"Home\"\n+++\nWork by [ISRO](agency:agnecy).\n",
    );
    let run = site.run(&["build"]);
    run.expect_code(1);
    assert_contains!(
        run.stderr,
        "error[E0101 unknown-agency]: unknown agency `agnecy`"
    );
    assert_contains!(run.stderr, "--> content/_index.md:4:16");
    assert_contains!(run.stderr, "did you mean `agency`?");
    // The entry the misspelt id leaves unmentioned is not warned about:
    // the warning would only echo the error.
    assert_contains!(run.stderr, "1 error, 0 warnings");
    assert!(!site.path("public").exists());
}

#[test]
fn json_format_prints_one_object_per_problem() {
    let site = Site::new(SITE);
    site.write(
        "content/_index.md",
        "+++\ntitle = \"Home\"\ntitel = \"x\"\n+++\nWork by [ISRO](agency:agnecy).\n",
    );
    let run = site.run(&["check", "--format", "json"]);
    run.expect_code(1);
    let problems: Vec<_> = run
        .json()
        .into_iter()
        .filter(|p| p["severity"] == "error")
        .collect();
    assert_eq!(problems.len(), 2, "{problems:#?}");
    assert_eq!(problems[0]["code"], "E0202");
    assert_eq!(problems[0]["file"], "content/_index.md");
    assert_eq!(problems[0]["line"], 3);
    assert_eq!(problems[0]["column"], 1);
    assert_eq!(problems[0]["help"], "did you mean `title`?");
    assert_eq!(problems[1]["code"], "E0101");
    assert_eq!(problems[1]["line"], 5);
}

#[test]
fn warnings_fail_only_when_denied() {
    let site = Site::new(SITE);
    site.write(
        "content/_index.md",
        "+++\ntitle = \"Home\"\n+++\nWork by The Agency, unannotated.\n",
    );
    let run = site.run(&["check"]);
    run.expect_code(0);
    assert_contains!(run.stderr, "W0103 unannotated-mention");
    site.run(&["check", "--deny-warnings"]).expect_code(1);
    site.run(&["build", "--deny-warnings"]).expect_code(1);
    assert!(!site.path("public").exists());
}

#[test]
fn a_build_shows_the_first_warnings_of_each_kind_and_counts_the_rest() {
    let mut archive = String::from(SITE);
    for i in 0..15 {
        archive.push_str(&format!(
            "-- content/many/page{i:02}.md --\n+++\ntitle = \"Page {i}\"\n+++\nNothing named here.\n"
        ));
    }
    let site = Site::new(&archive);
    let build = site.run(&["build"]);
    build.expect_code(0);
    let shown = build.stderr.matches("warning[W0102 no-agencies]").count();
    assert_eq!(shown, 10, "{}", build.stderr);
    assert!(
        build.stderr.contains("5 more warnings not shown")
            && build
                .stderr
                .contains("W0102 no-agencies: 5 in 5 files, most in content/many/page10.md (1)"),
        "{}",
        build.stderr
    );
    let check = site.run(&["check"]);
    assert_eq!(
        check.stderr.matches("warning[W0102 no-agencies]").count(),
        15,
        "{}",
        check.stderr
    );
    assert!(!check.stderr.contains("not shown"), "{}", check.stderr);
    // The build gives back the pages' Markdown before it renders, keeping
    // the lines of the warnings it shows: they are quoted as a check
    // quotes them.
    let quoted = |stderr: &str| -> Vec<String> {
        stderr
            .split("\n\n")
            .filter(|block| block.contains("W0102"))
            .take(10)
            .map(str::to_string)
            .collect()
    };
    assert_eq!(quoted(&build.stderr), quoted(&check.stderr));
    assert_contains!(build.stderr, "| +++");
}

#[test]
fn min_coverage_fails_when_a_source_is_cited_less_naming_each_such_source() {
    let site = Site::new(SITE);
    site.write(
        "seeds/sheet.md",
        "---\ntitle: Sheet\n---\nFirst point.\n\nSecond point.\n\nThird point.\n",
    );
    site.write("seeds/memo.md", "---\ntitle: Memo\n---\nThe only point.\n");
    site.write(
        "content/_index.md",
        "+++\ntitle = \"Home\"\n+++\nWork by the [Agency](agency:agency). ([source](source:sheet#p1))\n\nMore. ([source](source:memo#p1))\n",
    );
    // 1 of 3 passages of `sheet` is 33%; `memo` is cited in full.
    site.run(&["check", "--min-coverage", "33"]).expect_code(0);
    let run = site.run(&["check", "--min-coverage", "34"]);
    run.expect_code(1);
    assert!(
        run.stderr.contains(
            "error[E0109 low-coverage]: the source `sheet` is 33% cited, below the 34% of `--min-coverage`\n --> seeds/sheet.md:6:1"
        ),
        "{}",
        run.stderr
    );
    assert!(
        run.stderr
            .contains("no page cites this passage: 1 of 3 passages cited"),
        "{}",
        run.stderr
    );
    assert!(
        run.stderr.contains("= note: not cited: `p2`, `p3`"),
        "{}",
        run.stderr
    );
    assert!(!run.stderr.contains("`memo`"), "{}", run.stderr);

    // JSON: one diagnostic per source below, then the coverage asked for.
    let json = site.run(&[
        "check",
        "--min-coverage",
        "100",
        "--coverage",
        "--format",
        "json",
    ]);
    json.expect_code(1);
    let lines = json.json();
    let below: Vec<&serde_json::Value> = lines.iter().filter(|l| l["code"] == "E0109").collect();
    assert_eq!(below.len(), 1, "{lines:#?}");
    assert_eq!(below[0]["file"], "seeds/sheet.md");
    assert_eq!(below[0]["line"], 6);
    assert_eq!(
        lines.iter().filter(|l| l["coverage"].is_object()).count(),
        2
    );

    // A build held to it publishes nothing.
    site.run(&["build", "--min-coverage", "100"]).expect_code(1);
    assert!(!site.path("public").exists());
    site.run(&["build", "--min-coverage", "0"]).expect_code(0);
}

#[test]
fn min_coverage_is_a_whole_percent() {
    let site = Site::new(SITE);
    for bad in ["101", "-1", "half"] {
        let run = site.run(&["check", &format!("--min-coverage={bad}")]);
        run.expect_code(2);
        assert!(run.stderr.contains("--min-coverage"), "{}", run.stderr);
    }
}

// --- Starting a project, and owning the theme -------------------------------

/// Runs `dossier <args>` in `dir`.
fn run_in(dir: &std::path::Path, args: &[&str]) -> Run {
    run_command(dossier().args(args).current_dir(dir))
}

/// Runs `command`, a `dossier` command, and fails the test if it runs
/// longer than a minute.
fn run_command(command: &mut std::process::Command) -> Run {
    let child = command
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .expect("run dossier");
    crate::common::wait_within(child, std::time::Duration::from_secs(60))
}

#[test]
fn a_project_needs_nothing_from_this_repository_and_overrides_one_theme_file() {
    let parent = tempfile::tempdir().expect("temporary folder");
    let run = run_in(parent.path(), &["init", "briefing"]);
    run.expect_code(0);
    assert!(
        run.stdout
            .ends_with("Next:\n  cd briefing\n  dossier serve --open\n  dossier build\n"),
        "{}",
        run.stdout
    );
    let root = parent.path().join("briefing");
    assert!(!root.join("themes").exists(), "the theme is built in");
    for file in [
        ".gitignore",
        "site.toml",
        "content/_index.md",
        "content/agencies.toml",
    ] {
        assert!(root.join(file).is_file(), "{file}");
    }
    let gitignore = std::fs::read_to_string(root.join(".gitignore")).expect(".gitignore");
    assert!(gitignore.contains("/public/") && gitignore.contains("/.public.dossier-*"));

    // No error, no warning, every passage of the source cited.
    let check = run_in(&root, &["check", "--coverage", "--deny-warnings"]);
    check.expect_code(0);
    assert!(
        check.stdout.contains("passages cited: 100%"),
        "{}",
        check.stdout
    );
    // A build publishes, and asks once for the address it will be at.
    let build = run_in(&root, &["build"]);
    build.expect_code(0);
    assert_contains!(build.stderr, "warning[W0108 no-base-url]");
    assert_eq!(
        build.stderr.matches("warning[").count(),
        1,
        "{}",
        build.stderr
    );
    let public = root.join("public");
    let broken = crate::common::broken_links(&public);
    assert!(broken.is_empty(), "{broken:#?}");
    let page = std::fs::read_to_string(public.join("measures/flood-defences/index.html"))
        .expect("the page");
    for shown in [
        "agencies/norland-coast/index.html",
        "topics/early-warning/index.html",
        "class=\"citations\"",
        "footnote",
        "../../index.html#how-to-read-this-briefing",
        "<link rel=\"icon\" href=\"../../static/favicon.svg\">",
    ] {
        assert!(page.contains(shown), "{shown}");
    }

    // One template of the project's; the rest stay built in.
    let template = std::fs::read_to_string(
        crate::common::repo_root().join("themes/default/templates/page.html"),
    )
    .expect("the page template");
    let marked = template.replacen(
        "<article class=\"page",
        "<article class=\"page overridden",
        1,
    );
    assert_ne!(marked, template);
    std::fs::create_dir_all(root.join("themes/default/templates")).expect("folder");
    std::fs::write(root.join("themes/default/templates/page.html"), marked).expect("write");
    run_in(&root, &["build"]).expect_code(0);
    let page = std::fs::read_to_string(public.join("measures/flood-defences/index.html"))
        .expect("the page");
    assert!(page.contains("page overridden"), "the project's template");
    assert!(
        page.contains("class=\"site-header\""),
        "the built-in base.html"
    );
    let home = std::fs::read_to_string(public.join("index.html")).expect("home");
    assert!(!home.contains("overridden") && home.contains("class=\"site-header\""));
    assert!(public.join("static/style.css").is_file());

    let list = run_in(&root, &["theme", "list"]);
    list.expect_code(0);
    assert!(
        list.stdout
            .contains("default      built in, overridden by themes/default/ (1 file)  (site.toml)"),
        "{}",
        list.stdout
    );
}

#[test]
fn init_refuses_a_folder_that_is_not_empty_and_writes_nothing() {
    let dir = tempfile::tempdir().expect("temporary folder");
    std::fs::write(dir.path().join("notes.txt"), "mine\n").expect("write");
    let run = run_in(dir.path(), &["init"]);
    run.expect_code(1);
    assert!(
        run.stderr.starts_with(
            "error: . is not empty: it holds `notes.txt`\nhelp: start the project in a new folder"
        ),
        "{}",
        run.stderr
    );
    assert!(run.stderr.contains("nothing was written"), "{}", run.stderr);
    let left: Vec<_> = std::fs::read_dir(dir.path()).expect("list").collect();
    assert_eq!(left.len(), 1, "only notes.txt");

    // Hidden folders such as `.git` may be there; the project then starts.
    let dir = tempfile::tempdir().expect("temporary folder");
    std::fs::create_dir(dir.path().join(".git")).expect("mkdir");
    let run = run_in(dir.path(), &["init"]);
    run.expect_code(0);
    assert!(
        run.stdout
            .ends_with("Next:\n  dossier serve --open\n  dossier build\n"),
        "{}",
        run.stdout
    );
    assert!(dir.path().join("site.toml").is_file());
}

#[test]
fn theme_eject_writes_the_built_in_theme_and_refuses_to_overwrite() {
    let site = Site::new(SITE);
    let run = site.run(&["theme", "eject"]);
    run.expect_code(0);
    assert!(
        run.stdout
            .contains("wrote themes/default/templates/page.html\n"),
        "{}",
        run.stdout
    );
    let ejected = crate::common::snapshot_dir(&site.path("themes/default"));
    let repository =
        crate::common::snapshot_dir(&crate::common::repo_root().join("themes/default"));
    assert_eq!(
        ejected.keys().collect::<Vec<_>>(),
        repository.keys().collect::<Vec<_>>()
    );
    assert!(ejected == repository, "the same bytes");
    site.run(&["build"]).expect_code(0);

    site.write("themes/default/static/style.css", "/* mine */\n");
    let run = site.run(&["theme", "eject"]);
    run.expect_code(1);
    assert!(
        run.stderr.starts_with(&format!(
            "error: the project has {} files already: `themes/default/templates/404.html`, ",
            repository.len()
        )),
        "{}",
        run.stderr
    );
    assert!(
        run.stderr.contains("help: pass `--force`"),
        "{}",
        run.stderr
    );
    assert_eq!(
        std::fs::read_to_string(site.path("themes/default/static/style.css")).expect("css"),
        "/* mine */\n"
    );
    let run = site.run(&["theme", "eject", "--force"]);
    run.expect_code(0);
    assert!(run.stdout.contains("replaced (--force)"), "{}", run.stdout);
    assert_ne!(
        std::fs::read_to_string(site.path("themes/default/static/style.css")).expect("css"),
        "/* mine */\n"
    );

    let elsewhere = tempfile::tempdir().expect("temporary folder");
    let run = run_in(elsewhere.path(), &["theme", "eject"]);
    run.expect_code(1);
    assert!(run.stderr.contains("has no site.toml"), "{}", run.stderr);
}

/// The memory a build frees is kept for its next allocations, never handed
/// back to the system (see `src/main.rs`): the allocator's statistics of a
/// build of the bundled site count no purge, where its default hands back
/// tens of them.
#[test]
fn the_allocator_keeps_the_memory_a_build_frees() {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
    let output = tempfile::tempdir().expect("a temporary folder");
    let built = run_command(
        dossier()
            .env("MIMALLOC_SHOW_STATS", "1")
            .args(["build", "--root"])
            .arg(root)
            .arg("--output")
            .arg(output.path().join("site")),
    );
    built.expect_code(0);
    let purges = built
        .stderr
        .lines()
        .find_map(|line| line.trim().strip_prefix("purges"))
        .and_then(|rest| {
            rest.trim_start_matches([' ', ':'])
                .split_whitespace()
                .next()
        })
        .unwrap_or_else(|| panic!("no count of purges in:\n{}", built.stderr));
    assert_eq!(purges, "0", "{}", built.stderr);
}
