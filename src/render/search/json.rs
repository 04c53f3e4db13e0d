//! JSON that can stand inside an HTML `<script>` element: `<`, `>`, `&`,
//! U+2028 and U+2029 in strings are written as `\uXXXX` escapes, which
//! JSON and JavaScript read back as the same characters, so that no content
//! can end the element, open a comment in it or break the script.

use serde::Serialize;

/// Appends `value` to `out` as script-safe JSON.
pub fn write_json(out: &mut Vec<u8>, value: &impl Serialize) {
    let mut serializer = serde_json::Serializer::with_formatter(out, ScriptSafe);
    // Tuples of strings, numbers and arrays of them always serialise, and
    // writing into a Vec cannot fail.
    let _ = value.serialize(&mut serializer);
}

/// JSON as `serde_json` writes it, except that `<`, `>`, `&`, U+2028 and
/// U+2029 in strings are written as `\uXXXX` escapes (see [`script_safe`]).
struct ScriptSafe;

impl serde_json::ser::Formatter for ScriptSafe {
    fn write_string_fragment<W: ?Sized + std::io::Write>(
        &mut self,
        writer: &mut W,
        fragment: &str,
    ) -> std::io::Result<()> {
        let bytes = fragment.as_bytes();
        // Where the next `<`, `>` or `&` is, and the next E2 byte that may
        // start U+2028 or U+2029 (E2 80 A8, E2 80 A9): each found with a
        // fast search, and looked for again only once passed.
        let markup_from =
            |at: usize| memchr::memchr3(b'<', b'>', b'&', &bytes[at..]).map(|i| at + i);
        let e2_from = |at: usize| memchr::memchr(0xE2, &bytes[at..]).map(|i| at + i);
        let mut markup = markup_from(0);
        let mut e2 = e2_from(0);
        let mut start = 0;
        loop {
            let (at, escape, width): (usize, &[u8], usize) = match (markup, e2) {
                (Some(m), e) if e.is_none_or(|e| m < e) => {
                    let escape: &[u8] = match bytes[m] {
                        b'<' => b"\\u003c",
                        b'>' => b"\\u003e",
                        _ => b"\\u0026",
                    };
                    markup = markup_from(m + 1);
                    (m, escape, 1)
                }
                (_, None) => break,
                (_, Some(e)) => {
                    e2 = e2_from(e + 1);
                    match bytes.get(e + 1..e + 3) {
                        Some([0x80, 0xA8]) => (e, b"\\u2028", 3),
                        Some([0x80, 0xA9]) => (e, b"\\u2029", 3),
                        _ => continue,
                    }
                }
            };
            writer.write_all(&bytes[start..at])?;
            writer.write_all(escape)?;
            start = at + width;
        }
        writer.write_all(&bytes[start..])
    }
}

/// `json` made safe to stand inside an HTML `<script>` element: `<`, `>`,
/// `&`, U+2028 and U+2029 become `\uXXXX` escapes. Those characters can
/// only occur inside JSON strings, where the escapes mean the same.
///
/// ```
/// use dossier::render::search::script_safe;
/// assert_eq!(script_safe(r#"{"t":"</script><!--"}"#), r#"{"t":"\u003c/script\u003e\u003c!--"}"#);
/// ```
pub fn script_safe(json: &str) -> String {
    let mut out = String::with_capacity(json.len());
    for c in json.chars() {
        match c {
            '<' => out.push_str("\\u003c"),
            '>' => out.push_str("\\u003e"),
            '&' => out.push_str("\\u0026"),
            '\u{2028}' => out.push_str("\\u2028"),
            '\u{2029}' => out.push_str("\\u2029"),
            c => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_script_safe_formatter_escapes_like_script_safe() {
        let text = "a</b> & \u{2028}x\u{2029}é \u{2027}\u{202A} \"q\" \\";
        let mut out = Vec::new();
        write_json(&mut out, &(text, 1, [text]));
        let plain = serde_json::to_string(&(text, 1, [text])).unwrap();
        assert_eq!(String::from_utf8(out).unwrap(), script_safe(&plain));
    }

    proptest::proptest! {
        #[test]
        fn the_script_safe_formatter_escapes_any_text_like_script_safe(
            text in "([<>&\"\\\\a\u{e9}\u{2013}\u{201c}\u{2027}\u{2028}\u{2029}\u{202a} \n]|\\PC){0,40}"
        ) {
            let mut out = Vec::new();
            write_json(&mut out, &text);
            let plain = serde_json::to_string(&text).unwrap();
            proptest::prop_assert_eq!(String::from_utf8(out).unwrap(), script_safe(&plain));
        }
    }

    #[test]
    fn escaped_json_reads_back_as_the_same_text() {
        let text = "</script><script>alert(1)</script> <!-- a & b > c \u{2028}\u{2029} \\<";
        let json = serde_json::to_string(&text).unwrap();
        let safe = script_safe(&json);
        for forbidden in ['<', '>', '&', '\u{2028}', '\u{2029}'] {
            assert!(!safe.contains(forbidden), "{forbidden:?} left in {safe}");
        }
        let back: String = serde_json::from_str(&safe).unwrap();
        assert_eq!(back, text);
    }
}
