//! Steps an admin takes on the way to a change: going to a list, opening one object by
//! filtering for it, putting the cursor on a line of a detail, typing into a form field.

use crate::screen::{lines, selected_row};
use crate::support::{Key, Pty};

/// `:command` Enter, then waits for `loaded` (text only the loaded list shows).
pub fn go_to(pty: &mut Pty, command: &str, loaded: &str) {
    pty.send(&format!(":{command}"));
    pty.wait_for(&format!(" :{command}▏"));
    pty.send_key(Key::Enter);
    pty.wait_for(loaded);
}

/// Filters the list on screen for `filter`, waits for `row` to be the selected row, and
/// opens it; returns once `detail` (text of the loaded detail) is on screen.
pub fn open(pty: &mut Pty, filter: &str, row: &str, detail: &str) -> vt100::Screen {
    pty.send("/");
    pty.wait_for(" /▏");
    pty.send(filter);
    pty.wait_until(&format!("{row:?} selected after filtering"), |s| {
        selected_row(s).is_some_and(|r| r.contains(row))
    });
    pty.send_key(Key::Enter);
    pty.wait_until("the filter line closed", |s| !s.contents().contains('▏'));
    pty.send_key(Key::Enter);
    pty.wait_for(detail)
}

/// Moves the cursor of the detail on screen down (`j`) until the selected line contains
/// `needle`; fails if the cursor reaches the end first.
pub fn select_line(pty: &mut Pty, needle: &str) -> vt100::Screen {
    for _ in 0..200 {
        let screen = pty.screen();
        let current = selected_row(&screen).unwrap_or_default();
        if current.contains(needle) {
            return screen;
        }
        pty.send("j");
        pty.wait_until("the cursor to move", |s| {
            selected_row(s).unwrap_or_default() != current
        });
    }
    panic!(
        "no line with {needle:?} under the cursor:\n{}",
        pty.screen_text()
    );
}

/// The line of the screen that contains `needle`, trimmed of borders.
pub fn line_with(screen: &vt100::Screen, needle: &str) -> Option<String> {
    lines(screen)
        .into_iter()
        .find(|line| line.contains(needle))
        .map(|line| line.trim_matches(['│', ' ']).to_owned())
}

/// Presses `key` `times` times.
pub fn press(pty: &mut Pty, key: Key, times: usize) {
    for _ in 0..times {
        pty.send_key(key);
    }
}

/// Erases a focused text field of `length` characters (the cursor starts at its end).
pub fn erase(pty: &mut Pty, length: usize) {
    press(pty, Key::Backspace, length);
}

/// Adds `text` to the focused list field, its cursor on the "+ add" row: Enter opens a new
/// item, Enter again keeps it.
pub fn add_item(pty: &mut Pty, text: &str) {
    pty.send_key(Key::Enter);
    pty.send(text);
    pty.wait_for(&format!("{text}▏"));
    pty.send_key(Key::Enter);
}

/// The one-time reveal on screen: reads the secret, says it was stored (Enter, then `y`),
/// and forbids it from the screen from then on. Returns the secret.
pub fn take_secret(pty: &mut Pty) -> String {
    let reveal = pty.wait_for("This secret is shown once.");
    let secret = word_starting(&reveal, "dose")
        .unwrap_or_else(|| panic!("the secret in the reveal:\n{}", reveal.contents()));
    assert!(reveal.contents().contains("Enter when you have stored it"));
    pty.send_key(Key::Enter);
    let asking = pty.wait_for("Have you stored it?");
    assert!(
        asking.contents().contains(&secret),
        "still shown while asking"
    );
    pty.send("y");
    let closed = pty.wait_for("The secret is gone from the console; it cannot be shown again");
    assert!(!closed.contents().contains(&secret));
    pty.forbid(&secret);
    secret
}

/// The first word on screen that starts with `prefix` and is longer than it: a secret the
/// fake issued (`dose…`).
pub fn word_starting(screen: &vt100::Screen, prefix: &str) -> Option<String> {
    screen
        .contents()
        .split(|c: char| c.is_whitespace() || c == '│')
        .find(|word| word.starts_with(prefix) && word.len() > prefix.len() + 8)
        .map(str::to_owned)
}

/// The text inside the edit overlay whose title starts with `title`, one string per row,
/// without the pane behind it.
pub fn overlay(screen: &vt100::Screen, title: &str) -> Vec<String> {
    let (rows, cols) = screen.size();
    let (rows, cols) = (rows.get(), cols.get());
    let text = |row: u16, from: u16, to: u16| -> String {
        (from..to)
            .map(|col| {
                screen
                    .cell(row, col)
                    .map(|cell| cell.contents().to_owned())
                    .filter(|c| !c.is_empty())
                    .unwrap_or_else(|| " ".into())
            })
            .collect()
    };
    let corner = (0..rows).find_map(|row| {
        (0..cols)
            .find(|&col| {
                let end = (col + 2 + title.chars().count() as u16).min(cols);
                screen.cell(row, col).is_some_and(|c| c.contents() == "┌")
                    && text(row, col + 1, end) == format!(" {title}")
            })
            .map(|col| (row, col))
    });
    let Some((top, left)) = corner else {
        panic!("no overlay titled {title:?}:\n{}", screen.contents());
    };
    let right = (left + 1..cols)
        .find(|&col| screen.cell(top, col).is_some_and(|c| c.contents() == "┐"))
        .unwrap_or(cols);
    let bottom = (top + 1..rows)
        .find(|&row| screen.cell(row, left).is_some_and(|c| c.contents() == "└"))
        .unwrap_or(rows);
    (top + 1..bottom)
        .map(|row| text(row, left + 1, right).trim_end().to_owned())
        .collect()
}

/// Whether the overlay titled `title` says `expected`, however its lines wrapped: the
/// request target is longer than the overlay is wide.
pub fn overlay_says(screen: &vt100::Screen, title: &str, expected: &str) -> bool {
    let compact = |text: &str| -> String { text.chars().filter(|c| !c.is_whitespace()).collect() };
    compact(&overlay(screen, title).concat()).contains(&compact(expected))
}
