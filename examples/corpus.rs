//! Writes a deterministic synthetic briefing for benchmarks: N pages in 12
//! sections, each about 600 words with headings, a list, a table, a fenced
//! code block, three links to other pages, and two to four agencies (of 50)
//! and topics (of 120), annotated inline and listed in the front matter.
//!
//! ```text
//! cargo run --release --example corpus -- --pages 10000 --out /tmp/corpus-10k
//! ```
//!
//! The same seed always gives the same files, byte for byte.

use std::fmt::Write as _;
use std::path::{Path, PathBuf};

const SECTIONS: usize = 12;
const AGENCIES: usize = 50;
const TOPICS: usize = 120;

const WORDS: &[&str] = &[
    "cooperation",
    "partnership",
    "technology",
    "research",
    "industry",
    "academia",
    "government",
    "standards",
    "supply",
    "chains",
    "resilient",
    "critical",
    "emerging",
    "secure",
    "open",
    "innovation",
    "ecosystem",
    "bilateral",
    "joint",
    "development",
    "production",
    "exchange",
    "talent",
    "workforce",
    "capacity",
    "investment",
    "framework",
    "mechanism",
    "dialogue",
    "roadmap",
    "initiative",
    "commitment",
    "review",
    "assessment",
    "opportunity",
    "challenge",
    "strategy",
    "network",
    "platform",
    "program",
    "mission",
    "agency",
    "council",
    "ministry",
    "department",
    "national",
    "regional",
    "global",
    "shared",
    "common",
    "trusted",
    "advanced",
    "digital",
    "scientific",
    "commercial",
    "public",
    "private",
    "long-term",
    "near-term",
    "the",
    "of",
    "and",
    "to",
    "in",
    "for",
    "with",
    "on",
    "by",
    "from",
    "a",
    "an",
    "their",
    "both",
    "new",
    "two",
    "will",
    "is",
    "are",
    "be",
    "as",
    "at",
    "through",
    "across",
];

const CODE: &[(&str, &str)] = &[
    (
        "toml",
        "[mission]\nname = \"survey\"\nphase = 3\nsites = [\"north\", \"south\"]\n",
    ),
    (
        "rust",
        "fn allocate(budget: u64, shares: &[u64]) -> Vec<u64> {\n    let total: u64 = shares.iter().sum();\n    shares.iter().map(|s| budget * s / total.max(1)).collect()\n}\n",
    ),
    (
        "python",
        "def allocate(budget, shares):\n    total = sum(shares) or 1\n    return [budget * s // total for s in shares]\n",
    ),
];

const HEADINGS: &[&str] = &["Overview", "Commitments", "Implementation", "Outlook"];

/// A small, fast, deterministic random number generator (SplitMix64).
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^ (z >> 31)
    }

    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }

    /// `count` distinct numbers below `n`, in ascending order.
    fn distinct(&mut self, count: usize, n: usize) -> Vec<usize> {
        let mut chosen = Vec::with_capacity(count);
        while chosen.len() < count {
            let candidate = self.below(n);
            if !chosen.contains(&candidate) {
                chosen.push(candidate);
            }
        }
        chosen.sort_unstable();
        chosen
    }

    fn sentence(&mut self, words: usize) -> String {
        let mut text = String::new();
        for i in 0..words {
            let word = WORDS[self.below(WORDS.len())];
            if i == 0 {
                let mut chars = word.chars();
                if let Some(first) = chars.next() {
                    text.extend(first.to_uppercase());
                    text.push_str(chars.as_str());
                }
            } else {
                text.push(' ');
                text.push_str(word);
            }
        }
        text.push('.');
        text
    }
}

struct Options {
    pages: usize,
    out: PathBuf,
    seed: u64,
}

fn parse_args() -> Result<Options, String> {
    let mut options = Options {
        pages: 1000,
        out: PathBuf::from("corpus"),
        seed: 2023,
    };
    let mut args = std::env::args().skip(1);
    while let Some(arg) = args.next() {
        let mut value = || args.next().ok_or(format!("{arg} needs a value"));
        match arg.as_str() {
            "--pages" => options.pages = value()?.parse().map_err(|e| format!("--pages: {e}"))?,
            "--out" => options.out = PathBuf::from(value()?),
            "--seed" => options.seed = value()?.parse().map_err(|e| format!("--seed: {e}"))?,
            other => {
                return Err(format!(
                    "unknown argument {other}; use --pages N --out DIR [--seed S]"
                ));
            }
        }
    }
    Ok(options)
}

fn agency_id(i: usize) -> String {
    format!("agency-{i:02}")
}

fn topic_id(i: usize) -> String {
    format!("topic-{i:03}")
}

fn section_of(page: usize) -> usize {
    page % SECTIONS
}

fn page_path(page: usize) -> String {
    format!("section-{:02}/page-{page:05}.md", section_of(page))
}

fn write(path: &Path, text: &str) -> std::io::Result<()> {
    if let Some(parent) = path.parent() {
        std::fs::create_dir_all(parent)?;
    }
    std::fs::write(path, text)
}

fn registries(root: &Path) -> std::io::Result<()> {
    let mut agencies = String::new();
    for i in 0..AGENCIES {
        let country = ["US", "IN", "joint"][i % 3];
        let kind = ["government", "industry", "academia", "company"][i % 4];
        let _ = write!(
            agencies,
            "[{id}]\nname = \"Agency number {i}\"\nshort = \"AG{i:02}\"\ncountry = \"{country}\"\nkind = \"{kind}\"\naliases = [\"Agency No. {i}\"]\ndescription = \"Synthetic agency {i}.\"\n\n",
            id = agency_id(i)
        );
    }
    write(&root.join("content/agencies.toml"), &agencies)?;
    let mut topics = String::new();
    for i in 0..TOPICS {
        let _ = write!(
            topics,
            "[{id}]\nname = \"Topic number {i}\"\naliases = [\"Subject {i}\"]\ndescription = \"Synthetic topic {i}.\"\n\n",
            id = topic_id(i)
        );
    }
    write(&root.join("content/topics.toml"), &topics)
}

fn page(rng: &mut Rng, index: usize, pages: usize) -> String {
    let agency_count = 2 + rng.below(3);
    let agencies = rng.distinct(agency_count, AGENCIES);
    let topic_count = 2 + rng.below(3);
    let topics = rng.distinct(topic_count, TOPICS);
    let quoted = |ids: &[String]| {
        ids.iter()
            .map(|id| format!("\"{id}\""))
            .collect::<Vec<_>>()
            .join(", ")
    };
    let agency_ids: Vec<String> = agencies.iter().map(|&i| agency_id(i)).collect();
    let topic_ids: Vec<String> = topics.iter().map(|&i| topic_id(i)).collect();
    let mut text = format!(
        "+++\ntitle = \"Page {index}: {title}\"\nsummary = \"{summary}\"\nweight = {index}\ndate = 2023-{month:02}-{day:02}\nagencies = [{agencies}]\ntopics = [{topics}]\n+++\n\n",
        title = rng.sentence(4).trim_end_matches('.'),
        summary = rng.sentence(12),
        month = 1 + index % 12,
        day = 1 + index % 28,
        agencies = quoted(&agency_ids),
        topics = quoted(&topic_ids),
    );
    let links: Vec<usize> = (0..3).map(|_| rng.below(pages)).collect();
    let code = CODE[index % CODE.len()];
    for (h, heading) in HEADINGS.iter().enumerate() {
        let _ = writeln!(text, "## {heading}\n");
        for p in 0..2 {
            let agency = &agency_ids[(h + p) % agency_ids.len()];
            let topic = &topic_ids[(h + p) % topic_ids.len()];
            let _ = writeln!(
                text,
                "{} The [agency]({}) works on [this topic](topic:{topic}). {} {}\n",
                rng.sentence(14),
                format_args!("agency:{agency}"),
                rng.sentence(16),
                rng.sentence(12),
            );
        }
        match h {
            0 => {
                for _ in 0..4 {
                    let _ = writeln!(text, "- {}", rng.sentence(8));
                }
                text.push('\n');
            }
            1 => {
                text.push_str("| Field | Lead | Status |\n|---|---|---|\n");
                for r in 0..3 {
                    let _ = writeln!(
                        text,
                        "| {} | [{}](agency:{}) | {} |",
                        rng.sentence(2).trim_end_matches('.'),
                        agency_ids[r % agency_ids.len()],
                        agency_ids[r % agency_ids.len()],
                        rng.sentence(2).trim_end_matches('.'),
                    );
                }
                text.push('\n');
            }
            2 => {
                let _ = writeln!(text, "```{}\n{}```\n", code.0, code.1);
            }
            _ => {
                let from_dir = format!("section-{:02}", section_of(index));
                for (n, &target) in links.iter().enumerate() {
                    let target_path = page_path(target);
                    let relative = match target_path.split_once('/') {
                        Some((dir, file)) if dir == from_dir => file.to_string(),
                        _ => format!("../{target_path}"),
                    };
                    let anchor = HEADINGS[n % HEADINGS.len()].to_lowercase();
                    let _ = writeln!(
                        text,
                        "See also [page {target}]({relative}#{anchor}). {}",
                        rng.sentence(10)
                    );
                }
                text.push('\n');
            }
        }
    }
    text
}

fn main() -> std::process::ExitCode {
    let options = match parse_args() {
        Ok(options) => options,
        Err(message) => {
            eprintln!("corpus: {message}");
            return std::process::ExitCode::from(2);
        }
    };
    match generate(&options) {
        Ok(()) => {
            eprintln!(
                "corpus: wrote {} pages to {}",
                options.pages,
                options.out.display()
            );
            std::process::ExitCode::SUCCESS
        }
        Err(error) => {
            eprintln!("corpus: {error}");
            std::process::ExitCode::FAILURE
        }
    }
}

fn generate(options: &Options) -> std::io::Result<()> {
    let root = &options.out;
    if root.join("content").exists() {
        std::fs::remove_dir_all(root.join("content"))?;
    }
    write(
        &root.join("site.toml"),
        "title = \"Synthetic briefing\"\ndescription = \"A generated corpus for benchmarks.\"\nlanguage = \"en\"\n",
    )?;
    let themes = root.join("themes");
    if themes.exists() {
        std::fs::remove_dir_all(&themes)?;
    }
    copy_dir(
        &Path::new(env!("CARGO_MANIFEST_DIR")).join("themes"),
        &themes,
    )?;
    registries(root)?;
    write(
        &root.join("content/_index.md"),
        "+++\ntitle = \"Synthetic briefing\"\nsummary = \"Generated for benchmarks.\"\n+++\n\nA generated briefing.\n",
    )?;
    for section in 0..SECTIONS {
        write(
            &root.join(format!("content/section-{section:02}/_index.md")),
            &format!(
                "+++\ntitle = \"Section {section}\"\nweight = {section}\n+++\n\nSection {section}.\n"
            ),
        )?;
    }
    let mut rng = Rng(options.seed);
    for index in 0..options.pages {
        let text = page(&mut rng, index, options.pages);
        write(&root.join("content").join(page_path(index)), &text)?;
    }
    Ok(())
}

fn copy_dir(from: &Path, to: &Path) -> std::io::Result<()> {
    for entry in walkdir::WalkDir::new(from) {
        let entry = entry.map_err(std::io::Error::other)?;
        let relative = entry
            .path()
            .strip_prefix(from)
            .map_err(std::io::Error::other)?;
        let target = to.join(relative);
        if entry.file_type().is_dir() {
            std::fs::create_dir_all(&target)?;
        } else {
            std::fs::copy(entry.path(), &target)?;
        }
    }
    Ok(())
}
