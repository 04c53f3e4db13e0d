//! Work kept from one build to the next (in `dossier serve`), keyed by the
//! identity of what it was computed from.
//!
//! The loader hands out a file's [`SourceFile`](crate::source::SourceFile)
//! once and keeps the same shared value until the file changes on disk, and
//! a rendered body is kept while its file is: so "computed from the same
//! input" is one pointer comparison. A [`Memo`] holds the input's `Arc`
//! with the value, so the pointer cannot be reused by another input while
//! the entry lives; a second key holds whatever else the value depends on
//! (the registries' fingerprint, a setting).

use std::sync::Arc;

/// Values computed from shared inputs of type `T` and a key `K`; the
/// default keeps nothing (a one-off build has no later build to keep work
/// for), [`Memo::keeping`] one that does.
#[derive(Debug)]
pub struct Memo<T: ?Sized, K, V> {
    keep: bool,
    entries: foldhash::HashMap<usize, Entry<T, K, V>>,
    /// Counts the builds whose values were kept: an entry is this build's
    /// when it carries the count.
    build: u64,
}

#[derive(Debug)]
struct Entry<T: ?Sized, K, V> {
    input: Arc<T>,
    key: K,
    value: V,
    build: u64,
}

impl<T: ?Sized, K, V> Default for Memo<T, K, V> {
    fn default() -> Self {
        Memo {
            keep: false,
            entries: foldhash::HashMap::default(),
            build: 0,
        }
    }
}

/// Where an input lives: its identity while its `Arc` is held.
fn address<T: ?Sized>(input: &Arc<T>) -> usize {
    Arc::as_ptr(input).cast::<()>() as usize
}

impl<T: ?Sized, K: PartialEq, V: Clone> Memo<T, K, V> {
    /// A memo that keeps each build's values for the next.
    pub fn keeping() -> Self {
        Memo {
            keep: true,
            entries: foldhash::HashMap::default(),
            build: 0,
        }
    }

    /// Whether it keeps anything.
    pub fn keeps(&self) -> bool {
        self.keep
    }

    /// The value computed from `input` with `key` by an earlier build.
    pub fn get(&self, input: &Arc<T>, key: &K) -> Option<V> {
        self.entries
            .get(&address(input))
            .filter(|entry| Arc::ptr_eq(&entry.input, input) && entry.key == *key)
            .map(|entry| entry.value.clone())
    }

    /// Keeps `fresh`, this build's values, in place of the last build's:
    /// what was computed from inputs that are gone is forgotten. The table
    /// is updated where it is (a site of 10,000 pages keeps most of it from
    /// one edit to the next), not made anew.
    pub fn replace(&mut self, fresh: impl IntoIterator<Item = (Arc<T>, K, V)>) {
        if !self.keep {
            return;
        }
        self.build += 1;
        let build = self.build;
        for (input, key, value) in fresh {
            let entry = Entry {
                input,
                key,
                value,
                build,
            };
            self.entries.insert(address(&entry.input), entry);
        }
        self.entries.retain(|_, entry| entry.build == build);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_value_is_found_for_the_same_input_and_key_only() {
        let mut memo: Memo<str, u8, usize> = Memo::keeping();
        let input: Arc<str> = Arc::from("text");
        let twin: Arc<str> = Arc::from("text");
        memo.replace([(Arc::clone(&input), 1, 42)]);
        assert_eq!(memo.get(&input, &1), Some(42));
        assert_eq!(memo.get(&input, &2), None);
        assert_eq!(memo.get(&twin, &1), None, "equal text, another input");
        memo.replace([]);
        assert_eq!(memo.get(&input, &1), None);

        let kept: Arc<str> = Arc::from("kept");
        memo.replace([(Arc::clone(&input), 1, 1), (Arc::clone(&kept), 1, 2)]);
        memo.replace([(Arc::clone(&kept), 1, 3)]);
        assert_eq!(
            memo.get(&kept, &1),
            Some(3),
            "this build's value replaces the last"
        );
        assert_eq!(
            memo.get(&input, &1),
            None,
            "an input of the last build only is gone"
        );

        let mut one_off: Memo<str, u8, usize> = Memo::default();
        one_off.replace([(Arc::clone(&input), 1, 42)]);
        assert_eq!(one_off.get(&input, &1), None);
    }
}
