//! The output folder, and content that must never run as script.

use super::*;
use crate::common::{Site, assert_contains, assert_not_contains, dossier, snapshot_dir};

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
        "<a>launches</a> <kbd>now</kbd>.</p>",
        "<details>\n<summary>More</summary>\n<img src=\"map.png\" alt=\"Map\">\n</details>",
    ] {
        assert_contains!(page, kept, "the page lost `{kept}`");
    }
    site.run(&["build", "--deny-warnings"]).expect_code(1);
}
