//! Writes a deterministic synthetic briefing for benchmarks: N pages in 12
//! sections, each about 600 words with headings, a list, a table, a fenced
//! code block, three links to other pages, and two to four agencies (of 50)
//! and topics (of 120), annotated inline and listed in the front matter.
//!
//! ```text
//! cargo run --release --example corpus -- --pages 10000 --out /tmp/corpus-10k
//! cargo run --release --example corpus -- --pages 10000 --out /tmp/hugo-10k --format hugo
//! ```
//!
//! `--format hugo` writes the same pages as a Hugo site doing the same work
//! (see `synthetic/hugo.rs`). The same seed always gives the same files,
//! byte for byte.

#[path = "synthetic/mod.rs"]
mod synthetic;

use std::path::PathBuf;
use std::process::ExitCode;

use synthetic::{Corpus, DEFAULT_SEED, Format};

const USAGE: &str = "use --pages N --out DIR [--seed S] [--format dossier|hugo] [--plain-names]";

fn parse_args() -> Result<(Corpus, PathBuf), String> {
    let mut corpus = Corpus {
        pages: 1000,
        seed: DEFAULT_SEED,
        format: Format::Dossier,
        plain_names: false,
    };
    let mut out = PathBuf::from("corpus");
    let mut args = std::env::args().skip(1);
    while let Some(arg) = args.next() {
        let mut value = || args.next().ok_or(format!("{arg} needs a value"));
        match arg.as_str() {
            "--pages" => corpus.pages = value()?.parse().map_err(|e| format!("--pages: {e}"))?,
            "--out" => out = PathBuf::from(value()?),
            "--seed" => corpus.seed = value()?.parse().map_err(|e| format!("--seed: {e}"))?,
            "--format" => {
                corpus.format = value()?
                    .parse()
                    .map_err(|e| format!("--format: {e}; {USAGE}"))?;
            }
            "--plain-names" => corpus.plain_names = true,
            other => return Err(format!("unknown argument {other}; {USAGE}")),
        }
    }
    if corpus.pages == 0 {
        return Err(format!("--pages must be at least 1; {USAGE}"));
    }
    Ok((corpus, out))
}

fn main() -> ExitCode {
    let (corpus, out) = match parse_args() {
        Ok(parsed) => parsed,
        Err(message) => {
            eprintln!("corpus: {message}");
            return ExitCode::from(2);
        }
    };
    match corpus.write(&out) {
        Ok(()) => {
            eprintln!(
                "corpus: wrote {} pages for {} to {}",
                corpus.pages,
                corpus.format.name(),
                out.display()
            );
            ExitCode::SUCCESS
        }
        Err(error) => {
            eprintln!("corpus: {error}");
            ExitCode::FAILURE
        }
    }
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeMap;
    use std::path::Path;

    use super::synthetic::{Corpus, Format, model};

    const PAGES: usize = 60;

    fn write(format: Format, seed: u64) -> tempfile::TempDir {
        write_with(format, seed, false)
    }

    fn write_with(format: Format, seed: u64, plain_names: bool) -> tempfile::TempDir {
        let dir = tempfile::tempdir().unwrap();
        Corpus {
            pages: PAGES,
            seed,
            format,
            plain_names,
        }
        .write(dir.path())
        .unwrap();
        dir
    }

    /// Every file under `root`, by its path relative to `root`.
    fn files(root: &Path) -> BTreeMap<String, String> {
        walkdir::WalkDir::new(root)
            .into_iter()
            .map(Result::unwrap)
            .filter(|entry| entry.file_type().is_file())
            .map(|entry| {
                let relative = entry.path().strip_prefix(root).unwrap();
                let text = std::fs::read_to_string(entry.path()).unwrap();
                (relative.to_string_lossy().into_owned(), text)
            })
            .collect()
    }

    fn pages(root: &Path) -> BTreeMap<String, String> {
        files(&root.join("content"))
            .into_iter()
            .filter(|(path, _)| path.starts_with("section-") && !path.ends_with("_index.md"))
            .collect()
    }

    /// The destinations of the Markdown links of `text`.
    fn link_destinations(text: &str) -> Vec<String> {
        let link = regex::Regex::new(r"\]\(([^)]*)\)").unwrap();
        link.captures_iter(text).map(|c| c[1].to_string()).collect()
    }

    /// `relative` resolved against the folder `base` (both with `/`).
    fn resolve(base: &str, relative: &str) -> String {
        let mut parts: Vec<&str> = base.split('/').filter(|p| !p.is_empty()).collect();
        for part in relative.split('/') {
            match part {
                "" | "." => {}
                ".." => {
                    parts.pop();
                }
                name => parts.push(name),
            }
        }
        parts.join("/")
    }

    fn heading_anchors(page: &str) -> Vec<String> {
        page.lines()
            .filter_map(|line| line.strip_prefix("## "))
            .map(model::heading_anchor)
            .collect()
    }

    #[test]
    fn same_seed_writes_the_same_bytes_and_another_seed_other_pages() {
        for format in [Format::Dossier, Format::Hugo] {
            let (first, again) = (write(format, 7), write(format, 7));
            assert_eq!(files(first.path()), files(again.path()), "{format:?}");
            let other = write(format, 8);
            assert_ne!(pages(first.path()), pages(other.path()), "{format:?}");
        }
    }

    #[test]
    fn plain_names_leave_the_table_leads_unannotated_and_change_nothing_else() {
        let lead =
            regex::Regex::new(r"(?m)^(\| [^|]+ \| )(\[agency-(\d+)\]\([^)]*\))( \|)").unwrap();
        for format in [Format::Dossier, Format::Hugo] {
            let linked = pages(write_with(format, 7, false).path());
            let plain = pages(write_with(format, 7, true).path());
            let mut leads = 0;
            for (path, text) in &linked {
                leads += lead.find_iter(text).count();
                let named = lead.replace_all(text, |c: &regex::Captures| {
                    let number: usize = c[3].parse().unwrap();
                    format!("{}{}{}", &c[1], model::agency_name(number), &c[4])
                });
                assert_eq!(named, plain[path], "{format:?} {path}");
            }
            assert_eq!(leads, 3 * PAGES, "{format:?}: three table rows a page");
        }
    }

    #[test]
    fn both_formats_hold_the_same_pages_and_differ_only_in_link_destinations() {
        let (dossier, hugo) = (write(Format::Dossier, 7), write(Format::Hugo, 7));
        let (dossier, hugo) = (pages(dossier.path()), pages(hugo.path()));
        assert_eq!(dossier.len(), PAGES);
        assert_eq!(
            dossier.keys().collect::<Vec<_>>(),
            hugo.keys().collect::<Vec<_>>()
        );
        let destination = regex::Regex::new(r"\]\([^)]*\)").unwrap();
        for (path, text) in &dossier {
            let hugo_text = &hugo[path];
            assert_ne!(text, hugo_text, "{path}: the links should differ");
            assert_eq!(
                destination.replace_all(text, "]()"),
                destination.replace_all(hugo_text, "]()"),
                "{path}"
            );
        }
    }

    #[test]
    fn every_dossier_link_names_a_registry_entry_or_a_heading_of_another_page() {
        let dir = write(Format::Dossier, 7);
        let content = dir.path().join("content");
        let registry = |file: &str| std::fs::read_to_string(content.join(file)).unwrap();
        let (agencies, topics) = (registry("agencies.toml"), registry("topics.toml"));
        let pages = pages(dir.path());
        let mut page_links = 0;
        for (path, text) in &pages {
            let folder = path.rsplit_once('/').unwrap().0;
            for destination in link_destinations(text) {
                if let Some(id) = destination.strip_prefix("agency:") {
                    assert!(agencies.contains(&format!("[{id}]\n")), "{path}: {id}");
                } else if let Some(id) = destination.strip_prefix("topic:") {
                    assert!(topics.contains(&format!("[{id}]\n")), "{path}: {id}");
                } else {
                    let (file, anchor) = destination.split_once('#').unwrap();
                    let target = resolve(folder, file);
                    let target_text = pages.get(&target).unwrap_or_else(|| {
                        panic!("{path}: {destination} is not a page");
                    });
                    assert!(
                        heading_anchors(target_text).iter().any(|a| a == anchor),
                        "{path}: {destination} has no such heading"
                    );
                    page_links += 1;
                }
            }
        }
        assert_eq!(page_links, 3 * PAGES);
    }

    #[test]
    fn every_hugo_link_leads_to_the_permalink_of_a_term_or_a_heading_of_a_page() {
        let dir = write(Format::Hugo, 7);
        let content = dir.path().join("content");
        let pages = pages(dir.path());
        let mut page_links = 0;
        for (path, text) in &pages {
            let permalink = path.trim_end_matches(".md");
            for destination in link_destinations(text) {
                let (url, anchor) = destination.split_once('#').unwrap_or((&destination, ""));
                assert!(
                    url.ends_with('/'),
                    "{path}: {destination} is not a permalink"
                );
                let target = resolve(permalink, url);
                if target.starts_with("agencies/") || target.starts_with("topics/") {
                    assert!(
                        content.join(&target).join("_index.md").is_file(),
                        "{path}: {destination} is not a term page"
                    );
                } else {
                    let target_text = pages.get(&format!("{target}.md")).unwrap_or_else(|| {
                        panic!("{path}: {destination} is not a page");
                    });
                    assert!(
                        heading_anchors(target_text).iter().any(|a| a == anchor),
                        "{path}: {destination} has no such heading"
                    );
                    page_links += 1;
                }
            }
        }
        assert_eq!(page_links, 3 * PAGES);
    }

    #[test]
    fn hugo_term_pages_carry_every_registry_entry_with_its_name_and_description() {
        let dir = write(Format::Hugo, 7);
        let content = dir.path().join("content");
        for agency in model::agencies() {
            let page = std::fs::read_to_string(
                content.join("agencies").join(&agency.id).join("_index.md"),
            )
            .unwrap();
            assert!(page.contains(&format!("title = \"{}\"", agency.name)));
            assert!(page.contains(&format!("description = \"{}\"", agency.description)));
        }
        for topic in model::topics() {
            let page =
                std::fs::read_to_string(content.join("topics").join(&topic.id).join("_index.md"))
                    .unwrap();
            assert!(page.contains(&format!("title = \"{}\"", topic.name)));
            assert!(page.contains(&format!("description = \"{}\"", topic.description)));
        }
    }
}
