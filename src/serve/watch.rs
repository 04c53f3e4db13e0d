//! Watching a project's inputs and turning bursts of file events into one
//! set of [`Changes`].
//!
//! Editors save in many ways: writing in place, writing a temporary file and
//! renaming it over the original, deleting and recreating. Each gives a
//! burst of events within a few milliseconds; a burst ends when the files
//! have been quiet for [`QUIET`], and becomes one rebuild.

use std::path::{Component, Path, PathBuf};
use std::sync::mpsc::{Receiver, RecvTimeoutError, channel};
use std::time::{Duration, Instant};

use notify::{RecursiveMode, Watcher};

use crate::load::{Changes, Project};

/// How long the files must be quiet before a burst of events is over: the
/// steps of one save (write a temporary file, rename it over the page) come
/// within a millisecond or two of each other.
pub const QUIET: Duration = Duration::from_millis(4);

/// The longest a burst may last before it is rebuilt anyway.
pub const LONGEST: Duration = Duration::from_millis(200);

/// The folders of a project that are inputs, watched with all they hold.
const INPUT_DIRS: [&str; 4] = ["content", "seeds", "themes", "static"];

/// The project's inputs under watch, and the events they give.
pub struct Watch {
    root: PathBuf,
    events: Receiver<PathBuf>,
    // Dropping the watcher stops the events.
    watcher: notify::RecommendedWatcher,
    /// The folders of [`INPUT_DIRS`] watched so far: one made while
    /// serving (the first file of `themes/` or `static/`) is watched from
    /// its first event on.
    watched: Vec<&'static str>,
}

impl Watch {
    /// Watches `content/`, `seeds/`, `themes/`, `static/`, `site.toml` and
    /// `sources.lock` of `project`, and each of those folders made later.
    pub fn new(project: &Project) -> notify::Result<Watch> {
        let root = project
            .root()
            .canonicalize()
            .unwrap_or_else(|_| project.root().to_path_buf());
        let (sender, events) = channel();
        let mut watcher =
            notify::recommended_watcher(move |event: notify::Result<notify::Event>| {
                // Reading a file is an event too: only writes, creations,
                // removals and renames are changes.
                if let Ok(event) = event
                    && !matches!(
                        event.kind,
                        notify::EventKind::Access(_)
                            | notify::EventKind::Modify(notify::event::ModifyKind::Metadata(_))
                    )
                {
                    for path in event.paths {
                        // The receiver is gone only when serving has stopped.
                        let _ = sender.send(path);
                    }
                }
            })?;
        watcher.watch(&root, RecursiveMode::NonRecursive)?;
        let mut watch = Watch {
            root,
            events,
            watcher,
            watched: Vec::new(),
        };
        for dir in INPUT_DIRS {
            watch.watch_dir(dir)?;
        }
        Ok(watch)
    }

    /// Watches the input folder `dir` with all it holds, if it is there
    /// and not watched yet.
    fn watch_dir(&mut self, dir: &'static str) -> notify::Result<()> {
        let path = self.root.join(dir);
        if !self.watched.contains(&dir) && path.is_dir() {
            self.watcher.watch(&path, RecursiveMode::Recursive)?;
            self.watched.push(dir);
        }
        Ok(())
    }

    /// Waits for the next burst of changes to the inputs and returns them
    /// with the moment the burst began; `None` when watching has stopped.
    pub fn next_changes(&mut self) -> Option<(Changes, Instant)> {
        loop {
            let first = self.events.recv().ok()?;
            let began = Instant::now();
            let mut changes = Changes::default();
            self.add(&mut changes, &first);
            loop {
                if began.elapsed() >= LONGEST {
                    break;
                }
                match self.events.recv_timeout(QUIET) {
                    Ok(path) => self.add(&mut changes, &path),
                    Err(RecvTimeoutError::Timeout) => break,
                    Err(RecvTimeoutError::Disconnected) => return None,
                }
            }
            if !changes.paths.is_empty() {
                return Some((changes, began));
            }
        }
    }

    fn add(&mut self, changes: &mut Changes, path: &Path) {
        if let Some(relative) = input_path(&self.root, path) {
            // A folder made now: what is written into it from here on is
            // seen, and what was written before is read with the folder.
            if let Some(dir) = INPUT_DIRS.into_iter().find(|dir| *dir == relative) {
                let _ = self.watch_dir(dir);
            }
            changes.paths.insert(relative);
        }
    }
}

/// The project-relative path of `path` if it is one of the project's inputs
/// (and not a hidden file or an editor's backup), `/`-separated.
///
/// ```
/// use dossier::serve::watch::input_path;
/// use std::path::Path;
/// let root = Path::new("/site");
/// assert_eq!(input_path(root, Path::new("/site/content/a.md")).as_deref(), Some("content/a.md"));
/// assert_eq!(input_path(root, Path::new("/site/site.toml")).as_deref(), Some("site.toml"));
/// assert_eq!(input_path(root, Path::new("/site/sources.lock")).as_deref(), Some("sources.lock"));
/// assert_eq!(input_path(root, Path::new("/site/content/.a.md.swp")), None);
/// assert_eq!(input_path(root, Path::new("/site/content/a.md~")), None);
/// assert_eq!(input_path(root, Path::new("/site/public/index.html")), None);
/// ```
pub fn input_path(root: &Path, path: &Path) -> Option<String> {
    let relative = path.strip_prefix(root).ok()?;
    let mut parts = Vec::new();
    for component in relative.components() {
        let Component::Normal(part) = component else {
            return None;
        };
        let part = part.to_str()?;
        if part.starts_with('.') || part.ends_with('~') {
            return None;
        }
        parts.push(part);
    }
    let relative = parts.join("/");
    let input = parts
        .first()
        .is_some_and(|first| INPUT_DIRS.contains(first))
        || relative == "site.toml"
        || relative == crate::load::LOCK_FILE;
    input.then_some(relative)
}
