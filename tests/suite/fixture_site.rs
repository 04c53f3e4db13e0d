//! A small fixture site, built end to end, with snapshots of representative
//! pages and the behaviours a reader relies on.

use dossier::render::search::numbers;

use crate::common::search::{call, search_documents, search_files};
use crate::common::{Site, assert_contains, assert_not_contains, broken_links, snapshot_dir};

pub(crate) const SITE: &str = r#"
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
    // The lead (before the first heading) is written apart from the rest.
    let lead = between(
        &page,
        "<div class=\"prose page-lead\">",
        "\n    </div>\n    <aside",
    );
    let body = between(&page, "<div class=\"prose page-body\">", "</div>\n  </div>");
    insta::assert_snapshot!(
        "launch_body",
        without_highlighting(&format!("{lead}\n{body}"))
    );
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
    assert_eq!(text, "fn main() { println!(\"&lt;b&gt;\"); }\n");
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
    assert_eq!(
        docs[wires][4][0],
        serde_json::json!(["", "The telecom bureau.", 2])
    );
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
        w.contains(&(
            "wire".to_string(),
            vec!["wire".to_string(), "wires".to_string()]
        )),
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

/// Drafts for [`SITE`]: a page of a published section, a whole section of
/// drafts, and the `_index.md` of a section whose page is published. Their
/// titles, summaries and text hold words no other file has.
const DRAFTS: &str = r#"
-- content/domains/zz-plans.md --
+++
title = "Quillwort plans"
summary = "Marigoldfinch summary."
weight = 3
draft = true
date = 2024-06-17
agencies = ["space-agency", "wires"]
topics = ["quantum", "five-g"]
sources = ["note"]
+++
The [Agency of Space](agency:space-agency) drafts Quillwort notes on [quantum](topic:quantum). ([source](source:note#p1))

## Quillwort heading

The [Bureau of Wires](agency:wires) and [5G](topic:five-g), see [launch](launch.md#the-launch).
-- content/ideas/_index.md --
+++
title = "Hornbeam ideas"
draft = true
+++
Hornbeam text.
-- content/ideas/idea.md --
+++
title = "Larkspur idea"
draft = true
agencies = ["wires"]
+++
The [Bureau of Wires](agency:wires) has a Larkspur idea.
-- content/notes/_index.md --
+++
title = "Tamarind notes"
summary = "Tamarind summary."
draft = true
+++
Tamarind text.
"#;

/// Words that only the drafts of [`DRAFTS`] hold.
const DRAFT_WORDS: &[&str] = &[
    "Quillwort",
    "Marigoldfinch",
    "Hornbeam",
    "Larkspur",
    "Tamarind",
    "zz-plans",
    "ideas/",
];

/// A published page beside the draft `_index.md` of its section.
const NOTES: &str = r#"
-- content/notes/open.md --
+++
title = "Open notes"
agencies = ["wires"]
+++
The [Bureau of Wires](agency:wires) keeps notes.
"#;

#[test]
fn drafts_never_reach_a_built_site() {
    let site = Site::new(&format!("{SITE}{DRAFTS}{NOTES}"));
    let run = site.run(&["build"]);
    run.expect_code(0);
    assert!(
        run.stderr
            .contains("; 4 drafts left out (--drafts takes them in)"),
        "{}",
        run.stderr
    );
    let public = snapshot_dir(&site.path("public"));
    for (path, bytes) in &public {
        let text = String::from_utf8_lossy(bytes);
        for word in DRAFT_WORDS {
            assert!(!text.contains(word), "{path} holds `{word}` of a draft");
            assert!(!path.contains(word), "{path} is a draft's file");
        }
    }
    // Nothing of them is left anywhere: the site is the one built without
    // their files, byte for byte (the section of a draft `_index.md` is
    // published as a section without one).
    let without = Site::new(&format!("{SITE}{NOTES}"));
    without.run(&["build"]).expect_code(0);
    assert_eq!(public, snapshot_dir(&without.path("public")));
    // The passage only a draft cites is not cited.
    let coverage = site.run(&["check", "--coverage", "--format", "json"]);
    coverage.expect_code(0);
    let passages = &coverage.json()[0]["coverage"]["passages"];
    assert_eq!(passages[0]["id"], "p1");
    assert_eq!(passages[0]["cited_by"], 0);
}

#[test]
fn build_drafts_publishes_a_preview_with_each_draft_marked() {
    let site = Site::new(&format!("{SITE}{DRAFTS}{NOTES}"));
    site.run(&["build", "--drafts"]).expect_code(0);
    let page = site.public("domains/zz-plans/index.html");
    assert!(
        page.contains("<article class=\"page draft\">\n  <p class=\"draft-banner\" role=\"note\"><strong>Draft:</strong> not published by <code>dossier build</code></p>"),
        "{page}"
    );
    let notes = site.public("notes/index.html");
    assert!(
        notes.contains("<article class=\"section draft\">"),
        "{notes}"
    );
    assert!(notes.contains("Tamarind text."), "{notes}");
    let section = site.public("domains/index.html");
    assert!(
        section.contains("Quillwort plans</a> <span class=\"draft-badge\">Draft</span>"),
        "{section}"
    );
    // A published page is not marked; the draft that links to it is, in
    // its "Referenced by".
    let launch = site.public("domains/launch/index.html");
    assert!(launch.contains("<article class=\"page\">"), "{launch}");
    assert!(!launch.contains("draft-banner"), "{launch}");
    assert!(
        launch.contains("Quillwort plans</a> <span class=\"draft-badge\">Draft</span></li>"),
        "{launch}"
    );
    assert!(site.public("ideas/idea/index.html").contains("Larkspur"));
    assert!(broken_links(&site.path("public")).is_empty());
}

#[test]
fn feed_limit_keeps_the_pages_changed_last() {
    let site = built();
    let entries = |feed: &str| -> Vec<String> {
        feed.split("<entry>")
            .skip(1)
            .filter_map(|entry| entry.split_once("</entry>"))
            .map(|(entry, _)| entry.to_string())
            .collect()
    };
    let updated = |feed: &str| -> Option<String> {
        let (_, rest) = feed.split_once("<updated>")?;
        Some(rest.split_once("</updated>")?.0.to_string())
    };
    let full = site.public("feed.xml");
    let every = entries(&full);
    assert_eq!(every.len(), 2, "{every:#?}");
    let text = std::fs::read_to_string(site.path("site.toml")).expect("site.toml");
    site.write("site.toml", &format!("feed_limit = 1\n{text}"));
    site.run(&["build"]).expect_code(0);
    let feed = site.public("feed.xml");
    assert_eq!(entries(&feed), every[..1]);
    // The feed is as new as the site, whatever it lists.
    assert!(updated(&full).is_some());
    assert_eq!(updated(&feed), updated(&full));
}

#[test]
fn a_sitemap_too_long_for_one_file_is_an_index_of_its_parts() {
    // The home page, the four indexes (agencies, topics, sources, coverage)
    // and 49,996 pages: 50,001 addresses, one more than a sitemap file may
    // list.
    let site =
        Site::new("-- site.toml --\ntitle = \"Many pages\"\nbase_url = \"https://example.org/\"\n");
    for n in 0..49_996 {
        site.write(
            &format!("content/p{n:05}.md"),
            &format!(
                "+++\ntitle = \"Page {n}\"\ndate = 2024-01-{:02}\n+++\nText.\n",
                n % 28 + 1
            ),
        );
    }
    site.run(&["build"]).expect_code(0);
    let index = site.public("sitemap.xml");
    assert_contains!(
        index,
        "<sitemapindex xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">"
    );
    assert_contains!(
        index,
        "<sitemap><loc>https://example.org/sitemap-1.xml</loc><lastmod>2024-01-28</lastmod></sitemap>"
    );
    // The last address, `topics/index.html`, has no date.
    assert_contains!(
        index,
        "<sitemap><loc>https://example.org/sitemap-2.xml</loc></sitemap>"
    );
    assert_not_contains!(index, "sitemap-3.xml");
    assert_not_contains!(index, "<url>");
    let addresses = |part: &str| -> Vec<String> {
        site.public(part)
            .split("<loc>")
            .skip(1)
            .filter_map(|rest| rest.split_once("</loc>"))
            .map(|(address, _)| address.to_string())
            .collect()
    };
    let first = addresses("sitemap-1.xml");
    let second = addresses("sitemap-2.xml");
    assert_eq!((first.len(), second.len()), (50_000, 1));
    assert_eq!(second, ["https://example.org/topics/index.html"]);
    // Every address once, in order, across the parts.
    let every = [first, second].concat();
    assert!(every.windows(2).all(|pair| pair[0] < pair[1]));
    for address in [
        "index.html",
        "p00000/index.html",
        "p49995/index.html",
        "agencies/index.html",
    ] {
        let address = format!("https://example.org/{address}");
        assert!(every.contains(&address), "{address}");
    }
}

#[test]
fn an_updated_page_says_so_beside_its_date_in_the_feed_and_the_sitemap() {
    let site = Site::new(&SITE.replace(
        "date = 2023-01-31\n",
        "date = 2023-01-31\nupdated = 2024-06-17\n",
    ));
    site.run(&["build"]).expect_code(0);
    let page = site.public("domains/launch/index.html");
    assert!(
        page.contains("<p class=\"meta\"><time datetime=\"2023-01-31\">31 January 2023</time> · <span class=\"updated\">Updated <time datetime=\"2024-06-17\">17 June 2024</time></span> ·"),
        "{page}"
    );
    let feed = site.public("feed.xml");
    assert!(
        feed.contains("<updated>2024-06-17T00:00:00Z</updated>\n    <published>2023-01-31T00:00:00Z</published>"),
        "{feed}"
    );
    assert_eq!(feed.matches("<published>").count(), 1, "{feed}");
    let sitemap = site.public("sitemap.xml");
    assert!(
        sitemap.contains("<loc>domains/launch/index.html</loc><lastmod>2024-06-17</lastmod>"),
        "{sitemap}"
    );
}

#[test]
fn edit_url_gives_each_page_a_link_to_edit_its_file() {
    let site = Site::new(&SITE.replace(
        "theme = \"default\"",
        "theme = \"default\"\nedit_url = \"https://github.com/org/repo/edit/main/{path}\"",
    ));
    site.write(
        "content/domains/new plans.md",
        "+++\ntitle = \"New plans\"\nagencies = [\"wires\"]\n+++\nThe [Bureau of Wires](agency:wires) plans.\n",
    );
    site.run(&["build"]).expect_code(0);
    let edit = |path: &str| {
        format!(
            "<p class=\"edit-link\"><a href=\"https://github.com/org/repo/edit/main/{path}\">Edit this page</a></p>"
        )
    };
    for (file, path) in [
        ("domains/launch/index.html", "content/domains/launch.md"),
        (
            "domains/new-plans/index.html",
            "content/domains/new%20plans.md",
        ),
        ("domains/index.html", "content/domains/_index.md"),
        ("index.html", "content/_index.md"),
    ] {
        let page = site.public(file);
        assert!(page.contains(&edit(path)), "{file}: {page}");
    }
    for file in [
        "agencies/wires/index.html",
        "sources/note/index.html",
        "topics/index.html",
    ] {
        assert!(!site.public(file).contains("Edit this page"), "{file}");
    }
    // Without `edit_url`, no page has the link.
    let plain = built();
    assert!(
        !plain
            .public("domains/launch/index.html")
            .contains("edit-link")
    );
}

#[test]
fn a_project_static_folder_is_published_as_it_is_beside_the_settings_that_name_it() {
    let site = Site::new(SITE);
    let logo = "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 8 8\"/>\n";
    site.write("static/robots.txt", "User-agent: *\nAllow: /\n");
    site.write("static/img/logo.svg", logo);
    site.write_bytes("static/icon.png", &[0x89, b'P', b'N', b'G', 0, 1, 2]);
    let settings = std::fs::read_to_string(site.path("site.toml")).expect("site.toml");
    site.write(
        "site.toml",
        &settings.replace(
            "theme = \"default\"\n",
            "theme = \"default\"\nbase_url = \"https://example.org/fixture/\"\nfavicon = \"icon.png\"\nlogo = \"img/logo.svg\"\naccent = \"#0b6e4f\"\n",
        ),
    );
    site.run(&["build", "--deny-warnings"]).expect_code(0);
    assert_eq!(site.public("robots.txt"), "User-agent: *\nAllow: /\n");
    assert_eq!(site.public("img/logo.svg"), logo);
    assert_eq!(
        std::fs::read(site.path("public/icon.png")).expect("icon"),
        [0x89, b'P', b'N', b'G', 0, 1, 2]
    );
    let page = site.public("domains/launch/index.html");
    assert!(
        page.contains("<link rel=\"icon\" href=\"../../icon.png\">"),
        "{page}"
    );
    assert!(
        page.contains(
            "<img class=\"brand-logo\" src=\"../../img/logo.svg\" alt=\"\">Fixture briefing</a>"
        ),
        "{page}"
    );
    assert!(page.contains("--accent: #0b6e4f;"), "{page}");
    assert!(
        !page.contains("prefers-color-scheme: dark) { :root"),
        "no dark accent set"
    );
    assert!(broken_links(&site.path("public")).is_empty());
    // The theme's favicon is not linked, but still published with the theme.
    assert!(site.path("public/static/favicon.svg").is_file());
    // The marker lists the files, so the next build replaces them freely.
    let marker = site.public(".dossier");
    assert!(
        marker.lines().any(|line| line == "img/logo.svg"),
        "{marker}"
    );
    std::fs::remove_file(site.path("static/robots.txt")).expect("remove");
    site.run(&["build"]).expect_code(0);
    assert!(!site.path("public/robots.txt").exists());
}
