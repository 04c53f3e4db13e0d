//! Source documents: the Markdown files of `seeds/`, as published by their
//! authors, with YAML (`---`) or TOML (`+++`) front matter.

use std::ops::Range;
use std::sync::Arc;

use yaml_rust2::{Yaml, YamlLoader};

use super::front_matter::split;
use crate::config::not_a_web_address;
use crate::diagnostics::{Code, Diagnostic};
use crate::links::address::web_address;
use crate::paths::slugify;
use crate::source::{SourceFile, Span};
use crate::toml_fields::{self, Date, Place, Table};

/// A source document.
#[derive(Debug, Clone)]
pub struct Seed {
    /// The file.
    pub file: Arc<SourceFile>,
    /// The slug: the file name without `.md`, as pages cite it.
    pub slug: String,
    /// The document's title (from its front matter, or its slug).
    pub title: String,
    /// The date of the document.
    pub date: Option<Date>,
    /// Where the document was published.
    pub source_url: Option<String>,
    /// The byte range of the Markdown body.
    pub body: Range<usize>,
}

/// Reads a source document. Unknown front-matter keys are kept out of the
/// way: sources come from elsewhere and carry metadata of their own.
pub fn read(file: Arc<SourceFile>, file_name: &str, diagnostics: &mut Vec<Diagnostic>) -> Seed {
    let stem = file_name.strip_suffix(".md").unwrap_or(file_name);
    let mut seed = Seed {
        slug: slugify(stem),
        title: stem.to_string(),
        date: None,
        source_url: None,
        body: 0..file.text().len(),
        file,
    };
    let text = seed.file.text();
    if let Ok(Some(parts)) = split(text, "+++") {
        seed.body = parts.body.clone();
        read_toml(&mut seed, parts.front_matter, diagnostics);
        return seed;
    }
    match split(text, "---") {
        Ok(Some(parts)) => {
            seed.body = parts.body.clone();
            read_yaml(&mut seed, parts.front_matter, diagnostics);
        }
        Ok(None) => {}
        Err(opening) => diagnostics.push(
            Diagnostic::error(
                Code::UnclosedFrontMatter,
                "the front matter is never closed",
            )
            .at(seed.file.span(opening))
            .label("this `---` opens the front matter")
            .help("add a line with `---` after the last front-matter key"),
        ),
    }
    seed
}

fn read_toml(seed: &mut Seed, range: Range<usize>, diagnostics: &mut Vec<Diagnostic>) {
    let place = Place::new(Arc::clone(&seed.file), range.start);
    let text = &seed.file.text()[range];
    let Some(table) = toml_fields::parse(text, &place, diagnostics) else {
        return;
    };
    let reader = Table::new(
        table.get_ref(),
        seed.file.start_span(),
        &place,
        "the source's front matter",
    );
    if let Some(title) = reader.string("title", diagnostics) {
        seed.title = title.value;
    }
    seed.date = reader.date("date", diagnostics).map(|d| d.value);
    if let Some(url) = reader.string("source_url", diagnostics) {
        seed.source_url = checked_source_url(&url.value, || url.span.clone(), diagnostics);
    }
}

/// `url` if it is an absolute web address; otherwise an error at `span`,
/// and no address: a seed's address is published as a link.
fn checked_source_url(
    url: &str,
    span: impl FnOnce() -> Span,
    diagnostics: &mut Vec<Diagnostic>,
) -> Option<String> {
    match web_address(url) {
        Ok(url) => Some(url),
        Err(why) => {
            diagnostics.push(
                not_a_web_address("source_url", &why).at(span()).help(
                    "give the address the document was published at, or leave `source_url` out",
                ),
            );
            None
        }
    }
}

fn read_yaml(seed: &mut Seed, range: Range<usize>, diagnostics: &mut Vec<Diagnostic>) {
    let text = &seed.file.text()[range.clone()];
    let documents = match YamlLoader::load_from_str(text) {
        Ok(documents) => documents,
        Err(error) => {
            let at = range.start + error.marker().index().min(text.len());
            diagnostics.push(
                Diagnostic::error(Code::YamlSyntax, format!("invalid YAML: {}", error.info()))
                    .at(seed.file.span(at..at)),
            );
            return;
        }
    };
    let Some(Yaml::Hash(map)) = documents.into_iter().next() else {
        return;
    };
    let field = |key: &str| map.get(&Yaml::String(key.to_string()));
    if let Some(Yaml::String(title)) = field("title") {
        let span = yaml_value_span(&seed.file, range.clone(), "title");
        if toml_fields::printable("title", title, &span, diagnostics) {
            seed.title = title.split_whitespace().collect::<Vec<_>>().join(" ");
        }
    }
    if let Some(Yaml::String(date)) = field("date") {
        seed.date = Date::parse(date.get(..10).unwrap_or(date));
    }
    if let Some(Yaml::String(url)) = field("source_url") {
        let span = || yaml_value_span(&seed.file, range.clone(), "source_url");
        seed.source_url = checked_source_url(url, span, diagnostics);
    }
}

/// The span of the value of the top-level `key` in the YAML front matter
/// at `range` of `file` (the whole line's rest after `key:`); the front
/// matter's start when the key is not found as written.
fn yaml_value_span(file: &SourceFile, range: Range<usize>, key: &str) -> Span {
    let text = &file.text()[range.clone()];
    let mut offset = range.start;
    for line in text.split_inclusive('\n') {
        if let Some(rest) = line.strip_prefix(key).and_then(|r| r.strip_prefix(':')) {
            let value = rest.trim();
            let start = offset + key.len() + 1 + (rest.len() - rest.trim_start().len());
            return file.span(start..start + value.len());
        }
        offset += line.len();
    }
    file.span(range.start..range.start)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn yaml_front_matter_gives_title_date_and_address() {
        let text = "---\ndate: '2023-01-31'\nsource_url: https://example.org/x\ntitle: \"FACT SHEET:\\_United\\\n  \\ States\"\n---\nBody\n";
        let file = Arc::new(SourceFile::new("seeds/2023-01-31-x.md", text));
        let mut diagnostics = Vec::new();
        let seed = read(file, "2023-01-31-x.md", &mut diagnostics);
        assert!(diagnostics.is_empty(), "{diagnostics:?}");
        assert_eq!(seed.slug, "2023-01-31-x");
        assert_eq!(seed.title, "FACT SHEET: United States");
        assert_eq!(seed.date.unwrap().to_string(), "2023-01-31");
        assert_eq!(seed.source_url.as_deref(), Some("https://example.org/x"));
        assert_eq!(&seed.file.text()[seed.body], "Body\n");
    }

    #[test]
    fn script_addresses_are_refused_in_yaml_and_toml() {
        for (text, line) in [
            (
                "---\ntitle: x\nsource_url: \"  JavaScript:alert(1)\"\n---\nBody\n",
                3,
            ),
            (
                "+++\ntitle = \"x\"\nsource_url = \"data:text/html,<b>\"\n+++\nBody\n",
                3,
            ),
            ("---\nsource_url: example.org\n---\nBody\n", 2),
        ] {
            let file = Arc::new(SourceFile::new("seeds/x.md", text));
            let mut diagnostics = Vec::new();
            let seed = read(file, "x.md", &mut diagnostics);
            assert_eq!(seed.source_url, None, "{text}");
            assert_eq!(diagnostics.len(), 1, "{diagnostics:?}");
            let span = diagnostics[0].span.as_ref().unwrap();
            assert_eq!(span.line, line, "{text}");
        }
    }

    #[test]
    fn invalid_yaml_is_reported_in_the_file() {
        let file = Arc::new(SourceFile::new(
            "seeds/x.md",
            "---\ntitle: [unclosed\n---\nBody\n",
        ));
        let mut diagnostics = Vec::new();
        read(file, "x.md", &mut diagnostics);
        assert_eq!(diagnostics[0].code, Code::YamlSyntax);
        assert!(diagnostics[0].span.as_ref().unwrap().line >= 2);
    }
}
