//! The resource lists: loading, streaming, filtered, failed, and each resource's columns.

use dbx_console::app::msg::Resource;
use dbx_console::app::state::{ListState, Mode, Status};

use crate::fixtures::{
    groups, list_of, loaded, permission_denied, service_principals, state_on, user, users,
};
use crate::support::{SIZES, draw, reversed_lines, screen_lines, snapshot};

/// The selection is drawn on exactly one line, the row of `display_name`.
fn assert_selected(state: &dbx_console::app::state::AppState, display_name: &str) {
    for (width, height) in SIZES {
        let selected = reversed_lines(&draw(state, width, height));
        assert_eq!(selected.len(), 1, "{selected:?}");
        assert!(selected[0].contains(display_name), "{selected:?}");
    }
}

fn display_name(index: usize) -> String {
    user(index)["displayName"]
        .as_str()
        .unwrap_or_default()
        .to_owned()
}

#[test]
fn users_list_loading() {
    let mut state = state_on(Resource::Users);
    state.lists.insert(
        Resource::Users,
        ListState {
            is_loading: true,
            ..ListState::default()
        },
    );
    snapshot(
        "users_list_loading",
        "First load of the users list: no rows yet, a spinner and 'Loading users…'.",
        &state,
    );
}

#[test]
fn users_list_streaming() {
    let mut state = state_on(Resource::Users);
    let mut list = list_of(Resource::Users, &users(1_300));
    list.total = Some(100_000);
    list.is_loading = true;
    list.selected = 2;
    state.lists.insert(Resource::Users, list);
    snapshot(
        "users_list_streaming",
        "Users streaming in: 1,300 of 100,000 delivered, the third row selected.",
        &state,
    );
    let top = screen_lines(&draw(&state, 80, 24)).join("\n");
    assert!(top.contains("1,300 of 100,000"), "{top}");
    assert_selected(&state, &display_name(2));
}

#[test]
fn users_list_selection_on_a_later_page() {
    let mut state = state_on(Resource::Users);
    let mut list = loaded(Resource::Users, &users(60));
    list.selected = 40;
    state.lists.insert(Resource::Users, list);
    snapshot(
        "users_list_selection_on_a_later_page",
        "60 users loaded, the 41st selected: the table shows the page that holds it.",
        &state,
    );
    assert_selected(&state, &display_name(40));
}

#[test]
fn users_list_filter_without_match() {
    let mut state = state_on(Resource::Users);
    let mut list = loaded(Resource::Users, &users(120));
    list.filter = "kowalsky".into();
    list.apply_filter();
    assert!(list.visible.is_empty());
    state.lists.insert(Resource::Users, list);
    state.mode = Mode::Filter;
    snapshot(
        "users_list_filter_without_match",
        "Typing a filter that matches none of 120 users: the pane says so and how to clear it.",
        &state,
    );
}

#[test]
fn users_list_filter_with_matches() {
    let mut state = state_on(Resource::Users);
    let mut list = loaded(Resource::Users, &users(1_300));
    list.filter = "nakamura".into();
    list.apply_filter();
    assert!(!list.visible.is_empty());
    state.lists.insert(Resource::Users, list);
    snapshot(
        "users_list_filter_with_matches",
        "A kept filter ('nakamura') narrowing 1,300 users; the title counts matches of rows.",
        &state,
    );
}

#[test]
fn users_list_failed() {
    let mut state = state_on(Resource::Users);
    let error = permission_denied();
    state.lists.insert(
        Resource::Users,
        ListState {
            error: Some(error.to_string()),
            ..ListState::default()
        },
    );
    state.status = Some(Status::error(&error));
    snapshot(
        "users_list_failed",
        "The first load failed with 403: the pane and the status line say what and what to do.",
        &state,
    );
}

#[test]
fn groups_list() {
    let mut state = state_on(Resource::Groups);
    state
        .lists
        .insert(Resource::Groups, loaded(Resource::Groups, &groups()));
    snapshot(
        "groups_list",
        "Twelve groups loaded; some have no external id.",
        &state,
    );
}

#[test]
fn service_principals_list() {
    let mut state = state_on(Resource::ServicePrincipals);
    let mut list = loaded(Resource::ServicePrincipals, &service_principals());
    list.selected = 3;
    state.lists.insert(Resource::ServicePrincipals, list);
    snapshot(
        "service_principals_list",
        "Eight service principals, one inactive, the fourth selected.",
        &state,
    );
    assert_selected(&state, "terraform-account");
}

#[test]
fn empty_service_principals_list() {
    let mut state = state_on(Resource::ServicePrincipals);
    state.lists.insert(
        Resource::ServicePrincipals,
        loaded(Resource::ServicePrincipals, &[]),
    );
    snapshot(
        "service_principals_list_empty",
        "An account without service principals.",
        &state,
    );
}
