//! Related pages: the pages that share the most agencies and topics with a
//! page, ties in reading order; an agency or topic on many pages offers
//! only the pages nearest to it in reading order.

use crate::common::Site;

const SETTINGS: &str = r#"
-- site.toml --
title = "Related pages"
description = "A site for tests of related pages."
language = "en"
theme = "default"
print_page = false
-- content/agencies.toml --
[common]
name = "Common Agency"
country = "US"
kind = "government"
description = "On every page."

[rare]
name = "Rare Agency"
country = "IN"
kind = "government"
description = "On two pages."

[other]
name = "Other Agency"
country = "IN"
kind = "government"
description = "On a few pages."
-- content/topics.toml --
[space]
name = "Space"
description = "On a few pages."
"#;

/// A page of the section `s/`, weighted `weight`, with these agencies and
/// topics in its front matter.
fn page(weight: usize, agencies: &[&str], topics: &[&str]) -> String {
    let list = |ids: &[&str]| {
        ids.iter()
            .map(|id| format!("\"{id}\""))
            .collect::<Vec<_>>()
            .join(", ")
    };
    format!(
        "-- content/s/p{weight:03}.md --\n+++\ntitle = \"Page {weight}\"\nweight = {weight}\nagencies = [{}]\ntopics = [{}]\n+++\nText of page {weight}.\n",
        list(agencies),
        list(topics)
    )
}

/// The titles a built page lists under "Related", in order.
fn related(site: &Site, weight: usize) -> Vec<String> {
    let html = site.public(&format!("s/p{weight:03}/index.html"));
    let Some(start) = html.find("<h2>Related</h2>") else {
        return Vec::new();
    };
    let list = &html[start..];
    let end = list.find("</ul>").expect("the related list ends");
    list[..end]
        .split("<li>")
        .skip(1)
        .filter_map(|item| {
            let title = &item[item.find("\">")? + 2..];
            Some(title[..title.find("</a>")?].to_string())
        })
        .collect()
}

#[test]
fn related_pages_share_the_most_entries_ties_in_reading_order() {
    let mut archive = SETTINGS.to_string();
    archive.push_str(&page(1, &["common", "other"], &["space"]));
    archive.push_str(&page(2, &["common"], &[]));
    archive.push_str(&page(3, &["common", "other"], &[]));
    archive.push_str(&page(4, &["common", "other"], &["space"]));
    archive.push_str(&page(5, &["rare"], &[]));
    let site = Site::new(&archive);
    site.run(&["build"]).expect_code(0);

    // Page 4 shares three entries with page 1, two with page 3, one with 2.
    assert_eq!(related(&site, 4), ["Page 1", "Page 3", "Page 2"]);
    // Page 2 shares one entry with each: the first in reading order win.
    assert_eq!(related(&site, 2), ["Page 1", "Page 3", "Page 4"]);
    // Page 5 shares nothing with any page.
    assert_eq!(related(&site, 5), Vec::<String>::new());
}

#[test]
fn a_common_entry_offers_the_pages_nearest_in_reading_order() {
    // 100 pages with the common agency; pages 5 and 90 also share the rare
    // one, which makes them each other's most related page however far
    // apart they are.
    let mut archive = SETTINGS.to_string();
    for weight in 1..=100 {
        let agencies: &[&str] = if weight == 5 || weight == 90 {
            &["common", "rare"]
        } else {
            &["common"]
        };
        archive.push_str(&page(weight, agencies, &[]));
    }
    let site = Site::new(&archive);
    site.run(&["build"]).expect_code(0);

    assert_eq!(related(&site, 1), ["Page 2", "Page 3", "Page 4"]);
    // Page 80 is 79th in the common agency's pages: the candidates through
    // it are the 32 pages on either side, from page 48 on.
    assert_eq!(related(&site, 80), ["Page 48", "Page 49", "Page 50"]);
    assert_eq!(related(&site, 90), ["Page 5", "Page 58", "Page 59"]);
    assert_eq!(related(&site, 5), ["Page 90", "Page 1", "Page 2"]);
}
