//! The elements and attributes a piece of HTML holds, as a browser's
//! tokenizer reads them: what sanitising is measured by.
//!
//! Sanitising does not say what it removed. Taking the inventory of the HTML
//! before and after, with one reader for both, does: whatever is in the
//! first and not in the second was removed.

use std::cell::{Cell, RefCell};

use html5ever::tendril::StrTendril;
use html5ever::tokenizer::states::RawKind;
use html5ever::tokenizer::{
    BufferQueue, Tag, TagKind, Token, TokenSink, TokenSinkResult, Tokenizer,
};

/// A start tag, or one attribute of a start tag, with its value as a
/// browser reads it (character references decoded).
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub(super) enum Node {
    /// An element, by its lowercased name.
    Element(String),
    /// An attribute of an element.
    Attribute {
        /// The element's lowercased name.
        element: String,
        /// The attribute's lowercased name.
        name: String,
        /// Its value, decoded.
        value: String,
    },
}

impl Node {
    /// The element the node is or belongs to.
    pub(super) fn element(&self) -> &str {
        match self {
            Node::Element(element) | Node::Attribute { element, .. } => element,
        }
    }
}

/// Every start tag of `html` and each of its attributes, in order.
///
/// Text inside `<script>`, `<style>`, `<textarea>`, `<title>` and the
/// other elements whose content is text is read as text, as a browser
/// reads it, unless it is inside `<svg>` or `<math>`.
pub(super) fn inventory(html: &str) -> Vec<Node> {
    let input = BufferQueue::default();
    input.push_back(StrTendril::from_slice(html));
    let tokenizer = Tokenizer::new(Sink::default(), Default::default());
    // The sink never asks to stop for a script: one call reads it all.
    let _ = tokenizer.feed(&input);
    tokenizer.end();
    tokenizer.sink.nodes.take()
}

/// Elements whose content is text, and how the tokenizer reads it.
fn text_content(element: &str) -> Option<TokenSinkResult<()>> {
    let kind = match element {
        "title" | "textarea" => RawKind::Rcdata,
        "style" | "xmp" | "iframe" | "noembed" | "noframes" | "noscript" => RawKind::Rawtext,
        "script" => RawKind::ScriptData,
        "plaintext" => return Some(TokenSinkResult::Plaintext),
        _ => return None,
    };
    Some(TokenSinkResult::RawData(kind))
}

/// Elements that end `<svg>` or `<math>` content when they start in it.
const BREAKS_OUT_OF_FOREIGN: &[&str] = &[
    "b",
    "big",
    "blockquote",
    "body",
    "br",
    "center",
    "code",
    "dd",
    "div",
    "dl",
    "dt",
    "em",
    "embed",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "head",
    "hr",
    "i",
    "img",
    "li",
    "listing",
    "menu",
    "meta",
    "nobr",
    "ol",
    "p",
    "pre",
    "ruby",
    "s",
    "small",
    "span",
    "strong",
    "strike",
    "sub",
    "sup",
    "table",
    "tt",
    "u",
    "ul",
    "var",
];

/// Collects start tags and their attributes, and switches the tokenizer to
/// text where a browser's tree builder would.
#[derive(Default)]
struct Sink {
    nodes: RefCell<Vec<Node>>,
    /// How deep inside `<svg>` or `<math>` the tokenizer is.
    foreign: Cell<usize>,
}

impl Sink {
    fn start_tag(&self, tag: Tag) -> TokenSinkResult<()> {
        let element = tag.name.to_string();
        let mut nodes = self.nodes.borrow_mut();
        nodes.push(Node::Element(element.clone()));
        for attribute in &tag.attrs {
            nodes.push(Node::Attribute {
                element: element.clone(),
                name: attribute.name.local.to_string(),
                value: attribute.value.to_string(),
            });
        }
        let foreign = self.foreign.get();
        if matches!(&*element, "svg" | "math") {
            if !tag.self_closing {
                self.foreign.set(foreign + 1);
            }
            return TokenSinkResult::Continue;
        }
        if foreign > 0 {
            if BREAKS_OUT_OF_FOREIGN.contains(&&*element) {
                self.foreign.set(0);
            } else {
                return TokenSinkResult::Continue;
            }
        }
        text_content(&element).unwrap_or(TokenSinkResult::Continue)
    }
}

impl TokenSink for Sink {
    type Handle = ();

    fn process_token(&self, token: Token, _line: u64) -> TokenSinkResult<()> {
        match token {
            Token::TagToken(tag) if tag.kind == TagKind::StartTag => self.start_tag(tag),
            Token::TagToken(tag) => {
                if matches!(&*tag.name, "svg" | "math") {
                    self.foreign.set(self.foreign.get().saturating_sub(1));
                }
                TokenSinkResult::Continue
            }
            _ => TokenSinkResult::Continue,
        }
    }

    fn adjusted_current_node_present_but_not_in_html_namespace(&self) -> bool {
        self.foreign.get() > 0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn attribute(element: &str, name: &str, value: &str) -> Node {
        Node::Attribute {
            element: element.into(),
            name: name.into(),
            value: value.into(),
        }
    }

    #[test]
    fn attributes_are_read_as_a_browser_reads_them() {
        let nodes = inventory("<IMG SRC=x onerror=alert(1)><a href=\"java&#115;cript&colon;x\">");
        assert_eq!(
            nodes,
            [
                Node::Element("img".into()),
                attribute("img", "src", "x"),
                attribute("img", "onerror", "alert(1)"),
                Node::Element("a".into()),
                attribute("a", "href", "javascript:x"),
            ]
        );
    }

    #[test]
    fn the_text_of_script_and_style_holds_no_elements() {
        let nodes =
            inventory("<style><b></style><script>\"<i>\"</script><textarea><u></textarea><em>");
        let elements: Vec<&str> = nodes.iter().map(Node::element).collect();
        assert_eq!(elements, ["style", "script", "textarea", "em"]);
    }

    #[test]
    fn svg_content_is_read_as_elements_until_it_ends() {
        let nodes = inventory("<svg><style><img src=x onerror=y></style></svg><style><b></style>");
        let elements: Vec<&str> = nodes
            .iter()
            .filter(|node| matches!(node, Node::Element(_)))
            .map(Node::element)
            .collect();
        assert_eq!(elements, ["svg", "style", "img", "style"]);
    }
}
