//! `site.toml`: the site's settings.

use std::sync::Arc;

use crate::colour::Rgb;
use crate::diagnostics::lints::{Level, Lints};
use crate::diagnostics::{Code, Diagnostic, did_you_mean};
use crate::links::address::{NotWeb, web_address};
use crate::paths::OutputPath;
use crate::source::{SourceFile, Span};
use crate::toml_fields::{self, Place, Table};

/// The keys `site.toml` accepts.
pub const KEYS: &[&str] = &[
    "title",
    "description",
    "language",
    "theme",
    "base_url",
    "edit_url",
    "allow_raw_html",
    "print_page",
    "countries",
    "template_time_limit",
    "template_output_limit",
    "feed_limit",
    "lints",
    "favicon",
    "logo",
    "accent",
    "accent_dark",
];

/// What `edit_url` of `site.toml` holds for the page's path.
pub const EDIT_URL_PATH: &str = "{path}";

/// The favicon unless `site.toml` names another: the built-in theme's.
pub const DEFAULT_FAVICON: &str = "favicon.svg";

/// The backgrounds the built-in theme draws its accent on, light and dark,
/// and the contrast it keeps with them (WCAG 2, level AA for text).
pub const BACKGROUNDS: [(&str, Rgb); 2] = [
    ("light", Rgb([0xff, 0xff, 0xff])),
    ("dark", Rgb([0x12, 0x14, 0x17])),
];

/// The contrast the built-in theme keeps between text and its background.
pub const CONTRAST: f64 = 4.5;

/// A file the site links to from every page (the favicon, the logo): a
/// path in the project's `static/` folder or the theme's.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct FileSetting {
    /// The path, `/`-separated, as `site.toml` writes it.
    pub path: String,
    /// Where `site.toml` names it; `None` for the default.
    pub span: Option<Span>,
}

/// A country the agency registry may name, as `site.toml` declares it.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Country {
    /// The code agencies give as their `country` (`US`, `IN`, `joint`).
    pub code: String,
    /// The name pages show (`United States`).
    pub name: String,
}

/// How long a template may take to render one file, in seconds, unless
/// `site.toml` says otherwise. The slowest, the print page's, takes 0.15 to
/// 0.3 s for the 10,000 pages of the synthetic corpus and 6.5 s for
/// 100,000 (on two shared cores): ten times that still leaves room.
pub const DEFAULT_TEMPLATE_TIME_LIMIT: u64 = 60;

/// How much a template may write into one file, in MiB, unless `site.toml`
/// says otherwise. The largest file, the print page, grows with the
/// content: 112 MiB for the 10,000 pages of the synthetic corpus, 1,122 MiB
/// for 100,000.
pub const DEFAULT_TEMPLATE_OUTPUT_LIMIT: u64 = 2048;

/// The site's settings.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Config {
    /// The site's name, shown on every page.
    pub title: String,
    /// One or two sentences about the site, for the home page and the feed.
    pub description: String,
    /// The language of the content, as a BCP 47 tag (`en`, `en-US`).
    pub language: String,
    /// The theme: a folder of `themes/`.
    pub theme: String,
    /// Where `theme` is set in `site.toml`; `None` when the default is used.
    pub theme_span: Option<Span>,
    /// The address the site is published at, ending in `/`; only the sitemap
    /// and the feed use it, every link in the pages stays relative.
    pub base_url: Option<String>,
    /// Where a page is edited: a web address with [`EDIT_URL_PATH`] where
    /// the page's path goes (`https://github.com/org/repo/edit/main/{path}`).
    pub edit_url: Option<String>,
    /// Publish HTML found in Markdown, without what can run script,
    /// instead of showing it as text.
    pub allow_raw_html: bool,
    /// Build `print/index.html`, the whole briefing on one page.
    pub print_page: bool,
    /// The countries of the agency registry, in the order the agencies
    /// index lists them (`[countries]`); empty when `site.toml` declares
    /// none, and every code is then shown as it is.
    pub countries: Vec<Country>,
    /// How long a template may take to render one file, in seconds.
    pub template_time_limit: u64,
    /// How much a template may write into one file, in MiB.
    pub template_output_limit: u64,
    /// How many pages the feed lists, the last changed first; `None` for
    /// every page. A feed reader fetches the whole feed each time it looks
    /// for news: a site of many pages keeps its feed short with this.
    pub feed_limit: Option<u64>,
    /// The level of each lint (`[lints]`).
    pub lints: Lints,
    /// The icon browsers show for the site: a file of `static/` or of the
    /// theme's static files.
    pub favicon: FileSetting,
    /// An image shown beside the site's title, if any: a file of `static/`
    /// or of the theme's static files.
    pub logo: Option<FileSetting>,
    /// The accent colour on light backgrounds; `None` keeps the theme's.
    pub accent: Option<Rgb>,
    /// The accent colour on dark backgrounds; `None` keeps the theme's.
    pub accent_dark: Option<Rgb>,
}

impl Config {
    /// The name of the country `code`: the declared one, or the code.
    pub fn country_name<'c>(&'c self, code: &'c str) -> &'c str {
        self.countries
            .iter()
            .find(|country| country.code == code)
            .map_or(code, |country| country.name.as_str())
    }

    /// Where the file at `path` (relative to the project root, such as
    /// `content/domains/space.md`) is edited: `edit_url` with the path,
    /// percent-encoded, for `{path}`; `None` without `edit_url`.
    ///
    /// ```
    /// use dossier::config::Config;
    /// let config = Config {
    ///     edit_url: Some("https://example.org/edit/main/{path}".into()),
    ///     ..Config::default()
    /// };
    /// assert_eq!(
    ///     config.edit_address("content/domains/space & time.md").as_deref(),
    ///     Some("https://example.org/edit/main/content/domains/space%20%26%20time.md")
    /// );
    /// ```
    pub fn edit_address(&self, path: &str) -> Option<String> {
        let url = self.edit_url.as_ref()?;
        Some(url.replace(EDIT_URL_PATH, &crate::links::percent_encode_path(path)))
    }

    /// Where the country `code` comes in the declared order; undeclared
    /// codes come after, by code.
    pub fn country_rank<'c>(&self, code: &'c str) -> (usize, &'c str) {
        let declared = self
            .countries
            .iter()
            .position(|country| country.code == code);
        (declared.unwrap_or(self.countries.len()), code)
    }
}

impl Default for Config {
    fn default() -> Self {
        Config {
            title: "Untitled".to_string(),
            description: String::new(),
            language: "en".to_string(),
            theme: "default".to_string(),
            theme_span: None,
            base_url: None,
            edit_url: None,
            allow_raw_html: false,
            print_page: true,
            countries: Vec::new(),
            template_time_limit: DEFAULT_TEMPLATE_TIME_LIMIT,
            template_output_limit: DEFAULT_TEMPLATE_OUTPUT_LIMIT,
            feed_limit: None,
            lints: Lints::default(),
            favicon: FileSetting {
                path: DEFAULT_FAVICON.to_string(),
                span: None,
            },
            logo: None,
            accent: None,
            accent_dark: None,
        }
    }
}

/// Reads `site.toml`. Every problem is reported; the settings that could be
/// read are returned with defaults for the rest.
pub fn read(file: &Arc<SourceFile>, diagnostics: &mut Vec<Diagnostic>) -> Config {
    let mut config = Config::default();
    let place = Place::new(Arc::clone(file), 0);
    let Some(table) = toml_fields::parse(file.text(), &place, diagnostics) else {
        return config;
    };
    let reader = Table::new(table.get_ref(), file.start_span(), &place, "site.toml");
    reader.deny_unknown_keys(KEYS, diagnostics);
    if let Some(title) = reader.required_string("title", "\"My briefing\"", diagnostics) {
        config.title = title.value;
    }
    if let Some(description) = reader.string("description", diagnostics) {
        config.description = description.value;
    }
    if let Some(language) = reader.string("language", diagnostics) {
        if is_language_tag(&language.value) {
            config.language = language.value;
        } else {
            diagnostics.push(
                Diagnostic::error(
                    Code::InvalidValue,
                    format!("`{}` is not a language tag", language.value),
                )
                .at(language.span)
                .label("expected a tag such as `en` or `en-US`"),
            );
        }
    }
    if let Some(theme) = reader.string("theme", diagnostics) {
        if is_folder_name(&theme.value) {
            config.theme = theme.value;
            config.theme_span = Some(theme.span);
        } else {
            diagnostics.push(
                Diagnostic::error(
                    Code::InvalidValue,
                    format!("`{}` is not the name of a theme", theme.value),
                )
                .at(theme.span)
                .label("expected the name of a folder of `themes/`, not a path")
                .help("put the theme in `themes/<name>/` and set `theme = \"<name>\"`: dossier reads nothing outside the project"),
            );
        }
    }
    if let Some(base_url) = reader.string("base_url", diagnostics) {
        match web_address(&base_url.value) {
            Ok(url) => config.base_url = Some(format!("{}/", url.trim_end_matches('/'))),
            Err(why) => {
                diagnostics.push(not_a_web_address("base_url", &why).at(base_url.span).help(
                    "leave `base_url` out to publish without one: links stay relative either way",
                ))
            }
        }
    }
    if let Some(edit_url) = reader.string("edit_url", diagnostics) {
        match checked_edit_url(&edit_url.value) {
            Ok(url) => config.edit_url = Some(url),
            Err(problem) => diagnostics.push(problem.at(edit_url.span)),
        }
    }
    if let Some(print) = reader.boolean("print_page", diagnostics) {
        config.print_page = print.value;
    }
    if let Some(allow) = reader.boolean("allow_raw_html", diagnostics) {
        config.allow_raw_html = allow.value;
    }
    if let Some(countries) = reader.table("countries", diagnostics) {
        config.countries = countries
            .string_entries(diagnostics)
            .into_iter()
            .map(|(code, name)| Country {
                code: code.value,
                name: name.value,
            })
            .collect();
    }
    if let Some(limit) = limit(&reader, "template_time_limit", "seconds", diagnostics) {
        config.template_time_limit = limit;
    }
    if let Some(limit) = limit(&reader, "template_output_limit", "MiB", diagnostics) {
        config.template_output_limit = limit;
    }
    config.feed_limit = limit(&reader, "feed_limit", "pages", diagnostics);
    if let Some(lints) = reader.table("lints", diagnostics) {
        config.lints = read_lints(&lints, diagnostics);
    }
    if let Some(favicon) = file_setting(&reader, "favicon", diagnostics) {
        config.favicon = favicon;
    }
    config.logo = file_setting(&reader, "logo", diagnostics);
    config.accent = colour(&reader, "accent", 0, diagnostics);
    config.accent_dark = colour(&reader, "accent_dark", 1, diagnostics);
    config
}

/// The file named at `key`: a relative path, `/`-separated, that stays
/// inside its folder. Whether the file exists is checked with the theme.
fn file_setting(
    reader: &Table<'_, '_>,
    key: &str,
    diagnostics: &mut Vec<Diagnostic>,
) -> Option<FileSetting> {
    let value = reader.string(key, diagnostics)?;
    if OutputPath::file(&value.value).is_none() {
        diagnostics.push(
            Diagnostic::error(
                Code::InvalidValue,
                format!("`{}` is not the path of a file of `static/`", value.value),
            )
            .at(value.span)
            .label("expected a path such as `img/logo.svg`, relative to `static/`")
            .help("put the file in the project's `static/` folder and name it by its path there"),
        );
        return None;
    }
    Some(FileSetting {
        path: value.value,
        span: Some(value.span),
    })
}

/// The colour at `key`: `#rgb` or `#rrggbb`. One that keeps less contrast
/// than the theme does with the background `BACKGROUNDS[background]` is
/// kept, with a warning that suggests the nearest colour that keeps it.
fn colour(
    reader: &Table<'_, '_>,
    key: &str,
    background: usize,
    diagnostics: &mut Vec<Diagnostic>,
) -> Option<Rgb> {
    let value = reader.string(key, diagnostics)?;
    let Some(colour) = Rgb::parse(&value.value) else {
        diagnostics.push(
            Diagnostic::error(
                Code::InvalidValue,
                format!("`{}` is not a hex colour", value.value),
            )
            .at(value.span)
            .label("expected `#rgb` or `#rrggbb`, such as `#8a4b00`"),
        );
        return None;
    };
    let (scheme, back) = BACKGROUNDS[background];
    let ratio = colour.contrast(back);
    if ratio < CONTRAST {
        let towards = if back.luminance() > 0.5 {
            Rgb([0, 0, 0])
        } else {
            Rgb([0xff, 0xff, 0xff])
        };
        let nearest = colour.nearest_with_contrast(back, towards, CONTRAST);
        diagnostics.push(
            Diagnostic::warning(
                Code::LowContrast,
                format!(
                    "`{key}` {} has a contrast of {ratio:.1}:1 with the {scheme} background {}",
                    colour.hex(),
                    back.hex()
                ),
            )
            .at(value.span)
            .label(format!("the theme keeps {CONTRAST}:1 or more for text"))
            .help(format!(
                "the nearest colour that keeps it is `{}`",
                nearest.hex()
            )),
        );
    }
    Some(colour)
}

/// `edit_url` checked: an absolute web address with [`EDIT_URL_PATH`] in
/// its path, or the error to place at the value.
fn checked_edit_url(written: &str) -> Result<String, Diagnostic> {
    let url = web_address(written).map_err(|why| {
        not_a_web_address("edit_url", &why)
            .help("write the address of the page editor with `{path}` where the page's path goes, such as `https://github.com/org/repo/edit/main/{path}`")
    })?;
    let after_host = url
        .split_once("://")
        .and_then(|(_, rest)| rest.find('/').map(|at| &rest[at..]))
        .unwrap_or("");
    if !after_host.contains(EDIT_URL_PATH) {
        let label = if url.contains(EDIT_URL_PATH) {
            "`{path}` is in the host name, not the path"
        } else {
            "no `{path}` in this address"
        };
        return Err(Diagnostic::error(
            Code::InvalidValue,
            "`edit_url` must say where the page's path goes",
        )
        .label(label)
        .help("put `{path}` where the page's path goes, such as `https://github.com/org/repo/edit/main/{path}`: it becomes `content/domains/space.md`"));
    }
    Ok(url)
}

/// The levels of `[lints]`: each key a lint's name, each value `allow`,
/// `warn` or `deny`.
fn read_lints(table: &Table<'_, '_>, diagnostics: &mut Vec<Diagnostic>) -> Lints {
    let mut lints = Lints::default();
    for (name, level) in table.string_entries(diagnostics) {
        let code = Code::named(&name.value).filter(|code| code.is_lint());
        let Some(code) = code else {
            let listed = Lints::names()
                .map(|n| format!("`{n}`"))
                .collect::<Vec<_>>()
                .join(", ");
            let help = did_you_mean(&name.value, Lints::names())
                .unwrap_or_else(|| format!("the lints are {listed}"));
            let label = if Code::named(&name.value).is_some() {
                "an error, not a lint: errors are always errors"
            } else {
                "not a lint dossier knows"
            };
            diagnostics.push(
                Diagnostic::error(
                    Code::UnknownKey,
                    format!("unknown lint `{}` in `[lints]`", name.value),
                )
                .at(name.span)
                .label(label)
                .help(help),
            );
            continue;
        };
        match Level::named(&level.value) {
            Some(found) => lints.set(code, found),
            None => diagnostics.push(
                Diagnostic::error(
                    Code::InvalidValue,
                    format!("`{}` is not a lint level", level.value),
                )
                .at(level.span)
                .label("expected `allow`, `warn` or `deny`")
                .help(format!(
                    "write `{} = \"allow\"` to silence it, `\"warn\"` to warn (the default) or `\"deny\"` to fail the build",
                    name.value
                )),
            ),
        }
    }
    lints
}

/// The limit at `key`: a whole number of `unit`, at least 1.
fn limit(
    reader: &Table<'_, '_>,
    key: &str,
    unit: &str,
    diagnostics: &mut Vec<Diagnostic>,
) -> Option<u64> {
    let value = reader.integer(key, diagnostics)?;
    match u64::try_from(value.value) {
        Ok(limit) if limit > 0 => Some(limit),
        _ => {
            diagnostics.push(
                Diagnostic::error(Code::InvalidValue, format!("`{key}` must be at least 1"))
                    .at(value.span)
                    .label(format!("expected a whole number of {unit}")),
            );
            None
        }
    }
}

/// The error for a setting, `key`, that must be an absolute web address
/// and is not, with a label saying why.
pub fn not_a_web_address(key: &str, why: &NotWeb) -> Diagnostic {
    match why {
        NotWeb::Unsafe(scheme) => Diagnostic::error(
            Code::UnsafeLink,
            format!("`{key}` is a `{scheme}:` address, which is never published"),
        )
        .label("this could run code in the reader's browser"),
        NotWeb::Other => Diagnostic::error(
            Code::InvalidValue,
            format!("`{key}` must be an absolute web address"),
        )
        .label("expected an address starting with https:// or http://"),
    }
}

/// Whether `name` names a folder by itself: not empty, not `.` or `..`, no
/// separator.
fn is_folder_name(name: &str) -> bool {
    !name.is_empty() && name != "." && name != ".." && !name.contains(['/', '\\', '\0'])
}

/// Whether `tag` looks like a BCP 47 language tag: letter subtags and
/// alphanumeric subtags of 1 to 8 characters, joined by hyphens.
fn is_language_tag(tag: &str) -> bool {
    let mut parts = tag.split('-');
    let primary_ok = parts
        .next()
        .is_some_and(|p| (2..=8).contains(&p.len()) && p.chars().all(|c| c.is_ascii_alphabetic()));
    primary_ok
        && parts.all(|p| (1..=8).contains(&p.len()) && p.chars().all(|c| c.is_ascii_alphanumeric()))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn read_text(text: &str) -> (Config, Vec<Diagnostic>) {
        let file = Arc::new(SourceFile::new("site.toml", text));
        let mut diagnostics = Vec::new();
        (read(&file, &mut diagnostics), diagnostics)
    }

    #[test]
    fn settings_are_read_and_base_url_gets_a_trailing_slash() {
        let (config, diagnostics) = read_text(
            "title = \"iCET\"\nlanguage = \"en-US\"\nbase_url = \"https://example.org/icet\"\n",
        );
        assert!(diagnostics.is_empty(), "{diagnostics:?}");
        assert_eq!(config.title, "iCET");
        assert_eq!(config.language, "en-US");
        assert_eq!(
            config.base_url.as_deref(),
            Some("https://example.org/icet/")
        );
        assert_eq!(config.theme, "default");
        assert_eq!(config.template_time_limit, DEFAULT_TEMPLATE_TIME_LIMIT);
        assert_eq!(config.template_output_limit, DEFAULT_TEMPLATE_OUTPUT_LIMIT);
    }

    #[test]
    fn limits_are_whole_numbers_of_at_least_one() {
        let (config, diagnostics) = read_text(
            "title = \"x\"\ntemplate_time_limit = 5\ntemplate_output_limit = 64\nfeed_limit = 50\n",
        );
        assert!(diagnostics.is_empty(), "{diagnostics:?}");
        assert_eq!(
            (
                config.template_time_limit,
                config.template_output_limit,
                config.feed_limit
            ),
            (5, 64, Some(50))
        );
        let (config, diagnostics) = read_text(
            "title = \"x\"\ntemplate_time_limit = 0\ntemplate_output_limit = -2\nfeed_limit = 0\n",
        );
        let problems: Vec<_> = diagnostics
            .iter()
            .map(|d| (d.code, d.span.as_ref().unwrap().line, d.message.as_str()))
            .collect();
        assert_eq!(
            problems,
            [
                (
                    Code::InvalidValue,
                    2,
                    "`template_time_limit` must be at least 1"
                ),
                (
                    Code::InvalidValue,
                    3,
                    "`template_output_limit` must be at least 1"
                ),
                (Code::InvalidValue, 4, "`feed_limit` must be at least 1"),
            ]
        );
        assert_eq!(config.template_time_limit, DEFAULT_TEMPLATE_TIME_LIMIT);
        assert_eq!(config.feed_limit, None);
    }

    #[test]
    fn lints_and_edit_url_are_read() {
        let (config, diagnostics) = read_text(
            "title = \"x\"\nedit_url = \"https://example.org/edit/{path}\"\n[lints]\nempty-page = \"deny\"\nno-agencies = \"allow\"\n",
        );
        assert!(diagnostics.is_empty(), "{diagnostics:?}");
        assert_eq!(config.lints.level(Code::EmptyPage), Level::Deny);
        assert_eq!(config.lints.level(Code::NoAgencies), Level::Allow);
        assert_eq!(config.lints.level(Code::UnusedEntry), Level::Warn);
        assert_eq!(
            config.edit_address("content/a b.md").as_deref(),
            Some("https://example.org/edit/content/a%20b.md")
        );
    }

    #[test]
    fn countries_keep_the_order_they_are_written_in() {
        let (config, diagnostics) = read_text(
            "title = \"x\"\n[countries]\nUS = \"United States\"\nIN = \"India\"\njoint = \"Joint bodies\"\n",
        );
        assert!(diagnostics.is_empty(), "{diagnostics:?}");
        let codes: Vec<&str> = config.countries.iter().map(|c| c.code.as_str()).collect();
        assert_eq!(codes, ["US", "IN", "joint"]);
        assert_eq!(config.country_name("IN"), "India");
        assert_eq!(config.country_name("FR"), "FR");
        assert!(config.country_rank("joint") < config.country_rank("AA"));
    }

    #[test]
    fn bad_values_are_reported_with_their_position() {
        let (_, diagnostics) = read_text(
            "title = \"x\"\nlanguage = \"english!\"\nbase_url = \"example.org\"\nthme = \"x\"\n",
        );
        let codes: Vec<_> = diagnostics
            .iter()
            .map(|d| (d.code, d.span.as_ref().unwrap().line))
            .collect();
        assert_eq!(
            codes,
            [
                (Code::UnknownKey, 4),
                (Code::InvalidValue, 2),
                (Code::InvalidValue, 3)
            ]
        );
        assert_eq!(
            diagnostics[0].help.as_deref(),
            Some("did you mean `theme`?")
        );
    }
}
