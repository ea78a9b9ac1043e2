//! Reading a `vt100` screen the way a user reads the console: its lines, the table's rows,
//! and which row is highlighted.

/// The Users pane's title once all 200 seeded users are in (while pages stream in it reads
/// "100 of 200").
pub const USERS_LOADED: &str = "Users 200 ";

/// The screen's lines, for assertions about one region.
pub fn lines(screen: &vt100::Screen) -> Vec<String> {
    let (_, cols) = screen.size();
    screen.rows(0, cols.get()).collect()
}

/// The text of the highlighted table row: colour (background) or, without colour, reverse
/// video in the first cell inside the list's border.
pub fn selected_row(screen: &vt100::Screen) -> Option<String> {
    let (rows, _) = screen.size();
    let lines = lines(screen);
    (3..rows.get()).find_map(|row| {
        let cell = screen.cell(row, 1)?;
        (cell.bgcolor() != vt100::Color::Default || cell.inverse())
            .then(|| lines[usize::from(row)].clone())
    })
}

/// The rows of the list pane's table (between its borders), trimmed.
pub fn table_rows(screen: &vt100::Screen) -> Vec<String> {
    lines(screen)
        .iter()
        .skip(3)
        .filter_map(|line| line.strip_prefix('│'))
        .map(|line| line.trim_end_matches([' ', '│']).trim().to_owned())
        .collect()
}

/// The words of the table row that starts with `first` (cells split on spaces), if shown.
pub fn row_words(screen: &vt100::Screen, first: &str) -> Option<Vec<String>> {
    table_rows(screen)
        .into_iter()
        .find(|row| row.starts_with(first))
        .map(|row| row.split_whitespace().map(str::to_owned).collect())
}

/// Fails unless every one of `expected` is on the screen.
pub fn assert_shows(screen: &vt100::Screen, expected: &[&str]) {
    let text = screen.contents();
    for line in expected {
        assert!(text.contains(line), "{line:?} in:\n{text}");
    }
}

/// The second line: where the user is, as breadcrumbs.
/// The route trail, without the badges the same line carries at its right end (expiring
/// secrets, audit counts), which arrive whenever their background reads finish.
pub fn breadcrumbs(screen: &vt100::Screen) -> String {
    let line = &lines(screen)[1];
    line.split("   ")
        .next()
        .unwrap_or_default()
        .trim()
        .to_owned()
}
