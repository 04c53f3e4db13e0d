//! Fingerprints: fast 64-bit hashes of values in memory, to tell whether
//! something changed between two builds of one session. They never leave
//! the process, so they need not be stable across versions.

use std::hash::{BuildHasher, Hash, Hasher as _};

/// A hasher for fingerprints.
pub type Hasher = foldhash::quality::FoldHasher<'static>;

/// A new, empty fingerprint hasher (always seeded the same).
pub fn hasher() -> Hasher {
    foldhash::quality::FixedState::default().build_hasher()
}

/// The fingerprint of `value`.
pub fn of(value: impl Hash) -> u64 {
    let mut hasher = hasher();
    value.hash(&mut hasher);
    hasher.finish()
}
