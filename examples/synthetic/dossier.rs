//! The corpus as a dossier project: `site.toml`, the default theme, the
//! registries as TOML, and annotations and page links as dossier writes them
//! (`agency:<id>`, `topic:<id>`, `../section-03/page-00123.md#overview`).

use std::fmt::Write as _;
use std::io;
use std::path::Path;

use super::model::{self, Target};
use super::write_file;

/// The folders of a project this format writes, removed before writing anew.
pub const GENERATED: &[&str] = &["content", "themes"];

/// Writes `site.toml`, the default theme and the registries. The print
/// page (the whole site on one page) is left out: the Hugo site has none,
/// and the two must do the same work.
pub fn write_frame(root: &Path) -> io::Result<()> {
    write_file(
        &root.join("site.toml"),
        "title = \"Synthetic briefing\"\ndescription = \"A generated corpus for benchmarks.\"\nlanguage = \"en\"\nprint_page = false\n\n[countries]\nUS = \"United States\"\nIN = \"India\"\njoint = \"Joint bodies\"\n",
    )?;
    copy_dir(
        &Path::new(env!("CARGO_MANIFEST_DIR")).join("themes"),
        &root.join("themes"),
    )?;
    let mut agencies = String::new();
    for agency in model::agencies() {
        let _ = write!(
            agencies,
            "[{}]\nname = \"{}\"\nshort = \"{}\"\ncountry = \"{}\"\nkind = \"{}\"\naliases = [{}]\ndescription = \"{}\"\n\n",
            agency.id,
            agency.name,
            agency.short,
            agency.country,
            agency.kind,
            model::toml_strings(&agency.aliases),
            agency.description,
        );
    }
    write_file(&root.join("content/agencies.toml"), &agencies)?;
    let mut topics = String::new();
    for topic in model::topics() {
        let _ = write!(
            topics,
            "[{}]\nname = \"{}\"\naliases = [{}]\ndescription = \"{}\"\n\n",
            topic.id,
            topic.name,
            model::toml_strings(&topic.aliases),
            topic.description,
        );
    }
    write_file(&root.join("content/topics.toml"), &topics)
}

/// A link from page number `from` to `target`, as dossier writes it.
pub fn link(from: usize, target: &Target) -> String {
    match target {
        Target::Agency(i) => format!("agency:{}", model::agency_id(*i)),
        Target::Topic(i) => format!("topic:{}", model::topic_id(*i)),
        Target::Page { page, anchor } => {
            if model::section_of(*page) == model::section_of(from) {
                format!("{}.md#{anchor}", model::page_stem(*page))
            } else {
                format!("../{}#{anchor}", model::page_path(*page))
            }
        }
    }
}

fn copy_dir(from: &Path, to: &Path) -> io::Result<()> {
    for entry in walkdir::WalkDir::new(from) {
        let entry = entry.map_err(io::Error::other)?;
        let relative = entry.path().strip_prefix(from).map_err(io::Error::other)?;
        let target = to.join(relative);
        if entry.file_type().is_dir() {
            std::fs::create_dir_all(&target)?;
        } else {
            std::fs::copy(entry.path(), &target)?;
        }
    }
    Ok(())
}
