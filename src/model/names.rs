//! Finding the names of the registries in text: leftmost-longest, ASCII
//! case folded, in time that grows in step with the names and the text.
//!
//! A registry of a usual size gets one automaton: a full DFA, the fastest
//! to search, when there is much text to search (building it takes a few
//! milliseconds, which a small site would spend on nothing else), the
//! crate's pick otherwise. An
//! automaton of very many names takes time to build that grows faster than
//! the names (the crate reorders its states with swaps whose chains grow
//! with the automaton), so a large registry is split into groups of
//! [`GROUP`] names, each searched for every match it has, and the
//! leftmost-longest matches are chosen from all of them: the same matches
//! one automaton would give.
//!
//! The automata are built from the names folded to ASCII lower case, and
//! search the text folded the same way (which keeps every byte where it
//! was): an automaton that folds case itself takes about five times as
//! long to build, longer than a small site takes to search.

use std::borrow::Cow;
use std::ops::Range;

use aho_corasick::{AhoCorasick, AhoCorasickBuilder, AhoCorasickKind, MatchKind};

/// The most bytes of names searched with one full DFA: a hundred times the
/// names of a large briefing's registries, built in milliseconds.
const MAX_DFA_NAME_BYTES: usize = 64 * 1024;

/// The least text worth a full DFA: a megabyte, a few hundred pages.
const MIN_DFA_TEXT_BYTES: usize = 1024 * 1024;

/// How many names each automaton of a large registry holds: few enough
/// for each to be built quickly, many enough for few of them to search.
const GROUP: usize = 2048;

/// The names of the registries, ready to be found in text.
pub struct NameMatcher {
    search: Search,
}

enum Search {
    /// One automaton that finds the leftmost-longest matches itself.
    One(AhoCorasick),
    /// Automata of [`GROUP`] names each, searched for every match.
    Groups(EveryName),
}

/// One name found: its number among the names, and where it is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Found {
    /// The name's number, in the order the names were given.
    pub name: usize,
    /// Where it stands in the text, in bytes.
    pub range: Range<usize>,
}

impl NameMatcher {
    /// A matcher of `names`, to search about `text_bytes` bytes of text, or
    /// `None` when the automaton cannot be built (more states than the
    /// crate allows).
    pub fn new(names: &[&str], text_bytes: usize) -> Option<Self> {
        let bytes: usize = names.iter().map(|name| name.len()).sum();
        if bytes <= MAX_DFA_NAME_BYTES {
            let folded = fold_all(names);
            let dfa = (text_bytes >= MIN_DFA_TEXT_BYTES).then_some(AhoCorasickKind::DFA);
            let one = builder(MatchKind::LeftmostLongest, dfa)
                .build(bytes_of(&folded))
                .or_else(|_| builder(MatchKind::LeftmostLongest, None).build(bytes_of(&folded)))
                .ok()?;
            return Some(NameMatcher {
                search: Search::One(one),
            });
        }
        Some(NameMatcher {
            search: Search::Groups(EveryName::grouped(names, GROUP, None)?),
        })
    }

    /// The names found in `text`, leftmost-longest, in order: at each
    /// place the longest name that starts there (the first given of those
    /// as long), then on from its end.
    pub fn find(&self, text: &str) -> Vec<Found> {
        match &self.search {
            Search::One(automaton) => automaton
                .find_iter(fold(text).as_ref())
                .map(|hit| Found {
                    name: hit.pattern().as_usize(),
                    range: hit.range(),
                })
                .collect(),
            Search::Groups(every) => {
                let mut all = every.find(text);
                all.sort_unstable_by(|a, b| {
                    a.range
                        .start
                        .cmp(&b.range.start)
                        .then(b.range.end.cmp(&a.range.end))
                        .then(a.name.cmp(&b.name))
                });
                let mut from = 0;
                all.retain(|found| {
                    let keep = found.range.start >= from;
                    if keep {
                        from = found.range.end;
                    }
                    keep
                });
                all
            }
        }
    }
}

/// The names of the registries, to find every one that stands in a text,
/// overlapping ones included: for short texts, such as other names.
/// In groups of [`GROUP`] names, each built in little time whatever the
/// registry's size; [`NameMatcher`] searches a large registry with it.
pub struct EveryName {
    /// Each group's automaton, with the number of its first name.
    groups: Vec<(AhoCorasick, usize)>,
}

impl EveryName {
    /// A finder of `names`, or `None` when an automaton cannot be built.
    pub fn new(names: &[&str]) -> Option<Self> {
        Self::grouped(names, GROUP, Some(AhoCorasickKind::NoncontiguousNFA))
    }

    /// A finder of `names` in automata of `group` names each, made as
    /// `automaton` says (or as the crate picks, for `None`).
    fn grouped(names: &[&str], group: usize, automaton: Option<AhoCorasickKind>) -> Option<Self> {
        let groups = names
            .chunks(group)
            .enumerate()
            .map(|(n, chunk)| {
                let found = builder(MatchKind::Standard, automaton)
                    .build(bytes_of(&fold_all(chunk)))
                    .ok()?;
                Some((found, n * group))
            })
            .collect::<Option<Vec<_>>>()?;
        Some(EveryName { groups })
    }

    /// Every name that stands in `text`, wherever it starts and ends.
    pub fn find(&self, text: &str) -> Vec<Found> {
        let text = fold(text);
        self.groups
            .iter()
            .flat_map(|(automaton, first)| {
                automaton
                    .find_overlapping_iter(text.as_ref())
                    .map(move |hit| Found {
                        name: first + hit.pattern().as_usize(),
                        range: hit.range(),
                    })
            })
            .collect()
    }
}

/// A builder of automata of `kind` of matches, made as `automaton` says
/// (or as the crate picks, for `None`), of names [folded](fold).
fn builder(kind: MatchKind, automaton: Option<AhoCorasickKind>) -> AhoCorasickBuilder {
    let mut builder = AhoCorasickBuilder::new();
    builder.match_kind(kind).kind(automaton);
    builder
}

/// `text` in ASCII lower case, every byte where it was.
fn fold(text: &str) -> Cow<'_, str> {
    if text.bytes().any(|byte| byte.is_ascii_uppercase()) {
        Cow::Owned(text.to_ascii_lowercase())
    } else {
        Cow::Borrowed(text)
    }
}

/// Each of `names` [folded](fold).
fn fold_all<'a>(names: &[&'a str]) -> Vec<Cow<'a, str>> {
    names.iter().map(|name| fold(name)).collect()
}

/// The bytes of each of `names`, as the automata's builder takes them.
fn bytes_of<'a>(names: &'a [Cow<'_, str>]) -> impl Iterator<Item = &'a [u8]> {
    names.iter().map(|name| name.as_bytes())
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;

    use super::*;

    /// Groups of a few names, each forced past the one-DFA limit.
    fn in_groups(names: &[&str], group: usize) -> NameMatcher {
        NameMatcher {
            search: Search::Groups(EveryName::grouped(names, group, None).expect("automata")),
        }
    }

    proptest! {
        #[test]
        fn groups_find_what_one_automaton_finds(
            names in prop::collection::vec("[abAB ]{1,4}", 1..12),
            text in "[abAB c]{0,40}",
            group in 1..5usize,
        ) {
            let names: Vec<&str> = names.iter().map(String::as_str).collect();
            let one = NameMatcher::new(&names, MIN_DFA_TEXT_BYTES).expect("one automaton");
            prop_assert!(matches!(one.search, Search::One(_)));
            prop_assert_eq!(in_groups(&names, group).find(&text), one.find(&text));
        }

        #[test]
        fn folding_first_finds_what_an_automaton_that_folds_case_finds(
            names in prop::collection::vec("[aAbBé ]{1,4}", 1..12),
            text in "[aAbBéÉ c]{0,40}",
            long_text in any::<bool>(),
        ) {
            let names: Vec<&str> = names.iter().map(String::as_str).collect();
            let folding = AhoCorasickBuilder::new()
                .ascii_case_insensitive(true)
                .match_kind(MatchKind::LeftmostLongest)
                .build(&names)
                .expect("an automaton");
            let expected: Vec<Found> = folding
                .find_iter(&text)
                .map(|hit| Found { name: hit.pattern().as_usize(), range: hit.range() })
                .collect();
            let text_bytes = if long_text { MIN_DFA_TEXT_BYTES } else { 0 };
            let matcher = NameMatcher::new(&names, text_bytes).expect("a matcher");
            prop_assert_eq!(matcher.find(&text), expected);
        }
    }

    #[test]
    fn a_large_registry_is_searched_in_groups() {
        let names: Vec<String> = (0..10_000).map(|n| format!("Alias number {n}")).collect();
        let names: Vec<&str> = names.iter().map(String::as_str).collect();
        let matcher = NameMatcher::new(&names, 0).expect("a matcher");
        assert!(matches!(matcher.search, Search::Groups(_)));
        let found = matcher.find("see alias NUMBER 1234 and Alias number 9");
        let names_found: Vec<&str> = found.iter().map(|f| names[f.name]).collect();
        assert_eq!(names_found, ["Alias number 1234", "Alias number 9"]);
    }
}
