//! What the last build published, job by job, so that the next build
//! renders only the files whose inputs changed.
//!
//! Beside the output folder, `.<name>.dossier-ledger` holds, for each job
//! that rendered files into the site, the fingerprint of everything its
//! template could see (see [`crate::render::deps`]) and, for each of its
//! files, the stamp the published file had: its inode, size and
//! modification time. A later build that finds a job with the same
//! fingerprint, and every file of it with the same stamp, links the
//! published files into the new site instead of rendering them again.
//!
//! Anything in doubt renders: a file edited by hand (its stamp changed), a
//! ledger written by another build of dossier (the binary's own stamp is in
//! it), a ledger that cannot be read. The ledger is read and written under
//! the output folder's lock, written whole into a new file that replaces
//! the old one, after the site is in place.

use std::fmt::Write as _;
use std::fs;
use std::io;
use std::path::{Path, PathBuf};

use foldhash::{HashMap, HashMapExt};

/// The first word of a ledger, and the version of its format.
const HEADER: &str = "dossier-ledger 1";

/// What identifies a published file as the one the ledger saw: a file
/// replaced or edited since has another.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Stamp {
    inode: u64,
    size: u64,
    modified: (i64, i64),
}

impl Stamp {
    /// The stamp of the regular file at `path`, if there is one.
    pub fn of(path: &Path) -> Option<Stamp> {
        let meta = fs::symlink_metadata(path).ok()?;
        if !meta.is_file() {
            return None;
        }
        Some(Stamp::from_metadata(&meta))
    }

    /// The stamp of the open `file`, written and flushed: what the ledger
    /// records for it once it is published (a rename keeps it), without
    /// looking its path up again.
    pub fn of_file(file: &fs::File) -> io::Result<Stamp> {
        file.metadata().map(|meta| Stamp::from_metadata(&meta))
    }

    #[cfg(unix)]
    fn from_metadata(meta: &fs::Metadata) -> Stamp {
        use std::os::unix::fs::MetadataExt;
        Stamp {
            inode: meta.ino(),
            size: meta.size(),
            modified: (meta.mtime(), meta.mtime_nsec()),
        }
    }

    #[cfg(not(unix))]
    fn from_metadata(meta: &fs::Metadata) -> Stamp {
        let modified = meta
            .modified()
            .ok()
            .and_then(|time| time.duration_since(std::time::UNIX_EPOCH).ok())
            .map_or((0, 0), |since| {
                (since.as_secs() as i64, i64::from(since.subsec_nanos()))
            });
        Stamp {
            inode: 0,
            size: meta.len(),
            modified,
        }
    }
}

/// One job as the ledger saw it published.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Entry {
    print: u64,
    /// Each file of the job (relative to the output folder), with its
    /// stamp.
    files: Vec<(String, Stamp)>,
}

/// The ledger of one output folder.
#[derive(Debug, Default)]
pub struct Ledger {
    /// By the job's own path (the path of its first file).
    jobs: HashMap<String, Entry>,
}

/// Where the ledger of `output_dir` is kept.
pub fn path(output_dir: &Path) -> PathBuf {
    let name = output_dir
        .file_name()
        .map_or_else(|| "public".into(), |n| n.to_string_lossy());
    output_dir.with_file_name(format!(".{name}.dossier-ledger"))
}

/// What identifies the running build of dossier: its version and its
/// executable's stamp, so that a new build never trusts what an older one
/// rendered. `None` when the executable cannot be found.
pub fn identity() -> Option<String> {
    // On Linux, the file running, even if another has since been put at
    // its path.
    #[cfg(target_os = "linux")]
    let meta = fs::metadata("/proc/self/exe").ok()?;
    #[cfg(not(target_os = "linux"))]
    let meta = fs::metadata(std::env::current_exe().ok()?).ok()?;
    let stamp = Stamp::from_metadata(&meta);
    Some(format!(
        "{} {} {} {}.{:09}",
        env!("CARGO_PKG_VERSION"),
        stamp.inode,
        stamp.size,
        stamp.modified.0,
        stamp.modified.1
    ))
}

impl Ledger {
    /// The ledger of `output_dir`, written by the build `identity`: empty
    /// when there is none, when another build wrote it, or when it cannot
    /// be read.
    pub fn read(output_dir: &Path, identity: &str) -> Ledger {
        fs::read_to_string(path(output_dir))
            .ok()
            .and_then(|text| parse(&text, identity))
            .unwrap_or_default()
    }

    /// The files of the job whose first file is `job_path`, with their
    /// stamps, when the ledger saw it published with the fingerprint
    /// `print` and every file of it in `output_dir` still has the stamp it
    /// had then.
    pub fn unchanged(
        &self,
        job_path: &str,
        print: u64,
        output_dir: &Path,
    ) -> Option<Vec<(&str, Stamp)>> {
        let entry = self
            .jobs
            .get(job_path)
            .filter(|entry| entry.print == print)?;
        entry
            .files
            .iter()
            .map(|(file, stamp)| {
                (Stamp::of(&output_dir.join(file)) == Some(*stamp))
                    .then_some((file.as_str(), *stamp))
            })
            .collect()
    }
}

/// Writes the ledger of `output_dir` for the build `identity`: each job as
/// `(its first file, its fingerprint, its files)`, each file with the stamp
/// `staged` gives it (the stamp it was staged with), or else the stamp it
/// has now. A job with a file missing is left out.
pub fn write<'a>(
    output_dir: &Path,
    identity: &str,
    jobs: impl IntoIterator<Item = (&'a str, u64, Vec<&'a str>)>,
    staged: impl Fn(&str) -> Option<Stamp>,
) -> io::Result<()> {
    let mut text = format!("{HEADER}\n{identity}\n");
    for (job_path, print, files) in jobs {
        let stamps: Option<Vec<Stamp>> = files
            .iter()
            .map(|file| staged(file).or_else(|| Stamp::of(&output_dir.join(file))))
            .collect();
        let Some(stamps) = stamps else {
            continue;
        };
        let _ = writeln!(text, "job {print:016x} {job_path}");
        for (file, stamp) in files.iter().zip(stamps) {
            let Stamp {
                inode,
                size,
                modified: (seconds, nanos),
            } = stamp;
            let _ = writeln!(text, "file {inode} {size} {seconds} {nanos} {file}");
        }
    }
    let ledger = path(output_dir);
    let fresh = ledger.with_extension("new");
    fs::write(&fresh, text)?;
    fs::rename(&fresh, &ledger)
}

/// Forgets the ledger of `output_dir`: the next build renders every file.
pub fn forget(output_dir: &Path) {
    let _ = fs::remove_file(path(output_dir));
}

/// The ledger in `text`, if the build `identity` wrote it and every line
/// reads.
fn parse(text: &str, identity: &str) -> Option<Ledger> {
    let mut lines = text.lines();
    if lines.next()? != HEADER || lines.next()? != identity {
        return None;
    }
    let mut jobs = HashMap::new();
    let mut current: Option<(String, Entry)> = None;
    for line in lines {
        let (kind, rest) = line.split_once(' ')?;
        match kind {
            "job" => {
                let (print, job_path) = rest.split_once(' ')?;
                let entry = Entry {
                    print: u64::from_str_radix(print, 16).ok()?,
                    files: Vec::new(),
                };
                if let Some((path, done)) = current.replace((job_path.to_string(), entry)) {
                    jobs.insert(path, done);
                }
            }
            "file" => {
                let mut fields = rest.splitn(5, ' ');
                let mut number = || fields.next()?.parse::<i64>().ok();
                let (inode, size, seconds, nanos) = (number()?, number()?, number()?, number()?);
                let file = fields.next()?;
                let stamp = Stamp {
                    inode: inode as u64,
                    size: size as u64,
                    modified: (seconds, nanos),
                };
                current.as_mut()?.1.files.push((file.to_string(), stamp));
            }
            _ => return None,
        }
    }
    if let Some((path, done)) = current {
        jobs.insert(path, done);
    }
    Some(Ledger { jobs })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_written_ledger_reads_back_and_notices_a_changed_file() {
        let dir = tempfile::tempdir().unwrap();
        let public = dir.path().join("public");
        fs::create_dir_all(public.join("a")).unwrap();
        fs::write(public.join("a/index.html"), "A").unwrap();
        fs::write(public.join("b.js"), "B").unwrap();
        fs::write(public.join("c.js"), "C").unwrap();
        write(
            &public,
            "me",
            [
                ("a/index.html", 7, vec!["a/index.html"]),
                ("b.js", 9, vec!["b.js", "c.js"]),
                ("gone.html", 3, vec!["gone.html"]),
            ],
            |_| None,
        )
        .unwrap();

        let ledger = Ledger::read(&public, "me");
        let files = |job, print| {
            ledger
                .unchanged(job, print, &public)
                .map(|files| files.into_iter().map(|(file, _)| file).collect::<Vec<_>>())
        };
        assert_eq!(files("a/index.html", 7), Some(vec!["a/index.html"]));
        assert_eq!(files("b.js", 9), Some(vec!["b.js", "c.js"]));
        assert_eq!(
            ledger.unchanged("a/index.html", 7, &public),
            Some(vec![(
                "a/index.html",
                Stamp::of(&public.join("a/index.html")).unwrap()
            )]),
            "each file comes with the stamp it has"
        );
        // Another fingerprint, a job never published, a file left out.
        assert_eq!(ledger.unchanged("a/index.html", 8, &public), None);
        assert_eq!(ledger.unchanged("d.html", 7, &public), None);
        assert_eq!(ledger.unchanged("gone.html", 3, &public), None);

        // A file edited by hand, even to the same size.
        fs::remove_file(public.join("c.js")).unwrap();
        fs::write(public.join("c.js"), "D").unwrap();
        assert_eq!(ledger.unchanged("b.js", 9, &public), None);

        // Another build of dossier trusts none of it.
        assert_eq!(
            Ledger::read(&public, "another").unchanged("a/index.html", 7, &public),
            None
        );
    }

    #[test]
    fn a_file_staged_with_a_stamp_is_recorded_with_it_without_looking_it_up() {
        let dir = tempfile::tempdir().unwrap();
        let public = dir.path().join("public");
        fs::create_dir_all(&public).unwrap();
        fs::write(public.join("a.html"), "A").unwrap();
        let file = fs::File::open(public.join("a.html")).unwrap();
        let stamp = Stamp::of_file(&file).unwrap();
        assert_eq!(Some(stamp), Stamp::of(&public.join("a.html")));
        // Staged with its stamp, a file the folder no longer has is still
        // recorded: its stamp was not looked up.
        fs::remove_file(public.join("a.html")).unwrap();
        let staged = |file: &str| (file == "a.html").then_some(stamp);
        write(&public, "me", [("a.html", 1, vec!["a.html"])], staged).unwrap();
        let text = fs::read_to_string(path(&public)).unwrap();
        assert!(text.contains(&format!("file {} 1 ", stamp.inode)), "{text}");
        // Without a staged stamp, a missing file leaves its job out.
        write(&public, "me", [("a.html", 1, vec!["a.html"])], |_| None).unwrap();
        let text = fs::read_to_string(path(&public)).unwrap();
        assert!(!text.contains("a.html"), "{text}");
    }

    #[test]
    fn a_damaged_ledger_is_no_ledger() {
        let dir = tempfile::tempdir().unwrap();
        let public = dir.path().join("public");
        fs::create_dir_all(&public).unwrap();
        fs::write(public.join("a.html"), "A").unwrap();
        write(&public, "me", [("a.html", 1, vec!["a.html"])], |_| None).unwrap();
        let text = fs::read_to_string(path(&public)).unwrap();
        for damaged in [
            text.replace("job", "jab"),
            text.replace("\nfile ", "\nfile x"),
            text.lines().take(3).collect::<Vec<_>>().join("\n") + "\nfile 1 2",
        ] {
            fs::write(path(&public), damaged).unwrap();
            assert_eq!(
                Ledger::read(&public, "me").unchanged("a.html", 1, &public),
                None
            );
        }
    }
}
