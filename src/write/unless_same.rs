//! A file of the staged site written as its bytes come, unless they are the
//! bytes of the published file.
//!
//! While the bytes match the published file, nothing is written: they are
//! compared with it a buffer at a time. At the first difference, the file
//! is created anew (whatever was at its path is removed first, never
//! written into), what matched is copied from the published file, and the
//! rest is written after it. A file that turns out the same is never
//! written at all, and a large one is never held in memory.

use std::fs::File;
use std::io::{self, BufRead, BufReader, BufWriter, Read, Seek, SeekFrom, Write};
use std::path::{Path, PathBuf};

use super::ledger::Stamp;

/// How a file written through [`UnlessSame`] ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Outcome {
    /// Its bytes are the published file's, which has this stamp; nothing
    /// was written.
    Same(Stamp),
    /// It was written at its path, and has this stamp.
    Written(Stamp),
}

/// Writes the file at `target` unless its bytes are those of `published`.
pub struct UnlessSame {
    target: PathBuf,
    /// The published file with its stamp, while every byte so far matches
    /// it.
    comparing: Option<(BufReader<File>, Stamp)>,
    /// How many bytes matched the published file.
    matched: u64,
    /// The file being written, once the bytes have differed.
    writing: Option<BufWriter<File>>,
}

impl UnlessSame {
    /// Starts the file `target`, to be compared with the regular file at
    /// `published`, if there is one there (with no published site, `None`
    /// spares looking).
    pub fn new(target: &Path, published: Option<&Path>) -> Self {
        let comparing = published.and_then(|published| {
            let stamp = Stamp::of(published)?;
            let file = File::open(published).ok()?;
            Some((BufReader::with_capacity(1 << 16, file), stamp))
        });
        UnlessSame {
            target: target.to_path_buf(),
            comparing,
            matched: 0,
            writing: None,
        }
    }

    /// Ends the file: it is the same when every byte matched and the
    /// published file has no more.
    pub fn finish(mut self) -> io::Result<Outcome> {
        if let Some((comparing, stamp)) = &mut self.comparing {
            if comparing.fill_buf()?.is_empty() {
                return Ok(Outcome::Same(*stamp));
            }
            self.diverge()?;
        }
        let writing = match self.writing.take() {
            Some(writing) => writing,
            // Nothing to compare with, and nothing written: an empty file.
            None => BufWriter::new(create_anew(&self.target)?),
        };
        let file = writing
            .into_inner()
            .map_err(io::IntoInnerError::into_error)?;
        Stamp::of_file(&file).map(Outcome::Written)
    }

    /// Stops comparing: creates the file with the bytes that matched so
    /// far, copied from the published file.
    fn diverge(&mut self) -> io::Result<&mut BufWriter<File>> {
        let published = self.comparing.take().map(|(reader, _)| reader.into_inner());
        let mut writing = BufWriter::with_capacity(1 << 16, create_anew(&self.target)?);
        if let Some(mut published) = published.filter(|_| self.matched > 0) {
            published.seek(SeekFrom::Start(0))?;
            io::copy(&mut published.take(self.matched), &mut writing)?;
        }
        Ok(self.writing.insert(writing))
    }
}

/// Creates the file `path` as a new file: what was there is removed first,
/// so that a file linked from elsewhere is never written into.
fn create_anew(path: &Path) -> io::Result<File> {
    let create = || File::options().write(true).create_new(true).open(path);
    match create() {
        Err(error) if error.kind() == io::ErrorKind::AlreadyExists => {
            std::fs::remove_file(path)?;
            create()
        }
        created => created,
    }
}

impl Write for UnlessSame {
    fn write(&mut self, bytes: &[u8]) -> io::Result<usize> {
        if let Some(writing) = &mut self.writing {
            return writing.write(bytes);
        }
        let mut rest = bytes;
        if let Some((comparing, _)) = &mut self.comparing {
            while !rest.is_empty() {
                let available = comparing.fill_buf()?;
                let n = available.len().min(rest.len());
                let same = available[..n]
                    .iter()
                    .zip(rest)
                    .take_while(|(a, b)| a == b)
                    .count();
                comparing.consume(same);
                self.matched += same as u64;
                rest = &rest[same..];
                if same < n || n == 0 {
                    break;
                }
            }
            if rest.is_empty() {
                return Ok(bytes.len());
            }
        }
        self.diverge()?.write_all(rest)?;
        Ok(bytes.len())
    }

    fn flush(&mut self) -> io::Result<()> {
        match &mut self.writing {
            Some(writing) => writing.flush(),
            None => Ok(()),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Writes `pieces` through an [`UnlessSame`] against a published file
    /// holding `published` (none when `None`); returns the outcome and
    /// the target's bytes, if it was written (checked to have the stamp
    /// the outcome gives).
    fn write(published: Option<&str>, pieces: &[&str]) -> (&'static str, Option<String>) {
        let dir = tempfile::tempdir().unwrap();
        let old = dir.path().join("old.html");
        let new = dir.path().join("new.html");
        if let Some(text) = published {
            std::fs::write(&old, text).unwrap();
        }
        let mut out = UnlessSame::new(&new, Some(&old));
        for piece in pieces {
            out.write_all(piece.as_bytes()).unwrap();
        }
        // The stamp an outcome gives is that of the file it leaves in place.
        let (outcome, stamp, file) = match out.finish().unwrap() {
            Outcome::Same(stamp) => ("same", stamp, &old),
            Outcome::Written(stamp) => ("written", stamp, &new),
        };
        assert_eq!(Stamp::of(file), Some(stamp), "the stamp of {outcome}");
        (outcome, std::fs::read_to_string(&new).ok())
    }

    #[test]
    fn the_same_bytes_in_any_pieces_write_nothing() {
        assert_eq!(
            write(Some("<p>one two</p>"), &["<p>", "one two", "</p>"]),
            ("same", None)
        );
        assert_eq!(write(Some(""), &[]), ("same", None));
    }

    #[test]
    fn a_difference_anywhere_writes_the_whole_file() {
        for (published, pieces) in [
            ("<p>one two</p>", &["<p>", "one too", "</p>"][..]),
            ("<p>one two</p>", &["<q>one two</p>"][..]),
            ("<p>one two</p>", &["<p>one two</p>", "!"][..]),
            ("<p>one two</p>!", &["<p>one two</p>"][..]),
            ("<p>one</p>", &["<p>", "one", "</p>", " and more"][..]),
        ] {
            let text = pieces.concat();
            assert_eq!(
                write(Some(published), pieces),
                ("written", Some(text)),
                "{published:?}"
            );
        }
    }

    #[test]
    fn with_no_published_site_the_file_is_written_without_a_look_at_its_path() {
        let dir = tempfile::tempdir().unwrap();
        let new = dir.path().join("new.html");
        let mut out = UnlessSame::new(&new, None);
        out.write_all(b"<p>a</p>").unwrap();
        assert!(matches!(out.finish().unwrap(), Outcome::Written(_)));
        assert_eq!(std::fs::read_to_string(&new).unwrap(), "<p>a</p>");
    }

    #[test]
    fn without_a_published_file_every_byte_is_written() {
        assert_eq!(write(None, &["a", "b"]), ("written", Some("ab".into())));
        assert_eq!(write(None, &[]), ("written", Some(String::new())));
    }
}
