//! One resource's list: its rows, the order a sort puts them in, the rows a `/` filter lets
//! through, and the selection. Built for 100k rows: sort keys, each column's order and the
//! search text are kept as rows arrive (`sort`, `search`), streamed pages are merged in by
//! binary search, a filter that grows re-checks only the few rows it let through, and the
//! selection is kept by row index rather than by comparing ids across the list.

mod search;
mod sort;
#[cfg(test)]
mod tests;

use std::cmp::Ordering;

pub use search::Search;
pub use sort::{SortKeys, compare_cells};

/// One table row, already sanitised for the terminal.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Row {
    pub id: String,
    pub cells: Vec<String>,
}

/// A sorted column; rows with equal cells keep the server's order.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Sort {
    pub column: usize,
    pub descending: bool,
}

#[derive(Debug, Clone, Default, PartialEq)]
pub struct ListState {
    pub rows: Vec<Row>,
    /// Total the server reports while pages stream in.
    pub total: Option<usize>,
    pub is_loading: bool,
    pub error: Option<String>,
    /// What `/` typed. Starting with `=` it is a SCIM filter for the server, not a local one.
    pub filter: String,
    /// The SCIM filter the loaded rows were read with, if any.
    pub server_filter: Option<String>,
    pub sort: Option<Sort>,
    /// Every row index in display order (the sort applied).
    pub order: Vec<usize>,
    /// Indices into `rows` that pass the filter, in display order.
    pub visible: Vec<usize>,
    /// What `/` searches, kept in step with `rows`.
    pub search: Search,
    /// What a sort compares, kept in step with `rows`.
    pub sort_keys: SortKeys,
    /// Position in `visible`.
    pub selected: usize,
    /// First visible position on screen; kept while the selection stays in view.
    pub offset: usize,
    /// The row to keep selected across a reload, until it arrives or the user moves.
    pub sticky: Option<String>,
    /// Every page arrived (a list cancelled half-way must load again when revisited).
    pub is_complete: bool,
    /// The user moved the cursor: until then it stays on the top row while rows stream in.
    pub is_cursor_moved: bool,
}

fn cell(row: &Row, column: usize) -> &str {
    row.cells.get(column).map_or("", String::as_str)
}

impl ListState {
    pub fn new(sort: Option<Sort>) -> Self {
        ListState {
            sort,
            ..ListState::default()
        }
    }

    pub fn selected_row(&self) -> Option<&Row> {
        self.visible
            .get(self.selected)
            .and_then(|index| self.rows.get(*index))
    }

    /// The text of the local filter (a server filter does not filter locally).
    pub fn local_filter(&self) -> &str {
        if self.filter.starts_with('=') {
            ""
        } else {
            &self.filter
        }
    }

    /// Display order of two rows.
    fn compare(&self, a: usize, b: usize) -> Ordering {
        match self.sort {
            Some(sort) => self.sort_keys.compare(&self.rows, sort, a, b),
            None => a.cmp(&b),
        }
    }

    /// `indices` in display order.
    fn sorted(&self, mut indices: Vec<usize>) -> Vec<usize> {
        match self.sort {
            Some(sort) => self.sort_keys.sorted(&self.rows, sort, indices),
            None => {
                indices.sort_unstable();
                indices
            }
        }
    }

    /// Merges `new` into `existing`, both in display order.
    fn merge(&self, existing: &mut Vec<usize>, new: &[usize]) {
        sort::merge(existing, new, |a, b| self.compare(a, b));
    }

    /// Brings the search text and sort keys in step with `rows` from `first` on (or from
    /// scratch when they are not in step: rows changed some other way).
    fn index_rows(&mut self, first: usize) {
        if self.search.len() == first && self.sort_keys.len() == first {
            for row in &self.rows[first..] {
                self.search.push(row);
            }
            self.sort_keys.extend(&self.rows, first);
        } else {
            self.search.rebuild(&self.rows);
            self.sort_keys.rebuild(&self.rows);
        }
    }

    /// Rebuilds the search text and sort keys if rows changed some other way.
    fn ensure_indexed(&mut self) {
        if self.search.len() != self.rows.len() || self.sort_keys.len() != self.rows.len() {
            self.index_rows(0);
        }
    }

    /// Drops every row (a reload's first page replaces them).
    pub fn clear_rows(&mut self) {
        self.rows.clear();
        self.order.clear();
        self.visible.clear();
        self.index_rows(0);
    }

    /// Appends rows; a sorted list merges them in (by binary search, not a sort of all),
    /// and only the new rows are checked against the filter.
    pub fn push_rows(&mut self, rows: impl IntoIterator<Item = Row>) {
        let keep = self.kept_row();
        let first_new = self.rows.len();
        self.rows.extend(rows);
        self.index_rows(first_new);
        let new = self.sorted((first_new..self.rows.len()).collect());
        let mut order = std::mem::take(&mut self.order);
        self.merge(&mut order, &new);
        self.order = order;
        let needle = self.local_filter().to_lowercase();
        if self.search.filtered_by.as_deref() != Some(needle.as_str()) {
            self.search.filtered_by = None;
            self.apply_filter();
            return;
        }
        let passing: Vec<usize> = new
            .into_iter()
            .filter(|index| self.search.passes(*index, &needle))
            .collect();
        let mut visible = std::mem::take(&mut self.visible);
        self.merge(&mut visible, &passing);
        self.visible = visible;
        self.select(keep);
    }

    /// Replaces rows by id with fuller versions (enrichment); unknown ids are ignored.
    pub fn replace_rows(&mut self, rows: impl IntoIterator<Item = Row>) {
        self.ensure_indexed();
        let positions: std::collections::HashMap<&str, usize> = self
            .rows
            .iter()
            .enumerate()
            .map(|(index, row)| (row.id.as_str(), index))
            .collect();
        let updates: Vec<(usize, Row)> = rows
            .into_iter()
            .filter_map(|row| positions.get(row.id.as_str()).map(|index| (*index, row)))
            .collect();
        for (index, row) in updates {
            self.sort_keys.replace(&mut self.rows, index, row);
        }
        // Texts change length: the buffer is written again (it keeps its memory).
        self.search.rebuild(&self.rows);
        self.resort();
    }

    pub fn set_sort(&mut self, sort: Option<Sort>) {
        self.sort = sort;
        self.resort();
    }

    fn resort(&mut self) {
        self.ensure_indexed();
        self.order = match self.sort {
            Some(sort) => self.sort_keys.order(&self.rows, sort),
            None => (0..self.rows.len()).collect(),
        };
        self.search.filtered_by = None;
        self.apply_filter();
    }

    /// The row to keep selected through a change of `visible`: the one a reload waits for,
    /// or the one the user moved to.
    fn kept_row(&self) -> Option<usize> {
        match &self.sticky {
            Some(id) => self.rows.iter().position(|row| &row.id == id),
            None if self.is_cursor_moved => self.visible.get(self.selected).copied(),
            None => None,
        }
    }

    /// Selects `row` when it is visible, else the top row.
    fn select(&mut self, row: Option<usize>) {
        self.selected = row
            .and_then(|row| self.visible.iter().position(|index| *index == row))
            .unwrap_or(0)
            .min(self.visible.len().saturating_sub(1));
    }

    pub fn apply_filter(&mut self) {
        self.ensure_indexed();
        let needle = self.local_filter().to_lowercase();
        let keep = self.kept_row();
        let before = self.search.filtered_by.as_deref();
        // Every row a longer filter passes passed the shorter one: when few did, checking
        // them beats scanning every row.
        let narrows = before.is_some_and(|before| {
            needle.contains(before) && self.visible.len() * 8 < self.rows.len()
        });
        if before == Some(needle.as_str()) {
            // Nothing to do: `visible` already holds this filter's rows.
        } else if narrows {
            let search = &self.search;
            self.visible.retain(|index| search.passes(*index, &needle));
        } else if needle.is_empty() {
            self.visible.clone_from(&self.order);
        } else {
            let matches = self.search.matches(&needle);
            self.visible = self
                .order
                .iter()
                .copied()
                .filter(|index| matches[*index])
                .collect();
        }
        self.search.filtered_by = Some(needle);
        // Keep the same row selected when it is still visible.
        self.select(keep);
    }

    /// Moves the window just enough to show the selection (k9s-style, not page-wise).
    pub fn scroll_into_view(&mut self, page_rows: usize) {
        self.offset = keep_in_view(self.offset, self.selected, page_rows.max(1));
    }
}

/// The first line to show so that `selected` is in a window of `height` lines, moving
/// `offset` as little as possible.
pub fn keep_in_view(offset: usize, selected: usize, height: usize) -> usize {
    if selected < offset {
        selected
    } else if selected >= offset + height {
        selected + 1 - height
    } else {
        offset
    }
}
