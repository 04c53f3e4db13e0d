//! Footnotes: numbered as they are first referred to, written at the end.

use super::writer::Writer;
use crate::paths::slugify;

impl<'m> Writer<'m, '_> {
    /// Writes the footnotes at the end of the document, in the order they
    /// were first referred to, each with a link back to its reference.
    pub(super) fn write_footnotes(&mut self) {
        if !self.footnotes.is_empty() {
            let mut footnotes = std::mem::take(&mut self.footnotes);
            footnotes.sort_by_key(|(label, _)| self.footnote_numbers.get(label).copied());
            let mut html =
                String::from("<section class=\"footnotes\" aria-label=\"Notes\">\n<ol>\n");
            for (label, body) in footnotes {
                let slug = footnote_slug(&label);
                let id = self.unique_id(format!("fn-{slug}"));
                html.push_str(&format!("<li id=\"{id}\">{}", body.trim_end()));
                if self.anchors.contains(&format!("fnref-{slug}")) {
                    html.push_str(&format!(
                        " <a class=\"footnote-back\" href=\"#fnref-{slug}\" aria-label=\"Back to the text\">↩</a>"
                    ));
                }
                html.push_str("</li>\n");
            }
            html.push_str("</ol>\n</section>\n");
            self.out().push_str(&html);
        }
    }

    pub(super) fn footnote_number(&mut self, label: &str) -> usize {
        let next = self.footnote_numbers.len() + 1;
        *self
            .footnote_numbers
            .entry(label.to_string())
            .or_insert(next)
    }

    pub(super) fn footnote_reference(&mut self, label: &str) {
        let number = self.footnote_number(label);
        let slug = footnote_slug(label);
        let reference = self.unique_id(format!("fnref-{slug}"));
        let html = format!(
            "<sup class=\"footnote-ref\"><a id=\"{reference}\" href=\"#fn-{slug}\">{number}</a></sup>"
        );
        self.out().push_str(&html);
    }
}

fn footnote_slug(label: &str) -> String {
    let slug = slugify(label);
    if slug.is_empty() {
        "note".to_string()
    } else {
        slug
    }
}
