//! `dossier serve`: the site from memory over HTTP, rebuilt on every edit.
//!
//! Three parts run side by side: the watcher turns file events into bursts
//! of changes ([`watch`]) and queues them ([`edits`]), the builder thread
//! brings a [`Session`] up to date after each burst and announces the
//! result, and the HTTP server ([`http`], [`listen`]) serves the current
//! generation and streams the announcements to the open pages, whose
//! injected script reloads them or shows the problems over them.
//!
//! A burst that comes while the builder is still rendering makes that
//! update obsolete: it is abandoned, and the builder takes the newer state
//! at once. A template that runs away is stopped at its budget, or given up
//! on (see [`crate::render::supervise`]), and reported over the last good
//! site. `SIGTERM` and `SIGINT` end the server at once, whatever is
//! running.

pub mod edits;
pub mod http;
pub mod listen;
pub mod watch;

use std::io::{IsTerminal, Write};
use std::net::{IpAddr, Ipv4Addr, SocketAddr};
use std::sync::{Arc, RwLock};
use std::time::{Duration, Instant};

use serde::Serialize;
use tokio::sync::broadcast;

use crate::diagnostics::report::{self, Style};
use crate::diagnostics::{self, Diagnostic};
use crate::load::{Changes, Project};
use crate::model::Drafts;
use crate::session::{Generation, Session, Update};
use crate::source::SourceMap;
use edits::Edits;

/// How to serve.
#[derive(Debug, Clone)]
pub struct Options {
    /// The address to listen on.
    pub bind: IpAddr,
    /// The port; 0 picks a free one.
    pub port: u16,
    /// Open the site in the default browser once it is served.
    pub open: bool,
    /// Print how long each rebuild took, step by step.
    pub verbose: bool,
    /// Colour the problems printed on the terminal.
    pub color: bool,
    /// What to do with the pages marked `draft = true`: shown, each with a
    /// draft banner, unless `--no-drafts` leaves them out as a build does.
    pub drafts: Drafts,
    /// How long a client has to send the head of a request (see
    /// [`listen::HEADER_TIMEOUT`]).
    pub header_timeout: Duration,
}

impl Default for Options {
    fn default() -> Self {
        Options {
            bind: IpAddr::V4(Ipv4Addr::LOCALHOST),
            port: 0,
            open: false,
            verbose: false,
            color: std::io::stderr().is_terminal(),
            drafts: Drafts::Included,
            header_timeout: listen::HEADER_TIMEOUT,
        }
    }
}

/// The problems of the site as it is on disk, as the overlay shows them.
#[derive(Debug, Clone, Serialize)]
pub struct Problems {
    /// `2 errors, 1 warning`.
    pub summary: String,
    /// Every problem, as the terminal shows it (without colours).
    pub text: String,
}

/// What the open pages are told.
#[derive(Debug, Clone)]
pub enum SiteEvent {
    /// The state of the site, sent first on every connection.
    Hello {
        /// The current generation, if the site ever built.
        generation: Option<u64>,
        /// The problems that keep the last edit from showing.
        problems: Option<Problems>,
        /// The citations of source passages that changed since
        /// `sources.lock`: shown below the page, which still updates.
        drift: Option<Problems>,
    },
    /// A new generation is served.
    Reload {
        /// Its number.
        generation: u64,
        /// The files that may have changed; `None` for all of them.
        changed: Option<Vec<String>>,
        /// The citations of changed source passages, as in `Hello`.
        drift: Option<Problems>,
    },
    /// The last edit has problems; the last good generation stays.
    Problems(Problems),
}

/// More changed files than this, and pages are told that everything changed.
const LISTED_CHANGES: usize = 500;

impl SiteEvent {
    /// The SSE event name.
    pub fn name(&self) -> &'static str {
        match self {
            SiteEvent::Hello { .. } => "hello",
            SiteEvent::Reload { .. } => "reload",
            SiteEvent::Problems(_) => "problems",
        }
    }

    /// The SSE event data, as JSON.
    pub fn data(&self) -> String {
        let value = match self {
            SiteEvent::Hello {
                generation,
                problems,
                drift,
            } => {
                serde_json::json!({ "generation": generation, "problems": problems, "drift": drift })
            }
            SiteEvent::Reload {
                generation,
                changed,
                drift,
            } => {
                serde_json::json!({ "generation": generation, "changed": changed, "drift": drift })
            }
            SiteEvent::Problems(problems) => serde_json::json!(problems),
        };
        value.to_string()
    }
}

/// What the builder and the server share.
pub struct Shared {
    state: RwLock<ServedState>,
    /// Announcements to the open pages.
    pub events: broadcast::Sender<SiteEvent>,
}

#[derive(Default)]
struct ServedState {
    current: Option<Arc<Generation>>,
    problems: Option<Problems>,
    drift: Option<Problems>,
}

impl Shared {
    fn new() -> Self {
        let (events, _) = broadcast::channel(64);
        Shared {
            state: RwLock::new(ServedState::default()),
            events,
        }
    }

    /// The generation being served.
    pub fn current(&self) -> Option<Arc<Generation>> {
        self.state
            .read()
            .ok()
            .and_then(|state| state.current.clone())
    }

    /// The problems of the last edit, if it had any.
    pub fn problems(&self) -> Option<Problems> {
        self.state
            .read()
            .ok()
            .and_then(|state| state.problems.clone())
    }

    /// The state of the site, for a new connection.
    pub fn hello(&self) -> SiteEvent {
        SiteEvent::Hello {
            generation: self.current().map(|g| g.number),
            problems: self.problems(),
            drift: self.state.read().ok().and_then(|state| state.drift.clone()),
        }
    }

    fn publish(
        &self,
        current: Option<Arc<Generation>>,
        problems: Option<Problems>,
        drift: Option<Problems>,
    ) {
        if let Ok(mut state) = self.state.write() {
            if current.is_some() {
                let old = std::mem::replace(&mut state.current, current);
                // The last hold on the old generation, most often: freeing
                // a large site takes a while, not on the way to the reload.
                std::thread::spawn(move || drop(old));
            }
            state.problems = problems;
            state.drift = drift;
        }
    }
}

/// A server that is listening, not yet serving.
pub struct Server {
    listener: std::net::TcpListener,
    project: Project,
    options: Options,
}

impl Server {
    /// Binds the address of `options` for `project`.
    pub fn bind(project: Project, options: Options) -> std::io::Result<Server> {
        let listener = std::net::TcpListener::bind(SocketAddr::new(options.bind, options.port))?;
        listener.set_nonblocking(true)?;
        Ok(Server {
            listener,
            project,
            options,
        })
    }

    /// The address the server listens on.
    pub fn local_addr(&self) -> std::io::Result<SocketAddr> {
        self.listener.local_addr()
    }

    /// Builds the site, then serves it and rebuilds it on every change,
    /// until the process is told to stop (`SIGTERM`, `SIGINT`): then it
    /// returns at once, leaving behind any render still running, for the
    /// process to end.
    pub fn run(self) -> std::io::Result<()> {
        let address = self.local_addr()?;
        let shared = Arc::new(Shared::new());
        let runtime = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(2)
            .enable_all()
            .build()?;
        // Before anything else, so that a signal ends even the first build.
        let mut stop = Box::pin(runtime.block_on(async { listen::stop_signal() })?);

        let edits = Arc::new(Edits::default());
        edits.push(Changes::default(), Instant::now());
        let mut watch = watch::Watch::new(&self.project).map_err(std::io::Error::other)?;
        let watcher_edits = Arc::clone(&edits);
        std::thread::Builder::new()
            .name("dossier-watcher".into())
            .spawn(move || {
                while let Some((changes, began)) = watch.next_changes() {
                    watcher_edits.push(changes, began);
                }
                watcher_edits.close();
            })?;

        let (ready, built) = tokio::sync::oneshot::channel();
        let builder_shared = Arc::clone(&shared);
        let mut session = Session::new(self.project.clone()).with_drafts(self.options.drafts);
        let mut terminal = Terminal {
            color: self.options.color,
            verbose: self.options.verbose,
            printed: Vec::new(),
        };
        std::thread::Builder::new()
            .name("dossier-builder".into())
            .spawn(move || {
                let mut ready = Some(ready);
                while let Some((changes, began, obsolete)) = edits.next() {
                    let update = session.update_unless(&changes, &obsolete);
                    if update.abandoned {
                        continue;
                    }
                    // The first update is the build before serving: it is
                    // not timed from an edit.
                    let began = ready.is_none().then_some(began);
                    announce(&builder_shared, &session, update, &mut terminal, began);
                    if let Some(ready) = ready.take() {
                        let _ = ready.send(());
                    }
                }
            })?;

        let listener = self.listener;
        let router = http::router(shared);
        let project = self.project;
        let options = self.options;
        let served = runtime.block_on(async move {
            tokio::select! {
                _ = built => {}
                () = &mut stop => return Ok(()),
            }
            let url = format!("http://{address}/");
            let drafts = match options.drafts {
                Drafts::Included => "drafts shown; --no-drafts leaves them out",
                Drafts::LeftOut => "drafts left out, as `build` leaves them",
            };
            let _ = writeln!(
                std::io::stdout(),
                "Serving {} at {url} ({drafts}; Ctrl-C to stop)",
                project.root().display()
            );
            let _ = std::io::stdout().flush();
            if options.open {
                open_browser(&url);
            }
            let listener = tokio::net::TcpListener::from_std(listener)?;
            listen::serve(listener, router, options.header_timeout, stop).await;
            Ok(())
        });
        // Renders still running are not waited for: they may never end.
        runtime.shutdown_background();
        served
    }
}

/// Where the builder prints.
struct Terminal {
    color: bool,
    verbose: bool,
    /// The problems of the last update, printed in full then: an update
    /// prints only the problems that are new since, and counts the others.
    printed: Vec<Diagnostic>,
}

/// Tells the open pages what an update did, then the terminal: the pages
/// first, since a writer is waiting for the reload, and comparing tens of
/// thousands of warnings with the last update's takes a while.
fn announce(
    shared: &Shared,
    session: &Session,
    update: Update,
    terminal: &mut Terminal,
    began: Option<Instant>,
) {
    let drift = drift_of(&update.diagnostics, &update.sources);
    let outcome = match update.generation {
        Some(generation) => {
            shared.publish(session.current(), None, drift.clone());
            let changed: Vec<String> = update.changed.iter().map(ToString::to_string).collect();
            let count = changed.len();
            let changed = (count <= LISTED_CHANGES).then_some(changed);
            let _ = shared.events.send(SiteEvent::Reload {
                generation,
                changed,
                drift,
            });
            let took = began.map(|b| format!(" in {:.0} ms", b.elapsed().as_secs_f64() * 1e3));
            format!(
                "built generation {generation}{}: {count} file{} changed",
                took.unwrap_or_default(),
                if count == 1 { "" } else { "s" }
            )
        }
        None => {
            // A state with errors makes no generation.
            let problems =
                problems_of(&update.diagnostics, &update.sources).unwrap_or_else(|| Problems {
                    summary: report::summary(&update.diagnostics),
                    text: String::new(),
                });
            shared.publish(None, Some(problems.clone()), drift);
            let _ = shared.events.send(SiteEvent::Problems(problems));
            "the last good version of the site stays served".to_string()
        }
    };
    let mut err = std::io::stderr().lock();
    terminal.print_new(&mut err, update.diagnostics, &update.sources);
    let _ = writeln!(err, "{outcome}");
    if terminal.verbose {
        for (step, time) in &update.timings {
            let _ = writeln!(err, "  {step:<13} {:>8.1} ms", time.as_secs_f64() * 1e3);
        }
    }
}

impl Terminal {
    /// Prints the problems of `diagnostics` that the last update did not
    /// have, and counts the others and those that are gone; keeps
    /// `diagnostics` for the next update.
    fn print_new(
        &mut self,
        err: &mut impl Write,
        diagnostics: Vec<Diagnostic>,
        sources: &SourceMap,
    ) {
        let (new, fixed) = diagnostics::changes(&self.printed, &diagnostics);
        let new: Vec<Diagnostic> = new.into_iter().map(|at| diagnostics[at].clone()).collect();
        if !new.is_empty() {
            let style = if self.color {
                Style::Colored
            } else {
                Style::Plain
            };
            let _ = err
                .write_all(report::human_within(&new, sources, style, PROBLEMS_SHOWN).as_bytes());
        }
        let kept = diagnostics.len() - new.len();
        if kept > 0 || fixed > 0 {
            let problems = if kept == 1 { "problem" } else { "problems" };
            let _ = writeln!(
                err,
                "{kept} {problems} as before, {fixed} gone since the last build (`dossier check` lists them all)"
            );
        }
        self.printed = diagnostics;
    }
}

/// The note below the pages for the citations of source passages that
/// changed since `sources.lock`, if there are any.
fn drift_of(diagnostics: &[Diagnostic], sources: &SourceMap) -> Option<Problems> {
    let drifted: Vec<Diagnostic> = diagnostics
        .iter()
        .filter(|d| d.code == diagnostics::Code::SourceChanged)
        .cloned()
        .collect();
    (!drifted.is_empty()).then(|| Problems {
        summary: match drifted.len() {
            1 => "1 citation of a source passage that changed since sources.lock".to_string(),
            n => format!("{n} citations of source passages that changed since sources.lock"),
        },
        text: report::human(&drifted, sources, Style::Plain),
    })
}

/// How many new problems of each code an update prints in full.
const PROBLEMS_SHOWN: usize = 10;

/// The overlay's text for `diagnostics`, if any of them is an error.
fn problems_of(diagnostics: &[Diagnostic], sources: &SourceMap) -> Option<Problems> {
    diagnostics::has_errors(diagnostics).then(|| Problems {
        summary: report::summary(diagnostics),
        text: report::human(diagnostics, sources, Style::Plain),
    })
}

/// Opens `url` in the default browser, if there is one.
fn open_browser(url: &str) {
    let command = if cfg!(target_os = "macos") {
        std::process::Command::new("open").arg(url).spawn()
    } else if cfg!(target_os = "windows") {
        std::process::Command::new("cmd")
            .args(["/C", "start", "", url])
            .spawn()
    } else {
        std::process::Command::new("xdg-open").arg(url).spawn()
    };
    if let Err(error) = command {
        eprintln!("cannot open a browser ({error}); open {url} yourself");
    }
}
