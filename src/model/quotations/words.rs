//! Quoted words against the words of a source: normalising both sides,
//! finding a quotation in a passage, and, when it is not there, lining it
//! up with the passage to find the first word that differs.
//!
//! Both texts are read as tokens: words (runs of letters and digits, with
//! apostrophes inside them) and single marks of punctuation. Spacing does
//! not count; every quotation mark is the same mark; every dash (`-`, `–`,
//! `—`, `--`) is the same dash; `...` is `…`. Case counts, except for the
//! first letter of the quotation and of each part after an ellipsis, which
//! may change case where a quotation starts a sentence or joins one.

use std::ops::Range;

/// A word or a mark of punctuation, normalised, with where it was written.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Token {
    /// The token as compared: quotation marks as `"`, dashes as `-`,
    /// apostrophes as `'`, an ellipsis as `…`.
    pub norm: String,
    /// Where it is in the text it was read from, in bytes.
    pub range: Range<usize>,
}

impl Token {
    fn is_word(&self) -> bool {
        self.norm.chars().next().is_some_and(char::is_alphanumeric)
    }
}

const QUOTE_MARKS: &[char] = &[
    '"', '“', '”', '„', '‟', '«', '»', '‘', '’', '‚', '‛', '\'', '′', '″',
];
const DASHES: &[char] = &['-', '‐', '‑', '‒', '–', '—', '―', '−'];
const APOSTROPHES: &[char] = &['\'', '’', '‘', 'ʼ'];
/// Characters that carry nothing: soft hyphens and zero-width spaces.
const INVISIBLE: &[char] = &['\u{ad}', '\u{200b}', '\u{200c}', '\u{200d}', '\u{feff}'];

/// Reads `text` as tokens.
///
/// ```
/// use dossier::model::quotations::words::tokens;
/// let norms: Vec<String> = tokens("India’s “bridges” — R&D...").into_iter().map(|t| t.norm).collect();
/// assert_eq!(norms, ["India's", "\"", "bridges", "\"", "-", "R", "&", "D", "…"]);
/// ```
pub fn tokens(text: &str) -> Vec<Token> {
    let mut tokens: Vec<Token> = Vec::new();
    let mut chars = text.char_indices().peekable();
    while let Some((start, c)) = chars.next() {
        if c.is_whitespace() || INVISIBLE.contains(&c) {
            continue;
        }
        if c.is_alphanumeric() {
            let mut norm = String::from(c);
            let mut end = start + c.len_utf8();
            while let Some(&(i, next)) = chars.peek() {
                if next.is_alphanumeric() || INVISIBLE.contains(&next) {
                    if !INVISIBLE.contains(&next) {
                        norm.push(next);
                    }
                } else if APOSTROPHES.contains(&next)
                    && text[i + next.len_utf8()..]
                        .chars()
                        .next()
                        .is_some_and(char::is_alphanumeric)
                {
                    norm.push('\'');
                } else {
                    break;
                }
                end = i + next.len_utf8();
                chars.next();
            }
            tokens.push(Token {
                norm,
                range: start..end,
            });
            continue;
        }
        let end = start + c.len_utf8();
        let norm = if QUOTE_MARKS.contains(&c) {
            "\""
        } else if DASHES.contains(&c) {
            "-"
        } else if c == '…' {
            "…"
        } else {
            ""
        };
        let token = Token {
            norm: if norm.is_empty() {
                c.to_string()
            } else {
                norm.to_string()
            },
            range: start..end,
        };
        // `--` is one dash and `...` one ellipsis.
        let previous = tokens.last_mut().filter(|t| t.range.end == start);
        match previous {
            Some(previous) if token.norm == "-" && previous.norm == "-" => {
                previous.range.end = end;
            }
            Some(previous) if token.norm == "." && previous.norm == ".." => {
                previous.norm = "…".to_string();
                previous.range.end = end;
            }
            Some(previous) if token.norm == "." && previous.norm == "." => {
                previous.norm = "..".to_string();
                previous.range.end = end;
            }
            _ => tokens.push(token),
        }
    }
    // Two dots that never became an ellipsis are two full stops.
    let mut split = Vec::with_capacity(tokens.len());
    for token in tokens {
        if token.norm == ".." {
            let middle = token.range.start + 1;
            split.push(Token {
                norm: ".".into(),
                range: token.range.start..middle,
            });
            split.push(Token {
                norm: ".".into(),
                range: middle..token.range.end,
            });
        } else {
            split.push(token);
        }
    }
    split
}

/// A quotation, ready to be looked for: its parts (split at each
/// ellipsis), each a run of tokens that must appear in the passage, in
/// order.
#[derive(Debug, Clone)]
pub struct Quote {
    /// The quotation as written.
    pub text: String,
    parts: Vec<Vec<Token>>,
}

impl Quote {
    /// Reads a quotation. Quotation marks around it and a full stop or
    /// comma at its end (which the page's own punctuation may put inside
    /// the marks) do not count.
    pub fn new(text: &str) -> Quote {
        let mut all = tokens(text);
        while all.first().is_some_and(|t| t.norm == "\"") {
            all.remove(0);
        }
        while all
            .last()
            .is_some_and(|t| matches!(t.norm.as_str(), "\"" | "." | ","))
        {
            all.pop();
        }
        let mut parts: Vec<Vec<Token>> = vec![Vec::new()];
        for (i, token) in all.iter().enumerate() {
            let at_ellipsis =
                |j: Option<usize>| j.and_then(|j| all.get(j)).is_some_and(|t| t.norm == "…");
            let bracket_of_ellipsis = (token.norm == "[" && at_ellipsis(Some(i + 1)))
                || (token.norm == "]" && at_ellipsis(i.checked_sub(1)));
            if token.norm == "…" {
                parts.push(Vec::new());
            } else if !bracket_of_ellipsis && let Some(part) = parts.last_mut() {
                part.push(token.clone());
            }
        }
        parts.retain(|part| !part.is_empty());
        Quote {
            text: text.to_string(),
            parts,
        }
    }

    /// How many tokens the quotation has, ellipses left out.
    pub fn token_count(&self) -> usize {
        self.parts.iter().map(Vec::len).sum()
    }

    /// Whether the quotation has any words to look for.
    pub fn has_words(&self) -> bool {
        self.parts
            .iter()
            .any(|part| part.iter().any(Token::is_word))
    }

    /// Whether every part of the quotation is in `passage`, in order.
    pub fn is_in(&self, passage: &[Token]) -> bool {
        let mut from = 0;
        for part in &self.parts {
            let found = (from..=passage.len().saturating_sub(part.len())).find(|&start| {
                passage.len() >= start + part.len()
                    && part
                        .iter()
                        .enumerate()
                        .all(|(k, token)| same(token, &passage[start + k], k == 0))
            });
            match found {
                Some(start) => from = start + part.len(),
                None => return false,
            }
        }
        true
    }

    /// Lines the quotation up with `passage` (the tokens of `passage_text`)
    /// and finds where they part.
    pub fn align(&self, passage_text: &str, passage: &[Token]) -> Alignment {
        let mut from = 0;
        let mut cost = 0;
        let mut window: Option<Range<usize>> = None;
        let mut first: Option<Difference> = None;
        for part in &self.parts {
            let rest = &passage[from.min(passage.len())..];
            let part_alignment = align_part(part, rest);
            let start = from + part_alignment.window.start;
            let end = from + part_alignment.window.end;
            window = Some(match window {
                Some(window) => window.start..end.max(window.end),
                None => start..end,
            });
            cost += part_alignment.cost;
            if first.is_none() {
                first = part_alignment
                    .first
                    .map(|edit| self.difference(edit, part, passage_text, rest));
            }
            from = end;
        }
        Alignment {
            cost,
            window: window.unwrap_or(0..0),
            first,
        }
    }

    fn difference(
        &self,
        edit: Edit,
        part: &[Token],
        passage_text: &str,
        passage: &[Token],
    ) -> Difference {
        let written = |text: &str, token: Option<&Token>| {
            token
                .and_then(|t| text.get(t.range.clone()))
                .unwrap_or_default()
                .to_string()
        };
        let page = |i: usize| written(&self.text, part.get(i));
        let source = |j: usize| written(passage_text, passage.get(j));
        match edit {
            Edit::Replace { quote, source: j } => Difference::Replaced {
                source: source(j),
                page: page(quote),
            },
            Edit::Add { quote } => Difference::Added { page: page(quote) },
            Edit::LeaveOut { source: j, before } => Difference::LeftOut {
                source: source(j),
                before: before.map(page),
            },
            Edit::RunOver { quote } => Difference::RunsOver { page: page(quote) },
        }
    }
}

/// What putting `source` where the page has `quoted` costs: nothing for the
/// same token, 1 for another word or mark, 2 for a word against a mark (so
/// that a word is rather added or left out than traded for a comma).
fn substitution(quoted: &Token, source: &Token, first: bool) -> usize {
    if same(quoted, source, first) {
        0
    } else if quoted.is_word() == source.is_word() {
        1
    } else {
        2
    }
}

/// Whether a quoted token and a passage token are the same; `first` lets
/// the first letter change case.
fn same(quoted: &Token, source: &Token, first: bool) -> bool {
    if quoted.norm == source.norm {
        return true;
    }
    if !first {
        return false;
    }
    let mut a = quoted.norm.chars();
    let mut b = source.norm.chars();
    match (a.next(), b.next()) {
        (Some(x), Some(y)) => x.to_lowercase().eq(y.to_lowercase()) && a.as_str() == b.as_str(),
        _ => false,
    }
}

/// Where the quotation and a passage part first, as the author reads it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Difference {
    /// The source has one word where the page has another.
    Replaced {
        /// The source's word.
        source: String,
        /// The page's word.
        page: String,
    },
    /// The page has a word the source does not have there.
    Added {
        /// The page's word.
        page: String,
    },
    /// The source has a word the page leaves out.
    LeftOut {
        /// The source's word.
        source: String,
        /// The page's word it comes before, if any.
        before: Option<String>,
    },
    /// The passage ends before the quotation does.
    RunsOver {
        /// The first page word past the end of the passage.
        page: String,
    },
}

impl std::fmt::Display for Difference {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Difference::Replaced { source, page } => {
                write!(f, "the source says `{source}` where the page says `{page}`")
            }
            Difference::Added { page } => write!(f, "the source has no `{page}` here"),
            Difference::LeftOut {
                source,
                before: Some(before),
            } => write!(
                f,
                "the source says `{source}` before `{before}`, which the page leaves out"
            ),
            Difference::LeftOut {
                source,
                before: None,
            } => write!(
                f,
                "the source goes on with `{source}`, which the page leaves out"
            ),
            Difference::RunsOver { page } => {
                write!(f, "the source passage ends before `{page}`")
            }
        }
    }
}

/// How a quotation lines up with a passage.
#[derive(Debug, Clone)]
pub struct Alignment {
    /// How many tokens differ: 0 means the quotation is there.
    pub cost: usize,
    /// The tokens of the passage the quotation lines up with.
    pub window: Range<usize>,
    /// The first difference, reading from the start of the quotation.
    pub first: Option<Difference>,
}

/// One step where a quotation part and a passage differ, by token index.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Edit {
    Replace {
        quote: usize,
        source: usize,
    },
    Add {
        quote: usize,
    },
    LeaveOut {
        source: usize,
        before: Option<usize>,
    },
    RunOver {
        quote: usize,
    },
}

struct PartAlignment {
    cost: usize,
    window: Range<usize>,
    first: Option<Edit>,
}

/// Aligns `part` with the stretch of `passage` it is closest to: an edit
/// distance over tokens in which the passage may start and end anywhere
/// at no cost (the quotation need only be somewhere in it).
fn align_part(part: &[Token], passage: &[Token]) -> PartAlignment {
    let (n, m) = (part.len(), passage.len());
    let width = m + 1;
    // cost[i * width + j]: the cheapest way to match part[..i] with a
    // stretch of the passage that ends at j.
    let mut cost = vec![0usize; (n + 1) * width];
    for i in 1..=n {
        cost[i * width] = i;
        for j in 1..=m {
            let diagonal =
                cost[(i - 1) * width + j - 1] + substitution(&part[i - 1], &passage[j - 1], i == 1);
            let add = cost[(i - 1) * width + j] + 1;
            let leave_out = cost[i * width + j - 1] + 1;
            cost[i * width + j] = diagonal.min(add).min(leave_out);
        }
    }
    let end = (0..=m)
        .min_by_key(|&j| (cost[n * width + j], j))
        .unwrap_or(0);
    // Walk back from the end to collect the steps, then read them forwards.
    let mut steps: Vec<Option<Edit>> = Vec::new();
    let (mut i, mut j) = (n, end);
    while i > 0 {
        let here = cost[i * width + j];
        if j > 0 {
            let price = substitution(&part[i - 1], &passage[j - 1], i == 1);
            if here == cost[(i - 1) * width + j - 1] + price {
                steps.push((price > 0).then_some(Edit::Replace {
                    quote: i - 1,
                    source: j - 1,
                }));
                i -= 1;
                j -= 1;
                continue;
            }
            if here == cost[i * width + j - 1] + 1 {
                steps.push(Some(Edit::LeaveOut {
                    source: j - 1,
                    before: Some(i).filter(|&i| i < n),
                }));
                j -= 1;
                continue;
            }
        }
        // A word past the last word of the passage runs over its end.
        let past_the_end = m > 0 && !passage[j..].iter().any(Token::is_word);
        steps.push(Some(if past_the_end {
            Edit::RunOver { quote: i - 1 }
        } else {
            Edit::Add { quote: i - 1 }
        }));
        i -= 1;
    }
    steps.reverse();
    PartAlignment {
        cost: cost[n * width + end],
        window: j..end,
        first: steps.into_iter().flatten().next(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const SOURCE: &str = "Noting the United States has received an application from General Electric. The United States commits to an expeditious review of this application.";

    fn difference(quote: &str, source: &str) -> Option<String> {
        let quote = Quote::new(quote);
        let passage = tokens(source);
        assert!(!quote.is_in(&passage), "{quote:?} is in the passage");
        quote.align(source, &passage).first.map(|d| d.to_string())
    }

    #[test]
    fn spacing_marks_dashes_and_the_first_letter_do_not_count() {
        let passage = tokens("areas — including “innovation bridges” in India’s key sectors");
        for quote in [
            "areas - including \"innovation bridges\"",
            "areas--including",
            "Areas — including",
            "innovation  bridges,",
            "India's key sectors.",
            "“areas — including",
        ] {
            assert!(Quote::new(quote).is_in(&passage), "{quote}");
        }
        assert!(!Quote::new("AREAS — including").is_in(&passage));
        assert!(!Quote::new("areas — Including").is_in(&passage));
        assert!(!Quote::new("reas").is_in(&passage), "whole words only");
    }

    #[test]
    fn an_ellipsis_leaves_words_out_in_order() {
        let passage = tokens(SOURCE);
        assert!(Quote::new("The United States commits … this application").is_in(&passage));
        assert!(Quote::new("General Electric. [...] an expeditious review").is_in(&passage));
        assert!(!Quote::new("an expeditious review … General Electric").is_in(&passage));
    }

    #[test]
    fn one_word_changed_is_named() {
        assert_eq!(
            difference("commits to a quick review of this application", SOURCE).as_deref(),
            Some("the source says `an` where the page says `a`")
        );
        assert_eq!(
            difference("commits to an quick review of this application", SOURCE).as_deref(),
            Some("the source says `expeditious` where the page says `quick`")
        );
    }

    #[test]
    fn words_added_left_out_or_past_the_end_are_named() {
        assert_eq!(
            difference("commits to an expeditious and fair review", SOURCE).as_deref(),
            Some("the source has no `and` here")
        );
        assert_eq!(
            difference("commits to an review of this application", SOURCE).as_deref(),
            Some("the source says `expeditious` before `review`, which the page leaves out")
        );
        assert_eq!(
            difference("review of this application today", SOURCE).as_deref(),
            Some("the source passage ends before `today`")
        );
    }

    #[test]
    fn the_closest_stretch_costs_least() {
        let quote = Quote::new("commits to an quick review");
        let near = quote.align(SOURCE, &tokens(SOURCE));
        let elsewhere = "Something else entirely, about space.";
        let far = quote.align(elsewhere, &tokens(elsewhere));
        assert_eq!(near.cost, 1);
        assert!(far.cost > near.cost);
    }
}
