//! Writes a large synthetic briefing, to measure the build and the search
//! index on more than the bundled site:
//!
//! ```sh
//! cargo run --release --example corpus -- /tmp/corpus 10000
//! cargo run --release -- build --root /tmp/corpus
//! ```
//!
//! The project gets `site.toml`, the default theme, 200 agencies and 300
//! topics with aliases, and the pages spread over 100 sections, each page a
//! few headings and annotated paragraphs of words drawn from a fixed list
//! with a fixed seed: the same arguments write the same corpus.

use std::fs;
use std::path::{Path, PathBuf};

const WORDS: &[&str] = &[
    "cooperation",
    "research",
    "supply",
    "chain",
    "standards",
    "launch",
    "satellite",
    "network",
    "quantum",
    "computing",
    "talent",
    "exchange",
    "university",
    "industry",
    "defense",
    "maritime",
    "security",
    "semiconductor",
    "packaging",
    "testing",
    "policy",
    "regulation",
    "export",
    "control",
    "investment",
    "innovation",
    "startup",
    "funding",
    "mission",
    "science",
    "data",
    "open",
    "radio",
    "access",
    "wireless",
    "spectrum",
    "training",
    "workshop",
    "roadmap",
    "partnership",
    "agency",
    "ministry",
    "program",
    "initiative",
    "dialogue",
    "forum",
    "review",
    "report",
    "meeting",
    "the",
    "and",
    "of",
    "with",
    "for",
    "a",
    "to",
    "in",
    "on",
    "new",
    "joint",
    "bilateral",
    "advanced",
];

/// A small deterministic generator (a linear congruential one), so that
/// the corpus needs no crate and is the same on every run.
struct Lcg(u64);

impl Lcg {
    fn next(&mut self, below: usize) -> usize {
        self.0 = self
            .0
            .wrapping_mul(6_364_136_223_846_793_005)
            .wrapping_add(1_442_695_040_888_963_407);
        ((self.0 >> 33) % below as u64) as usize
    }

    fn word(&mut self) -> &'static str {
        WORDS[self.next(WORDS.len())]
    }

    fn sentence(&mut self, words: usize) -> String {
        let mut text = String::new();
        for i in 0..words {
            if i > 0 {
                text.push(' ');
            }
            text.push_str(self.word());
        }
        text
    }
}

const AGENCIES: usize = 200;
const TOPICS: usize = 300;
const SECTIONS: usize = 100;

fn write(root: &Path, relative: &str, text: &str) -> std::io::Result<()> {
    let path = root.join(relative);
    if let Some(parent) = path.parent() {
        fs::create_dir_all(parent)?;
    }
    fs::write(path, text)
}

fn copy_dir(from: &Path, to: &Path) -> std::io::Result<()> {
    fs::create_dir_all(to)?;
    for entry in fs::read_dir(from)? {
        let entry = entry?;
        let target = to.join(entry.file_name());
        if entry.file_type()?.is_dir() {
            copy_dir(&entry.path(), &target)?;
        } else {
            fs::copy(entry.path(), target)?;
        }
    }
    Ok(())
}

fn registries(root: &Path, random: &mut Lcg) -> std::io::Result<()> {
    let mut agencies = String::new();
    for i in 0..AGENCIES {
        let name = format!("Agency {i} for {} {}", random.word(), random.word());
        agencies.push_str(&format!(
            "[agency-{i}]\nname = \"{name}\"\nshort = \"AG{i}\"\ncountry = \"{}\"\nkind = \"government\"\n\
             aliases = [\"The {name}\"]\ndescription = \"{}.\"\n\n",
            if i % 2 == 0 { "US" } else { "IN" },
            random.sentence(12)
        ));
    }
    write(root, "content/agencies.toml", &agencies)?;
    let mut topics = String::new();
    for i in 0..TOPICS {
        topics.push_str(&format!(
            "[topic-{i}]\nname = \"Topic {i} on {} {}\"\naliases = [\"Theme {i}\"]\ndescription = \"{}.\"\n\n",
            random.word(),
            random.word(),
            random.sentence(10)
        ));
    }
    write(root, "content/topics.toml", &topics)
}

fn page(random: &mut Lcg, title: &str, weight: usize) -> String {
    let mut text = format!(
        "+++\ntitle = \"{title}\"\nsummary = \"{}.\"\nweight = {weight}\n+++\n\n",
        random.sentence(14)
    );
    for heading in 0..3 {
        text.push_str(&format!("## Part {heading}: {}\n\n", random.sentence(3)));
        for _ in 0..3 {
            let agency = random.next(AGENCIES);
            let topic = random.next(TOPICS);
            text.push_str(&format!(
                "{} [AG{agency}](agency:agency-{agency}) {} [topic {topic}](topic:topic-{topic}) {}.\n\n",
                random.sentence(15),
                random.sentence(12),
                random.sentence(15)
            ));
        }
    }
    text
}

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let mut args = std::env::args().skip(1);
    let root = PathBuf::from(args.next().ok_or("usage: corpus DIR [PAGES]")?);
    let pages: usize = args.next().map_or(Ok(10_000), |n| n.parse())?;
    if root.exists() {
        return Err(format!("{} exists already", root.display()).into());
    }
    let mut random = Lcg(2023);
    write(
        &root,
        "site.toml",
        "title = \"Synthetic briefing\"\ndescription = \"A large corpus to measure dossier.\"\ntheme = \"default\"\n",
    )?;
    copy_dir(
        &Path::new(env!("CARGO_MANIFEST_DIR")).join("themes/default"),
        &root.join("themes/default"),
    )?;
    fs::create_dir_all(root.join("seeds"))?;
    registries(&root, &mut random)?;
    write(
        &root,
        "content/_index.md",
        "+++\ntitle = \"Synthetic briefing\"\n+++\n\nA corpus to measure the build.\n",
    )?;
    for section in 0..SECTIONS {
        write(
            &root,
            &format!("content/section-{section}/_index.md"),
            &format!(
                "+++\ntitle = \"Section {section}\"\nweight = {section}\n+++\n\nThe pages of section {section}.\n"
            ),
        )?;
    }
    for i in 0..pages {
        let section = i % SECTIONS;
        let text = page(&mut random, &format!("Page {i}"), i);
        write(
            &root,
            &format!("content/section-{section}/page-{i}.md"),
            &text,
        )?;
    }
    println!("wrote {pages} pages into {}", root.display());
    Ok(())
}
