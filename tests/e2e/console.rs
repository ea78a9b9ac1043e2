//! Using the console on the demo account: the Users list, moving, filtering, a detail and
//! back, switching resources with `:`, and the help overlay.

use crate::screen::{USERS_LOADED, lines, selected_row, table_rows};
use crate::support::{Key, Pty};

fn demo_with_users() -> Pty {
    let pty = Pty::demo();
    pty.wait_for(USERS_LOADED);
    pty
}

fn is_selected(screen: &vt100::Screen, user: &str) -> bool {
    selected_row(screen).is_some_and(|row| row.contains(user))
}

/// The table rows that are users (the first table row is the column header).
fn user_rows(screen: &vt100::Screen) -> Vec<String> {
    table_rows(screen)
        .into_iter()
        .filter(|row| row.contains('@'))
        .collect()
}

#[test]
fn starts_on_the_users_list_of_the_demo_account() {
    let screen = Pty::demo().wait_for(USERS_LOADED);
    let lines = lines(&screen);
    assert!(
        lines[0].starts_with(" dbx-console  demo  account "),
        "{lines:#?}"
    );
    assert_eq!(lines[1].trim(), "Users", "the breadcrumb: {lines:#?}");
    let rows = table_rows(&screen);
    assert!(rows[0].starts_with("USER NAME"), "{rows:#?}");
    assert!(
        rows.iter()
            .any(|row| row.starts_with("ana.silva@northwind.example")
                && row.contains("Ana Silva")
                && row.ends_with("yes")),
        "a seeded user with display name and status: {rows:#?}"
    );
    assert!(
        is_selected(&screen, "aarav.desai@northwind.example"),
        "the first user (by user name) is selected: {:?}",
        selected_row(&screen)
    );
    let footer = lines.last().cloned().unwrap_or_default();
    for hint in ["enter open", "/ filter", "q quit"] {
        assert!(footer.contains(hint), "footer hint {hint:?}: {footer:?}");
    }
}

#[test]
fn j_and_k_move_the_selection_and_g_jumps_to_the_ends() {
    let mut pty = demo_with_users();
    pty.send("j");
    pty.wait_until("the second user selected", |s| {
        is_selected(s, "aarav.gupta@northwind.example")
    });
    pty.send("j");
    pty.wait_until("the third user selected", |s| {
        is_selected(s, "aarav.joshi@northwind.example")
    });
    pty.send("k");
    pty.wait_until("the second user selected again", |s| {
        is_selected(s, "aarav.gupta@northwind.example")
    });

    pty.send("G");
    let screen = pty.wait_until("the last user selected", |s| {
        is_selected(s, "zoe.muller@northwind.example")
    });
    let rows = user_rows(&screen);
    assert_eq!(
        rows.last().map(String::as_str).unwrap_or_default(),
        selected_row(&screen)
            .unwrap_or_default()
            .trim_matches(['│', ' ']),
        "the last user is the last row drawn"
    );
    assert!(
        !rows.iter().any(|row| row.contains("aarav.")),
        "the first page scrolled away: {rows:#?}"
    );

    pty.send("g");
    pty.wait_until("back on the first user", |s| {
        is_selected(s, "aarav.desai@northwind.example")
    });
}

#[test]
fn filtering_narrows_the_list_and_a_detail_opens_and_closes() {
    let mut pty = demo_with_users();
    pty.send("/");
    pty.wait_for(" /▏");
    pty.send("zoe");
    let screen = pty.wait_until("only Zoë left, counted as 1 of 200", |s| {
        let rows = user_rows(s);
        s.contents().contains("Users 1 of 200 /zoe")
            && rows.len() == 1
            && rows[0].starts_with("zoe.muller@northwind.example")
    });
    assert!(
        lines(&screen)[22].starts_with(" /zoe▏"),
        "the filter is being typed on the status line: {:?}",
        lines(&screen)[22]
    );

    pty.send("q");
    pty.wait_for("Nothing matches 'zoeq'. Esc clears the filter.");
    pty.send_key(Key::Backspace);
    pty.wait_until("Zoë back after Backspace", |s| {
        s.contents().contains("Users 1 of 200 /zoe ") && user_rows(s).len() == 1
    });

    pty.send_key(Key::Enter);
    let screen = pty.wait_until("the filter line closed, the filter kept", |s| {
        !s.contents().contains('▏') && s.contents().contains("Users 1 of 200 /zoe")
    });
    assert_eq!(user_rows(&screen).len(), 1, "{:#?}", table_rows(&screen));
    assert!(is_selected(&screen, "zoe.muller@northwind.example"));

    pty.send_key(Key::Enter);
    let screen = pty.wait_until("Zoë's detail", |s| {
        let text = s.contents();
        text.contains("User name             zoe.muller@northwind.example")
            && text.contains("Display name          Zoë Müller")
    });
    assert_eq!(
        lines(&screen)[1].trim(),
        "Users › zoe.muller@northwind.example",
        "the breadcrumb names the open user"
    );
    assert!(
        !screen.contents().contains("USER NAME"),
        "the list is no longer shown"
    );

    pty.send_key(Key::Esc);
    let screen = pty.wait_until("the list again, breadcrumb just Users", |s| {
        lines(s)[1].trim() == "Users" && s.contents().contains("USER NAME")
    });
    assert!(
        screen.contents().contains("Users 1 of 200 /zoe"),
        "Esc from a detail keeps the list's filter: {}",
        screen.contents()
    );
    assert!(is_selected(&screen, "zoe.muller@northwind.example"));
}

#[test]
fn colon_sp_goes_to_service_principals() {
    let mut pty = demo_with_users();
    pty.send(":sp");
    pty.wait_for(" :sp");
    pty.send_key(Key::Enter);
    let screen = pty.wait_until("the service principals list", |s| {
        s.contents().contains("Service principals 15 ")
            && table_rows(s)
                .iter()
                .any(|row| row.starts_with("ci-deployer"))
    });
    let lines = lines(&screen);
    assert_eq!(lines[1].trim(), "Service principals", "{lines:#?}");
    assert!(
        table_rows(&screen)[0].starts_with("DISPLAY NAME"),
        "{lines:#?}"
    );
}

#[test]
fn tab_completes_a_resource_name_and_enter_goes_there() {
    let mut pty = demo_with_users();
    pty.send(":gr");
    // The completion is spelled out beside the cursor, not merged into the typed text.
    pty.wait_for(" :gr▏  → groups (Tab)");

    pty.send_key(Key::Tab);
    pty.wait_until("'groups' typed by Tab", |s| {
        let text = s.contents();
        text.contains(" :groups▏") && !text.contains("→ groups")
    });

    pty.send_key(Key::Enter);
    let screen = pty.wait_until("the groups list", |s| {
        s.contents().contains("Groups 25 ")
            && table_rows(s)
                .iter()
                .any(|row| row.starts_with("account-admins"))
    });
    assert_eq!(lines(&screen)[1].trim(), "Groups");
}

#[test]
fn an_unknown_resource_names_the_valid_ones() {
    let mut pty = demo_with_users();
    pty.send(":nope");
    pty.wait_for(" :nope▏");
    pty.send_key(Key::Enter);
    pty.wait_for("Unknown resource 'nope': try ws, users, groups, sp, secrets, apps,");
    let screen = pty.wait_for_stable(std::time::Duration::from_millis(300));
    let lines = lines(&screen);
    assert_eq!(
        lines[1].trim(),
        "Users",
        "still on the Users list: {lines:#?}"
    );
    assert!(screen.contents().contains(USERS_LOADED));
}

#[test]
fn question_mark_shows_the_keys_and_any_key_closes_them() {
    let mut pty = demo_with_users();
    pty.send("?");
    let screen = pty.wait_for(" Keys ");
    let text = screen.contents();
    // The overlay's rows: keys padded to a column, then what they do (the footer has
    // "/ filter" and "q quit" too, so the padding is what proves these are the overlay's).
    for (keys, what) in [("/", "filter"), ("q, ctrl+c", "quit"), ("j, down", "down")] {
        let row = format!(" {keys:<17} {what}");
        assert!(text.contains(&row), "help row {row:?} in:\n{text}");
    }
    assert!(text.contains("any key closes this help"), "{text}");

    pty.send("x");
    let screen = pty.wait_for_absent(" Keys ");
    assert!(
        !screen.contents().contains("any key closes this help"),
        "{}",
        screen.contents()
    );
    assert!(
        is_selected(&screen, "aarav.desai@northwind.example"),
        "the list is back as it was"
    );
}
