//! A small site held in memory around one or two pages of arbitrary text,
//! run through the model and render stages, and checked for what must hold
//! whatever the pages say. The fuzz targets (`fuzz/fuzz_targets/`) and the
//! regression tests of what they found (`tests/suite/fuzz_regressions.rs`)
//! share it.
//!
//! The text is read as the load stage reads a file (invalid UTF-8 replaced),
//! split into front matter and body, and resolved against registries, a
//! home page and a source document that give every kind of link something
//! to find.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::sync::{Arc, OnceLock};

use dossier::config;
use dossier::diagnostics::Diagnostic;
use dossier::diagnostics::report::{self, Style};
use dossier::load::{Input, PageSource, Project, front_matter, registry, seed};
use dossier::model;
use dossier::paths::OutputPath;
use dossier::render::{self, Theme};
use dossier::source::{SourceFile, SourceMap};

const SITE_TOML: &str = "title = \"Fuzz\"\nbase_url = \"https://example.org/fuzz/\"\n";

const AGENCIES: &str = "[isro]
name = \"Indian Space Research Organisation\"
short = \"ISRO\"
country = \"IN\"
kind = \"government\"
aliases = [\"Indian Space Research Organization\"]
description = \"India's space agency.\"

[nasa]
name = \"National Aeronautics and Space Administration\"
short = \"NASA\"
country = \"US\"
kind = \"government\"
description = \"The U.S. space agency.\"
";

const TOPICS: &str = "[quantum]
name = \"Quantum\"
aliases = [\"quantum computing\"]
description = \"Quantum technologies.\"
";

const HOME: &str = "+++
title = \"Home\"
agencies = [\"isro\"]
+++
Work by the [ISRO](agency:isro) on [quantum](topic:quantum).

## Plans {#plans}

- See [the page](domains/page.md) and [the other](domains/other.md#p1).
";

const SEED: &str = "---
title: Fact sheet
date: 2023-01-31
---
**Space**

The two countries will cooperate on space.
";

/// The page the first part of the input becomes.
pub const PAGE: &str = "domains/page.md";
/// The page the second part of the input (after a NUL byte) becomes.
pub const OTHER: &str = "domains/other.md";

/// The repository's root: the nearest folder above this crate with the
/// default theme.
fn repository() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .ancestors()
        .find(|dir| dir.join("themes/default/templates").is_dir())
        .expect("the repository with themes/default")
        .to_path_buf()
}

/// The default theme, loaded once.
fn theme() -> &'static Theme {
    static THEME: OnceLock<Theme> = OnceLock::new();
    THEME.get_or_init(|| {
        let project = Project::new(repository());
        let mut sources = SourceMap::default();
        let mut diagnostics = Vec::new();
        let theme = render::theme::load(&project, "default", None, &mut sources, &mut diagnostics);
        assert!(diagnostics.is_empty(), "{diagnostics:#?}");
        theme.expect("the default theme")
    })
}

/// Text as the load stage reads a file: invalid UTF-8 replaced.
fn text_of(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

/// A page of `content/` from `text`, its front matter read.
fn page(path: &str, text: String, diagnostics: &mut Vec<Diagnostic>) -> PageSource {
    let file = Arc::new(SourceFile::new(format!("content/{path}"), text));
    let (front, body) = front_matter::read_page(&file, diagnostics);
    PageSource::new(file, path, front, body)
}

/// Which input of the site the fuzzed bytes become.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Part {
    /// The bytes before the first NUL make [`PAGE`], the bytes after it
    /// [`OTHER`].
    Pages,
    /// The source document that the pages cite (`seeds/fact-sheet.md`).
    Seed,
    /// The bytes before the first NUL make `content/agencies.toml`, the
    /// bytes after it `content/topics.toml`.
    Registries,
}

/// The page that cites the source, when the pages are not what is fuzzed.
const CITING: &str = "+++
title = \"Page\"
agencies = [\"nasa\"]
sources = [\"fact-sheet\"]
+++
The [NASA](agency:nasa) on [quantum](topic:quantum): \"cooperate on space\". ([source](source:fact-sheet#space-p1))

## Next

See [the sheet](source:fact-sheet) and [ISRO](agency:isro).
";

/// `data` split at its first NUL byte.
fn halves(data: &[u8]) -> (&[u8], Option<&[u8]>) {
    match data.iter().position(|&b| b == 0) {
        Some(at) => (&data[..at], Some(&data[at + 1..])),
        None => (data, None),
    }
}

/// The site's input: the fixed files, with `part` made from `data`.
fn input(part: Part, data: &[u8], diagnostics: &mut Vec<Diagnostic>) -> Input {
    let (first, second) = halves(data);
    let fuzzed = |wanted: Part, text: &[u8], fixed: &str| {
        if part == wanted {
            text_of(text)
        } else {
            fixed.to_string()
        }
    };
    let mut sources = SourceMap::default();
    let config = config::read(
        &sources.add(SourceFile::new("site.toml", SITE_TOML)),
        diagnostics,
    );
    let agencies_text = fuzzed(Part::Registries, first, AGENCIES);
    let topics_text = fuzzed(Part::Registries, second.unwrap_or_default(), TOPICS);
    let agencies = registry::read_agencies(
        &sources.add(SourceFile::new("content/agencies.toml", agencies_text)),
        diagnostics,
    );
    let topics = registry::read_topics(
        &sources.add(SourceFile::new("content/topics.toml", topics_text)),
        diagnostics,
    );
    let seed = seed::read(
        sources.add(SourceFile::new(
            "seeds/fact-sheet.md",
            fuzzed(Part::Seed, data, SEED),
        )),
        "fact-sheet.md",
        diagnostics,
    );
    let mut pages = vec![
        page("_index.md", HOME.to_string(), diagnostics),
        page(PAGE, fuzzed(Part::Pages, first, CITING), diagnostics),
    ];
    if part == Part::Pages
        && let Some(second) = second
    {
        pages.push(page(OTHER, text_of(second), diagnostics));
    }
    for page in &pages {
        sources.add_shared(Arc::clone(&page.file));
    }
    Input {
        project: Project::new(repository()),
        sources,
        config,
        pages: pages.into_iter().map(Arc::new).collect(),
        assets: Vec::new(),
        statics: Vec::new(),
        agencies,
        topics,
        seeds: vec![seed],
        lock: None,
        problems: Default::default(),
    }
}

/// What one run of the stages produced.
pub struct Built {
    /// Every problem found.
    pub diagnostics: Vec<Diagnostic>,
    /// The rendered files.
    pub outputs: Vec<render::Output>,
    /// The body HTML of each page and source built from the input.
    pub bodies: Vec<String>,
}

/// Runs the model and render stages on the site with `part` made from
/// `data`.
pub fn build_as(part: Part, data: &[u8]) -> Built {
    let mut diagnostics = Vec::new();
    let input = input(part, data, &mut diagnostics);
    let site = model::build(&input, &mut diagnostics);
    let outputs = render::render(&site, theme(), &mut diagnostics);
    dossier::diagnostics::sort(&mut diagnostics);
    let bodies = site
        .pages
        .iter()
        .filter(|page| page.path == PAGE || page.path == OTHER)
        .map(|page| &page.body.html)
        .chain(site.sources.iter().map(|source| &source.body.html))
        .cloned()
        .collect();
    // Every diagnostic can be shown, with its lines, in both formats.
    let _ = report::human(&diagnostics, &input.sources, Style::Plain);
    let _ = report::json_lines(&diagnostics);
    for diagnostic in &diagnostics {
        if let Some(span) = diagnostic.span.as_ref().filter(|s| s.has_position()) {
            let file = input
                .sources
                .get(&span.file)
                .unwrap_or_else(|| panic!("{} was not read", span.file.display()));
            let text = file.text();
            assert!(
                span.range.start <= span.range.end
                    && text.is_char_boundary(span.range.start)
                    && text.is_char_boundary(span.range.end),
                "span {span:?} does not fit {}",
                span.file.display()
            );
            assert_eq!(
                file.line_col(span.range.start),
                (span.line, span.col),
                "{diagnostic:?}"
            );
        }
    }
    Built {
        diagnostics,
        outputs,
        bodies,
    }
}

/// The tags the Markdown writer writes itself; with raw HTML escaped, a body
/// holds no other.
const TAGS: &[&str] = &[
    "a",
    "blockquote",
    "br",
    "circle",
    "code",
    "dd",
    "del",
    "div",
    "dl",
    "dt",
    "em",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "hr",
    "img",
    "input",
    "li",
    "ol",
    "p",
    "path",
    "pre",
    "section",
    "span",
    "strong",
    "sub",
    "sup",
    "svg",
    "table",
    "tbody",
    "td",
    "th",
    "thead",
    "tr",
    "ul",
];

/// The attributes the Markdown writer writes itself (a callout's icon is
/// drawn with SVG).
const ATTRIBUTES: &[&str] = &[
    "alt",
    "aria-hidden",
    "aria-label",
    "checked",
    "class",
    "cx",
    "cy",
    "d",
    "data-lang",
    "disabled",
    "fill",
    "focusable",
    "height",
    "href",
    "id",
    "loading",
    "r",
    "src",
    "start",
    "stroke",
    "stroke-linecap",
    "stroke-linejoin",
    "stroke-width",
    "style",
    "title",
    "type",
    "viewBox",
    "width",
];

/// Checks that `html` holds only the writer's own tags and attributes, with
/// every attribute value quoted and no link that runs script: whatever the
/// Markdown, no markup of its own gets through.
pub fn assert_inert(html: &str) {
    let tag = regex::Regex::new(r#"^</?([a-z][a-z0-9]*)((?:\s+[a-zA-Z-]+(?:="[^"<>]*")?)*)\s*/?>"#)
        .expect("regex");
    let attribute = regex::Regex::new(r#"([a-zA-Z-]+)(?:="([^"]*)")?"#).expect("regex");
    for (at, _) in html.match_indices('<') {
        let rest = &html[at..];
        let captures = tag
            .captures(rest)
            .unwrap_or_else(|| panic!("a `<` that is no tag of the writer's at {at}: {rest:.80}"));
        let name = &captures[1];
        assert!(TAGS.contains(&name), "tag `{name}` in {rest:.80}");
        for attribute in attribute.captures_iter(&captures[2]) {
            let key = &attribute[1];
            assert!(ATTRIBUTES.contains(&key), "attribute `{key}` in {rest:.80}");
            if key == "href" || key == "src" {
                let value: String = attribute
                    .get(2)
                    .map_or("", |v| v.as_str())
                    .chars()
                    .filter(|c| !c.is_whitespace() && !c.is_control())
                    .collect::<String>()
                    .to_ascii_lowercase();
                for scheme in ["javascript:", "vbscript:", "data:"] {
                    assert!(!value.starts_with(scheme), "{key}=\"{value}\"");
                }
            }
        }
    }
}

/// Checks that no `href`, `src` or `action` in `html` (a whole output
/// file, the theme's markup and all) leads to an address that runs script.
pub fn assert_no_script_address(html: &str) {
    let attribute =
        regex::Regex::new(r#"(?i)\s(href|src|action|formaction)\s*=\s*("[^"]*"|'[^']*'|[^\s>]+)"#)
            .expect("regex");
    for captures in attribute.captures_iter(html) {
        let value = captures[2].trim_matches(['"', '\'']);
        let value = value
            .replace("&#9;", "")
            .replace("&#10;", "")
            .replace("&#13;", "");
        let scheme = dossier::links::address::scheme(&value);
        assert!(
            scheme.is_publishable(),
            "{}={value:?} is published",
            &captures[1]
        );
    }
}

/// Runs the site around `data`, as the pages, and checks it (see
/// [`check_as`]).
pub fn check(data: &[u8]) {
    check_as(Part::Pages, data);
}

/// Runs the site with `part` made from `data` and checks everything that
/// must hold for any input: no panic, every diagnostic placed inside its
/// file and shown, page and source bodies inert, no output with an address
/// that runs script, output paths valid and distinct, and the same input
/// giving the same bytes.
pub fn check_as(part: Part, data: &[u8]) {
    let built = build_as(part, data);
    for body in &built.bodies {
        assert_inert(body);
    }
    for output in &built.outputs {
        if output.path.as_str().ends_with(".html") || output.path.as_str().ends_with(".xml") {
            assert_no_script_address(&String::from_utf8_lossy(&output.bytes));
        }
    }
    let mut paths = BTreeSet::new();
    for output in &built.outputs {
        assert_eq!(
            OutputPath::file(output.path.as_str()).as_ref(),
            Some(&output.path),
            "invalid output path"
        );
        let errors = built.diagnostics.iter().any(Diagnostic::is_error);
        assert!(
            paths.insert(output.path.as_str()) || errors,
            "`{}` written twice without an error",
            output.path
        );
    }
    let again = build_as(part, data);
    assert!(
        again.outputs == built.outputs,
        "the same input gave other bytes"
    );
    assert_eq!(again.diagnostics, built.diagnostics);
}
