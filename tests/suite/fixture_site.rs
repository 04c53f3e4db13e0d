//! A small fixture site, built end to end, with snapshots of representative
//! pages and the behaviours a reader relies on.

use std::collections::BTreeMap;

use dossier::render::search::numbers;

use crate::common::{Site, assert_contains, assert_not_contains, broken_links};

const SITE: &str = r#"
-- site.toml --
title = "Fixture briefing"
description = "A small site for tests."
language = "en"
theme = "default"
[countries]
US = "United States"
IN = "India"
-- content/_index.md --
+++
title = "Fixture briefing"
summary = "The home page."
+++
The [Agency of Space](agency:space-agency) works on [quantum](topic:quantum).

## Next steps

See [the launch page](domains/launch.md#the-launch).
-- content/domains/_index.md --
+++
title = "Domains"
summary = "Every domain."
+++
Two domains.
-- content/domains/launch.md --
+++
title = "Launch"
summary = "How it started."
weight = 1
date = 2023-01-31
agencies = ["space-agency"]
topics = ["quantum"]
sources = ["note"]
+++
Opening words on [quantum](topic:quantum).

## The launch

- The [Agency of Space](agency:space-agency) and the [Bureau of Wires](agency:wires) agreed.
- Nothing else.

| Field | Lead |
|---|---|
| [Quantum](topic:quantum) | [Agency of Space](agency:space-agency) |

```rust
fn main() { println!("<b>"); }
```

```klingon
<not highlighted>
```

Cited in [the note](source:note#the-part-p1).[^1]

[^1]: A footnote.
-- content/domains/wires.md --
+++
title = "Wires"
weight = 2
agencies = ["wires"]
+++
The [Bureau of Wires](agency:wires) and [5G](topic:five-g); back to [launch](launch.md).
-- content/agencies.toml --
[space-agency]
name = "Agency of Space"
short = "AoS"
country = "US"
kind = "government"
description = "The space agency."

[wires]
name = "Bureau of Wires"
country = "IN"
kind = "government"
aliases = ["Wire Bureau"]
description = "The telecom bureau."
-- content/topics.toml --
[quantum]
name = "Quantum"
description = "Quantum technologies."

[five-g]
name = "5G"
description = "Fifth-generation wireless."
-- seeds/note.md --
---
title: A note
date: '2023-01-31'
---
Preamble.

**The part**

- First point.
"#;

fn built() -> Site {
    let site = Site::new(SITE);
    site.run(&["build"]).expect_code(0);
    site
}

#[test]
fn pages_render_annotations_anchors_tables_code_and_footnotes() {
    let site = built();
    let page = site.public("domains/launch/index.html");
    let body = between(&page, "<div class=\"prose\">", "</div>\n  </div>");
    insta::assert_snapshot!("launch_body", without_highlighting(body));
}

/// `body` with the inside of its Rust block replaced by a marker, so that
/// the snapshot shows dossier's markup and not syntect's. Fails the test
/// unless the block was highlighted and its text, tags taken out, is the
/// code as written, escaped.
fn without_highlighting(body: &str) -> String {
    let open = "<pre class=\"code\" data-lang=\"rust\"><code>";
    let code = &between(body, open, "</code></pre>")[open.len()..];
    assert_contains!(
        code,
        "<span class=\"hl-",
        "the Rust block is not highlighted"
    );
    let text = regex::Regex::new("<[^>]*>")
        .expect("regex")
        .replace_all(code, "");
    assert_eq!(text, "fn main() { println!(&quot;&lt;b&gt;&quot;); }\n");
    body.replacen(code, "[the code, highlighted by syntect]", 1)
}

#[test]
fn agency_pages_list_their_mentions_and_domains() {
    let site = built();
    let page = site.public("agencies/space-agency/index.html");
    let body = between(&page, "<article class=\"term\">", "</article>");
    insta::assert_snapshot!("space_agency", body);
}

#[test]
fn sections_and_nested_sections_get_index_pages() {
    let site = Site::new(&format!(
        "{SITE}\n-- content/domains/deep/more/page.md --\n+++\ntitle = \"Deep\"\nagencies = [\"wires\"]\n+++\nDeep text by the [Bureau of Wires](agency:wires).\n"
    ));
    site.run(&["build"]).expect_code(0);
    let section = site.public("domains/index.html");
    assert_contains!(section, "href=\"../domains/launch/index.html\"");
    assert_contains!(section, "href=\"../domains/deep/index.html\"");
    let deep = site.public("domains/deep/more/page/index.html");
    assert_contains!(
        deep,
        "href=\"../../../../domains/deep/more/index.html\"",
        "breadcrumbs"
    );
    site.public("domains/deep/index.html");
    site.public("domains/deep/more/index.html");
    assert!(
        broken_links(&site.path("public")).is_empty(),
        "{:#?}",
        broken_links(&site.path("public"))
    );
}

#[test]
fn every_link_of_the_fixture_resolves() {
    let site = built();
    let broken = broken_links(&site.path("public"));
    assert!(broken.is_empty(), "{broken:#?}");
}

#[test]
fn pages_link_back_to_the_pages_that_link_to_them() {
    let site = built();
    let launch = site.public("domains/launch/index.html");
    let referenced = between(&launch, "<h2>Referenced by</h2>", "</section>");
    assert_contains!(referenced, "../../index.html");
    assert_contains!(referenced, "../../domains/wires/index.html");
    assert_contains!(
        launch,
        "rel=\"next\" href=\"../../domains/wires/index.html\""
    );
}

#[test]
fn source_passages_have_anchors_and_link_to_the_passages_citing_them() {
    let site = built();
    let note = site.public("sources/note/index.html");
    assert_contains!(note, "<h2 id=\"the-part\">");
    assert_contains!(
        note,
        "<li id=\"the-part-p1\">First point. <span class=\"cited-by\"><span class=\"cited-by-label\">Cited by</span> <a href=\"../../domains/launch/index.html\">Launch</a>: <a href=\"../../domains/launch/index.html#the-launch-p5\">The launch</a></span>\n</li>"
    );
}

#[test]
fn sitemap_and_feed_list_the_pages() {
    let site = built();
    let sitemap = site.public("sitemap.xml");
    assert_contains!(
        sitemap,
        "<loc>domains/launch/index.html</loc><lastmod>2023-01-31</lastmod>"
    );
    let feed = site.public("feed.xml");
    assert_contains!(feed, "<title>Launch</title>");
    assert_contains!(feed, "<updated>2023-01-31T00:00:00Z</updated>");
    assert_contains!(feed, "<id>urn:uuid:");

    site.write(
        "site.toml",
        "title = \"Fixture briefing\"\nbase_url = \"https://example.org/briefing\"\n",
    );
    site.run(&["build"]).expect_code(0);
    let sitemap = site.public("sitemap.xml");
    assert_contains!(
        sitemap,
        "<loc>https://example.org/briefing/domains/launch/index.html</loc>"
    );
    let feed = site.public("feed.xml");
    assert_contains!(
        feed,
        "<id>https://example.org/briefing/domains/launch/index.html</id>"
    );
    // Pages stay relative whatever the base address, and name their
    // address for crawlers and link previews.
    let launch = site.public("domains/launch/index.html");
    assert_contains!(launch, "href=\"../../static/style.css\"");
    for meta in [
        "<link rel=\"canonical\" href=\"https://example.org/briefing/domains/launch/index.html\">",
        "<meta property=\"og:title\" content=\"Launch\">",
        "<meta property=\"og:site_name\" content=\"Fixture briefing\">",
        "<meta property=\"og:url\" content=\"https://example.org/briefing/domains/launch/index.html\">",
        "<meta name=\"twitter:card\" content=\"summary\">",
    ] {
        assert_contains!(launch, meta);
    }
    // The 404 page is served at any depth: its links are absolute.
    let not_found = site.public("404.html");
    assert_contains!(
        not_found,
        "href=\"https://example.org/briefing/static/style.css\""
    );
    assert_not_contains!(not_found, "rel=\"canonical\"");
}

#[test]
fn the_404_page_leads_from_the_host_root_without_a_base_url() {
    let site = Site::new(SITE);
    site.run(&["build"]).expect_code(0);
    let not_found = site.public("404.html");
    assert_contains!(not_found, "href=\"/static/style.css\"");
    assert_contains!(not_found, "href=\"/index.html\"");
    assert_not_contains!(not_found, "og:title");
}

#[test]
fn content_text_is_escaped_everywhere() {
    let site = Site::new(&SITE.replace(
        "title = \"Launch\"",
        "title = \"</script><script>alert(1)</script>\"",
    ));
    site.run(&["build"]).expect_code(0);
    for path in [
        "domains/launch/index.html",
        "domains/index.html",
        "index.html",
        "agencies/space-agency/index.html",
        "print/index.html",
        "feed.xml",
    ] {
        let text = site.public(path);
        assert_not_contains!(text, "<script>alert(1)", "{path} runs the title");
        assert_contains!(
            text,
            "&lt;/script&gt;&lt;script&gt;alert(1)",
            "{path} lost the title"
        );
    }
}

/// Every file of the search index (`search/index.js` and its shards), by
/// path.
fn search_files(site: &Site) -> BTreeMap<String, String> {
    crate::common::snapshot_dir(&site.path("public/search"))
        .into_iter()
        .filter(|(path, _)| path.ends_with(".js"))
        .map(|(path, bytes)| (path, String::from_utf8(bytes).expect("UTF-8")))
        .collect()
}

/// The arguments of the registration call `dossierSearch.<function>(...)`
/// that `script` makes, read back as JSON.
fn call(script: &str, function: &str) -> Vec<serde_json::Value> {
    let arguments = script
        .strip_prefix(&format!("dossierSearch.{function}("))
        .and_then(|rest| rest.strip_suffix(");\n"))
        .unwrap_or_else(|| panic!("not a call of {function}: {script}"));
    serde_json::from_str(&format!("[{arguments}]")).expect("JSON")
}

/// Every document of the index, in order, from its docs shards.
fn search_documents(site: &Site) -> Vec<serde_json::Value> {
    let files = search_files(site);
    let mut shards: Vec<(u64, Vec<serde_json::Value>)> = files
        .iter()
        .filter(|(path, _)| path.starts_with("docs/"))
        .map(|(_, script)| {
            let mut arguments = call(script, "docs");
            let docs = arguments.pop().expect("documents");
            let n = arguments[0].as_u64().expect("a shard number");
            (n, docs.as_array().expect("documents").clone())
        })
        .collect();
    shards.sort_by_key(|(n, _)| *n);
    shards.into_iter().flat_map(|(_, docs)| docs).collect()
}

#[test]
fn search_index_script_cannot_be_ended_by_content() {
    let title = "</script><!--<script>alert(1)</script> & \u{2028}\u{2029}";
    let site = Site::new(&SITE.replace(
        "title = \"Launch\"",
        &format!(
                "title = \"{}\"",
                title
                    .replace('\u{2028}', "\\u2028")
                    .replace('\u{2029}', "\\u2029")
            ),
    ));
    site.run(&["build"]).expect_code(0);
    let files = search_files(&site);
    assert!(files.len() > 3, "{:?}", files.keys());
    for (path, script) in &files {
        for forbidden in ["<", ">", "&", "\u{2028}", "\u{2029}"] {
            assert_not_contains!(script, forbidden, "{forbidden:?} in {path}");
        }
    }
    let titles: Vec<String> = search_documents(&site)
        .iter()
        .filter_map(|doc| doc[0].as_str().map(str::to_string))
        .collect();
    assert_contains!(titles, title);
    // The words of the title are in the vocabulary, escaped.
    let vocabulary: String = files
        .iter()
        .filter(|(path, _)| path.starts_with("terms/"))
        .map(|(_, script)| script.as_str())
        .collect();
    assert_contains!(vocabulary, "alert:");
}

#[test]
fn search_index_covers_titles_headings_passages_and_every_name() {
    let site = built();
    let docs = search_documents(&site);
    // Paths leave out the name of a folder's page.
    let doc = |path: &str| {
        docs.iter()
            .position(|d| d[1] == path)
            .unwrap_or_else(|| panic!("no document {path}"))
    };
    let launch = doc("domains/launch/");
    assert_eq!(docs[launch][0], "Launch");
    let wires = doc("agencies/wires/");
    assert_eq!(docs[wires][0], "Bureau of Wires");
    assert_eq!(docs[wires][3], serde_json::json!(["Wire Bureau"]));
    assert_eq!(
        docs[doc("agencies/space-agency/")][3],
        serde_json::json!(["AoS"])
    );
    let passages = docs[launch][4].as_array().expect("passages");
    // The lead of a page is its summary; of an entry, its description.
    assert_eq!(passages[0], serde_json::json!(["", "How it started.", 2]));
    assert_eq!(docs[wires][4][0], serde_json::json!(["", "The telecom bureau.", 2]));
    // The heading, with its anchor and role.
    assert!(passages.contains(&serde_json::json!(["the-launch", "The launch", 1])));
    // The passage that annotates the bureau, with the range of the words
    // that name it and the bureau's document.
    let agreed = passages
        .iter()
        .find(|p| p[1].as_str().is_some_and(|t| t.contains("agreed")))
        .expect("the list item");
    let text = agreed[1].as_str().expect("text");
    let marks = numbers::read(agreed[3].as_str().expect("annotations"));
    let mut end = 0;
    let named: Vec<(String, u64)> = marks
        .chunks(3)
        .map(|m| {
            let start = end + m[0] as usize;
            end = start + m[1] as usize;
            (text[start..end].to_string(), m[2])
        })
        .collect();
    assert!(
        named.contains(&("Bureau of Wires".to_string(), wires as u64)),
        "{named:?}"
    );
    // Source documents are searchable too.
    doc("sources/note/");

    // The vocabulary holds the stems of every name, and the words they
    // were made from: "Wire Bureau" and "Wires" meet at "wire".
    let files = search_files(&site);
    let manifest = call(&files["index.js"], "manifest");
    let keys: Vec<&str> = manifest[0]["terms"]
        .as_array()
        .expect("keys")
        .iter()
        .filter_map(|pair| pair[0].as_str())
        .collect();
    // A vocabulary this small is one shard, whose key is empty.
    assert_eq!(keys, [""]);
    let vocabulary = |key: &str| -> Vec<(String, Vec<String>)> {
        let entries = call(&files[&format!("terms/{key}.js")], "terms");
        entries[1]
            .as_str()
            .expect("entries")
            .split(' ')
            .map(|entry| {
                let mut fields = entry.split(':');
                let stem = fields.next().unwrap_or_default().to_string();
                let _counts = fields.next();
                let words = match fields.next() {
                    None => vec![stem.clone()],
                    Some(words) => words
                        .split(',')
                        .map(|w| match w.strip_prefix('~') {
                            Some(rest) => format!("{stem}{rest}"),
                            None => w.to_string(),
                        })
                        .collect(),
                };
                (stem, words)
            })
            .collect()
    };
    let w = vocabulary("_");
    assert!(
        w.contains(&("wire".to_string(), vec!["wire".to_string(), "wires".to_string()])),
        "{w:?}"
    );
    // The id of an entry finds it: the topic `five-g` is called "5G".
    assert!(w.iter().any(|(stem, _)| stem == "five"));
}

#[test]
fn print_page_links_lead_within_it_or_out_of_print() {
    let site = built();
    let print = site.public("print/index.html");
    assert_contains!(print, "<h3 id=\"domains-launch--the-launch\">");
    // From the home page, `domains/launch.md#the-launch`.
    assert_contains!(print, "href=\"#domains-launch--the-launch\"");
    // Agency pages are in the index at the back.
    assert_contains!(print, "<li id=\"agencies-wires\">");
    assert_contains!(print, "href=\"#agencies-wires\"");
    // Sources are not on the print page: their links lead from print/.
    assert_contains!(print, "href=\"../sources/note/index.html#the-part-p1\"");
    assert!(broken_links(&site.path("public")).is_empty());
}

/// The text between the first `start` and the next `end` after it.
fn between<'a>(text: &'a str, start: &str, end: &str) -> &'a str {
    let from = text
        .find(start)
        .unwrap_or_else(|| panic!("no {start:?} in {text}"));
    let to = text[from..].find(end).map_or(text.len(), |i| from + i);
    &text[from..to]
}

#[test]
fn the_print_page_can_be_left_out() {
    let site = Site::new(&SITE.replace(
        "theme = \"default\"",
        "theme = \"default\"\nprint_page = false",
    ));
    site.run(&["build"]).expect_code(0);
    assert!(!site.path("public/print/index.html").exists());
    assert_not_contains!(site.public("index.html"), "print/index.html");
    assert!(broken_links(&site.path("public")).is_empty());
}
