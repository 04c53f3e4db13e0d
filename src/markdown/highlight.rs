//! Fenced code highlighted by syntect, as HTML with CSS classes.
//!
//! The syntax definitions are syntect's with those `bat` adds (TOML,
//! TypeScript, Dockerfile and more), loaded once, on the first code block
//! that names a language, and shared by every thread. Colours live in the theme's CSS
//! (classes prefixed `hl-`), so light and dark modes need no re-rendering.

use std::sync::LazyLock;

use syntect::html::{ClassStyle, ClassedHTMLGenerator};
use syntect::parsing::{SyntaxReference, SyntaxSet};
use syntect::util::LinesWithEndings;

static SYNTAXES: LazyLock<SyntaxSet> = LazyLock::new(two_face::syntax::extra_newlines);

/// The class prefix of highlighted tokens.
pub const CLASS_STYLE: ClassStyle = ClassStyle::SpacedPrefixed { prefix: "hl-" };

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
    let mut generator = ClassedHTMLGenerator::new_with_class_style(syntax, &SYNTAXES, CLASS_STYLE);
    for line in LinesWithEndings::from(code) {
        // A line that fails to parse (a syntax bug) is not worth failing a
        // build for: fall back to plain text for the whole block.
        if generator
            .parse_html_for_line_which_includes_newline(line)
            .is_err()
        {
            return None;
        }
    }
    Some(generator.finalize())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn known_languages_get_classed_spans() {
        let html = highlight("fn main() {}\n", "rust").unwrap();
        assert!(
            html.contains("<span class=\"hl-source hl-rust\">"),
            "{html}"
        );
        assert!(html.contains("hl-storage"), "{html}");
    }

    #[test]
    fn toml_and_typescript_are_highlighted() {
        // `site.toml` is what a briefing's own documentation shows most.
        let toml = highlight("[site]\ntitle = \"Briefing\"\n", "toml").unwrap();
        assert!(toml.contains("hl-source hl-toml"), "{toml}");
        assert!(toml.contains("hl-string"), "{toml}");
        let typescript = highlight("let x: number = 1;\n", "ts").unwrap();
        assert!(typescript.contains("hl-source hl-ts"), "{typescript}");
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
}
