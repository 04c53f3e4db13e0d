//! The sitemap and the Atom feed: the only files that need absolute
//! addresses. With a `base_url` they get them; without one, links stay
//! relative to the file (resolved against where the file is served) and
//! feed ids are name-based UUIDs, so the feed is still valid and stable.

use std::borrow::Cow;

use serde::Serialize;
use uuid::Uuid;

use crate::links::{TermKind, layout};
use crate::model::{Page, PageId, Site};
use crate::paths::OutputPath;
use crate::toml_fields::Date;

/// One `<url>` of the sitemap.
#[derive(Serialize)]
pub struct SitemapEntry {
    /// The page's address.
    pub loc: String,
    /// When the page last changed: its `updated` date, or its `date`.
    pub lastmod: Option<String>,
}

/// The most addresses one sitemap file may list: the limit of the
/// sitemaps.org protocol, which search engines hold to (it also bounds a
/// file to 50 MB, which 50,000 addresses stay far under). A site with more
/// has its sitemap in parts, and `sitemap.xml` is their index.
pub const SITEMAP_URLS: usize = 50_000;

/// One `<sitemap>` of a sitemap index: a part of the sitemap.
#[derive(Serialize)]
pub struct SitemapPart {
    /// The part's address.
    pub loc: String,
    /// The newest `lastmod` of its addresses.
    pub lastmod: Option<String>,
}

/// Every HTML page of the site, in output-path order.
pub fn sitemap(site: &Site) -> Vec<SitemapEntry> {
    let paths = sitemap_paths(site);
    paths
        .iter()
        .map(|entry| sitemap_entry(site, entry))
        .collect()
}

/// How many parts the sitemap of `site` is written in: none when its
/// addresses fit in `sitemap.xml` itself (see [`SITEMAP_URLS`]).
pub fn sitemap_parts(site: &Site) -> usize {
    parts(sitemap_paths(site).len(), SITEMAP_URLS)
}

/// The addresses of the part at `index` (from 0) of a sitemap in parts:
/// the next [`SITEMAP_URLS`] of [`sitemap`].
pub fn sitemap_part(site: &Site, index: usize) -> Vec<SitemapEntry> {
    let paths = sitemap_paths(site);
    part(&paths, index, SITEMAP_URLS)
        .iter()
        .map(|entry| sitemap_entry(site, entry))
        .collect()
}

/// The parts of the sitemap of `site`, in order, for its index.
pub fn sitemap_index(site: &Site) -> Vec<SitemapPart> {
    let paths = sitemap_paths(site);
    (0..parts(paths.len(), SITEMAP_URLS))
        .map(|index| SitemapPart {
            loc: address(site, layout::sitemap_part(index + 1).as_str()),
            lastmod: part(&paths, index, SITEMAP_URLS)
                .iter()
                .filter_map(|(_, date)| *date)
                .max()
                .map(|date| date.to_string()),
        })
        .collect()
}

/// How many parts of at most `limit` addresses `count` addresses take: none
/// when they fit in one file.
fn parts(count: usize, limit: usize) -> usize {
    if count <= limit {
        0
    } else {
        count.div_ceil(limit)
    }
}

/// The part at `index` of `items`, in parts of `limit`: empty past the end.
fn part<T>(items: &[T], index: usize, limit: usize) -> &[T] {
    let start = index.saturating_mul(limit).min(items.len());
    &items[start..items.len().min(start.saturating_add(limit))]
}

/// The path and the last change of every HTML page of the site, in
/// output-path order (borrowed from the site where it has them).
fn sitemap_paths(site: &Site) -> Vec<(Cow<'_, str>, Option<Date>)> {
    let owned = |path: OutputPath| Cow::Owned(path.as_str().to_string());
    let mut entries = vec![(owned(layout::home()), site.home().and_then(last_changed))];
    for section in site.sections.iter().skip(1) {
        let date = section.index.and_then(|id| last_changed(site.page(id)));
        entries.push((Cow::Borrowed(section.output.as_str()), date));
    }
    for page in site.pages.iter().filter(|p| !p.is_section_index) {
        entries.push((Cow::Borrowed(page.output.as_str()), last_changed(page)));
    }
    let indexes = [
        layout::term_index(TermKind::Agency),
        layout::term_index(TermKind::Topic),
        layout::sources(),
        layout::coverage(),
    ];
    for index in indexes {
        entries.push((owned(index), None));
    }
    for term in site.agencies.iter().chain(&site.topics) {
        entries.push((Cow::Borrowed(term.output.as_str()), None));
    }
    for source in &site.sources {
        entries.push((Cow::Borrowed(source.output.as_str()), source.seed.date));
    }
    entries.sort();
    entries.dedup_by(|a, b| a.0 == b.0);
    entries
}

/// The `<url>` of the page at `path`, last changed on `date`.
fn sitemap_entry(site: &Site, (path, date): &(Cow<'_, str>, Option<Date>)) -> SitemapEntry {
    SitemapEntry {
        loc: address(site, path),
        lastmod: date.map(|d| d.to_string()),
    }
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
    /// The pages, the last changed first, ties in reading order (the
    /// first `feed_limit` of them, where `site.toml` sets it).
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

/// The feed of `site`: every page outside section indexes, or the
/// `feed_limit` of them changed last.
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
    let listed = site.config.feed_limit.map_or(usize::MAX, |limit| {
        usize::try_from(limit).unwrap_or(usize::MAX)
    });
    let entries = pages
        .into_iter()
        .take(listed)
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
    fn a_long_sitemap_is_cut_into_parts_that_keep_every_address_once() {
        assert_eq!(parts(0, 3), 0);
        assert_eq!(parts(3, 3), 0);
        assert_eq!(parts(4, 3), 2);
        assert_eq!(parts(7, 3), 3);
        let items: Vec<usize> = (0..7).collect();
        let cut: Vec<&[usize]> = (0..parts(items.len(), 3))
            .map(|index| part(&items, index, 3))
            .collect();
        assert_eq!(cut, [&[0, 1, 2][..], &[3, 4, 5], &[6]]);
        assert!(part(&items, 3, 3).is_empty());
        assert!(part(&items, usize::MAX, 3).is_empty());
    }

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
