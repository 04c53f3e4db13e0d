//! One build at a time per output folder.
//!
//! A build that publishes holds an exclusive advisory lock (`flock`) on a
//! file beside the output folder, `.<name>.dossier-lock`, from before it
//! looks at the folder until the replaced site is put away. A second build
//! into the same folder waits for it; a build that is killed releases the
//! lock with its process, so it never blocks the next one. The lock file
//! itself is left in place: removing it would let two builds lock two
//! different files of the same name.

use std::fs::{File, OpenOptions, TryLockError};
use std::io::{Read, Seek, SeekFrom, Write};
use std::path::{Path, PathBuf};

use crate::diagnostics::{Code, Diagnostic};
use crate::source::Span;

/// The lock on publishing into one output folder; released when dropped.
#[derive(Debug)]
pub struct OutputLock {
    file: File,
    path: PathBuf,
}

impl OutputLock {
    /// Takes the lock on publishing into `output_dir`, whose parent folder
    /// must exist. When another build holds it, calls `on_wait` with that
    /// build's process id (when known), then waits for it.
    pub fn acquire(
        output_dir: &Path,
        on_wait: impl FnOnce(Option<u32>),
    ) -> Result<OutputLock, Box<Diagnostic>> {
        let path = lock_path(output_dir);
        let mut file = OpenOptions::new()
            .read(true)
            .write(true)
            .create(true)
            .truncate(false)
            .open(&path)
            .map_err(|e| failure(&path, "cannot create the lock file", &e))?;
        match file.try_lock() {
            Ok(()) => {}
            Err(TryLockError::WouldBlock) => {
                on_wait(holder(&mut file));
                file.lock()
                    .map_err(|e| failure(&path, "cannot lock the output folder", &e))?;
            }
            Err(TryLockError::Error(error)) => {
                return Err(failure(&path, "cannot lock the output folder", &error));
            }
        }
        // Who holds it, for a build that has to wait.
        let _ = file
            .set_len(0)
            .and_then(|()| file.seek(SeekFrom::Start(0)))
            .and_then(|_| writeln!(file, "{}", std::process::id()));
        Ok(OutputLock { file, path })
    }

    /// The lock file.
    pub fn path(&self) -> &Path {
        &self.path
    }
}

impl Drop for OutputLock {
    fn drop(&mut self) {
        let _ = self.file.unlock();
    }
}

/// The lock file of `output_dir`: `.<name>.dossier-lock` beside it.
pub fn lock_path(output_dir: &Path) -> PathBuf {
    let name = output_dir
        .file_name()
        .map_or_else(|| "public".into(), |n| n.to_string_lossy());
    output_dir.with_file_name(format!(".{name}.dossier-lock"))
}

/// The process id the holder of the lock wrote into `file`.
fn holder(file: &mut File) -> Option<u32> {
    let mut text = String::new();
    file.seek(SeekFrom::Start(0)).ok()?;
    file.take(32).read_to_string(&mut text).ok()?;
    text.trim().parse().ok()
}

fn failure(path: &Path, what: &str, error: &std::io::Error) -> Box<Diagnostic> {
    Box::new(
        Diagnostic::error(Code::Publish, format!("{what}: {error}"))
            .at(Span::file_only(path))
            .note("the published site was left as it was"),
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::mpsc;
    use std::time::Duration;

    #[test]
    fn a_second_lock_waits_for_the_first_and_names_its_holder() {
        let dir = tempfile::tempdir().unwrap();
        let public = dir.path().join("public");
        let first = OutputLock::acquire(&public, |_| panic!("nobody holds it")).unwrap();
        let (told, heard) = mpsc::channel();
        let (locked, got) = mpsc::channel();
        let waiter = std::thread::spawn({
            let public = public.clone();
            move || {
                let second = OutputLock::acquire(&public, |pid| told.send(pid).unwrap()).unwrap();
                locked.send(()).unwrap();
                drop(second);
            }
        });
        let pid = heard.recv_timeout(Duration::from_secs(10)).unwrap();
        assert_eq!(pid, Some(std::process::id()));
        assert!(got.recv_timeout(Duration::from_millis(200)).is_err());
        drop(first);
        got.recv_timeout(Duration::from_secs(10)).unwrap();
        waiter.join().unwrap();
        assert!(lock_path(&public).is_file());
    }
}
