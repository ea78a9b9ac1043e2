//! Every resource of the demo account through the real binary: workspaces and their
//! assignments, service principals and their secrets, the account's secrets by expiry, app
//! connections, published apps and federation policies.

use crate::screen::{assert_shows, breadcrumbs, row_words, table_rows};
use crate::support::{Key, Pty};

/// The demo on the Users list, then `:command`, waiting for `loaded` in the title.
fn demo_on(command: &str, loaded: &str) -> Pty {
    let mut pty = Pty::demo_with_users();
    pty.go_to(command);
    pty.wait_for(loaded);
    pty
}

/// The cells after the name (which may hold spaces) of the row starting with `first`.
fn cells_after(screen: &vt100::Screen, first: &str, name_words: usize) -> Vec<String> {
    row_words(screen, first)
        .map(|words| words[name_words..].to_vec())
        .unwrap_or_default()
}

#[test]
fn colon_ws_lists_the_workspaces_with_their_identity_federation() {
    let pty = demo_on("ws", "Workspaces 6 ");
    // Identity federation is read per workspace after the rows: wait for every cell.
    let screen = pty.wait_until("identity federation read for every workspace", |s| {
        let rows = table_rows(s);
        let federation: Vec<Option<&str>> = rows
            .iter()
            .skip(1)
            .filter(|row| !row.is_empty())
            .map(|row| row.split_whitespace().nth(5))
            .collect();
        federation.len() == 6
            && federation
                .iter()
                .all(|cell| matches!(cell, Some("yes" | "no")))
    });
    assert_eq!(breadcrumbs(&screen), "Workspaces");
    let names: Vec<String> = table_rows(&screen)
        .iter()
        .skip(1)
        .filter_map(|row| row.split_whitespace().next().map(str::to_owned))
        .collect();
    for name in [
        "analytics-prod",
        "analytics-dev",
        "ml-prod",
        "research-sandbox",
        "finance-emea",
        "marketing-sandbox",
    ] {
        assert!(names.contains(&name.to_owned()), "{name} in {names:?}");
    }
    // NAME STATUS CLOUD REGION TIER, then ID FEDERATION and ASSIGNED.
    assert_eq!(
        cells_after(&screen, "research-sandbox", 5),
        ["no", "–"],
        "no federation, so no assignments to count"
    );
    assert_eq!(cells_after(&screen, "analytics-prod", 5), ["yes", "14"]);
}

#[test]
fn enter_on_a_workspace_shows_its_permission_assignments() {
    let mut pty = demo_on("ws", "Workspaces 6 ");
    pty.filter("analytics-prod", "Workspaces 1 of 6 /analytics-prod");
    pty.send_key(Key::Enter);
    let screen = pty.wait_for("Permission assignments (14)");
    assert_eq!(breadcrumbs(&screen), "Workspaces › analytics-prod");
    assert_shows(
        &screen,
        &[
            "Identity federation   on",
            "PRINCIPAL                           KIND                PERMISSION",
            "workspace-admins-prod               group               ADMIN",
            "engineering                         group               USER",
        ],
    );
}

#[test]
fn a_service_principal_shows_its_secrets_against_the_cap_and_its_tree() {
    let mut pty = demo_on("sp", "Service principals 15 ");
    pty.filter("jenkins", "Service principals 1 of 15 /jenkins");
    // Name and application id, then ACTIVE and SECRETS (counted after the rows arrive).
    pty.wait_until("five active secrets counted in the list", |s| {
        cells_after(s, "jenkins-legacy", 2).get(..2) == Some(&["yes".into(), "5".into()])
    });
    pty.send_key(Key::Enter);
    let screen = pty.wait_for("OAuth secrets (5 active of the cap of 5, 5 listed)");
    assert_eq!(breadcrumbs(&screen), "Service principals › jenkins-legacy");
    let active = screen
        .contents()
        .lines()
        .filter(|line| line.trim_end_matches(['│', ' ']).ends_with("ACTIVE"))
        .count();
    assert_eq!(active, 5, "{}", screen.contents());

    pty.send("t");
    let screen = pty.wait_for("jenkins-legacy · tree");
    let text = screen.contents();
    assert!(text.contains("├─ OAuth secrets (5)"), "{text}");
    assert_eq!(text.matches("─ secret ").count(), 5, "{text}");
    assert!(text.contains("└─ Federation policies (0)"), "{text}");
}

#[test]
fn the_secrets_list_starts_with_the_expired_one_and_flags_the_one_that_never_expires() {
    let pty = demo_on("secrets", "Secrets ");
    // 17 secrets across the SPs: all fit at 80x24, the never-expiring one last.
    let screen = pty.wait_until("all 17 secrets in expiry order", |s| {
        s.contents().contains("Secrets 17 ")
            && table_rows(s).iter().filter(|row| !row.is_empty()).count() == 18
            && table_rows(s)
                .last()
                .is_some_and(|row| row.starts_with("monte-carlo-obse"))
    });
    let rows = table_rows(&screen);
    assert!(
        rows[0].contains("DAYS LEFT ▲"),
        "the default sort: {rows:#?}"
    );
    assert!(
        rows[1].starts_with("fivetran-ingest") && rows[1].ends_with("⚠ expired"),
        "the expired secret first: {rows:#?}"
    );
    // EXPIRES and DAYS LEFT both say never, then the flag (which may be cut at 80 columns).
    let never: Vec<&str> = rows
        .last()
        .map(|row| row.split_whitespace().collect())
        .unwrap_or_default();
    assert_eq!(never[3..6], ["never", "never", "⚠"], "{never:?}");
    assert!(never[6].starts_with("never"), "{never:?}");
}

#[test]
fn an_app_connection_shows_its_token_access_policy() {
    let mut pty = demo_on("apps", "App connections 7 ");
    pty.send_key(Key::Enter);
    let screen = pty.wait_for("Confidential          yes (has a client secret)");
    assert_eq!(
        breadcrumbs(&screen),
        "App connections › Tableau Cloud (prod)"
    );
    // The policy sits below the first screen at 80x24.
    pty.send("G");
    let screen = pty.wait_for("Access token TTL    1 h");
    assert_shows(
        &screen,
        &[
            "Token access policy",
            "Refresh token TTL   7 d",
            "Single-use refresh  on (rotated on every use)",
            "Absolute session    30 d",
        ],
    );
}

#[test]
fn published_apps_list_the_enabled_and_the_available() {
    let pty = demo_on("pub", "Published apps 5 ");
    let screen = pty.screen();
    let status = |name: &str, words: usize| {
        cells_after(&screen, name, words)
            .first()
            .cloned()
            .unwrap_or_default()
    };
    assert_eq!(status("Power BI", 3), "enabled");
    assert_eq!(status("Tableau Desktop", 3), "enabled");
    assert_eq!(status("Databricks CLI", 3), "enabled");
    assert_eq!(status("dbt Databricks adapter", 4), "available");
    assert_eq!(status("Databricks for VS Code", 5), "available");
}

#[test]
fn federation_policies_show_the_legacy_idp_on_plain_http() {
    let mut pty = demo_on("fed", "Federation policies 2 ");
    let screen = pty.screen();
    let legacy = row_words(&screen, "legacy-idp").unwrap_or_default();
    assert!(
        legacy
            .get(1)
            .is_some_and(|issuer| issuer.starts_with("http://idp.")),
        "{legacy:?}"
    );
    pty.filter("legacy", "Federation policies 1 of 2 /legacy");
    pty.send_key(Key::Enter);
    let screen = pty.wait_for("Issuer                http://idp.northwind.example");
    assert_eq!(breadcrumbs(&screen), "Federation policies › legacy-idp");
    assert!(
        screen
            .contents()
            .contains("Scope                 account-wide")
    );
}
