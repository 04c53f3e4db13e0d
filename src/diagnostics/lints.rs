//! The level of each lint, as `[lints]` of `site.toml` sets it.
//!
//! A lint is a check whose problems are warnings by default (the `W`
//! codes). `[lints]` lets a site silence one (`allow`), keep it a warning
//! (`warn`) or make it an error that fails the build (`deny`). The levels
//! are applied in one place, where a run's diagnostics are finished
//! ([`super::finish`]), so that `check`, `build`, `serve` and the JSON
//! output agree.

use super::{Code, Diagnostic, Severity};

/// What `[lints]` makes of a lint's problems.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Level {
    /// Not reported.
    Allow,
    /// Reported as a warning: the default.
    Warn,
    /// Reported as an error, which fails the build.
    Deny,
}

impl Level {
    /// The level spelt `name` in `site.toml`.
    ///
    /// ```
    /// use dossier::diagnostics::lints::Level;
    /// assert_eq!(Level::named("deny"), Some(Level::Deny));
    /// assert_eq!(Level::named("error"), None);
    /// ```
    pub fn named(name: &str) -> Option<Level> {
        match name {
            "allow" => Some(Level::Allow),
            "warn" => Some(Level::Warn),
            "deny" => Some(Level::Deny),
            _ => None,
        }
    }

    /// How `site.toml` spells the level.
    pub fn name(self) -> &'static str {
        match self {
            Level::Allow => "allow",
            Level::Warn => "warn",
            Level::Deny => "deny",
        }
    }
}

/// The levels `[lints]` sets; a lint it does not name is a warning.
#[derive(Debug, Clone, Default, PartialEq, Eq, Hash)]
pub struct Lints {
    /// Each lint named in `[lints]`, with its level, by code.
    levels: Vec<(Code, Level)>,
}

impl Lints {
    /// Every lint's name (`unannotated-mention`), in code order.
    pub fn names() -> impl Iterator<Item = &'static str> + Clone {
        Code::ALL
            .iter()
            .filter(|code| code.is_lint())
            .map(|code| code.name())
    }

    /// Sets the level of the lint `code`.
    pub fn set(&mut self, code: Code, level: Level) {
        match self.levels.iter_mut().find(|(c, _)| *c == code) {
            Some(entry) => entry.1 = level,
            None => self.levels.push((code, level)),
        }
        self.levels.sort();
    }

    /// The level of the lint `code`.
    pub fn level(&self, code: Code) -> Level {
        self.levels
            .iter()
            .find(|(c, _)| *c == code)
            .map_or(Level::Warn, |&(_, level)| level)
    }

    /// Applies the levels to `diagnostics`: the warnings of an allowed lint
    /// are dropped, those of a denied lint become errors with a note that
    /// says why. Errors are left as they are, so applying the levels twice
    /// changes nothing more.
    pub fn apply(&self, diagnostics: &mut Vec<Diagnostic>) {
        if self.levels.iter().all(|&(_, level)| level == Level::Warn) {
            return;
        }
        diagnostics.retain(|d| d.is_error() || self.level(d.code) != Level::Allow);
        for diagnostic in diagnostics.iter_mut() {
            if !diagnostic.is_error() && self.level(diagnostic.code) == Level::Deny {
                let why = format!(
                    "`{} = \"deny\"` in `[lints]` of site.toml makes this an error",
                    diagnostic.code.name()
                );
                let details = &mut **diagnostic;
                details.severity = Severity::Error;
                details.notes.push(why.into());
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn levels_drop_keep_or_deny_warnings_once() {
        let mut lints = Lints::default();
        lints.set(Code::UnusedEntry, Level::Allow);
        lints.set(Code::EmptyPage, Level::Deny);
        let mut diagnostics = vec![
            Diagnostic::warning(Code::UnusedEntry, "unused"),
            Diagnostic::warning(Code::EmptyPage, "empty"),
            Diagnostic::warning(Code::NoAgencies, "no agency"),
            Diagnostic::error(Code::BrokenLink, "broken"),
        ];
        lints.apply(&mut diagnostics);
        lints.apply(&mut diagnostics);
        let left: Vec<(Code, bool, usize)> = diagnostics
            .iter()
            .map(|d| (d.code, d.is_error(), d.notes.len()))
            .collect();
        assert_eq!(
            left,
            [
                (Code::EmptyPage, true, 1),
                (Code::NoAgencies, false, 0),
                (Code::BrokenLink, true, 0)
            ]
        );
    }

    #[test]
    fn denying_a_shared_warning_leaves_its_other_copies_warnings() {
        // `serve` keeps each page's warnings and copies them into every
        // rebuild's list: the levels change the list's copy only.
        let mut lints = Lints::default();
        lints.set(Code::EmptyPage, Level::Deny);
        let kept = Diagnostic::warning(Code::EmptyPage, "empty");
        let mut diagnostics = vec![kept.clone()];
        lints.apply(&mut diagnostics);
        assert!(diagnostics[0].is_error());
        assert_eq!(diagnostics[0].notes.len(), 1);
        assert!(!kept.is_error());
        assert!(kept.notes.is_empty());
        assert_ne!(diagnostics[0], kept);
    }

    #[test]
    fn only_warning_codes_are_lints() {
        let names: Vec<&str> = Lints::names().collect();
        assert!(names.contains(&"unannotated-mention"));
        assert!(!names.contains(&"broken-link"));
    }
}
