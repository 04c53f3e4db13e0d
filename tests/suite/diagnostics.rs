//! Every diagnostic code as a person reads it: for each code of
//! `dossier::diagnostics::Code`, a small site with one mistake, checked (or
//! built, for the codes of publishing) with `--color never`, and what
//! dossier prints on standard error kept as an insta snapshot named after
//! the code (`snapshots/suite__diagnostics__e0101_unknown_agency.snap`).
//! The snapshots document the messages: a change to one shows here as a
//! difference to review. Every code has one (`every_code_has_a_snapshot`
//! keeps it so): even a full disk (E0602) is a file-size limit away.
//!
//! Each snapshot starts with the command, as a user would type it, and ends
//! with its exit code. What changes from run to run is redacted: the time a
//! run took, process ids and the temporary folder of the project.

use std::path::Path;

use dossier::diagnostics::Code;

use crate::common::{Run, Site, assert_contains};

/// A clean site: two pages, two agencies, a topic and a source, no
/// warnings. Each test breaks one thing in it.
const SITE: &str = r#"
-- site.toml --
title = "Diagnostics"
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
sources = ["fact-sheet"]
+++
The [NASA](agency:nasa) team.

## Launch

Back to [home](../_index.md). The United States commits to “an expeditious
review of this application”. ([source](source:fact-sheet#space-p1))
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
-- seeds/fact-sheet.md --
---
title: Fact sheet
date: 2023-01-31
---
**Space**

- The United States commits to an expeditious review of this application.
"#;

/// The page of [`SITE`] most tests rewrite, with `body` after its front
/// matter.
fn space(body: &str) -> String {
    format!("+++\ntitle = \"Space\"\nagencies = [\"nasa\"]\n+++\n{body}")
}

/// The name of the snapshot of `code`: its id and name, such as
/// `e0101_unknown_agency`.
fn snapshot_name(code: Code) -> String {
    format!("{}_{}", code.id(), code.name())
        .to_lowercase()
        .replace('-', "_")
}

/// Runs `dossier <args> --color never` in `site` and snapshots what it
/// printed on standard error under the name of `code`; the report must
/// name `code` and the run must exit with `exit`.
fn report(code: Code, site: &Site, args: &[&str], exit: i32) {
    let mut args = args.to_vec();
    args.extend(["--color", "never"]);
    let run = site.run(&args);
    snapshot(code, site, &args, &run, exit);
}

/// Snapshots `run`, which ran `dossier <args>` in `site`: see [`report`].
fn snapshot(code: Code, site: &Site, args: &[&str], run: &Run, exit: i32) {
    assert_eq!(run.code, Some(exit), "{run:#?}");
    assert_contains!(run.stderr, format!("[{code}]"));
    let session = format!(
        "$ dossier {}\n{}[exit code {exit}]\n",
        args.join(" "),
        redact(&run.stderr, site.root())
    );
    insta::assert_snapshot!(snapshot_name(code), session);
}

/// `text` with what changes from run to run replaced: the project's
/// temporary folder by `[project]`, the time a run took by `[time]`, and
/// process ids by `[pid]`.
fn redact(text: &str, root: &Path) -> String {
    let root = root.to_str().expect("a UTF-8 temporary folder");
    let text = text.replace(root, "[project]");
    let time = regex::Regex::new(r"\b\d+ ms\b").expect("regex");
    let text = time.replace_all(&text, "[time]");
    let pid = regex::Regex::new(r"(dossier-staging-|process )\d+").expect("regex");
    pid.replace_all(&text, "$1[pid]").into_owned()
}

#[test]
fn the_clean_site_reports_nothing() {
    let site = Site::new(SITE);
    let run = site.run(&["check", "--deny-warnings", "--format", "json"]);
    run.expect_code(0);
    assert_eq!(run.json(), Vec::<serde_json::Value>::new());
}

#[test]
fn every_code_has_a_snapshot() {
    let folder = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/suite/snapshots");
    for &code in Code::ALL {
        let file = folder.join(format!("suite__diagnostics__{}.snap", snapshot_name(code)));
        assert!(file.is_file(), "no snapshot of {code}: {}", file.display());
    }
}

// --- Files ------------------------------------------------------------------

#[test]
fn e0001_io() {
    let site = Site::new(SITE);
    let status = std::process::Command::new("mkfifo")
        .arg(site.path("content/domains/pipe.md"))
        .status()
        .expect("mkfifo");
    assert!(status.success());
    report(Code::Io, &site, &["check"], 1);
}

#[test]
fn e0002_not_utf8() {
    let site = Site::new(SITE);
    site.write_bytes(
        "content/domains/space.md",
        b"+++\ntitle = \"Space\"\nagencies = [\"nasa\"]\n+++\nThe [NASA](agency:nasa) caf\xe9.\n",
    );
    report(Code::NotUtf8, &site, &["check"], 1);
}

#[test]
fn e0003_bad_symlink() {
    let site = Site::new(SITE);
    let outside = tempfile::tempdir().expect("temporary folder");
    let target = outside.path().join("secret.md");
    std::fs::write(&target, "+++\ntitle = \"Secret\"\n+++\nSecret.\n").expect("write");
    std::os::unix::fs::symlink(&target, site.path("content/domains/secret.md")).expect("symlink");
    report(Code::BadSymlink, &site, &["check"], 1);
}

#[test]
fn e0004_file_too_large() {
    let site = Site::new(SITE);
    // A sparse file: refused by its size, never read.
    let file = std::fs::File::create(site.path("content/domains/large.md")).expect("create");
    file.set_len(9 * 1024 * 1024).expect("set the length");
    report(Code::TooLarge, &site, &["check"], 1);
}

// --- References and links -------------------------------------------------

#[test]
fn e0101_unknown_agency() {
    let site = Site::new(SITE);
    site.write(
        "content/domains/space.md",
        &space("The [NASA](agency:nasa) and the [ISRO](agency:isr0) teams.\n"),
    );
    report(Code::UnknownAgency, &site, &["check"], 1);
}

#[test]
fn e0102_unknown_topic() {
    let site = Site::new(SITE);
    site.write(
        "content/domains/space.md",
        "+++\ntitle = \"Space\"\nagencies = [\"nasa\"]\ntopics = [\"quantun\"]\n+++\nThe [NASA](agency:nasa) team.\n",
    );
    report(Code::UnknownTopic, &site, &["check"], 1);
}

#[test]
fn e0103_unknown_source() {
    let site = Site::new(SITE);
    site.write(
        "content/domains/space.md",
        &space("The [NASA](agency:nasa) team. ([source](source:fact-shet#space-p1))\n"),
    );
    report(Code::UnknownSource, &site, &["check"], 1);
}

#[test]
fn e0104_broken_link() {
    let site = Site::new(SITE);
    site.write(
        "content/domains/space.md",
        &space("The [NASA](agency:nasa) team; see [the plan](plan.md).\n"),
    );
    report(Code::BrokenLink, &site, &["check"], 1);
}

#[test]
fn e0105_broken_anchor() {
    let site = Site::new(SITE);
    site.write(
        "content/domains/space.md",
        &space("The [NASA](agency:nasa) team.\n\n## Launch\n\nSee [above](#lunch).\n"),
    );
    report(Code::BrokenAnchor, &site, &["check"], 1);
}

#[test]
fn e0106_unsafe_link() {
    let site = Site::new(SITE);
    site.write(
        "content/domains/space.md",
        &space("The [NASA](agency:nasa) team. [Launch](JavaScript:alert(1))\n"),
    );
    report(Code::UnsafeLink, &site, &["check"], 1);
}

#[test]
fn e0107_misquote() {
    let site = Site::new(SITE);
    site.write(
        "content/domains/space.md",
        &space(
            "The [NASA](agency:nasa) team.\n\nThe United States commits to “a quick review of this application”. ([source](source:fact-sheet#space-p1))\n",
        ),
    );
    report(Code::Misquote, &site, &["check"], 1);
}

#[test]
fn e0108_duplicate_anchor() {
    let site = Site::new(SITE);
    site.write(
        "content/domains/space.md",
        &space("The [NASA](agency:nasa) team.\n\n## Launch {#plan}\n\nText.\n\n## Landing {#plan}\n\nMore.\n"),
    );
    report(Code::DuplicateAnchor, &site, &["check"], 1);
}

#[test]
fn e0109_low_coverage() {
    let site = Site::new(SITE);
    site.write(
        "seeds/fact-sheet.md",
        "---\ntitle: Fact sheet\ndate: 2023-01-31\n---\n**Space**\n\n- The United States commits to an expeditious review of this application.\n- A second item no page cites.\n",
    );
    report(
        Code::LowCoverage,
        &site,
        &["check", "--min-coverage", "100"],
        1,
    );
}

// --- TOML, YAML and front matter ---------------------------------------------

#[test]
fn e0201_toml_syntax() {
    let site = Site::new(SITE);
    site.write(
        "content/domains/space.md",
        "+++\ntitle = \"Space\"\nweight = \nagencies = [\"nasa\"]\n+++\nThe [NASA](agency:nasa) team.\n",
    );
    report(Code::TomlSyntax, &site, &["check"], 1);
}

#[test]
fn e0202_unknown_key() {
    let site = Site::new(SITE);
    site.write(
        "content/domains/space.md",
        "+++\ntitle = \"Space\"\nwieght = 1\nagencies = [\"nasa\"]\n+++\nThe [NASA](agency:nasa) team.\n",
    );
    report(Code::UnknownKey, &site, &["check"], 1);
}

#[test]
fn e0203_wrong_type() {
    let site = Site::new(SITE);
    site.write(
        "content/domains/space.md",
        "+++\ntitle = \"Space\"\nweight = \"high\"\nagencies = [\"nasa\"]\n+++\nThe [NASA](agency:nasa) team.\n",
    );
    report(Code::WrongType, &site, &["check"], 1);
}

#[test]
fn e0204_missing_key() {
    let site = Site::new(SITE);
    site.write(
        "content/domains/space.md",
        "+++\nweight = 1\nagencies = [\"nasa\"]\n+++\nThe [NASA](agency:nasa) team.\n",
    );
    report(Code::MissingKey, &site, &["check"], 1);
}

#[test]
fn e0205_unclosed_front_matter() {
    let site = Site::new(SITE);
    site.write(
        "content/domains/space.md",
        "+++\ntitle = \"Space\"\nagencies = [\"nasa\"]\nThe [NASA](agency:nasa) team.\n",
    );
    report(Code::UnclosedFrontMatter, &site, &["check"], 1);
}

#[test]
fn e0206_invalid_value() {
    let site = Site::new(SITE);
    site.write(
        "content/domains/space.md",
        "+++\ntitle = \"Space\"\ndate = \"31 January 2023\"\nagencies = [\"nasa\"]\n+++\nThe [NASA](agency:nasa) team.\n",
    );
    report(Code::InvalidValue, &site, &["check"], 1);
}

#[test]
fn e0207_yaml_syntax() {
    let site = Site::new(SITE);
    site.write(
        "seeds/fact-sheet.md",
        "---\ntitle: [Fact sheet\ndate: 2023-01-31\n---\n**Space**\n\n- The United States commits to an expeditious review of this application.\n",
    );
    report(Code::YamlSyntax, &site, &["check"], 1);
}

// --- Registries -------------------------------------------------------------

/// The agencies of [`SITE`] with `more` after them.
fn agencies(more: &str) -> String {
    let start = SITE
        .find("-- content/agencies.toml --\n")
        .expect("agencies")
        + 28;
    let end = SITE.find("-- content/topics.toml --").expect("topics");
    format!("{}{more}", &SITE[start..end])
}

#[test]
fn e0301_duplicate_id() {
    let site = Site::new(SITE);
    site.write(
        "content/agencies.toml",
        &agencies("\n[isro]\nname = \"Indian Space Research Organisation\"\ncountry = \"IN\"\nkind = \"government\"\ndescription = \"Again.\"\n"),
    );
    report(Code::DuplicateId, &site, &["check"], 1);
}

#[test]
fn e0302_duplicate_alias() {
    let site = Site::new(SITE);
    site.write(
        "content/agencies.toml",
        &agencies("").replace(
            "short = \"ISRO\"\n",
            "short = \"ISRO\"\naliases = [\"NASA\"]\n",
        ),
    );
    report(Code::DuplicateAlias, &site, &["check"], 1);
}

// --- Output, themes and publishing ---------------------------------------------

#[test]
fn e0401_output_collision() {
    let site = Site::new(SITE);
    site.write(
        "content/domains/Space.md",
        &space("The [NASA](agency:nasa) again.\n"),
    );
    report(Code::OutputCollision, &site, &["check"], 1);
}

#[test]
fn e0501_template() {
    let site = Site::new(SITE);
    site.write(
        "themes/default/templates/page.html",
        "{% extends \"base.html\" %}\n{% block content %}\n<h1>{{ page.title </h1>\n{% endblock content %}\n",
    );
    report(Code::Template, &site, &["check"], 1);
}

#[test]
fn e0502_missing_theme() {
    let site = Site::new(SITE);
    site.write(
        "site.toml",
        "title = \"Diagnostics\"\ntheme = \"defualt\"\n",
    );
    report(Code::MissingTheme, &site, &["check"], 1);
}

#[test]
fn e0503_template_limit() {
    let site = Site::new(SITE);
    site.write(
        "site.toml",
        "title = \"Diagnostics\"\ntemplate_output_limit = 1\n",
    );
    site.write(
        "themes/default/templates/page.html",
        "{% extends \"base.html\" %}\n{% block content %}\n{% for i in range(end=100000) %}{% for j in range(end=10000) %}{{ i }}{% endfor %}{% endfor %}\n{% endblock content %}\n",
    );
    report(Code::TemplateLimit, &site, &["check"], 1);
}

#[test]
fn e0601_unsafe_output() {
    let site = Site::new(SITE);
    report(
        Code::UnsafeOutput,
        &site,
        &["build", "--output", "content"],
        1,
    );
}

#[test]
fn e0602_publish() {
    // Files of at most 512 bytes (`ulimit -f 1`), and the signal that a
    // write past the limit sends ignored: such a write fails with EFBIG.
    // One rendering thread, so that the files that fail first, and are
    // reported, are the same in every run.
    let site = Site::new(SITE);
    let args = ["build", "--color", "never"];
    let run = site.run_in_shell(
        "ulimit -f 1; trap '' XFSZ; export RAYON_NUM_THREADS=1",
        &args,
    );
    snapshot(Code::Publish, &site, &args, &run, 1);
}

// --- Warnings -----------------------------------------------------------------

#[test]
fn w0101_unused_entry() {
    let site = Site::new(SITE);
    site.write(
        "content/agencies.toml",
        &agencies("\n[doe]\nname = \"Department of Energy\"\nshort = \"DOE\"\ncountry = \"US\"\nkind = \"government\"\ndescription = \"Energy.\"\n"),
    );
    report(Code::UnusedEntry, &site, &["check"], 0);
}

#[test]
fn w0102_no_agencies() {
    let site = Site::new(SITE);
    site.write(
        "content/domains/notes.md",
        "+++\ntitle = \"Notes\"\n+++\nSome notes on [quantum](topic:quantum).\n",
    );
    report(Code::NoAgencies, &site, &["check"], 0);
}

#[test]
fn w0103_unannotated_mention() {
    let site = Site::new(SITE);
    site.write(
        "content/domains/space.md",
        &space("The [NASA](agency:nasa) team met the Indian Space Research Organisation.\n"),
    );
    report(Code::UnannotatedMention, &site, &["check"], 0);
}

#[test]
fn w0104_empty_page() {
    let site = Site::new(SITE);
    site.write(
        "content/domains/empty.md",
        "+++\ntitle = \"Empty\"\nagencies = [\"nasa\"]\n+++\n",
    );
    report(Code::EmptyPage, &site, &["check"], 0);
}

#[test]
fn w0106_source_changed() {
    let site = Site::new(SITE);
    site.run(&["check"]).expect_code(0);
    site.write(
        "seeds/fact-sheet.md",
        "---\ntitle: Fact sheet\ndate: 2023-01-31\n---\n**Space**\n\n- A new first item.\n- The United States commits to an expeditious review of this application.\n",
    );
    site.write(
        "content/domains/space.md",
        &space("The [NASA](agency:nasa) team.\n\n## Launch\n\nBack to [home](../_index.md). The review. ([source](source:fact-sheet#space-p1))\n"),
    );
    report(Code::SourceChanged, &site, &["check"], 0);
}

#[test]
fn w0107_low_contrast() {
    let site = Site::new(SITE);
    site.write(
        "site.toml",
        "title = \"Diagnostics\"\naccent = \"#ffcc00\"\n",
    );
    report(Code::LowContrast, &site, &["check"], 0);
}

#[test]
fn w0108_no_base_url() {
    let site = Site::new(SITE);
    report(Code::NoBaseUrl, &site, &["build"], 0);
}

#[test]
fn w0109_missing_parent() {
    let site = Site::new(SITE);
    site.write(
        "content/agencies.toml",
        &agencies("\n[jsc]\nname = \"NASA Johnson Space Center\"\ncountry = \"US\"\nkind = \"government\"\ndescription = \"A NASA center.\"\n"),
    );
    site.write(
        "content/domains/space.md",
        &space("The [NASA](agency:nasa) team trains at the [Johnson Space Center](agency:jsc).\n"),
    );
    report(Code::MissingParent, &site, &["check"], 0);
}

#[test]
fn w0105_sanitised_html() {
    let site = Site::new(SITE);
    site.write(
        "site.toml",
        "title = \"Diagnostics\"\nallow_raw_html = true\n",
    );
    site.write(
        "content/domains/space.md",
        &space("The [NASA](agency:nasa) team <a href=\"#launch\" onclick=\"go()\">launches</a>.\n\n## Launch\n"),
    );
    report(Code::SanitisedHtml, &site, &["check"], 0);
}
