//! Finding quotations in the text of a passage as the writer records it.
//!
//! A [`Trail`] is the text of a passage (or of one paragraph of a block
//! quotation) piece by piece, each piece with the byte range of the
//! Markdown it came from, so a quotation found in the text can be pointed
//! at in the file. Text in double quotation marks (`“...”` or `"..."`) is a
//! quotation; code and raw HTML never hold one.

use std::ops::Range;

/// What a piece of recorded text is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum PieceKind {
    /// Ordinary text: quotation marks in it open and close quotations.
    Prose,
    /// Code or raw HTML: its quotation marks are not the author's.
    Verbatim,
    /// The words of a `source:` link: they name the source, they are not
    /// part of a block quotation's text.
    Citation,
}

#[derive(Debug, Clone)]
struct Piece {
    /// Where the piece starts in [`Trail::text`].
    at: usize,
    /// Where it came from in the Markdown.
    source: Range<usize>,
    /// Whether the Markdown is exactly the text (no escapes or entities),
    /// so that offsets inside the piece map one to one.
    literal: bool,
    kind: PieceKind,
}

/// The text of a passage or block quotation, with where each piece of it
/// was written.
#[derive(Debug, Clone, Default)]
pub(super) struct Trail {
    text: String,
    pieces: Vec<Piece>,
}

impl Trail {
    /// Appends `text`, written at `source` in `markdown`.
    pub(super) fn push(
        &mut self,
        text: &str,
        source: Range<usize>,
        markdown: &str,
        kind: PieceKind,
    ) {
        if text.is_empty() {
            return;
        }
        let literal = markdown.get(source.clone()) == Some(text);
        self.pieces.push(Piece {
            at: self.text.len(),
            source,
            literal,
            kind,
        });
        self.text.push_str(text);
    }

    /// Every quotation in double quotation marks: its words (without the
    /// marks) and the byte range of the Markdown it spans (marks included).
    ///
    /// Curly marks nest (`“a “b” c”` is one quotation); a straight mark
    /// closes the quotation the previous straight mark opened. A mark that
    /// is never closed opens nothing.
    pub(super) fn quotations(&self) -> Vec<(String, Range<usize>)> {
        let mut found = Vec::new();
        let mut open: Option<(usize, char)> = None;
        let mut depth = 0usize;
        for piece in self.pieces.iter().filter(|p| p.kind != PieceKind::Verbatim) {
            let end = self.piece_end(piece);
            for (i, c) in self.text[piece.at..end].char_indices() {
                let at = piece.at + i;
                match (open, c) {
                    (None, '“') => {
                        open = Some((at, c));
                        depth = 1;
                    }
                    (None, '"') => open = Some((at, c)),
                    (Some((_, '“')), '“') => depth += 1,
                    (Some((start, '“')), '”') => {
                        depth -= 1;
                        if depth == 0 {
                            found.extend(self.quotation(start, at, c));
                            open = None;
                        }
                    }
                    (Some((start, '"')), '"') => {
                        found.extend(self.quotation(start, at, c));
                        open = None;
                    }
                    _ => {}
                }
            }
        }
        found
    }

    /// The quotation between the marks at `start` and `close` of the text.
    fn quotation(&self, start: usize, close: usize, mark: char) -> Option<(String, Range<usize>)> {
        let words = self.text[start..close]
            .trim_start_matches(['“', '"'])
            .trim();
        if !words.chars().any(char::is_alphanumeric) {
            return None;
        }
        let from = self.source_range(start, 0).start;
        let to = self.source_range(close, mark.len_utf8()).end;
        Some((words.to_string(), from..to.max(from)))
    }

    /// The whole text as a block quotation: the words outside `source:`
    /// links, without the brackets, commas and dashes left around those
    /// links; `None` when no words are left (an attribution line such as
    /// `— [fact sheet](source:...)`).
    pub(super) fn block_quotation(&self) -> Option<(String, Range<usize>)> {
        let mut words = String::new();
        let mut range: Option<Range<usize>> = None;
        for piece in self.pieces.iter().filter(|p| p.kind != PieceKind::Citation) {
            words.push_str(&self.text[piece.at..self.piece_end(piece)]);
            range = Some(match range {
                Some(range) => range.start..piece.source.end.max(range.end),
                None => piece.source.clone(),
            });
        }
        let words = strip_empty_brackets(&words.split_whitespace().collect::<Vec<_>>().join(" "));
        let words = words.trim_matches(|c: char| c.is_whitespace() || "—–-,;:".contains(c));
        if !words.chars().any(char::is_alphanumeric) {
            return None;
        }
        Some((words.to_string(), range?))
    }

    fn piece_end(&self, piece: &Piece) -> usize {
        self.pieces
            .iter()
            .find(|p| p.at > piece.at)
            .map_or(self.text.len(), |next| next.at)
    }

    /// Where the `len` bytes at offset `at` of the text were written in the
    /// Markdown. Inside a piece whose Markdown differs from its text, the
    /// whole piece is the best there is.
    fn source_range(&self, at: usize, len: usize) -> Range<usize> {
        let index = self
            .pieces
            .partition_point(|p| p.at <= at)
            .saturating_sub(1);
        let Some(piece) = self.pieces.get(index) else {
            return 0..0;
        };
        if piece.literal {
            let start = piece.source.start + (at - piece.at).min(piece.source.len());
            start..(start + len).min(piece.source.end)
        } else {
            piece.source.clone()
        }
    }
}

/// `text` without the bracket pairs that hold nothing but spaces, commas
/// and semicolons: what is left of `([source](...), [source](...))` when
/// the links' words are taken out.
fn strip_empty_brackets(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut chars = text.char_indices().peekable();
    while let Some((i, c)) = chars.next() {
        let close = match c {
            '(' => ')',
            '[' => ']',
            _ => {
                out.push(c);
                continue;
            }
        };
        let rest = &text[i + 1..];
        let inner_len = rest
            .find(|ch: char| !(ch.is_whitespace() || ch == ',' || ch == ';'))
            .unwrap_or(rest.len());
        if rest[inner_len..].starts_with(close) {
            // Skip the inside and the closing bracket.
            let skip_to = i + 1 + inner_len + close.len_utf8();
            while chars.peek().is_some_and(|&(j, _)| j < skip_to) {
                chars.next();
            }
            continue;
        }
        out.push(c);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn trail(markdown: &str) -> Trail {
        let mut trail = Trail::default();
        trail.push(markdown, 0..markdown.len(), markdown, PieceKind::Prose);
        trail
    }

    #[test]
    fn curly_and_straight_quotations_are_found_with_their_span() {
        let md = "It commits to “an expeditious review” and \"a plan\".";
        let found = trail(md).quotations();
        assert_eq!(found.len(), 2);
        assert_eq!(found[0].0, "an expeditious review");
        assert_eq!(&md[found[0].1.clone()], "“an expeditious review”");
        assert_eq!(found[1].0, "a plan");
        assert_eq!(&md[found[1].1.clone()], "\"a plan\"");
    }

    #[test]
    fn nested_curly_quotations_are_one_and_unclosed_marks_open_nothing() {
        let found =
            trail("“the value of “innovation bridges” here” and “never closed").quotations();
        assert_eq!(found.len(), 1);
        assert_eq!(found[0].0, "the value of “innovation bridges” here");
        assert!(trail("a 12\" screen").quotations().is_empty());
    }

    #[test]
    fn code_holds_no_quotations() {
        let mut trail = Trail::default();
        let md = "see `\"x\"` here";
        trail.push("see ", 0..4, md, PieceKind::Prose);
        trail.push("\"x\"", 5..8, md, PieceKind::Verbatim);
        trail.push(" here", 9..14, md, PieceKind::Prose);
        assert!(trail.quotations().is_empty());
    }

    #[test]
    fn a_block_quotation_leaves_out_its_citations_and_their_brackets() {
        let md = "Words of the source. ([source](source:x#p1), [source](source:x#p2))";
        let mut trail = Trail::default();
        trail.push("Words of the source. (", 0..22, md, PieceKind::Prose);
        trail.push("source", 23..29, md, PieceKind::Citation);
        trail.push(", ", 43..45, md, PieceKind::Prose);
        trail.push("source", 46..52, md, PieceKind::Citation);
        trail.push(")", 66..67, md, PieceKind::Prose);
        let (words, range) = trail.block_quotation().expect("a quotation");
        assert_eq!(words, "Words of the source.");
        assert_eq!(range, 0..67);

        let mut attribution = Trail::default();
        attribution.push("— ", 0..4, "— [fact sheet](source:x)", PieceKind::Prose);
        attribution.push(
            "fact sheet",
            5..15,
            "— [fact sheet](source:x)",
            PieceKind::Citation,
        );
        assert!(attribution.block_quotation().is_none());
    }
}
