//! A theme: Tera templates and static files, loaded once per build.
//!
//! A theme's files are looked up in two places, first to last:
//!
//! 1. the project's `themes/<name>/templates/` or `themes/<name>/static/`;
//! 2. the built-in default theme ([`builtin`]).
//!
//! A file of the project replaces the built-in file of the same name, and
//! every file the project lacks comes from the built-in theme: a project
//! with no `themes/` folder uses the built-in theme whole. `theme =
//! "default"` needs no folder; a theme of another name must have one.

pub mod builtin;

use std::collections::BTreeMap;
use std::path::PathBuf;
use std::sync::Arc;

use tera::{ErrorKind, Tera};

use crate::diagnostics::{Code, Diagnostic};
use crate::links::layout;
use crate::load::{Project, read_text, walk};
use crate::model::Site;
use crate::paths::OutputPath;
use crate::source::{SourceFile, SourceMap, Span};

use super::{Job, errors};
use builtin::Folder;

/// A loaded theme.
pub struct Theme {
    /// Its name: its folder in `themes/`.
    pub name: String,
    /// The templates, parsed.
    pub tera: Tera,
    /// Each template's file, by template name, for pointing at errors.
    pub files: Vec<(String, Arc<SourceFile>)>,
    /// The static files, with where they go.
    pub static_files: Vec<StaticFile>,
    /// The `id`s the templates write as they are (`<main id="main">`),
    /// with where: no heading may ask for one of them.
    pub ids: Vec<(String, Span)>,
}

/// A static file of a theme.
#[derive(Debug, Clone)]
pub struct StaticFile {
    /// Where it goes in the site.
    pub output: OutputPath,
    /// Its path in the theme's `static/` folder (`style.css`).
    pub name: String,
    /// Where its bytes are.
    pub origin: Origin,
}

/// Where a file of a theme comes from.
#[derive(Debug, Clone)]
pub enum Origin {
    /// A file of the project, at this path on disk.
    Project(PathBuf),
    /// A file of the built-in theme.
    BuiltIn(&'static [u8]),
}

impl Theme {
    /// The file of template `name`.
    pub fn file(&self, name: &str) -> Option<&Arc<SourceFile>> {
        self.files.iter().find(|(n, _)| n == name).map(|(_, f)| f)
    }

    /// The static file at `name` in the theme's `static/` folder.
    pub fn static_file(&self, name: &str) -> Option<&StaticFile> {
        self.static_files.iter().find(|file| file.name == name)
    }
}

/// Loads the theme `name`: each template and static file from the
/// project's `themes/<name>/` when it has the file, else from the built-in
/// theme (see the module's documentation). Templates are named by their
/// path in `templates/`; static files are copied to `static/`. The
/// project's folders are walked as `content/` is: symbolic links that stay
/// inside the project are followed, links out of it refused, hidden files
/// and editor backups skipped.
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
    if let Some(refused) = project.refuse_outside(&dir) {
        diagnostics.push(refused);
        return None;
    }
    if !dir.is_dir() && name != builtin::NAME {
        diagnostics.push(missing_theme(project, name, chosen_at));
        return None;
    }

    let mut by_name: BTreeMap<String, SourceFile> = builtin::files(Folder::Templates)
        .into_iter()
        .map(|file| {
            let text = String::from_utf8_lossy(file.bytes).into_owned();
            let source = SourceFile::new(file.shown(Folder::Templates), text);
            (file.path.to_string(), source)
        })
        .collect();
    let templates_dir = dir.join(Folder::Templates.name());
    for (template_name, path) in walk(project, &templates_dir, &templates_dir, diagnostics).files {
        if let Some(file) = read_text(project, &path, diagnostics) {
            by_name.insert(template_name, file);
        }
    }
    let mut templates: Vec<(String, Arc<SourceFile>)> = by_name
        .into_iter()
        .map(|(name, file)| (name, sources.add(file)))
        .collect();
    templates.sort_by(|a, b| crate::load::walk_order(&a.0, &b.0));
    let tera = compile(&templates, diagnostics)?;

    let mut statics: BTreeMap<String, Origin> = builtin::files(Folder::Static)
        .into_iter()
        .map(|file| (file.path.to_string(), Origin::BuiltIn(file.bytes)))
        .collect();
    let static_dir = dir.join(Folder::Static.name());
    for (relative, disk_path) in walk(project, &static_dir, &static_dir, diagnostics).files {
        statics.insert(relative, Origin::Project(disk_path));
    }
    let mut static_files: Vec<StaticFile> = statics
        .into_iter()
        .filter_map(|(name, origin)| {
            Some(StaticFile {
                output: layout::static_file(&name)?,
                name,
                origin,
            })
        })
        .collect();
    static_files.sort_by(|a, b| crate::load::walk_order(&a.name, &b.name));
    let ids = templates
        .iter()
        .flat_map(|(_, file)| literal_ids(file))
        .collect();
    Some(Theme {
        name: name.to_string(),
        tera,
        files: templates,
        static_files,
        ids,
    })
}

/// The `id="..."` attributes of a template whose value is written as it
/// is, without a template expression, with their place.
fn literal_ids(file: &Arc<SourceFile>) -> Vec<(String, Span)> {
    let text = file.text();
    let mut ids = Vec::new();
    let mut from = 0;
    while let Some(found) = text[from..].find("id=\"") {
        let start = from + found + "id=\"".len();
        from = start;
        let attribute = from - "id=\"".len();
        let preceded = text[..attribute].ends_with(|c: char| c.is_ascii_whitespace());
        let Some(length) = text[start..].find('"') else {
            break;
        };
        let value = &text[start..start + length];
        if preceded && !value.is_empty() && !value.contains(['{', '}']) {
            ids.push((value.to_string(), file.span(start..start + length)));
        }
    }
    ids
}

/// The problems of using `theme` for `site`: a template that a file of the
/// site needs and the theme lacks, a heading anchor the theme takes, a file
/// named in `site.toml` that is nowhere.
pub fn check(site: &Site, theme: &Theme) -> Vec<Diagnostic> {
    let mut problems = missing_templates(site, theme);
    problems.extend(anchors_taken_by_theme(site, theme));
    problems.extend(missing_site_files(site, theme));
    problems
}

/// Where the files that `site.toml` names are in the site, for the
/// templates (`site.favicon`, `site.logo`).
#[derive(Debug, Clone, Default, PartialEq, Eq, Hash)]
pub struct SiteFiles {
    /// The favicon, if it is anywhere.
    pub favicon: Option<OutputPath>,
    /// The logo, if `site.toml` names one and it is anywhere.
    pub logo: Option<OutputPath>,
}

impl SiteFiles {
    /// The files `site.toml` names, looked up with [`locate`].
    pub fn of(site: &Site, theme: &Theme) -> Self {
        SiteFiles {
            favicon: locate(site, theme, &site.config.favicon.path),
            logo: site
                .config
                .logo
                .as_ref()
                .and_then(|logo| locate(site, theme, &logo.path)),
        }
    }
}

/// Where the file `path` that `site.toml` names is published: the file of
/// the project's `static/` at that path when there is one (copied to the
/// same path from the site root), else the theme's static file (copied
/// into `static/`).
pub fn locate(site: &Site, theme: &Theme, path: &str) -> Option<OutputPath> {
    if site.statics.iter().any(|file| file.path == path) {
        return layout::site_file(path);
    }
    theme.static_file(path).map(|file| file.output.clone())
}

/// An error for each file that `site.toml` names (`favicon`, `logo`) and
/// neither `static/` nor the theme has, with the nearest file that is.
pub fn missing_site_files(site: &Site, theme: &Theme) -> Vec<Diagnostic> {
    let named = [
        ("favicon", Some(&site.config.favicon)),
        ("logo", site.config.logo.as_ref()),
    ];
    let mut problems = Vec::new();
    for (key, setting) in named {
        let Some(setting) = setting else {
            continue;
        };
        if locate(site, theme, &setting.path).is_some() {
            continue;
        }
        let candidates = site
            .statics
            .iter()
            .map(|file| file.path.as_str())
            .chain(theme.static_files.iter().map(|file| file.name.as_str()));
        let help = crate::diagnostics::did_you_mean(&setting.path, candidates)
            .unwrap_or_else(|| format!("put the file at `static/{}`", setting.path));
        let at = setting
            .span
            .clone()
            .unwrap_or_else(|| Span::file_only("site.toml"));
        problems.push(
            Diagnostic::error(
                Code::BrokenLink,
                format!("`{key}` names `{}`, which is not there", setting.path),
            )
            .at(at)
            .label(format!(
                "no file `static/{0}` in the project, nor `{0}` among the static files of the theme `{1}`",
                setting.path, theme.name
            ))
            .help(help),
        );
    }
    problems
}

/// An error for each template that a file of `site` is rendered with
/// ([`Job::template`]) and `theme` lacks: what a theme must have follows
/// from what the site has (a site without a print page needs no
/// `print.html`).
pub fn missing_templates(site: &Site, theme: &Theme) -> Vec<Diagnostic> {
    let needed: std::collections::BTreeSet<&str> =
        super::jobs(site).into_iter().map(Job::template).collect();
    needed
        .into_iter()
        .filter(|template| theme.file(template).is_none())
        .map(|template| {
            Diagnostic::error(
                Code::MissingTheme,
                format!("the theme `{}` has no template `{template}`", theme.name),
            )
            .at(Span::file_only(format!(
                "themes/{}/{}",
                theme.name,
                Folder::Templates.name()
            )))
            .help(format!("add `themes/{}/templates/{template}`", theme.name))
        })
        .collect()
}

/// An error for each heading of `site` whose `{#id}` is an id the theme
/// writes itself: the page would have it twice, and the theme's link to it
/// (the skip link to `#main`) would lead to the heading.
pub fn anchors_taken_by_theme(site: &Site, theme: &Theme) -> Vec<Diagnostic> {
    if theme.ids.is_empty() {
        return Vec::new();
    }
    let mut taken = Vec::new();
    for page in &site.pages {
        for (id, at) in &page.body.chosen_anchors {
            let Some((_, place)) = theme.ids.iter().find(|(theme_id, _)| theme_id == id) else {
                continue;
            };
            let at = page.body_offset + at;
            let text = page.file.text();
            let end = text[at..].find('\n').map_or(text.len(), |i| at + i);
            taken.push(
                Diagnostic::error(
                    Code::DuplicateAnchor,
                    format!("the anchor `{id}` is the theme's"),
                )
                .at(page.file.span(at..end))
                .label(format!(
                    "{}:{} writes `id=\"{id}\"`",
                    place.file.display(),
                    place.line
                ))
                .help(
                    "give this heading an anchor of its own: every anchor of a page is one place",
                ),
            );
        }
    }
    taken
}

/// The diagnostic for a theme that does not exist, with the themes that do.
fn missing_theme(project: &Project, name: &str, chosen_at: Option<Span>) -> Diagnostic {
    let available = available(project);
    let help = match crate::diagnostics::did_you_mean(name, available.iter().map(String::as_str)) {
        Some(suggestion) => suggestion,
        None => format!("the themes here are: {}", available.join(", ")),
    };
    let diagnostic = Diagnostic::error(
        Code::MissingTheme,
        format!("the theme `{name}` does not exist"),
    )
    .label(format!("no folder themes/{name}/"))
    .help(help);
    match chosen_at {
        Some(span) => diagnostic.at(span),
        None => diagnostic.at(Span::file_only("site.toml")).note(format!(
            "site.toml names no `theme`, so the theme `{name}` is used"
        )),
    }
}

/// The themes a project can name, sorted: the built-in `default` and
/// every folder of `themes/` (hidden ones aside).
pub fn available(project: &Project) -> Vec<String> {
    let mut available: Vec<String> = std::fs::read_dir(project.themes_dir())
        .map(|entries| {
            entries
                .filter_map(Result::ok)
                .filter(|e| e.path().is_dir())
                .filter_map(|e| e.file_name().to_str().map(str::to_string))
                .filter(|name| !name.starts_with('.'))
                .collect()
        })
        .unwrap_or_default();
    available.push(builtin::NAME.to_string());
    available.sort();
    available.dedup();
    available
}

/// Tera's `safe` filter without the copy: a string is marked safe as it is
/// (a page's whole body, and every mention of an agency's page, pass
/// through it); anything else becomes its text, marked safe, as with the
/// filter it replaces.
fn mark_safe(value: tera::Value, _: tera::Kwargs, _: &tera::State) -> tera::Value {
    if value.is_string() {
        value.mark_safe()
    } else {
        tera::Value::safe_string(&value.to_string())
    }
}

/// Parses every template. A broken template (a syntax error, a parent that
/// does not exist, a circle of `extends`) is reported and left out, then the
/// rest are tried again, so that every broken template is reported in one
/// run. What fails only because a broken template was left out is not
/// reported again.
fn compile(
    templates: &[(String, Arc<SourceFile>)],
    diagnostics: &mut Vec<Diagnostic>,
) -> Option<Tera> {
    let mut remaining: Vec<&(String, Arc<SourceFile>)> = templates.iter().collect();
    let mut left_out: Vec<String> = Vec::new();
    loop {
        let mut tera = Tera::new();
        tera.register_filter("safe", mark_safe);
        // A checkpoint of the budget of each file, where Tera's has none.
        tera.register_function("range", super::budget::range);
        let batch = remaining
            .iter()
            .map(|(name, file)| (name.as_str(), file.text()));
        let error = match tera.add_raw_templates(batch) {
            Ok(()) if left_out.is_empty() => return Some(tera),
            Ok(()) => return None,
            Err(error) => error,
        };
        let broken = errors::broken_template(&error);
        // Once a template is left out, what refers to it (a child, a
        // component, an include) fails too: the first error explains those.
        let consequence = match error.kind() {
            ErrorKind::SyntaxError(_) | ErrorKind::CircularExtend { .. } => false,
            ErrorKind::MissingParent { parent, .. } => left_out.contains(parent),
            _ => !left_out.is_empty(),
        };
        if !consequence {
            diagnostics.push(errors::template_error(&error, templates));
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::links::TermKind;

    /// The built-in theme alone, as a project without `themes/` gets it.
    fn built_in() -> (Theme, SourceMap) {
        let dir = tempfile::tempdir().unwrap();
        let mut sources = SourceMap::default();
        let mut diagnostics = Vec::new();
        let theme = load(
            &Project::new(dir.path()),
            builtin::NAME,
            None,
            &mut sources,
            &mut diagnostics,
        );
        assert!(diagnostics.is_empty(), "{diagnostics:#?}");
        (theme.unwrap(), sources)
    }

    #[test]
    fn the_built_in_theme_has_every_template_a_site_can_need() {
        let (theme, sources) = built_in();
        let jobs = [
            Job::Home,
            Job::Section(1),
            Job::Page(0),
            Job::Terms(TermKind::Agency),
            Job::Terms(TermKind::Topic),
            Job::Term(TermKind::Agency, 0),
            Job::Term(TermKind::Topic, 0),
            Job::Sources,
            Job::Source(0),
            Job::Coverage,
            Job::Search,
            Job::SearchIndex,
            Job::Print,
            Job::NotFound,
            Job::Sitemap,
            Job::SitemapIndex,
            Job::SitemapPart(0),
            Job::Feed,
        ];
        for job in jobs {
            let file = theme.file(job.template()).unwrap();
            // Named where no project file can be, and in the source map
            // that diagnostics are shown from.
            assert!(file.path().starts_with("<built-in>/default/templates"));
            assert!(
                sources.get(file.path()).is_some(),
                "{}",
                file.path().display()
            );
        }
        assert!(theme.static_file("style.css").is_some());
        assert!(theme.static_file(crate::config::DEFAULT_FAVICON).is_some());
        let (_, place) = theme.ids.iter().find(|(id, _)| id == "main").unwrap();
        assert_eq!(
            &*place.file,
            std::path::Path::new("<built-in>/default/templates/base.html")
        );
    }

    #[test]
    fn a_file_of_the_project_replaces_the_built_in_file_of_that_name_only() {
        let dir = tempfile::tempdir().unwrap();
        let templates = dir.path().join("themes/default/templates");
        std::fs::create_dir_all(&templates).unwrap();
        std::fs::write(templates.join("404.html"), "gone").unwrap();
        let mut sources = SourceMap::default();
        let mut diagnostics = Vec::new();
        let project = Project::new(dir.path());
        let theme = load(&project, "default", None, &mut sources, &mut diagnostics).unwrap();
        assert_eq!(
            theme.file("404.html").unwrap().path(),
            std::path::Path::new("themes/default/templates/404.html")
        );
        assert!(
            theme
                .file("page.html")
                .unwrap()
                .path()
                .starts_with("<built-in>")
        );
        let missing = load(&project, "mine", None, &mut sources, &mut diagnostics);
        assert!(missing.is_none());
        assert_eq!(
            diagnostics[0].help.as_deref(),
            Some("the themes here are: default")
        );
    }

    #[test]
    fn the_safe_filter_leaves_strings_unescaped_and_writes_anything_else() {
        let file = Arc::new(SourceFile::new(
            "themes/t/templates/a.html",
            "{{ html | safe }} {{ html }} {{ n | safe }} {{ list | safe }}",
        ));
        let mut diagnostics = Vec::new();
        let tera = compile(&[("a.html".to_string(), file)], &mut diagnostics).unwrap();
        let mut context = tera::Context::new();
        context.insert("html", "<b>&amp;</b>");
        context.insert("n", &3);
        context.insert("list", &["<i>"]);
        let html = tera.render("a.html", &context).unwrap();
        assert_eq!(
            html,
            "<b>&amp;</b> &lt;b&gt;&amp;amp;&lt;/b&gt; 3 [\"<i>\"]"
        );
        assert!(diagnostics.is_empty());
    }
}
