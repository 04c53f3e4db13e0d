//! Random sequences of edits, of every kind a writer makes while `dossier
//! serve` runs: after each, the session's incremental update gives exactly
//! the files of a full build. Where `session` walks one chosen sequence,
//! this lets proptest choose them (and shrink a failing one to the
//! shortest that still fails).

use dossier::load::Project;
use dossier::model::Drafts;
use dossier::session::Session;
use proptest::prelude::*;

use crate::common::{Site, repo_root};
use crate::session::{SITE, update_and_compare_with};

/// The pages of the fixture that edits may change but never delete: other
/// pages link to `wires.md#cables` and `launch.md`, so their headings and
/// their links stay.
const FIXED_PAGES: &[&str] = &[
    "content/domains/launch.md",
    "content/domains/wires.md",
    "content/domains/other.md",
    "content/_index.md",
];

/// The agencies of the fixture's registry.
const AGENCIES: &[&str] = &["space", "wires", "other"];

/// One edit a writer makes; the numbers choose among pages, agencies and
/// wordings, so that a sequence is shrinkable.
#[derive(Debug, Clone)]
enum Edit {
    /// The last paragraph of a page rewritten, annotating an agency.
    Body { page: usize, agency: usize, n: u8 },
    /// A page's title changed.
    Title { page: usize, n: u8 },
    /// A page's weight set, which reorders its section.
    Weight { page: usize, weight: i8 },
    /// An agency's description changed.
    Description { agency: usize, n: u8 },
    /// An agency added to the registry, or taken out again.
    ExtraAgency { present: bool },
    /// A topic's name changed.
    TopicName { n: u8 },
    /// The source document reworded, or a passage added after the cited one.
    Seed { n: u8, more: bool },
    /// A template of the theme overridden by the project.
    Template { template: usize, n: u8 },
    /// A file of `static/`, or the theme's style sheet, written.
    Static { theme: bool, n: u8 },
    /// A page of its own written (new or over an earlier one).
    NewPage { n: u8, agency: usize },
    /// One of the pages written by `NewPage` deleted.
    DeletePage { pick: usize },
    /// One of the pages written by `NewPage` renamed.
    RenamePage { pick: usize, n: u8 },
    /// One of the pages written by `NewPage` made a draft, or published.
    Draft { pick: usize, draft: bool },
    /// The site's title changed.
    Settings { n: u8 },
    /// A file of `content/` beside the pages.
    Asset { n: u8 },
}

fn edit() -> impl Strategy<Value = Edit> {
    prop_oneof![
        (0..FIXED_PAGES.len(), 0..AGENCIES.len(), 0..4u8)
            .prop_map(|(page, agency, n)| Edit::Body { page, agency, n }),
        (0..FIXED_PAGES.len(), 0..4u8).prop_map(|(page, n)| Edit::Title { page, n }),
        (0..FIXED_PAGES.len() - 1, -2..3i8)
            .prop_map(|(page, weight)| Edit::Weight { page, weight }),
        (0..AGENCIES.len(), 0..4u8).prop_map(|(agency, n)| Edit::Description { agency, n }),
        any::<bool>().prop_map(|present| Edit::ExtraAgency { present }),
        (0..3u8).prop_map(|n| Edit::TopicName { n }),
        (0..3u8, any::<bool>()).prop_map(|(n, more)| Edit::Seed { n, more }),
        (0..TEMPLATES.len(), 0..3u8).prop_map(|(template, n)| Edit::Template { template, n }),
        (any::<bool>(), 0..3u8).prop_map(|(theme, n)| Edit::Static { theme, n }),
        (0..4u8, 0..AGENCIES.len()).prop_map(|(n, agency)| Edit::NewPage { n, agency }),
        (0..4usize).prop_map(|pick| Edit::DeletePage { pick }),
        (0..4usize, 0..4u8).prop_map(|(pick, n)| Edit::RenamePage { pick, n }),
        (0..4usize, any::<bool>()).prop_map(|(pick, draft)| Edit::Draft { pick, draft }),
        (0..3u8).prop_map(|n| Edit::Settings { n }),
        (0..3u8).prop_map(|n| Edit::Asset { n }),
    ]
}

/// The templates edits override: each file, a piece of it, and what the
/// edit writes instead (`{n}` standing for the edit's number).
const TEMPLATES: &[(&str, &str, &str)] = &[
    ("page.html", "</h1>", " <i class=\"edit-{n}\"></i></h1>"),
    ("base.html", "<body>", "<body class=\"edit-{n}\">"),
    (
        "agency.html",
        "{% block content %}",
        "{% block content %}<i class=\"edit-{n}\"></i>",
    ),
    (
        "components.html",
        "</h1>",
        " <i class=\"edit-{n}\"></i></h1>",
    ),
];

/// Where the words of a page that edits rewrite begin.
const EDITED: &str = "\n\nEdited: ";

/// Applies `edit` to the project and returns the paths it changed (none
/// when it had nothing to act on).
fn apply(site: &Site, edit: &Edit) -> Vec<String> {
    let read = |path: &str| std::fs::read_to_string(site.path(path)).expect("a file of the site");
    let own_pages = || {
        let mut pages: Vec<String> = (0..4)
            .map(|n| format!("content/domains/p{n}.md"))
            .filter(|path| site.path(path).exists())
            .collect();
        pages.sort();
        pages
    };
    match *edit {
        Edit::Body { page, agency, n } => {
            let path = FIXED_PAGES[page];
            let text = read(path);
            let kept = text.split(EDITED).next().unwrap_or(&text);
            let id = AGENCIES[agency];
            site.write(
                path,
                &format!("{kept}{EDITED}version {n} of these words, with [{id}](agency:{id}).\n"),
            );
            vec![path.to_string()]
        }
        Edit::Title { page, n } => {
            let path = FIXED_PAGES[page];
            let text = read(path);
            let (front, body) = front_matter(&text);
            let front: String = front
                .lines()
                .map(|line| {
                    if line.starts_with("title = ") {
                        format!("title = \"Title {n}\"\n")
                    } else {
                        format!("{line}\n")
                    }
                })
                .collect();
            site.write(path, &format!("+++\n{front}+++\n{body}"));
            vec![path.to_string()]
        }
        Edit::Weight { page, weight } => {
            let path = FIXED_PAGES[page];
            let text = read(path);
            let (front, body) = front_matter(&text);
            let mut front: String = front
                .lines()
                .filter(|line| !line.starts_with("weight = "))
                .map(|line| format!("{line}\n"))
                .collect();
            front.push_str(&format!("weight = {weight}\n"));
            site.write(path, &format!("+++\n{front}+++\n{body}"));
            vec![path.to_string()]
        }
        Edit::Description { agency, n } => {
            let path = "content/agencies.toml";
            let text = read(path);
            let header = format!("[{}]\n", AGENCIES[agency]);
            let Some(start) = text.find(&header) else {
                return Vec::new();
            };
            let rest = &text[start..];
            let Some(line) = rest.find("description = ") else {
                return Vec::new();
            };
            let end = rest[line..].find('\n').map_or(rest.len(), |e| line + e);
            let edited = format!(
                "{}description = \"Description {n}.\"{}",
                &text[..start + line],
                &rest[end..]
            );
            site.write(path, &edited);
            vec![path.to_string()]
        }
        Edit::ExtraAgency { present } => {
            let path = "content/agencies.toml";
            let text = read(path);
            let extra = "\n[extra]\nname = \"Extra Agency\"\ncountry = \"US\"\nkind = \"government\"\ndescription = \"Extra.\"\n";
            let without = text.replace(extra, "");
            site.write(path, &if present { without + extra } else { without });
            vec![path.to_string()]
        }
        Edit::TopicName { n } => {
            site.write(
                "content/topics.toml",
                &format!(
                    "[quantum]\nname = \"Quantum {n}\"\ndescription = \"Quantum technologies.\"\n"
                ),
            );
            vec!["content/topics.toml".to_string()]
        }
        Edit::Seed { n, more } => {
            let more = if more { "- Another point.\n" } else { "" };
            site.write(
                "seeds/note.md",
                &format!(
                    "---\ntitle: A note\n---\n**The part**\n\n- First point, version {n}.\n{more}"
                ),
            );
            vec!["seeds/note.md".to_string()]
        }
        Edit::Template { template, n } => {
            let (name, piece, replacement) = TEMPLATES[template];
            let path = format!("themes/default/templates/{name}");
            let text = std::fs::read_to_string(repo_root().join(&path)).expect("template");
            let edited = text.replacen(piece, &replacement.replace("{n}", &n.to_string()), 1);
            assert_ne!(edited, text, "`{piece}` is not in {name}");
            site.write(&path, &edited);
            vec![path]
        }
        Edit::Static { theme, n } => {
            let path = if theme {
                "themes/default/static/style.css"
            } else {
                "static/extra.txt"
            };
            site.write(path, &format!("/* version {n} */\n"));
            vec![path.to_string()]
        }
        Edit::NewPage { n, agency } => {
            let path = format!("content/domains/p{n}.md");
            let id = AGENCIES[agency];
            site.write(
                &path,
                &format!(
                    "+++\ntitle = \"Page {n}\"\nweight = {}\nagencies = [\"{id}\"]\n+++\n## Part {n}\n\nWork of [{id}](agency:{id}) on [quantum](topic:quantum).\n",
                    10 + n
                ),
            );
            vec![path]
        }
        Edit::DeletePage { pick } => {
            let pages = own_pages();
            let Some(path) = pages.get(pick % pages.len().max(1)) else {
                return Vec::new();
            };
            std::fs::remove_file(site.path(path)).expect("delete a page");
            vec![path.clone()]
        }
        Edit::RenamePage { pick, n } => {
            let pages = own_pages();
            let Some(from) = pages.get(pick % pages.len().max(1)) else {
                return Vec::new();
            };
            let to = format!("content/domains/p{n}.md");
            if site.path(&to).exists() {
                return Vec::new();
            }
            std::fs::rename(site.path(from), site.path(&to)).expect("rename a page");
            vec![from.clone(), to]
        }
        Edit::Draft { pick, draft } => {
            let pages = own_pages();
            let Some(path) = pages.get(pick % pages.len().max(1)) else {
                return Vec::new();
            };
            let text = read(path);
            let without = text.replace("draft = true\n", "");
            let edited = if draft {
                without.replacen("+++\n", "+++\ndraft = true\n", 1)
            } else {
                without
            };
            site.write(path, &edited);
            vec![path.clone()]
        }
        Edit::Settings { n } => {
            site.write("site.toml", &format!("title = \"Session site {n}\"\n"));
            vec!["site.toml".to_string()]
        }
        Edit::Asset { n } => {
            let path = format!("content/img/asset-{n}.txt");
            site.write(&path, &format!("asset {n}\n"));
            vec![path]
        }
    }
}

/// The front matter of a page written with `+++` and its body.
fn front_matter(text: &str) -> (&str, &str) {
    let rest = text.strip_prefix("+++\n").unwrap_or(text);
    rest.split_once("+++\n").unwrap_or(("", rest))
}

proptest! {
    // Each case builds the site in full after every edit: a few dozen
    // cases cover every kind of edit many times over, in many orders.
    #![proptest_config(ProptestConfig::with_cases(64))]

    #[test]
    fn after_any_sequence_of_edits_an_update_matches_a_full_build(
        edits in prop::collection::vec(edit(), 1..7),
        drafts in any::<bool>(),
    ) {
        let drafts = if drafts { Drafts::Included } else { Drafts::LeftOut };
        let site = Site::new(SITE);
        let mut session = Session::new(Project::new(site.root())).with_drafts(drafts);
        update_and_compare_with(&mut session, &site, &[], drafts);
        for edit in &edits {
            let changed = apply(&site, edit);
            let changed: Vec<&str> = changed.iter().map(String::as_str).collect();
            update_and_compare_with(&mut session, &site, &changed, drafts);
        }
    }
}
