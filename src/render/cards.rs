//! The cards of pages and the chips of agencies and topics, made into
//! template values once per site rather than once per file that shows
//! them.
//!
//! A page shows the cards of its neighbours and related pages, an agency's
//! page the cards of every page that names it: serialising the same card
//! again for each would cost more than the rest of those files. A template
//! value shares its data, so a view that holds one costs a reference count.
//! Each value is made the first time a file asks for it.

use std::sync::OnceLock;

use tera::Value;

use super::view::{PageCard, TermChip};
use crate::links::TermKind;
use crate::model::{PageId, Site};

/// The template values of one site's cards and chips.
///
/// A `Cards` belongs to the [`Site`] it was made for: every method takes
/// that site, and given another one would return cards of the first.
pub struct Cards {
    pages: Vec<OnceLock<Value>>,
    agencies: Vec<OnceLock<Value>>,
    topics: Vec<OnceLock<Value>>,
}

impl Cards {
    /// No cards made yet for `site`.
    pub fn new(site: &Site) -> Self {
        let empty = |count: usize| (0..count).map(|_| OnceLock::new()).collect();
        Cards {
            pages: empty(site.pages.len()),
            agencies: empty(site.agencies.len()),
            topics: empty(site.topics.len()),
        }
    }

    /// The card of the page `id`: a [`PageCard`].
    pub fn page(&self, site: &Site, id: PageId) -> &Value {
        self.pages[id.0].get_or_init(|| Value::from_serializable(&PageCard::new(site.page(id))))
    }

    /// The cards of the pages `ids`, in order.
    pub fn pages(&self, site: &Site, ids: &[PageId]) -> Vec<&Value> {
        ids.iter().map(|&id| self.page(site, id)).collect()
    }

    /// The chip of the entry at `index` of the registry `kind`: a
    /// [`TermChip`].
    pub fn chip(&self, site: &Site, kind: TermKind, index: usize) -> &Value {
        let chips = match kind {
            TermKind::Agency => &self.agencies,
            TermKind::Topic => &self.topics,
        };
        chips[index]
            .get_or_init(|| Value::from_serializable(&TermChip::new(&site.terms(kind)[index])))
    }

    /// The chips of the entries at `indexes` of the registry `kind`.
    pub fn chips(&self, site: &Site, kind: TermKind, indexes: &[usize]) -> Vec<&Value> {
        indexes
            .iter()
            .map(|&index| self.chip(site, kind, index))
            .collect()
    }
}
