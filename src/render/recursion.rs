//! Where components call themselves, read from the templates' text.
//!
//! Tera stops a component that calls itself more than 20 levels deep with
//! an error that says neither which component nor where. The calls that can
//! lead back to the component they are in are found here instead: each
//! component's body is read for calls of components (`{{ <name .../> }}`,
//! `{% <name ...> %}`), and a call is recursive when the component it calls
//! is the one it is in, or calls it in turn.

use std::collections::{BTreeMap, BTreeSet};
use std::sync::Arc;

use crate::source::{SourceFile, Span};

/// A call, in the body of a component, that leads back to that component.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RecursiveCall {
    /// The component the call is in.
    pub component: String,
    /// The component it calls: the same one, or one that leads back to it.
    pub callee: String,
    /// Where the call is: the callee's name after its `<`.
    pub span: Span,
}

/// A component's definition: where its body is, in which file.
struct Definition<'a> {
    file: &'a Arc<SourceFile>,
    body: std::ops::Range<usize>,
}

/// The first call in each component that leads back to it, in the order of
/// the templates and of the components in them.
pub fn recursive_calls(templates: &[(String, Arc<SourceFile>)]) -> Vec<RecursiveCall> {
    let mut definitions: Vec<(String, Definition<'_>)> = Vec::new();
    for (_, file) in templates {
        for (name, body) in component_bodies(file.text()) {
            definitions.push((name, Definition { file, body }));
        }
    }
    let names: BTreeSet<&str> = definitions.iter().map(|(n, _)| n.as_str()).collect();
    let calls: BTreeMap<&str, Vec<(String, usize)>> = definitions
        .iter()
        .map(|(name, definition)| {
            let body = &definition.file.text()[definition.body.clone()];
            let found = calls_in(body, &names)
                .into_iter()
                .map(|(callee, at)| (callee, definition.body.start + at))
                .collect();
            (name.as_str(), found)
        })
        .collect();
    let mut recursive = Vec::new();
    for (name, definition) in &definitions {
        let Some(own) = calls.get(name.as_str()) else {
            continue;
        };
        let leads_back = own
            .iter()
            .find(|(callee, _)| callee == name || reaches(&calls, callee, name));
        if let Some((callee, at)) = leads_back {
            recursive.push(RecursiveCall {
                component: name.clone(),
                callee: callee.clone(),
                span: definition.file.span(*at..*at + callee.len()),
            });
        }
    }
    recursive
}

/// Whether the component `from` calls `to`, directly or through others.
fn reaches(calls: &BTreeMap<&str, Vec<(String, usize)>>, from: &str, to: &str) -> bool {
    let mut seen = BTreeSet::new();
    let mut next = vec![from];
    while let Some(current) = next.pop() {
        if !seen.insert(current) {
            continue;
        }
        for (callee, _) in calls.get(current).into_iter().flatten() {
            if callee == to {
                return true;
            }
            next.push(callee);
        }
    }
    false
}

/// The components defined in `text`, each with the byte range of its body.
fn component_bodies(text: &str) -> Vec<(String, std::ops::Range<usize>)> {
    let mut bodies = Vec::new();
    let mut open: Option<(String, usize)> = None;
    for (range, inside) in tags(text) {
        let words = inside.trim_matches(|c: char| c == '-' || c.is_whitespace());
        if let Some(rest) = words.strip_prefix("component ") {
            let name: String = rest
                .trim_start()
                .chars()
                .take_while(|&c| is_name_char(c))
                .collect();
            if !name.is_empty() {
                open = Some((name, range.end));
            }
        } else if words.starts_with("endcomponent")
            && let Some((name, start)) = open.take()
        {
            bodies.push((name, start..range.start));
        }
    }
    bodies
}

/// The calls of the components `names` in the tags of `text`: each
/// callee's name, with its offset in `text`.
fn calls_in(text: &str, names: &BTreeSet<&str>) -> Vec<(String, usize)> {
    let mut calls = Vec::new();
    for (range, inside) in tags(text) {
        let offset = range.start + 2;
        for (at, _) in inside.match_indices('<') {
            let name: String = inside[at + 1..]
                .chars()
                .take_while(|&c| is_name_char(c))
                .collect();
            if names.contains(name.as_str()) {
                calls.push((name, offset + at + 1));
            }
        }
    }
    calls
}

/// The tags of `text`, `{{ ... }}` and `{% ... %}`: each with its byte
/// range, delimiters included, and the text between its delimiters.
fn tags(text: &str) -> Vec<(std::ops::Range<usize>, &str)> {
    let mut tags = Vec::new();
    let mut from = 0;
    while let Some(found) = text[from..].find('{') {
        let start = from + found;
        let close = match text.get(start + 1..start + 2) {
            Some("{") => "}}",
            Some("%") => "%}",
            _ => {
                from = start + 1;
                continue;
            }
        };
        let Some(length) = text[start + 2..].find(close) else {
            break;
        };
        let end = start + 2 + length + 2;
        tags.push((start..end, &text[start + 2..end - 2]));
        from = end;
    }
    tags
}

/// Whether `c` can be part of a component's name (`card`, `ui.card`).
fn is_name_char(c: char) -> bool {
    c.is_alphanumeric() || c == '_' || c == '.'
}

#[cfg(test)]
mod tests {
    use super::*;

    fn theme(files: &[(&str, &str)]) -> Vec<(String, Arc<SourceFile>)> {
        files
            .iter()
            .map(|(name, text)| {
                let file = SourceFile::new(format!("themes/t/templates/{name}"), *text);
                (name.to_string(), Arc::new(file))
            })
            .collect()
    }

    #[test]
    fn a_component_that_calls_itself_is_found_at_its_call() {
        let templates = theme(&[(
            "components.html",
            "{% component chip(term) %}<a>{{ term }}</a>{% endcomponent chip %}\n\
             {% component tree(node) -%}\n<li>{{ <chip term={node.name}/> }}\n{{ <tree node={node}/> }}</li>\n{%- endcomponent tree %}\n",
        )]);
        let calls = recursive_calls(&templates);
        assert_eq!(calls.len(), 1, "{calls:?}");
        assert_eq!(calls[0].component, "tree");
        assert_eq!(calls[0].callee, "tree");
        assert_eq!((calls[0].span.line, calls[0].span.col), (4, 5));
    }

    #[test]
    fn components_that_call_each_other_are_found_in_each() {
        let templates = theme(&[
            (
                "a.html",
                "{% component ping() %}{% <pong> %}x{% </pong> %}{% endcomponent ping %}",
            ),
            (
                "b.html",
                "{% component pong() %}{{ body }}{{ <ping/> }}{% endcomponent pong %}",
            ),
        ]);
        let calls: Vec<(String, String, usize)> = recursive_calls(&templates)
            .into_iter()
            .map(|c| (c.component, c.callee, c.span.col))
            .collect();
        assert_eq!(
            calls,
            [
                ("ping".to_string(), "pong".to_string(), 27),
                ("pong".to_string(), "ping".to_string(), 37)
            ]
        );
    }

    #[test]
    fn calls_outside_components_and_html_tags_are_not_calls() {
        let templates = theme(&[(
            "page.html",
            "{% component card() %}<card>{{ 1 < 2 }}</card>{% endcomponent card %}{{ <card/> }}",
        )]);
        assert!(recursive_calls(&templates).is_empty());
    }
}
