//! Files: too large, not UTF-8, nested too deep, symbolic links, pipes, names
//! with control characters, anchors taken twice.

use std::path::Path;

use super::*;
use crate::common::{Site, assert_contains, dossier, snapshot_dir};

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
