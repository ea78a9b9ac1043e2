//! Sorting 100k rows within a frame. Every cell's sort key is computed once, when its row
//! arrives, packed so that comparing two is comparing integers (not parsing and lower-casing
//! cells behind two pointers), and every column's order is kept as rows arrive, so a sort
//! change only copies or reverses one. Orders exactly as `compare_cells`.

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

/// Every cell's key, column by column, and every column's ascending order, kept in step
/// with the list's rows as they arrive: a sort change then copies or reverses an order
/// instead of sorting 100k rows while the user waits for the frame.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct SortKeys {
    columns: Vec<Vec<Key>>,
    /// Per column, every row index ascending by that column (ties by index).
    ascending: Vec<Vec<u32>>,
    rows: usize,
}

/// Merges `new` (in order) into `order` (in order) in place, finding each place by binary
/// search: a page costs its own size in comparisons and one move of the rows after it, and
/// no new allocation (the vector grows as vectors do).
pub(super) fn merge<T: Copy>(order: &mut Vec<T>, new: &[T], compare: impl Fn(T, T) -> Ordering) {
    let Some(first) = new.first() else {
        return;
    };
    // Unsorted lists (and pages that sort after everything) only append.
    if order
        .last()
        .is_none_or(|last| compare(*last, *first).is_lt())
    {
        order.extend_from_slice(new);
        return;
    }
    let mut places = Vec::with_capacity(new.len());
    let mut start = 0;
    for item in new {
        start += order[start..].partition_point(|old| compare(*old, *item).is_lt());
        places.push(start);
    }
    // From the back: each run of old items moves up by the new items that go before it.
    let mut read = order.len();
    order.resize(order.len() + new.len(), *first);
    let mut write = order.len();
    for (item, place) in new.iter().zip(places).rev() {
        let count = read - place;
        order.copy_within(place..read, write - count);
        write -= count + 1;
        order[write] = *item;
        read = place;
    }
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
            // Equal (empty) keys: index order.
            self.ascending.push((0..self.rows as u32).collect());
        }
    }

    /// Takes in `rows[first..]`, which just arrived.
    pub(super) fn extend(&mut self, rows: &[Row], first: usize) {
        let new = &rows[first..];
        self.widen(new.iter().map(|row| row.cells.len()).max().unwrap_or(0));
        for row in new {
            for (column, keys) in self.columns.iter_mut().enumerate() {
                keys.push(Key::of(cell(row, column)));
            }
        }
        self.rows = rows.len();
        for column in 0..self.columns.len() {
            let sort = Sort {
                column,
                descending: false,
            };
            let arrived: Vec<u32> = self
                .sorted(rows, sort, (first..rows.len()).collect())
                .into_iter()
                .map(|index| index as u32)
                .collect();
            let mut order = std::mem::take(&mut self.ascending[column]);
            merge(&mut order, &arrived, |a, b| {
                self.compare(rows, sort, a as usize, b as usize)
            });
            self.ascending[column] = order;
        }
    }

    /// Row `index` becomes `row` (enrichment rewrites rows in place): it leaves every order
    /// under its old cells and joins it again under its new ones.
    pub(super) fn replace(&mut self, rows: &mut [Row], index: usize, row: Row) {
        self.widen(row.cells.len());
        let ascending = |column| Sort {
            column,
            descending: false,
        };
        for column in 0..self.columns.len() {
            let order = &self.ascending[column];
            let at = order.partition_point(|old| {
                self.compare(rows, ascending(column), *old as usize, index)
                    .is_lt()
            });
            let at = if order.get(at) == Some(&(index as u32)) {
                at
            } else {
                // Not where its cells say: rows changed some other way. Find it anyway.
                order
                    .iter()
                    .position(|old| *old == index as u32)
                    .unwrap_or(at)
            };
            if at < order.len() {
                self.ascending[column].remove(at);
            }
        }
        rows[index] = row;
        for column in 0..self.columns.len() {
            self.columns[column][index] = Key::of(cell(&rows[index], column));
            let at = self.ascending[column].partition_point(|old| {
                self.compare(rows, ascending(column), *old as usize, index)
                    .is_lt()
            });
            self.ascending[column].insert(at, index as u32);
        }
    }

    pub(super) fn rebuild(&mut self, rows: &[Row]) {
        self.columns.clear();
        self.ascending.clear();
        self.rows = 0;
        self.extend(rows, 0);
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

    /// Every row in display order under `sort`, from the column's kept order.
    pub(super) fn order(&self, rows: &[Row], sort: Sort) -> Vec<usize> {
        let Some(ascending) = self.ascending.get(sort.column) else {
            // A column no row has: all empty, so the server's order.
            return (0..self.rows).collect();
        };
        if !sort.descending {
            return ascending.iter().map(|index| *index as usize).collect();
        }
        // Reversed, except that rows with equal cells keep the server's order.
        let mut order: Vec<usize> = ascending
            .iter()
            .rev()
            .map(|index| *index as usize)
            .collect();
        let keys = &self.columns[sort.column];
        let mut start = 0;
        while start < order.len() {
            // Each key is read once, against the run's first (the reads are scattered).
            let first = keys[order[start]];
            let mut end = start + 1;
            while end < order.len()
                && keys[order[end]] == first
                && (first.len != LONG
                    || compare_text(
                        cell(&rows[order[start]], sort.column),
                        cell(&rows[order[end]], sort.column),
                    )
                    .is_eq())
            {
                end += 1;
            }
            order[start..end].reverse();
            start = end;
        }
        order
    }

    /// `indices` in display order under `sort` (a page that just arrived).
    pub(super) fn sorted(&self, rows: &[Row], sort: Sort, indices: Vec<usize>) -> Vec<usize> {
        let mut ranked: Vec<Ranked> = indices
            .into_iter()
            .map(|index| Ranked {
                key: self.key(sort.column, index, sort.descending),
                index: index as u32,
            })
            .collect();
        // Unstable is fine: the index breaks every tie.
        ranked.sort_unstable_by_key(Ranked::tuple);
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
