//! What the model keeps from one build of a project to the next.
//!
//! A rebuild (in `dossier serve`) reuses every rendered body and every
//! per-page check whose input did not change. Inputs are compared by
//! identity: the loader hands out a file's [`SourceFile`] once and keeps the
//! same shared value until the file changes on disk, so "unchanged" is one
//! pointer comparison.

use std::sync::Arc;

use rayon::prelude::*;

use super::PageId;
use super::index::PassageTerms;
use crate::diagnostics::Diagnostic;
use crate::load::{PageSource, Seed};
use crate::markdown::{RawHtml, Rendered};
use crate::source::SourceFile;

/// A value computed from a file, valid while the file (and `key`) are the
/// same.
#[derive(Debug, Clone)]
struct Memo<K, T> {
    file: Arc<SourceFile>,
    key: K,
    value: T,
}

impl<K: PartialEq, T: Clone> Memo<K, T> {
    fn get(&self, file: &Arc<SourceFile>, key: &K) -> Option<T> {
        (Arc::ptr_eq(&self.file, file) && self.key == *key).then(|| self.value.clone())
    }
}

/// Replaces the entries of `memos` with `fresh` ones, keyed by path, and
/// drops the entries of paths not among them; keys are allocated only for
/// new paths.
fn refresh<'p, T>(
    memos: &mut foldhash::HashMap<String, T>,
    fresh: impl Iterator<Item = (&'p str, T)>,
) {
    let mut live: foldhash::HashSet<&str> = foldhash::HashSet::default();
    for (path, memo) in fresh {
        live.insert(path);
        match memos.get_mut(path) {
            Some(kept) => *kept = memo,
            None => {
                memos.insert(path.to_string(), memo);
            }
        }
    }
    if live.len() != memos.len() {
        memos.retain(|path, _| live.contains(path.as_str()));
    }
}

/// The reusable work of earlier builds, by page path and source slug.
/// The default cache keeps nothing (a one-off build has no later build to
/// keep work for); [`Cache::keeping`] makes one that does.
#[derive(Debug, Default)]
pub struct Cache {
    keep: bool,
    bodies: foldhash::HashMap<String, Memo<RawHtml, Arc<Rendered>>>,
    sources: foldhash::HashMap<String, Memo<(), Arc<Rendered>>>,
    lints: foldhash::HashMap<String, Memo<u64, Arc<Vec<Diagnostic>>>>,
    related: Option<(u64, Arc<Vec<Vec<PageId>>>)>,
    mentions: foldhash::HashMap<usize, (Arc<Rendered>, u64, Arc<PassageTerms>)>,
    /// Pages resolved without problems, with what they depended on.
    pub(super) resolutions: super::check::Memos,
}

impl Cache {
    /// A cache that keeps each build's work for the next.
    pub fn keeping() -> Self {
        let mut cache = Cache {
            keep: true,
            ..Cache::default()
        };
        cache.resolutions.keep = true;
        cache
    }

    /// The rendered body of every page, rendering only the pages that are
    /// new or changed (in parallel).
    pub(super) fn page_bodies(
        &mut self,
        pages: &[Arc<PageSource>],
        raw_html: RawHtml,
    ) -> Vec<Arc<Rendered>> {
        let cached = &self.bodies;
        let bodies: Vec<Arc<Rendered>> = pages
            .par_iter()
            .map(|page| {
                cached
                    .get(&page.path)
                    .and_then(|memo| memo.get(&page.file, &raw_html))
                    .unwrap_or_else(|| Arc::new(super::render_page(page, raw_html)))
            })
            .collect();
        if !self.keep {
            return bodies;
        }
        refresh(
            &mut self.bodies,
            pages.iter().zip(&bodies).map(|(page, body)| {
                let memo = Memo {
                    file: Arc::clone(&page.file),
                    key: raw_html,
                    value: Arc::clone(body),
                };
                (page.path.as_str(), memo)
            }),
        );
        bodies
    }

    /// The rendered body of every source document, rendering only the new
    /// or changed ones.
    pub(super) fn source_bodies(&mut self, seeds: &[Seed]) -> Vec<Arc<Rendered>> {
        let cached = &self.sources;
        let bodies: Vec<Arc<Rendered>> = seeds
            .par_iter()
            .map(|seed| {
                cached
                    .get(&seed.slug)
                    .and_then(|memo| memo.get(&seed.file, &()))
                    .unwrap_or_else(|| Arc::new(super::render_source(seed)))
            })
            .collect();
        if !self.keep {
            return bodies;
        }
        self.sources = seeds
            .iter()
            .zip(&bodies)
            .map(|(seed, body)| {
                let memo = Memo {
                    file: Arc::clone(&seed.file),
                    key: (),
                    value: Arc::clone(body),
                };
                (seed.slug.clone(), memo)
            })
            .collect();
        bodies
    }

    /// The registry entries each passage of `body` mentions, as found by
    /// an earlier build against the same registries (`registry`).
    pub(super) fn mentions(
        &self,
        body: &Arc<Rendered>,
        registry: u64,
    ) -> Option<Arc<PassageTerms>> {
        let (kept, key, terms) = self.mentions.get(&(Arc::as_ptr(body) as usize))?;
        (Arc::ptr_eq(kept, body) && *key == registry).then(|| Arc::clone(terms))
    }

    /// Keeps the mentions found by this build, by body.
    pub(super) fn store_mentions<'b>(
        &mut self,
        found: impl Iterator<Item = (&'b Arc<Rendered>, u64, Arc<PassageTerms>)>,
    ) {
        if !self.keep {
            return;
        }
        self.mentions = found
            .map(|(body, registry, terms)| {
                (
                    Arc::as_ptr(body) as usize,
                    (Arc::clone(body), registry, terms),
                )
            })
            .collect();
    }

    /// The related pages of an earlier build whose relations had the
    /// fingerprint `signature`.
    pub(super) fn related(&self, signature: u64) -> Option<Arc<Vec<Vec<PageId>>>> {
        self.related
            .as_ref()
            .filter(|(kept, _)| *kept == signature)
            .map(|(_, related)| Arc::clone(related))
    }

    /// Keeps the related pages of this build.
    pub(super) fn store_related(&mut self, signature: u64, related: Arc<Vec<Vec<PageId>>>) {
        if !self.keep {
            return;
        }
        self.related = Some((signature, related));
    }

    /// The per-page check results of an earlier build of the same file
    /// against the same registries (`names`, a fingerprint of them).
    pub(super) fn lint(
        &self,
        path: &str,
        file: &Arc<SourceFile>,
        names: u64,
    ) -> Option<Arc<Vec<Diagnostic>>> {
        self.lints.get(path).and_then(|memo| memo.get(file, &names))
    }

    /// Keeps the per-page check results of this build, forgetting pages
    /// that are gone.
    pub(super) fn store_lints<'p>(&mut self, lints: impl IntoIterator<Item = PageLint<'p>>) {
        if !self.keep {
            return;
        }
        refresh(
            &mut self.lints,
            lints.into_iter().map(|lint| {
                let memo = Memo {
                    file: lint.file,
                    key: lint.names,
                    value: lint.found,
                };
                (lint.path, memo)
            }),
        );
    }
}

/// The per-page check results of one page.
pub(super) struct PageLint<'p> {
    /// The page's path.
    pub path: &'p str,
    /// The file they were found in.
    pub file: Arc<SourceFile>,
    /// The fingerprint of the registry names searched for.
    pub names: u64,
    /// What was found.
    pub found: Arc<Vec<Diagnostic>>,
}
