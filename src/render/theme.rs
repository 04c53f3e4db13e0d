//! A theme: Tera templates and static files, loaded once per build.

use std::path::PathBuf;
use std::sync::Arc;

use tera::{ErrorKind, Tera};
use walkdir::WalkDir;

use crate::diagnostics::{Code, Diagnostic};
use crate::load::{Project, read_text};
use crate::paths::OutputPath;
use crate::source::{SourceFile, SourceMap, Span};

/// The templates every theme must have.
pub const REQUIRED_TEMPLATES: &[&str] = &[
    "index.html",
    "section.html",
    "page.html",
    "agencies.html",
    "agency.html",
    "topics.html",
    "topic.html",
    "sources.html",
    "source.html",
    "404.html",
    "sitemap.xml",
    "feed.xml",
];

/// A loaded theme.
pub struct Theme {
    /// The templates, parsed.
    pub tera: Tera,
    /// Each template's file, by template name, for pointing at errors.
    pub files: Vec<(String, Arc<SourceFile>)>,
    /// The static files, with where they go.
    pub static_files: Vec<(OutputPath, PathBuf)>,
}

impl Theme {
    /// The file of template `name`.
    pub fn file(&self, name: &str) -> Option<&Arc<SourceFile>> {
        self.files.iter().find(|(n, _)| n == name).map(|(_, f)| f)
    }
}

/// Loads `themes/<name>/`: every file of `templates/` as a template named by
/// its path there, every file of `static/` to be copied to `static/`.
/// Template files are added to `sources` so that errors can show their lines.
/// `chosen_at` is where `site.toml` names the theme, if it does: a missing
/// theme is reported there.
pub fn load(
    project: &Project,
    name: &str,
    chosen_at: Option<Span>,
    sources: &mut SourceMap,
    diagnostics: &mut Vec<Diagnostic>,
) -> Option<Theme> {
    let dir = project.themes_dir().join(name);
    let templates_dir = dir.join("templates");
    if !templates_dir.is_dir() {
        diagnostics.push(missing_theme(project, name, chosen_at));
        return None;
    }

    let mut templates: Vec<(String, Arc<SourceFile>)> = Vec::new();
    for entry in WalkDir::new(&templates_dir).sort_by_file_name() {
        let Ok(entry) = entry else { continue };
        if !entry.file_type().is_file() {
            continue;
        }
        let Ok(relative) = entry.path().strip_prefix(&templates_dir) else {
            continue;
        };
        let template_name = relative.to_string_lossy().replace('\\', "/");
        if let Some(file) = read_text(project, entry.path(), diagnostics) {
            templates.push((template_name, sources.add(file)));
        }
    }
    for required in REQUIRED_TEMPLATES {
        if !templates.iter().any(|(n, _)| n == required) {
            diagnostics.push(
                Diagnostic::error(
                    Code::MissingTheme,
                    format!("the theme `{name}` has no template `{required}`"),
                )
                .at(Span::file_only(project.relative(&templates_dir)))
                .help(format!("add `themes/{name}/templates/{required}`")),
            );
        }
    }

    let tera = compile(&templates, diagnostics)?;

    let static_dir = dir.join("static");
    let mut static_files = Vec::new();
    for entry in WalkDir::new(&static_dir)
        .sort_by_file_name()
        .into_iter()
        .filter_map(Result::ok)
    {
        if !entry.file_type().is_file() {
            continue;
        }
        let Ok(relative) = entry.path().strip_prefix(&static_dir) else {
            continue;
        };
        let relative = relative.to_string_lossy().replace('\\', "/");
        if let Some(path) = OutputPath::file(&format!("static/{relative}")) {
            static_files.push((path, entry.path().to_path_buf()));
        }
    }
    Some(Theme {
        tera,
        files: templates,
        static_files,
    })
}

/// The diagnostic for a theme that does not exist, with the themes that do.
fn missing_theme(project: &Project, name: &str, chosen_at: Option<Span>) -> Diagnostic {
    let mut available: Vec<String> = std::fs::read_dir(project.themes_dir())
        .map(|entries| {
            entries
                .filter_map(Result::ok)
                .filter(|e| e.path().join("templates").is_dir())
                .filter_map(|e| e.file_name().to_str().map(str::to_string))
                .collect()
        })
        .unwrap_or_default();
    available.sort();
    let help = match crate::diagnostics::did_you_mean(name, available.iter().map(String::as_str)) {
        Some(suggestion) => suggestion,
        None if available.is_empty() => {
            "a theme is a folder `themes/<name>/` with `templates/` and `static/`".to_string()
        }
        None => format!("the themes here are: {}", available.join(", ")),
    };
    let diagnostic = Diagnostic::error(
        Code::MissingTheme,
        format!("the theme `{name}` does not exist"),
    )
    .label(format!("no folder themes/{name}/templates"))
    .help(help);
    match chosen_at {
        Some(span) => diagnostic.at(span),
        None => diagnostic.at(Span::file_only("site.toml")).note(format!(
            "site.toml names no `theme`, so the theme `{name}` is used"
        )),
    }
}

/// Parses every template. A broken template (a syntax error, a parent that
/// does not exist, a circle of `extends`) is reported and left out, then the
/// rest are tried again, so that every broken template is reported in one
/// run. A template left out only because its parent was is not reported
/// again.
fn compile(
    templates: &[(String, Arc<SourceFile>)],
    diagnostics: &mut Vec<Diagnostic>,
) -> Option<Tera> {
    let mut remaining: Vec<&(String, Arc<SourceFile>)> = templates.iter().collect();
    let mut left_out: Vec<String> = Vec::new();
    loop {
        let mut tera = Tera::new();
        let batch = remaining
            .iter()
            .map(|(name, file)| (name.as_str(), file.text()));
        let error = match tera.add_raw_templates(batch) {
            Ok(()) if left_out.is_empty() => return Some(tera),
            Ok(()) => return None,
            Err(error) => error,
        };
        let broken = match error.kind() {
            ErrorKind::SyntaxError(report) => Some(report.filename().to_string()),
            ErrorKind::MissingParent { current, .. } => Some(current.clone()),
            ErrorKind::CircularExtend { tpl, .. } => Some(tpl.clone()),
            _ => None,
        };
        let parent_left_out = matches!(
            error.kind(),
            ErrorKind::MissingParent { parent, .. } if left_out.contains(parent)
        );
        if !parent_left_out {
            diagnostics.push(template_error(&error, templates));
        }
        match broken {
            Some(name) if remaining.iter().any(|(n, _)| *n == name) => {
                remaining.retain(|(n, _)| *n != name);
                left_out.push(name);
            }
            _ => return None,
        }
    }
}

/// Where template `name` names its parent `parent` in `{% extends %}`.
fn extends_span(templates: &[(String, Arc<SourceFile>)], name: &str, parent: &str) -> Option<Span> {
    let file = templates.iter().find(|(n, _)| n == name).map(|(_, f)| f)?;
    let text = file.text();
    let tag = text.find("extends")?;
    let at = tag + text[tag..].find(parent)?;
    Some(file.span(at..at + parent.len()))
}

/// A Tera error as a diagnostic pointing into the template file when the
/// error says where.
pub fn template_error(error: &tera::Error, templates: &[(String, Arc<SourceFile>)]) -> Diagnostic {
    let report = match error.kind() {
        ErrorKind::SyntaxError(report) | ErrorKind::RenderingError(report) => Some(report),
        _ => None,
    };
    let inheritance = match error.kind() {
        ErrorKind::MissingParent { current, parent } => Some((
            format!("`{current}` extends `{parent}`, which does not exist"),
            extends_span(templates, current, parent),
            "no such template in the theme",
        )),
        ErrorKind::CircularExtend {
            tpl,
            inheritance_chain,
        } => Some((
            format!(
                "`{tpl}` extends itself: {}",
                std::iter::once(tpl.as_str())
                    .chain(inheritance_chain.iter().map(String::as_str))
                    .collect::<Vec<_>>()
                    .join(" -> ")
            ),
            inheritance_chain
                .first()
                .and_then(|parent| extends_span(templates, tpl, parent)),
            "this leads back to the template itself",
        )),
        _ => None,
    };
    if let Some((message, span, label)) = inheritance {
        let diagnostic = Diagnostic::error(Code::Template, message).label(label);
        return match span {
            Some(span) => diagnostic.at(span),
            None => diagnostic,
        };
    }
    let Some(report) = report else {
        let mut message = error.to_string();
        let mut source = std::error::Error::source(error);
        while let Some(cause) = source {
            message.push_str(&format!(": {cause}"));
            source = cause.source();
        }
        let first = message
            .lines()
            .next()
            .unwrap_or("template error")
            .to_string();
        let mut diagnostic = Diagnostic::error(Code::Template, first);
        for line in message.lines().skip(1).filter(|l| !l.trim().is_empty()) {
            diagnostic = diagnostic.note(line.to_string());
        }
        return diagnostic;
    };
    let file = templates
        .iter()
        .find(|(n, _)| n == report.filename())
        .map(|(_, f)| f);
    let mut diagnostic = Diagnostic::error(Code::Template, report.message().to_string());
    if let Some(file) = file {
        let span = report.span();
        let range = span.range.clone();
        diagnostic = diagnostic.at(file.span(range.start..range.end.max(range.start)));
    } else {
        diagnostic = diagnostic.note(format!("in template `{}`", report.filename()));
    }
    diagnostic
}
