//! Sections, reading order, and the output paths every input claims.

use std::collections::{BTreeSet, HashMap};

use super::{Page, PageId, Referents, Section, SectionId, Site, title_from_dir};
use crate::diagnostics::{Code, Diagnostic};
use crate::links::{self, layout};
use crate::load::PageSource;
use crate::paths::OutputPath;
use crate::source::Span;

/// The sections: `content/` itself, then every directory that holds a page
/// somewhere below it, by path. (A folder of images alone is no section.)
pub fn sections(pages: &[std::sync::Arc<PageSource>]) -> Vec<Section> {
    let mut with_pages: BTreeSet<String> = BTreeSet::new();
    for page in pages {
        let mut dir = page.dir();
        loop {
            if with_pages.contains(dir) {
                break;
            }
            with_pages.insert(dir.to_string());
            match dir.rsplit_once('/') {
                Some((parent, _)) => dir = parent,
                None if dir.is_empty() => break,
                None => dir = "",
            }
        }
    }
    with_pages.insert(String::new());
    let dirs: Vec<String> = with_pages.into_iter().collect();
    let position: HashMap<&str, usize> = dirs
        .iter()
        .enumerate()
        .map(|(i, d)| (d.as_str(), i))
        .collect();
    dirs.iter()
        .map(|dir| {
            let parent = if dir.is_empty() {
                None
            } else {
                let parent = dir.rsplit_once('/').map_or("", |(p, _)| p);
                position.get(parent).copied().map(SectionId)
            };
            Section {
                dir: dir.clone(),
                output: layout::section_output_path(dir),
                index: None,
                title: title_from_dir(dir),
                weight: 0,
                pages: Vec::new(),
                subsections: Vec::new(),
                parent,
            }
        })
        .collect()
}

/// Puts each page in its section, and each section in its parent.
pub fn attach_pages(sections: &mut [Section], pages: &[Page]) {
    for (i, page) in pages.iter().enumerate() {
        let section = &mut sections[page.section.0];
        if page.is_section_index {
            section.index = Some(PageId(i));
            section.title = page.title.clone();
            section.weight = page.weight;
        } else {
            section.pages.push(PageId(i));
        }
    }
    for i in 0..sections.len() {
        if let Some(parent) = sections[i].parent {
            sections[parent.0].subsections.push(SectionId(i));
        }
    }
}

/// Sorts pages and sub-sections by weight, then title, then path, and links
/// each page to its neighbours.
pub fn order_sections(site: &mut Site) {
    let pages = &site.pages;
    let page_key = |id: &PageId| {
        let page = &pages[id.0];
        (page.weight, page.title.to_lowercase(), page.path.as_str())
    };
    let mut orders = Vec::with_capacity(site.sections.len());
    for section in &site.sections {
        let mut ordered = section.pages.clone();
        ordered.sort_by_cached_key(page_key);
        let mut subsections = section.subsections.clone();
        subsections.sort_by_cached_key(|id| {
            let s = &site.sections[id.0];
            (s.weight, s.title.to_lowercase(), s.dir.as_str())
        });
        orders.push((ordered, subsections));
    }
    for (section, (ordered, subsections)) in site.sections.iter_mut().zip(orders) {
        for (i, id) in ordered.iter().enumerate() {
            let page = &mut site.pages[id.0];
            page.previous = i.checked_sub(1).map(|j| ordered[j]);
            page.next = ordered.get(i + 1).copied();
        }
        section.pages = ordered;
        section.subsections = subsections;
    }
}

/// Reports every output path claimed twice, and content or a file of
/// `static/` that would write where dossier writes its own pages.
pub fn check_collisions(site: &Referents, pages: &[Page], diagnostics: &mut Vec<Diagnostic>) {
    let asset_paths: Vec<Option<OutputPath>> = site
        .assets
        .iter()
        .map(|asset| links::asset_output_path(&asset.path))
        .collect();
    let static_paths: Vec<Option<OutputPath>> = site
        .statics
        .iter()
        .map(|file| layout::site_file(&file.path))
        .collect();
    let home = layout::home();
    let mut claims: Vec<(&OutputPath, Claimant)> =
        Vec::with_capacity(pages.len() + site.assets.len() + site.statics.len() + 1);
    claims.extend(
        pages
            .iter()
            .enumerate()
            .map(|(i, page)| (&page.output, Claimant::Page(i))),
    );
    for (i, section) in site.sections.iter().enumerate() {
        if section.index.is_none() && !section.dir.is_empty() {
            claims.push((&section.output, Claimant::Section(i)));
        }
    }
    // The home page is written even without a `content/_index.md`.
    if site
        .sections
        .first()
        .is_some_and(|root| root.index.is_none())
    {
        claims.push((&home, Claimant::Home));
    }
    for (i, (asset, path)) in site.assets.iter().zip(&asset_paths).enumerate() {
        match path {
            Some(path) => claims.push((path, Claimant::Asset(i))),
            None => diagnostics.push(
                Diagnostic::error(
                    Code::OutputCollision,
                    format!("`content/{}` has no valid output path", asset.path),
                )
                .at(Span::file_only(format!("content/{}", asset.path))),
            ),
        }
    }
    for (i, path) in static_paths.iter().enumerate() {
        match path {
            Some(path) => claims.push((path, Claimant::Static(i))),
            None => diagnostics.push(
                Diagnostic::error(
                    Code::OutputCollision,
                    format!("`static/{}` has no valid output path", site.statics[i].path),
                )
                .at(Span::file_only(format!("static/{}", site.statics[i].path))),
            ),
        }
    }
    let mut claimed: foldhash::HashMap<&str, Claimant> = foldhash::HashMap::default();
    for (path, claimant) in claims {
        let top = path.as_str().split('/').next().unwrap_or_default();
        let reserved = (path.as_str().contains('/') && layout::reserved_dirs().contains(&top))
            || layout::is_reserved_file(path.as_str());
        if reserved {
            diagnostics.push(
                Diagnostic::error(
                    Code::OutputCollision,
                    format!(
                        "{} would be written to `{path}`, which dossier writes itself",
                        claimant.describe(site, pages)
                    ),
                )
                .at(claimant.span(site, pages))
                .help(format!(
                    "rename it: the top-level names {} and the files {} are dossier's own",
                    layout::reserved_dirs()
                        .iter()
                        .map(|d| format!("`{d}/`"))
                        .collect::<Vec<_>>()
                        .join(", "),
                    layout::reserved_files()
                        .iter()
                        .chain([&layout::SITEMAP_PARTS])
                        .map(|d| format!("`{d}`"))
                        .collect::<Vec<_>>()
                        .join(", ")
                )),
            );
            continue;
        }
        match claimed.get(path.as_str()) {
            Some(first) => diagnostics.push(
                Diagnostic::error(
                    Code::OutputCollision,
                    format!(
                        "{} and {} would both be written to `{path}`",
                        claimant.describe(site, pages),
                        first.describe(site, pages)
                    ),
                )
                .at(claimant.span(site, pages))
                .help(if matches!(claimant, Claimant::Static(_)) {
                    "move or rename the file of `static/`: it is copied to the same path from the site root"
                } else {
                    "rename one of them: output paths come from file names, lowercased, with spaces and punctuation turned into hyphens"
                }),
            ),
            None => {
                claimed.insert(path.as_str(), claimant);
            }
        }
    }
}

/// What claims an output path: described only when two claim the same.
#[derive(Debug, Clone, Copy)]
enum Claimant {
    Page(usize),
    Section(usize),
    /// The home page, written without a `content/_index.md`.
    Home,
    Asset(usize),
    /// A file of `static/`.
    Static(usize),
}

impl Claimant {
    fn describe(self, site: &Referents, pages: &[Page]) -> String {
        match self {
            Claimant::Page(i) => format!("`content/{}`", pages[i].path),
            Claimant::Section(i) => format!("the section `content/{}/`", site.sections[i].dir),
            Claimant::Home => "the home page".to_string(),
            Claimant::Asset(i) => format!("`content/{}`", site.assets[i].path),
            Claimant::Static(i) => format!("`static/{}`", site.statics[i].path),
        }
    }

    fn span(self, site: &Referents, pages: &[Page]) -> Span {
        match self {
            Claimant::Page(i) => pages[i].file.start_span(),
            Claimant::Section(i) => Span::file_only(format!("content/{}", site.sections[i].dir)),
            Claimant::Home => Span::file_only("content"),
            Claimant::Asset(i) => Span::file_only(format!("content/{}", site.assets[i].path)),
            Claimant::Static(i) => Span::file_only(format!("static/{}", site.statics[i].path)),
        }
    }
}
