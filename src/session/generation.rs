//! One state of the site, free of errors, whose files are rendered when
//! first asked for.

use std::collections::BTreeMap;
use std::sync::{Arc, OnceLock};

use rayon::prelude::*;

use crate::diagnostics::{Code, Diagnostic};
use crate::links::layout;
use crate::model::Site;
use crate::paths::OutputPath;
use crate::render::budget::{Cancel, Limits};
use crate::render::supervise::{self, Ended, Watch};
use crate::render::{self, Cards, Failed, Job, Output, Renderer, Theme};

/// One state of the site, free of errors: every output file, rendered on
/// first use.
pub struct Generation {
    /// Counts up from 1 with each generation of a session.
    pub number: u64,
    pub(super) site: Site,
    pub(super) theme: Arc<Theme>,
    /// The cards of `site`'s pages, agencies and topics, made as files ask
    /// for them and shared by all of them.
    pub(super) cards: Cards,
    pub(super) slots: Vec<Slot>,
    /// Where each slot is, by path: shared by the generations that have
    /// the same paths in the same slots.
    pub(super) by_path: Arc<foldhash::HashMap<OutputPath, usize>>,
    /// What files rendered on request are held to; never cancelled.
    pub(super) watch: Watch,
    /// The files of the search index, rendered together with its
    /// manifest (the slot of [`Job::SearchIndex`]).
    pub(super) search: OnceLock<Rendering<Arc<SearchFiles>>>,
}

/// The files of the search index, by path.
pub(super) type SearchFiles = BTreeMap<OutputPath, Arc<[u8]>>;

/// What rendering gave: the bytes, or the problem.
pub(super) type Rendering<T> = Result<T, Box<Diagnostic>>;

/// One output file of a generation.
pub(super) struct Slot {
    pub(super) path: OutputPath,
    pub(super) source: SlotSource,
    pub(super) fingerprint: u64,
    pub(super) bytes: OnceLock<Result<Arc<[u8]>, Box<Diagnostic>>>,
}

/// Where a slot's bytes come from.
pub(super) enum SlotSource {
    /// A template.
    Job(Job),
    /// A file copied as it is.
    File,
}

impl Generation {
    /// The bytes of the output file at `path` (relative to the site root),
    /// rendering it if it has not been yet; `None` when there is no such
    /// file, the template's diagnostic when it fails to render.
    pub fn get(&self, path: &str) -> Option<Result<Arc<[u8]>, Box<Diagnostic>>> {
        let cancelled = || Err(Box::new(Diagnostic::error(Code::Template, "cancelled")));
        let Some(slot) = self.slot(path) else {
            let path = self.search_path(path)?;
            return match self.search_files(&self.watch) {
                Some(Ok(files)) => files.get(&path).cloned().map(Ok),
                Some(Err(problem)) => Some(Err(problem)),
                None => Some(cancelled()),
            };
        };
        Some(
            self.render_slot(slot, &self.watch)
                .unwrap_or_else(cancelled),
        )
    }

    /// The bytes of the output file at `path` if it has been rendered;
    /// `None` when it has not been, or there is no such file.
    pub fn rendered(&self, path: &str) -> Option<Result<Arc<[u8]>, Box<Diagnostic>>> {
        let Some(slot) = self.slot(path) else {
            let path = self.search_path(path)?;
            return match self.search.get()? {
                Ok(files) => files.get(&path).cloned().map(Ok),
                Err(problem) => Some(Err(problem.clone())),
            };
        };
        slot.bytes.get().cloned()
    }

    /// Whether the site has a file at `path`. A shard of the search index
    /// is taken to be there until the index is rendered.
    pub fn contains(&self, path: &str) -> bool {
        self.slot(path).is_some()
            || self.search_path(path).is_some_and(|path| {
                self.search.get().is_none_or(|files| match files {
                    Ok(files) => files.contains_key(&path),
                    Err(_) => true,
                })
            })
    }

    /// `path` as a path of the search index's shards, if it is one.
    fn search_path(&self, path: &str) -> Option<OutputPath> {
        OutputPath::file(path).filter(layout::in_search_index)
    }

    /// The files of the search index, rendered as a job of `watch` if they
    /// are not yet; `None` when the render was cancelled.
    fn search_files(&self, watch: &Watch) -> Option<Rendering<Arc<SearchFiles>>> {
        if let Some(done) = self.search.get() {
            return Some(done.clone());
        }
        let renderer = Renderer::new(&self.site, &self.theme, &self.cards, watch);
        let mut files = SearchFiles::new();
        let rendered = match renderer.render_search_index(&mut |output| {
            files.insert(output.path, Arc::from(output.bytes));
            Ok(())
        }) {
            Ok(()) => Ok(Arc::new(files)),
            Err(Failed::Problem(problem)) => Err(problem),
            Err(Failed::Write(error)) => {
                Err(Box::new(Diagnostic::error(Code::Io, error.to_string())))
            }
            Err(Failed::Cancelled) => return None,
        };
        Some(self.search.get_or_init(|| rendered).clone())
    }

    /// The limits every file is held to.
    pub fn limits(&self) -> Limits {
        self.watch.limits()
    }

    fn slot(&self, path: &str) -> Option<&Slot> {
        let path = OutputPath::file(path)?;
        Some(&self.slots[*self.by_path.get(&path)?])
    }

    /// The bytes of `slot`, rendered as a job of `watch` if they are not
    /// yet; `None` when the render was cancelled (and nothing is kept).
    /// Two threads may render one file at once: each gets the bytes the
    /// first one kept.
    fn render_slot(
        &self,
        slot: &Slot,
        watch: &Watch,
    ) -> Option<Result<Arc<[u8]>, Box<Diagnostic>>> {
        if let Some(done) = slot.bytes.get() {
            return Some(done.clone());
        }
        let SlotSource::Job(job) = slot.source else {
            // Files are given their bytes when the slot is made.
            return Some(Ok(Arc::from(Vec::new())));
        };
        if job == Job::SearchIndex {
            let manifest = self.search_files(watch)?.and_then(|files| {
                files.get(&slot.path).cloned().ok_or_else(|| {
                    Box::new(Diagnostic::error(
                        Code::Io,
                        "the search index has no manifest",
                    ))
                })
            });
            return Some(slot.bytes.get_or_init(|| manifest).clone());
        }
        let rendered = match Renderer::new(&self.site, &self.theme, &self.cards, watch).render(&job)
        {
            Ok(output) => Ok(Arc::from(output.bytes)),
            Err(Failed::Problem(problem)) => Err(problem),
            Err(Failed::Write(error)) => {
                Err(Box::new(Diagnostic::error(Code::Io, error.to_string())))
            }
            Err(Failed::Cancelled) => return None,
        };
        Some(slot.bytes.get_or_init(|| rendered).clone())
    }

    /// Renders every file not rendered yet, in parallel.
    pub fn render_all(&self) -> Vec<Diagnostic> {
        self.render_all_within(&self.watch)
    }

    /// Renders every file not rendered yet, in parallel, each a job of
    /// `watch`: none is begun once it is cancelled, and the first to run
    /// out of its budget cancels it.
    fn render_all_within(&self, watch: &Watch) -> Vec<Diagnostic> {
        self.slots
            .par_iter()
            .filter_map(|slot| {
                if watch.is_cancelled() {
                    return None;
                }
                let _job = watch.job();
                let problem = self.render_slot(slot, watch)?.err()?;
                if problem.code == Code::TemplateLimit {
                    watch.stop_all();
                }
                Some(*problem)
            })
            .collect()
    }

    /// Every output file, rendered, sorted by path.
    pub fn outputs(&self) -> Vec<Output> {
        self.render_all();
        let mut outputs: Vec<Output> = self
            .slots
            .iter()
            .filter_map(|slot| {
                let bytes = self.render_slot(slot, &self.watch)?.ok()?;
                Some(Output {
                    path: slot.path.clone(),
                    bytes: bytes.to_vec(),
                })
            })
            .collect();
        if let Some(Ok(files)) = self.search.get() {
            outputs.extend(
                files
                    .iter()
                    .filter(|(path, _)| self.slot(path.as_str()).is_none())
                    .map(|(path, bytes)| Output {
                        path: path.clone(),
                        bytes: bytes.to_vec(),
                    }),
            );
        }
        outputs.sort_by(|a, b| a.path.cmp(&b.path));
        outputs
    }

    /// The site this generation was made from.
    pub fn site(&self) -> &Site {
        &self.site
    }
}

/// The shards of the search index that differ between `old` and `new`,
/// compared file by file where both generations rendered them. Where one
/// has not (the index is rendered on request), which shards differ is not
/// known: the manifest, whose fingerprint is compared with every other
/// file's, stands for them, as it names them. Listing every shard the
/// other generation rendered instead would report a one-line edit, after
/// the first update, as tens of thousands of changed files.
pub(super) fn search_changes(old: &Generation, new: &Generation) -> Vec<OutputPath> {
    let files = |g: &Generation| match g.search.get() {
        Some(Ok(files)) => Some(Arc::clone(files)),
        _ => None,
    };
    let (Some(old), Some(new)) = (files(old), files(new)) else {
        return Vec::new();
    };
    let mut paths: Vec<OutputPath> = old
        .iter()
        .filter(|(path, bytes)| new.get(*path) != Some(*bytes))
        .map(|(path, _)| path.clone())
        .collect();
    paths.extend(new.keys().filter(|p| !old.contains_key(*p)).cloned());
    paths
}

impl Generation {
    /// The index of the slot of `path`, looked for first at `at`: where it
    /// is in the next generation too unless files came or went.
    pub(super) fn index_of(&self, path: &OutputPath, at: usize) -> Option<usize> {
        match self.slots.get(at) {
            Some(slot) if slot.path == *path => Some(at),
            _ => self.by_path.get(path).copied(),
        }
    }

    /// The rendered bytes of `path` if this generation has them with the
    /// same fingerprint; `at` is where to look first (see
    /// [`index_of`](Generation::index_of)).
    pub(super) fn kept(&self, path: &OutputPath, at: usize, fingerprint: u64) -> Option<Arc<[u8]>> {
        let slot = &self.slots[self.index_of(path, at)?];
        if slot.fingerprint != fingerprint {
            return None;
        }
        match slot.bytes.get() {
            Some(Ok(bytes)) => Some(Arc::clone(bytes)),
            _ => None,
        }
    }
}

/// Renders every file of `generation` not rendered yet, on threads that
/// are left behind when `obsolete` is cancelled or a template cannot be
/// stopped. Returns the problems, or `None` when the render was made
/// obsolete.
pub(super) fn render_everything(
    generation: &Arc<Generation>,
    obsolete: &Cancel,
) -> Option<Vec<Diagnostic>> {
    let watch = Arc::new(Watch::new(generation.limits(), obsolete.clone()));
    let work = {
        let (generation, watch) = (Arc::clone(generation), Arc::clone(&watch));
        move || generation.render_all_within(&watch)
    };
    match supervise::run(&watch, work) {
        Ended::Finished(problems) => Some(problems),
        Ended::Obsolete => None,
        Ended::Runaway(runaways) => {
            let mut problems = Vec::new();
            let runaways = runaways
                .iter()
                .map(|runaway| render::runaway_problem(&generation.theme, &watch, runaway));
            render::report(runaways.collect(), &mut problems);
            Some(problems)
        }
    }
}
