//! Publishing: nothing already published is ever lost, and dossier never
//! writes where it must not.

mod common;

use common::{Site, snapshot_dir};

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
        assert!(
            run.stderr.contains("E0601 unsafe-output"),
            "{output}: {}",
            run.stderr
        );
    }
    assert!(site.path("content/_index.md").is_file());
    assert!(site.path("themes/default/templates/page.html").is_file());
    assert!(std::path::Path::new(&root).join("site.toml").is_file());
}

#[test]
fn a_foreign_folder_is_only_replaced_with_force() {
    let site = Site::new(SITE);
    site.write("mine/notes.txt", "keep me");
    let run = site.run(&["build", "--output", "mine"]);
    run.expect_code(1);
    assert!(run.stderr.contains("--force"), "{}", run.stderr);
    assert_eq!(
        std::fs::read_to_string(site.path("mine/notes.txt")).expect("kept"),
        "keep me"
    );
    site.run(&["build", "--output", "mine", "--force"])
        .expect_code(0);
    assert!(site.path("mine/index.html").is_file());
    // Now it is dossier's: no more --force needed.
    site.run(&["build", "--output", "mine"]).expect_code(0);
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
/// `public/`.
fn leftovers(site: &Site) -> Vec<String> {
    std::fs::read_dir(site.root())
        .expect("read the project")
        .map(|entry| {
            entry
                .expect("entry")
                .file_name()
                .to_string_lossy()
                .into_owned()
        })
        .filter(|name| name.contains("dossier"))
        .collect()
}

#[test]
fn error_mid_write_leaves_public_byte_identical_and_no_staging_folder() {
    // SIGXFSZ ignored: a write past the limit fails with EFBIG.
    let (run, site, before) = build_that_fails_mid_write("trap '' XFSZ");
    run.expect_code(1);
    assert!(
        run.stderr
            .contains("error[E0602 publish]: cannot write the file"),
        "{}",
        run.stderr
    );
    // Several files outgrow the limit (the changed page, the print page
    // that holds it, the pages written straight into their file before
    // they are compared); whichever is written first is reported, by the
    // path it is published at, not the staging folder's.
    assert!(
        run.stderr.contains("--> ./public/") && !run.stderr.contains("dossier-staging"),
        "the error does not name the published file: {}",
        run.stderr
    );
    assert_eq!(snapshot_dir(&site.path("public")), before);
    assert_eq!(leftovers(&site), Vec::<String>::new());
}

#[test]
fn kill_mid_write_leaves_public_byte_identical_and_the_next_build_cleans_up() {
    // SIGXFSZ kills the process at its first write past the limit.
    let (run, site, before) = build_that_fails_mid_write("true");
    assert_eq!(run.signal, Some(25), "not killed by SIGXFSZ: {run:?}");
    assert_eq!(snapshot_dir(&site.path("public")), before);
    let left = leftovers(&site);
    assert_eq!(left.len(), 1, "{left:?}");
    assert!(left[0].starts_with(".public.dossier-staging-"), "{left:?}");

    // The next build removes the staging folder; the site it replaces is
    // kept as the spare it will stage into next time.
    site.run(&["build"]).expect_code(0);
    assert_eq!(leftovers(&site), [".public.dossier-spare"]);
    assert!(site.public("a/index.html").contains("Page A, changed"));
}
