//! The one safety check every address a user writes passes: links in
//! pages, `source_url` of seeds, `base_url` of `site.toml`, and the
//! addresses in raw HTML.
//!
//! An address is read as a browser reads it: tabs and line breaks anywhere
//! are dropped and spaces and control characters at either end are
//! trimmed before the scheme is looked for, so `" Java\tScript:alert(1)"`
//! is the `javascript:` address it is to a browser.

use std::borrow::Cow;

/// Schemes written through unchanged.
pub const EXTERNAL_SCHEMES: &[&str] = &["http", "https", "mailto", "tel", "ftp", "ftps"];

/// Schemes never published, whatever the site settings.
pub const UNSAFE_SCHEMES: &[&str] = &["javascript", "vbscript", "data", "file", "blob"];

/// What an address is, by its scheme.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Scheme {
    /// No scheme: a path or fragment within the site (`../a/`, `#x`).
    None,
    /// A web address (`http:`, `https:`), lowercased.
    Web(&'static str),
    /// Another scheme published as written (`mailto:`, `tel:`, `ftp:`).
    Other(&'static str),
    /// A scheme that runs code or reads local files (`javascript:`,
    /// `data:`): never published.
    Unsafe(String),
    /// A scheme dossier does not know: not published.
    Unknown(String),
}

impl Scheme {
    /// Whether an address with this scheme may be published as a link.
    pub fn is_publishable(&self) -> bool {
        matches!(self, Scheme::None | Scheme::Web(_) | Scheme::Other(_))
    }
}

/// `address` as a browser reads it: spaces and control characters at either
/// end trimmed, tabs and line breaks anywhere dropped.
///
/// ```
/// use dossier::links::address::normalized;
/// assert_eq!(normalized(" \u{1}java\tscript:x\n"), "javascript:x");
/// ```
pub fn normalized(address: &str) -> Cow<'_, str> {
    let trimmed = address.trim_matches(|c: char| c <= ' ');
    if trimmed.contains(['\t', '\n', '\r']) {
        Cow::Owned(trimmed.replace(['\t', '\n', '\r'], ""))
    } else {
        Cow::Borrowed(trimmed)
    }
}

/// The scheme of `address` as a browser sees it, and the rest of the
/// address after the `:`.
pub fn split_scheme(address: &str) -> Option<(&str, &str)> {
    let (scheme, rest) = address.split_once(':')?;
    let mut chars = scheme.chars();
    let valid = chars.next().is_some_and(|c| c.is_ascii_alphabetic())
        && chars.all(|c| c.is_ascii_alphanumeric() || matches!(c, '+' | '-' | '.'));
    valid.then_some((scheme, rest))
}

/// What `address` is, by its scheme, read as a browser reads it.
///
/// ```
/// use dossier::links::address::{scheme, Scheme};
/// assert_eq!(scheme("https://example.org"), Scheme::Web("https"));
/// assert_eq!(scheme(" JavaScript:alert(1)"), Scheme::Unsafe("javascript".into()));
/// assert_eq!(scheme("java\tscript:alert(1)"), Scheme::Unsafe("javascript".into()));
/// assert_eq!(scheme("../x/index.html"), Scheme::None);
/// assert_eq!(scheme("gopher:x"), Scheme::Unknown("gopher".into()));
/// ```
pub fn scheme(address: &str) -> Scheme {
    let address = normalized(address);
    let Some((scheme, _)) = split_scheme(&address) else {
        return Scheme::None;
    };
    let lower = scheme.to_ascii_lowercase();
    if let Some(known) = EXTERNAL_SCHEMES.iter().find(|s| **s == lower) {
        if matches!(*known, "http" | "https") {
            Scheme::Web(known)
        } else {
            Scheme::Other(known)
        }
    } else if UNSAFE_SCHEMES.contains(&lower.as_str()) {
        Scheme::Unsafe(lower)
    } else {
        Scheme::Unknown(lower)
    }
}

/// Why an address is not a web address.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum NotWeb {
    /// It runs code or reads local files.
    Unsafe(String),
    /// It has another scheme, or none.
    Other,
}

/// `address` as an absolute web address (`https://` or `http://` and a
/// host), trimmed, for settings that must name a place on the web:
/// `base_url`, a seed's `source_url`.
///
/// ```
/// use dossier::links::address::{web_address, NotWeb};
/// assert_eq!(web_address(" https://example.org/a "), Ok("https://example.org/a".to_string()));
/// assert_eq!(web_address("javascript:alert(1)"), Err(NotWeb::Unsafe("javascript".into())));
/// assert_eq!(web_address("example.org"), Err(NotWeb::Other));
/// assert_eq!(web_address("https:///x"), Err(NotWeb::Other));
/// ```
pub fn web_address(address: &str) -> Result<String, NotWeb> {
    let clean = normalized(address);
    match scheme(&clean) {
        Scheme::Web(_) => {
            let after = split_scheme(&clean).map_or("", |(_, rest)| rest);
            let host = after
                .strip_prefix("//")
                .map(|rest| rest.split(['/', '?', '#']).next().unwrap_or(""));
            let printable = !clean.chars().any(|c| c.is_control() || c == ' ');
            match host {
                Some(host) if !host.is_empty() && printable => Ok(clean.into_owned()),
                _ => Err(NotWeb::Other),
            }
        }
        Scheme::Unsafe(scheme) => Err(NotWeb::Unsafe(scheme)),
        _ => Err(NotWeb::Other),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_spelling_of_a_script_address_is_unsafe() {
        for address in [
            "javascript:alert(1)",
            "JAVASCRIPT:alert(1)",
            "  javascript:alert(1)",
            "\u{0}javascript:alert(1)",
            "java\nscript:alert(1)",
            "jav\r\nascript:alert(1)",
            "\tvbscript:x",
            "data:text/html,<script>alert(1)</script>",
            "DaTa:text/html;base64,PHNjcmlwdD4=",
            "file:///etc/passwd",
        ] {
            assert!(
                matches!(scheme(address), Scheme::Unsafe(_)),
                "{address:?} should be unsafe"
            );
            assert!(!scheme(address).is_publishable(), "{address:?}");
            assert!(web_address(address).is_err(), "{address:?}");
        }
    }

    #[test]
    fn web_addresses_need_a_host() {
        assert!(web_address("http://example.org").is_ok());
        assert!(web_address("HTTPS://example.org/x?y#z").is_ok());
        assert_eq!(web_address("https://"), Err(NotWeb::Other));
        assert_eq!(web_address("//example.org"), Err(NotWeb::Other));
        assert_eq!(web_address("mailto:a@example.org"), Err(NotWeb::Other));
        assert_eq!(web_address("https://exa mple.org"), Err(NotWeb::Other));
    }
}
