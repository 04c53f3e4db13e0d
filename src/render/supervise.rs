//! Renders that can be given up on.
//!
//! A template is stopped from within, at its checkpoints (see
//! [`budget`](super::budget)); one that loops without reaching one cannot
//! be stopped at all, as Rust cannot stop a thread. So a batch of files is
//! rendered by [`run`] on a pool of threads of its own, while the thread
//! that started it watches the templates running ([`Watch`]): when one runs
//! past its time limit by [`GRACE`] without stopping, or when the batch is
//! made obsolete and does not stop within [`GRACE`], the batch is given up
//! on. Its threads are left to finish on their own with what they hold
//! (nothing they write afterwards gets through: their budget is spent or
//! cancelled), and the caller goes on: `build` reports the template and
//! removes its staging folder, `serve` reports it over the last good site.

use std::collections::BTreeMap;
use std::panic::{AssertUnwindSafe, catch_unwind, resume_unwind};
use std::sync::Mutex;
use std::sync::atomic::{AtomicU64, AtomicUsize, Ordering};
use std::sync::mpsc::{self, RecvTimeoutError};
use std::time::{Duration, Instant};

use crate::paths::OutputPath;

use super::budget::{Cancel, Limits};

/// How long a template past its time limit, or a batch made obsolete, has
/// to stop before it is given up on. A template that writes or calls
/// `range` stops within microseconds.
pub const GRACE: Duration = Duration::from_millis(500);

/// How often the watching thread looks at the templates running.
const TICK: Duration = Duration::from_millis(20);

/// A batch of files being rendered: its limits, what stops it, and the
/// templates running now.
#[derive(Debug)]
pub struct Watch {
    limits: Limits,
    /// Cancelled when a file ran out of its budget: a failed batch is not
    /// worth the time of the files after it, each of which may cost as much.
    stop: Cancel,
    /// Cancelled from outside, when the batch is no longer wanted.
    obsolete: Cancel,
    running: Mutex<BTreeMap<u64, Running>>,
    next: AtomicU64,
    jobs: AtomicUsize,
    heaviest: Mutex<Heaviest>,
}

/// The files that came nearest to the limits: how long the slowest template
/// took and how much the largest wrote, for choosing the limits.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Heaviest {
    /// The file whose template took longest, and how long.
    pub slowest: Option<(OutputPath, Duration)>,
    /// The file whose template wrote most, and how many bytes.
    pub largest: Option<(OutputPath, u64)>,
}

/// A template running, as [`Watch::template`] registered it.
#[derive(Debug, Clone)]
struct Running {
    since: Instant,
    template: String,
    path: OutputPath,
    /// Cancelled by the watching thread once its time is up.
    expired: Cancel,
}

/// A template that ran past its time limit and could not be stopped.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Runaway {
    /// The template rendered.
    pub template: String,
    /// The file it was rendering.
    pub path: OutputPath,
    /// How long it ran on past its limit before it was given up on.
    pub past_limit: Duration,
}

impl Watch {
    /// A batch held to `limits`, stopped early when `obsolete` is cancelled.
    pub fn new(limits: Limits, obsolete: Cancel) -> Watch {
        Watch {
            limits,
            stop: Cancel::new(),
            obsolete,
            running: Mutex::new(BTreeMap::new()),
            next: AtomicU64::new(0),
            jobs: AtomicUsize::new(0),
            heaviest: Mutex::new(Heaviest::default()),
        }
    }

    /// Notes that the template of `path` took `took` and wrote `bytes`.
    pub fn record(&self, path: &OutputPath, took: Duration, bytes: u64) {
        let Ok(mut heaviest) = self.heaviest.lock() else {
            return;
        };
        if heaviest.slowest.as_ref().is_none_or(|(_, t)| took > *t) {
            heaviest.slowest = Some((path.clone(), took));
        }
        if heaviest.largest.as_ref().is_none_or(|(_, b)| bytes > *b) {
            heaviest.largest = Some((path.clone(), bytes));
        }
    }

    /// The files that came nearest to the limits so far.
    pub fn heaviest(&self) -> Heaviest {
        self.heaviest
            .lock()
            .map(|heaviest| heaviest.clone())
            .unwrap_or_default()
    }

    /// The limits of each file.
    pub fn limits(&self) -> Limits {
        self.limits
    }

    /// What cancels the files of the batch.
    pub fn cancels(&self) -> Vec<Cancel> {
        vec![self.stop.clone(), self.obsolete.clone()]
    }

    /// Whether the files not begun yet should be left alone.
    pub fn is_cancelled(&self) -> bool {
        self.stop.is_cancelled() || self.obsolete.is_cancelled()
    }

    /// Stops the batch: every file stops at its next checkpoint, and the
    /// files not begun are not begun.
    pub fn stop_all(&self) {
        self.stop.cancel();
    }

    /// Counts one file in progress until the guard is dropped.
    pub fn job(&self) -> JobGuard<'_> {
        self.jobs.fetch_add(1, Ordering::Relaxed);
        JobGuard(self)
    }

    /// Registers `template` as running from now, rendering `path`, until
    /// the guard is dropped.
    pub fn template(&self, template: &str, path: &OutputPath) -> TemplateGuard<'_> {
        let id = self.next.fetch_add(1, Ordering::Relaxed);
        let expired = Cancel::new();
        if let Ok(mut running) = self.running.lock() {
            running.insert(
                id,
                Running {
                    since: Instant::now(),
                    template: template.to_string(),
                    path: path.clone(),
                    expired: expired.clone(),
                },
            );
        }
        TemplateGuard {
            watch: self,
            id,
            expired,
        }
    }

    /// Tells the templates whose time is up at `now` (their next write
    /// stops them), and returns those past it by [`GRACE`] that have not
    /// stopped.
    fn look(&self, now: Instant) -> Vec<Runaway> {
        let Ok(running) = self.running.lock() else {
            return Vec::new();
        };
        let mut runaways = Vec::new();
        for r in running.values() {
            let Some(past_limit) = now
                .checked_duration_since(r.since)
                .and_then(|ran| ran.checked_sub(self.limits.time))
            else {
                continue;
            };
            r.expired.cancel();
            if past_limit >= GRACE {
                runaways.push(Runaway {
                    template: r.template.clone(),
                    path: r.path.clone(),
                    past_limit,
                });
            }
        }
        runaways
    }
}

/// The guard of [`Watch::job`].
pub struct JobGuard<'a>(&'a Watch);

impl Drop for JobGuard<'_> {
    fn drop(&mut self) {
        self.0.jobs.fetch_sub(1, Ordering::Relaxed);
    }
}

/// The guard of [`Watch::template`].
pub struct TemplateGuard<'a> {
    watch: &'a Watch,
    id: u64,
    expired: Cancel,
}

impl TemplateGuard<'_> {
    /// Cancelled once the template's time is up, if the batch is watched
    /// by [`run`]; a budget stops at its next write then, without reading
    /// the clock.
    pub fn expired(&self) -> Cancel {
        self.expired.clone()
    }
}

impl Drop for TemplateGuard<'_> {
    fn drop(&mut self) {
        if let Ok(mut running) = self.watch.running.lock() {
            running.remove(&self.id);
        }
    }
}

/// How a batch ended.
#[derive(Debug)]
pub enum Ended<T> {
    /// It ran to its end, and returned this.
    Finished(T),
    /// It was made obsolete; what it did is of no use.
    Obsolete,
    /// These templates ran past their time limit and could not be stopped;
    /// the batch was given up on, once the other files had stopped.
    Runaway(Vec<Runaway>),
}

/// Runs `work`, which renders files under `watch`, on a pool of threads of
/// its own (its parallel iterators run there), and waits for it to end,
/// unless it has to be given up on (see the module's documentation). A
/// panic in `work` is passed on.
pub fn run<T: Send + 'static>(
    watch: &Watch,
    work: impl FnOnce() -> T + Send + 'static,
) -> Ended<T> {
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(rayon::current_num_threads())
        .thread_name(|i| format!("dossier-render-{i}"))
        .build();
    let Ok(pool) = pool else {
        // Without threads of its own, the batch runs here, unwatched.
        return Ended::Finished(work());
    };
    let (sender, receiver) = mpsc::sync_channel(1);
    pool.spawn(move || {
        let _ = sender.send(catch_unwind(AssertUnwindSafe(work)));
    });
    let mut obsolete_since = None;
    loop {
        match receiver.recv_timeout(TICK) {
            Ok(_) if watch.obsolete.is_cancelled() => return Ended::Obsolete,
            Ok(Ok(result)) => return Ended::Finished(result),
            Ok(Err(panic)) => resume_unwind(panic),
            Err(RecvTimeoutError::Disconnected) => {
                resume_unwind(Box::new("the render ended without a result"))
            }
            Err(RecvTimeoutError::Timeout) => {}
        }
        let now = Instant::now();
        let runaways = watch.look(now);
        if !runaways.is_empty() {
            watch.stop_all();
            // The other files stop at their next checkpoint; let them, so
            // that nothing writes once the caller cleans up.
            while watch.jobs.load(Ordering::Relaxed) > runaways.len() && now.elapsed() < GRACE {
                std::thread::sleep(TICK);
            }
            return Ended::Runaway(runaways);
        }
        if watch.obsolete.is_cancelled()
            && now.duration_since(*obsolete_since.get_or_insert(now)) >= GRACE
        {
            return Ended::Obsolete;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::Arc;

    fn limits(millis: u64) -> Limits {
        Limits {
            time: Duration::from_millis(millis),
            output: 1 << 20,
        }
    }

    fn path() -> OutputPath {
        OutputPath::page("domains/space")
    }

    #[test]
    fn a_batch_that_ends_gives_its_result() {
        let watch = Watch::new(limits(1000), Cancel::new());
        match run(&watch, || 42) {
            Ended::Finished(n) => assert_eq!(n, 42),
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn a_template_that_never_stops_is_given_up_on() {
        let watch = Arc::new(Watch::new(limits(100), Cancel::new()));
        let inside = Arc::clone(&watch);
        let started = Instant::now();
        let ended = run(&watch, move || {
            let _job = inside.job();
            let _running = inside.template("page.html", &path());
            // A loop that neither writes nor calls `range`.
            loop {
                std::thread::sleep(Duration::from_millis(5));
            }
        });
        let Ended::Runaway(runaways) = ended else {
            panic!("{ended:?}");
        };
        assert_eq!(runaways.len(), 1);
        assert_eq!(runaways[0].template, "page.html");
        assert_eq!(runaways[0].path, path());
        assert!(runaways[0].past_limit >= GRACE);
        assert!(started.elapsed() < Duration::from_secs(3));
        assert!(watch.is_cancelled(), "the other files are stopped");
    }

    #[test]
    fn a_template_that_writes_seldom_is_stopped_at_its_next_write_once_its_time_is_up() {
        use super::super::budget::{Budget, Metered, Stop};
        use std::io::Write;
        let watch = Arc::new(Watch::new(limits(100), Cancel::new()));
        let inside = Arc::clone(&watch);
        let started = Instant::now();
        let ended = run(&watch, move || {
            let running = inside.template("page.html", &path());
            let budget = Budget::new(inside.limits(), inside.cancels(), running.expired());
            let mut file = Vec::new();
            let mut out = Metered::new(&mut file, &budget);
            // A write every 50 ms: the clock is read only every 64 writes.
            while out.write_all(b"x").is_ok() {
                std::thread::sleep(Duration::from_millis(50));
            }
            budget.stopped()
        });
        let Ended::Finished(stopped) = ended else {
            panic!("{ended:?}");
        };
        assert_eq!(stopped, Some(Stop::Time));
        assert!(started.elapsed() < Duration::from_secs(1));
    }

    #[test]
    fn an_obsolete_batch_is_left_behind_when_it_does_not_stop() {
        let obsolete = Cancel::new();
        let watch = Watch::new(limits(60_000), obsolete.clone());
        let started = Instant::now();
        obsolete.cancel();
        let ended = run(&watch, || {
            loop {
                std::thread::sleep(Duration::from_millis(5));
            }
        });
        assert!(matches!(ended, Ended::<()>::Obsolete));
        assert!(started.elapsed() < Duration::from_secs(2));
    }

    #[test]
    fn a_panic_in_the_batch_is_passed_on() {
        let watch = Watch::new(limits(1000), Cancel::new());
        let caught = catch_unwind(AssertUnwindSafe(|| {
            run(&watch, || -> u8 { panic!("broken") })
        }));
        assert!(caught.is_err());
    }
}
