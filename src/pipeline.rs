//! The build as a list of stages: load, model, render, write.
//!
//! [`build`] runs them in order, collects every diagnostic on the way and
//! publishes only when there is no error. Each stage is timed, for
//! `--verbose`.

use std::path::PathBuf;
use std::sync::Arc;
use std::time::{Duration, Instant};

use foldhash::HashSet;

use crate::diagnostics::{self, Code, Diagnostic, report};
use crate::load::lock::{self, LockUpdate};
use crate::load::{Changes, LOCK_FILE, Project};
use crate::model::{Drafts, Site, coverage, drift};
use crate::render::{self, Heaviest, Output, Rendered};
use crate::reuse;
use crate::session::{LockFile, Session};
use crate::source::SourceMap;
use crate::source::Span;
use crate::write::ledger;
use crate::write::{self, Published};

/// What to do after checking.
#[derive(Debug, Clone, Default)]
pub struct Options {
    /// Where to publish; `None` checks only and writes nothing.
    pub output: Option<PathBuf>,
    /// Replace an output folder that dossier did not create.
    pub force: bool,
    /// Treat warnings as errors.
    pub deny_warnings: bool,
    /// What to do with the pages marked `draft = true`: left out unless
    /// asked for (`--drafts`).
    pub drafts: Drafts,
    /// Fail when a source's coverage, in whole percent, is below this
    /// (`--min-coverage`).
    pub min_coverage: Option<u8>,
    /// Called when another build is publishing into the output folder, with
    /// its process id when known, before this one waits for it.
    pub on_wait: Option<fn(&std::path::Path, Option<u32>)>,
    /// Record the words every cited passage has now in `sources.lock`,
    /// changed ones included (after a person has reviewed them).
    pub accept_sources: bool,
    /// Render every file, even those whose inputs did not change since
    /// the last build into the same folder (see [`write::ledger`]).
    pub render_all: bool,
    /// How many warnings of each code the caller shows in full, with their
    /// lines (see [`report::human_within`]); `None` for all of them. A
    /// build that publishes and shows only some gives back the pages'
    /// Markdown before it renders (see [`Site::release_page_texts`]),
    /// keeping only the lines those warnings quote: the render never reads
    /// it, and at 100,000 pages it is most of a gigabyte.
    pub warnings_shown: Option<usize>,
    /// When nothing is published, keep the rendered files in
    /// [`Outcome::outputs`]; otherwise (`dossier check`) each is dropped as
    /// soon as it has rendered.
    pub keep_files: bool,
}

/// What a run produced.
#[derive(Debug)]
pub struct Outcome {
    /// Every problem found, sorted by file and position.
    pub diagnostics: Vec<Diagnostic>,
    /// Every file read, for showing diagnostics with their lines.
    pub sources: SourceMap,
    /// The site, when the project could be read at all (and no render that
    /// was given up on still holds it).
    pub site: Option<Site>,
    /// The rendered files, when they were not published and
    /// [`Options::keep_files`] asked for them (a build writes each file as
    /// soon as it is rendered, and keeps none).
    pub outputs: Vec<Output>,
    /// How many files the site has.
    pub rendered: usize,
    /// How many of them were the published files, kept without rendering
    /// them again: their inputs had not changed.
    pub reused: usize,
    /// What publishing did, when it happened.
    pub published: Option<Published>,
    /// How long each stage took.
    pub timings: Vec<(&'static str, Duration)>,
    /// The files whose templates came nearest to the limits of
    /// `site.toml`.
    pub heaviest: Heaviest,
    /// What the run changed in `sources.lock`.
    pub lock: Option<LockUpdate>,
}

impl Outcome {
    /// Whether the run failed: an error, or a warning under `deny_warnings`.
    pub fn failed(&self, deny_warnings: bool) -> bool {
        diagnostics::has_errors(&self.diagnostics)
            || (deny_warnings && !self.diagnostics.is_empty())
    }
}

/// Brings `sources.lock` of `project` up to date with the citations of
/// `site`; says what changed, if anything. A lock with errors is left as
/// it is.
fn keep_lock(
    project: &Project,
    site: &Site,
    found: &LockFile,
    accept: bool,
) -> Result<Option<LockUpdate>, Diagnostic> {
    let old = match found {
        LockFile::Broken => return Ok(None),
        LockFile::Missing => None,
        LockFile::Read(lock) => Some(lock),
    };
    let new = drift::updated_lock(site, old, accept);
    let update = LockUpdate::between(old, &new);
    if !update.is_change() || (old.is_none() && new.passages.is_empty()) {
        return Ok(None);
    }
    lock::write(&project.root().join(LOCK_FILE), &new)
        .map(|()| Some(update))
        .map_err(|error| {
            Diagnostic::error(Code::Io, format!("cannot write {LOCK_FILE}: {error}"))
                .at(Span::file_only(LOCK_FILE))
        })
}

/// The warning for a build without `base_url`, said once: the pages work
/// anywhere, but the sitemap and the feed need absolute addresses.
fn no_base_url() -> Diagnostic {
    Diagnostic::warning(
        Code::NoBaseUrl,
        "`base_url` is not set: the sitemap and the feed carry relative addresses, which crawlers and feed readers cannot follow",
    )
    .at(Span::start_of("site.toml"))
    .note("the pages work without it: every link is relative; the 404 page then leads from the root of the host")
    .help("set `base_url` to the address the site is published at, such as `base_url = \"https://example.org/briefing/\"`, or, for a site read from disk, `no-base-url = \"allow\"` in `[lints]`")
}

/// Records the time since `clock` as the time of `stage`, and starts it
/// again.
fn lap(outcome: &mut Outcome, stage: &'static str, clock: &mut Instant) {
    outcome.timings.push((stage, clock.elapsed()));
    *clock = Instant::now();
}

/// Checks the project at `project` and, when `options.output` is set and
/// nothing failed, publishes it there.
pub fn build(project: &Project, options: &Options) -> Outcome {
    let mut outcome = Outcome {
        diagnostics: Vec::new(),
        sources: SourceMap::default(),
        site: None,
        outputs: Vec::new(),
        rendered: 0,
        reused: 0,
        published: None,
        timings: Vec::new(),
        heaviest: Heaviest::default(),
        lock: None,
    };

    // Refuse a dangerous output folder before reading anything, and hold
    // it until the end, so that no other build publishes there meanwhile.
    let mut claim = None;
    if let Some(output) = &options.output {
        let on_wait = |holder| {
            if let Some(notify) = options.on_wait {
                notify(output, holder);
            }
        };
        match write::claim(project.root(), output, options.force, on_wait) {
            Ok(claimed) => claim = Some(claimed),
            Err(problem) => {
                outcome.diagnostics.push(*problem);
                return outcome;
            }
        }
    }

    // The stages before rendering are a session's that keeps nothing.
    let prepared = Session::one_off(project.clone())
        .with_drafts(options.drafts)
        .prepare(&Changes::default());
    outcome.diagnostics.extend(prepared.diagnostics);
    outcome.sources = prepared.sources;
    outcome.timings = prepared.timings;
    let (Some(site), theme) = (prepared.site, prepared.theme) else {
        return outcome;
    };
    // A run without errors keeps `sources.lock` up to date: passages cited
    // for the first time recorded, those no longer cited dropped, changed
    // ones left as they were unless accepted. (A run with errors may not
    // have read every page: it leaves the file alone.)
    if !diagnostics::has_errors(&outcome.diagnostics) {
        match keep_lock(project, &site, &prepared.lock, options.accept_sources) {
            Ok(update) => outcome.lock = update,
            Err(problem) => outcome.diagnostics.push(problem),
        }
    }
    if let Some(least) = options.min_coverage {
        outcome.diagnostics.extend(coverage::below(&site, least));
    }
    // Said once, when the build is about to publish.
    if options.output.is_some()
        && site.config.base_url.is_none()
        && !diagnostics::has_errors(&outcome.diagnostics)
    {
        outcome.diagnostics.push(no_base_url());
    }
    let lints = site.config.lints.clone();
    // The levels of `[lints]` apply before what follows asks whether the
    // run failed.
    diagnostics::finish(&mut outcome.diagnostics, &lints);
    // A build writes each file as it is rendered, into a staging folder
    // that replaces the output folder only if nothing fails; a check, or a
    // build that has already failed, keeps the files (for the caller and
    // to find template errors) and writes nothing.
    let mut staging = None;
    if let Some(claim) =
        claim.take_if(|_| !outcome.failed(options.deny_warnings) && theme.is_some())
    {
        match write::Staging::begin(claim) {
            Ok(started) => staging = Some(Arc::new(started)),
            Err(problem) => outcome.diagnostics.push(*problem),
        }
    }
    let mut clock = Instant::now();
    let mut site = site;
    if let Some(per_code) = options.warnings_shown
        && staging.is_some()
    {
        site.release_page_texts();
        let pages = site.pages.iter().map(|page| page.file.path());
        report::release_texts(&outcome.diagnostics, per_code, &mut outcome.sources, pages);
    }
    // Rendering may outlive this call: a template that cannot be stopped
    // keeps its thread, and what that thread holds (see `render_each`).
    let site = Arc::new(site);
    let mut rendered = Rendered::Finished(Heaviest::default());
    let mut ledger = None;
    if let Some(theme) = &theme {
        match &staging {
            Some(staging) => {
                // What the last build published with the same inputs is
                // staged as it is (see `write::ledger`).
                let mut reused = HashSet::default();
                if let Some(identity) = ledger::identity() {
                    let prints = reuse::job_prints(&site, theme);
                    if !options.render_all {
                        match reuse::stage_unchanged(&site, staging, &prints, &identity) {
                            Ok(jobs) => reused = jobs,
                            Err(problem) => outcome.diagnostics.push(*problem),
                        }
                    }
                    ledger = Some((identity, prints));
                }
                outcome.reused = staging.len();
                rendered = render::render_each_except(
                    &site,
                    theme,
                    &mut outcome.diagnostics,
                    staging,
                    reused,
                );
                outcome.rendered = staging.len();
            }
            None if options.keep_files => {
                let outputs;
                (outputs, rendered) =
                    render::render_gathered(&site, theme, &mut outcome.diagnostics);
                outcome.outputs = outputs;
                outcome.rendered = outcome.outputs.len();
            }
            None => {
                let counted = Arc::new(render::Counted::default());
                rendered = render::render_each(&site, theme, &mut outcome.diagnostics, &counted);
                outcome.rendered = counted.count();
            }
        }
    }
    lap(&mut outcome, "render", &mut clock);

    diagnostics::finish(&mut outcome.diagnostics, &lints);
    let failed = outcome.failed(options.deny_warnings);
    if let Some(staging) = staging {
        match Arc::try_unwrap(staging) {
            // Dropping the staging folder leaves the published site as it was.
            Ok(staging) if failed => drop(staging),
            Ok(staging) => {
                let staged = staging.staged();
                let committed = staging.commit_then(|output_dir| {
                    if let Some((identity, prints)) = &ledger {
                        reuse::keep_ledger(&site, output_dir, identity, prints, &staged);
                    }
                });
                match committed {
                    Ok(published) => outcome.published = Some(published),
                    Err(problem) => outcome.diagnostics.push(*problem),
                }
                lap(&mut outcome, "write", &mut clock);
            }
            // A render given up on still holds it.
            Err(shared) => shared.abandon(),
        }
    }
    if options.output.is_some() && options.deny_warnings && outcome.published.is_none() {
        let warnings = outcome.diagnostics.iter().filter(|d| !d.is_error()).count();
        if warnings > 0 && !diagnostics::has_errors(&outcome.diagnostics) {
            outcome.diagnostics.push(
                Diagnostic::error(Code::Publish, "warnings are denied: nothing was published")
                    .help("fix the warnings, or build without `--deny-warnings`"),
            );
        }
    }
    outcome.site = match rendered {
        Rendered::Finished(heaviest) => {
            outcome.heaviest = heaviest;
            Arc::try_unwrap(site).ok()
        }
        Rendered::GaveUp => None,
    };
    outcome
}
