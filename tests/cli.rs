//! The command line as a user types it: exit codes, help, check, JSON.

mod common;

use common::{Site, dossier};

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
    let run = common::Run::of(dossier().arg("--help").output().expect("run"));
    run.expect_code(0);
    assert!(run.stdout.contains("Examples:"), "{}", run.stdout);
    assert!(
        run.stdout.contains("dossier build --output"),
        "{}",
        run.stdout
    );
    let run = common::Run::of(dossier().args(["build", "--help"]).output().expect("run"));
    assert!(run.stdout.contains("--output <DIR>"), "{}", run.stdout);
    let run = common::Run::of(dossier().arg("--version").output().expect("run"));
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
        assert!(
            run.stderr
                .contains("--root /nonexistent/project: no such folder"),
            "{}",
            run.stderr
        );
    }
}

#[test]
fn build_publishes_into_public_by_default_and_reports_what_it_did() {
    let site = Site::new(SITE);
    let run = site.run(&["build"]);
    run.expect_code(0);
    assert!(run.stderr.contains("published"), "{}", run.stderr);
    assert!(site.path("public/index.html").is_file());
    assert!(site.path("public/agencies/agency/index.html").is_file());
    let again = site.run(&["build"]);
    assert!(again.stderr.contains("0 written"), "{}", again.stderr);
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
    assert!(
        run.stderr
            .contains("error[E0101 unknown-agency]: unknown agency `agnecy`"),
        "{}",
        run.stderr
    );
    assert!(
        run.stderr.contains("--> content/_index.md:4:16"),
        "{}",
        run.stderr
    );
    assert!(
        run.stderr.contains("did you mean `agency`?"),
        "{}",
        run.stderr
    );
    // The entry the misspelt id leaves unmentioned is not warned about:
    // the warning would only echo the error.
    assert!(run.stderr.contains("1 error, 0 warnings"), "{}", run.stderr);
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
    assert!(
        run.stderr.contains("W0103 unannotated-mention"),
        "{}",
        run.stderr
    );
    site.run(&["check", "--deny-warnings"]).expect_code(1);
    site.run(&["build", "--deny-warnings"]).expect_code(1);
    assert!(!site.path("public").exists());
}

// --- Starting a project, and owning the theme -------------------------------

/// Runs `dossier <args>` in `dir`.
fn run_in(dir: &std::path::Path, args: &[&str]) -> common::Run {
    let child = dossier()
        .args(args)
        .current_dir(dir)
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .expect("run dossier");
    common::wait_within(child, std::time::Duration::from_secs(60))
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
    run_in(&root, &["build", "--deny-warnings"]).expect_code(0);
    let public = root.join("public");
    let broken = common::broken_links(&public);
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
    let template =
        std::fs::read_to_string(common::repo_root().join("themes/default/templates/page.html"))
            .expect("the page template");
    let marked = template.replace(
        "<article class=\"page\">",
        "<article class=\"page overridden\">",
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
    let ejected = common::snapshot_dir(&site.path("themes/default"));
    let repository = common::snapshot_dir(&common::repo_root().join("themes/default"));
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
