//! Sorting 100k rows within a frame. Every cell's sort key is computed once, when its row
//! arrives, and packed so that a sort compares integers in one array instead of parsing
//! and lower-casing cells behind two pointers per comparison. Orders exactly as
//! `compare_cells`.

use std::cmp::Ordering;

use super::{Row, Sort, cell};

/// Numbers before text, numbers by value, text without regard to case.
pub fn compare_cells(a: &str, b: &str) -> Ordering {
    match (a.trim().parse::<i64>(), b.trim().parse::<i64>()) {
        (Ok(x), Ok(y)) => x.cmp(&y),
        (Ok(_), Err(_)) => Ordering::Less,
        (Err(_), Ok(_)) => Ordering::Greater,
        (Err(_), Err(_)) => compare_text(a, b),
    }
}

/// Text as its lower-cased characters compare.
fn compare_text(a: &str, b: &str) -> Ordering {
    if a.is_ascii() && b.is_ascii() {
        return a
            .bytes()
            .map(|c| c.to_ascii_lowercase())
            .cmp(b.bytes().map(|c| c.to_ascii_lowercase()));
    }
    a.chars()
        .flat_map(char::to_lowercase)
        .cmp(b.chars().flat_map(char::to_lowercase))
}

const HEAD: usize = 24;
/// The length of every text longer than `HEAD` bytes.
const LONG: u8 = HEAD as u8 + 1;

/// One cell as a sort sees it: numbers first, by value; text by its first 24 lower-cased
/// bytes (UTF-8 orders as its characters do), then its length. Two texts of up to 24
/// bytes with the same key are equal; longer ones are told apart by their cells (24 bytes
/// settle nearly every name and e-mail address, so that is rare).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Key {
    /// 0 for a number, 1 for text.
    kind: u8,
    /// The text's first 24 bytes as big-endian words; a number in the first word, its sign
    /// bit flipped.
    head: [u64; 3],
    /// The lower-cased text's length, `LONG` for anything longer than `HEAD` bytes.
    len: u8,
}

impl Key {
    fn of(cell: &str) -> Key {
        if let Ok(number) = cell.trim().parse::<i64>() {
            return Key {
                kind: 0,
                head: [number.cast_unsigned() ^ (1 << 63), 0, 0],
                len: 0,
            };
        }
        let mut head = [0u8; HEAD];
        let mut len = 0;
        if cell.is_ascii() {
            for (to, from) in head.iter_mut().zip(cell.bytes()) {
                *to = from.to_ascii_lowercase();
            }
            len = cell.len();
        } else {
            let mut buffer = [0u8; 4];
            for lower in cell.chars().flat_map(char::to_lowercase) {
                for byte in lower.encode_utf8(&mut buffer).bytes() {
                    if let Some(to) = head.get_mut(len) {
                        *to = byte;
                    }
                    len += 1;
                }
                if len > HEAD {
                    break;
                }
            }
        }
        let word = |at: usize| {
            let mut bytes = [0u8; 8];
            bytes.copy_from_slice(&head[at..at + 8]);
            u64::from_be_bytes(bytes)
        };
        Key {
            kind: 1,
            head: [word(0), word(8), word(16)],
            len: u8::try_from(len).unwrap_or(LONG).min(LONG),
        }
    }

    /// The key that sorts in the opposite direction.
    fn reversed(self) -> Key {
        Key {
            kind: !self.kind,
            head: self.head.map(|word| !word),
            len: !self.len,
        }
    }
}

/// A key with its row, as a sort moves them.
#[derive(Debug, Clone, Copy)]
struct Ranked {
    key: Key,
    /// Lists never hold 2^32 rows (they would need hundreds of gigabytes).
    index: u32,
}

impl Ranked {
    fn tuple(&self) -> (u8, [u64; 3], u8, u32) {
        let Key { kind, head, len } = self.key;
        (kind, head, len, self.index)
    }
}

/// Lists at least this long are sorted in two halves at once, then merged: a sort of 100k
/// rows must fit in a frame, and an idle console has a second core to spare.
const PARALLEL_FROM: usize = 20_000;

/// `ranked` in order. Unstable sorting is fine: the index breaks every tie.
fn sort_ranked(mut ranked: Vec<Ranked>) -> Vec<Ranked> {
    let parallel = std::thread::available_parallelism().is_ok_and(|n| n.get() > 1);
    if ranked.len() < PARALLEL_FROM || !parallel {
        ranked.sort_unstable_by_key(Ranked::tuple);
        return ranked;
    }
    let half = ranked.len() / 2;
    let (left, right) = ranked.split_at_mut(half);
    std::thread::scope(|scope| {
        scope.spawn(|| left.sort_unstable_by_key(Ranked::tuple));
        right.sort_unstable_by_key(Ranked::tuple);
    });
    let (left, right) = ranked.split_at(half);
    let mut merged = Vec::with_capacity(ranked.len());
    let (mut i, mut j) = (0, 0);
    while i < left.len() && j < right.len() {
        if left[i].tuple() <= right[j].tuple() {
            merged.push(left[i]);
            i += 1;
        } else {
            merged.push(right[j]);
            j += 1;
        }
    }
    merged.extend_from_slice(&left[i..]);
    merged.extend_from_slice(&right[j..]);
    merged
}

/// Every cell's key, column by column, kept in step with the list's rows.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct SortKeys {
    columns: Vec<Vec<Key>>,
    rows: usize,
}

impl SortKeys {
    /// Rows covered.
    pub(super) fn len(&self) -> usize {
        self.rows
    }

    /// Room for `cells` columns: a column no earlier row had counts their cells as empty.
    fn widen(&mut self, cells: usize) {
        while self.columns.len() < cells {
            self.columns.push(vec![Key::of(""); self.rows]);
        }
    }

    pub(super) fn push(&mut self, row: &Row) {
        self.widen(row.cells.len());
        for (column, keys) in self.columns.iter_mut().enumerate() {
            keys.push(Key::of(cell(row, column)));
        }
        self.rows += 1;
    }

    /// Row `index` now holds `row` (enrichment rewrites rows in place).
    pub(super) fn replace(&mut self, index: usize, row: &Row) {
        self.widen(row.cells.len());
        for (column, keys) in self.columns.iter_mut().enumerate() {
            keys[index] = Key::of(cell(row, column));
        }
    }

    pub(super) fn rebuild(&mut self, rows: &[Row]) {
        self.columns.clear();
        self.rows = 0;
        for row in rows {
            self.push(row);
        }
    }

    fn key(&self, column: usize, index: usize, descending: bool) -> Key {
        let key = self
            .columns
            .get(column)
            .map_or_else(|| Key::of(""), |keys| keys[index]);
        if descending { key.reversed() } else { key }
    }

    /// How rows `a` and `b` compare under `sort` (ties by index, as everywhere).
    pub(super) fn compare(&self, rows: &[Row], sort: Sort, a: usize, b: usize) -> Ordering {
        let (key_a, key_b) = (
            self.key(sort.column, a, sort.descending),
            self.key(sort.column, b, sort.descending),
        );
        let long = if sort.descending { !LONG } else { LONG };
        let by_cells = key_a == key_b && key_a.len == long;
        let order = if by_cells {
            let order = compare_text(cell(&rows[a], sort.column), cell(&rows[b], sort.column));
            if sort.descending {
                order.reverse()
            } else {
                order
            }
        } else {
            let tuple = |key: Key| (key.kind, key.head, key.len);
            tuple(key_a).cmp(&tuple(key_b))
        };
        order.then(a.cmp(&b))
    }

    /// `indices` in display order under `sort`.
    pub(super) fn sorted(&self, rows: &[Row], sort: Sort, indices: Vec<usize>) -> Vec<usize> {
        let ranked: Vec<Ranked> = indices
            .into_iter()
            .map(|index| Ranked {
                key: self.key(sort.column, index, sort.descending),
                index: index as u32,
            })
            .collect();
        let mut ranked = sort_ranked(ranked);
        // Long texts that share their first bytes: ordered by their cells, run by run.
        let long = if sort.descending { !LONG } else { LONG };
        let mut start = 0;
        while start < ranked.len() {
            let first = ranked[start].key;
            let mut end = start + 1;
            while end < ranked.len() && first.len == long && ranked[end].key == first {
                end += 1;
            }
            if end - start > 1 {
                let mut run: Vec<usize> = ranked[start..end]
                    .iter()
                    .map(|r| r.index as usize)
                    .collect();
                run.sort_unstable_by(|a, b| self.compare(rows, sort, *a, *b));
                for (slot, index) in ranked[start..end].iter_mut().zip(run) {
                    slot.index = index as u32;
                }
            }
            start = end;
        }
        ranked.into_iter().map(|r| r.index as usize).collect()
    }
}
