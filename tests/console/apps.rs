//! App connections (custom OAuth apps) and published apps: the lists and their details with
//! token access policies, redirect URLs and the confidential client's note.

use dbx_console::app::msg::Resource;
use dbx_console::app::state::DetailMode;

use crate::fixtures_account::{on_app_connection_detail, on_detail, on_list};
use crate::fixtures_apps::{apps, available_app_detail, published_app_detail, published_apps};
use crate::support::{SIZES, assert_on_screen, detail_lines, draw, screen_lines, snapshot};

#[test]
fn app_connections_list() {
    let state = on_list(Resource::Apps, &apps());
    snapshot(
        "app_connections_list",
        "Five app connections: confidential yes/no, scopes joined, the number of redirect \
         URLs (2 for the Data Portal), TTLs as 1 h / 7 d, 30 min / 1 d, …, and 'default' for \
         JupyterHub, which has no token policy.",
        &state,
    );
    let screen = screen_lines(&draw(&state, 160, 48)).join("\n");
    let jupyter = screen
        .lines()
        .find(|line| line.contains("JupyterHub (research)"))
        .unwrap_or_default();
    let words: Vec<&str> = jupyter
        .trim_end_matches(['│', ' '])
        .split_whitespace()
        .collect();
    assert_eq!(
        words[words.len() - 2..],
        ["default", "default"],
        "{jupyter}"
    );
}

#[test]
fn app_connection_detail() {
    let state = on_app_connection_detail(DetailMode::Fields);
    snapshot(
        "app_connection_detail",
        "Tableau Cloud (prod): confidential (has a client secret), created date and creator, \
         scopes, user-authorized scopes, the redirect URL, then (160x48) the token access \
         policy (1 h, 7 d, single-use on, absolute session 30 d) and the note that the secret \
         cannot be regenerated.",
        &state,
    );
}

#[test]
fn app_connection_detail_scrolled_to_the_end() {
    let mut state = on_app_connection_detail(DetailMode::Fields);
    if let Some(detail) = state.detail.as_mut() {
        detail.selected = detail.lines.len() - 1;
        detail.offset = detail.lines.len().saturating_sub(18);
    }
    snapshot(
        "app_connection_detail_end",
        "The same detail scrolled to its last line, so 80x24 shows the token access policy \
         and the confidential client's note (cut at the pane's edge).",
        &state,
    );
    for size in SIZES {
        assert_on_screen(
            &state,
            size,
            &[
                "Token access policy",
                "  Access token TTL    1 h",
                "  Refresh token TTL   7 d",
                "  Single-use refresh  on (rotated on every use)",
                "  Absolute session    30 d",
                "The client secret was shown once",
            ],
        );
    }
}

#[test]
fn published_apps_list() {
    let state = on_list(Resource::PublishedApps, &published_apps());
    snapshot(
        "published_apps_list",
        "Three enabled published apps with their TTLs (Tableau Desktop on the defaults), then \
         two catalogue apps marked 'available' with empty TTL cells.",
        &state,
    );
    let list = &state.lists[&Resource::PublishedApps];
    let statuses: Vec<&str> = list.rows.iter().map(|row| row.cells[2].as_str()).collect();
    assert_eq!(
        statuses,
        ["enabled", "enabled", "enabled", "available", "available"]
    );
    assert_eq!(list.rows[3].id, "catalog:databricks-dbt-adapter");
}

#[test]
fn published_app_detail_enabled() {
    let id = published_apps()[0]["integration_id"]
        .as_str()
        .unwrap_or_default()
        .to_owned();
    let state = on_detail(
        Resource::PublishedApps,
        &published_apps(),
        &id,
        "Power BI",
        published_app_detail(),
        DetailMode::Fields,
    );
    snapshot(
        "published_app_detail_enabled",
        "Power BI enabled in this account: integration id, the catalogue's description and \
         client id, the date it was enabled, its token access policy, then the catalogue's \
         scopes and redirect URL.",
        &state,
    );
}

#[test]
fn published_app_detail_available() {
    let state = on_detail(
        Resource::PublishedApps,
        &published_apps(),
        "catalog:databricks-dbt-adapter",
        "dbt Databricks adapter",
        available_app_detail(),
        DetailMode::Fields,
    );
    snapshot(
        "published_app_detail_available",
        "A catalogue app not enabled: 'available in the catalogue', no integration id, no \
         token policy, its scopes and redirect URL.",
        &state,
    );
    assert_on_screen(&state, (80, 24), &["available in the catalogue"]);
    assert!(
        !detail_lines(&state).contains(&"Token access policy".to_owned()),
        "nothing is enabled, so no policy"
    );
}
