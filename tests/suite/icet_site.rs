//! The bundled iCET briefing, built end to end: every page, every registry
//! entry, every link and anchor.

use std::collections::BTreeMap;
use std::path::Path;

use crate::common::{
    Run, assert_contains, assert_not_contains, broken_links, dossier, repo_root, snapshot_dir,
};

fn build_into(output: &Path) -> Run {
    Run::of(
        dossier()
            .arg("build")
            .arg("--root")
            .arg(repo_root())
            .arg("--output")
            .arg(output)
            .output()
            .expect("run dossier"),
    )
}

fn built_site() -> (tempfile::TempDir, BTreeMap<String, Vec<u8>>) {
    let dir = tempfile::tempdir().expect("temporary folder");
    let output = dir.path().join("public");
    build_into(&output).expect_code(0);
    let files = snapshot_dir(&output);
    (dir, files)
}

fn text(files: &BTreeMap<String, Vec<u8>>, path: &str) -> String {
    String::from_utf8(
        files
            .get(path)
            .unwrap_or_else(|| panic!("no {path}"))
            .clone(),
    )
    .expect("UTF-8")
}

/// The ids of a registry file, in order.
fn registry_ids(file: &str) -> Vec<String> {
    let text = std::fs::read_to_string(repo_root().join("content").join(file)).expect("registry");
    let table: toml::Table = toml::from_str(&text).expect("valid TOML");
    table.keys().cloned().collect()
}

#[test]
fn the_bundled_site_builds_without_errors_or_warnings() {
    let dir = tempfile::tempdir().expect("temporary folder");
    let run = Run::of(
        dossier()
            .args(["check", "--deny-warnings", "--root"])
            .arg(repo_root())
            .output()
            .expect("run dossier"),
    );
    run.expect_code(0);
    assert_contains!(run.stderr, "checked");
    // The bundled site ships its sources.lock, up to date: a check has
    // nothing to record in it.
    assert!(repo_root().join("sources.lock").is_file());
    assert_not_contains!(run.stderr, "sources.lock:");
    assert!(!dir.path().join("public").exists());
}

#[test]
fn every_domain_agency_topic_and_source_has_its_page() {
    let (_dir, files) = built_site();
    let domains = [
        "innovation-ecosystems",
        "defense",
        "semiconductors",
        "space",
        "stem-talent",
        "telecommunications",
    ];
    for domain in domains {
        assert!(
            files.contains_key(&format!("domains/{domain}/index.html")),
            "{domain}"
        );
    }
    let agencies = registry_ids("agencies.toml");
    let topics = registry_ids("topics.toml");
    assert!(agencies.len() >= 25, "only {} agencies", agencies.len());
    assert!(topics.len() >= 30, "only {} topics", topics.len());
    for id in &agencies {
        assert!(
            files.contains_key(&format!("agencies/{id}/index.html")),
            "agency {id}"
        );
    }
    for id in &topics {
        assert!(
            files.contains_key(&format!("topics/{id}/index.html")),
            "topic {id}"
        );
    }
    for path in [
        "index.html",
        "domains/index.html",
        "agencies/index.html",
        "topics/index.html",
        "sources/index.html",
        "sources/2023-01-31-icet-fact-sheet/index.html",
        "404.html",
        "sitemap.xml",
        "feed.xml",
        "static/style.css",
        "static/search.js",
        "search/index.html",
        "search/index.js",
        "print/index.html",
    ] {
        assert!(files.contains_key(path), "{path}");
    }
    let home = text(&files, "index.html");
    for domain in domains {
        assert_contains!(
            home,
            format!("href=\"domains/{domain}/index.html\""),
            "home lists {domain}"
        );
    }
}

#[test]
fn every_relative_link_and_anchor_resolves() {
    let (_dir, files) = built_site();
    let dir = tempfile::tempdir().expect("temporary folder");
    for (path, bytes) in &files {
        let target = dir.path().join(path);
        std::fs::create_dir_all(target.parent().expect("parent")).expect("folder");
        std::fs::write(target, bytes).expect("write");
    }
    let broken = broken_links(dir.path());
    assert!(broken.is_empty(), "{broken:#?}");
}

#[test]
fn agency_pages_list_mentions_that_lead_to_their_passages() {
    let (_dir, files) = built_site();
    let mention = regex::Regex::new(r##"class="in-context" href="\.\./\.\./([^"#]+)#([^"]+)""##)
        .expect("regex");
    let isro = text(&files, "agencies/isro/index.html");
    let links: Vec<(String, String)> = mention
        .captures_iter(&isro)
        .map(|c| (c[1].to_string(), c[2].to_string()))
        .collect();
    assert!(links.len() >= 4, "ISRO has {} mentions", links.len());
    assert!(
        links
            .iter()
            .any(|(page, _)| page == "domains/space/index.html")
    );
    for (page, anchor) in &links {
        let html = text(&files, page);
        assert_contains!(html, format!("id=\"{anchor}\""), "{page}#{anchor}");
        // The passage linked to really mentions ISRO.
        let at = html.find(&format!("id=\"{anchor}\"")).expect("anchor");
        let end = ["</p>", "</li>", "</tr>"]
            .iter()
            .filter_map(|close| html[at..].find(close))
            .min()
            .map_or(html.len(), |i| at + i);
        assert_contains!(
            html[at..end],
            "agencies/isro/index.html",
            "{page}#{anchor} does not mention ISRO"
        );
    }
    assert_contains!(isro, "<mark>", "the mentions mark the agency's name");
}

#[test]
fn agencies_are_grouped_by_country() {
    let (_dir, files) = built_site();
    let index = text(&files, "agencies/index.html");
    let us = index.find(">United States</h2>").expect("U.S. group");
    let india = index.find(">India</h2>").expect("India group");
    let joint = index.find(">Joint bodies</h2>").expect("joint group");
    assert!(us < india && india < joint);
    // The map at a glance comes first and names them too: the groups after.
    let after = |what: &str| us + index[us..].find(what).expect(what);
    let nasa = after("agencies/nasa/index.html");
    let isro = after("agencies/isro/index.html");
    assert!(us < nasa && nasa < india, "NASA under the United States");
    assert!(india < isro && isro < joint, "ISRO under India");
}

#[test]
fn same_input_gives_byte_identical_output() {
    let (_first_dir, first) = built_site();
    let (_second_dir, second) = built_site();
    assert_eq!(
        first.keys().collect::<Vec<_>>(),
        second.keys().collect::<Vec<_>>()
    );
    for (path, bytes) in &first {
        assert!(second[path] == *bytes, "{path} differs between two builds");
    }
}

#[test]
fn no_page_loads_anything_from_the_network() {
    let (_dir, files) = built_site();
    let tag_source = regex::Regex::new(
        r#"<(?:script|link|img|iframe|source|video|audio)\b[^>]*(?:src|href)="(?:https?:)?//"#,
    )
    .expect("regex");
    for (path, bytes) in files
        .iter()
        .filter(|(p, _)| p.ends_with(".html") || p.ends_with(".css"))
    {
        let text = String::from_utf8_lossy(bytes);
        assert!(
            !tag_source.is_match(&text),
            "{path} loads a remote resource"
        );
        for remote in ["@import", "url(http"] {
            assert_not_contains!(text, remote, "{path} loads a remote resource");
        }
    }
}

#[test]
fn every_passage_of_the_bundled_fact_sheet_is_cited() {
    let run = Run::of(
        dossier()
            .args(["check", "--coverage", "--root"])
            .arg(repo_root())
            .output()
            .expect("run dossier"),
    );
    run.expect_code(0);
    assert!(
        run.stdout
            .starts_with("2023-01-31-icet-fact-sheet (seeds/2023-01-31-icet-fact-sheet.md)\n"),
        "{}",
        run.stdout
    );
    assert_not_contains!(run.stdout, "not cited");
    let figures = regex::Regex::new(r"(?m)^  (\d+) of (\d+) passages cited: 100%$").expect("regex");
    let captures = figures
        .captures(&run.stdout)
        .unwrap_or_else(|| panic!("no 100% line in {}", run.stdout));
    assert_eq!(captures[1], captures[2]);
    assert!(
        captures[1].parse::<usize>().expect("a count") >= 20,
        "{}",
        run.stdout
    );
}

#[test]
fn search_index_is_small_beside_the_html() {
    let (_dir, files) = built_site();
    let html: usize = files
        .iter()
        .filter(|(path, _)| path.ends_with(".html"))
        .map(|(_, bytes)| bytes.len())
        .sum();
    let index: Vec<(&String, usize)> = files
        .iter()
        .filter(|(path, _)| path.starts_with("search/") && path.ends_with(".js"))
        .map(|(path, bytes)| (path, bytes.len()))
        .collect();
    let total: usize = index.iter().map(|(_, len)| len).sum();
    assert!(index.len() > 3, "the index is not in shards: {index:?}");
    assert!(
        total < 60_000,
        "the search index is {total} bytes in all: {index:?}"
    );
    assert!(
        total * 8 < html,
        "the search index is {total} bytes beside {html} bytes of HTML"
    );
}

#[test]
fn the_print_page_holds_every_page_in_reading_order() {
    let (_dir, files) = built_site();
    let print = text(&files, "print/index.html");
    let chapters: Vec<&str> = print
        .match_indices("<section class=\"print-chapter")
        .map(|(at, _)| {
            let id = &print[at..];
            let start = id.find(" id=\"").expect("an id") + 5;
            let end = start + id[start..].find('"').expect("the id ends");
            &id[start..end]
        })
        .collect();
    assert_eq!(
        chapters,
        [
            "home",
            "domains",
            "domains-innovation-ecosystems",
            "domains-defense",
            "domains-semiconductors",
            "domains-space",
            "domains-stem-talent",
            "domains-telecommunications",
            "agencies",
            "topics",
        ]
    );
    for id in registry_ids("agencies.toml") {
        assert_contains!(print, format!("<li id=\"agencies-{id}\">"), "{id}");
    }
    // Every anchor of every page, prefixed, is there once.
    let ids: Vec<&str> = regex::Regex::new(r#"\sid="([^"]*)""#)
        .expect("regex")
        .captures_iter(&print)
        .map(|c| c.get(1).expect("id").as_str())
        .collect();
    let unique: std::collections::BTreeSet<&str> = ids.iter().copied().collect();
    assert_eq!(
        ids.len(),
        unique.len(),
        "an id is repeated on the print page"
    );
    assert_contains!(ids, "domains-space--visits-p1");
    // Links between printed pages lead to their place on the print page
    // (the site's navigation, outside `main`, still leads to the pages).
    let main = &print[print.find("<main").expect("main")..print.find("</main>").expect("main")];
    assert_contains!(
        main,
        "href=\"#domains-stem-talent--a-joint-university-task-force\""
    );
    assert_not_contains!(main, "href=\"../domains/");
    assert_not_contains!(main, "href=\"../agencies/");
}
