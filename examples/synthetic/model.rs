//! The corpus itself, apart from any site generator: the registries, the
//! sections and the pages, each page a list of Markdown blocks whose links
//! name what they point at ([`Target`]), so that every format writes the same
//! text and differs only in how it spells a link.

use std::fmt::Write as _;

/// How many sections the pages are spread over (page `i` is in section `i % 12`).
pub const SECTIONS: usize = 12;
/// How many agencies the registry holds.
pub const AGENCIES: usize = 50;
/// How many topics the registry holds.
pub const TOPICS: usize = 120;
/// The headings of every page, in order.
pub const HEADINGS: &[&str] = &["Overview", "Commitments", "Implementation", "Outlook"];

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

/// A small, fast, deterministic random number generator (SplitMix64).
pub struct Rng(u64);

impl Rng {
    /// A generator that always gives the same numbers for the same seed.
    pub fn new(seed: u64) -> Self {
        Rng(seed)
    }

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

    /// A capitalised sentence of `words` words, ending with a full stop.
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

    /// A sentence without its full stop, for titles and table cells.
    fn phrase(&mut self, words: usize) -> String {
        let mut sentence = self.sentence(words);
        sentence.pop();
        sentence
    }
}

/// The id of agency number `i`, such as `agency-07`.
pub fn agency_id(i: usize) -> String {
    format!("agency-{i:02}")
}

/// The full name of agency number `i`.
pub fn agency_name(i: usize) -> String {
    format!("Agency number {i}")
}

/// The id of topic number `i`, such as `topic-042`.
pub fn topic_id(i: usize) -> String {
    format!("topic-{i:03}")
}

/// The folder of section number `section`, such as `section-03`.
pub fn section_dir(section: usize) -> String {
    format!("section-{section:02}")
}

/// The section page number `page` belongs to.
pub fn section_of(page: usize) -> usize {
    page % SECTIONS
}

/// The file name of page number `page`, without `.md`, such as `page-00123`.
pub fn page_stem(page: usize) -> String {
    format!("page-{page:05}")
}

/// The path of page number `page` under `content/`, such as
/// `section-03/page-00123.md`.
pub fn page_path(page: usize) -> String {
    format!("{}/{}.md", section_dir(section_of(page)), page_stem(page))
}

/// The anchor a heading gets in both formats: its text in lowercase.
pub fn heading_anchor(heading: &str) -> String {
    heading.to_lowercase()
}

/// The items of a TOML array of strings, such as `"a", "b"` (the corpus's
/// strings need no escapes).
pub fn toml_strings<S: AsRef<str>>(values: impl IntoIterator<Item = S>) -> String {
    values
        .into_iter()
        .map(|value| format!("\"{}\"", value.as_ref()))
        .collect::<Vec<_>>()
        .join(", ")
}

/// An entry of the agency registry.
pub struct Agency {
    /// Its id, such as `agency-07`.
    pub id: String,
    /// Its full name.
    pub name: String,
    /// Its short name.
    pub short: String,
    /// `US`, `IN` or `joint`.
    pub country: &'static str,
    /// `government`, `industry`, `academia` or `company`.
    pub kind: &'static str,
    /// Its other names.
    pub aliases: Vec<String>,
    /// One line about it.
    pub description: String,
}

/// The agency registry: [`AGENCIES`] entries.
pub fn agencies() -> Vec<Agency> {
    (0..AGENCIES)
        .map(|i| Agency {
            id: agency_id(i),
            name: agency_name(i),
            short: format!("AG{i:02}"),
            country: ["US", "IN", "joint"][i % 3],
            kind: ["government", "industry", "academia", "company"][i % 4],
            aliases: vec![format!("Agency No. {i}")],
            description: format!("Synthetic agency {i}."),
        })
        .collect()
}

/// An entry of the topic registry.
pub struct Topic {
    /// Its id, such as `topic-042`.
    pub id: String,
    /// Its name.
    pub name: String,
    /// Its other names.
    pub aliases: Vec<String>,
    /// One line about it.
    pub description: String,
}

/// The topic registry: [`TOPICS`] entries.
pub fn topics() -> Vec<Topic> {
    (0..TOPICS)
        .map(|i| Topic {
            id: topic_id(i),
            name: format!("Topic number {i}"),
            aliases: vec![format!("Subject {i}")],
            description: format!("Synthetic topic {i}."),
        })
        .collect()
}

/// What a link points at, whatever the format spells it as.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Target {
    /// The page of agency number `n`.
    Agency(usize),
    /// The page of topic number `n`.
    Topic(usize),
    /// A heading of page number `page`.
    Page {
        /// The page's number.
        page: usize,
        /// The heading's anchor.
        anchor: String,
    },
}

/// A run of text in a block.
#[derive(Debug, Clone)]
pub enum Inline {
    /// Plain text, written as it is (it may hold line breaks).
    Text(String),
    /// A link with its text.
    Link {
        /// The link text.
        text: String,
        /// What it points at.
        target: Target,
    },
}

/// A Markdown block of a page body.
#[derive(Debug, Clone)]
pub enum Block {
    /// A second-level heading.
    Heading(&'static str),
    /// A paragraph.
    Paragraph(Vec<Inline>),
    /// A bulleted list of plain items.
    List(Vec<String>),
    /// A table with a header row and rows of three cells.
    Table {
        /// The header cells.
        header: [&'static str; 3],
        /// The rows, three cells each.
        rows: Vec<[Vec<Inline>; 3]>,
    },
    /// A fenced code block.
    Code {
        /// The fence's language.
        language: &'static str,
        /// The code, ending with a line break.
        code: &'static str,
    },
}

/// A content page: its front matter and its body.
#[derive(Debug, Clone)]
pub struct Page {
    /// The page's number, which also orders it.
    pub index: usize,
    /// Its title.
    pub title: String,
    /// Its one-sentence summary.
    pub summary: String,
    /// Its date, `2023-MM-DD`.
    pub date: String,
    /// The agencies of its front matter (numbers into [`agencies`]).
    pub agencies: Vec<usize>,
    /// The topics of its front matter (numbers into [`topics`]).
    pub topics: Vec<usize>,
    /// Its body.
    pub blocks: Vec<Block>,
}

impl Page {
    /// Draws page number `index` of a corpus of `pages` pages from `rng`.
    ///
    /// Pages must be drawn in order from one generator: each draw moves it on.
    /// With `plain_names`, the lead of each table row names its agency in
    /// plain text, unannotated, as writers leave names in tables; the same
    /// seed draws the same pages either way.
    pub fn draw(rng: &mut Rng, index: usize, pages: usize, plain_names: bool) -> Page {
        let agency_count = 2 + rng.below(3);
        let agencies = rng.distinct(agency_count, AGENCIES);
        let topic_count = 2 + rng.below(3);
        let topics = rng.distinct(topic_count, TOPICS);
        let title = format!("Page {index}: {}", rng.phrase(4));
        let summary = rng.sentence(12);
        let date = format!("2023-{:02}-{:02}", 1 + index % 12, 1 + index % 28);
        let links: Vec<usize> = (0..3).map(|_| rng.below(pages)).collect();
        let (language, code) = CODE[index % CODE.len()];

        let mut blocks = Vec::new();
        for (h, heading) in HEADINGS.iter().enumerate() {
            blocks.push(Block::Heading(heading));
            for p in 0..2 {
                let agency = agencies[(h + p) % agencies.len()];
                let topic = topics[(h + p) % topics.len()];
                let opening = rng.sentence(14);
                let (middle, end) = (rng.sentence(16), rng.sentence(12));
                blocks.push(Block::Paragraph(vec![
                    Inline::Text(format!("{opening} The ")),
                    Inline::Link {
                        text: "agency".to_string(),
                        target: Target::Agency(agency),
                    },
                    Inline::Text(" works on ".to_string()),
                    Inline::Link {
                        text: "this topic".to_string(),
                        target: Target::Topic(topic),
                    },
                    Inline::Text(format!(". {middle} {end}")),
                ]));
            }
            match h {
                0 => blocks.push(Block::List((0..4).map(|_| rng.sentence(8)).collect())),
                1 => {
                    let rows = (0..3)
                        .map(|r| {
                            let lead = agencies[r % agencies.len()];
                            let field = rng.phrase(2);
                            let status = rng.phrase(2);
                            let lead = if plain_names {
                                Inline::Text(agency_name(lead))
                            } else {
                                Inline::Link {
                                    text: agency_id(lead),
                                    target: Target::Agency(lead),
                                }
                            };
                            [
                                vec![Inline::Text(field)],
                                vec![lead],
                                vec![Inline::Text(status)],
                            ]
                        })
                        .collect();
                    blocks.push(Block::Table {
                        header: ["Field", "Lead", "Status"],
                        rows,
                    });
                }
                2 => blocks.push(Block::Code { language, code }),
                _ => {
                    let mut inlines = Vec::new();
                    for (n, &target) in links.iter().enumerate() {
                        let line_break = if n + 1 < links.len() { "\n" } else { "" };
                        inlines.push(Inline::Text("See also ".to_string()));
                        inlines.push(Inline::Link {
                            text: format!("page {target}"),
                            target: Target::Page {
                                page: target,
                                anchor: heading_anchor(HEADINGS[n % HEADINGS.len()]),
                            },
                        });
                        inlines.push(Inline::Text(format!(". {}{line_break}", rng.sentence(10))));
                    }
                    blocks.push(Block::Paragraph(inlines));
                }
            }
        }
        Page {
            index,
            title,
            summary,
            date,
            agencies,
            topics,
            blocks,
        }
    }

    /// The page as a Markdown file with TOML front matter, its links
    /// spelled by `link` (given the page's number and the link's target).
    pub fn to_markdown(&self, link: impl Fn(usize, &Target) -> String) -> String {
        let mut text = format!(
            "+++\ntitle = \"{}\"\nsummary = \"{}\"\nweight = {}\ndate = {}\nagencies = [{}]\ntopics = [{}]\n+++\n\n",
            self.title,
            self.summary,
            self.index,
            self.date,
            toml_strings(self.agencies.iter().map(|&i| agency_id(i))),
            toml_strings(self.topics.iter().map(|&i| topic_id(i))),
        );
        let inlines = |text: &mut String, inlines: &[Inline]| {
            for inline in inlines {
                match inline {
                    Inline::Text(plain) => text.push_str(plain),
                    Inline::Link {
                        text: label,
                        target,
                    } => {
                        let _ = write!(text, "[{label}]({})", link(self.index, target));
                    }
                }
            }
        };
        for block in &self.blocks {
            match block {
                Block::Heading(heading) => {
                    let _ = write!(text, "## {heading}\n\n");
                }
                Block::Paragraph(content) => {
                    inlines(&mut text, content);
                    text.push_str("\n\n");
                }
                Block::List(items) => {
                    for item in items {
                        let _ = writeln!(text, "- {item}");
                    }
                    text.push('\n');
                }
                Block::Table { header, rows } => {
                    let _ = writeln!(text, "| {} |", header.join(" | "));
                    let _ = writeln!(text, "|{}", "---|".repeat(header.len()));
                    for row in rows {
                        for cell in row {
                            text.push_str("| ");
                            inlines(&mut text, cell);
                            text.push(' ');
                        }
                        text.push_str("|\n");
                    }
                    text.push('\n');
                }
                Block::Code { language, code } => {
                    let _ = write!(text, "```{language}\n{code}```\n\n");
                }
            }
        }
        text
    }
}
