//! What `/` searches: every row's cells, joined and lower-cased, in one buffer. One SIMD
//! scan finds a filter in all of them, where a string per row cost memory and a pointer
//! chase each. Only what is shown is searched: matching a hidden id would look like a wrong
//! match.

use super::Row;

#[derive(Debug, Clone, Default, PartialEq)]
pub struct Search {
    /// Each row's text, then a newline.
    text: String,
    /// Where each row's text starts.
    starts: Vec<usize>,
    /// The lower-cased filter the list's `visible` holds the rows of, for its current
    /// `order`; `None` once rows or order changed.
    pub(super) filtered_by: Option<String>,
}

impl Search {
    /// Rows covered.
    pub(super) fn len(&self) -> usize {
        self.starts.len()
    }

    pub(super) fn push(&mut self, row: &Row) {
        self.starts.push(self.text.len());
        self.text.push_str(&row.cells.join(" ").to_lowercase());
        self.text.push('\n');
    }

    pub(super) fn rebuild(&mut self, rows: &[Row]) {
        self.text.clear();
        self.starts.clear();
        for row in rows {
            self.push(row);
        }
        self.filtered_by = None;
    }

    fn haystack(&self, index: usize) -> &str {
        let end = self
            .starts
            .get(index + 1)
            .copied()
            .unwrap_or(self.text.len());
        &self.text[self.starts[index]..end - 1]
    }

    pub(super) fn passes(&self, index: usize, needle: &str) -> bool {
        needle.is_empty() || self.haystack(index).contains(needle)
    }

    /// Whether each row contains `needle`.
    pub(super) fn matches(&self, needle: &str) -> Vec<bool> {
        if needle.contains('\n') {
            // It could span two rows in the buffer: ask each row on its own.
            return (0..self.len())
                .map(|index| self.passes(index, needle))
                .collect();
        }
        let mut found = vec![false; self.len()];
        let finder = memchr::memmem::Finder::new(needle.as_bytes());
        let text = self.text.as_bytes();
        let (mut row, mut from) = (0, 0);
        // Without a newline a match lies inside one row; the next search starts at the next.
        while let Some(at) = finder.find(&text[from..]) {
            let at = from + at;
            while self.starts.get(row + 1).is_some_and(|next| *next <= at) {
                row += 1;
            }
            found[row] = true;
            row += 1;
            from = self.starts.get(row).copied().unwrap_or(text.len());
        }
        found
    }
}
