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

const AGENCY_KEYS: &[&str] = &["name", "short", "country", "kind", "aliases", "description"];
const TOPIC_KEYS: &[&str] = &["name", "short", "aliases", "description"];

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
    read_entries(file, "topic", TOPIC_KEYS, diagnostics, |_, entry, _| {
        Some(Topic { entry })
    })
}

fn read_entries<T>(
    file: &Arc<SourceFile>,
    what: &str,
    keys: &[&str],
    diagnostics: &mut Vec<Diagnostic>,
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
    let mut claimed = NameClaims::default();
    for (id, table) in top.tables(diagnostics) {
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
        };
        if let Some(value) = finish(&table, entry, diagnostics) {
            entries.push(value);
        }
    }
    entries
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

    #[test]
    fn a_duplicate_id_is_an_error() {
        let (_, diagnostics) = agencies(&format!("{ISRO}{ISRO}"));
        assert_eq!(diagnostics[0].code, Code::DuplicateId);
        assert_eq!(diagnostics[0].span.as_ref().unwrap().line, 8);
    }
}
