//! The last stage: publish the built site, atomically.
//!
//! Every file is first written into a staging directory beside the output
//! directory; files whose bytes did not change are hard-linked from the
//! published site instead, so they keep their modification time and an
//! `rsync` copies only what changed. When every file is in place, the two
//! directories are swapped in one step (Linux `renameat2(RENAME_EXCHANGE)`),
//! so there is no moment without a site. A failure at any point leaves the
//! published site exactly as it was.
//!
//! The site that was replaced is kept beside the output as the *spare*
//! (`.<name>.dossier-spare`), and the next build stages into it: its
//! folders are there already, and most of its files are links to the same
//! files as the published site, so a rebuild creates, links and removes
//! only what changed, instead of a whole tree of folders. A file of the
//! spare is never written in place, since it may be the published file
//! under another name: a changed file replaces it.
//!
//! Only one build publishes into an output folder at a time (see
//! [`lock`]), and a folder is dossier's only when its marker proves it
//! (see [`marker`]): a file in it that dossier did not publish is never
//! moved or deleted without `--force`, and with it, is deleted and counted.
//!
//! Where the atomic exchange is not available, the old site is renamed
//! aside, the new one renamed into place, and the old one kept as the
//! spare: two renames, with a moment between them when the output directory
//! is absent.

mod guard;
pub mod ledger;
pub mod lock;
pub mod marker;
mod tree;
mod unless_same;

use std::fs;
use std::io::{self, Write};
use std::path::{Path, PathBuf};
use std::sync::Mutex;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};

use rayon::prelude::*;

use crate::diagnostics::{Code, Diagnostic};
use crate::paths::OutputPath;
use crate::render::{Failed, Output, Sink};
use crate::source::Span;
pub use guard::{Prior, check_output_dir, files as files_phrase};
use ledger::Stamp;
use lock::OutputLock;
pub use marker::{MARKER, MARKER_TEXT};
use unless_same::{Outcome, UnlessSame};

/// What the spare folder holds besides the site, so that version control
/// leaves it alone.
const SPARE_IGNORE: (&str, &str) = (
    ".gitignore",
    "# A spare copy of the site, kept by dossier for the next build.\n*\n",
);

/// What publishing did.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Published {
    /// Files written because they are new or changed.
    pub written: usize,
    /// Files kept as they were (same bytes, same modification time).
    pub unchanged: usize,
    /// Files of the previous site that the new one no longer has.
    pub removed: usize,
    /// Files dossier had not published that were in the output folder, and
    /// were deleted because `--force` said so.
    pub displaced: usize,
}

/// A file staged for publishing.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StagedFile {
    /// Where it is published.
    pub path: OutputPath,
    /// Its stamp, known as it was staged (the [`ledger`] records it once
    /// the site is in place, which keeps it).
    pub stamp: Stamp,
}

/// The right to publish into one output folder: its lock, held until the
/// claim is dropped, and what the folder held when it was taken.
#[derive(Debug)]
pub struct Claim {
    output_dir: PathBuf,
    prior: Prior,
    _lock: OutputLock,
}

/// Claims `output` for a build of the project at `root`: refuses a folder
/// that publishing would destroy ([`check_output_dir`]), takes the lock on
/// publishing there (calling `on_wait` with the holder's process id when
/// another build holds it, then waiting), and refuses a folder that holds
/// files dossier did not publish, unless `force`.
pub fn claim(
    root: &Path,
    output: &Path,
    force: bool,
    on_wait: impl FnOnce(Option<u32>),
) -> Result<Claim, Box<Diagnostic>> {
    check_output_dir(root, output)?;
    let (parent, _) = split_dir(output)?;
    fs::create_dir_all(&parent).map_err(|e| failure(&parent, "cannot create the folder", &e))?;
    let lock = OutputLock::acquire(output, on_wait)?;
    let prior = guard::inspect(output, force)?;
    Ok(Claim {
        output_dir: output.to_path_buf(),
        prior,
        _lock: lock,
    })
}

/// Publishes `outputs` into the claimed output folder, replacing whatever
/// dossier published there before.
pub fn publish(outputs: &[Output], claim: Claim) -> Result<Published, Box<Diagnostic>> {
    let staging = Staging::begin(claim)?;
    let failures: Vec<Box<Diagnostic>> = outputs
        .par_iter()
        .filter_map(|output| staging.add(output).err())
        .collect();
    match failures.into_iter().next() {
        Some(problem) => Err(problem),
        None => staging.commit(),
    }
}

/// A site being published: files go into a staging folder beside the
/// output folder as they come, and [`commit`](Staging::commit) swaps the two.
/// Dropped without a commit, the staging folder is removed and the
/// published site is left as it was.
pub struct Staging {
    claim: Claim,
    output_dir: PathBuf,
    staging: PathBuf,
    old: PathBuf,
    spare: PathBuf,
    /// Whether the staging folder is the spare of the last build, whose
    /// files may be the published ones: they are replaced, never written.
    reused: bool,
    /// Whether the output folder holds files dossier published, to compare
    /// each file with: a first build writes its files without looking.
    published: bool,
    folders: Mutex<foldhash::HashSet<String>>,
    written: AtomicUsize,
    unchanged: AtomicUsize,
    files: Mutex<Vec<StagedFile>>,
    committed: bool,
    /// Set by [`abandon`](Staging::abandon): nothing more is staged.
    abandoned: AtomicBool,
}

impl Staging {
    /// Starts publishing into the claimed folder: clears what killed builds
    /// left behind and takes the spare as the staging folder, or creates one
    /// with dossier's marker.
    pub fn begin(claim: Claim) -> Result<Staging, Box<Diagnostic>> {
        let output_dir = claim.output_dir.clone();
        let (parent, name) = split_dir(&output_dir)?;
        remove_stale_staging(&parent, &name);
        let pid = std::process::id();
        let staging = parent.join(format!(".{name}.dossier-staging-{pid}"));
        let spare = parent.join(format!(".{name}.dossier-spare"));
        // The spare carries the marker, so a build killed from here on
        // leaves a staging folder that the next build knows to remove.
        let reused = marker::is_marked(&spare) && fs::rename(&spare, &staging).is_ok();
        if !reused {
            // The marker first, for the same reason.
            fs::create_dir(&staging)
                .and_then(|()| marker::write(&staging, &[]))
                .map_err(|e| failure(&staging, "cannot create the staging folder", &e))?;
        }
        Ok(Staging {
            published: !claim.prior.published.is_empty(),
            claim,
            output_dir: output_dir.clone(),
            old: parent.join(format!(".{name}.dossier-old-{pid}")),
            staging,
            spare,
            reused,
            folders: Mutex::new(foldhash::HashSet::default()),
            written: AtomicUsize::new(0),
            unchanged: AtomicUsize::new(0),
            files: Mutex::new(Vec::new()),
            committed: false,
            abandoned: AtomicBool::new(false),
        })
    }

    /// Adds one file: hard-linked from the published site when its bytes are
    /// the same (keeping its modification time), written otherwise.
    pub fn add(&self, output: &Output) -> Result<(), Box<Diagnostic>> {
        let added = self.add_written(&output.path, &|out| {
            out.write_all(&output.bytes).map_err(Failed::Write)
        });
        added.map_err(|failed| match failed {
            Failed::Problem(problem) => problem,
            Failed::Write(error) => failure(&self.output_dir, "cannot write the file", &error),
            Failed::Cancelled => abandoned(&self.output_dir),
        })
    }

    /// Adds the published file at `path` as it is, without rendering it
    /// again: its inputs did not change, and it has the `stamp` the
    /// [`ledger`] saw it with.
    pub fn reuse(&self, path: &OutputPath, stamp: Stamp) -> Result<(), Box<Diagnostic>> {
        self.make_dir(path.dir())?;
        let target = self.staging.join(path.as_str());
        let previous = self.output_dir.join(path.as_str());
        if self.reused && target.is_dir() {
            let _ = fs::remove_dir_all(&target);
        }
        let copied = self
            .link_or_copy(&previous, &target)
            .map_err(|e| failure(&previous, "cannot write the file", &e))?;
        self.unchanged.fetch_add(1, Ordering::Relaxed);
        self.record(path, copied.unwrap_or(stamp));
        Ok(())
    }

    /// The folder the site is published into.
    pub fn output_dir(&self) -> &Path {
        &self.output_dir
    }

    /// The files staged so far.
    pub fn staged(&self) -> Vec<StagedFile> {
        self.files
            .lock()
            .map(|files| files.clone())
            .unwrap_or_default()
    }

    /// Gives up on this site while files may still be on their way to it
    /// (from a template that could not be stopped): the staging folder is
    /// removed now, nothing more is staged, and the published site is left
    /// as it was.
    pub fn abandon(&self) {
        self.abandoned.store(true, Ordering::SeqCst);
        if marker::remove_marked_tree(&self.staging).is_err() {
            let _ = fs::remove_dir_all(&self.staging);
        }
    }

    /// Creates the folder `dir` of the staged site, once.
    fn make_dir(&self, dir: &str) -> Result<(), Box<Diagnostic>> {
        if dir.is_empty() {
            return Ok(());
        }
        let known = self
            .folders
            .lock()
            .map(|folders| folders.contains(dir))
            .unwrap_or(false);
        if !known {
            let path = self.staging.join(dir);
            let mut created = fs::create_dir_all(&path);
            if created.is_err() && self.reused {
                // A file of the site before last stands where a folder goes.
                for ancestor in path
                    .ancestors()
                    .take_while(|a| a.starts_with(&self.staging))
                {
                    if ancestor.is_file() {
                        let _ = fs::remove_file(ancestor);
                    }
                }
                created = fs::create_dir_all(&path);
            }
            created
                .map_err(|e| failure(&self.output_dir.join(dir), "cannot create the folder", &e))?;
            if let Ok(mut folders) = self.folders.lock() {
                folders.insert(dir.to_string());
            }
        }
        Ok(())
    }

    fn record(&self, path: &OutputPath, stamp: Stamp) {
        if let Ok(mut files) = self.files.lock() {
            files.push(StagedFile {
                path: path.clone(),
                stamp,
            });
        }
    }

    /// Makes the staged file `target` the published file `previous`: linked
    /// (`None`: it has the published file's stamp), or, where it cannot be,
    /// copied (the copy's stamp).
    fn link_or_copy(&self, previous: &Path, target: &Path) -> io::Result<Option<Stamp>> {
        if self.link_published(previous, target) {
            return Ok(None);
        }
        let _ = fs::remove_file(target);
        fs::copy(previous, target)?;
        Stamp::of(target)
            .map(Some)
            .ok_or_else(|| io::Error::other("the copy is gone"))
    }

    /// Makes the staged file `target` the published file `previous`, unless
    /// it is already; says whether it is.
    fn link_published(&self, previous: &Path, target: &Path) -> bool {
        if !self.reused {
            return fs::hard_link(previous, target).is_ok();
        }
        tree::same_file(previous, target) || tree::link_in_place(previous, target).is_ok()
    }

    /// Adds one file as `write` writes it (see [`stage`](Staging::stage)),
    /// and counts it.
    fn add_written(
        &self,
        path: &OutputPath,
        write: &dyn Fn(&mut dyn Write) -> Result<(), Failed>,
    ) -> Result<(), Failed> {
        if self.abandoned.load(Ordering::SeqCst) {
            return Err(Failed::Cancelled);
        }
        self.make_dir(path.dir()).map_err(Failed::Problem)?;
        let (counter, stamp) = match self.stage(path.as_str(), write)? {
            Outcome::Same(stamp) => (&self.unchanged, stamp),
            Outcome::Written(stamp) => (&self.written, stamp),
        };
        counter.fetch_add(1, Ordering::Relaxed);
        self.record(path, stamp);
        Ok(())
    }

    /// Stages the file at `relative` as `write` writes it: compared with the
    /// published file as it comes and written only from where it differs; a
    /// file whose bytes are the same is the published file, hard-linked, so
    /// it keeps its modification time.
    fn stage(
        &self,
        relative: &str,
        write: &dyn Fn(&mut dyn Write) -> Result<(), Failed>,
    ) -> Result<Outcome, Failed> {
        let target = self.staging.join(relative);
        let previous = self.output_dir.join(relative);
        if self.reused && target.is_dir() {
            // A folder of the site before last stands where this file goes.
            let _ = fs::remove_dir_all(&target);
        }
        let mut out = UnlessSame::new(&target, self.published.then_some(previous.as_path()));
        let written = match write(&mut out) {
            Ok(()) => out.finish(),
            Err(Failed::Write(error)) => Err(error),
            Err(failed) => return Err(failed),
        };
        written
            .and_then(|outcome| match outcome {
                Outcome::Same(published) => Ok(self
                    .link_or_copy(&previous, &target)?
                    .map_or(Outcome::Same(published), Outcome::Written)),
                written => Ok(written),
            })
            .map_err(|e| Failed::Problem(failure(&previous, "cannot write the file", &e)))
    }

    /// How many files have been put so far.
    pub fn len(&self) -> usize {
        self.files.lock().map(|files| files.len()).unwrap_or(0)
    }

    /// Whether no file has been put yet.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// Puts the staged site in place of the published one.
    pub fn commit(self) -> Result<Published, Box<Diagnostic>> {
        self.commit_then(|_| {})
    }

    /// [`commit`](Staging::commit), then calls `then` with the output
    /// folder, the site in place, before the lock on publishing there is
    /// let go.
    pub fn commit_then(mut self, then: impl FnOnce(&Path)) -> Result<Published, Box<Diagnostic>> {
        let mut paths: Vec<OutputPath> =
            std::mem::take(self.files.get_mut().map_err(|_| {
                Box::new(Diagnostic::error(Code::Publish, "publishing failed midway"))
            })?)
            .into_iter()
            .map(|file| file.path)
            .collect();
        paths.sort_unstable();
        let listed: Vec<&str> = paths.iter().map(OutputPath::as_str).collect();
        let new: foldhash::HashSet<&str> = listed.iter().copied().collect();
        if self.reused {
            // What the site before last had and this one has not.
            tree::remove_files_not_in(&self.staging, &new);
        }
        self.mark(&listed)?;
        let replaced = swap_into_place(&self.staging, &self.old, &self.output_dir)?;
        self.committed = true;
        let prior = &self.claim.prior;
        if let Some(old_site) = replaced {
            self.put_away(&old_site);
        }
        then(&self.output_dir);
        Ok(Published {
            written: self.written.load(Ordering::Relaxed),
            unchanged: self.unchanged.load(Ordering::Relaxed),
            removed: prior
                .published
                .iter()
                .filter(|file| !new.contains(file.as_str()))
                .count(),
            displaced: prior.foreign.len(),
        })
    }

    /// Writes the staged site's marker, listing `files`: the published
    /// marker, linked, when it lists the same.
    fn mark(&self, files: &[&str]) -> Result<(), Box<Diagnostic>> {
        let published = self.output_dir.join(MARKER);
        let same = marker::read(&self.output_dir)
            == marker::Marker::Listed(files.iter().map(|f| f.to_string()).collect());
        let staged = self.staging.join(MARKER);
        let linked = same
            && (tree::same_file(&published, &staged)
                || tree::link_in_place(&published, &staged).is_ok());
        if linked {
            return Ok(());
        }
        marker::write(&self.staging, files)
            .map_err(|e| failure(&published, "cannot write dossier's marker", &e))
    }

    /// Puts away the site that was replaced, now at `old_site`: files
    /// dossier did not publish (there only under `--force`) are deleted,
    /// and the rest kept as the spare for the next build; a folder that was
    /// not dossier's is removed whole.
    fn put_away(&self, old_site: &Path) {
        let prior = &self.claim.prior;
        if !prior.marked {
            let _ = marker::write(old_site, &[]);
            if marker::remove_marked_tree(old_site).is_err() {
                let _ = fs::remove_dir_all(old_site);
            }
            return;
        }
        for file in &prior.foreign {
            let _ = fs::remove_file(old_site.join(file));
        }
        keep_as_spare(old_site, &self.spare);
    }
}

impl Drop for Staging {
    fn drop(&mut self) {
        if self.committed || *self.abandoned.get_mut() {
            return;
        }
        if marker::remove_marked_tree(&self.staging).is_err() {
            let _ = fs::remove_dir_all(&self.staging);
        }
    }
}

/// The parent directory and the name of `output_dir`.
fn split_dir(output_dir: &Path) -> Result<(PathBuf, String), Box<Diagnostic>> {
    let name = output_dir
        .file_name()
        .and_then(|n| n.to_str())
        .map(str::to_string);
    let parent = output_dir.parent().map(Path::to_path_buf);
    match (parent, name) {
        (Some(parent), Some(name)) => Ok((parent, name)),
        _ => Err(Box::new(
            Diagnostic::error(
                Code::UnsafeOutput,
                format!("cannot publish into `{}`", output_dir.display()),
            )
            .help("choose an output folder with a name, such as `public`"),
        )),
    }
}

/// Removes the staging folders left by builds that were killed midway.
/// Runs under the lock, so no live build is using one; only folders that
/// carry dossier's marker, or hold nothing but the start of one, are
/// touched, and the marker goes last.
fn remove_stale_staging(parent: &Path, name: &str) {
    let Ok(entries) = fs::read_dir(parent) else {
        return;
    };
    let prefixes = [
        format!(".{name}.dossier-staging-"),
        format!(".{name}.dossier-old-"),
    ];
    for entry in entries.filter_map(Result::ok) {
        let file_name = entry.file_name();
        let Some(file_name) = file_name.to_str() else {
            continue;
        };
        let ours = prefixes.iter().any(|p| file_name.starts_with(p.as_str()));
        let path = entry.path();
        if !ours || !path.is_dir() {
            continue;
        }
        if marker::is_marked(&path) {
            let _ = marker::remove_marked_tree(&path);
        } else if marker::holds_only_a_marker(&path) {
            let _ = fs::remove_dir_all(&path);
        }
    }
}

impl Sink for Staging {
    fn put(&self, output: Output) -> Result<(), Box<Diagnostic>> {
        self.add(&output)
    }

    fn put_written(
        &self,
        path: OutputPath,
        write: &dyn Fn(&mut dyn Write) -> Result<(), Failed>,
    ) -> Result<(), Failed> {
        self.add_written(&path, write)
    }
}

/// Keeps the site that was replaced, now at `old_site`, as the spare for
/// the next build; removes it where it cannot be kept.
fn keep_as_spare(old_site: &Path, spare: &Path) {
    let (ignore, text) = SPARE_IGNORE;
    let kept = !spare.exists()
        && fs::write(old_site.join(ignore), text).is_ok()
        && fs::rename(old_site, spare).is_ok();
    if !kept && marker::remove_marked_tree(old_site).is_err() {
        let _ = fs::remove_dir_all(old_site);
    }
}

/// Puts `staging` where `output_dir` is; returns where the site it
/// replaced is now: `staging` where the two could be exchanged, `old`
/// otherwise; `None` when there was none.
fn swap_into_place(
    staging: &Path,
    old: &Path,
    output_dir: &Path,
) -> Result<Option<PathBuf>, Box<Diagnostic>> {
    if !output_dir.exists() {
        return fs::rename(staging, output_dir)
            .map(|()| None)
            .map_err(|e| failure(output_dir, "cannot move the built site into place", &e));
    }
    match exchange(staging, output_dir) {
        Ok(()) => Ok(Some(staging.to_path_buf())),
        Err(_) => {
            fs::rename(output_dir, old)
                .map_err(|e| failure(output_dir, "cannot move the old site aside", &e))?;
            if let Err(error) = fs::rename(staging, output_dir) {
                let _ = fs::rename(old, output_dir);
                return Err(failure(
                    output_dir,
                    "cannot move the built site into place",
                    &error,
                ));
            }
            Ok(Some(old.to_path_buf()))
        }
    }
}

/// Swaps two directories in one atomic step.
#[cfg(target_os = "linux")]
fn exchange(a: &Path, b: &Path) -> io::Result<()> {
    use rustix::fs::{CWD, RenameFlags, renameat_with};
    renameat_with(CWD, a, CWD, b, RenameFlags::EXCHANGE).map_err(io::Error::from)
}

/// Swaps two directories in one atomic step (not available here).
#[cfg(not(target_os = "linux"))]
fn exchange(_a: &Path, _b: &Path) -> io::Result<()> {
    Err(io::Error::from(io::ErrorKind::Unsupported))
}

/// The problem of a file put after publishing was given up on.
fn abandoned(output_dir: &Path) -> Box<Diagnostic> {
    Box::new(
        Diagnostic::error(Code::Publish, "publishing was given up on")
            .at(Span::file_only(output_dir))
            .note("the published site was left as it was"),
    )
}

fn failure(path: &Path, what: &str, error: &io::Error) -> Box<Diagnostic> {
    Box::new(
        Diagnostic::error(Code::Publish, format!("{what}: {error}"))
            .at(Span::file_only(path))
            .note("the published site was left as it was"),
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::paths::OutputPath;
    use std::os::unix::fs::MetadataExt;

    fn output(path: &str, text: &str) -> Output {
        Output {
            path: OutputPath::file(path).unwrap(),
            bytes: text.as_bytes().to_vec(),
        }
    }

    #[test]
    fn unchanged_files_keep_their_inode_and_deleted_files_disappear() {
        let dir = tempfile::tempdir().unwrap();
        let public = dir.path().join("public");
        let first = [output("a/index.html", "A"), output("b/index.html", "B")];
        let report = publish(&first, claimed(&public)).unwrap();
        assert_eq!(report.written, 2);
        assert!(public.join(MARKER).is_file());
        let inode = fs::metadata(public.join("a/index.html")).unwrap().ino();

        let second = [output("a/index.html", "A"), output("c/index.html", "C")];
        let report = publish(&second, claimed(&public)).unwrap();
        assert_eq!(
            report,
            Published {
                written: 1,
                unchanged: 1,
                removed: 1,
                displaced: 0,
            }
        );
        assert_eq!(
            fs::metadata(public.join("a/index.html")).unwrap().ino(),
            inode
        );
        assert!(!public.join("b").exists());
        assert_eq!(
            fs::read_to_string(public.join("c/index.html")).unwrap(),
            "C"
        );
        assert_eq!(
            names(dir.path()),
            [".public.dossier-lock", ".public.dossier-spare", "public"]
        );
    }

    /// A claim on publishing into `public`, for a project beside it.
    fn claimed(public: &Path) -> Claim {
        let project = public.with_file_name("project");
        claim(&project, public, false, |_| panic!("no other build runs")).unwrap()
    }

    /// The names in the folder `dir`, sorted.
    fn names(dir: &Path) -> Vec<String> {
        let mut names: Vec<String> = fs::read_dir(dir)
            .unwrap()
            .map(|entry| entry.unwrap().file_name().to_string_lossy().into_owned())
            .collect();
        names.sort();
        names
    }

    fn read(path: PathBuf) -> String {
        fs::read_to_string(path).unwrap()
    }

    #[test]
    fn the_spare_is_staged_into_and_never_changes_the_published_site() {
        let dir = tempfile::tempdir().unwrap();
        let public = dir.path().join("public");
        let spare = dir.path().join(".public.dossier-spare");
        publish(
            &[output("a/index.html", "A1"), output("x/index.html", "X")],
            claimed(&public),
        )
        .unwrap();
        assert!(!spare.exists(), "a first build has no site to keep");
        publish(
            &[output("a/index.html", "A1"), output("b/index.html", "B2")],
            claimed(&public),
        )
        .unwrap();
        // The spare is the first site; its `a` is the published `a`.
        assert!(tree::same_file(
            &spare.join("a/index.html"),
            &public.join("a/index.html")
        ));
        assert_eq!(read(spare.join(".gitignore")).lines().last(), Some("*"));

        // A build that fails after changing `a` in the spare it stages into
        // leaves the published `a` as it was.
        let staging = Staging::begin(claimed(&public)).unwrap();
        assert!(staging.reused);
        staging.add(&output("a/index.html", "A3")).unwrap();
        staging.add(&output("x", "now a file")).unwrap();
        assert_eq!(read(public.join("a/index.html")), "A1");
        drop(staging);
        assert_eq!(read(public.join("a/index.html")), "A1");
        assert_eq!(names(dir.path()), [".public.dossier-lock", "public"]);

        // Then through the spare again, twice: a changed file, a kept one,
        // a file where the spare had a folder, one gone.
        publish(
            &[output("a/index.html", "A1"), output("b/index.html", "B2")],
            claimed(&public),
        )
        .unwrap();
        let b = fs::metadata(public.join("b/index.html")).unwrap().ino();
        let third = [
            output("a/index.html", "A3"),
            output("b/index.html", "B2"),
            output("x", "now a file"),
        ];
        let report = publish(&third, claimed(&public)).unwrap();
        assert_eq!(
            (report.written, report.unchanged, report.removed),
            (2, 1, 0)
        );
        assert_eq!(read(public.join("a/index.html")), "A3");
        assert_eq!(read(public.join("x")), "now a file");
        assert_eq!(fs::metadata(public.join("b/index.html")).unwrap().ino(), b);
        assert_eq!(names(&public), [".dossier", "a", "b", "x"]);
        let report = publish(&[output("a/index.html", "A3")], claimed(&public)).unwrap();
        assert_eq!(
            (report.written, report.unchanged, report.removed),
            (0, 1, 2)
        );
        assert_eq!(names(&public), [".dossier", "a"]);
        assert_eq!(
            names(dir.path()),
            [".public.dossier-lock", ".public.dossier-spare", "public"]
        );
    }

    /// Publishes one file written in pieces by `write`.
    fn publish_written(public: &Path, text: &'static str) -> Published {
        let staging = Staging::begin(claimed(public)).unwrap();
        let path = OutputPath::file("search/index.js").unwrap();
        staging
            .put_written(path, &|out| {
                for piece in text.split_inclusive(' ') {
                    out.write_all(piece.as_bytes()).map_err(Failed::Write)?;
                }
                Ok(())
            })
            .unwrap();
        staging.commit().unwrap()
    }

    #[test]
    fn a_file_written_in_pieces_is_published_and_kept_when_unchanged() {
        let dir = tempfile::tempdir().unwrap();
        let public = dir.path().join("public");
        let report = publish_written(&public, "window.x = [1, 2, 3];");
        assert_eq!((report.written, report.unchanged), (1, 0));
        let file = public.join("search/index.js");
        assert_eq!(fs::read_to_string(&file).unwrap(), "window.x = [1, 2, 3];");
        let inode = fs::metadata(&file).unwrap().ino();

        let report = publish_written(&public, "window.x = [1, 2, 3];");
        assert_eq!((report.written, report.unchanged), (0, 1));
        assert_eq!(fs::metadata(&file).unwrap().ino(), inode);

        let report = publish_written(&public, "window.x = [1, 2, 4];");
        assert_eq!((report.written, report.unchanged), (1, 0));
        assert_eq!(fs::read_to_string(&file).unwrap(), "window.x = [1, 2, 4];");
        let names: Vec<String> = fs::read_dir(public.join("search"))
            .unwrap()
            .map(|entry| entry.unwrap().file_name().to_string_lossy().into_owned())
            .collect();
        assert_eq!(names, ["index.js"]);
    }
}
