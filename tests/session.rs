//! The in-memory site of `dossier serve`: after any sequence of edits, an
//! incremental update gives exactly the files a full build gives.

mod common;

use common::Site;
use dossier::load::{Changes, Project};
use dossier::pipeline::{self, Options};
use dossier::render::Output;
use dossier::session::Session;

const SITE: &str = r#"
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

/// The files a full build of the project gives.
fn full_build(site: &Site) -> Vec<Output> {
    let outcome = pipeline::build(&Project::new(site.root()), &Options::default());
    assert!(
        !dossier::diagnostics::has_errors(&outcome.diagnostics),
        "{:#?}",
        outcome.diagnostics
    );
    outcome.outputs
}

/// Updates `session` after `changed` and checks it against a full build.
fn update_and_compare(session: &mut Session, site: &Site, changed: &[&str]) -> Vec<String> {
    let update = session.update(&Changes::of(changed.iter().copied()));
    assert!(update.generation.is_some(), "{:#?}", update.diagnostics);
    let generation = session.current().expect("a generation");
    let incremental = generation.outputs();
    let full = full_build(site);
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
    assert!(
        changed.contains(&"domains/wires/index.html".to_string()),
        "{changed:?}"
    );
    assert!(
        changed.contains(&"agencies/wires/index.html".to_string()),
        "{changed:?}"
    );
    assert!(
        !changed.contains(&"agencies/other/index.html".to_string()),
        "{changed:?}"
    );
    assert!(
        !changed.contains(&"topics/quantum/index.html".to_string()),
        "{changed:?}"
    );
    assert!(
        !changed.contains(&"static/style.css".to_string()),
        "{changed:?}"
    );

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

    // A template edit.
    let page =
        std::fs::read_to_string(common::repo_root().join("themes/default/templates/page.html"))
            .expect("template");
    site.write(
        "themes/default/templates/page.html",
        &page.replace("<h1>", "<h1 class=\"edited\">"),
    );
    let changed = update_and_compare(&mut session, &site, &["themes/default/templates/page.html"]);
    assert!(
        changed.contains(&"domains/launch/index.html".to_string()),
        "{changed:?}"
    );
    assert!(
        !changed.contains(&"agencies/index.html".to_string()),
        "{changed:?}"
    );

    // A new page, a deleted page, a new file.
    site.write("content/domains/new.md", "+++\ntitle = \"New\"\nweight = 4\nagencies = [\"wires\"]\n+++\nNew work by the [Bureau of Wires](agency:wires).\n");
    update_and_compare(&mut session, &site, &["content/domains/new.md"]);
    std::fs::remove_file(site.path("content/domains/other.md")).expect("remove");
    let changed = update_and_compare(&mut session, &site, &["content/domains/other.md"]);
    assert!(
        changed.contains(&"domains/other/index.html".to_string()),
        "gone: {changed:?}"
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
    assert!(String::from_utf8_lossy(&page).contains("lays cables"));

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
    let page =
        std::fs::read_to_string(common::repo_root().join("themes/default/templates/page.html"))
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
