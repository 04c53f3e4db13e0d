//! Tera's errors as diagnostics that point into the template files.
//!
//! Tera reports most errors with a span in a template; some (a missing or
//! circular parent) only name the templates, and some (an unknown component,
//! filter or include) come as text already formatted, with the template,
//! line and column written in it. Each kind is placed in its file here.

use std::sync::Arc;

use tera::ErrorKind;

use crate::diagnostics::{Code, Diagnostic};
use crate::source::{SourceFile, Span};

/// The template an error is in, when the error says so: the template that
/// must be left out for the others to compile.
pub fn broken_template(error: &tera::Error) -> Option<String> {
    match error.kind() {
        ErrorKind::SyntaxError(report) => Some(report.filename().to_string()),
        ErrorKind::MissingParent { current, .. } => Some(current.clone()),
        ErrorKind::CircularExtend { tpl, .. } => Some(tpl.clone()),
        ErrorKind::Msg(text) => TextReport::read(text).map(|report| report.template.to_string()),
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
            match file_of(report.filename()) {
                Some(file) => {
                    let range = report.span().range.clone();
                    diagnostic.at(file.span(range.start..range.end.max(range.start)))
                }
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
