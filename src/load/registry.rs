//! The agency and topic registries: `content/agencies.toml` and
//! `content/topics.toml`, one `[id]` table per entry.

use std::collections::HashMap;
use std::sync::Arc;

use crate::diagnostics::{Code, Diagnostic};
use crate::paths::slugify;
use crate::source::SourceFile;
use crate::toml_fields::{self, Place, Spanned, Table};

/// What every registry entry has.
#[derive(Debug, Clone)]
pub struct Entry {
    /// The id used in links (`agency:isro`) and paths (`agencies/isro/`).
    pub id: Spanned<String>,
    /// The full name.
    pub name: String,
    /// The short name or acronym; the name when there is none.
    pub short: String,
    /// Other names the entry goes by, for search and for finding mentions
    /// that lack an annotation.
    pub aliases: Vec<Spanned<String>>,
    /// One line about the entry.
    pub description: String,
    /// The id of the entry of the same registry it is part of (an agency
    /// within an agency, a topic within a topic); checked to lead to an
    /// entry and never around in a circle, and `None` when it does not.
    pub parent: Option<Spanned<String>>,
}

impl Entry {
    /// The name, the short name and every alias, without repeats (names
    /// that differ only in the case of ASCII letters are one name).
    pub fn names(&self) -> Vec<&str> {
        let mut seen = std::collections::HashSet::new();
        std::iter::once(self.name.as_str())
            .chain(std::iter::once(self.short.as_str()))
            .chain(self.aliases.iter().map(|a| a.value.as_str()))
            .filter(|name| seen.insert(name.to_ascii_lowercase()))
            .collect()
    }
}

/// What kind of body an agency is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum AgencyKind {
    /// A ministry, department, agency or office of government.
    Government,
    /// An industry association or business council.
    Industry,
    /// Universities and their associations.
    Academia,
    /// A company.
    Company,
    /// A legislature.
    Legislature,
    /// A body of both countries.
    Joint,
}

impl AgencyKind {
    /// Every kind, in the order indexes list them.
    pub const ALL: [AgencyKind; 6] = [
        AgencyKind::Government,
        AgencyKind::Legislature,
        AgencyKind::Industry,
        AgencyKind::Company,
        AgencyKind::Academia,
        AgencyKind::Joint,
    ];

    /// The word used in `agencies.toml`.
    pub fn key(self) -> &'static str {
        match self {
            AgencyKind::Government => "government",
            AgencyKind::Industry => "industry",
            AgencyKind::Academia => "academia",
            AgencyKind::Company => "company",
            AgencyKind::Legislature => "legislature",
            AgencyKind::Joint => "joint",
        }
    }

    /// A heading for a group of agencies of this kind.
    pub fn label(self) -> &'static str {
        match self {
            AgencyKind::Government => "Government",
            AgencyKind::Industry => "Industry associations",
            AgencyKind::Academia => "Academia",
            AgencyKind::Company => "Companies",
            AgencyKind::Legislature => "Legislature",
            AgencyKind::Joint => "Joint bodies",
        }
    }

    fn parse(text: &str) -> Option<AgencyKind> {
        AgencyKind::ALL.into_iter().find(|kind| kind.key() == text)
    }
}

/// An entry of `agencies.toml`.
#[derive(Debug, Clone)]
pub struct Agency {
    /// Id, names, aliases, description.
    pub entry: Entry,
    /// The code of its country (`US`), one of those `site.toml` declares
    /// when it declares any.
    pub country: Spanned<String>,
    /// What kind of body it is.
    pub kind: AgencyKind,
}

/// An entry of `topics.toml`.
#[derive(Debug, Clone)]
pub struct Topic {
    /// Id, names, aliases, description.
    pub entry: Entry,
}

const AGENCY_KEYS: &[&str] = &[
    "name",
    "short",
    "country",
    "kind",
    "aliases",
    "description",
    "parent",
];
const TOPIC_KEYS: &[&str] = &["name", "short", "aliases", "description", "parent"];

/// Whether `name` has a word to find; a name that is empty or only spaces
/// is reported (it would match nothing, or everything).
fn named(name: &Spanned<String>, what: &str, diagnostics: &mut Vec<Diagnostic>) -> bool {
    if !name.value.trim().is_empty() {
        return true;
    }
    diagnostics.push(
        Diagnostic::error(Code::InvalidValue, format!("{what} cannot be empty"))
            .at(name.span.clone())
            .label("no word to find")
            .help("remove it, or write the name readers use"),
    );
    false
}

/// Reads `agencies.toml`.
pub fn read_agencies(file: &Arc<SourceFile>, diagnostics: &mut Vec<Diagnostic>) -> Vec<Agency> {
    read_entries(
        file,
        "agency",
        AGENCY_KEYS,
        diagnostics,
        |agency: &mut Agency| &mut agency.entry,
        |table, entry, diagnostics| {
            let country = table.required_string("country", "\"US\"", diagnostics);
            let kind = table.required_string("kind", "\"government\"", diagnostics);
            let kind = kind.and_then(|kind| match AgencyKind::parse(&kind.value) {
                Some(parsed) => Some(parsed),
                None => {
                    let kinds: Vec<_> = AgencyKind::ALL
                        .iter()
                        .map(|k| format!("`{}`", k.key()))
                        .collect();
                    diagnostics.push(
                        Diagnostic::error(
                            Code::InvalidValue,
                            format!("`{}` is not a kind of agency", kind.value),
                        )
                        .at(kind.span)
                        .label("unknown kind")
                        .help(format!("use one of {}", kinds.join(", "))),
                    );
                    None
                }
            });
            Some(Agency {
                entry,
                country: country?,
                kind: kind?,
            })
        },
    )
}

/// Reads `topics.toml`.
pub fn read_topics(file: &Arc<SourceFile>, diagnostics: &mut Vec<Diagnostic>) -> Vec<Topic> {
    read_entries(
        file,
        "topic",
        TOPIC_KEYS,
        diagnostics,
        |topic: &mut Topic| &mut topic.entry,
        |_, entry, _| Some(Topic { entry }),
    )
}

fn read_entries<T>(
    file: &Arc<SourceFile>,
    what: &str,
    keys: &[&str],
    diagnostics: &mut Vec<Diagnostic>,
    entry_of: impl Fn(&mut T) -> &mut Entry,
    finish: impl Fn(&Table<'_, '_>, Entry, &mut Vec<Diagnostic>) -> Option<T>,
) -> Vec<T> {
    let place = Place::new(Arc::clone(file), 0);
    let Some(document) = toml_fields::parse(file.text(), &place, diagnostics) else {
        return Vec::new();
    };
    let top = Table::new(
        document.get_ref(),
        file.start_span(),
        &place,
        file.path().display().to_string(),
    );
    let mut entries = Vec::new();
    let mut ids = Vec::new();
    let mut claimed = NameClaims::default();
    for (id, table) in top.tables(diagnostics) {
        ids.push(id.value.clone());
        let entry_what = format!("{what} `{}`", id.value);
        let table = table.named(entry_what);
        table.deny_unknown_keys(keys, diagnostics);
        check_id(&id, what, diagnostics);
        let name = table.required_string("name", "\"Full Name\"", diagnostics);
        let short = table.string("short", diagnostics);
        let aliases: Vec<Spanned<String>> = table
            .string_list("aliases", diagnostics)
            .into_iter()
            .filter(|alias| named(alias, "an alias", diagnostics))
            .collect();
        let short = short.filter(|short| named(short, "a short name", diagnostics));
        let description =
            table.required_string("description", "\"One line about it.\"", diagnostics);
        let parent = table.string("parent", diagnostics);
        let Some(name) = name else { continue };
        claimed.claim(&id.value, &name, diagnostics);
        if let Some(short) = &short {
            claimed.claim(&id.value, short, diagnostics);
        }
        for alias in &aliases {
            claimed.claim(&id.value, alias, diagnostics);
        }
        let entry = Entry {
            short: short.map_or_else(|| name.value.clone(), |s| s.value),
            name: name.value,
            id,
            aliases,
            description: description.map(|d| d.value).unwrap_or_default(),
            parent,
        };
        if let Some(value) = finish(&table, entry, diagnostics) {
            entries.push(value);
        }
    }
    let mut parented: Vec<&mut Entry> = entries.iter_mut().map(entry_of).collect();
    check_parents(&mut parented, &ids, what, diagnostics);
    entries
}

/// Checks that every `parent` names an entry of the registry (`ids` are
/// all of its tables, those with errors included) and that no entry is,
/// through its parents, part of itself. A parent that fails either check is
/// reported and dropped, so that what follows can walk the parents without
/// care.
fn check_parents(
    entries: &mut [&mut Entry],
    ids: &[String],
    what: &str,
    diagnostics: &mut Vec<Diagnostic>,
) {
    let code = if what == "agency" {
        Code::UnknownAgency
    } else {
        Code::UnknownTopic
    };
    let file = if what == "agency" {
        crate::load::AGENCIES_FILE
    } else {
        crate::load::TOPICS_FILE
    };
    for entry in entries.iter_mut() {
        let Some(parent) = &entry.parent else {
            continue;
        };
        if ids.contains(&parent.value) {
            continue;
        }
        let help = crate::diagnostics::did_you_mean(
            &parent.value,
            ids.iter()
                .map(String::as_str)
                .filter(|id| *id != entry.id.value),
        );
        diagnostics.push(
            Diagnostic::error(code, format!("unknown {what} `{}`", parent.value))
                .at(parent.span.clone())
                .label(format!("not in content/{file}"))
                .help(help.unwrap_or_else(|| {
                    format!("`parent` is the id of another {what} of this file, the one this {what} is part of")
                })),
        );
        entry.parent = None;
    }
    let index: HashMap<String, usize> = entries
        .iter()
        .enumerate()
        .map(|(i, entry)| (entry.id.value.clone(), i))
        .collect();
    // Walk up from each entry; a walk that comes back to an entry on it has
    // found a circle, reported at the parent of its first entry in the
    // file, which is dropped.
    for start in 0..entries.len() {
        let mut path = vec![start];
        let mut at = start;
        while let Some(next) = entries[at]
            .parent
            .as_ref()
            .and_then(|parent| index.get(&parent.value).copied())
        {
            if let Some(from) = path.iter().position(|&seen| seen == next) {
                // Each circle is found once: its parent is dropped here.
                let circle = &path[from..];
                let first = circle.iter().copied().min().unwrap_or(next);
                report_circle(entries, circle, first, what, diagnostics);
                entries[first].parent = None;
                break;
            }
            path.push(next);
            at = next;
        }
    }
}

/// Reports the circle of parents through the entries `circle` (each the
/// part of the next, the last of the first), at the parent of `first`.
fn report_circle(
    entries: &[&mut Entry],
    circle: &[usize],
    first: usize,
    what: &str,
    diagnostics: &mut Vec<Diagnostic>,
) {
    let Some(parent) = &entries[first].parent else {
        return;
    };
    let at = circle.iter().position(|&i| i == first).unwrap_or(0);
    let names: Vec<String> = circle[at..]
        .iter()
        .chain(&circle[..at])
        .chain(std::iter::once(&first))
        .map(|&i| format!("`{}`", entries[i].id.value))
        .collect();
    let message = if circle.len() == 1 {
        format!("{what} `{}` is its own parent", entries[first].id.value)
    } else {
        format!(
            "the parents of {what} `{}` lead back to it",
            entries[first].id.value
        )
    };
    diagnostics.push(
        Diagnostic::error(Code::InvalidValue, message)
            .at(parent.span.clone())
            .label(format!("part of: {}", names.join(" → ")))
            .help(
                "an entry can be part of another, never of itself: remove `parent` from one of them",
            ),
    );
}

fn check_id(id: &Spanned<String>, what: &str, diagnostics: &mut Vec<Diagnostic>) {
    let valid = !id.value.is_empty()
        && id
            .value
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-')
        && !id.value.starts_with('-')
        && !id.value.ends_with('-');
    if !valid {
        let suggestion = slugify(&id.value);
        let mut diagnostic = Diagnostic::error(
            Code::InvalidValue,
            format!("`{}` is not a valid {what} id", id.value),
        )
        .at(id.span.clone())
        .label("ids are lowercase letters, digits and hyphens");
        if !suggestion.is_empty() {
            diagnostic = diagnostic.help(format!("use `{suggestion}`"));
        }
        diagnostics.push(diagnostic);
    }
}

/// Which entry each name and alias belongs to, case-insensitively.
#[derive(Default)]
struct NameClaims {
    owners: HashMap<String, (String, Spanned<String>)>,
}

impl NameClaims {
    fn claim(&mut self, id: &str, name: &Spanned<String>, diagnostics: &mut Vec<Diagnostic>) {
        let key = name.value.trim().to_lowercase();
        if key.is_empty() {
            return;
        }
        match self.owners.get(&key) {
            Some((owner, _)) if owner == id => {}
            Some((owner, first)) => diagnostics.push(
                Diagnostic::error(
                    Code::DuplicateAlias,
                    format!("`{}` is claimed by both `{owner}` and `{id}`", name.value),
                )
                .at(name.span.clone())
                .label(format!("already a name or alias of `{owner}`"))
                .note(format!(
                    "`{owner}` claims it at {}:{}:{}",
                    first.span.file.display(),
                    first.span.line,
                    first.span.col
                ))
                .help("a name or alias must lead to one entry: remove it from one of them"),
            ),
            None => {
                self.owners.insert(key, (id.to_string(), name.clone()));
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn agencies(text: &str) -> (Vec<Agency>, Vec<Diagnostic>) {
        let file = Arc::new(SourceFile::new("content/agencies.toml", text));
        let mut diagnostics = Vec::new();
        (read_agencies(&file, &mut diagnostics), diagnostics)
    }

    const ISRO: &str = "[isro]\nname = \"Indian Space Research Organisation\"\nshort = \"ISRO\"\ncountry = \"IN\"\nkind = \"government\"\naliases = [\"Indian Space Research Organization\"]\ndescription = \"Space agency.\"\n";

    #[test]
    fn entries_are_read_with_their_names() {
        let (agencies, diagnostics) = agencies(ISRO);
        assert!(diagnostics.is_empty(), "{diagnostics:?}");
        assert_eq!(agencies[0].entry.id.value, "isro");
        assert_eq!(agencies[0].kind, AgencyKind::Government);
        assert_eq!(agencies[0].entry.names().len(), 3);
    }

    #[test]
    fn an_alias_claimed_twice_is_an_error() {
        let text = format!(
            "{ISRO}\n[dos]\nname = \"Department of Space\"\ncountry = \"IN\"\nkind = \"government\"\naliases = [\"ISRO\"]\ndescription = \"x\"\n"
        );
        let (_, diagnostics) = agencies(&text);
        assert_eq!(diagnostics.len(), 1, "{diagnostics:?}");
        assert_eq!(diagnostics[0].code, Code::DuplicateAlias);
        assert_eq!(diagnostics[0].span.as_ref().unwrap().line, 13);
    }

    #[test]
    fn bad_kind_and_id_are_reported() {
        let (_, diagnostics) = agencies(
            "[Bad_Id]\nname = \"X\"\ncountry = \"US\"\nkind = \"ministry\"\ndescription = \"x\"\n",
        );
        let codes: Vec<_> = diagnostics.iter().map(|d| d.code).collect();
        assert_eq!(codes, [Code::InvalidValue, Code::InvalidValue]);
        assert_eq!(diagnostics[0].help.as_deref(), Some("use `bad-id`"));
    }

    fn topics(text: &str) -> (Vec<Topic>, Vec<Diagnostic>) {
        let file = Arc::new(SourceFile::new("content/topics.toml", text));
        let mut diagnostics = Vec::new();
        (read_topics(&file, &mut diagnostics), diagnostics)
    }

    fn topic(id: &str, parent: Option<&str>) -> String {
        let parent = parent.map_or(String::new(), |p| format!("parent = \"{p}\"\n"));
        format!("[{id}]\nname = \"{id} name\"\n{parent}description = \"x\"\n\n")
    }

    #[test]
    fn a_parent_is_read_and_kept() {
        let (topics, diagnostics) =
            topics(&[topic("ai", None), topic("trustworthy-ai", Some("ai"))].concat());
        assert!(diagnostics.is_empty(), "{diagnostics:?}");
        let parent = topics[1].entry.parent.as_ref().map(|p| p.value.as_str());
        assert_eq!(parent, Some("ai"));
    }

    #[test]
    fn an_unknown_parent_names_the_nearest_id_and_is_dropped() {
        let (topics, diagnostics) =
            topics(&[topic("quantum", None), topic("sensing", Some("quantun"))].concat());
        assert_eq!(diagnostics.len(), 1, "{diagnostics:?}");
        assert_eq!(diagnostics[0].code, Code::UnknownTopic);
        assert_eq!(diagnostics[0].message, "unknown topic `quantun`");
        assert_eq!(
            diagnostics[0].help.as_deref(),
            Some("did you mean `quantum`?")
        );
        assert_eq!(diagnostics[0].span.as_ref().unwrap().line, 7);
        assert!(topics[1].entry.parent.is_none());
    }

    #[test]
    fn a_circle_of_parents_is_named_once_and_broken() {
        let text = [
            topic("a", Some("b")),
            topic("b", Some("c")),
            topic("c", Some("a")),
            topic("d", Some("a")),
        ]
        .concat();
        let (topics, diagnostics) = topics(&text);
        assert_eq!(diagnostics.len(), 1, "{diagnostics:?}");
        assert_eq!(diagnostics[0].code, Code::InvalidValue);
        assert_eq!(
            diagnostics[0].message,
            "the parents of topic `a` lead back to it"
        );
        assert_eq!(
            diagnostics[0].label.as_deref(),
            Some("part of: `a` → `b` → `c` → `a`")
        );
        let parents: Vec<Option<&str>> = topics
            .iter()
            .map(|t| t.entry.parent.as_ref().map(|p| p.value.as_str()))
            .collect();
        assert_eq!(parents, [None, Some("c"), Some("a"), Some("a")]);
    }

    #[test]
    fn an_entry_cannot_be_its_own_parent() {
        let (_, diagnostics) = topics(&topic("a", Some("a")));
        assert_eq!(diagnostics.len(), 1, "{diagnostics:?}");
        assert_eq!(diagnostics[0].message, "topic `a` is its own parent");
    }

    #[test]
    fn a_duplicate_id_is_an_error() {
        let (_, diagnostics) = agencies(&format!("{ISRO}{ISRO}"));
        assert_eq!(diagnostics[0].code, Code::DuplicateId);
        assert_eq!(diagnostics[0].span.as_ref().unwrap().line, 8);
    }
}
