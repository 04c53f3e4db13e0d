//! A deterministic synthetic briefing, written as a dossier project or as a
//! Hugo site doing the same work: N pages in 12 sections, each about 600
//! words with headings, a list, a table, a fenced code block, three links to
//! other pages, and two to four agencies (of 50) and topics (of 120),
//! annotated inline and listed in the front matter; optionally, tables that
//! name agencies in plain text, as writers leave them.
//!
//! Both formats draw the same pages from the same seed ([`model`]) and differ
//! only in how they write them: the site's settings and templates, the
//! registries, and how a link is spelled ([`dossier`], [`hugo`]). The same
//! seed always gives the same files, byte for byte.

pub mod dossier;
pub mod hugo;
pub mod model;

use std::io;
use std::path::Path;

use model::{Page, Rng, SECTIONS};

/// The seed the corpus is drawn from unless told otherwise.
pub const DEFAULT_SEED: u64 = 2023;

/// The site generator a corpus is written for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    /// A dossier project: `site.toml`, `content/`, `themes/`.
    Dossier,
    /// A Hugo site: `hugo.toml`, `content/`, `layouts/`.
    Hugo,
}

impl std::str::FromStr for Format {
    type Err = String;

    /// The format named `dossier` or `hugo`.
    fn from_str(name: &str) -> Result<Format, String> {
        match name {
            "dossier" => Ok(Format::Dossier),
            "hugo" => Ok(Format::Hugo),
            _ => Err(format!("unknown format {name}, expected dossier or hugo")),
        }
    }
}

impl Format {
    /// The format's name, as it is parsed.
    pub fn name(self) -> &'static str {
        match self {
            Format::Dossier => "dossier",
            Format::Hugo => "hugo",
        }
    }

    fn generated_dirs(self) -> &'static [&'static str] {
        match self {
            Format::Dossier => dossier::GENERATED,
            Format::Hugo => hugo::GENERATED,
        }
    }

    fn write_frame(self, root: &Path) -> io::Result<()> {
        match self {
            Format::Dossier => dossier::write_frame(root),
            Format::Hugo => hugo::write_frame(root),
        }
    }

    fn link(self, from: usize, target: &model::Target) -> String {
        match self {
            Format::Dossier => dossier::link(from, target),
            Format::Hugo => hugo::link(from, target),
        }
    }
}

/// What to write.
#[derive(Debug, Clone, Copy)]
pub struct Corpus {
    /// How many content pages.
    pub pages: usize,
    /// The seed they are drawn from.
    pub seed: u64,
    /// Which site generator to write them for.
    pub format: Format,
    /// Whether tables name their agencies in plain text, unannotated
    /// (see [`Page::draw`]): a dossier build then warns about each.
    pub plain_names: bool,
}

impl Corpus {
    /// Writes the corpus into `root`, first removing the folders a previous
    /// run of the same format wrote there (and nothing else).
    pub fn write(&self, root: &Path) -> io::Result<()> {
        for dir in self.format.generated_dirs() {
            let dir = root.join(dir);
            if dir.exists() {
                std::fs::remove_dir_all(&dir).map_err(|e| with_path(e, "cannot remove", &dir))?;
            }
        }
        self.format.write_frame(root)?;
        write_file(
            &root.join("content/_index.md"),
            "+++\ntitle = \"Synthetic briefing\"\nsummary = \"Generated for benchmarks.\"\n+++\n\nA generated briefing.\n",
        )?;
        for section in 0..SECTIONS {
            write_file(
                &root
                    .join("content")
                    .join(model::section_dir(section))
                    .join("_index.md"),
                &format!(
                    "+++\ntitle = \"Section {section}\"\nweight = {section}\n+++\n\nSection {section}.\n"
                ),
            )?;
        }
        let mut rng = Rng::new(self.seed);
        for index in 0..self.pages {
            let page = Page::draw(&mut rng, index, self.pages, self.plain_names);
            let text = page.to_markdown(|from, target| self.format.link(from, target));
            write_file(&root.join("content").join(model::page_path(index)), &text)?;
        }
        Ok(())
    }
}

/// Equivalent to [`std::fs::write`], creating the parent folders first,
/// with the path in the error.
pub fn write_file(path: &Path, text: &str) -> io::Result<()> {
    if let Some(parent) = path.parent() {
        std::fs::create_dir_all(parent).map_err(|e| with_path(e, "cannot create", parent))?;
    }
    std::fs::write(path, text).map_err(|e| with_path(e, "cannot write", path))
}

fn with_path(error: io::Error, what: &str, path: &Path) -> io::Error {
    io::Error::new(error.kind(), format!("{what} {}: {error}", path.display()))
}
