//! The edits waiting for the builder, and the update each one makes
//! obsolete.
//!
//! The watcher [`push`](Edits::push)es each burst of changes as it comes;
//! the builder takes all that came since its last update with
//! [`next`](Edits::next), with a [`Cancel`] that the next burst cancels.
//! So an update that is still rendering when the files change again is
//! abandoned (see [`Session::update_unless`](crate::session::Session::update_unless)),
//! and the builder moves on to the newer state at once.

use std::sync::{Condvar, Mutex};
use std::time::Instant;

use crate::load::Changes;
use crate::render::budget::Cancel;

/// The changes not yet taken by the builder.
#[derive(Default)]
pub struct Edits {
    state: Mutex<State>,
    arrived: Condvar,
}

#[derive(Default)]
struct State {
    /// What changed since the builder last looked, and when the first of
    /// those changes came.
    pending: Option<(Changes, Instant)>,
    /// Cancelled by the next burst: the update in progress.
    current: Cancel,
    closed: bool,
}

impl Edits {
    /// Adds a burst of changes that began at `began`, and makes the update
    /// in progress obsolete.
    pub fn push(&self, changes: Changes, began: Instant) {
        let Ok(mut state) = self.state.lock() else {
            return;
        };
        match &mut state.pending {
            Some((pending, _)) => pending.paths.extend(changes.paths),
            None => state.pending = Some((changes, began)),
        }
        state.current.cancel();
        self.arrived.notify_one();
    }

    /// Waits for changes, and takes all that came, with when the first of
    /// them came and what makes their update obsolete; `None` once
    /// [`close`](Edits::close)d.
    pub fn next(&self) -> Option<(Changes, Instant, Cancel)> {
        let mut state = self.state.lock().ok()?;
        loop {
            if state.closed {
                return None;
            }
            if let Some((changes, began)) = state.pending.take() {
                state.current = Cancel::new();
                return Some((changes, began, state.current.clone()));
            }
            state = self.arrived.wait(state).ok()?;
        }
    }

    /// Ends [`next`](Edits::next): no more changes will come.
    pub fn close(&self) {
        if let Ok(mut state) = self.state.lock() {
            state.closed = true;
            self.arrived.notify_all();
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn changes_that_come_meanwhile_are_taken_together_and_cancel_the_update() {
        let edits = Edits::default();
        let first = Instant::now();
        edits.push(Changes::of(["content/a.md"]), first);
        let (changes, began, obsolete) = edits.next().unwrap();
        assert_eq!(changes, Changes::of(["content/a.md"]));
        assert_eq!(began, first);
        assert!(!obsolete.is_cancelled());

        edits.push(Changes::of(["content/b.md"]), Instant::now());
        edits.push(
            Changes::of(["themes/t/templates/page.html"]),
            Instant::now(),
        );
        assert!(
            obsolete.is_cancelled(),
            "a newer edit makes the update obsolete"
        );
        let (changes, _, obsolete) = edits.next().unwrap();
        assert_eq!(
            changes,
            Changes::of(["content/b.md", "themes/t/templates/page.html"])
        );
        assert!(!obsolete.is_cancelled());
        edits.close();
        assert!(edits.next().is_none());
    }
}
