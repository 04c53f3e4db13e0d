//! A large site's one-off build holds its pages' HTML packed (compressed)
//! from the model stage to the render stage, and unpacks each as its file
//! is written (see `dossier::model::HOLD_HTML_UP_TO`). The files must be the
//! same, byte for byte, as those of a build that holds it as it is.

use std::path::Path;

use dossier::diagnostics::Diagnostic;
use dossier::load::Project;
use dossier::model::{self, Cache, Drafts};
use dossier::render::{self, Output};
use dossier::source::SourceMap;

use crate::common::{Site, repo_root};
use crate::fixture_site;

/// The files of the project at `root`, built once holding the pages' HTML
/// as it is and once packed.
fn built_both_ways(root: &Path) -> (Vec<Output>, Vec<Output>) {
    let project = Project::new(root.to_path_buf());
    let mut diagnostics: Vec<Diagnostic> = Vec::new();
    let input = dossier::load::load(&project, &mut diagnostics).expect("the project loads");
    let held = model::build_cached(
        &input,
        &mut Cache::default(),
        Drafts::LeftOut,
        &mut diagnostics,
    );
    let packed = model::build_cached(
        &input,
        &mut Cache::default().holding_html_up_to(0),
        Drafts::LeftOut,
        &mut Vec::new(),
    );
    assert!(
        held.pages
            .iter()
            .all(|page| page.body.packed_html.is_none())
    );
    assert!(
        packed
            .pages
            .iter()
            .all(|page| page.body.packed_html.is_some() && page.body.html.is_empty()),
        "the pages' HTML was held as it is"
    );
    let theme = render::theme::load(
        &project,
        &held.config.theme,
        None,
        &mut SourceMap::default(),
        &mut diagnostics,
    )
    .expect("the theme loads");
    let errors: Vec<&Diagnostic> = diagnostics.iter().filter(|d| d.is_error()).collect();
    assert!(errors.is_empty(), "{errors:#?}");
    let held = render::render(&held, &theme, &mut Vec::new());
    let packed = render::render(&packed, &theme, &mut Vec::new());
    (held, packed)
}

fn assert_same(held: &[Output], packed: &[Output]) {
    assert_eq!(held.len(), packed.len());
    for (held, packed) in held.iter().zip(packed) {
        assert_eq!(held.path, packed.path);
        assert!(
            held == packed,
            "`{}` differs when its pages' HTML is held packed",
            held.path
        );
    }
}

#[test]
fn the_bundled_briefing_is_the_same_packed() {
    let (held, packed) = built_both_ways(&repo_root());
    // Its pages, their leads, citations and print chapters included.
    assert!(held.iter().any(|o| o.path.as_str() == "print/index.html"));
    assert_same(&held, &packed);
}

#[test]
fn highlighted_code_footnotes_and_sections_are_the_same_packed() {
    let site = Site::new(fixture_site::SITE);
    let (held, packed) = built_both_ways(site.root());
    let launch = held
        .iter()
        .find(|o| String::from_utf8_lossy(&o.bytes).contains("<span class=\"hl-"))
        .expect("a page with highlighted code");
    assert!(launch.path.as_str().ends_with("index.html"));
    assert_same(&held, &packed);
}

#[test]
fn kept_raw_html_is_the_same_packed() {
    let archive = fixture_site::SITE
        .replacen(
            "theme = \"default\"\n",
            "theme = \"default\"\nallow_raw_html = true\n",
            1,
        )
        .replacen(
            "Opening words on",
            "<details><summary>More</summary><b onclick=\"x()\">Kept</b></details>\n\nOpening words on",
            1,
        );
    let site = Site::new(&archive);
    let (held, packed) = built_both_ways(site.root());
    let kept = held
        .iter()
        .find(|o| String::from_utf8_lossy(&o.bytes).contains("<summary>More</summary>"))
        .expect("a page that keeps its raw HTML");
    assert!(!String::from_utf8_lossy(&kept.bytes).contains("onclick"));
    assert_same(&held, &packed);
}

#[test]
fn only_a_one_off_build_of_a_site_over_the_limit_packs_its_html() {
    let site = Site::new(fixture_site::SITE);
    let project = Project::new(site.root().to_path_buf());
    let input = dossier::load::load(&project, &mut Vec::new()).expect("the project loads");
    // The Markdown of the pages a build without drafts renders.
    let markdown: usize = input
        .pages
        .iter()
        .filter(|page| !page.front.draft)
        .map(|page| page.body().len())
        .sum();
    let packed = |mut cache: Cache| {
        let site = model::build_cached(&input, &mut cache, Drafts::LeftOut, &mut Vec::new());
        site.pages
            .iter()
            .all(|page| page.body.packed_html.is_some())
    };
    assert!(!packed(Cache::default()), "a small site's HTML was packed");
    assert!(!packed(Cache::default().holding_html_up_to(markdown)));
    assert!(packed(Cache::default().holding_html_up_to(markdown - 1)));
    // A session keeps its bodies for the next build, as they are.
    assert!(!packed(Cache::keeping().holding_html_up_to(0)));
}
