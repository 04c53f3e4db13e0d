//! Publishing: nothing already published is ever lost, and dossier never
//! writes where it must not.

use crate::common::{self, Site, assert_contains, assert_not_contains, snapshot_dir};

const SITE: &str = r#"
-- site.toml --
title = "Publish site"
-- content/_index.md --
+++
title = "Home"
+++
Home text.
-- content/a.md --
+++
title = "A"
+++
Page A.
"#;

#[test]
fn failed_build_leaves_public_untouched() {
    let site = Site::new(SITE);
    site.run(&["build"]).expect_code(0);
    let before = snapshot_dir(&site.path("public"));
    site.write(
        "content/a.md",
        "+++\ntitle = \"A\"\n+++\nA [broken](missing.md) link.\n",
    );
    site.run(&["build"]).expect_code(1);
    assert_eq!(snapshot_dir(&site.path("public")), before);
}

#[test]
fn files_of_deleted_pages_disappear_and_unchanged_files_keep_their_time() {
    let site = Site::new(SITE);
    site.run(&["build"]).expect_code(0);
    let home = site.path("public/index.html");
    let modified = std::fs::metadata(&home)
        .expect("home")
        .modified()
        .expect("mtime");
    std::thread::sleep(std::time::Duration::from_millis(20));
    std::fs::remove_file(site.path("content/a.md")).expect("remove");
    site.write("content/b.md", "+++\ntitle = \"B\"\n+++\nPage B.\n");
    let run = site.run(&["build"]);
    run.expect_code(0);
    assert!(!site.path("public/a").exists());
    assert!(site.path("public/b/index.html").is_file());
    // The home page lists the pages, so it changed; the stylesheet did not.
    let css = site.path("public/static/style.css");
    let css_time = std::fs::metadata(&css)
        .expect("css")
        .modified()
        .expect("mtime");
    site.run(&["build"]).expect_code(0);
    assert_eq!(
        std::fs::metadata(&css)
            .expect("css")
            .modified()
            .expect("mtime"),
        css_time
    );
    assert_ne!(
        std::fs::metadata(&home)
            .expect("home")
            .modified()
            .expect("mtime"),
        modified
    );
}

#[test]
fn output_folders_that_hold_the_project_are_refused() {
    let site = Site::new(SITE);
    site.copy_theme();
    let root = site.root().to_str().expect("UTF-8 path").to_string();
    for output in [
        ".",
        "content",
        "seeds",
        "themes",
        "src",
        "..",
        "/",
        "content/out",
    ] {
        let run = site.run(&["build", "--output", output, "--force"]);
        run.expect_code(1);
        assert_contains!(run.stderr, "E0601 unsafe-output", "{output}");
    }
    assert!(site.path("content/_index.md").is_file());
    assert!(site.path("themes/default/templates/page.html").is_file());
    assert!(std::path::Path::new(&root).join("site.toml").is_file());
}

#[test]
fn a_foreign_folder_is_only_replaced_with_force_and_force_says_what_it_deleted() {
    let site = Site::new(SITE);
    site.write("mine/notes.txt", "keep me");
    site.write("mine/deep/more.txt", "keep me too");
    let run = site.run(&["build", "--output", "mine"]);
    run.expect_code(1);
    assert_contains!(run.stderr, "--force");
    assert_contains!(run.stderr, "`notes.txt`");
    assert_eq!(
        std::fs::read_to_string(site.path("mine/notes.txt")).expect("kept"),
        "keep me"
    );
    let run = site.run(&["build", "--output", "mine", "--force"]);
    run.expect_code(0);
    assert_contains!(
        run.stderr,
        "deleted 2 files that dossier had not published (--force)"
    );
    assert!(site.path("mine/index.html").is_file());
    // Deleted means deleted: no copy kept in a hidden folder.
    assert!(
        !walkdir::WalkDir::new(site.root())
            .into_iter()
            .flatten()
            .any(|entry| entry.file_name() == "notes.txt"),
        "the user's file is still somewhere in the project"
    );
    // Now it is dossier's: no more --force needed.
    site.run(&["build", "--output", "mine"]).expect_code(0);
}

#[test]
fn a_file_named_like_the_marker_proves_nothing() {
    let site = Site::new(SITE);
    site.write("d/notes.txt", "notes");
    site.write("d/.dossier", "cfg");
    let run = site.run(&["build", "--output", "d"]);
    run.expect_code(1);
    assert_contains!(run.stderr, "E0601 unsafe-output");
    assert_eq!(
        std::fs::read_to_string(site.path("d/notes.txt")).expect("kept"),
        "notes"
    );
    assert_eq!(
        std::fs::read_to_string(site.path("d/.dossier")).expect("kept"),
        "cfg"
    );
    assert_eq!(leftovers_beside(&site, "d"), [".d.dossier-lock"]);
}

#[test]
fn files_added_to_a_published_site_are_never_deleted_without_force() {
    let site = Site::new(SITE);
    site.run(&["build"]).expect_code(0);
    site.write("public/mine.txt", "mine");
    site.write("public/a/extra.pdf", "mine too");
    let before = snapshot_dir(&site.path("public"));
    site.write(
        "content/a.md",
        "+++\ntitle = \"A\"\n+++\nPage A, changed.\n",
    );
    let run = site.run(&["build"]);
    run.expect_code(1);
    assert_contains!(
        run.stderr,
        "it holds 2 files that dossier did not publish: `a/extra.pdf`, `mine.txt`"
    );
    assert_eq!(snapshot_dir(&site.path("public")), before);
    let run = site.run(&["build", "--force"]);
    run.expect_code(0);
    assert_contains!(run.stderr, "deleted 2 files that dossier had not published");
    assert!(!site.path("public/mine.txt").exists());
    assert_contains!(site.public("a/index.html"), "Page A, changed.");
    site.run(&["build"]).expect_code(0);
}

/// A site with many pages, so that a build takes long enough for a second
/// one to start in the middle of it.
fn many_pages() -> String {
    let mut archive = String::from(SITE);
    for i in 0..60 {
        archive.push_str(&format!(
            "-- content/part{}/page{i}.md --\n+++\ntitle = \"Page {i}\"\n+++\nText of page {i}, see [A](../a.md).\n",
            i % 4
        ));
    }
    archive
}

#[test]
fn concurrent_builds_into_one_folder_never_publish_a_partial_site() {
    let site = Site::new(&many_pages());
    let title = |name: &str| format!("title = \"{name}\"\n");
    let mut reference = std::collections::BTreeMap::new();
    for name in ["One", "Two"] {
        site.write("site.toml", &title(name));
        let out = format!("reference-{name}");
        site.run(&["build", "--output", &out]).expect_code(0);
        reference.insert(name, snapshot_dir(&site.path(&out)));
    }
    for round in 0..24 {
        let name = if round % 2 == 0 { "One" } else { "Two" };
        site.write("site.toml", &title(name));
        let start = || {
            common::dossier()
                .arg("build")
                .current_dir(site.root())
                .stdout(std::process::Stdio::piped())
                .stderr(std::process::Stdio::piped())
                .spawn()
                .expect("start dossier")
        };
        let first = start();
        std::thread::sleep(std::time::Duration::from_millis(round % 8));
        let second = start();
        for run in [first, second]
            .map(|child| common::wait_within(child, std::time::Duration::from_secs(60)))
        {
            run.expect_code(0);
            assert_contains!(run.stderr, "published");
        }
        assert!(
            snapshot_dir(&site.path("public")) == reference[name],
            "round {round}: public/ is not the site that was built"
        );
        let mut left = leftovers(&site);
        left.retain(|name| !name.starts_with("reference-") && !name.starts_with(".reference-"));
        assert_eq!(
            left,
            [
                ".public.dossier-ledger",
                ".public.dossier-lock",
                ".public.dossier-spare"
            ],
            "round {round}"
        );
    }
}

#[test]
fn staging_folders_of_killed_builds_are_removed_even_half_removed() {
    let site = Site::new(SITE);
    site.run(&["build"]).expect_code(0);
    // A build killed while it removed a killed build's staging folder: the
    // marker is still there, most of the site is not.
    let half = site.path(".public.dossier-staging-999999");
    std::fs::create_dir_all(half.join("a")).expect("folder");
    std::fs::copy(site.path("public/.dossier"), half.join(".dossier")).expect("marker");
    std::fs::write(half.join("a/index.html"), "half").expect("file");
    // A folder of that name that is not dossier's is left alone.
    site.write(".public.dossier-old-7/mine.txt", "mine");
    site.run(&["build"]).expect_code(0);
    assert!(!half.exists());
    assert!(site.path(".public.dossier-old-7/mine.txt").is_file());
}

/// Builds the site, changes a page, and runs a build that can write at most
/// 512 bytes per file (`ulimit -f 1`) after `setup`: the build fails while
/// writing the changed page. Returns the run, the site and `public/` as the
/// first build left it.
fn build_that_fails_mid_write(setup: &str) -> (common::Run, Site, SiteFiles) {
    let site = Site::new(SITE);
    site.run(&["build"]).expect_code(0);
    let before = snapshot_dir(&site.path("public"));
    site.write(
        "content/a.md",
        "+++\ntitle = \"A\"\n+++\nPage A, changed: the new page is longer than 512 bytes.\n",
    );
    let run = site.run_in_shell(&format!("ulimit -f 1; {setup}"), &["build"]);
    (run, site, before)
}

type SiteFiles = std::collections::BTreeMap<String, Vec<u8>>;

/// The names in the project's root that dossier's publishing left beside
/// `public/`, sorted.
fn leftovers(site: &Site) -> Vec<String> {
    leftovers_beside(site, "public")
}

/// The names in the project's root that dossier's publishing into the
/// folder `output` left beside it, sorted.
fn leftovers_beside(site: &Site, output: &str) -> Vec<String> {
    let prefix = format!(".{output}.dossier");
    let mut names: Vec<String> = std::fs::read_dir(site.root())
        .expect("read the project")
        .map(|entry| {
            entry
                .expect("entry")
                .file_name()
                .to_string_lossy()
                .into_owned()
        })
        .filter(|name| name.starts_with(&prefix))
        .collect();
    names.sort();
    names
}

#[test]
fn error_mid_write_leaves_public_byte_identical_and_no_staging_folder() {
    // SIGXFSZ ignored: a write past the limit fails with EFBIG.
    let (run, site, before) = build_that_fails_mid_write("trap '' XFSZ");
    run.expect_code(1);
    assert_contains!(run.stderr, "error[E0602 publish]: cannot write the file");
    // Several files outgrow the limit (the changed page, the print page
    // that holds it, the pages written straight into their file before
    // they are compared); whichever is written first is reported, by the
    // path it is published at, not the staging folder's.
    let why = "the error does not name the published file";
    assert_contains!(run.stderr, "--> ./public/", "{why}");
    assert_not_contains!(run.stderr, "dossier-staging", "{why}");
    assert_eq!(snapshot_dir(&site.path("public")), before);
    assert_eq!(
        leftovers(&site),
        [".public.dossier-ledger", ".public.dossier-lock"]
    );
}

#[test]
fn kill_mid_write_leaves_public_byte_identical_and_the_next_build_cleans_up() {
    // SIGXFSZ kills the process at its first write past the limit.
    let (run, site, before) = build_that_fails_mid_write("true");
    assert_eq!(run.signal, Some(25), "not killed by SIGXFSZ: {run:?}");
    assert_eq!(snapshot_dir(&site.path("public")), before);
    let left = leftovers(&site);
    assert_eq!(left.len(), 3, "{left:?}");
    assert!(left[2].starts_with(".public.dossier-staging-"), "{left:?}");

    // The killed build held the lock: it went with the process. The next
    // build removes the staging folder; the site it replaces is kept as
    // the spare it will stage into next time.
    site.run(&["build"]).expect_code(0);
    assert_eq!(
        leftovers(&site),
        [
            ".public.dossier-ledger",
            ".public.dossier-lock",
            ".public.dossier-spare"
        ]
    );
    assert_contains!(site.public("a/index.html"), "Page A, changed");
}

/// How many files a `build --verbose` kept as published without rendering
/// them again, and how many the site has.
fn kept(run: &common::Run) -> (usize, usize) {
    let Some(line) = run
        .stderr
        .lines()
        .find(|l| l.trim_start().starts_with("kept "))
    else {
        return (0, 0);
    };
    let numbers: Vec<usize> = line
        .split_whitespace()
        .filter_map(|word| word.parse().ok())
        .collect();
    (numbers[0], numbers[1])
}

/// The site as a full build into a new folder makes it.
fn fresh_build(site: &Site) -> std::collections::BTreeMap<String, Vec<u8>> {
    let fresh = site.path("fresh");
    site.run(&["build", "--output", fresh.to_str().expect("UTF-8 path")])
        .expect_code(0);
    snapshot_dir(&fresh)
}

#[test]
fn a_rebuild_renders_only_the_files_whose_inputs_changed() {
    let site = Site::new(SITE);
    let first = site.run(&["build", "--verbose"]);
    first.expect_code(0);
    assert_eq!(kept(&first).0, 0, "{}", first.stderr);

    // Nothing changed: every rendered file is the published one.
    let again = site.run(&["build", "--verbose"]);
    again.expect_code(0);
    let (kept_files, all) = kept(&again);
    assert!(kept_files > 10 && kept_files < all, "{}", again.stderr);
    assert_contains!(&again.stderr, "(0 written,");

    // An edit renders the page again, and the pages that show its title.
    site.write(
        "content/a.md",
        "+++\ntitle = \"A, renamed\"\n+++\nPage A, edited.\n",
    );
    let edited = site.run(&["build", "--verbose"]);
    edited.expect_code(0);
    let (kept_after_edit, _) = kept(&edited);
    assert!(kept_after_edit < kept_files, "{}", edited.stderr);
    assert_contains!(&site.public("a/index.html"), "Page A, edited.");
    assert_contains!(&site.public("index.html"), "A, renamed");
    assert_eq!(snapshot_dir(&site.path("public")), fresh_build(&site));

    // `--render-all` keeps nothing.
    let all_again = site.run(&["build", "--verbose", "--render-all"]);
    all_again.expect_code(0);
    assert_eq!(kept(&all_again).0, 0, "{}", all_again.stderr);
}

#[test]
fn a_published_file_edited_by_hand_is_rendered_again() {
    let site = Site::new(SITE);
    site.run(&["build"]).expect_code(0);
    let page = site.path("public/a/index.html");
    let built = std::fs::read(&page).expect("page");
    // Replaced, or written in place: either way its stamp changes.
    std::fs::remove_file(&page).expect("remove");
    std::fs::write(&page, b"by hand").expect("write");
    site.run(&["build"]).expect_code(0);
    assert_eq!(std::fs::read(&page).expect("page"), built);
    std::fs::OpenOptions::new()
        .append(true)
        .open(&page)
        .and_then(|mut file| std::io::Write::write_all(&mut file, b"<!-- more -->"))
        .expect("append");
    site.run(&["build"]).expect_code(0);
    assert_eq!(std::fs::read(&page).expect("page"), built);
}

#[test]
fn a_template_edit_or_a_damaged_ledger_renders_every_file() {
    let site = Site::new(SITE);
    site.copy_theme();
    site.run(&["build"]).expect_code(0);
    let base = site.path("themes/default/templates/base.html");
    let text = std::fs::read_to_string(&base).expect("base.html");
    site.write(
        "themes/default/templates/base.html",
        &text.replace("<body>", "<body data-edited>"),
    );
    let edited = site.run(&["build", "--verbose"]);
    edited.expect_code(0);
    assert_eq!(kept(&edited).0, 0, "{}", edited.stderr);
    assert_contains!(&site.public("a/index.html"), "<body data-edited>");

    site.write(
        ".public.dossier-ledger",
        "dossier-ledger 1\nnot this build\n",
    );
    let damaged = site.run(&["build", "--verbose"]);
    damaged.expect_code(0);
    assert_eq!(kept(&damaged).0, 0, "{}", damaged.stderr);
    assert_eq!(snapshot_dir(&site.path("public")), fresh_build(&site));
}
