//! HTML held compressed, for a large site's pages between the model and
//! the render stage.

use std::fmt;

/// HTML compressed with LZ4: a page's body in about a third of its size,
/// unpacked at gigabytes a second.
#[derive(Clone, PartialEq, Eq, Hash)]
pub struct PackedHtml(Box<[u8]>);

impl PackedHtml {
    /// `html`, compressed.
    pub fn pack(html: &str) -> Self {
        PackedHtml(lz4_flex::compress_prepend_size(html.as_bytes()).into_boxed_slice())
    }

    /// The HTML as it was packed.
    pub fn unpack(&self) -> String {
        // Both hold for bytes this type made: a failure is a bug, not
        // something a site can cause.
        let bytes = lz4_flex::decompress_size_prepended(&self.0)
            .expect("HTML packed by `PackedHtml::pack` unpacks");
        String::from_utf8(bytes).expect("HTML packed from a string is UTF-8")
    }

    /// Its size packed, in bytes.
    pub fn packed_len(&self) -> usize {
        self.0.len()
    }
}

impl fmt::Debug for PackedHtml {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "PackedHtml({} bytes)", self.0.len())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn html_unpacks_as_it_was_packed_and_smaller() {
        let html = "<p id=\"space-p1\">The <a href=\"../../agencies/nasa/index.html\" class=\"term term-agency\">NASA</a> — ¶</p>\n".repeat(40);
        let packed = PackedHtml::pack(&html);
        assert_eq!(packed.unpack(), html);
        assert!(packed.packed_len() * 4 < html.len(), "{packed:?}");
        assert_eq!(PackedHtml::pack("").unpack(), "");
    }
}
