//! Fenced code highlighted by syntect, as HTML with CSS classes.
//!
//! The syntax definitions are syntect's with those `bat` adds (TOML,
//! TypeScript, Dockerfile and more), loaded once, on the first code block
//! that names a language, and shared by every thread. Colours live in the
//! theme's CSS, so light and dark modes need no re-rendering.
//!
//! A token gets a span only where its scope can carry a colour: a scope
//! whose first part is one of TextMate's conventional kinds ([`COLOURED`]),
//! classed by its first two parts with the prefix `hl-`
//! (`entity.name.tag.toml` is `<span class="hl-entity hl-name">`). The
//! language's own scope (`source.toml`), structural `meta.*` scopes and
//! punctuation get none: punctuation takes the colour of what holds it (a
//! string's quotation marks are inside the string's span). A highlighted
//! block is about a third of the size syntect's every-scope classes make.

use std::cell::RefCell;
use std::collections::HashMap;
use std::sync::LazyLock;

use pulldown_cmark_escape::escape_html_body_text;
use syntect::parsing::{
    BasicScopeStackOp, ParseState, Scope, ScopeStack, SyntaxReference, SyntaxSet,
};
use syntect::util::LinesWithEndings;

static SYNTAXES: LazyLock<SyntaxSet> = LazyLock::new(two_face::syntax::extra_newlines);

/// The class prefix of highlighted tokens.
pub const CLASS_PREFIX: &str = "hl-";

/// The first parts of the scopes that get a span: the kinds of token a
/// colour scheme colours.
pub const COLOURED: &[&str] = &[
    "comment", "constant", "entity", "invalid", "keyword", "markup", "storage", "string",
    "support", "variable",
];

/// Common names for languages that syntect knows under another token.
const ALIASES: &[(&str, &str)] = &[
    ("shell", "bash"),
    ("console", "bash"),
    ("zsh", "bash"),
    ("yml", "yaml"),
    ("jsonc", "json"),
    ("py3", "python"),
    ("golang", "go"),
];

fn find_syntax(language: &str) -> Option<&'static SyntaxReference> {
    let language = language.trim().to_ascii_lowercase();
    let token = ALIASES
        .iter()
        .find(|(alias, _)| *alias == language)
        .map_or(language.as_str(), |(_, token)| token);
    SYNTAXES.find_syntax_by_token(token)
}

/// `code` as highlighted HTML spans, or `None` when the language is unknown
/// (the caller then writes it as plain escaped text).
pub fn highlight(code: &str, language: &str) -> Option<String> {
    if language.trim().is_empty() {
        return None;
    }
    let syntax = find_syntax(language)?;
    let mut spans = Spans::new(syntax, code.len());
    for line in LinesWithEndings::from(code) {
        // A line that fails to parse (a syntax bug) is not worth failing a
        // build for: fall back to plain text for the whole block.
        spans.line(line)?;
    }
    Some(spans.finish())
}

/// Highlighted HTML being written, a line at a time.
struct Spans {
    parser: ParseState,
    scopes: ScopeStack,
    /// For each scope on `scopes`: where its opening tag starts and ends in
    /// `html`, if it has one.
    open: Vec<Option<(usize, usize)>>,
    html: String,
}

impl Spans {
    fn new(syntax: &SyntaxReference, code_len: usize) -> Self {
        Spans {
            parser: ParseState::new(syntax),
            scopes: ScopeStack::new(),
            open: Vec::new(),
            html: String::with_capacity(code_len * 2),
        }
    }

    /// Adds `line` (with its line ending); `None` if it does not parse.
    fn line(&mut self, line: &str) -> Option<()> {
        let ops = self.parser.parse_line(line, &SYNTAXES).ok()?;
        let mut written = 0;
        for (at, op) in &ops {
            if *at > written {
                let _ = escape_html_body_text(&mut self.html, &line[written..*at]);
                written = *at;
            }
            let (html, open) = (&mut self.html, &mut self.open);
            self.scopes
                .apply_with_hook(op, |op, _| match op {
                    BasicScopeStackOp::Push(scope) => open.push(open_span(html, scope)),
                    BasicScopeStackOp::Pop => close_span(html, open.pop().flatten()),
                })
                .ok()?;
        }
        let _ = escape_html_body_text(&mut self.html, &line[written..]);
        Some(())
    }

    /// The HTML, every span closed.
    fn finish(mut self) -> String {
        while let Some(open) = self.open.pop() {
            close_span(&mut self.html, open);
        }
        self.html
    }
}

/// Writes the opening tag for `scope` if it gets one: where it starts and
/// ends.
fn open_span(html: &mut String, scope: Scope) -> Option<(usize, usize)> {
    CLASSES.with_borrow_mut(|classes| {
        let class = classes
            .entry(scope)
            .or_insert_with(|| class_of(scope))
            .as_deref()?;
        let start = html.len();
        html.push_str("<span class=\"");
        html.push_str(class);
        html.push_str("\">");
        Some((start, html.len()))
    })
}

/// Closes the span opened at `open`, or drops its tag if nothing was
/// written into it.
fn close_span(html: &mut String, open: Option<(usize, usize)>) {
    match open {
        Some((start, end)) if html.len() == end => html.truncate(start),
        Some(_) => html.push_str("</span>"),
        None => {}
    }
}

thread_local! {
    /// The classes of each scope met, or `None` for a scope without a span:
    /// a scope's name is held by syntect behind a lock shared by every
    /// thread, so it is asked for once per scope and thread.
    static CLASSES: RefCell<HashMap<Scope, Option<Box<str>>>> = RefCell::new(HashMap::new());
}

/// The classes of a span for `scope`: its first two parts, prefixed, or
/// `None` if its first part is not [`COLOURED`].
fn class_of(scope: Scope) -> Option<Box<str>> {
    let name = scope.build_string();
    let mut parts = name.split('.');
    let kind = parts.next().filter(|kind| COLOURED.contains(kind))?;
    let mut class = format!("{CLASS_PREFIX}{kind}");
    if let Some(detail) = parts.next() {
        class.push(' ');
        class.push_str(CLASS_PREFIX);
        class.push_str(detail);
    }
    Some(class.into_boxed_str())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn known_languages_get_classed_spans() {
        let html = highlight("fn main() {}\n", "rust").unwrap();
        assert!(
            html.contains("<span class=\"hl-storage hl-type\">fn</span>"),
            "{html}"
        );
        assert!(
            html.contains("<span class=\"hl-entity hl-name\">main</span>"),
            "{html}"
        );
        // The language's own scope, structure and punctuation get no span.
        assert!(!html.contains("hl-source"), "{html}");
        assert!(!html.contains("hl-meta"), "{html}");
        assert!(!html.contains("hl-punctuation"), "{html}");
    }

    #[test]
    fn toml_and_typescript_are_highlighted() {
        // `site.toml` is what a briefing's own documentation shows most.
        let toml = highlight("[site]\ntitle = \"Briefing\"\n", "toml").unwrap();
        assert!(
            toml.contains("<span class=\"hl-entity hl-name\">site</span>"),
            "{toml}"
        );
        // The quotation marks are inside the string's span.
        assert!(
            toml.contains("<span class=\"hl-string hl-quoted\">\"Briefing\"</span>"),
            "{toml}"
        );
        let typescript = highlight("let x: number = 1;\n", "ts").unwrap();
        assert!(typescript.contains("hl-storage"), "{typescript}");
        assert!(
            typescript.contains("hl-constant hl-numeric"),
            "{typescript}"
        );
    }

    #[test]
    fn unknown_languages_are_not_highlighted() {
        assert!(highlight("x", "no-such-language").is_none());
        assert!(highlight("x", "").is_none());
    }

    #[test]
    fn highlighted_text_is_escaped() {
        let html = highlight("let a = \"</script>\";\n", "rust").unwrap();
        assert!(!html.contains("</script>"), "{html}");
        assert!(html.contains("&lt;/script&gt;"), "{html}");
    }

    #[test]
    fn spans_are_balanced_and_never_empty() {
        let code = "// note\nfn f(a: &str) -> u8 { \"x\".len() as u8 }\n/* open\ncomment */\n";
        let html = highlight(code, "rust").unwrap();
        assert_eq!(
            html.matches("<span").count(),
            html.matches("</span>").count(),
            "{html}"
        );
        assert!(!html.contains("\"></span>"), "{html}");
        // Without its tags, the code as written.
        let text = without_tags(&html)
            .replace("&lt;", "<")
            .replace("&gt;", ">")
            .replace("&amp;", "&");
        assert_eq!(text, code);
    }

    /// `html` without its tags.
    fn without_tags(html: &str) -> String {
        let mut text = String::new();
        let mut in_tag = false;
        for c in html.chars() {
            match c {
                '<' => in_tag = true,
                '>' if in_tag => in_tag = false,
                _ if !in_tag => text.push(c),
                _ => {}
            }
        }
        text
    }
}
