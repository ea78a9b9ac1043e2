//! The console as a terminal program: it quits cleanly and gives the terminal back, fills a
//! large window, and honours `NO_COLOR`.

use crate::screen::{USERS_LOADED, lines, selected_row, table_rows};
use crate::support::{Key, LARGE, Pty, STANDARD};

/// The demo account's id, from the seed the fake account is built from.
fn demo_account_id() -> String {
    let seed: serde_json::Value =
        serde_json::from_str(include_str!("../../assets/demo-seed.json")).expect("the seed");
    seed["account_id"]
        .as_str()
        .expect("an account id")
        .to_owned()
}

fn assert_terminal_restored(screen: &vt100::Screen) {
    assert!(
        !screen.alternate_screen(),
        "the console left the alternate screen:\n{}",
        screen.contents()
    );
    assert!(!screen.hide_cursor(), "the cursor is visible again");
}

#[test]
fn q_quits_with_success_and_restores_the_terminal() {
    let mut pty = Pty::demo();
    let screen = pty.wait_for(USERS_LOADED);
    assert!(
        screen.alternate_screen(),
        "the console draws on the alternate screen"
    );
    assert!(screen.hide_cursor(), "no stray cursor over the list");

    pty.send("q");
    let status = pty.wait_for_exit();
    assert!(status.success(), "{status:?}");
    assert_eq!(status.exit_code(), 0);
    let screen = pty.screen();
    assert_terminal_restored(&screen);
    assert!(
        !screen.contents().contains(USERS_LOADED),
        "the console's frame is gone with the alternate screen:\n{}",
        screen.contents()
    );
}

#[test]
fn ctrl_c_quits_from_a_detail_too() {
    let mut pty = Pty::demo();
    pty.wait_for(USERS_LOADED);
    pty.send_key(Key::Enter);
    pty.wait_for("User name             aarav.desai@northwind.example");
    pty.send_key(Key::Ctrl('c'));
    let status = pty.wait_for_exit();
    assert!(status.success(), "{status:?}");
    assert_terminal_restored(&pty.screen());
}

#[test]
fn a_large_terminal_shows_the_account_and_host_in_full() {
    let pty = Pty::spawn(&["--demo"], LARGE, &[]);
    let screen = pty.wait_for(USERS_LOADED);
    let header = lines(&screen)[0].clone();
    let account_id = demo_account_id();
    assert!(
        header.contains(&format!(" account {account_id} ")),
        "{header:?}"
    );
    assert!(
        header.contains("  as ana.silva@northwind.example  "),
        "{header:?}"
    );
    // The host comes last on the left; the token countdown sits at the right edge.
    let host = header
        .split("  ")
        .map(str::trim)
        .find(|part| part.starts_with("http://"))
        .unwrap_or_default()
        .to_owned();
    assert!(
        header.trim_end().ends_with("token 59m") || header.trim_end().ends_with("token 1h00m"),
        "{header:?}"
    );
    let port = host
        .strip_prefix("http://127.0.0.1:")
        .unwrap_or_else(|| panic!("the fake account's host at the end: {header:?}"));
    assert!(port.parse::<u16>().is_ok_and(|p| p > 0), "{header:?}");

    // 48 rows leave 41 table rows: the first 41 users by name, where 80x24 shows 17.
    let users: Vec<String> = table_rows(&screen)
        .into_iter()
        .filter(|row| row.contains('@'))
        .collect();
    assert_eq!(users.len(), 41, "{users:#?}");
    assert!(
        users[40].starts_with("chloe.lewis@northwind.example"),
        "{users:#?}"
    );
    let footer = &lines(&screen)[47];
    assert!(
        footer.contains("q quit"),
        "the footer on the last row: {footer:?}"
    );
}

#[test]
fn the_header_is_coloured_by_default() {
    let pty = Pty::spawn(&["--demo"], STANDARD, &[]);
    let screen = pty.wait_for(USERS_LOADED);
    let title = screen.cell(0, 1).expect("the header's first letter");
    assert_eq!(title.contents(), "d");
    assert_ne!(title.fgcolor(), vt100::Color::Default);
    let selected = screen.cell(4, 1).expect("the selected row");
    assert_ne!(selected.bgcolor(), vt100::Color::Default);
}

#[test]
fn no_color_draws_without_colours_and_still_works() {
    let mut pty = Pty::spawn(&["--demo"], STANDARD, &[("NO_COLOR", "1")]);
    let screen = pty.wait_for(USERS_LOADED);
    let title = screen.cell(0, 1).expect("the header's first letter");
    assert_eq!(title.contents(), "d");
    assert_eq!(title.fgcolor(), vt100::Color::Default);
    assert!(title.bold(), "the header stands out by weight instead");
    let (rows, cols) = screen.size();
    for row in 0..rows.get() {
        for col in 0..cols.get() {
            let cell = screen.cell(row, col).expect("a cell on screen");
            assert_eq!(
                (cell.fgcolor(), cell.bgcolor()),
                (vt100::Color::Default, vt100::Color::Default),
                "cell {row},{col} {:?} is coloured",
                cell.contents()
            );
        }
    }
    assert!(
        selected_row(&screen).is_some_and(|row| row.contains("aarav.desai@northwind.example")),
        "the selection is shown in reverse video: {:?}",
        selected_row(&screen)
    );

    pty.send("j");
    pty.wait_until("the selection moved", |s| {
        selected_row(s).is_some_and(|row| row.contains("aarav.gupta@northwind.example"))
    });
    pty.send("q");
    assert!(pty.wait_for_exit().success());
}
