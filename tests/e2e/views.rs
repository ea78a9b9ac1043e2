//! Ways of looking at the demo account through the real binary: the principal tree and the
//! objects it opens, raw JSON, sorting, a server-side SCIM filter, the help with the new
//! keys, and a large terminal.

use crate::screen::{USERS_LOADED, breadcrumbs, lines, row_words, selected_row, table_rows};
use crate::support::{Key, LARGE, Pty};

/// The group named on the highlighted line of a tree, if it is a group node.
fn selected_group(screen: &vt100::Screen) -> Option<String> {
    let line = selected_row(screen)?;
    let (_, rest) = line.split_once("group ")?;
    rest.split_whitespace().next().map(str::to_owned)
}

#[test]
fn enter_on_a_group_in_a_user_s_tree_opens_it_and_esc_returns_to_the_tree() {
    let mut pty = Pty::demo_with_users();
    pty.filter("ana.silva", "Users 1 of 200 /ana.silva");
    pty.send("t");
    pty.wait_for("ana.silva@northwind.example  user · account admin");
    // The root, the "Groups" heading, then the first group.
    pty.send("jj");
    let screen = pty.wait_until("a group line selected", |s| selected_group(s).is_some());
    let group = selected_group(&screen).unwrap_or_default();
    assert!(
        lines(&screen)
            .iter()
            .any(|l| l.starts_with("│› │  ├─ group ")),
        "the selected line shows it opens something: {}",
        screen.contents()
    );

    pty.send_key(Key::Enter);
    let screen = pty.wait_for(&format!("Display name          {group}"));
    assert_eq!(
        breadcrumbs(&screen),
        format!("Users › ana.silva@northwind.example › {group}")
    );
    assert!(
        screen.contents().contains("Members ("),
        "{}",
        screen.contents()
    );

    pty.send_key(Key::Esc);
    let screen = pty.wait_for("ana.silva@northwind.example · tree");
    assert_eq!(breadcrumbs(&screen), "Users › ana.silva@northwind.example");
    assert_eq!(
        selected_group(&screen).as_deref(),
        Some(group.as_str()),
        "back on the same line of the tree"
    );
}

#[test]
fn y_shows_a_user_as_raw_json_and_again_goes_back_to_the_fields() {
    let mut pty = Pty::demo_with_users();
    pty.send("y");
    let screen = pty.wait_for(r#""userName": "aarav.desai@northwind.example""#);
    assert!(
        screen
            .contents()
            .contains("aarav.desai@northwind.example · raw JSON"),
        "{}",
        screen.contents()
    );
    assert_eq!(lines(&screen)[3].trim_matches(['│', ' ']), "{");
    pty.send("y");
    pty.wait_for("User name             aarav.desai@northwind.example");
}

#[test]
fn s_sorts_the_workspaces_and_capital_s_reverses() {
    let mut pty = Pty::demo_with_users();
    pty.go_to("ws");
    pty.wait_for("Workspaces 6 ");
    let first = |s: &vt100::Screen| {
        table_rows(s)
            .get(1)
            .and_then(|row| row.split_whitespace().next().map(str::to_owned))
            .unwrap_or_default()
    };
    assert_eq!(first(&pty.screen()), "analytics-prod", "the server's order");
    pty.send("s");
    let screen = pty.wait_for("Sorted by name (ascending)");
    assert!(table_rows(&screen)[0].starts_with("NAME ▲"));
    assert_eq!(first(&screen), "analytics-dev");
    pty.send("S");
    let screen = pty.wait_for("Sorted by name (descending)");
    assert!(table_rows(&screen)[0].starts_with("NAME ▼"));
    assert_eq!(first(&screen), "research-sandbox");
}

#[test]
fn slash_equals_filters_the_users_on_the_server_and_esc_clears_it() {
    let mut pty = Pty::demo_with_users();
    pty.send("/=kenji");
    pty.wait_for(" /=kenji▏");
    pty.send_key(Key::Enter);
    // The title says so at once; the rows follow when the server answers.
    let screen = pty.wait_until("the server's answer", |s| {
        s.contents()
            .contains(r#"/=kenji server filter: userName sw "kenji""#)
            && row_words(s, "kenji.watanabe@").is_some()
    });
    let users: Vec<String> = table_rows(&screen)
        .into_iter()
        .skip(1)
        .filter(|row| !row.is_empty())
        .collect();
    assert_eq!(users.len(), 1, "only Kenji Watanabe: {users:#?}");

    pty.send_key(Key::Esc);
    let screen = pty.wait_for(USERS_LOADED);
    assert!(!screen.contents().contains("server filter"));
}

#[test]
fn help_lists_the_new_keys() {
    let mut pty = Pty::demo_with_users();
    pty.send("?");
    let screen = pty.wait_for(" Keys ");
    let text = screen.contents();
    for (keys, what) in [
        ("y", "raw JSON"),
        ("t", "principal tree"),
        ("s", "sort next column"),
        ("S", "reverse the sort"),
        ("m", "count members"),
        ("R", "rotate a secret"),
    ] {
        let row = format!(" {keys:<17} {what}");
        assert!(text.contains(&row), "help row {row:?} in:\n{text}");
    }
    pty.send("x");
    pty.wait_for_absent(" Keys ");

    // A detail has no sorting or counting, but has the modes.
    pty.send_key(Key::Enter);
    pty.wait_for("User name             aarav.desai@northwind.example");
    pty.send("?");
    let text = pty.wait_for(" Keys ").contents();
    assert!(text.contains(&format!(" {:<17} raw JSON", "y")), "{text}");
    assert!(!text.contains("sort next column"), "{text}");
    assert!(!text.contains("count members"), "{text}");
}

#[test]
fn a_large_terminal_shows_every_service_principal_in_full() {
    let mut pty = Pty::spawn(&["--demo"], LARGE, &[]);
    pty.wait_for(USERS_LOADED);
    pty.go_to("sp");
    // Secrets are counted after the rows arrive: wait until no SP is pending.
    let screen = pty.wait_until("all 15 SPs with their secrets counted", |s| {
        let rows: Vec<String> = table_rows(s)
            .into_iter()
            .skip(1)
            .filter(|row| !row.is_empty())
            .collect();
        rows.len() == 15 && rows.iter().all(|row| !row.contains('…'))
    });
    let jenkins = row_words(&screen, "jenkins-legacy").unwrap_or_default();
    assert_eq!(jenkins.len(), 7, "{jenkins:?}");
    assert_eq!(
        jenkins[1].len(),
        36,
        "the whole application id: {jenkins:?}"
    );
    assert_eq!(jenkins[2..4], ["yes", "5"]);
    let monte_carlo = row_words(&screen, "monte-carlo-observability").unwrap_or_default();
    assert_eq!(monte_carlo.last().map(String::as_str), Some("never"));
}
