//! Docs shards as the search page reads them: the shard's JSON compressed
//! with raw DEFLATE (RFC 1951) and written as base64 text, which a script
//! can carry. The search page decodes it with `atob` and the browser's
//! `DecompressionStream("deflate-raw")`. Passages of prose shrink to about
//! two fifths with DEFLATE, so a shard is about half its JSON even with
//! base64's third more: less to publish, and less for a query to load.

use std::io::Write;

use base64::Engine;
use base64::engine::general_purpose::STANDARD;
use flate2::Compression;
use flate2::write::DeflateEncoder;
use serde::Serialize;

/// How hard DEFLATE works: its fastest level. The best (9) makes docs
/// shards 5% smaller and takes four times as long.
const LEVEL: u32 = 2;

/// `value` as JSON, deflated, in base64 (no line breaks, with padding):
/// only the characters `A-Z a-z 0-9 + / =`, safe in any script string.
pub fn deflated_json(value: &impl Serialize) -> String {
    let mut json = Vec::with_capacity(16 * 1024);
    serde_json::to_writer(&mut json, value).expect("the index's values are JSON");
    let mut encoder =
        DeflateEncoder::new(Vec::with_capacity(json.len() / 2), Compression::new(LEVEL));
    let deflated = encoder
        .write_all(&json)
        .and_then(|()| encoder.finish())
        .expect("writing to memory cannot fail");
    STANDARD.encode(deflated)
}

#[cfg(test)]
mod tests {
    use std::io::Read;

    use flate2::read::DeflateDecoder;

    use super::*;

    fn inflated(text: &str) -> String {
        let deflated = STANDARD.decode(text).expect("base64");
        let mut json = String::new();
        DeflateDecoder::new(deflated.as_slice())
            .read_to_string(&mut json)
            .expect("raw DEFLATE");
        json
    }

    #[test]
    fn deflated_json_reads_back_as_the_same_json() {
        let value = serde_json::json!([["Space", "space/", 0, [], [["", "Lead </script>", 2]]]]);
        let text = deflated_json(&value);
        assert_eq!(inflated(&text), value.to_string());
        assert!(
            text.bytes()
                .all(|b| b.is_ascii_alphanumeric() || b"+/=".contains(&b)),
            "{text}"
        );
    }

    #[test]
    fn prose_shrinks_to_about_half_even_in_base64() {
        let passage = "The two governments will expand cooperation on space, \
                       semiconductors and telecommunications, and review progress each year.";
        let value: Vec<String> = (0..40).map(|n| format!("{n}: {passage}")).collect();
        let json = serde_json::to_vec(&value).expect("JSON");
        let text = deflated_json(&value);
        assert!(
            text.len() * 2 < json.len(),
            "{} of {}",
            text.len(),
            json.len()
        );
    }
}
