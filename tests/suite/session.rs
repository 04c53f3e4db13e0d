//! The in-memory site of `dossier serve`: after any sequence of edits, an
//! incremental update gives exactly the files a full build gives.

use dossier::load::{Changes, Project};
use dossier::model::Drafts;
use dossier::pipeline::{self, Options};
use dossier::render::Output;
use dossier::session::Session;

use crate::common::{Site, assert_contains, assert_not_contains};

pub(crate) const SITE: &str = r#"
-- site.toml --
title = "Session site"
-- content/_index.md --
+++
title = "Home"
summary = "The home page."
+++
The [Agency of Space](agency:space) works on [quantum](topic:quantum).
-- content/domains/_index.md --
+++
title = "Domains"
+++
All domains.
-- content/domains/launch.md --
+++
title = "Launch"
weight = 1
agencies = ["space"]
topics = ["quantum"]
sources = ["note"]
+++
Opening words on [quantum](topic:quantum).

## The launch

- The [Agency of Space](agency:space) and the [Bureau of Wires](agency:wires) agreed.
- See [wires](wires.md#cables) and [the note](source:note#the-part-p1).
-- content/domains/wires.md --
+++
title = "Wires"
weight = 2
agencies = ["wires"]
+++
## Cables

The [Bureau of Wires](agency:wires) lays cables; back to [launch](launch.md).
-- content/domains/other.md --
+++
title = "Other"
weight = 3
agencies = ["other"]
+++
The [Other Office](agency:other) does other things.
-- content/img/map.txt --
a map
-- content/agencies.toml --
[space]
name = "Agency of Space"
country = "US"
kind = "government"
description = "Space."

[wires]
name = "Bureau of Wires"
country = "IN"
kind = "government"
description = "Wires."

[other]
name = "Other Office"
country = "IN"
kind = "government"
description = "Other."
-- content/topics.toml --
[quantum]
name = "Quantum"
description = "Quantum technologies."
-- seeds/note.md --
---
title: A note
---
**The part**

- First point.
"#;

/// The files a full build of the project gives, with its drafts or not as
/// `drafts` says.
pub(crate) fn full_build(site: &Site, drafts: Drafts) -> Vec<Output> {
    let options = Options {
        drafts,
        keep_files: true,
        ..Options::default()
    };
    let outcome = pipeline::build(&Project::new(site.root()), &options);
    assert!(
        !dossier::diagnostics::has_errors(&outcome.diagnostics),
        "{:#?}",
        outcome.diagnostics
    );
    outcome.outputs
}

/// Updates `session` after `changed` and checks it against a full build
/// (both leaving the drafts out).
fn update_and_compare(session: &mut Session, site: &Site, changed: &[&str]) -> Vec<String> {
    update_and_compare_with(session, site, changed, Drafts::LeftOut)
}

/// Updates `session`, made with `drafts`, after `changed` and checks it
/// against a full build with `drafts`. The full builds keep
/// `sources.lock` up to date, as `dossier build` next to `serve` would:
/// the session is told, as its watcher would tell it.
pub(crate) fn update_and_compare_with(
    session: &mut Session,
    site: &Site,
    changed: &[&str],
    drafts: Drafts,
) -> Vec<String> {
    let update = session.update(&Changes::of(
        changed.iter().copied().chain(["sources.lock"]),
    ));
    assert!(update.generation.is_some(), "{:#?}", update.diagnostics);
    let generation = session.current().expect("a generation");
    let incremental = generation.outputs();
    let full = full_build(site, drafts);
    let paths = |outputs: &[Output]| {
        outputs
            .iter()
            .map(|o| o.path.to_string())
            .collect::<Vec<_>>()
    };
    assert_eq!(paths(&incremental), paths(&full), "after {changed:?}");
    for (a, b) in incremental.iter().zip(&full) {
        assert!(
            a.bytes == b.bytes,
            "{} differs from a full build after {changed:?}",
            a.path
        );
    }
    update.changed.iter().map(|p| p.to_string()).collect()
}

#[test]
fn incremental_updates_match_full_builds_after_every_edit() {
    let site = Site::new(SITE);
    let mut session = Session::new(Project::new(site.root()));
    update_and_compare(&mut session, &site, &[]);

    // A body edit.
    site.write(
        "content/domains/wires.md",
        "+++\ntitle = \"Wires\"\nweight = 2\nagencies = [\"wires\"]\n+++\n## Cables\n\nThe [Bureau of Wires](agency:wires) lays more cables; back to [launch](launch.md).\n",
    );
    let changed = update_and_compare(&mut session, &site, &["content/domains/wires.md"]);
    assert_contains!(changed, "domains/wires/index.html");
    assert_contains!(changed, "agencies/wires/index.html");
    assert_not_contains!(changed, "agencies/other/index.html");
    assert_not_contains!(changed, "topics/quantum/index.html");
    assert_not_contains!(changed, "static/style.css");

    // A heading reworded, its anchor kept: the agency's page lists the
    // mention under it by the heading's new words, though the mentioning
    // passage itself did not change.
    site.write(
        "content/domains/wires.md",
        "+++\ntitle = \"Wires\"\nweight = 2\nagencies = [\"wires\"]\n+++\n## Cables and ducts {#cables}\n\nThe [Bureau of Wires](agency:wires) lays more cables; back to [launch](launch.md).\n",
    );
    let changed = update_and_compare(&mut session, &site, &["content/domains/wires.md"]);
    assert_contains!(changed, "agencies/wires/index.html");

    // A front-matter edit: a new title shows wherever the page is listed.
    site.write(
        "content/domains/other.md",
        "+++\ntitle = \"Other matters\"\nweight = 3\nagencies = [\"other\"]\n+++\nThe [Other Office](agency:other) does other things.\n",
    );
    update_and_compare(&mut session, &site, &["content/domains/other.md"]);

    // A new annotation: the agency gains a mention and a page.
    site.write(
        "content/domains/other.md",
        "+++\ntitle = \"Other matters\"\nweight = 3\nagencies = [\"other\"]\n+++\nThe [Other Office](agency:other) works with the [Agency of Space](agency:space).\n",
    );
    update_and_compare(&mut session, &site, &["content/domains/other.md"]);

    // A registry edit.
    let agencies = std::fs::read_to_string(site.path("content/agencies.toml")).expect("registry");
    site.write(
        "content/agencies.toml",
        &agencies.replace(
            "description = \"Wires.\"",
            "description = \"Cables and wires.\"",
        ),
    );
    update_and_compare(&mut session, &site, &["content/agencies.toml"]);

    // A page made a draft, dated and updated, then published again; a
    // section's index made a draft and published again.
    toggle_drafts_and_dates(&site, &mut |changed| {
        update_and_compare(&mut session, &site, changed);
    });

    // A template edit.
    let page = std::fs::read_to_string(
        crate::common::repo_root().join("themes/default/templates/page.html"),
    )
    .expect("template");
    site.write(
        "themes/default/templates/page.html",
        &page.replace("<h1>", "<h1 class=\"edited\">"),
    );
    let changed = update_and_compare(&mut session, &site, &["themes/default/templates/page.html"]);
    assert_contains!(changed, "domains/launch/index.html");
    assert_not_contains!(changed, "agencies/index.html");

    // A new page, a deleted page, a new file.
    site.write("content/domains/new.md", "+++\ntitle = \"New\"\nweight = 4\nagencies = [\"wires\"]\n+++\nNew work by the [Bureau of Wires](agency:wires).\n");
    update_and_compare(&mut session, &site, &["content/domains/new.md"]);
    std::fs::remove_file(site.path("content/domains/other.md")).expect("remove");
    let changed = update_and_compare(&mut session, &site, &["content/domains/other.md"]);
    assert_contains!(
        changed,
        "domains/other/index.html",
        "the file of the deleted page"
    );
    site.write("content/img/chart.txt", "a chart");
    update_and_compare(&mut session, &site, &["content/img/chart.txt"]);

    // A source edit and a settings edit.
    site.write(
        "seeds/note.md",
        "---\ntitle: A note\n---\n**The part**\n\n- First point, revised.\n",
    );
    update_and_compare(&mut session, &site, &["seeds/note.md"]);
    site.write("site.toml", "title = \"Session site, renamed\"\n");
    update_and_compare(&mut session, &site, &["site.toml"]);

    // A folder renamed: reported as the two folders.
    std::fs::rename(site.path("content/img"), site.path("content/images")).expect("rename");
    update_and_compare(&mut session, &site, &["content/img", "content/images"]);
}

/// Edits that make pages drafts, date and update them, and undo it, each
/// followed by `after` with the files changed.
fn toggle_drafts_and_dates(site: &Site, after: &mut dyn FnMut(&[&str])) {
    let other = "content/domains/other.md";
    let text = std::fs::read_to_string(site.path(other)).expect("page");
    let with = |extra: &str| text.replacen("+++\n", &format!("+++\n{extra}"), 1);
    site.write(other, &with("draft = true\n"));
    after(&[other]);
    site.write(
        other,
        &with("draft = true\ndate = 2024-01-01\nupdated = 2024-06-17\n"),
    );
    after(&[other]);
    site.write(other, &with("date = 2024-01-01\nupdated = 2024-06-17\n"));
    after(&[other]);
    site.write(other, &with("date = 2024-01-01\nupdated = 2024-07-01\n"));
    after(&[other]);
    let launch = "content/domains/launch.md";
    let launch_text = std::fs::read_to_string(site.path(launch)).expect("page");
    site.write(
        launch,
        &launch_text.replacen("+++\n", "+++\nupdated = 2024-06-17\n", 1),
    );
    after(&[launch]);
    let index = "content/domains/_index.md";
    let index_text = std::fs::read_to_string(site.path(index)).expect("page");
    site.write(
        index,
        &index_text.replacen("+++\n", "+++\ndraft = true\n", 1),
    );
    after(&[index]);
    site.write(index, &index_text);
    after(&[index]);
    site.write(other, &text);
    after(&[other]);
}

#[test]
fn a_session_with_drafts_matches_a_build_with_drafts_after_every_edit() {
    let site = Site::new(SITE);
    let mut session = Session::new(Project::new(site.root())).with_drafts(Drafts::Included);
    update_and_compare_with(&mut session, &site, &[], Drafts::Included);
    toggle_drafts_and_dates(&site, &mut |changed| {
        update_and_compare_with(&mut session, &site, changed, Drafts::Included);
    });
    // A draft with a link into it, fine while drafts are shown.
    site.write(
        "content/domains/other.md",
        "+++\ntitle = \"Other\"\ndraft = true\nagencies = [\"other\"]\n+++\n## Plans\n\nThe [Other Office](agency:other) plans.\n",
    );
    site.write(
        "content/domains/wires.md",
        "+++\ntitle = \"Wires\"\nweight = 2\nagencies = [\"wires\"]\n+++\n## Cables\n\nThe [Bureau of Wires](agency:wires) and [other plans](other.md#plans).\n",
    );
    update_and_compare_with(
        &mut session,
        &site,
        &["content/domains/other.md", "content/domains/wires.md"],
        Drafts::Included,
    );
}

#[test]
fn an_edit_reports_the_files_it_changed_and_the_search_manifest_for_unrendered_shards() {
    let site = Site::new(SITE);
    let mut session = Session::new(Project::new(site.root()));
    // The first update renders every file, the search index's shards too;
    // the next renders only what is asked for, and nothing is.
    let first = session.update(&Changes::default());
    let everything = first.changed.len();
    let shards = first
        .changed
        .iter()
        .filter(|path| {
            path.to_string().starts_with("search/") && path.to_string() != "search/index.js"
        })
        .count();
    assert!(shards > 0, "{:?}", first.changed);

    site.write(
        "content/domains/wires.md",
        "+++\ntitle = \"Wires\"\nweight = 2\nagencies = [\"wires\"]\n+++\n## Cables\n\nThe [Bureau of Wires](agency:wires) lays more cables; back to [launch](launch.md).\n",
    );
    let update = session.update(&Changes::of(["content/domains/wires.md"]));
    let changed: Vec<String> = update.changed.iter().map(ToString::to_string).collect();
    assert_contains!(changed, "domains/wires/index.html");
    assert_contains!(
        changed,
        "search/index.js",
        "the manifest, standing for its shards"
    );
    assert!(
        !changed
            .iter()
            .any(|path| path.starts_with("search/") && path != "search/index.js"),
        "shards the new generation has not rendered are reported: {changed:?}"
    );
    assert!(changed.len() < everything - shards, "{changed:?}");
}

#[test]
fn a_bad_edit_keeps_the_last_good_generation_and_reports_it() {
    let site = Site::new(SITE);
    let mut session = Session::new(Project::new(site.root()));
    let first = session.update(&Changes::default());
    assert_eq!(first.generation, Some(1));
    site.write(
        "content/domains/wires.md",
        "+++\ntitle = \"Wires\"\n+++\nSee [nowhere](missing.md).\n",
    );
    let update = session.update(&Changes::of(["content/domains/wires.md"]));
    assert_eq!(update.generation, None);
    assert!(
        update
            .diagnostics
            .iter()
            .any(|d| d.code.name() == "broken-link"),
        "{:#?}",
        update.diagnostics
    );
    let current = session.current().expect("the last good generation");
    assert_eq!(current.number, 1);
    let page = current
        .get("domains/wires/index.html")
        .expect("served")
        .expect("rendered");
    assert_contains!(String::from_utf8_lossy(&page), "lays cables");

    site.write(
        "content/domains/wires.md",
        "+++\ntitle = \"Wires\"\n+++\n## Cables\n\nFixed.\n",
    );
    let update = session.update(&Changes::of(["content/domains/wires.md"]));
    assert_eq!(update.generation, Some(2), "{:#?}", update.diagnostics);
}

#[test]
fn a_broken_template_keeps_the_last_good_generation() {
    let site = Site::new(SITE);
    let mut session = Session::new(Project::new(site.root()));
    session.update(&Changes::default());
    let page = std::fs::read_to_string(
        crate::common::repo_root().join("themes/default/templates/page.html"),
    )
    .expect("template");
    site.write(
        "themes/default/templates/page.html",
        &page.replace("{{ page.title }}", "{{ page.no_such_field }}"),
    );
    let update = session.update(&Changes::of(["themes/default/templates/page.html"]));
    assert_eq!(update.generation, None);
    assert!(
        update
            .diagnostics
            .iter()
            .any(|d| d.code.name() == "template"),
        "{:#?}",
        update.diagnostics
    );
    assert_eq!(session.current().expect("kept").number, 1);
}

#[test]
fn parents_long_lists_and_the_matrix_follow_every_edit() {
    let site = Site::new(SITE);
    let mut session = Session::new(Project::new(site.root()));
    update_and_compare(&mut session, &site, &[]);

    // The Bureau of Wires made part of the Agency of Space: the agency's
    // page now lists the bureau's passages, and the matrix counts them.
    let agencies = std::fs::read_to_string(site.path("content/agencies.toml")).expect("registry");
    site.write(
        "content/agencies.toml",
        &agencies.replace(
            "description = \"Wires.\"",
            "parent = \"space\"\ndescription = \"Wires.\"",
        ),
    );
    let changed = update_and_compare(&mut session, &site, &["content/agencies.toml"]);
    assert_contains!(changed, "agencies/space/index.html");
    assert_contains!(changed, "agencies/index.html");

    // A new passage of the bureau, under a new heading, on a page of its
    // own, and then more passages than a page shows in full.
    let mut wires = String::from(
        "+++\ntitle = \"Wires\"\nweight = 2\nagencies = [\"wires\"]\n+++\n## Cables\n\nThe [Bureau of Wires](agency:wires) lays cables; back to [launch](launch.md).\n\n## Poles\n\nThe [Bureau of Wires](agency:wires) plants poles.\n",
    );
    site.write("content/domains/wires.md", &wires);
    let changed = update_and_compare(&mut session, &site, &["content/domains/wires.md"]);
    assert_contains!(changed, "agencies/space/index.html");
    assert_contains!(changed, "agencies/index.html");
    for i in 1..=24 {
        wires.push_str(&format!(
            "\nPole {i} of the [Bureau of Wires](agency:wires).\n"
        ));
    }
    site.write("content/domains/wires.md", &wires);
    update_and_compare(&mut session, &site, &["content/domains/wires.md"]);
    let space = session
        .current()
        .expect("a generation")
        .outputs()
        .into_iter()
        .find(|o| o.path.as_str() == "agencies/space/index.html")
        .map(|o| String::from_utf8_lossy(&o.bytes).into_owned())
        .expect("the agency's page");
    assert_contains!(space, "more mentions are listed under");

    // A heading renamed: the places of the listed passages follow.
    site.write(
        "content/domains/wires.md",
        &wires.replace("## Poles", "## Masts"),
    );
    update_and_compare(&mut session, &site, &["content/domains/wires.md"]);

    // A page renamed: the matrix's column follows.
    let launch = std::fs::read_to_string(site.path("content/domains/launch.md")).expect("page");
    site.write(
        "content/domains/launch.md",
        &launch.replace("title = \"Launch\"", "title = \"Lift-off\""),
    );
    update_and_compare(&mut session, &site, &["content/domains/launch.md"]);
}
