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

use std::collections::HashMap;
use std::sync::{Arc, OnceLock};
use std::time::{Duration, Instant};

use rayon::prelude::*;

use crate::diagnostics::{self, Diagnostic};
use crate::load::{self, Changes, Input, Project};
use crate::model::{self, Site};
use crate::paths::OutputPath;
use crate::render::deps::{self, BodyPrints};
use crate::render::{self, Cards, Job, Output, Renderer, Theme};
use crate::source::SourceMap;

/// One state of the site, free of errors: every output file, rendered on
/// first use.
pub struct Generation {
    /// Counts up from 1 with each generation of a session.
    pub number: u64,
    site: Site,
    theme: Arc<Theme>,
    /// The cards of `site`'s pages, agencies and topics, made as files ask
    /// for them and shared by all of them.
    cards: Cards,
    slots: Vec<Slot>,
    by_path: foldhash::HashMap<OutputPath, usize>,
}

/// One output file of a generation.
struct Slot {
    path: OutputPath,
    source: SlotSource,
    fingerprint: u64,
    bytes: OnceLock<Result<Arc<[u8]>, Box<Diagnostic>>>,
}

/// Where a slot's bytes come from.
enum SlotSource {
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
        let path = OutputPath::file(path)?;
        let slot = &self.slots[*self.by_path.get(&path)?];
        Some(self.bytes(slot))
    }

    fn bytes(&self, slot: &Slot) -> Result<Arc<[u8]>, Box<Diagnostic>> {
        slot.bytes
            .get_or_init(|| match slot.source {
                SlotSource::Job(job) => Renderer::new(&self.site, &self.theme, &self.cards)
                    .render(&job)
                    .map(|output| Arc::from(output.bytes))
                    .map_err(Box::new),
                // Files are given their bytes when the slot is made.
                SlotSource::File => Ok(Arc::from(Vec::new())),
            })
            .clone()
    }

    /// Renders every file not rendered yet, in parallel.
    pub fn render_all(&self) -> Vec<Diagnostic> {
        self.slots
            .par_iter()
            .filter_map(|slot| self.bytes(slot).err().map(|d| *d))
            .collect()
    }

    /// Every output file, rendered, sorted by path.
    pub fn outputs(&self) -> Vec<Output> {
        self.render_all();
        let mut outputs: Vec<Output> = self
            .slots
            .iter()
            .filter_map(|slot| {
                let bytes = self.bytes(slot).ok()?;
                Some(Output {
                    path: slot.path.clone(),
                    bytes: bytes.to_vec(),
                })
            })
            .collect();
        outputs.sort_by(|a, b| a.path.cmp(&b.path));
        outputs
    }

    /// The site this generation was made from.
    pub fn site(&self) -> &Site {
        &self.site
    }
}

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
}

/// A project loaded into memory, and the work that can be reused.
pub struct Session {
    project: Project,
    input: Option<Input>,
    cache: model::Cache,
    bodies: BodyPrints,
    theme: Option<LoadedTheme>,
    files: HashMap<OutputPath, (Arc<[u8]>, u64)>,
    current: Option<Arc<Generation>>,
    generations: u64,
}

struct LoadedTheme {
    name: String,
    theme: Arc<Theme>,
    templates: HashMap<String, u64>,
    sources: SourceMap,
}

impl Session {
    /// A session on `project`; nothing is read until the first
    /// [`update`](Session::update).
    pub fn new(project: Project) -> Self {
        Session {
            project,
            input: None,
            cache: model::Cache::keeping(),
            bodies: BodyPrints::default(),
            theme: None,
            files: HashMap::new(),
            current: None,
            generations: 0,
        }
    }

    /// The current generation: the last state without errors.
    pub fn current(&self) -> Option<Arc<Generation>> {
        self.current.clone()
    }

    /// Brings the site up to date after `changes` (everything, the first
    /// time).
    pub fn update(&mut self, changes: &Changes) -> Update {
        let mut clock = Clock::default();
        let mut diagnostics = Vec::new();
        let input = match &self.input {
            Some(previous) => load::reload(previous, changes, &mut diagnostics),
            None => load::load(&self.project, &mut diagnostics),
        };
        let Some(input) = input else {
            self.input = None;
            return self.failed(diagnostics, SourceMap::default());
        };
        diagnostics.extend(input.diagnostics().cloned());
        clock.lap("load");
        let site = model::build_cached(&input, &mut self.cache, &mut diagnostics);
        self.input = Some(input);
        clock.lap("model");

        let mut sources = site.sources_map.clone();
        let theme_changed = match self.load_theme(&site, changes) {
            Ok(changed) => changed,
            Err((problems, theme_sources)) => {
                diagnostics.extend(problems);
                sources.merge(&theme_sources);
                return self.failed(diagnostics, sources);
            }
        };
        let Some(loaded) = &self.theme else {
            return self.failed(diagnostics, sources);
        };
        sources.merge(&loaded.sources);
        let theme = Arc::clone(&loaded.theme);
        let templates = loaded.templates.clone();
        diagnostics.extend(render::theme::anchors_taken_by_theme(&site, &theme));
        self.read_files(&site, changes, theme_changed, &mut diagnostics);
        if diagnostics::has_errors(&diagnostics) {
            return self.failed(diagnostics, sources);
        }

        clock.lap("theme");
        let prints = deps::job_prints(&site, &templates, &mut self.bodies);
        clock.lap("fingerprints");
        let generation = self.next_generation(site, theme, prints);
        // A template edit can break rendering anywhere: render what changed
        // now, so that a broken template is reported and the last good site
        // stays up. Content edits render lazily, on request.
        if theme_changed {
            let render_errors = generation.render_all();
            if !render_errors.is_empty() {
                diagnostics.extend(render_errors);
                return self.failed(diagnostics, sources);
            }
        }
        let changed = self.changed_paths(&generation);
        if let Some(old) = self.current.replace(Arc::new(generation)) {
            // Freeing a large site takes a while: not on the way to the
            // reload.
            std::thread::spawn(move || drop(old));
        }
        diagnostics::sort(&mut diagnostics);
        clock.lap("generation");
        Update {
            diagnostics,
            sources,
            generation: Some(self.generations),
            changed,
            timings: clock.laps,
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
        }
    }

    /// Loads the theme again when it is new, renamed or edited. Returns
    /// whether it changed, or why it cannot be used (then it is loaded again
    /// on the next update, until it can).
    fn load_theme(
        &mut self,
        site: &Site,
        changes: &Changes,
    ) -> Result<bool, (Vec<Diagnostic>, SourceMap)> {
        let name = &site.config.theme;
        let stale = match &self.theme {
            None => true,
            Some(loaded) => loaded.name != *name || changes.under("themes"),
        };
        if !stale {
            return Ok(false);
        }
        self.theme = None;
        let mut diagnostics = Vec::new();
        let mut sources = SourceMap::default();
        let theme = render::theme::load(
            &self.project,
            name,
            site.config.theme_span.clone(),
            &mut sources,
            &mut diagnostics,
        );
        match theme {
            Some(theme) if !diagnostics::has_errors(&diagnostics) => {
                let templates = deps::template_prints(&theme);
                self.theme = Some(LoadedTheme {
                    name: name.clone(),
                    theme: Arc::new(theme),
                    templates,
                    sources,
                });
                Ok(true)
            }
            _ => Err((diagnostics, sources)),
        }
    }

    /// Reads the theme's static files and the content's other files again
    /// where they may have changed; keeps the others' bytes.
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
            for (path, _) in &loaded.theme.static_files {
                if let Some(kept) = self.files.get(path) {
                    files.insert(path.clone(), kept.clone());
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
        fresh.extend(render::asset_files(&site.project, &stale, diagnostics));
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
        let mut slots: Vec<Slot> = prints
            .into_iter()
            .map(|(job, fingerprint)| {
                let path = job.output_path(&site);
                let bytes = OnceLock::new();
                if let Some(kept) = previous.and_then(|g| g.kept(&path, fingerprint)) {
                    let _ = bytes.set(Ok(kept));
                }
                Slot {
                    path,
                    source: SlotSource::Job(job),
                    fingerprint,
                    bytes,
                }
            })
            .collect();
        for (path, (bytes, fingerprint)) in &self.files {
            let cell = OnceLock::new();
            let _ = cell.set(Ok(Arc::clone(bytes)));
            slots.push(Slot {
                path: path.clone(),
                source: SlotSource::File,
                fingerprint: *fingerprint,
                bytes: cell,
            });
        }
        let by_path = slots
            .iter()
            .enumerate()
            .map(|(i, slot)| (slot.path.clone(), i))
            .collect();
        Generation {
            number: self.generations,
            cards: Cards::new(&site),
            site,
            theme,
            slots,
            by_path,
        }
    }

    /// The files of `next` that are new, or whose fingerprint differs from
    /// the current generation's, and the current files `next` no longer has.
    fn changed_paths(&self, next: &Generation) -> Vec<OutputPath> {
        let Some(current) = &self.current else {
            return next.slots.iter().map(|s| s.path.clone()).collect();
        };
        let mut changed: Vec<OutputPath> = next
            .slots
            .iter()
            .filter(|slot| {
                current
                    .by_path
                    .get(&slot.path)
                    .is_none_or(|&i| current.slots[i].fingerprint != slot.fingerprint)
            })
            .map(|slot| slot.path.clone())
            .collect();
        changed.extend(
            current
                .slots
                .iter()
                .filter(|slot| !next.by_path.contains_key(&slot.path))
                .map(|slot| slot.path.clone()),
        );
        changed.sort();
        changed
    }
}

impl Generation {
    /// The rendered bytes of `path` if this generation has them with the
    /// same fingerprint.
    fn kept(&self, path: &OutputPath, fingerprint: u64) -> Option<Arc<[u8]>> {
        let slot = &self.slots[*self.by_path.get(path)?];
        if slot.fingerprint != fingerprint {
            return None;
        }
        match slot.bytes.get() {
            Some(Ok(bytes)) => Some(Arc::clone(bytes)),
            _ => None,
        }
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
    fn lap(&mut self, step: &'static str) {
        self.laps.push((step, self.start.elapsed()));
        self.start = Instant::now();
    }
}

fn hash_bytes(bytes: &[u8]) -> u64 {
    crate::fingerprint::of(bytes)
}
