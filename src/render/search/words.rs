//! Words as the search index sees them, and as the search page's script
//! (`themes/default/static/search.js`) reads a query: the two follow the
//! same rules, stated here once.
//!
//! - Text is folded: lowercased, accents removed (NFD, then the combining
//!   marks U+0300 to U+036F dropped), so "Organisation" and "organisation",
//!   "Bengaluru" and "Bengalūru" meet.
//! - A word is a run of letters and digits (Unicode alphabetic or numeric).
//! - Single letters joined by full stops are one word: "U.S." is `us`,
//!   "e.g." is `eg` (digits are not: "2.5" is two one-digit words).
//! - Other words of one character are left out.
//! - In the index (not in a query), words joined by hyphens are also one
//!   word written together: "co-development" gives `co`, `development` and
//!   `codevelopment`, so that "codevelopment" finds it.
//! - The [`STOP_WORDS`] ("the", "of", ...) are left out of the index of
//!   text and headings (titles and names keep them), and out of a query
//!   that has other words.
//! - Each word is stemmed with the Snowball English stemmer (Porter 2):
//!   "technologies" and "technology" are both `technolog`. Words with
//!   anything but the letters a to z are kept as they are. The script has
//!   no stemmer: the index lists, with each stem, the words it was made
//!   from (see [`super`]).

use std::borrow::Cow;

use rust_stemmers::{Algorithm, Stemmer};
use unicode_normalization::UnicodeNormalization;

/// `text` lowercased, without accents.
///
/// ```
/// use dossier::render::search::words::fold;
/// assert_eq!(fold("Organización"), "organizacion");
/// ```
pub fn fold(text: &str) -> String {
    let lower = text.to_lowercase();
    if lower.is_ascii() {
        return lower;
    }
    // Decomposition takes each character alone, and reordering moves only
    // combining marks, never past an ASCII character: the runs of ASCII
    // are the same decomposed, and are copied as they are.
    let mut folded = String::with_capacity(lower.len());
    let mut rest = lower.as_str();
    while !rest.is_empty() {
        let ascii = rest
            .bytes()
            .position(|b| !b.is_ascii())
            .unwrap_or(rest.len());
        folded.push_str(&rest[..ascii]);
        rest = &rest[ascii..];
        let other = rest
            .bytes()
            .position(|b| b.is_ascii())
            .unwrap_or(rest.len());
        folded.extend(rest[..other].nfd().filter(|c| !is_accent(*c)));
        rest = &rest[other..];
    }
    folded
}

/// Whether `c` is one of the combining marks that [`fold`] drops.
fn is_accent(c: char) -> bool {
    ('\u{300}'..='\u{36f}').contains(&c)
}

/// One word of a text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Word<'a> {
    /// The word, folded.
    pub text: Cow<'a, str>,
    /// Whether it is hyphenated words written together: an extra word,
    /// besides its parts.
    pub joined: bool,
}

/// The words of `folded` (a text already [`fold`]ed), in order; each
/// hyphenated run is followed by its parts written together.
///
/// ```
/// use dossier::render::search::words::{fold, words};
/// let found: Vec<String> = words(&fold("U.S.-India co-development, a 5G test"))
///     .into_iter()
///     .map(|w| w.text.into_owned())
///     .collect();
/// assert_eq!(found, ["us", "india", "co", "development", "codevelopment", "5g", "test"]);
/// ```
pub fn words(folded: &str) -> Vec<Word<'_>> {
    let runs = runs(folded);
    let mut found = Vec::with_capacity(runs.len());
    let mut i = 0;
    while i < runs.len() {
        let letters = initials(folded, &runs[i..]);
        if letters >= 2 {
            let joined: String = runs[i..i + letters]
                .iter()
                .map(|&(start, end)| &folded[start..end])
                .collect();
            found.push(Word {
                text: Cow::Owned(joined),
                joined: false,
            });
            i += letters;
            continue;
        }
        // A run of words joined by single hyphens.
        let mut last = i;
        while last + 1 < runs.len()
            && runs[last].1 + 1 == runs[last + 1].0
            && folded.as_bytes()[runs[last].1] == b'-'
        {
            last += 1;
        }
        for &(start, end) in &runs[i..=last] {
            let word = &folded[start..end];
            if word.chars().nth(1).is_some() {
                found.push(Word {
                    text: Cow::Borrowed(word),
                    joined: false,
                });
            }
        }
        if last > i {
            let joined: String = runs[i..=last]
                .iter()
                .map(|&(start, end)| &folded[start..end])
                .collect();
            found.push(Word {
                text: Cow::Owned(joined),
                joined: true,
            });
        }
        i = last + 1;
    }
    found
}

/// The byte ranges of the runs of letters and digits of `text`.
fn runs(text: &str) -> Vec<(usize, usize)> {
    let mut runs = Vec::new();
    let mut start = None;
    for (at, c) in text.char_indices() {
        match (c.is_alphanumeric(), start) {
            (true, None) => start = Some(at),
            (false, Some(from)) => {
                runs.push((from, at));
                start = None;
            }
            _ => {}
        }
    }
    if let Some(from) = start {
        runs.push((from, text.len()));
    }
    runs
}

/// How many of `runs` (from the first) are single characters joined by
/// full stops, as in "U.S.": 0 or 1 when they are not an acronym.
fn initials(text: &str, runs: &[(usize, usize)]) -> usize {
    let single = |&(start, end): &(usize, usize)| {
        let mut chars = text[start..end].chars();
        chars.next().is_some_and(char::is_alphabetic) && chars.next().is_none()
    };
    let mut count = 0;
    while count < runs.len() && single(&runs[count]) {
        let end = runs[count].1;
        let dotted = text.as_bytes().get(end) == Some(&b'.');
        count += 1;
        let next_follows = runs.get(count).is_some_and(|next| next.0 == end + 1);
        if !dotted || !next_follows {
            break;
        }
    }
    count
}

/// Words too common to find anything with, folded: the script's list
/// (`STOP` in `search.js`) is the same.
pub const STOP_WORDS: [&str; 16] = [
    "a", "an", "and", "are", "as", "at", "be", "by", "for", "from", "of", "on", "or", "the", "to",
    "with",
];

/// Whether `word` (folded) is one of the [`STOP_WORDS`].
pub fn is_stop_word(word: &str) -> bool {
    STOP_WORDS.contains(&word)
}

/// The Snowball English stemmer, for words of the letters a to z.
pub struct Stems(Stemmer);

impl Default for Stems {
    fn default() -> Self {
        Stems(Stemmer::create(Algorithm::English))
    }
}

impl Stems {
    /// The stem of `word` (folded): itself when it has anything but the
    /// letters a to z, or fewer than three of them.
    ///
    /// ```
    /// use dossier::render::search::words::Stems;
    /// let stems = Stems::default();
    /// assert_eq!(stems.stem("technologies"), "technolog");
    /// assert_eq!(stems.stem("5g"), "5g");
    /// ```
    pub fn stem<'a>(&self, word: &'a str) -> Cow<'a, str> {
        if word.len() < 3 || !word.bytes().all(|b| b.is_ascii_lowercase()) {
            return Cow::Borrowed(word);
        }
        self.0.stem(word)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn texts(text: &str) -> Vec<String> {
        words(&fold(text))
            .into_iter()
            .map(|w| w.text.into_owned())
            .collect()
    }

    #[test]
    fn acronyms_with_full_stops_are_one_word() {
        assert_eq!(texts("the U.S. and U.K."), ["the", "us", "and", "uk"]);
        assert_eq!(texts("U.S"), ["us"]);
        assert_eq!(texts("a. b"), Vec::<String>::new());
        assert_eq!(texts("plan B. Then"), ["plan", "then"]);
        assert_eq!(texts("2.5 GW"), ["gw"]);
    }

    #[test]
    fn hyphenated_words_are_also_written_together() {
        assert_eq!(
            texts("High-performance computing"),
            ["high", "performance", "highperformance", "computing"]
        );
        assert_eq!(texts("a - b"), Vec::<String>::new());
        let joined: Vec<bool> = words("x-ray").into_iter().map(|w| w.joined).collect();
        assert_eq!(joined, [false, true]);
    }

    #[test]
    fn accents_and_case_are_folded() {
        assert_eq!(texts("Bengalūru ÉTÉ"), ["bengaluru", "ete"]);
        // Marks after an ASCII letter, reordered among themselves.
        assert_eq!(fold("Ae\u{301}\u{5b0}\u{327}x"), "ae\u{5b0}x");
    }

    proptest::proptest! {
        /// Folding by runs gives what folding the whole text at once gives.
        #[test]
        fn folding_by_runs_is_folding_whole(text in "(\\PC|[aEσΣ\u{300}-\u{36f}\u{5b0}\u{327}])*") {
            let whole: String = text
                .to_lowercase()
                .nfd()
                .filter(|c| !is_accent(*c))
                .collect();
            proptest::prop_assert_eq!(fold(&text), whole);
        }
    }

    #[test]
    fn stems_meet_across_inflections() {
        let stems = Stems::default();
        for (a, b) in [
            ("partnerships", "partnership"),
            ("technologies", "technology"),
            ("launched", "launching"),
        ] {
            assert_eq!(stems.stem(a), stems.stem(b), "{a} {b}");
        }
        assert_eq!(stems.stem("ai"), "ai");
        assert_eq!(stems.stem("bengaluru"), "bengaluru");
    }
}
