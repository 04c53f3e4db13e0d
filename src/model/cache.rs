//! What the model keeps from one build of a project to the next.
//!
//! A rebuild (in `dossier serve`) reuses every rendered body and every
//! per-page check whose input did not change, by the identity of the
//! input (see [`crate::memo`]).

use std::sync::Arc;

use super::PageId;
use super::index::{PassageTerms, Tallied};
use crate::diagnostics::Diagnostic;
use crate::load::{PageSource, Seed};
use crate::markdown::{RawHtml, Rendered};
use crate::memo::Memo;
use crate::source::SourceFile;

/// The most Markdown, in bytes of page bodies, of a site whose one-off build
/// holds every page's HTML as it is from the model stage to the render
/// stage. A larger site's is held [packed](crate::markdown::PackedHtml)
/// (compressed) until its page is written: at 10,000 pages of 8 kB of HTML,
/// holding it as it is would take a build's peak memory from about 380 MiB
/// to 490 MiB. A build that keeps its work for the next (`dossier serve`)
/// holds it as it is.
pub const HOLD_HTML_UP_TO: usize = 4 << 20;

/// The reusable work of earlier builds, each table keyed by the identity of
/// its input (see [`Memo`]). The default cache keeps nothing (a one-off
/// build has no later build to keep work for); [`Cache::keeping`] makes one
/// that does.
#[derive(Debug, Default)]
pub struct Cache {
    /// How much Markdown a one-off build holds the HTML of as it is, if not
    /// [`HOLD_HTML_UP_TO`].
    hold_html_up_to: Option<usize>,
    /// Each page's rendered body, by its file and the raw HTML setting.
    bodies: Memo<SourceFile, RawHtml, Arc<Rendered>>,
    /// Each source document's rendered body, by its file.
    sources: Memo<SourceFile, (), Arc<Rendered>>,
    /// Each page's warnings, by its file and the names searched for.
    pub(super) lints: Memo<SourceFile, u64, Arc<Vec<Diagnostic>>>,
    /// The entries each passage of a body mentions, by the body and the
    /// registries.
    pub(super) mentions: Memo<Rendered, u64, Arc<PassageTerms>>,
    /// The last build's tally of the mentions.
    pub(super) tallied: Option<Tallied>,
    /// The related pages of every page, by a fingerprint of what relates
    /// them.
    related: Option<(u64, Arc<Vec<Vec<PageId>>>)>,
    /// Pages resolved without problems, with what they depended on.
    pub(super) resolutions: super::check::Memos,
}

impl Cache {
    /// A cache that keeps each build's work for the next.
    pub fn keeping() -> Self {
        Cache {
            hold_html_up_to: None,
            bodies: Memo::keeping(),
            sources: Memo::keeping(),
            lints: Memo::keeping(),
            mentions: Memo::keeping(),
            tallied: None,
            related: None,
            resolutions: super::check::Memos::keeping(),
        }
    }

    /// A cache whose one-off builds hold the pages' HTML as it is from the
    /// model to the render stage only for a site of at most `bytes` of
    /// Markdown (see [`HOLD_HTML_UP_TO`]): 0 packs every page's. A cache
    /// that keeps its work holds it as it is whatever the size.
    pub fn holding_html_up_to(mut self, bytes: usize) -> Self {
        self.hold_html_up_to = Some(bytes);
        self
    }

    /// Whether it keeps each build's work for the next.
    pub fn keeps(&self) -> bool {
        self.bodies.keeps()
    }

    /// The rendered body of every page, rendering only the pages that are
    /// new or changed (in parallel).
    pub(super) fn page_bodies(
        &mut self,
        pages: &[Arc<PageSource>],
        raw_html: RawHtml,
    ) -> Vec<Arc<Rendered>> {
        // Measured only when it can matter: a kept build never packs.
        let pack = !self.keeps()
            && pages.iter().map(|page| page.body().len()).sum::<usize>()
                > self.hold_html_up_to.unwrap_or(HOLD_HTML_UP_TO);
        self.bodies.map(
            pages,
            |page| (&page.file, raw_html),
            |page| {
                let mut body = super::render_page(page, raw_html);
                if pack {
                    body.pack_html();
                }
                Arc::new(body)
            },
        )
    }

    /// The rendered body of every source document, rendering only the new
    /// or changed ones.
    pub(super) fn source_bodies(&mut self, seeds: &[Seed]) -> Vec<Arc<Rendered>> {
        self.sources.map(
            seeds,
            |seed| (&seed.file, ()),
            |seed| Arc::new(super::render_source(seed)),
        )
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
        if self.keeps() {
            self.related = Some((signature, related));
        }
    }
}
