//! What rendering one file may take: time and output, and how a template
//! is stopped when it takes more.
//!
//! Tera has no way to stop a template from outside, and Rust none to stop a
//! thread, so a template is stopped from within, at its *checkpoints*:
//! every write into the file ([`Metered`]) and every call of `range` (which
//! dossier provides in place of Tera's, see [`range`]). At each, the file's
//! [`Budget`] is checked: the bytes written against `template_output_limit`,
//! the time since the template began against `template_time_limit`, and
//! whether the render was [cancelled](Cancel). A template that loops without
//! reaching a checkpoint cannot be stopped here: see
//! [`supervise`](super::supervise), which gives up on it.
//!
//! Where a template was stopped is known only when it was stopped in a
//! call of `range`, whose place Tera reports. So a template stopped at a
//! write may go on for a little longer, its output thrown away, until its
//! next `range` call ([`GRACE_WRITES`] writes and [`GRACE_TIME`] at most):
//! a runaway loop is usually a loop over a `range`, and the error can then
//! point at it.

use std::cell::{Cell, RefCell};
use std::io;
use std::rc::Rc;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

use tera::{Kwargs, State, TeraResult};

use crate::config::Config;
use crate::diagnostics::{Code, Diagnostic};
use crate::paths::OutputPath;
use crate::source::Span;

/// How many writes a template stopped at a write may still make, their
/// bytes thrown away, to reach a call of `range` that says where it is...
pub const GRACE_WRITES: u32 = 1 << 20;

/// ...and for how long: well within the time a template past its limit has
/// to stop before it is given up on ([`supervise::GRACE`](super::supervise::GRACE)).
pub const GRACE_TIME: Duration = Duration::from_millis(100);

/// How often (in writes) a write reads the clock: reading it costs more
/// than the rest of the check, and a template writes millions of times.
/// (Where a thread watches the time, a write needs no clock: see
/// [`Budget::new`].)
const CLOCK_EVERY: u32 = 64;

/// What one file may take: the settings `template_time_limit` and
/// `template_output_limit` of `site.toml`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Limits {
    /// How long a template may run for one file.
    pub time: Duration,
    /// How many bytes a template may write into one file.
    pub output: u64,
}

impl Limits {
    /// The limits `config` sets.
    pub fn of(config: &Config) -> Limits {
        Limits {
            time: Duration::from_secs(config.template_time_limit),
            output: config.template_output_limit.saturating_mul(1 << 20),
        }
    }

    /// The time limit in seconds, as `site.toml` writes it.
    fn time_seconds(&self) -> String {
        let seconds = self.time.as_secs_f64();
        if seconds.fract() == 0.0 {
            format!("{seconds:.0}")
        } else {
            format!("{seconds}")
        }
    }

    /// The output limit in MiB, as `site.toml` writes it.
    fn output_mebibytes(&self) -> String {
        let mebibytes = self.output as f64 / f64::from(1 << 20);
        if mebibytes.fract() == 0.0 {
            format!("{mebibytes:.0}")
        } else {
            format!("{mebibytes:.2}")
        }
    }

    /// The time limit, for messages.
    fn time_text(&self) -> String {
        format!("{} s", self.time_seconds())
    }

    /// The output limit, for messages.
    fn output_text(&self) -> String {
        format!("{} MiB", self.output_mebibytes())
    }
}

impl Default for Limits {
    fn default() -> Self {
        Limits::of(&Config::default())
    }
}

/// A request to stop rendering, shared by every file it concerns: a file
/// that sees it stops at its next checkpoint, and a file not yet begun is
/// not begun.
#[derive(Debug, Clone, Default)]
pub struct Cancel(Arc<AtomicBool>);

impl Cancel {
    /// A request not made yet.
    pub fn new() -> Self {
        Cancel::default()
    }

    /// Makes the request.
    pub fn cancel(&self) {
        self.0.store(true, Ordering::Relaxed);
    }

    /// Whether the request was made.
    pub fn is_cancelled(&self) -> bool {
        self.0.load(Ordering::Relaxed)
    }
}

/// Why a template was stopped.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Stop {
    /// It ran longer than `template_time_limit`.
    Time,
    /// It wrote more than `template_output_limit`.
    Output,
    /// Its render was cancelled: nothing to report.
    Cancelled,
}

/// The budget of one file being rendered, checked at every checkpoint.
#[derive(Debug)]
pub struct Budget {
    /// `None` for a file that no template writes: only cancelled then.
    limits: Option<Limits>,
    deadline: Option<Instant>,
    /// Cancelled by whoever watches the time, at the deadline.
    expired: Cancel,
    cancels: Vec<Cancel>,
    written: Cell<u64>,
    writes: Cell<u32>,
    stopped: Cell<Option<Stop>>,
    stopped_at: Cell<Option<Instant>>,
    grace: Cell<u32>,
    at_range: Cell<bool>,
}

impl Budget {
    /// A budget of `limits` from now, for a template; stopped when any of
    /// `cancels` is cancelled. Its time is up at its deadline, or as soon
    /// as `expired` is cancelled (by a thread that watches the time, so that
    /// a template that writes seldom is stopped at its next write).
    pub fn new(limits: Limits, cancels: Vec<Cancel>, expired: Cancel) -> Budget {
        Budget {
            deadline: Instant::now().checked_add(limits.time),
            limits: Some(limits),
            expired,
            ..Budget::unlimited(cancels)
        }
    }

    /// A budget without limits, for a file written without a template:
    /// stopped only when one of `cancels` is cancelled.
    pub fn unlimited(cancels: Vec<Cancel>) -> Budget {
        Budget {
            limits: None,
            deadline: None,
            expired: Cancel::new(),
            cancels,
            written: Cell::new(0),
            writes: Cell::new(0),
            stopped: Cell::new(None),
            stopped_at: Cell::new(None),
            grace: Cell::new(GRACE_WRITES),
            at_range: Cell::new(false),
        }
    }

    /// Why the template was stopped, if it was.
    pub fn stopped(&self) -> Option<Stop> {
        self.stopped.get()
    }

    /// How many bytes the template wrote (or tried to).
    pub fn written(&self) -> u64 {
        self.written.get()
    }

    /// Whether the template was stopped in a call of `range`, so that the
    /// place of Tera's error is where it was.
    pub fn stopped_at_range(&self) -> bool {
        self.at_range.get()
    }

    /// Checks the budget after `bytes` more were written; `clock` says
    /// whether to look at the time too.
    fn check(&self, bytes: u64, clock: bool) -> Option<Stop> {
        if let Some(stop) = self.stopped.get() {
            return Some(stop);
        }
        let written = self.written.get().saturating_add(bytes);
        self.written.set(written);
        let stop = if self.cancels.iter().any(Cancel::is_cancelled) {
            Stop::Cancelled
        } else if self.limits.is_some_and(|limits| written > limits.output) {
            Stop::Output
        } else if self.expired.is_cancelled()
            || (clock && self.deadline.is_some_and(|d| Instant::now() >= d))
        {
            Stop::Time
        } else {
            return None;
        };
        self.stopped.set(Some(stop));
        self.stopped_at.set(Some(Instant::now()));
        Some(stop)
    }

    /// Whether a template stopped at a write may go on a little, its
    /// output thrown away, to reach a call of `range`; counts one write.
    fn in_grace(&self) -> bool {
        let left = self.grace.get();
        let recent = self
            .stopped_at
            .get()
            .is_some_and(|at| at.elapsed() < GRACE_TIME);
        if left == 0 || !recent {
            return false;
        }
        self.grace.set(left - 1);
        true
    }

    /// The problem to report for a template stopped for `stop` while
    /// rendering `path` with `template` (whose file is `file`), at `place`
    /// when it is known.
    pub fn problem(
        &self,
        stop: Stop,
        template: &str,
        path: &OutputPath,
        file: Span,
        place: Option<Span>,
    ) -> Diagnostic {
        let limits = self.limits.unwrap_or_default();
        let (what, help) = match stop {
            Stop::Output => (
                format!(
                    "`{template}` wrote more than {} into one file and was stopped",
                    limits.output_text()
                ),
                raise("template_output_limit", limits.output_mebibytes(), "MiB"),
            ),
            Stop::Time | Stop::Cancelled => (
                format!(
                    "`{template}` ran for more than {} on one file and was stopped",
                    limits.time_text()
                ),
                raise("template_time_limit", limits.time_seconds(), "seconds"),
            ),
        };
        let diagnostic = Diagnostic::error(Code::TemplateLimit, what)
            .note(format!("while rendering `{path}` with `{template}`"))
            .help(help);
        match place {
            Some(span) => diagnostic.at(span).label("stopped here"),
            None => diagnostic.at(file).note(
                "it was stopped where it wrote, not in a call of `range`: its line is not known",
            ),
        }
    }
}

/// The problem to report for a template that ran past its time limit
/// while rendering `path` and could not be stopped: it neither wrote nor
/// called `range` for `waited` after its time ran out.
pub fn runaway(
    limits: &Limits,
    template: &str,
    path: &OutputPath,
    file: Span,
    waited: Duration,
) -> Diagnostic {
    Diagnostic::error(
        Code::TemplateLimit,
        format!(
            "`{template}` ran for more than {} on one file and could not be stopped",
            limits.time_text()
        ),
    )
    .at(file)
    .note(format!("while rendering `{path}` with `{template}`"))
    .note(format!(
        "a template is stopped where it writes or calls `range`; this one did neither for {:.1} s after its time ran out, so its line is not known",
        waited.as_secs_f64()
    ))
    .help(raise("template_time_limit", limits.time_seconds(), "seconds"))
}

/// The help for a limit that stopped a template.
fn raise(setting: &str, now: String, unit: &str) -> String {
    format!(
        "look for a loop that runs far more often than meant; if the file needs more, raise `{setting}` in site.toml (it is {now}, in {unit})"
    )
}

/// A file being written by a template, through its budget: every write is a
/// checkpoint. Past the budget, writes fail (after at most
/// [`GRACE_WRITES`] more, for [`GRACE_TIME`] at most, whose bytes are
/// thrown away: see the module's documentation); once cancelled, at once. No byte past the budget reaches
/// the file.
pub struct Metered<'a> {
    out: &'a mut dyn io::Write,
    budget: &'a Budget,
}

impl<'a> Metered<'a> {
    /// Writes into `out` within `budget`.
    pub fn new(out: &'a mut dyn io::Write, budget: &'a Budget) -> Self {
        Metered { out, budget }
    }
}

impl io::Write for Metered<'_> {
    fn write(&mut self, bytes: &[u8]) -> io::Result<usize> {
        let budget = self.budget;
        let writes = budget.writes.get().wrapping_add(1);
        budget.writes.set(writes);
        match budget.check(bytes.len() as u64, writes.is_multiple_of(CLOCK_EVERY)) {
            None => {
                self.out.write_all(bytes)?;
                Ok(bytes.len())
            }
            Some(Stop::Time | Stop::Output) if budget.in_grace() => Ok(bytes.len()),
            Some(stop) => Err(io::Error::other(format!("stopped: {stop:?}"))),
        }
    }

    fn flush(&mut self) -> io::Result<()> {
        self.out.flush()
    }
}

thread_local! {
    /// The budget of the file this thread is rendering, for `range`.
    static CURRENT: RefCell<Option<Rc<Budget>>> = const { RefCell::new(None) };
}

/// Makes `budget` the one `range` checks on this thread until the guard is
/// dropped; the budget before it is restored then.
pub fn enter(budget: &Rc<Budget>) -> Entered {
    let previous = CURRENT.with(|current| current.replace(Some(Rc::clone(budget))));
    Entered { previous }
}

/// The guard of [`enter`].
pub struct Entered {
    previous: Option<Rc<Budget>>,
}

impl Drop for Entered {
    fn drop(&mut self) {
        let previous = self.previous.take();
        CURRENT.with(|current| current.replace(previous));
    }
}

/// Tera's `range` function, with a checkpoint: the same arguments (`end`,
/// and optional `start` and `step_by`), the same list of numbers, the same
/// errors, and an error when the budget of the file being rendered is
/// spent, which Tera places at the call.
pub fn range(kwargs: Kwargs, _: &State) -> TeraResult<Vec<i128>> {
    let stop = CURRENT.with(|current| {
        let current = current.borrow();
        let budget = current.as_ref()?;
        let stop = budget.check(0, true)?;
        budget.at_range.set(true);
        Some(stop)
    });
    if let Some(stop) = stop {
        return Err(tera::Error::message(format!(
            "stopped: {stop:?}: the template's budget for this file is spent"
        )));
    }
    numbers(kwargs)
}

/// The most numbers one call of `range` makes, as in Tera.
const MAX_RANGE_LEN: i128 = 100_000;

/// What Tera's `range` makes of `kwargs`.
fn numbers(kwargs: Kwargs) -> TeraResult<Vec<i128>> {
    let start = kwargs.get::<i128>("start")?.unwrap_or_default();
    let end = kwargs.must_get::<i128>("end")?;
    let step_by = kwargs.get::<i128>("step_by")?.unwrap_or(1);
    if start > end && step_by > 0 {
        return Err(tera::Error::message(
            "Function `range` was called with a `start` argument greater than the `end` one",
        ));
    }
    if step_by == 0 {
        return Err(tera::Error::message(
            "Function `range` was called with a `step_by` argument of 0",
        ));
    }
    let overflow =
        || tera::Error::message("Function `range` was called with arguments that overflow i128");
    let len = if step_by > 0 {
        let span = end.checked_sub(start).ok_or_else(overflow)?;
        span.checked_add(step_by - 1).ok_or_else(overflow)? / step_by
    } else if start <= end {
        0
    } else {
        let step = step_by.checked_neg().ok_or_else(overflow)?;
        let span = start.checked_sub(end).ok_or_else(overflow)?;
        span.checked_add(step - 1).ok_or_else(overflow)? / step
    };
    if len > MAX_RANGE_LEN {
        return Err(tera::Error::message(format!(
            "Function `range` would produce {len} elements, which exceeds the limit of {MAX_RANGE_LEN}"
        )));
    }
    Ok((0..len).map(|i| start + i * step_by).collect())
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Write;

    fn tera_with_range(template: &str) -> tera::Tera {
        let mut tera = tera::Tera::new();
        tera.register_function("range", range);
        tera.add_raw_template("t.html", template).unwrap();
        tera
    }

    fn limits(seconds: u64, bytes: u64) -> Limits {
        Limits {
            time: Duration::from_secs(seconds),
            output: bytes,
        }
    }

    #[test]
    fn range_makes_the_numbers_tera_makes() {
        let tera = tera_with_range(
            "{{ range(end=3) }} {{ range(start=1, end=7, step_by=2) }} {{ range(start=5, end=1, step_by=-2) }} {{ range(start=2, end=2) }}",
        );
        let text = tera.render("t.html", &tera::Context::new()).unwrap();
        assert_eq!(text, "[0, 1, 2] [1, 3, 5] [5, 3] []");
        for bad in [
            "{{ range(start=3, end=1) }}",
            "{{ range(end=1, step_by=0) }}",
            "{{ range(end=100001) }}",
        ] {
            let tera = tera_with_range(bad);
            assert!(
                tera.render("t.html", &tera::Context::new()).is_err(),
                "{bad}"
            );
        }
    }

    #[test]
    fn output_past_the_limit_never_reaches_the_file() {
        let budget = Budget::new(limits(60, 10), vec![], Cancel::new());
        let mut file = Vec::new();
        let mut out = Metered::new(&mut file, &budget);
        out.write_all(b"0123456789").unwrap();
        // Past the limit: thrown away for a while, then refused.
        out.write_all(b"x").unwrap();
        assert_eq!(budget.stopped(), Some(Stop::Output));
        let mut refused = false;
        for _ in 0..=GRACE_WRITES {
            refused |= out.write_all(b"x").is_err();
        }
        assert!(refused);
        assert_eq!(file, b"0123456789");
    }

    #[test]
    fn a_runaway_loop_over_range_is_stopped_at_the_call_of_range() {
        let template = "<p>\n{% for i in range(end=100000) %}{% for j in range(end=100000) %}{{ i }}{% endfor %}{% endfor %}";
        let tera = tera_with_range(template);
        let budget = Rc::new(Budget::new(limits(60, 1 << 20), vec![], Cancel::new()));
        let _entered = enter(&budget);
        let mut file = Vec::new();
        let error = tera
            .render_to(
                "t.html",
                &tera::Context::new(),
                Metered::new(&mut file, &budget),
            )
            .unwrap_err();
        assert_eq!(budget.stopped(), Some(Stop::Output));
        assert!(budget.stopped_at_range());
        let tera::ErrorKind::RenderingError(report) = error.kind() else {
            panic!("{error:?}");
        };
        // The inner loop's `range`, on line 2.
        assert_eq!(&template[report.span().range.clone()], "range(end=100000)");
        assert_eq!(report.span().range.start, template.rfind("range(").unwrap());
        assert_eq!(report.span().start_line, 2);
        assert!(file.len() <= 1 << 20);
    }

    #[test]
    fn a_cancelled_render_stops_at_its_next_write() {
        let cancel = Cancel::new();
        let budget = Budget::unlimited(vec![cancel.clone()]);
        let mut file = Vec::new();
        let mut out = Metered::new(&mut file, &budget);
        out.write_all(b"a").unwrap();
        cancel.cancel();
        assert!(out.write_all(b"b").is_err());
        assert_eq!(budget.stopped(), Some(Stop::Cancelled));
        assert_eq!(file, b"a");
    }

    #[test]
    fn the_time_limit_is_seen_by_range_at_once() {
        let budget = Rc::new(Budget::new(limits(0, 1 << 20), vec![], Cancel::new()));
        let tera = tera_with_range("{% for i in range(end=3) %}{{ i }}{% endfor %}");
        let _entered = enter(&budget);
        let mut file = Vec::new();
        assert!(
            tera.render_to(
                "t.html",
                &tera::Context::new(),
                Metered::new(&mut file, &budget)
            )
            .is_err()
        );
        assert_eq!(budget.stopped(), Some(Stop::Time));
        assert!(file.is_empty());
    }
}
