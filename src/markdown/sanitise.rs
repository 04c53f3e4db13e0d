//! Raw HTML that a site allows, made safe to publish: markup that can run
//! script is removed by `ammonia`, and what was removed is named.
//!
//! The policy is an allow-list of the harmless markup a briefing is written
//! with (text semantics, tables, lists, figures, `<details>`, images, audio
//! and video). `<script>` and `<style>` go with their content; any other
//! element off the list goes and its content stays. Attributes are allowed
//! per element, plus `id`, `class`, `title`, `lang`, `dir` and `aria-*` on
//! all of them, so event handlers (`on*`) and `style` never pass. Every
//! attribute that holds an address passes the one address check of
//! [`crate::links::address`]; ammonia's own list of schemes is set to the
//! same publishable schemes, so the two can only agree, except that ammonia
//! also drops an absolute address it cannot parse. Relative addresses are
//! left as written, and no `rel` is added to links: the page's own links get
//! none either, and the output stays as written where nothing is removed.

use std::borrow::Cow;
use std::collections::HashMap;
use std::fmt;
use std::ops::Range;
use std::sync::LazyLock;

use ammonia::{Builder, UrlRelative};

use super::inventory::{Node, inventory};
use crate::links::address::{self, EXTERNAL_SCHEMES, Scheme};

/// The elements published.
const ELEMENTS: &[&str] = &[
    "a",
    "abbr",
    "address",
    "article",
    "aside",
    "audio",
    "b",
    "bdi",
    "bdo",
    "blockquote",
    "br",
    "caption",
    "cite",
    "code",
    "col",
    "colgroup",
    "data",
    "dd",
    "del",
    "details",
    "dfn",
    "div",
    "dl",
    "dt",
    "em",
    "figcaption",
    "figure",
    "footer",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "header",
    "hr",
    "i",
    "img",
    "ins",
    "kbd",
    "li",
    "mark",
    "ol",
    "p",
    "pre",
    "q",
    "rp",
    "rt",
    "ruby",
    "s",
    "samp",
    "section",
    "small",
    "source",
    "span",
    "strong",
    "sub",
    "summary",
    "sup",
    "table",
    "tbody",
    "td",
    "tfoot",
    "th",
    "thead",
    "time",
    "tr",
    "track",
    "u",
    "ul",
    "var",
    "video",
    "wbr",
];

/// The elements removed with their content, not only their tags.
const REMOVED_WITH_CONTENT: &[&str] = &["script", "style"];

/// The attributes allowed on every published element, besides `aria-*`.
const GENERIC_ATTRIBUTES: &[&str] = &["id", "class", "title", "lang", "dir"];

/// The prefixes of attributes allowed on every published element.
const GENERIC_PREFIXES: &[&str] = &["aria-"];

/// The attributes allowed on particular elements. `loading` on `<img>` and
/// `class` on `<a>` and `<sup>` are the page's own (images, annotations,
/// citations), which inline raw HTML is sanitised together with.
const ELEMENT_ATTRIBUTES: &[(&str, &[&str])] = &[
    ("a", &["href", "hreflang"]),
    ("audio", &["src", "controls", "loop", "muted", "preload"]),
    ("blockquote", &["cite"]),
    ("col", &["span"]),
    ("colgroup", &["span"]),
    ("data", &["value"]),
    ("del", &["cite", "datetime"]),
    ("details", &["open"]),
    (
        "img",
        &["src", "srcset", "alt", "width", "height", "loading"],
    ),
    ("ins", &["cite", "datetime"]),
    ("li", &["value"]),
    ("ol", &["start", "reversed", "type"]),
    ("q", &["cite"]),
    ("source", &["src", "srcset", "type", "media", "sizes"]),
    ("td", &["colspan", "rowspan", "headers"]),
    ("th", &["colspan", "rowspan", "headers", "scope", "abbr"]),
    ("time", &["datetime"]),
    ("track", &["src", "kind", "srclang", "label", "default"]),
    (
        "video",
        &[
            "src",
            "poster",
            "controls",
            "width",
            "height",
            "loop",
            "muted",
            "preload",
            "playsinline",
        ],
    ),
];

/// Attributes whose value is an address, or a list of them (`srcset`,
/// `ping`), on any element.
const ADDRESS_ATTRIBUTES: &[&str] = &[
    "href",
    "src",
    "srcset",
    "poster",
    "cite",
    "action",
    "formaction",
    "background",
    "longdesc",
    "data",
    "ping",
    "codebase",
    "manifest",
    "xlink:href",
];

/// The element that holds the place of the page's own HTML between raw
/// HTML blocks sanitised as one fragment (see [`clean_blocks`]).
const SLOT: &str = "dossier-slot";

/// The policy for raw HTML.
static POLICY: LazyLock<Builder<'static>> = LazyLock::new(|| policy(false));

/// The policy, with [`SLOT`] elements allowed.
static POLICY_WITH_SLOTS: LazyLock<Builder<'static>> = LazyLock::new(|| policy(true));

fn policy(slots: bool) -> Builder<'static> {
    let mut builder = Builder::empty();
    builder
        .tags(ELEMENTS.iter().copied().collect())
        .clean_content_tags(REMOVED_WITH_CONTENT.iter().copied().collect())
        .generic_attributes(GENERIC_ATTRIBUTES.iter().copied().collect())
        .generic_attribute_prefixes(GENERIC_PREFIXES.iter().copied().collect())
        .tag_attributes(
            ELEMENT_ATTRIBUTES
                .iter()
                .map(|(element, attributes)| (*element, attributes.iter().copied().collect()))
                .collect(),
        )
        .url_schemes(EXTERNAL_SCHEMES.iter().copied().collect())
        .url_relative(UrlRelative::PassThrough)
        .link_rel(None)
        .strip_comments(true)
        .attribute_filter(
            |_, attribute, value| match address_problem(attribute, value) {
                Some(_) => None,
                None => Some(Cow::Borrowed(value)),
            },
        );
    if slots {
        builder
            .add_tags([SLOT])
            .add_tag_attributes(SLOT, ["data-n"]);
    }
    builder
}

/// Why the value of `attribute` may not be published: the scheme of its
/// first address that fails the one address check; `None` when it passes,
/// or when `attribute` holds no address.
///
/// A list of addresses (`srcset`, `ping`) is split at every space and
/// comma, more often than a browser splits it: each piece a browser reads
/// as an address starts a piece here, and its scheme is in that piece.
fn address_problem(attribute: &str, value: &str) -> Option<Scheme> {
    if !ADDRESS_ATTRIBUTES.contains(&attribute) {
        return None;
    }
    let failing = |address: &str| Some(address::scheme(address)).filter(|s| !s.is_publishable());
    if matches!(attribute, "srcset" | "ping") {
        value
            .split(|c: char| c.is_ascii_whitespace() || c == ',')
            .find_map(failing)
    } else {
        failing(value)
    }
}

/// Whether the policy publishes `attribute` on `element`.
fn is_allowed(element: &str, attribute: &str) -> bool {
    ELEMENTS.contains(&element)
        && (GENERIC_ATTRIBUTES.contains(&attribute)
            || GENERIC_PREFIXES.iter().any(|p| attribute.starts_with(p))
            || ELEMENT_ATTRIBUTES
                .iter()
                .any(|(e, attributes)| *e == element && attributes.contains(&attribute)))
}

/// Something sanitising removed from raw HTML.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum Removal {
    /// An element that is not published (its tags; its content too for
    /// `<script>` and `<style>`).
    Element(String),
    /// An attribute that is not published on its element.
    Attribute {
        /// The element.
        element: String,
        /// The attribute.
        attribute: String,
    },
    /// An attribute allowed on its element whose address may not be
    /// published.
    Address {
        /// The element.
        element: String,
        /// The attribute.
        attribute: String,
        /// Why.
        problem: AddressProblem,
    },
}

/// Why an address in raw HTML is not published.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum AddressProblem {
    /// Its scheme runs code or reads local files (`javascript:`, `data:`).
    Unsafe(String),
    /// Its scheme is not one dossier publishes.
    Unknown(String),
    /// It is not an address a browser can read (`https://exa mple.org`).
    Malformed,
}

impl fmt::Display for Removal {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Removal::Element(element) if REMOVED_WITH_CONTENT.contains(&element.as_str()) => {
                write!(f, "the `<{element}>` element and its content")
            }
            Removal::Element(element) => write!(f, "the `<{element}>` element"),
            Removal::Attribute { element, attribute } => {
                write!(f, "the `{attribute}` attribute of `<{element}>`")
            }
            Removal::Address {
                element,
                attribute,
                problem,
            } => {
                write!(f, "the `{attribute}` of `<{element}>` ")?;
                match problem {
                    AddressProblem::Unsafe(scheme) => {
                        write!(f, "(`{scheme}:` addresses are never published)")
                    }
                    AddressProblem::Unknown(scheme) => {
                        write!(f, "(`{scheme}:` is not a scheme dossier publishes)")
                    }
                    AddressProblem::Malformed => write!(f, "(not an address a browser can read)"),
                }
            }
        }
    }
}

/// What sanitising removed from one inline tag or HTML block.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SanitisedHtml {
    /// Where the raw HTML is, in bytes of the Markdown text.
    pub range: Range<usize>,
    /// What was removed, in the order it was written.
    pub removed: Vec<Removal>,
}

impl SanitisedHtml {
    /// One line naming everything removed, repeats counted:
    /// "removed from raw HTML: the `<script>` element and its content, the
    /// `onerror` attribute of `<img>` (2 times)".
    pub fn message(&self) -> String {
        let mut counted: Vec<(&Removal, usize)> = Vec::new();
        for removal in &self.removed {
            match counted.iter_mut().find(|(seen, _)| *seen == removal) {
                Some((_, count)) => *count += 1,
                None => counted.push((removal, 1)),
            }
        }
        let named: Vec<String> = counted
            .into_iter()
            .map(|(removal, count)| match count {
                1 => removal.to_string(),
                n => format!("{removal} ({n} times)"),
            })
            .collect();
        format!("removed from raw HTML: {}", named.join(", "))
    }
}

/// `html` sanitised as one fragment, and what was removed from each of
/// `pieces`, the raw HTML written into it (in order, each a part of
/// `html`; the rest of `html` is the page's own markup, which the policy
/// keeps).
pub(super) fn clean_run(html: &str, pieces: &[&str]) -> (String, Vec<Vec<Removal>>) {
    let cleaned = POLICY.clean(html).to_string();
    let removed = attribute(removed(html, &cleaned), pieces);
    (cleaned, removed)
}

/// Raw HTML blocks sanitised as one fragment, with the page's own HTML
/// between each two of them held out of the sanitiser by a placeholder
/// element, so that `<details>` in one block and `</details>` in a later
/// one still hold the blocks between. Returns each block's new HTML and
/// what was removed from it.
///
/// The page's HTML goes back where its placeholder comes out. When a
/// placeholder does not come out exactly once as the element it went in
/// (it fell inside `<script>`, into the text of a `<textarea>`, into
/// `<svg>`), the blocks are sanitised each alone instead: they are then
/// safe and balanced on their own, and the page's HTML keeps its place
/// between them.
pub(super) fn clean_blocks(blocks: &[&str]) -> (Vec<String>, Vec<Vec<Removal>>) {
    if blocks.len() > 1 {
        let mut joined = String::new();
        for (i, block) in blocks.iter().enumerate() {
            if i > 0 {
                joined.push_str(&slot(i - 1));
            }
            joined.push_str(block);
        }
        let cleaned = POLICY_WITH_SLOTS.clean(&joined).to_string();
        if let Some(parts) = split_at_slots(&cleaned, blocks.len()) {
            let removed = attribute(removed(&joined, &cleaned), blocks);
            return (parts, removed);
        }
    }
    blocks
        .iter()
        .map(|block| {
            let (cleaned, mut removed) = clean_run(block, &[block]);
            (cleaned, removed.pop().unwrap_or_default())
        })
        .unzip()
}

/// The placeholder of the page's HTML after block `n`, as ammonia writes
/// it. It holds both `<` and `"`, so it can only be an element: text
/// escapes `<` and attribute values escape `"`.
fn slot(n: usize) -> String {
    format!("<{SLOT} data-n=\"{n}\"></{SLOT}>")
}

/// `cleaned` cut at its placeholders into `count` parts, when each
/// placeholder is in it once, in order, and nothing else names the
/// placeholder element.
fn split_at_slots(cleaned: &str, count: usize) -> Option<Vec<String>> {
    let mut parts = Vec::with_capacity(count);
    let mut rest = cleaned;
    for n in 0..count - 1 {
        let marker = slot(n);
        let at = rest.find(&marker)?;
        parts.push(rest[..at].to_string());
        rest = &rest[at + marker.len()..];
    }
    parts.push(rest.to_string());
    let named = parts.iter().any(|part| part.contains(SLOT));
    (!named).then_some(parts)
}

/// What is in the inventory of `input` and not in that of `output`, in the
/// order of `input`; placeholders left aside.
fn removed(input: &str, output: &str) -> Vec<Node> {
    let mut kept: HashMap<Node, usize> = HashMap::new();
    for node in inventory(output) {
        *kept.entry(node).or_default() += 1;
    }
    inventory(input)
        .into_iter()
        .filter(|node| node.element() != SLOT)
        .filter(|node| match kept.get_mut(node) {
            Some(count) if *count > 0 => {
                *count -= 1;
                false
            }
            _ => true,
        })
        .collect()
}

/// Sorts `removed` into the pieces of raw HTML they were written in: each
/// to the first piece that holds one not yet claimed, anything else to the
/// first piece. An attribute of an element that is removed itself is named
/// with the element, not on its own.
fn attribute(removed: Vec<Node>, pieces: &[&str]) -> Vec<Vec<Removal>> {
    let mut held: Vec<Vec<Node>> = pieces.iter().map(|piece| inventory(piece)).collect();
    let mut sorted: Vec<Vec<Removal>> = vec![Vec::new(); pieces.len()];
    for node in removed {
        let piece = held
            .iter_mut()
            .position(|nodes| match nodes.iter().position(|n| *n == node) {
                Some(at) => {
                    nodes.swap_remove(at);
                    true
                }
                None => false,
            })
            .unwrap_or(0);
        if let (Some(removals), Some(removal)) = (sorted.get_mut(piece), describe(node)) {
            removals.push(removal);
        }
    }
    sorted
}

/// How a removed node is named; `None` for the attributes of an element
/// that is not published.
fn describe(node: Node) -> Option<Removal> {
    match node {
        Node::Element(element) => Some(Removal::Element(element)),
        Node::Attribute { element, .. } if !ELEMENTS.contains(&element.as_str()) => None,
        Node::Attribute {
            element,
            name,
            value,
        } => {
            if !is_allowed(&element, &name) || !ADDRESS_ATTRIBUTES.contains(&name.as_str()) {
                return Some(Removal::Attribute {
                    element,
                    attribute: name,
                });
            }
            let problem = match address_problem(&name, &value) {
                Some(Scheme::Unsafe(scheme)) => AddressProblem::Unsafe(scheme),
                Some(Scheme::Unknown(scheme)) => AddressProblem::Unknown(scheme),
                _ => AddressProblem::Malformed,
            };
            Some(Removal::Address {
                element,
                attribute: name,
                problem,
            })
        }
    }
}
