//! The sitemap and the Atom feed: the only files that need absolute
//! addresses. With a `base_url` they get them; without one, links stay
//! relative to the file (resolved against where the file is served) and
//! feed ids are name-based UUIDs, so the feed is still valid and stable.

use serde::Serialize;
use uuid::Uuid;

use crate::links::{TermKind, layout};
use crate::model::{Page, PageId, Site};
use crate::toml_fields::Date;

/// One `<url>` of the sitemap.
#[derive(Serialize)]
pub struct SitemapEntry {
    /// The page's address.
    pub loc: String,
    /// When the page last changed: its `updated` date, or its `date`.
    pub lastmod: Option<String>,
}

/// Every HTML page of the site, in output-path order.
pub fn sitemap(site: &Site) -> Vec<SitemapEntry> {
    let mut entries: Vec<(String, Option<Date>)> = Vec::new();
    entries.push((
        layout::home().to_string(),
        site.home().and_then(last_changed),
    ));
    for section in site.sections.iter().skip(1) {
        let date = section.index.and_then(|id| last_changed(site.page(id)));
        entries.push((section.output.to_string(), date));
    }
    for page in site.pages.iter().filter(|p| !p.is_section_index) {
        entries.push((page.output.to_string(), last_changed(page)));
    }
    let indexes = [
        layout::term_index(TermKind::Agency),
        layout::term_index(TermKind::Topic),
        layout::sources(),
        layout::coverage(),
    ];
    for index in indexes {
        entries.push((index.to_string(), None));
    }
    for term in site.agencies.iter().chain(&site.topics) {
        entries.push((term.output.to_string(), None));
    }
    for source in &site.sources {
        entries.push((source.output.to_string(), source.seed.date));
    }
    entries.sort();
    entries.dedup_by(|a, b| a.0 == b.0);
    entries
        .into_iter()
        .map(|(path, date)| SitemapEntry {
            loc: address(site, &path),
            lastmod: date.map(|d| d.to_string()),
        })
        .collect()
}

/// When `page` last changed: its `updated` date, or its `date`.
fn last_changed(page: &Page) -> Option<Date> {
    page.updated.or(page.date)
}

/// The Atom feed.
#[derive(Serialize)]
pub struct Feed<'a> {
    /// The feed's id.
    pub id: String,
    /// The site's address.
    pub link: String,
    /// The feed's own address.
    pub self_link: String,
    /// The newest date of any entry, as an RFC 3339 time.
    pub updated: String,
    /// The pages, the last changed first, ties in reading order.
    pub entries: Vec<FeedEntry<'a>>,
}

/// One `<entry>` of the feed.
#[derive(Serialize)]
pub struct FeedEntry<'a> {
    /// The page's title.
    pub title: &'a str,
    /// Its summary.
    pub summary: Option<&'a str>,
    /// Its address.
    pub link: String,
    /// Its stable id.
    pub id: String,
    /// When it last changed, as an RFC 3339 time: its `updated` date, or
    /// its `date`.
    pub updated: String,
    /// Its `date` as an RFC 3339 time, when it has been updated since (a
    /// page never updated is published when it last changed).
    pub published: Option<String>,
}

/// The feed of `site`: every page outside section indexes.
pub fn feed(site: &Site) -> Feed<'_> {
    let order = site.reading_order();
    let mut pages: Vec<(usize, PageId)> = order
        .into_iter()
        .filter(|id| !site.page(*id).is_section_index)
        .enumerate()
        .collect();
    pages.sort_by_key(|&(position, id)| (std::cmp::Reverse(last_changed(site.page(id))), position));
    let newest = site
        .pages
        .iter()
        .filter_map(last_changed)
        .chain(site.sources.iter().filter_map(|s| s.seed.date))
        .max();
    let updated = rfc3339(newest);
    let entries = pages
        .into_iter()
        .map(|(_, id)| {
            let page = site.page(id);
            FeedEntry {
                title: &page.title,
                summary: page.summary.as_deref(),
                link: address(site, page.output.as_str()),
                id: id_for(site, page.output.as_str()),
                updated: last_changed(page).map_or_else(|| updated.clone(), |d| rfc3339(Some(d))),
                published: page.updated.and(page.date).map(|d| rfc3339(Some(d))),
            }
        })
        .collect();
    Feed {
        id: id_for(site, ""),
        link: address(site, layout::home().as_str()),
        self_link: address(site, layout::feed().as_str()),
        updated,
        entries,
    }
}

/// The address of `path`: absolute under `base_url`, else as it is.
fn address(site: &Site, path: &str) -> String {
    match &site.config.base_url {
        Some(base) => format!("{base}{path}"),
        None => path.to_string(),
    }
}

/// A permanent id for `path`: its absolute address under `base_url`, or a
/// UUID made from the site's title and the path.
fn id_for(site: &Site, path: &str) -> String {
    match &site.config.base_url {
        Some(base) => format!("{base}{path}"),
        None => name_uuid(&format!("{}\n{path}", site.config.title)),
    }
}

/// Midnight UTC of `date`, or of the Unix epoch when there is none.
fn rfc3339(date: Option<Date>) -> String {
    match date {
        Some(date) => format!("{date}T00:00:00Z"),
        None => "1970-01-01T00:00:00Z".to_string(),
    }
}

/// The name-based UUID of `name`, as a URN: RFC 9562 version 8, whose bits
/// (but for the version's and the variant's) are a 128-bit FNV-1a hash of
/// `name`, so that the same name always gives the same id.
///
/// ```text
/// urn:uuid:xxxxxxxx-xxxx-8xxx-yxxx-xxxxxxxxxxxx
/// ```
fn name_uuid(name: &str) -> String {
    const OFFSET: u128 = 0x6c62272e07bb014262b821756295c58d;
    const PRIME: u128 = 0x0000000001000000000000000000013B;
    let hash = name.bytes().fold(OFFSET, |hash, byte| {
        (hash ^ u128::from(byte)).wrapping_mul(PRIME)
    });
    Uuid::new_v8(hash.to_be_bytes()).urn().to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn name_uuids_are_stable_distinct_and_well_formed() {
        let a = name_uuid("site\ndomains/space/index.html");
        assert_eq!(a, name_uuid("site\ndomains/space/index.html"));
        assert_ne!(a, name_uuid("site\ndomains/defense/index.html"));
        let uuid = a.strip_prefix("urn:uuid:").unwrap();
        let groups: Vec<usize> = uuid.split('-').map(str::len).collect();
        assert_eq!(groups, [8, 4, 4, 4, 12]);
        assert_eq!(&uuid[14..15], "8");
        assert!(matches!(&uuid[19..20], "8" | "9" | "a" | "b"));
    }

    #[test]
    fn a_published_feed_keeps_its_ids() {
        // The feed id of the bundled site: feed readers know entries by it.
        assert_eq!(
            name_uuid("U.S.-India iCET Briefing\n"),
            "urn:uuid:69149b8b-6854-838c-b9f7-99b76e1881b4"
        );
    }
}
