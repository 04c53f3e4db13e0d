//! Properties of slugs and relative URLs, over generated inputs: what must
//! hold for every name an editor can give a file, a folder or a heading, and
//! for every place a link can be written from.

use dossier::links::{self, LinkTarget, TermKind};
use dossier::paths::{OutputPath, join_relative, slugify};
use proptest::prelude::*;

use crate::common;

/// A name as an editor might write it: letters of several scripts and
/// cases, digits, spaces and punctuation.
fn name() -> impl Strategy<Value = String> {
    "[a-zA-Z0-9 ,.:!&()_\\-éÉßİıΣσ日本ǅⅫ]{1,16}"
}

/// Any text: names as editors write them, or any characters at all.
fn text() -> impl Strategy<Value = String> {
    prop_oneof![name(), "\\PC{0,24}"]
}

/// A folder or file name that Markdown links can name as they are (inner
/// spaces, no leading or trailing ones).
fn segment() -> impl Strategy<Value = String> {
    "[a-zA-Z0-9_\\-éß日]([a-zA-Z0-9 _\\-éß日]{0,8}[a-zA-Z0-9_\\-éß日])?"
}

/// A folder of `content/`: zero to four segments.
fn folder() -> impl Strategy<Value = Vec<String>> {
    prop::collection::vec(segment(), 0..4)
}

/// A page of `content/`: a folder, then a file name that is a section index
/// now and then.
fn page() -> impl Strategy<Value = String> {
    (
        folder(),
        prop_oneof![3 => segment(), 1 => Just("_index".to_string())],
    )
        .prop_map(|(mut parts, stem)| {
            parts.push(format!("{stem}.md"));
            parts.join("/")
        })
}

/// The folder of a content path (`""` at the top).
fn dir_of(path: &str) -> &str {
    path.rsplit_once('/').map_or("", |(dir, _)| dir)
}

/// `href`, written in the built file `from`, resolved as a browser does, to
/// a path from the site root and a fragment.
fn follow(from: &OutputPath, href: &str) -> (String, Option<String>) {
    let (path, fragment) = match href.split_once('#') {
        Some((path, fragment)) => (path, Some(fragment.to_string())),
        None => (href, None),
    };
    let resolved = common::resolve(from.as_str(), path)
        .unwrap_or_else(|| panic!("`{href}` climbs out of the site from `{from}`"));
    (resolved, fragment)
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(2000))]

    #[test]
    fn slugify_is_idempotent(text in text()) {
        let slug = slugify(&text);
        prop_assert_eq!(slugify(&slug), slug);
    }

    #[test]
    fn slugs_hold_only_lowercase_letters_digits_and_single_inner_hyphens(text in text()) {
        let slug = slugify(&text);
        for c in slug.chars() {
            prop_assert!(
                c == '-' || (c.is_alphanumeric() && c.to_lowercase().eq([c])),
                "{c:?} in {slug:?}"
            );
        }
        prop_assert!(!slug.starts_with('-') && !slug.ends_with('-'), "{slug:?}");
        prop_assert!(!slug.contains("--"), "{slug:?}");
    }

    #[test]
    fn slug_is_empty_only_for_text_without_letters_or_digits(text in name()) {
        let has_word = text.chars().any(char::is_alphanumeric);
        prop_assert_eq!(!slugify(&text).is_empty(), has_word);
    }

    #[test]
    fn joined_paths_are_normalised(base in folder(), target in "[a-z./]{0,16}") {
        if let Some(joined) = join_relative(&base.join("/"), &target) {
            prop_assert!(
                joined.is_empty()
                    || joined.split('/').all(|part| !part.is_empty() && part != "." && part != ".."),
                "{joined:?}"
            );
        }
    }

    #[test]
    fn climbing_to_the_root_then_down_lands_on_the_target(base in folder(), target in folder()) {
        let base = base.join("/");
        let target = target.join("/");
        let depth = if base.is_empty() { 0 } else { base.split('/').count() };
        let climbed = format!("{}{target}", "../".repeat(depth));
        prop_assert_eq!(join_relative(&base, &climbed), Some(target.clone()));
        prop_assert_eq!(join_relative(&base, &format!("/{target}")), Some(target.clone()));
        let one_too_many = format!("../{climbed}");
        prop_assert_eq!(join_relative(&base, &one_too_many), None);
    }

    #[test]
    fn root_leads_from_any_output_file_back_to_the_site_root(
        dir in folder(),
        target in folder(),
    ) {
        let dir: Vec<String> = dir.iter().map(|s| slugify(s)).filter(|s| !s.is_empty()).collect();
        let output = OutputPath::page(&dir.join("/"));
        let target = format!("{}index.html", target.iter().map(|s| format!("{s}/")).collect::<String>());
        let (resolved, _) = follow(&output, &format!("{}{target}", output.root()));
        prop_assert_eq!(resolved, target);
    }

    #[test]
    fn page_links_resolve_from_the_linking_page_to_the_target_output(
        from in page(),
        to in page(),
        fragment in prop::option::of("[a-z0-9-]{1,12}"),
    ) {
        let from_dir = dir_of(&from);
        let depth = if from_dir.is_empty() { 0 } else { from_dir.split('/').count() };
        let mut dest = format!("{}{to}", "../".repeat(depth));
        if let Some(fragment) = &fragment {
            dest.push('#');
            dest.push_str(fragment);
        }
        let target = links::classify(&dest, from_dir);
        prop_assert_eq!(
            &target,
            &LinkTarget::Page { path: to.clone(), fragment: fragment.clone() }
        );
        let output = links::page_output_path(&from);
        let href = links::href(&target, &dest, &output.root());
        let (resolved, got_fragment) = follow(&output, &href);
        prop_assert_eq!(resolved, links::page_output_path(&to).to_string());
        prop_assert_eq!(got_fragment, fragment);
    }

    #[test]
    fn term_and_source_links_resolve_from_any_page(
        from in page(),
        id in "[a-z0-9]{1,8}(-[a-z0-9]{1,8}){0,2}",
    ) {
        let output = links::page_output_path(&from);
        let root = output.root();
        for (kind, dest) in [(TermKind::Agency, format!("agency:{id}")), (TermKind::Topic, format!("topic:{id}"))] {
            let target = links::classify(&dest, dir_of(&from));
            let (resolved, _) = follow(&output, &links::href(&target, &dest, &root));
            prop_assert_eq!(resolved, links::layout::term(kind, &id).to_string());
        }
        let dest = format!("source:{id}#part-p1");
        let target = links::classify(&dest, dir_of(&from));
        let (resolved, fragment) = follow(&output, &links::href(&target, &dest, &root));
        prop_assert_eq!(resolved, links::layout::source(&id).to_string());
        prop_assert_eq!(fragment.as_deref(), Some("part-p1"));
    }

    #[test]
    fn output_paths_of_pages_are_valid_output_files(path in page()) {
        let output = links::page_output_path(&path);
        prop_assert_eq!(OutputPath::file(output.as_str()), Some(output.clone()));
    }
}
