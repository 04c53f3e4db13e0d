//! The pages of agencies and topics as a reader meets them: an entry within
//! another, the heading each mention sits under, long lists cut to the
//! first passages in full, the agencies index with its map at a glance,
//! and the home page's figures.

use crate::common::{Site, assert_contains, assert_not_contains, broken_links};

const SITE: &str = r#"
-- site.toml --
title = "Entries"
language = "en"
[countries]
US = "United States"
joint = "Joint bodies"
-- content/_index.md --
+++
title = "Home"
sources = ["sheet"]
+++
The [Space Agency](agency:space) opens. ([source](source:sheet#space-p1))
-- content/domains/_index.md --
+++
title = "Domains"
+++
-- content/domains/launch.md --
+++
title = "Launch"
weight = 1
+++
## Training

Astronauts train at the [Training Center](agency:center).

Both the [Space Agency](agency:space) and its [Training Center](agency:center) agree.

## Joint work

The [Joint Group](agency:group) meets on [rockets](topic:rockets).
-- content/domains/orbit.md --
+++
title = "Orbit"
weight = 2
+++
## Orbit

The [Space Agency](agency:space) flies.
-- content/agencies.toml --
[space]
name = "Space Agency"
short = "SA"
country = "US"
kind = "government"
description = "The space agency."

[center]
name = "Training Center"
country = "US"
kind = "government"
parent = "space"
description = "A center of the space agency."

[group]
name = "Joint Group"
country = "joint"
kind = "joint"
description = "A joint body."

[idle]
name = "Idle Office"
country = "US"
kind = "government"
description = "Mentioned nowhere."
-- content/topics.toml --
[rockets]
name = "Rockets"
description = "Rockets."
-- seeds/sheet.md --
---
title: Sheet
date: 2023-01-31
---
**Space**

- One.
- Two.
    - Two and a half.
"#;

fn built(archive: &str) -> Site {
    let site = Site::new(archive);
    site.run(&["build"]).expect_code(0);
    site
}

#[test]
fn a_parents_page_lists_its_childs_mentions_marked_with_the_childs_name() {
    let site = built(SITE);
    let space = site.public("agencies/space/index.html");
    assert_contains!(space, "<h2 id=\"within\">Within SA</h2>");
    assert_contains!(
        space,
        "<a href=\"../../agencies/center/index.html\">Training Center</a>"
    );
    // The child's own passage, marked with its name, and the passage that
    // names both listed once.
    assert_contains!(
        space,
        "Astronauts train at the <mark>Training Center</mark>."
    );
    assert_contains!(space, "title=\"Training Center\">Training Center</a></p>");
    assert_eq!(space.matches("agree.</blockquote>").count(), 1, "{space}");
    assert_contains!(space, "4 mentions on 3 pages");
    let center = site.public("agencies/center/index.html");
    assert_contains!(
        center,
        "<p class=\"part-of\">Part of <a href=\"../../agencies/space/index.html\">Space Agency</a></p>"
    );
    assert_not_contains!(center, "The <mark>Space Agency</mark> flies.");
}

#[test]
fn each_mention_shows_its_heading_and_its_link_names_page_and_heading() {
    let site = built(SITE);
    let space = site.public("agencies/space/index.html");
    assert_contains!(space, "<span class=\"mention-heading\">Training</span>");
    assert_contains!(
        space,
        "aria-label=\"Read in context: Launch › Training\">Read in context</a>"
    );
    assert_contains!(
        space,
        "aria-label=\"Read in context: Launch › Training (2)\">Read in context</a>"
    );
    assert_contains!(space, "aria-label=\"Read in context: Home\">");
}

#[test]
fn a_long_list_shows_the_first_passages_in_full_and_the_rest_by_page_and_heading() {
    let mut archive = SITE.to_string();
    archive.push_str(
        "-- content/domains/many.md --\n+++\ntitle = \"Many\"\nweight = 3\n+++\n## Busy\n\n",
    );
    for i in 1..=25 {
        archive.push_str(&format!(
            "Passage {i} of the [Space Agency](agency:space).\n\n"
        ));
    }
    let site = built(&archive);
    let space = site.public("agencies/space/index.html");
    assert_contains!(space, "29 mentions on 4 pages");
    // Home, Launch (2) and Orbit come first: 16 of Many in full.
    assert_contains!(
        space,
        "Passage 16 of the <mark>Space Agency</mark>.</blockquote>"
    );
    assert_not_contains!(space, "Passage 17 of the");
    assert_contains!(
        space,
        "<p class=\"meta\" id=\"more-mentions\">9 more mentions are listed under <a href=\"#pages\">Pages</a>, by page and heading.</p>"
    );
    // The list of pages links every passage of each, by heading; the
    // group of Many's passages shown in full holds the page's anchor.
    assert_eq!(
        space.matches("id=\"in-domains-many\"").count(),
        1,
        "{space}"
    );
    assert_contains!(
        space,
        "<section class=\"mention-group\" id=\"in-domains-many\">"
    );
    assert_contains!(
        space,
        "<li><a href=\"../../domains/many/index.html\">Many</a>: <a href=\"../../domains/many/index.html#busy-p1\">Busy</a> · <a href=\"../../domains/many/index.html#busy-p2\">Busy (2)</a>"
    );
    assert_contains!(space, "#busy-p25\">Busy (25)</a></li>");
    // A page past the passages in full holds its anchor in the list.
    archive.push_str(
        "-- content/domains/later.md --\n+++\ntitle = \"Later\"\nweight = 4\n+++\nThe [Space Agency](agency:space) again.\n",
    );
    let site = built(&archive);
    let space = site.public("agencies/space/index.html");
    assert_contains!(
        space,
        "<li id=\"in-domains-later\"><a href=\"../../domains/later/index.html\">Later</a>: <a href=\"../../domains/later/index.html#p1\">Opening</a></li>"
    );
    // A page that names it in its front matter only is listed apart.
    archive.push_str(
        "-- content/domains/named.md --\n+++\ntitle = \"Named\"\nweight = 5\nagencies = [\"space\"]\n+++\nNo mention here.\n",
    );
    let site = built(&archive);
    let space = site.public("agencies/space/index.html");
    let named = space
        .split("Named in their front matter, not in their text:</p>")
        .nth(1)
        .and_then(|rest| rest.split("</ul>").next())
        .unwrap_or_else(|| panic!("no list of pages named only: {space}"));
    assert_contains!(
        named,
        "<a href=\"../../domains/named/index.html\">Named</a>"
    );
    assert_not_contains!(named, "Later");
    assert_contains!(space, "30 mentions on 6 pages");
    let broken = broken_links(&site.path("public"));
    assert!(broken.is_empty(), "{broken:#?}");
}

#[test]
fn the_agencies_index_has_the_matrix_jump_links_and_each_heading_once() {
    let site = built(SITE);
    let index = site.public("agencies/index.html");
    assert_contains!(index, "<nav class=\"jump-links\" aria-label=\"Countries\">");
    assert_contains!(index, "<li><a href=\"#us\">United States</a></li>");
    // The country and the kind of the joint body share their name.
    assert_eq!(index.matches(">Joint bodies</h").count(), 1, "{index}");
    assert_contains!(
        index,
        "<caption id=\"matrix-caption\">Passages that mention each agency, by page</caption>"
    );
    assert_contains!(
        index,
        "the 1 agency mentioned on none of them is left out.</p>"
    );
    assert_contains!(
        index,
        "<th scope=\"col\"><a href=\"../domains/launch/index.html\">Launch</a></th>"
    );
    assert_contains!(
        index,
        "<th scope=\"rowgroup\" colspan=\"3\">United States</th>"
    );
    assert_contains!(
        index,
        "<th scope=\"row\"><a href=\"../agencies/space/index.html\" title=\"Space Agency\">SA</a></th>"
    );
    // Space Agency: two passages on Launch (its own and its center's),
    // one on Orbit; the home page is no column.
    assert_contains!(
        index,
        "<td class=\"level-2\"><a href=\"../agencies/space/index.html#in-domains-launch\" aria-label=\"2 passages on Launch mention SA\">2</a></td>"
    );
    assert_contains!(
        index,
        "<a href=\"../agencies/space/index.html#in-domains-orbit\" aria-label=\"1 passage on Orbit mentions SA\">1</a>"
    );
    assert_not_contains!(index, "title=\"Idle Office\">");
    let broken = broken_links(&site.path("public"));
    assert!(broken.is_empty(), "{broken:#?}");
    let space = site.public("agencies/space/index.html");
    assert_contains!(space, "id=\"in-domains-launch\"");
    assert_contains!(space, "id=\"in-domains-orbit\"");
}

#[test]
fn the_print_page_has_the_matrix_leading_to_the_first_passages() {
    let site = built(SITE);
    let print = site.public("print/index.html");
    assert_contains!(print, "<caption id=\"matrix-caption\">");
    assert_contains!(
        print,
        "<a href=\"#domains-launch--training-p1\" aria-label=\"2 passages on Launch mention SA\">2</a>"
    );
    assert_contains!(print, "id=\"domains-launch--training-p1\"");
}

#[test]
fn the_home_page_counts_the_bulleted_items_of_the_sources_and_pluralises() {
    let site = built(SITE);
    let home = site.public("index.html");
    assert_contains!(home, "<strong>3</strong> commitments in the source</a>");
    assert_contains!(home, "<strong>4</strong> agencies");
    assert_contains!(home, "<strong>1</strong> topic</a>");
    let index = site.public("agencies/index.html");
    assert_contains!(index, "<span class=\"count\">1 mention</span>");
}
