//! How much of each source the pages cite.
//!
//! A source is covered passage by passage: every *substantive* passage (a
//! paragraph, list item or table row with at least one word) should be
//! cited by some passage of a page. Headings (a bold paragraph of a fact
//! sheet included), table header rows and lines without a word, such as
//! the `###` that closes a press release, are not substantive.

use serde::Serialize;

use super::Source;
use crate::markdown::{Passage, PassageKind};

/// Whether a passage of a source is one that pages should cite.
pub fn is_substantive(passage: &Passage) -> bool {
    !matches!(passage.kind, PassageKind::Heading | PassageKind::TableHead)
        && passage.text().chars().any(char::is_alphanumeric)
}

/// How many substantive passages of a source are cited.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct Coverage {
    /// Substantive passages cited by at least one page passage.
    pub cited: usize,
    /// Substantive passages.
    pub total: usize,
}

impl Coverage {
    /// The coverage of `source`.
    pub fn of(source: &Source) -> Coverage {
        let mut coverage = Coverage::default();
        for (passage, cited_by) in source.body.passages.iter().zip(&source.passage_cited_by) {
            if is_substantive(passage) {
                coverage.total += 1;
                coverage.cited += usize::from(!cited_by.is_empty());
            }
        }
        coverage
    }

    /// The coverage of several sources together.
    pub fn sum(coverages: impl IntoIterator<Item = Coverage>) -> Coverage {
        coverages
            .into_iter()
            .fold(Coverage::default(), |sum, c| Coverage {
                cited: sum.cited + c.cited,
                total: sum.total + c.total,
            })
    }

    /// The share of substantive passages cited, in whole percent, rounded
    /// down (so that 100 means every one); `None` when there is none.
    ///
    /// ```
    /// use dossier::model::coverage::Coverage;
    /// assert_eq!(Coverage { cited: 199, total: 200 }.percent(), Some(99));
    /// assert_eq!(Coverage { cited: 3, total: 3 }.percent(), Some(100));
    /// assert_eq!(Coverage { cited: 0, total: 0 }.percent(), None);
    /// ```
    pub fn percent(&self) -> Option<usize> {
        (self.total > 0).then(|| self.cited * 100 / self.total)
    }

    /// Whether every substantive passage is cited.
    pub fn is_complete(&self) -> bool {
        self.cited == self.total
    }
}
