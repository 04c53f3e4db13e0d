//! A site kept in memory between builds, brought up to date after each edit
//! by redoing only what the edit touched.
//!
//! `dossier serve` holds one [`Session`]. Each [`Session::update`] reloads
//! the changed files, rebuilds the model from the cached work of the last
//! build, fingerprints every output file (see [`crate::render::deps`]) and
//! makes a new [`Generation`]: files whose fingerprint did not change keep
//! their bytes, the others are rendered when first asked for. A generation
//! is only made from a state without errors: after a bad edit the last good
//! one stays in place, and the update carries the diagnostics.
//!
//! Every file is held to the budget of `site.toml` (see
//! [`render::budget`]). After a template edit every file is rendered at
//! once, on threads that can be given up on (see [`render::supervise`]):
//! when a newer edit makes the update obsolete, or when a template runs past
//! its time limit and cannot be stopped, the update does not wait for it.

use std::collections::HashMap;
use std::sync::{Arc, OnceLock};
use std::time::{Duration, Instant};

use rayon::prelude::*;

mod generation;

use crate::config::Config;
use crate::diagnostics::{self, Diagnostic};
use crate::load::{self, Changes, Input, LOCK_FILE, Project, SourcesLock};
use crate::model::{self, Drafts, Site};
use crate::paths::OutputPath;
use crate::render::budget::{Cancel, Limits};
use crate::render::deps::{self, KeptPrints};
use crate::render::supervise::Watch;
use crate::render::{self, Cards, Job, Theme};
use crate::source::SourceMap;
pub use generation::Generation;
use generation::{Slot, SlotSource, render_everything, search_changes};

/// What an update did.
#[derive(Debug)]
pub struct Update {
    /// Every problem of the site as it is now on disk, sorted.
    pub diagnostics: Vec<Diagnostic>,
    /// Every file the diagnostics point into.
    pub sources: SourceMap,
    /// The new generation's number, or `None` when the state has errors
    /// (the last good generation stays current).
    pub generation: Option<u64>,
    /// The output files that are new, gone or may have changed.
    pub changed: Vec<OutputPath>,
    /// How long each step took.
    pub timings: Vec<(&'static str, Duration)>,
    /// Whether the update was made obsolete before it was done: it has
    /// nothing to tell, and the next update brings the site up to date.
    pub abandoned: bool,
}

/// A project read, modelled and checked against its theme: what every run
/// does before it renders (a build into its output folder, `serve` into
/// memory).
pub struct Prepared {
    /// The site, when the project could be read at all.
    pub site: Option<Site>,
    /// The theme, when it loaded without an error.
    pub theme: Option<Arc<Theme>>,
    /// Whether the theme is new or edited since the last run.
    pub theme_changed: bool,
    /// Every problem found so far, the echoes of errors dropped.
    pub diagnostics: Vec<Diagnostic>,
    /// Every file the diagnostics point into: the project's and the theme's.
    pub sources: SourceMap,
    /// How long each stage took.
    pub timings: Vec<(&'static str, Duration)>,
    /// `sources.lock` as it was read.
    pub lock: LockFile,
}

/// `sources.lock` as a run found it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum LockFile {
    /// The project has none.
    Missing,
    /// It was read.
    Read(SourcesLock),
    /// It has errors: it is left as it is.
    Broken,
}

/// A project loaded into memory, and the work that can be reused.
pub struct Session {
    project: Project,
    drafts: Drafts,
    input: Option<Input>,
    cache: model::Cache,
    prints: KeptPrints,
    theme: Option<LoadedTheme>,
    files: HashMap<OutputPath, (Arc<[u8]>, u64)>,
    current: Option<Arc<Generation>>,
    generations: u64,
}

struct LoadedTheme {
    name: String,
    theme: Arc<Theme>,
    /// The fingerprint of all its templates.
    templates: u64,
    sources: SourceMap,
    /// Whether every file has been rendered with it without a problem;
    /// until then, every update renders every file at once.
    checked: bool,
}

impl Session {
    /// A session on `project` that keeps each run's work for the next;
    /// nothing is read until the first [`update`](Session::update). Its
    /// drafts are left out, as a build leaves them, unless
    /// [`with_drafts`](Session::with_drafts) says otherwise.
    pub fn new(project: Project) -> Self {
        Session {
            cache: model::Cache::keeping(),
            ..Session::one_off(project)
        }
    }

    /// A session on `project` for one run: it keeps nothing for a next one
    /// (a build).
    pub fn one_off(project: Project) -> Self {
        Session {
            project,
            drafts: Drafts::LeftOut,
            input: None,
            cache: model::Cache::default(),
            prints: KeptPrints::default(),
            theme: None,
            files: HashMap::new(),
            current: None,
            generations: 0,
        }
    }

    /// The same session, taking in the drafts or not as `drafts` says.
    pub fn with_drafts(mut self, drafts: Drafts) -> Self {
        self.drafts = drafts;
        self
    }

    /// The current generation: the last state without errors.
    pub fn current(&self) -> Option<Arc<Generation>> {
        self.current.clone()
    }

    /// Brings the site up to date after `changes` (everything, the first
    /// time).
    pub fn update(&mut self, changes: &Changes) -> Update {
        self.update_unless(changes, &Cancel::new())
    }

    /// [`update`](Session::update), abandoned when `obsolete` is cancelled
    /// while every file is rendered after a template edit: the update is
    /// then [`abandoned`](Update::abandoned), and the next one renders
    /// every file again.
    pub fn update_unless(&mut self, changes: &Changes, obsolete: &Cancel) -> Update {
        let prepared = self.prepare(changes);
        let mut clock = Clock::resumed(prepared.timings);
        let mut diagnostics = prepared.diagnostics;
        // Finished, and so sorted, by `prepare`: sorted again below only
        // if more are added.
        let finished = diagnostics.len();
        let sources = prepared.sources;
        let (Some(site), Some(theme)) = (prepared.site, prepared.theme) else {
            return self.failed(diagnostics, sources);
        };
        let theme_changed = prepared.theme_changed;
        let Some(loaded) = &self.theme else {
            return self.failed(diagnostics, sources);
        };
        let templates = loaded.templates;
        let checked = loaded.checked;
        self.read_files(&site, changes, theme_changed, &mut diagnostics);
        if diagnostics::has_errors(&diagnostics) {
            return self.failed(diagnostics, sources);
        }

        clock.lap("files");
        let theme_print = deps::seen_of_theme(&site, &theme, templates);
        let prints = deps::job_prints(&site, theme_print, &mut self.prints);
        clock.lap("fingerprints");
        let generation = Arc::new(self.next_generation(site, theme, prints));
        // A template edit can break rendering anywhere: render everything
        // now, so that a broken template is reported and the last good site
        // stays up. Content edits render lazily, on request.
        if theme_changed || !checked {
            let render_errors = match render_everything(&generation, obsolete) {
                Some(errors) => errors,
                None => return self.abandoned(),
            };
            if !render_errors.is_empty() {
                diagnostics.extend(render_errors);
                return self.failed(diagnostics, sources);
            }
            if let Some(loaded) = &mut self.theme {
                loaded.checked = true;
            }
        }
        let changed = self.changed_paths(&generation);
        if let Some(old) = self.current.replace(generation) {
            // Freeing a large site takes a while: not on the way to the
            // reload.
            std::thread::spawn(move || drop(old));
        }
        if diagnostics.len() != finished {
            diagnostics::sort(&mut diagnostics);
        }
        clock.lap("generation");
        Update {
            diagnostics,
            sources,
            generation: Some(self.generations),
            changed,
            timings: clock.laps,
            abandoned: false,
        }
    }

    /// Reads what changed (everything, the first time), builds the model,
    /// loads the theme when it is new or edited, and checks the site with
    /// it: the stages before rendering, in order, each timed.
    pub fn prepare(&mut self, changes: &Changes) -> Prepared {
        let mut clock = Clock::default();
        let mut diagnostics = Vec::new();
        let input = match self.input.take() {
            Some(previous) => load::reload(previous, changes, &mut diagnostics),
            None => load::load(&self.project, &mut diagnostics),
        };
        let Some(input) = input else {
            diagnostics::sort(&mut diagnostics);
            return Prepared {
                site: None,
                theme: None,
                theme_changed: false,
                diagnostics,
                sources: SourceMap::default(),
                timings: clock.laps,
                lock: LockFile::Missing,
            };
        };
        diagnostics.extend(input.diagnostics().cloned());
        clock.lap("load");
        // The theme depends on nothing the model makes (only on its name in
        // `site.toml`): it is loaded beside the model, on another thread,
        // and so is the copy of the files the diagnostics point into.
        let (project, cache, drafts, loaded) =
            (&self.project, &mut self.cache, self.drafts, &mut self.theme);
        let ((site, model_diagnostics), (theme_loaded, mut sources)) = rayon::join(
            || {
                let mut diagnostics = Vec::new();
                let site = model::build_cached(&input, cache, drafts, &mut diagnostics);
                (site, diagnostics)
            },
            || {
                let theme = load_theme(project, loaded, &input.config, changes);
                (theme, input.sources.clone())
            },
        );
        diagnostics.extend(model_diagnostics);
        let lock = match &input.lock {
            _ if input.failed().contains(LOCK_FILE) => LockFile::Broken,
            Some(lock) => LockFile::Read(lock.clone()),
            None => LockFile::Missing,
        };
        if self.cache.keeps() {
            self.input = Some(input);
        }
        clock.lap("model");

        let (theme, theme_changed) = match theme_loaded {
            Ok(changed) => (self.theme.as_ref().map(|t| Arc::clone(&t.theme)), changed),
            Err((problems, theme_sources)) => {
                diagnostics.extend(problems);
                sources.merge(&theme_sources);
                (None, true)
            }
        };
        if let Some(loaded) = &self.theme {
            sources.merge(&loaded.sources);
            diagnostics.extend(render::theme::check(&site, &loaded.theme));
        }
        diagnostics::finish(&mut diagnostics, &site.config.lints);
        clock.lap("theme");
        Prepared {
            site: Some(site),
            theme,
            theme_changed,
            diagnostics,
            sources,
            timings: clock.laps,
            lock,
        }
    }

    fn failed(&self, mut diagnostics: Vec<Diagnostic>, sources: SourceMap) -> Update {
        diagnostics::sort(&mut diagnostics);
        Update {
            diagnostics,
            sources,
            generation: None,
            changed: Vec::new(),
            timings: Vec::new(),
            abandoned: false,
        }
    }

    fn abandoned(&self) -> Update {
        Update {
            abandoned: true,
            ..self.failed(Vec::new(), SourceMap::default())
        }
    }

    /// Reads the theme's static files, the content's other files and the
    /// files of `static/` again where they may have changed; keeps the
    /// others' bytes.
    fn read_files(
        &mut self,
        site: &Site,
        changes: &Changes,
        theme_changed: bool,
        diagnostics: &mut Vec<Diagnostic>,
    ) {
        let Some(loaded) = &self.theme else {
            return;
        };
        let mut files = HashMap::new();
        let mut fresh = Vec::new();
        if theme_changed {
            fresh.extend(render::static_files(&loaded.theme, diagnostics));
        } else {
            for file in &loaded.theme.static_files {
                if let Some(kept) = self.files.get(&file.output) {
                    files.insert(file.output.clone(), kept.clone());
                }
            }
        }
        let mut stale = Vec::new();
        for asset in &site.assets {
            let kept = crate::links::asset_output_path(&asset.path)
                .and_then(|path| Some((self.files.get(&path)?.clone(), path)));
            match kept {
                Some((kept, path)) if !changes.under(&format!("content/{}", asset.path)) => {
                    files.insert(path, kept);
                }
                _ => stale.push(asset.clone()),
            }
        }
        fresh.extend(render::asset_files(&stale, diagnostics));
        let mut stale = Vec::new();
        for file in &site.statics {
            let kept = crate::links::layout::site_file(&file.path)
                .and_then(|path| Some((self.files.get(&path)?.clone(), path)));
            match kept {
                Some((kept, path)) if !changes.touch(&format!("static/{}", file.path)) => {
                    files.insert(path, kept);
                }
                _ => stale.push(file.clone()),
            }
        }
        fresh.extend(render::site_files(&stale, diagnostics));
        for output in fresh {
            let fingerprint = hash_bytes(&output.bytes);
            files.insert(output.path, (Arc::from(output.bytes), fingerprint));
        }
        self.files = files;
    }

    fn next_generation(
        &mut self,
        site: Site,
        theme: Arc<Theme>,
        prints: Vec<(Job, u64)>,
    ) -> Generation {
        self.generations += 1;
        let previous = self.current.as_deref();
        // Whether the last generation has `path` in the same slot `at`.
        let in_place = |at: usize, path: &OutputPath| {
            previous.is_some_and(|g| g.slots.get(at).is_some_and(|old| old.path == *path))
        };
        let (mut slots, mut placed): (Vec<Slot>, Vec<bool>) = prints
            .into_par_iter()
            .enumerate()
            .map(|(at, (job, fingerprint))| {
                let path = job.output_path(&site);
                let bytes = OnceLock::new();
                if let Some(kept) = previous.and_then(|g| g.kept(&path, at, fingerprint)) {
                    let _ = bytes.set(Ok(kept));
                }
                let placed = in_place(at, &path);
                let slot = Slot {
                    path,
                    source: SlotSource::Job(job),
                    fingerprint,
                    bytes,
                };
                (slot, placed)
            })
            .unzip();
        for (path, (bytes, fingerprint)) in &self.files {
            let cell = OnceLock::new();
            let _ = cell.set(Ok(Arc::clone(bytes)));
            placed.push(in_place(slots.len(), path));
            slots.push(Slot {
                path: path.clone(),
                source: SlotSource::File,
                fingerprint: *fingerprint,
                bytes: cell,
            });
        }
        // An edit of a page's text leaves every file where it was: the
        // last generation's table of places then serves this one too.
        let by_path = match previous {
            Some(previous) if previous.slots.len() == slots.len() && placed.iter().all(|&p| p) => {
                Arc::clone(&previous.by_path)
            }
            _ => Arc::new(
                slots
                    .iter()
                    .enumerate()
                    .map(|(i, slot)| (slot.path.clone(), i))
                    .collect(),
            ),
        };
        // The search index's shards go with its manifest.
        let search = OnceLock::new();
        let index = slots
            .iter()
            .find(|slot| matches!(slot.source, SlotSource::Job(Job::SearchIndex)));
        if let (Some(slot), Some(previous)) = (index, previous)
            && slot.bytes.get().is_some()
            && let Some(Ok(files)) = previous.search.get()
        {
            let _ = search.set(Ok(Arc::clone(files)));
        }
        Generation {
            number: self.generations,
            search,
            cards: Cards::new(&site),
            watch: Watch::new(Limits::of(&site.config), Cancel::new()),
            site,
            theme,
            slots,
            by_path,
        }
    }

    /// The files of `next` that are new, or whose fingerprint differs from
    /// the current generation's unless both rendered them to the same
    /// bytes, and the current files `next` no longer has.
    fn changed_paths(&self, next: &Generation) -> Vec<OutputPath> {
        let Some(current) = &self.current else {
            return next.slots.iter().map(|s| s.path.clone()).collect();
        };
        // A file whose fingerprint changed is the same when both
        // generations rendered it to the same bytes (a template edit
        // changes every fingerprint and renders every file).
        let same_bytes = |old: &Slot, new: &Slot| match (old.bytes.get(), new.bytes.get()) {
            (Some(Ok(old)), Some(Ok(new))) => old == new,
            _ => false,
        };
        let mut changed: Vec<OutputPath> = next
            .slots
            .iter()
            .enumerate()
            .filter(|(at, slot)| {
                current.index_of(&slot.path, *at).is_none_or(|i| {
                    let old = &current.slots[i];
                    old.fingerprint != slot.fingerprint && !same_bytes(old, slot)
                })
            })
            .map(|(_, slot)| slot.path.clone())
            .collect();
        changed.extend(
            current
                .slots
                .iter()
                .enumerate()
                .filter(|(at, slot)| next.index_of(&slot.path, *at).is_none())
                .map(|(_, slot)| slot.path.clone()),
        );
        changed.extend(search_changes(current, next));
        changed.sort();
        changed.dedup();
        changed
    }
}

/// Times the steps of an update.
struct Clock {
    start: Instant,
    laps: Vec<(&'static str, Duration)>,
}

impl Default for Clock {
    fn default() -> Self {
        Clock {
            start: Instant::now(),
            laps: Vec::new(),
        }
    }
}

impl Clock {
    /// A clock that goes on from the laps of an earlier one.
    fn resumed(laps: Vec<(&'static str, Duration)>) -> Self {
        Clock {
            start: Instant::now(),
            laps,
        }
    }

    fn lap(&mut self, step: &'static str) {
        self.laps.push((step, self.start.elapsed()));
        self.start = Instant::now();
    }
}

fn hash_bytes(bytes: &[u8]) -> u64 {
    crate::fingerprint::of(bytes)
}

/// Loads the theme `config` names into `loaded` when it is new, renamed or
/// edited. Returns whether it changed, or why it cannot be used (then it is
/// loaded again on the next update, until it can).
fn load_theme(
    project: &Project,
    loaded: &mut Option<LoadedTheme>,
    config: &Config,
    changes: &Changes,
) -> Result<bool, (Vec<Diagnostic>, SourceMap)> {
    let name = &config.theme;
    let stale = match loaded {
        None => true,
        Some(loaded) => loaded.name != *name || changes.under("themes"),
    };
    if !stale {
        return Ok(false);
    }
    *loaded = None;
    let mut diagnostics = Vec::new();
    let mut sources = SourceMap::default();
    let theme = render::theme::load(
        project,
        name,
        config.theme_span.clone(),
        &mut sources,
        &mut diagnostics,
    );
    match theme {
        Some(theme) if !diagnostics::has_errors(&diagnostics) => {
            let templates = deps::theme_print(&theme);
            *loaded = Some(LoadedTheme {
                name: name.clone(),
                theme: Arc::new(theme),
                templates,
                sources,
                checked: false,
            });
            Ok(true)
        }
        _ => Err((diagnostics, sources)),
    }
}
