//! The map at a glance: a table of the agencies by the pages (or, on a
//! large site, the sections) that mention them, each cell the number of
//! passages and a link to the first of them.

use std::hash::Hash;

use serde::Serialize;

use crate::fingerprint::Hasher;
use crate::model::{PageId, PassageRef, SectionId, Site, Term};

/// The most columns the matrix has: a site with more pages than this gets
/// a column per top-level section, and one with more sections than this
/// gets no matrix.
pub const MATRIX_COLUMNS: usize = 12;

/// What the matrix counts, before it is given links: its columns, and for
/// each agency (in registry order) each column's count and first passage.
#[derive(Debug, Hash)]
pub struct Grid {
    /// The columns, in reading order.
    pub columns: Vec<Column>,
    /// For each agency of the registry, one cell per column.
    pub cells: Vec<Vec<Cell>>,
}

/// A column of the matrix.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Column {
    /// A page.
    Page(PageId),
    /// A top-level section, its pages and those of its sub-sections.
    Section(SectionId),
}

/// How often an agency is listed within one column, and where first.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash)]
pub struct Cell {
    /// The passages its page lists there.
    pub count: usize,
    /// The first of them, in reading order.
    pub first: Option<PassageRef>,
}

impl Grid {
    /// The grid of `site`, or `None` when it has no columns to show: no
    /// page outside the section indexes, or too many pages and sections.
    pub fn new(site: &Site) -> Option<Grid> {
        let (columns, column_of) = columns(site)?;
        let cells = site
            .agencies
            .iter()
            .map(|term| {
                let mut cells = vec![Cell::default(); columns.len()];
                for at in term.listed.iter() {
                    if let Some(cell) = column_of[at.page.0].and_then(|c| cells.get_mut(c)) {
                        cell.count += 1;
                        cell.first.get_or_insert(*at);
                    }
                }
                cells
            })
            .collect();
        Some(Grid { columns, cells })
    }

    /// Hashes into `h` what the matrix of `site` shows, but for the cards of
    /// its agencies and the titles and places of its columns.
    pub fn fingerprint(site: &Site, h: &mut Hasher) {
        Grid::new(site).hash(h);
    }
}

/// The columns of `site` and, for each page, its column: its own when the
/// pages outside section indexes are few enough, else its top-level
/// section's.
fn columns(site: &Site) -> Option<(Vec<Column>, Vec<Option<usize>>)> {
    let mut column_of = vec![None; site.pages.len()];
    let pages: Vec<PageId> = site
        .reading_order()
        .into_iter()
        .filter(|id| !site.page(*id).is_section_index)
        .collect();
    if pages.is_empty() {
        return None;
    }
    if pages.len() <= MATRIX_COLUMNS {
        for (column, page) in pages.iter().enumerate() {
            column_of[page.0] = Some(column);
        }
        return Some((pages.into_iter().map(Column::Page).collect(), column_of));
    }
    let top = &site.sections[0].subsections;
    if top.len() < 2 || top.len() > MATRIX_COLUMNS {
        return None;
    }
    for (column, &section) in top.iter().enumerate() {
        let mut stack = vec![section];
        while let Some(id) = stack.pop() {
            let section = site.section(id);
            for page in section.pages.iter().chain(&section.index) {
                column_of[page.0] = Some(column);
            }
            stack.extend(&section.subsections);
        }
    }
    Some((
        top.iter().copied().map(Column::Section).collect(),
        column_of,
    ))
}

/// A column as the table heads it.
#[derive(Serialize, Debug)]
pub struct MatrixColumn<'a> {
    /// The page's or section's title.
    pub title: &'a str,
    /// Where it leads.
    pub href: String,
}

/// A cell of the table.
#[derive(Serialize, Debug)]
pub struct MatrixCell<'a> {
    /// The title of its column.
    pub column: &'a str,
    /// The passages, none for an empty cell.
    pub count: usize,
    /// Where the first of them is listed; none for an empty cell.
    pub href: Option<String>,
    /// How full it is, from 0 (empty) to 3, for its shade.
    pub level: u8,
}

/// An agency's row.
#[derive(Serialize, Debug)]
pub struct MatrixRow<'a> {
    /// Its full name.
    pub name: &'a str,
    /// Its short name, which heads the row.
    pub short: &'a str,
    /// Where its name leads.
    pub href: String,
    /// One cell per column.
    pub cells: Vec<MatrixCell<'a>>,
}

/// The rows of one country.
#[derive(Serialize, Debug)]
pub struct MatrixCountry<'a> {
    /// The country's name.
    pub label: &'a str,
    /// Its agencies mentioned within the columns, by kind and then name.
    pub rows: Vec<MatrixRow<'a>>,
}

/// The table as templates see it.
#[derive(Serialize, Debug)]
pub struct Matrix<'a> {
    /// The columns.
    pub columns: Vec<MatrixColumn<'a>>,
    /// Whether the columns are sections rather than pages.
    pub by_section: bool,
    /// The rows, grouped by country.
    pub countries: Vec<MatrixCountry<'a>>,
    /// How many agencies have no passage within the columns, and no row.
    pub left_out: usize,
}

/// Where the links of a matrix lead: the page of an agency or a column, a
/// passage as the agency's page lists it.
pub trait MatrixLinks {
    /// The link to the page written at `output` (a page's or a section's).
    fn column(&self, output: &str) -> String;
    /// The link to the agency `term`.
    fn agency(&self, term: &Term) -> String;
    /// The link to the passage `at`, listed by `term`.
    fn passage(&self, term: &Term, at: PassageRef) -> String;
}

/// The links of the matrix on a page of the site: to the pages, and from
/// a cell to the list of the agency's passages on the cell's first page.
pub struct SiteLinks<'a> {
    /// The site.
    pub site: &'a Site,
    /// The way from the page that shows the matrix to the site root.
    pub root: String,
}

impl MatrixLinks for SiteLinks<'_> {
    fn column(&self, output: &str) -> String {
        format!("{}{output}", self.root)
    }

    fn agency(&self, term: &Term) -> String {
        format!("{}{}", self.root, term.output)
    }

    fn passage(&self, term: &Term, at: PassageRef) -> String {
        let page = self.site.page(at.page).output.as_str();
        format!("{}#{}", self.agency(term), super::mention_group_id(page))
    }
}

impl<'a> Matrix<'a> {
    /// The matrix of `site`, its links made by `links`; `None` when it has
    /// no columns or no agency mentioned within them.
    pub fn new(site: &'a Site, links: &dyn MatrixLinks) -> Option<Matrix<'a>> {
        let grid = Grid::new(site)?;
        let columns: Vec<MatrixColumn> = grid
            .columns
            .iter()
            .map(|column| {
                let (title, output) = match *column {
                    Column::Page(id) => {
                        let page = site.page(id);
                        (page.title.as_str(), page.output.as_str())
                    }
                    Column::Section(id) => {
                        let section = site.section(id);
                        (section.title.as_str(), section.output.as_str())
                    }
                };
                MatrixColumn {
                    title,
                    href: links.column(output),
                }
            })
            .collect();
        let position: std::collections::HashMap<&str, usize> = site
            .agencies
            .iter()
            .enumerate()
            .map(|(i, term)| (term.entry.id.value.as_str(), i))
            .collect();
        let mut left_out = 0;
        let countries: Vec<MatrixCountry> = super::agencies_by_country(site)
            .into_iter()
            .filter_map(|country| {
                let rows: Vec<MatrixRow> = country
                    .kinds
                    .iter()
                    .flat_map(|group| &group.agencies)
                    .filter_map(|card| position.get(card.chip.id).copied())
                    .filter_map(|index| {
                        let term = &site.agencies[index];
                        let cells = &grid.cells[index];
                        if cells.iter().all(|cell| cell.count == 0) {
                            left_out += 1;
                            return None;
                        }
                        Some(MatrixRow {
                            name: &term.entry.name,
                            short: &term.entry.short,
                            href: links.agency(term),
                            cells: cells
                                .iter()
                                .zip(&columns)
                                .map(|(cell, column)| MatrixCell {
                                    column: column.title,
                                    count: cell.count,
                                    href: cell.first.map(|at| links.passage(term, at)),
                                    level: level(cell.count),
                                })
                                .collect(),
                        })
                    })
                    .collect();
                (!rows.is_empty()).then_some(MatrixCountry {
                    label: country.label,
                    rows,
                })
            })
            .collect();
        if countries.is_empty() {
            return None;
        }
        Some(Matrix {
            columns,
            by_section: matches!(grid.columns.first(), Some(Column::Section(_))),
            countries,
            left_out,
        })
    }
}

/// The shade of a cell of `count` passages: 0 for none, 1 for one, 2 for
/// two or three, 3 for more.
fn level(count: usize) -> u8 {
    match count {
        0 => 0,
        1 => 1,
        2 | 3 => 2,
        _ => 3,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_cell_is_shaded_by_its_count() {
        let levels: Vec<u8> = [0, 1, 2, 3, 4, 40].into_iter().map(level).collect();
        assert_eq!(levels, [0, 1, 2, 2, 3, 3]);
    }
}
