//! The fast paths of a list (kept sort keys, merged pages, narrowed filters, selection by
//! index) against the slow and obvious definitions.

use super::*;

const CELLS: [&str; 26] = [
    "Zoë",
    "zoe",
    "ZOE",
    "42",
    " 7 ",
    "-3",
    "x",
    "",
    "Émile",
    "émile",
    "ǅemal",
    "ΟΔΟΣ",
    "οδος",
    "yes",
    "no",
    "7",
    "Alexander.Johnson@x",
    "alexander.johnston@x",
    "ALEXANDER.JOHNSO",
    "ALEXANDER.JOHNSON@X",
    "Émile Zola-Dupont-Long",
    "ÉMILE ZOLA-DUPONT-LONGER",
    "alexander.johnso",
    "ab\u{0}",
    "ab",
    "-9223372036854775808",
];

fn row(index: usize, cells: &[&str]) -> Row {
    Row {
        id: format!("id-{index}"),
        cells: cells.iter().map(|c| (*c).to_owned()).collect(),
    }
}

/// Rows whose two columns mix every kind of cell, in a scrambled order.
fn rows(count: usize) -> Vec<Row> {
    (0..count)
        .map(|i| {
            row(
                i,
                &[
                    CELLS[(i * 7) % CELLS.len()],
                    CELLS[(i * 11 + 3) % CELLS.len()],
                ],
            )
        })
        .collect()
}

/// What the list must show: every row sorted by `compare_cells` with ties by index, then
/// filtered, computed the slow and obvious way.
fn expected(list: &ListState) -> Vec<usize> {
    let mut order: Vec<usize> = (0..list.rows.len()).collect();
    if let Some(sort) = list.sort {
        order.sort_by(|a, b| {
            let cell = |index: usize| list.rows[index].cells[sort.column].as_str();
            let order = compare_cells(cell(*a), cell(*b));
            let order = if sort.descending {
                order.reverse()
            } else {
                order
            };
            order.then(a.cmp(b))
        });
    }
    let needle = list.local_filter().to_lowercase();
    order
        .into_iter()
        .filter(|i| {
            let haystack = list.rows[*i].cells.join(" ").to_lowercase();
            haystack.contains(&needle)
        })
        .collect()
}

#[test]
fn a_sort_orders_cells_as_compare_cells_does() {
    // Every cell twice, so equal cells must keep the server's order.
    let cells = CELLS.iter().chain(CELLS.iter().rev());
    let rows: Vec<Row> = cells.enumerate().map(|(i, c)| row(i, &[c])).collect();
    for descending in [false, true] {
        let mut list = ListState::new(Some(Sort {
            column: 0,
            descending,
        }));
        list.push_rows(rows.clone());
        let mut expected: Vec<usize> = (0..rows.len()).collect();
        expected.sort_by(|a, b| {
            let order = compare_cells(&rows[*a].cells[0], &rows[*b].cells[0]);
            let order = if descending { order.reverse() } else { order };
            order.then(a.cmp(b))
        });
        assert_eq!(list.order, expected, "descending: {descending}");
    }
}

#[test]
fn pages_merged_in_and_filters_narrowed_show_what_a_full_rebuild_shows() {
    for sort in [
        None,
        Some(Sort {
            column: 0,
            descending: false,
        }),
        Some(Sort {
            column: 1,
            descending: true,
        }),
    ] {
        let mut list = ListState::new(sort);
        let all = rows(300);
        for (page, chunk) in all.chunks(37).enumerate() {
            if page == 3 {
                list.filter = "o".into();
                list.apply_filter();
            }
            list.push_rows(chunk.to_vec());
            assert_eq!(list.visible, expected(&list), "{sort:?} page {page}");
        }
        for filter in [
            "oe", "zoe", "zo", "", "émile", "ém", "=x", "οδ", "e\nz", "ab\u{0}",
        ] {
            list.filter = filter.into();
            list.apply_filter();
            assert_eq!(list.visible, expected(&list), "{sort:?} filter {filter:?}");
        }
        list.set_sort(Some(Sort {
            column: 1,
            descending: false,
        }));
        assert_eq!(list.visible, expected(&list), "{sort:?} then resorted");
        // Enrichment rewrites some rows in place.
        let updated: Vec<Row> = (0..300)
            .step_by(3)
            .map(|i| {
                row(
                    i,
                    &[CELLS[i % CELLS.len()], "ZZ long enough to pass sixteen"],
                )
            })
            .collect();
        list.replace_rows(updated);
        assert_eq!(
            list.visible,
            expected(&list),
            "{sort:?} after replacing rows"
        );
        list.clear_rows();
        list.push_rows(rows(40));
        assert_eq!(list.visible, expected(&list), "{sort:?} after a reload");
    }
}

#[test]
fn the_selected_row_stays_selected_through_pages_filters_and_sorts() {
    let mut list = ListState::new(None);
    list.push_rows(rows(100));
    list.selected = 40;
    list.is_cursor_moved = true;
    let id = list.selected_row().map(|row| row.id.clone());
    list.push_rows(rows(200).split_off(100));
    list.set_sort(Some(Sort {
        column: 0,
        descending: true,
    }));
    let needle = list.selected_row().map(|row| row.cells[0].to_lowercase());
    list.filter = needle.unwrap_or_default();
    list.apply_filter();
    assert_eq!(list.selected_row().map(|row| row.id.clone()), id);
    list.filter = "no such row".into();
    list.apply_filter();
    assert_eq!(list.selected, 0, "nothing visible: the top");
}

#[test]
fn rows_changed_behind_the_lists_back_are_indexed_again() {
    let mut list = ListState::new(None);
    list.push_rows(rows(10));
    list.rows.push(row(10, &["aaa first", "x"]));
    // A sort puts every row in order again, the new one included, then the filter finds it.
    list.set_sort(Some(Sort {
        column: 0,
        descending: false,
    }));
    assert_eq!(list.visible, expected(&list));
    list.filter = "first".into();
    list.apply_filter();
    assert_eq!(list.visible, vec![10]);
}

#[test]
fn a_long_list_sorts_as_compare_cells_does_both_ways() {
    for descending in [false, true] {
        let mut list = ListState::new(None);
        list.push_rows(rows(25_000));
        list.set_sort(Some(Sort {
            column: 1,
            descending,
        }));
        assert_eq!(list.visible, expected(&list), "descending: {descending}");
    }
}

#[test]
fn merging_in_place_keeps_everything_in_order() {
    let cases: [(&[u32], &[u32]); 5] = [
        (&[2, 4, 6], &[1, 3, 7]),
        (&[2, 4, 6], &[0, 1]),
        (&[2, 4, 6], &[5]),
        (&[], &[1, 2]),
        (&[10, 20, 30, 40], &[11, 12, 35, 50]),
    ];
    for (existing, new) in cases {
        let mut merged = existing.to_vec();
        sort::merge(&mut merged, new, |a, b| a.cmp(&b));
        let mut expected = [existing, new].concat();
        expected.sort_unstable();
        assert_eq!(merged, expected, "{existing:?} + {new:?}");
    }
}
