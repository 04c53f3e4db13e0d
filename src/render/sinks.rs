//! Two places rendered files go besides the output folder: memory, for a
//! build that publishes them all at once, and nowhere, for a check.

use super::{Diagnostic, Output, Sink};

/// Every file, gathered in memory.
#[derive(Default)]
pub(super) struct Gathered(std::sync::Mutex<Vec<Output>>);

impl Sink for Gathered {
    fn put(&self, output: Output) -> Result<(), Box<Diagnostic>> {
        if let Ok(mut outputs) = self.0.lock() {
            outputs.push(output);
        }
        Ok(())
    }
}

impl Gathered {
    /// The files, sorted by path.
    pub(super) fn sorted(&self) -> Vec<Output> {
        let mut outputs = self
            .0
            .lock()
            .map(|mut outputs| std::mem::take(&mut *outputs))
            .unwrap_or_default();
        outputs.sort_by(|a, b| a.path.cmp(&b.path));
        outputs
    }
}

/// Files rendered only to be checked: counted, then dropped at once, so
/// that a check of a large site never holds it whole.
#[derive(Default)]
pub struct Counted(std::sync::atomic::AtomicUsize);

impl Sink for Counted {
    fn put(&self, _output: Output) -> Result<(), Box<Diagnostic>> {
        self.0.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        Ok(())
    }
}

impl Counted {
    /// How many files were rendered.
    pub fn count(&self) -> usize {
        self.0.load(std::sync::atomic::Ordering::Relaxed)
    }
}
