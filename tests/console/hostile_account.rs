//! The hostile strings of `hostile.rs` where the new panes draw server text: workspace
//! names, an app connection's redirect URLs and scopes, federation issuers and a group's
//! member names. Each must draw as plain text inside the pane's borders.

use dbx_console::app::msg::Resource;
use dbx_console::app::state::{AppState, DetailMode};

use crate::fixtures_account::{on_detail, on_list};
use crate::fixtures_hostile::{
    hostile_app, hostile_group_detail, hostile_policies, hostile_workspaces,
};
use crate::fixtures_principals::{group_id, groups_partly_counted};
use crate::hostile::{assert_no_escape_text, assert_pane_borders_aligned};
use crate::support::{SIZES, draw, snapshot};

fn assert_drawn_safely(state: &AppState) {
    for (width, height) in SIZES {
        let terminal = draw(state, width, height);
        assert_no_escape_text(&terminal);
        assert_pane_borders_aligned(&terminal);
    }
}

/// `resource`'s list of `items` with the row at `selected` highlighted.
fn list_state(resource: Resource, items: &[serde_json::Value], selected: usize) -> AppState {
    let mut state = on_list(resource, items);
    if let Some(list) = state.lists.get_mut(&resource) {
        list.selected = selected;
    }
    state
}

#[test]
fn hostile_workspace_names_in_the_list_and_a_detail() {
    let workspaces = hostile_workspaces();
    // The 10 KB name, selected.
    let state = list_state(Resource::Workspaces, &workspaces, 9);
    snapshot(
        "workspaces_list_hostile_names",
        "Ten hostile workspace names after the six fixture ones, the 10 KB one selected: each \
         cut with … inside NAME, no escape text, borders straight.",
        &state,
    );
    assert_drawn_safely(&state);

    let osc = &workspaces[7];
    let mut data = crate::fixtures_account::workspace_detail();
    data["object"]["workspace_name"] = osc["workspace_name"].clone();
    data["object"]["workspace_id"] = osc["workspace_id"].clone();
    let state = on_detail(
        Resource::Workspaces,
        &workspaces,
        "4000000000000001",
        osc["workspace_name"].as_str().unwrap_or_default(),
        data,
        DetailMode::Fields,
    );
    snapshot(
        "workspace_detail_hostile_name",
        "A workspace named with an OSC 52 clipboard write: the name shows as plain 'OSC copy' \
         text in the breadcrumbs, the title and the Name field.",
        &state,
    );
    assert_drawn_safely(&state);
}

#[test]
fn hostile_redirect_urls_and_scopes_of_an_app_connection() {
    let app = hostile_app();
    let id = app["integration_id"]
        .as_str()
        .unwrap_or_default()
        .to_owned();
    let apps = vec![app.clone()];
    assert_drawn_safely(&list_state(Resource::Apps, &apps, 0));
    let mut state = on_detail(
        Resource::Apps,
        &apps,
        &id,
        "Hostile Connector",
        serde_json::json!({"object": app}),
        DetailMode::Fields,
    );
    snapshot(
        "app_connection_detail_hostile_urls",
        "An app connection whose ten scopes and ten redirect URLs are the hostile strings: one \
         line each, cut at the edge, line breaks shown as ⏎.",
        &state,
    );
    assert_drawn_safely(&state);
    // The redirect URLs sit below the scopes: scroll to them too.
    if let Some(detail) = state.detail.as_mut() {
        detail.selected = detail.lines.len() - 1;
        detail.offset = detail.lines.len() - 18;
    }
    assert_drawn_safely(&state);
}

#[test]
fn hostile_federation_issuers() {
    let policies = hostile_policies();
    let state = list_state(Resource::FederationPolicies, &policies, 6);
    snapshot(
        "federation_policies_list_hostile_issuers",
        "Ten policies with hostile issuers after the three fixture ones, the 10 KB one \
         selected: each stays in the ISSUER column.",
        &state,
    );
    assert_drawn_safely(&state);
    for policy in &policies[3..] {
        let id = policy["policy_id"].as_str().unwrap_or_default();
        let state = on_detail(
            Resource::FederationPolicies,
            &policies,
            id,
            id,
            serde_json::json!({"object": policy}),
            DetailMode::Fields,
        );
        assert_drawn_safely(&state);
    }
}

#[test]
fn hostile_member_names_in_a_group_detail() {
    let state = on_detail(
        Resource::Groups,
        &groups_partly_counted(),
        &group_id(2),
        "data-platform-admins",
        hostile_group_detail(),
        DetailMode::Fields,
    );
    snapshot(
        "group_detail_hostile_members",
        "A group whose ten members have the hostile names: one line each, ordered by the \
         server's raw names (so the escape-prefixed 'red alert' sorts first); the 10 KB name \
         fills its 40-column cell and its kind follows with no gap ('…user').",
        &state,
    );
    assert_drawn_safely(&state);
}
