//! Tera's errors as diagnostics that point into the template files.
//!
//! Tera reports most errors with a span in a template; some (a missing or
//! circular parent, a circle of includes) only name the templates, some (an
//! unknown component, filter or include) come as text already formatted,
//! with the template, line and column written in it, and one (a component
//! that calls itself too deep) says nothing of where. Each kind is placed
//! in its file here.

use std::sync::Arc;

use tera::ErrorKind;

use crate::diagnostics::{Code, Diagnostic};
use crate::source::{SourceFile, Span};

use super::recursion;

/// The template an error is in, when the error says so: the template that
/// must be left out for the others to compile.
pub fn broken_template(error: &tera::Error) -> Option<String> {
    match error.kind() {
        ErrorKind::SyntaxError(report) => Some(report.filename().to_string()),
        ErrorKind::MissingParent { current, .. } => Some(current.clone()),
        ErrorKind::CircularExtend { tpl, .. } | ErrorKind::CircularInclude { tpl, .. } => {
            Some(tpl.clone())
        }
        ErrorKind::Msg(text) => TextReport::read(text).map(|report| report.template.to_string()),
        _ => None,
    }
}

/// Where in the template files `error` happened, when it says: the span
/// of a syntax or rendering error.
pub fn span_of(error: &tera::Error, templates: &[(String, Arc<SourceFile>)]) -> Option<Span> {
    match error.kind() {
        ErrorKind::SyntaxError(report) | ErrorKind::RenderingError(report) => {
            let (_, file) = templates.iter().find(|(n, _)| n == report.filename())?;
            let range = report.span().range.clone();
            Some(file.span(range.start..range.end.max(range.start)))
        }
        _ => None,
    }
}

/// A Tera error as a diagnostic pointing into the template file when the
/// error says where.
pub fn template_error(error: &tera::Error, templates: &[(String, Arc<SourceFile>)]) -> Diagnostic {
    let file_of = |name: &str| templates.iter().find(|(n, _)| n == name).map(|(_, f)| f);
    match error.kind() {
        ErrorKind::SyntaxError(report) | ErrorKind::RenderingError(report) => {
            let diagnostic = Diagnostic::error(Code::Template, report.message());
            match span_of(error, templates) {
                Some(span) => diagnostic.at(span),
                None => diagnostic.note(format!("in template `{}`", report.filename())),
            }
        }
        ErrorKind::MissingParent { current, parent } => place(
            Diagnostic::error(
                Code::Template,
                format!("`{current}` extends `{parent}`, which does not exist"),
            )
            .label("no such template in the theme"),
            file_of(current).and_then(|file| extends_span(file, parent)),
        ),
        ErrorKind::CircularExtend {
            tpl,
            inheritance_chain,
        } => {
            let chain: Vec<&str> = std::iter::once(tpl.as_str())
                .chain(inheritance_chain.iter().map(String::as_str))
                .collect();
            let span = inheritance_chain
                .first()
                .zip(file_of(tpl))
                .and_then(|(parent, file)| extends_span(file, parent));
            place(
                Diagnostic::error(
                    Code::Template,
                    format!("`{tpl}` extends itself: {}", chain.join(" -> ")),
                )
                .label("this leads back to the template itself"),
                span,
            )
        }
        ErrorKind::CircularInclude { tpl, include_chain } => {
            // The chain ends where it began, at `tpl`: the first step after
            // `tpl` is the include that leads back to it.
            let next = include_chain.iter().skip_while(|name| *name != tpl).nth(1);
            let span = next
                .zip(file_of(tpl))
                .and_then(|(next, file)| tag_span(file, "include", next));
            let circle: Vec<&str> = include_chain
                .iter()
                .skip_while(|name| *name != tpl)
                .map(String::as_str)
                .collect();
            place(
                Diagnostic::error(
                    Code::Template,
                    format!("`{tpl}` includes itself: {}", circle.join(" -> ")),
                )
                .label("this leads back to the template itself")
                .help("an include cannot lead back to the template it is in; for a structure that nests, write a component with a condition that ends it"),
                span,
            )
        }
        ErrorKind::Msg(text) if text == COMPONENT_RECURSION => component_recursion(templates),
        ErrorKind::Msg(text) => match TextReport::read(text) {
            Some(report) => {
                let mut diagnostic = Diagnostic::error(Code::Template, report.message);
                match file_of(report.template) {
                    Some(file) => {
                        let start = file.offset_of(report.line, report.column);
                        let end = file.offset_of(report.line, report.column + report.width);
                        diagnostic = diagnostic.at(file.span(start..end.max(start)));
                    }
                    None => {
                        diagnostic = diagnostic.note(format!("in template `{}`", report.template));
                    }
                }
                let more = text.matches("\nerror: ").count();
                if more > 0 {
                    diagnostic = diagnostic.note(format!(
                        "and {more} more problem{} of this kind in the theme",
                        if more == 1 { "" } else { "s" }
                    ));
                }
                diagnostic
            }
            None => unplaced(error),
        },
        _ => unplaced(error),
    }
}

/// `diagnostic` at `span`, if there is one.
fn place(diagnostic: Diagnostic, span: Option<Span>) -> Diagnostic {
    match span {
        Some(span) => diagnostic.at(span),
        None => diagnostic,
    }
}

/// An error Tera does not place: its first line as the message, the rest
/// and its causes as notes.
fn unplaced(error: &tera::Error) -> Diagnostic {
    let mut message = error.to_string();
    let mut source = std::error::Error::source(error);
    while let Some(cause) = source {
        message.push_str(&format!(": {cause}"));
        source = cause.source();
    }
    let mut lines = message.lines().filter(|l| !l.trim().is_empty());
    let mut diagnostic = Diagnostic::error(
        Code::Template,
        lines.next().unwrap_or("template error").to_string(),
    );
    for line in lines {
        diagnostic = diagnostic.note(line.to_string());
    }
    diagnostic
}

/// Where `file` names `parent` in its `{% extends %}` tag.
fn extends_span(file: &SourceFile, parent: &str) -> Option<Span> {
    let text = file.text();
    let tag = text.find("extends")?;
    let at = tag + text[tag..].find(parent)?;
    Some(file.span(at..at + parent.len()))
}

/// Where `file` names `target`, in quotes, right after the word `keyword`
/// (`{% include "b.html" %}`): the first such place.
fn tag_span(file: &SourceFile, keyword: &str, target: &str) -> Option<Span> {
    let text = file.text();
    let mut from = 0;
    while let Some(found) = text[from..].find(keyword) {
        let after = from + found + keyword.len();
        let rest = &text[after..];
        let quoted = rest.trim_start();
        let quote = quoted.chars().next().filter(|c| matches!(c, '"' | '\''));
        if let Some(quote) = quote
            && quoted[1..].starts_with(target)
            && quoted[1 + target.len()..].starts_with(quote)
        {
            let at = after + (rest.len() - quoted.len()) + 1;
            return Some(file.span(at..at + target.len()));
        }
        from = after;
    }
    None
}

/// What Tera says of a component that calls itself too deep, and nothing
/// more.
const COMPONENT_RECURSION: &str = "Maximum render recursion depth for components exceeded.";

/// The error for a component that called itself too deep, at the call in
/// the templates that leads back to the component it is in; when several
/// components do, the others are named in notes.
fn component_recursion(templates: &[(String, Arc<SourceFile>)]) -> Diagnostic {
    let calls = recursion::recursive_calls(templates);
    let help = "a component that calls itself needs a condition that ends the calls, such as `{% if node.children %}` around the call";
    let Some(first) = calls.first() else {
        return Diagnostic::error(
            Code::Template,
            "a component called itself more than Tera allows (20 levels)",
        )
        .help(help);
    };
    let label = if first.callee == first.component {
        "this call leads back to the component it is in".to_string()
    } else {
        format!("`{}` leads back to `{}`", first.callee, first.component)
    };
    let mut diagnostic = Diagnostic::error(
        Code::Template,
        format!(
            "the component `{}` called itself more than Tera allows (20 levels)",
            first.component
        ),
    )
    .at(first.span.clone())
    .label(label)
    .help(help);
    for other in &calls[1..] {
        diagnostic = diagnostic.note(format!(
            "`{}` calls itself too, at {}:{}:{}: it may be the one that went too deep",
            other.component,
            other.span.file.display(),
            other.span.line,
            other.span.col
        ));
    }
    diagnostic
}

/// The first of the reports Tera writes as text:
///
/// ```text
/// error: Unknown component `crums`
///  --> page.html:5:4
///   |
/// 5 | {{ <crums items={page.breadcrumbs}/> }}
///   |    ^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^
/// ```
#[derive(Debug, PartialEq, Eq)]
struct TextReport<'a> {
    message: &'a str,
    template: &'a str,
    /// 1-based.
    line: usize,
    /// 1-based, in characters.
    column: usize,
    /// How many characters are underlined.
    width: usize,
}

impl<'a> TextReport<'a> {
    fn read(text: &'a str) -> Option<TextReport<'a>> {
        let mut lines = text.lines();
        let message = lines.next()?.strip_prefix("error: ")?;
        let place = lines.next()?.trim_start().strip_prefix("--> ")?;
        let mut parts = place.rsplitn(3, ':');
        let column = parts.next()?.parse().ok()?;
        let line = parts.next()?.parse().ok()?;
        let template = parts.next()?;
        let width = lines
            .take(3)
            .find(|l| l.contains('^'))
            .map_or(1, |l| l.matches('^').count());
        Some(TextReport {
            message,
            template,
            line,
            column,
            width,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn templates(files: &[(&str, &str)]) -> Vec<(String, Arc<SourceFile>)> {
        files
            .iter()
            .map(|(name, text)| {
                let file = SourceFile::new(format!("themes/t/templates/{name}"), *text);
                (name.to_string(), Arc::new(file))
            })
            .collect()
    }

    /// The error Tera gives for `files`, at build or at render of the
    /// first of them.
    fn tera_error(files: &[(String, Arc<SourceFile>)]) -> tera::Error {
        let mut tera = tera::Tera::new();
        let added = tera.add_raw_templates(files.iter().map(|(n, f)| (n.as_str(), f.text())));
        match added {
            Err(error) => error,
            Ok(()) => tera
                .render(&files[0].0, &tera::Context::new())
                .expect_err("a failing template"),
        }
    }

    #[test]
    fn a_circle_of_includes_is_placed_at_the_include_that_closes_it() {
        let files = templates(&[
            ("a.html", "<p>\n{% include \"b.html\" %}\n"),
            ("b.html", "x {% include 'a.html' %}"),
        ]);
        let error = tera_error(&files);
        let diagnostic = template_error(&error, &files);
        let span = diagnostic.span.as_ref().expect("placed");
        let circle = (
            span.file.to_string_lossy().into_owned(),
            span.line,
            span.col,
        );
        assert!(
            [
                ("themes/t/templates/a.html".to_string(), 2, 13),
                ("themes/t/templates/b.html".to_string(), 1, 15)
            ]
            .contains(&circle),
            "{diagnostic:#?}"
        );
        assert!(
            diagnostic.message.contains("includes itself"),
            "{diagnostic:#?}"
        );
        assert!(broken_template(&error).is_some());
    }

    #[test]
    fn a_component_that_calls_itself_too_deep_is_placed_at_its_call() {
        let files = templates(&[
            ("page.html", "{{ <loop n={1}/> }}"),
            (
                "components.html",
                "{% component loop(n) %}\n<b>{{ n }}</b>{{ <loop n={n}/> }}\n{% endcomponent loop %}",
            ),
        ]);
        let error = tera_error(&files);
        let diagnostic = template_error(&error, &files);
        assert_eq!(
            diagnostic.message,
            "the component `loop` called itself more than Tera allows (20 levels)"
        );
        let span = diagnostic.span.as_ref().expect("placed");
        assert_eq!(
            (span.file.to_str(), span.line, span.col),
            (Some("themes/t/templates/components.html"), 2, 19)
        );
    }

    #[test]
    fn text_reports_are_read_back_with_their_place() {
        let text = "error: Unknown component `crums`\n --> page.html:5:4\n  |\n5 | {{ <crums a={b}/> }}\n  |    ^^^^^^^^^^^^^^\n\nerror: Unknown component `x`\n --> a.html:1:1";
        assert_eq!(
            TextReport::read(text),
            Some(TextReport {
                message: "Unknown component `crums`",
                template: "page.html",
                line: 5,
                column: 4,
                width: 14,
            })
        );
        assert_eq!(TextReport::read("Template 'x' not found"), None);
    }
}
