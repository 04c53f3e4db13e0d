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
use std::sync::atomic::{AtomicU64, Ordering};

use rayon::prelude::*;

/// Values computed from shared inputs of type `T` and a key `K`; the
/// default keeps nothing (a one-off build has no later build to keep work
/// for), [`Memo::keeping`] one that does.
///
/// A build takes what it can from the memo ([`get`](Memo::get), which marks
/// each value it hands out as used), computes the rest, and ends with
/// [`replace`](Memo::replace), given only what it computed: the table is
/// swept of what the build did not use, and the new values go in. An edit
/// of one page of 10,000 so costs one walk of the table and one insertion,
/// not 10,000 insertions.
#[derive(Debug)]
pub struct Memo<T: ?Sized, K, V> {
    keep: bool,
    entries: foldhash::HashMap<usize, Entry<T, K, V>>,
    /// Counts the builds whose values were kept: the build under way is
    /// the next one.
    build: u64,
}

#[derive(Debug)]
struct Entry<T: ?Sized, K, V> {
    input: Arc<T>,
    key: K,
    value: V,
    /// The last build that used the value.
    used: AtomicU64,
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

    /// The value computed from `input` with `key` by an earlier build,
    /// kept for the next build too.
    pub fn get(&self, input: &Arc<T>, key: &K) -> Option<V> {
        self.get_if(input, key, |_| true)
    }

    /// The value computed from `input` with `key` by an earlier build, if
    /// `usable` accepts it (a value that depends on more than its key,
    /// checked by the caller); kept for the next build only then.
    pub fn get_if(&self, input: &Arc<T>, key: &K, usable: impl FnOnce(&V) -> bool) -> Option<V> {
        let entry = self.entries.get(&address(input))?;
        if !Arc::ptr_eq(&entry.input, input) || entry.key != *key || !usable(&entry.value) {
            return None;
        }
        entry.used.store(self.build + 1, Ordering::Relaxed);
        Some(entry.value.clone())
    }

    /// Ends a build: keeps the values it found with [`get`](Memo::get) and
    /// those it `computed` anew, and forgets the rest (what was computed
    /// from inputs that are gone, or that changed).
    pub fn replace(&mut self, computed: impl IntoIterator<Item = (Arc<T>, K, V)>) {
        if !self.keep {
            return;
        }
        self.build += 1;
        let build = self.build;
        self.entries
            .retain(|_, entry| *entry.used.get_mut() == build);
        for (input, key, value) in computed {
            let entry = Entry {
                input,
                key,
                value,
                used: AtomicU64::new(build),
            };
            self.entries.insert(address(&entry.input), entry);
        }
    }

    /// The value of each of `items`, in order, in parallel: kept from the
    /// last build where `input_of` an item gives the same input and key,
    /// made by `compute` otherwise; then the build ends as in
    /// [`replace`](Memo::replace).
    pub fn map<'a, I, F, C>(&mut self, items: &'a [I], input_of: F, compute: C) -> Vec<V>
    where
        I: Sync,
        T: Send + Sync + 'a,
        K: Send + Sync,
        V: Send + Sync,
        F: Fn(&'a I) -> (&'a Arc<T>, K) + Sync,
        C: Fn(&I) -> V + Sync,
    {
        let memo = &*self;
        let found: Vec<(V, bool)> = items
            .par_iter()
            .map(|item| {
                let (input, key) = input_of(item);
                match memo.get(input, &key) {
                    Some(value) => (value, false),
                    None => (compute(item), true),
                }
            })
            .collect();
        self.replace(
            items
                .iter()
                .zip(&found)
                .filter(|(_, (_, computed))| *computed)
                .map(|(item, (value, _))| {
                    let (input, key) = input_of(item);
                    (Arc::clone(input), key, value.clone())
                }),
        );
        found.into_iter().map(|(value, _)| value).collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::atomic::AtomicUsize;

    #[test]
    fn a_value_is_found_for_the_same_input_and_key_only() {
        let mut memo: Memo<str, u8, usize> = Memo::keeping();
        let input: Arc<str> = Arc::from("text");
        let twin: Arc<str> = Arc::from("text");
        memo.replace([(Arc::clone(&input), 1, 42)]);
        assert_eq!(memo.get(&input, &1), Some(42));
        assert_eq!(memo.get(&input, &2), None);
        assert_eq!(memo.get(&twin, &1), None, "equal text, another input");

        let mut one_off: Memo<str, u8, usize> = Memo::default();
        one_off.replace([(Arc::clone(&input), 1, 42)]);
        assert_eq!(one_off.get(&input, &1), None);
    }

    #[test]
    fn a_build_keeps_what_it_used_and_computed_and_forgets_the_rest() {
        let mut memo: Memo<str, u8, usize> = Memo::keeping();
        let used: Arc<str> = Arc::from("used");
        let unused: Arc<str> = Arc::from("unused");
        let rejected: Arc<str> = Arc::from("rejected");
        memo.replace([
            (Arc::clone(&used), 1, 1),
            (Arc::clone(&unused), 1, 2),
            (Arc::clone(&rejected), 1, 3),
        ]);

        assert_eq!(memo.get(&used, &1), Some(1));
        assert_eq!(memo.get_if(&rejected, &1, |&value| value != 3), None);
        let computed: Arc<str> = Arc::from("computed");
        memo.replace([(Arc::clone(&computed), 1, 4)]);

        assert_eq!(memo.get(&used, &1), Some(1), "found, so kept");
        assert_eq!(memo.get(&computed, &1), Some(4), "computed, so kept");
        assert_eq!(memo.get(&unused, &1), None, "not asked for: forgotten");
        assert_eq!(memo.get(&rejected, &1), None, "refused: forgotten");

        // The checks above were the next build's asks; it computes one
        // value anew besides.
        memo.replace([(Arc::clone(&used), 1, 5)]);
        assert_eq!(
            memo.get(&used, &1),
            Some(5),
            "the new value replaces the last"
        );
    }

    #[test]
    fn map_computes_only_what_changed_and_keeps_the_order() {
        let mut memo: Memo<str, (), String> = Memo::keeping();
        let computed = AtomicUsize::new(0);
        let shout = |text: &Arc<str>| {
            computed.fetch_add(1, Ordering::Relaxed);
            text.to_uppercase()
        };
        let inputs: Vec<Arc<str>> = ["a", "b", "c"].into_iter().map(Arc::from).collect();
        let values = memo.map(&inputs, |text| (text, ()), shout);
        assert_eq!(values, ["A", "B", "C"]);
        assert_eq!(computed.load(Ordering::Relaxed), 3);

        // "b" edited (a new input), "c" gone, "d" new.
        let edited: Vec<Arc<str>> = vec![Arc::clone(&inputs[0]), Arc::from("b2"), Arc::from("d")];
        let values = memo.map(&edited, |text| (text, ()), shout);
        assert_eq!(values, ["A", "B2", "D"]);
        assert_eq!(
            computed.load(Ordering::Relaxed),
            5,
            "only the edited and the new"
        );
        assert_eq!(
            memo.get(&inputs[2], &()),
            None,
            "the gone input is forgotten"
        );
        assert_eq!(
            memo.get(&inputs[1], &()),
            None,
            "so is the input before its edit"
        );

        let mut one_off: Memo<str, (), String> = Memo::default();
        assert_eq!(
            one_off.map(&inputs, |text| (text, ()), shout),
            ["A", "B", "C"]
        );
        assert_eq!(one_off.get(&inputs[0], &()), None);
    }
}
