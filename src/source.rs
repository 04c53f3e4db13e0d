//! Source files as the build read them, and positions inside them.
//!
//! Every diagnostic points into a [`SourceFile`]: the file's path relative to
//! the project root, its text, and an index of line starts that turns a byte
//! offset into a 1-based line and column.

use std::ops::Range;
use std::path::{Path, PathBuf};
use std::sync::{Arc, OnceLock};

use foldhash::HashMap;

/// A text file the build read, shared between the stages that point into it.
#[derive(Debug)]
pub struct SourceFile {
    path: Arc<Path>,
    text: Arc<str>,
    /// Whether this is a stand-in for a file whose text was given back
    /// (see [`SourceFile::released`]).
    released: bool,
    line_starts: Vec<usize>,
    /// How many characters start before each multiple of [`CHAR_BLOCK`]
    /// bytes: made on the first column asked for far into a line that is
    /// not ASCII, so that each column costs at most a block's scan.
    char_marks: OnceLock<Vec<usize>>,
}

/// The bytes between two marks of [`SourceFile::char_marks`].
const CHAR_BLOCK: usize = 4096;

impl SourceFile {
    /// Wraps `text`, read from `path` (relative to the project root).
    pub fn new(path: impl Into<PathBuf>, text: impl Into<Arc<str>>) -> Self {
        let text = text.into();
        let line_starts = std::iter::once(0)
            .chain(newline_offsets(&text).map(|i| i + 1))
            .collect();
        SourceFile {
            path: Arc::from(path.into()),
            text,
            released: false,
            line_starts,
            char_marks: OnceLock::new(),
        }
    }

    /// A stand-in for this file that keeps its path and gives its text
    /// back, for a build that has read all it needs of the file and has a
    /// long way to go: handles to the stand-in leave the memory of the text
    /// free. Asking the stand-in for its text is a mistake (checked in
    /// debug builds), so is a span into it.
    pub fn released(&self) -> SourceFile {
        SourceFile {
            path: Arc::clone(&self.path),
            text: Arc::from(""),
            released: true,
            line_starts: vec![0],
            char_marks: OnceLock::new(),
        }
    }

    /// The path, relative to the project root.
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// The whole text.
    pub fn text(&self) -> &str {
        debug_assert!(
            !self.released,
            "the text of {} was released",
            self.path.display()
        );
        &self.text
    }

    /// The 1-based line and column (counted in characters) of a byte offset.
    ///
    /// Offsets past the end point just after the last character; an offset
    /// inside a multi-byte character points just after it.
    pub fn line_col(&self, offset: usize) -> (usize, usize) {
        let offset = offset.min(self.text().len());
        let line = self.line_starts.partition_point(|&start| start <= offset) - 1;
        let line_start = self.line_starts[line];
        let col = if offset - line_start <= CHAR_BLOCK {
            chars_starting_in(&self.text().as_bytes()[line_start..offset])
        } else {
            self.chars_before(offset) - self.chars_before(line_start)
        };
        (line + 1, col + 1)
    }

    /// How many characters start before the byte `offset`.
    fn chars_before(&self, offset: usize) -> usize {
        let bytes = self.text().as_bytes();
        let marks = self.char_marks.get_or_init(|| {
            let mut marks = vec![0];
            let mut count = 0;
            for block in bytes.chunks(CHAR_BLOCK) {
                count += chars_starting_in(block);
                marks.push(count);
            }
            marks
        });
        let block = offset / CHAR_BLOCK;
        marks[block] + chars_starting_in(&bytes[block * CHAR_BLOCK..offset])
    }

    /// The byte offset of a 1-based line and column (counted in
    /// characters): the inverse of [`line_col`](Self::line_col). A column
    /// past the end of its line gives the end of the line; a line past the
    /// end of the text gives the end of the text.
    pub fn offset_of(&self, line: usize, col: usize) -> usize {
        let Some(&start) = self.line_starts.get(line.saturating_sub(1)) else {
            return self.text().len();
        };
        let end = self
            .line_starts
            .get(line)
            .map_or(self.text().len(), |&next| next - 1);
        self.text()[start..end]
            .char_indices()
            .nth(col.saturating_sub(1))
            .map_or(end, |(i, _)| start + i)
    }

    /// A [`Span`] for a byte range of this file.
    pub fn span(&self, range: Range<usize>) -> Span {
        let end = range.end.min(self.text().len());
        let start = range.start.min(end);
        let (line, col) = self.line_col(start);
        Span {
            file: self.path.clone(),
            range: start..end,
            line,
            col,
        }
    }

    /// A [`Span`] covering the whole first line, for problems with the file
    /// as a whole.
    pub fn start_span(&self) -> Span {
        let end = self.text().find('\n').unwrap_or(self.text().len());
        self.span(0..end)
    }
}

/// How many characters start in `bytes`: the bytes that are not the
/// continuation of a multi-byte character.
fn chars_starting_in(bytes: &[u8]) -> usize {
    if bytes.is_ascii() {
        bytes.len()
    } else {
        bytes.iter().filter(|&&b| (b as i8) >= -0x40).count()
    }
}

/// `range` of `bytes` widened to whole lines, their line endings
/// included, and kept within `bytes`.
fn whole_lines(bytes: &[u8], range: Range<usize>) -> Range<usize> {
    let end = range.end.min(bytes.len());
    let start = range.start.min(end);
    let line_start = memchr::memrchr(b'\n', &bytes[..start]).map_or(0, |i| i + 1);
    let line_end = match end.checked_sub(1) {
        // A range that ends just after a line ending stops there.
        Some(last) if end > start && bytes[last] == b'\n' => end,
        _ => memchr::memchr(b'\n', &bytes[end..]).map_or(bytes.len(), |i| end + i + 1),
    };
    line_start..line_end
}

fn newline_offsets(text: &str) -> impl Iterator<Item = usize> + '_ {
    memchr::memchr_iter(b'\n', text.as_bytes())
}

/// A place in a source file: the file, the byte range, and where the range
/// starts as 1-based line and column.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Span {
    /// The file, relative to the project root (shared by the spans of one
    /// file: a large site has tens of thousands).
    pub file: Arc<Path>,
    /// 1-based line of the start.
    pub line: usize,
    /// 1-based column of the start, in characters.
    pub col: usize,
    /// Byte range in the file.
    pub range: Range<usize>,
}

impl Span {
    /// A span that names a file but no position in it (a file that could not
    /// be read, a directory).
    pub fn file_only(file: impl Into<PathBuf>) -> Span {
        Span {
            file: Arc::from(file.into()),
            line: 0,
            col: 0,
            range: 0..0,
        }
    }

    /// A span at the very start of `file` (line 1, column 1), for problems
    /// with a file as a whole whose text was not read (a file too large).
    pub fn start_of(file: impl Into<PathBuf>) -> Span {
        Span {
            file: Arc::from(file.into()),
            line: 1,
            col: 1,
            range: 0..0,
        }
    }

    /// Whether the span has a position (line and column).
    pub fn has_position(&self) -> bool {
        self.line > 0
    }
}

/// Every text file of a build, by path, so diagnostics can show their lines.
#[derive(Debug, Default, Clone)]
pub struct SourceMap {
    // Keys are shared so that copying the map, once per rebuild in
    // `dossier serve`, allocates no paths.
    files: HashMap<Arc<Path>, Arc<SourceFile>>,
    /// Of the files whose text was given back (see [`SourceMap::release`]):
    /// the pieces kept, by path, in order.
    kept: HashMap<Arc<Path>, Vec<KeptPiece>>,
}

/// A piece of a file kept when the rest of its text was given back.
#[derive(Debug, Clone)]
struct KeptPiece {
    /// Where the piece starts in the file, in bytes.
    start: usize,
    text: Box<str>,
}

impl KeptPiece {
    /// The piece of `text` at `range`.
    fn of(text: &str, range: Range<usize>) -> KeptPiece {
        KeptPiece {
            start: range.start,
            text: text[range].into(),
        }
    }

    /// Whether the piece holds `offset`, its end included (a span at the
    /// very end of a file).
    fn holds(&self, offset: usize) -> bool {
        (self.start..=self.start + self.text.len()).contains(&offset)
    }
}

impl SourceMap {
    /// Adds a file and returns the shared handle to it.
    pub fn add(&mut self, file: SourceFile) -> Arc<SourceFile> {
        let file = Arc::new(file);
        self.files.insert(Arc::clone(&file.path), Arc::clone(&file));
        file
    }

    /// Adds a file that is already shared.
    pub fn add_shared(&mut self, file: Arc<SourceFile>) {
        self.files.insert(Arc::clone(&file.path), file);
    }

    /// Adds every file of `other`.
    pub fn merge(&mut self, other: &SourceMap) {
        for (path, file) in &other.files {
            self.files.insert(Arc::clone(path), Arc::clone(file));
        }
    }

    /// Forgets the file at `path`.
    pub fn remove(&mut self, path: &Path) {
        self.files.remove(path);
    }

    /// The file at `path` (relative to the project root), if the build read it.
    pub fn get(&self, path: &Path) -> Option<&Arc<SourceFile>> {
        self.files.get(path)
    }

    /// Gives back the text of the file at `path` but for the lines that
    /// the byte ranges `keep` touch: the diagnostics still to be shown find
    /// their lines with [`SourceMap::text_at`]; the file itself is
    /// forgotten.
    pub fn release(&mut self, path: &Path, keep: impl IntoIterator<Item = Range<usize>>) {
        let Some(file) = self.files.remove(path) else {
            return;
        };
        let text = file.text();
        let mut ranges: Vec<Range<usize>> = keep
            .into_iter()
            .map(|range| whole_lines(text.as_bytes(), range))
            .collect();
        ranges.sort_by_key(|range| range.start);
        let mut pieces: Vec<KeptPiece> = Vec::new();
        let mut joined: Option<Range<usize>> = None;
        for range in ranges {
            match &mut joined {
                Some(current) if range.start <= current.end => {
                    current.end = current.end.max(range.end);
                }
                _ => {
                    pieces.extend(joined.replace(range).map(|r| KeptPiece::of(text, r)));
                }
            }
        }
        pieces.extend(joined.map(|range| KeptPiece::of(text, range)));
        if !pieces.is_empty() {
            self.kept.insert(Arc::clone(&file.path), pieces);
        }
    }

    /// The text of the file at `path` around the byte `offset`, and where
    /// that text starts in the file: the whole text, or the piece of it
    /// kept by [`SourceMap::release`] that holds `offset`.
    pub fn text_at(&self, path: &Path, offset: usize) -> Option<(&str, usize)> {
        if let Some(file) = self.files.get(path) {
            return Some((file.text(), 0));
        }
        let pieces = self.kept.get(path)?;
        let after = pieces.partition_point(|piece| piece.start <= offset);
        let piece = pieces[..after].last().filter(|piece| piece.holds(offset))?;
        Some((&piece.text, piece.start))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn line_col_counts_lines_and_characters_from_one() {
        let file = SourceFile::new("a.md", "ab\nçd\n\nx");
        assert_eq!(file.line_col(0), (1, 1));
        assert_eq!(file.line_col(1), (1, 2));
        assert_eq!(file.line_col(3), (2, 1));
        // 'ç' is two bytes; 'd' is the second character of line 2.
        assert_eq!(file.line_col(5), (2, 2));
        assert_eq!(file.line_col(7), (3, 1));
        assert_eq!(file.line_col(8), (4, 1));
        assert_eq!(file.line_col(100), (4, 2));
    }

    #[test]
    fn columns_far_into_long_lines_count_characters() {
        let line = "é".repeat(3000) + &"a".repeat(5000) + "ç";
        let file = SourceFile::new("a.md", format!("x\n{line}\n"));
        let start = 2;
        for chars in [0, 10, 2999, 3000, 3001, 7999, 8000] {
            let offset = start
                + line
                    .char_indices()
                    .nth(chars)
                    .map_or(line.len(), |(i, _)| i);
            assert_eq!(file.line_col(offset), (2, chars + 1), "{chars}");
        }
        // Inside the two bytes of the 2001st `é`: it counts.
        assert_eq!(file.line_col(start + 4001), (2, 2002));
    }

    #[test]
    fn offset_of_turns_line_and_column_back_into_a_byte_offset() {
        let file = SourceFile::new("a.md", "ab\nçd\n\nx");
        for offset in [0, 1, 3, 5, 7, 8] {
            let (line, col) = file.line_col(offset);
            assert_eq!(file.offset_of(line, col), offset);
        }
        assert_eq!(file.offset_of(1, 10), 2);
        assert_eq!(file.offset_of(9, 1), file.text().len());
    }

    #[test]
    fn a_released_file_keeps_the_whole_lines_asked_for() {
        let text = "one\ntwo\nthree\nfour\nfive";
        let mut sources = SourceMap::default();
        sources.add(SourceFile::new("a.md", text));
        let path = Path::new("a.md");
        // Inside "two", overlapping "two" and "three", and the end of the file.
        sources.release(path, [5..6, 4..10, text.len()..text.len()]);
        assert!(sources.get(path).is_none());
        assert_eq!(sources.text_at(path, 5), Some(("two\nthree\n", 4)));
        assert_eq!(sources.text_at(path, 13), Some(("two\nthree\n", 4)));
        assert_eq!(sources.text_at(path, text.len()), Some(("five", 19)));
        // "one" and "four" were not kept.
        assert_eq!(sources.text_at(path, 1), None);
        assert_eq!(sources.text_at(path, 16), None);

        let mut sources = SourceMap::default();
        sources.add(SourceFile::new("b.md", "x\n"));
        sources.release(Path::new("b.md"), []);
        assert_eq!(sources.text_at(Path::new("b.md"), 0), None);
    }

    #[test]
    fn the_stand_in_of_a_released_file_keeps_its_path() {
        let file = SourceFile::new("content/a.md", "text");
        let released = file.released();
        assert_eq!(released.path(), Path::new("content/a.md"));
        assert_eq!(file.text(), "text");
    }

    #[test]
    #[cfg(debug_assertions)]
    #[should_panic(expected = "the text of content/a.md was released")]
    fn asking_a_stand_in_for_its_text_is_caught_in_debug_builds() {
        let _ = SourceFile::new("content/a.md", "text").released().text();
    }

    #[test]
    fn span_clamps_to_the_text() {
        let file = SourceFile::new("a.md", "abc");
        let span = file.span(2..10);
        assert_eq!(span.range, 2..3);
        assert_eq!((span.line, span.col), (1, 3));
    }
}
