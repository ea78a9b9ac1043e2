//! The workspaces pane: the list with its identity federation cells, and a workspace's
//! detail with its permission assignments (or the error that replaced them).

use dbx_console::app::msg::Resource;
use dbx_console::app::state::DetailMode;

use crate::fixtures_account::{
    on_detail, on_list, workspace_detail, workspace_detail_assignments_failed, workspaces,
};
use crate::support::{SIZES, assert_on_screen, detail_lines, draw, screen_lines, snapshot};

/// The table row that starts with `name`, as drawn at 160 columns (no cell is cut there).
fn row_of(state: &dbx_console::app::state::AppState, name: &str) -> String {
    screen_lines(&draw(state, 160, 48))
        .into_iter()
        .find(|line| line.starts_with(&format!("│{name} ")))
        .unwrap_or_else(|| panic!("no row for {name}"))
}

#[test]
fn workspaces_list() {
    let state = on_list(Resource::Workspaces, &workspaces());
    snapshot(
        "workspaces_list",
        "Six workspaces: ID FEDERATION is yes (with the assignment count) for the first three, \
         no (count –) for research-sandbox, … for finance-emea (not read yet) and ? for \
         marketing-sandbox (the read failed).",
        &state,
    );
    let cells = |name: &str| -> Vec<String> {
        row_of(&state, name)
            .trim_matches(['│', ' '])
            .split("  ")
            .map(str::trim)
            .filter(|cell| !cell.is_empty())
            .map(str::to_owned)
            .collect()
    };
    assert_eq!(cells("analytics-prod")[4..], ["yes", "14"]);
    assert_eq!(cells("research-sandbox")[4..], ["no", "–"]);
    assert_eq!(cells("finance-emea")[4..], ["…", "…"]);
    assert_eq!(cells("marketing-sandbox")[4..], ["?", "…"]);
}

#[test]
fn workspace_detail_with_permission_assignments() {
    let state = on_detail(
        Resource::Workspaces,
        &workspaces(),
        "3184729561047283",
        "analytics-prod",
        workspace_detail(),
        DetailMode::Fields,
    );
    snapshot(
        "workspace_detail",
        "analytics-prod: status, cloud, region, tier, URL, created date, identity federation \
         on, tags, then five permission assignments (two groups, an SP, two users) with kind \
         and permission.",
        &state,
    );
    let detail = state.detail.as_ref().expect("a detail");
    let linked: Vec<_> = detail.lines.iter().filter_map(|l| l.link.clone()).collect();
    assert_eq!(linked.len(), 5, "every assignment opens its principal");
    assert_eq!(
        linked.iter().map(|l| l.resource).collect::<Vec<_>>(),
        [
            Resource::Groups,
            Resource::Groups,
            Resource::ServicePrincipals,
            Resource::Users,
            Resource::Users
        ]
    );
}

#[test]
fn workspace_detail_whose_assignments_failed() {
    let state = on_detail(
        Resource::Workspaces,
        &workspaces(),
        "3184729561047283",
        "analytics-prod",
        workspace_detail_assignments_failed(),
        DetailMode::Fields,
    );
    snapshot(
        "workspace_detail_assignments_failed",
        "The same workspace when reading its assignments was refused (403): the fields still \
         show, identity federation is 'unknown', and the assignments section says why it is \
         empty instead of 'no principal is assigned'.",
        &state,
    );
    for size in SIZES {
        assert_on_screen(&state, size, &["could not load: 403"]);
    }
    assert!(
        !detail_lines(&state)
            .iter()
            .any(|line| line.contains("no principal is assigned")),
        "an error is not an empty list"
    );
}
