//! The corpus as a Hugo site doing the work dossier does: taxonomies
//! `agencies` and `topics` whose term pages carry the registries' names and
//! descriptions, highlighted code with CSS classes, a table of contents on
//! every page, a JSON search index of every page's title, summary and text,
//! and minimal layouts of its own (no theme). Annotations become links to the
//! term pages and page links plain relative links to the pages' permalinks.

use std::io;
use std::path::Path;

use super::model::{self, Target};
use super::write_file;

/// The folders of a site this format writes, removed before writing anew.
pub const GENERATED: &[&str] = &["content", "layouts"];

const CONFIG: &str = r#"baseURL = "https://example.org/"
languageCode = "en"
title = "Synthetic briefing"

[taxonomies]
agency = "agencies"
topic = "topics"

# As dossier: one feed, a sitemap, and the search index beside the home page.
[outputs]
home = ["HTML", "RSS", "JSON"]
section = ["HTML"]
taxonomy = ["HTML"]
term = ["HTML"]

[markup.highlight]
noClasses = false

[markup.tableOfContents]
startLevel = 2
endLevel = 3
"#;

const BASEOF: &str = r#"<!DOCTYPE html>
<html lang="{{ site.LanguageCode }}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{{ if .IsHome }}{{ site.Title }}{{ else }}{{ .Title }} · {{ site.Title }}{{ end }}</title>
</head>
<body>
<header><nav>
<a href="{{ "/" | relURL }}">{{ site.Title }}</a>
{{ range site.Sections }}<a href="{{ .RelPermalink }}">{{ .Title }}</a>
{{ end }}<a href="{{ "agencies/" | relURL }}">Agencies</a>
<a href="{{ "topics/" | relURL }}">Topics</a>
</nav></header>
<main>
{{ block "main" . }}{{ end }}
</main>
</body>
</html>
"#;

const SINGLE: &str = r#"{{ define "main" }}
<article>
<h1>{{ .Title }}</h1>
<p class="summary">{{ .Summary }}</p>
<p><time datetime="{{ .Date.Format "2006-01-02" }}">{{ .Date.Format "January 2, 2006" }}</time> · {{ .WordCount }} words</p>
<ul class="terms">
{{ range .GetTerms "agencies" }}<li><a href="{{ .RelPermalink }}">{{ .LinkTitle }}</a></li>
{{ end }}{{ range .GetTerms "topics" }}<li><a href="{{ .RelPermalink }}">{{ .LinkTitle }}</a></li>
{{ end }}</ul>
<nav class="toc">{{ .TableOfContents }}</nav>
{{ .Content }}
<nav class="pager">
{{ with .PrevInSection }}<a rel="prev" href="{{ .RelPermalink }}">{{ .Title }}</a>{{ end }}
{{ with .NextInSection }}<a rel="next" href="{{ .RelPermalink }}">{{ .Title }}</a>{{ end }}
</nav>
</article>
{{ end }}
"#;

const LIST: &str = r#"{{ define "main" }}
<h1>{{ .Title }}</h1>
{{ .Content }}
<ul>
{{ range .Pages }}<li><a href="{{ .RelPermalink }}">{{ .Title }}</a>: {{ .Summary }}</li>
{{ end }}</ul>
{{ end }}
"#;

const TAXONOMY: &str = r#"{{ define "main" }}
<h1>{{ .Title }}</h1>
<ul>
{{ range .Pages }}<li><a href="{{ .RelPermalink }}">{{ .Title }}</a> ({{ len .Pages }} pages): {{ .Description }}</li>
{{ end }}</ul>
{{ end }}
"#;

const TERM: &str = r#"{{ define "main" }}
<h1>{{ .Title }}</h1>
<p>{{ .Description }}</p>
<ul>
{{ range .Pages }}<li><a href="{{ .RelPermalink }}">{{ .Title }}</a>: {{ .Summary }}</li>
{{ end }}</ul>
{{ end }}
"#;

const HOME: &str = r#"{{ define "main" }}
<h1>{{ .Title }}</h1>
{{ .Content }}
<h2>Sections</h2>
<ul>
{{ range .Sections }}<li><a href="{{ .RelPermalink }}">{{ .Title }}</a> ({{ len .Pages }} pages)</li>
{{ end }}</ul>
<h2>Key agencies</h2>
<ul>
{{ range first 10 site.Taxonomies.agencies.ByCount }}<li><a href="{{ .Page.RelPermalink }}">{{ .Page.Title }}</a> ({{ .Count }} pages)</li>
{{ end }}</ul>
{{ end }}
"#;

const SEARCH_INDEX: &str = r#"[{{ range $i, $page := site.RegularPages }}{{ if $i }},{{ end }}
{{ dict "title" $page.Title "summary" $page.Summary "path" $page.RelPermalink "text" $page.Plain | jsonify }}{{ end }}]
"#;

const NOT_FOUND: &str = r#"{{ define "main" }}
<h1>Page not found</h1>
<p><a href="{{ "/" | relURL }}">Back to the briefing</a></p>
{{ end }}
"#;

/// The layouts, by path under `layouts/`.
const LAYOUTS: &[(&str, &str)] = &[
    ("_default/baseof.html", BASEOF),
    ("_default/single.html", SINGLE),
    ("_default/list.html", LIST),
    ("_default/taxonomy.html", TAXONOMY),
    ("_default/term.html", TERM),
    ("index.html", HOME),
    ("index.json", SEARCH_INDEX),
    ("404.html", NOT_FOUND),
];

/// Writes `hugo.toml`, the layouts, and the registries as the taxonomies'
/// list and term pages.
pub fn write_frame(root: &Path) -> io::Result<()> {
    write_file(&root.join("hugo.toml"), CONFIG)?;
    for (path, text) in LAYOUTS {
        write_file(&root.join("layouts").join(path), text)?;
    }
    let content = root.join("content");
    write_file(
        &content.join("agencies/_index.md"),
        "+++\ntitle = \"Agencies\"\n+++\n",
    )?;
    for agency in model::agencies() {
        write_file(
            &content.join("agencies").join(&agency.id).join("_index.md"),
            &format!(
                "+++\ntitle = \"{}\"\nshort = \"{}\"\ncountry = \"{}\"\nkind = \"{}\"\nother_names = [{}]\ndescription = \"{}\"\n+++\n",
                agency.name,
                agency.short,
                agency.country,
                agency.kind,
                model::toml_strings(&agency.aliases),
                agency.description,
            ),
        )?;
    }
    write_file(
        &content.join("topics/_index.md"),
        "+++\ntitle = \"Topics\"\n+++\n",
    )?;
    for topic in model::topics() {
        write_file(
            &content.join("topics").join(&topic.id).join("_index.md"),
            &format!(
                "+++\ntitle = \"{}\"\nother_names = [{}]\ndescription = \"{}\"\n+++\n",
                topic.name,
                model::toml_strings(&topic.aliases),
                topic.description,
            ),
        )?;
    }
    Ok(())
}

/// A link from page number `from` to `target`, as a relative link to the
/// permalink of a page or term page: every content page is two folders
/// deep (`/section-03/page-00123/`).
pub fn link(_from: usize, target: &Target) -> String {
    match target {
        Target::Agency(i) => format!("../../agencies/{}/", model::agency_id(*i)),
        Target::Topic(i) => format!("../../topics/{}/", model::topic_id(*i)),
        Target::Page { page, anchor } => format!(
            "../../{}/{}/#{anchor}",
            model::section_dir(model::section_of(*page)),
            model::page_stem(*page)
        ),
    }
}
