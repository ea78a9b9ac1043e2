//! Details: opening related objects and coming back to the detail as it was, leaving cancels
//! the read (so a late result has nowhere to land), and the `y` / `t` modes.

use crossterm::event::KeyCode;
use dbx_console::app::msg::{Effect, Resource, Task, TaskKey, TaskOutcome};
use dbx_console::app::state::{AppState, Detail, DetailMode, Remote, Route, StatusKind};
use serde_json::Value;

use super::{command, deliver, key, loaded, press};
use crate::fixtures::{user_detail, user_id, users};
use crate::fixtures_account::{workspace_detail, workspaces};
use crate::fixtures_principals::{group_detail, secret_rows, sp_id, user_tree_detail};

fn start_detail(resource: Resource, id: &str) -> Effect {
    Effect::Start(Task::Detail {
        resource,
        id: id.into(),
    })
}

fn detail(state: &AppState) -> &Detail {
    state.detail.as_ref().expect("a detail is open")
}

/// The users list with user 0's detail open and loaded (`data`).
fn on_user_detail(data: Value) -> AppState {
    let mut state = loaded(Resource::Users, users(10));
    assert_eq!(
        press(&mut state, KeyCode::Enter),
        vec![start_detail(Resource::Users, &user_id(0))]
    );
    deliver(&mut state, TaskKey::Detail, TaskOutcome::Detail(data));
    state
}

/// Moves the detail's cursor down to the first line that opens a `resource`.
fn move_to_link(state: &mut AppState, resource: Resource) -> usize {
    let target = detail(state)
        .lines
        .iter()
        .position(|line| line.link.as_ref().is_some_and(|l| l.resource == resource))
        .expect("a line that opens the resource");
    for _ in 0..target {
        assert_eq!(key(state, 'j'), Vec::new());
    }
    assert_eq!(detail(state).selected, target);
    target
}

#[test]
fn a_related_object_opens_and_esc_returns_to_the_detail_as_it_was() {
    let mut state = on_user_detail(user_tree_detail());
    let line = move_to_link(&mut state, Resource::Groups);
    assert!(detail(&state).offset > 0, "the cursor scrolled the detail");
    let before = detail(&state).clone();

    // The first group line is `admins` (direct groups first, as the server sent them).
    let admins = "812000000000104729";
    let effects = press(&mut state, KeyCode::Enter);
    assert_eq!(effects, vec![start_detail(Resource::Groups, admins)]);
    assert_eq!(
        state.routes.last(),
        Some(&Route::Detail {
            resource: Resource::Groups,
            id: admins.into(),
            title: "admins".into(),
        })
    );
    assert_eq!(state.routes.len(), 3);
    assert_eq!(detail(&state).data, Remote::Loading { previous: None });
    assert_eq!(state.detail_stack, vec![before.clone()]);
    deliver(
        &mut state,
        TaskKey::Detail,
        TaskOutcome::Detail(group_detail()),
    );

    // Back: the user's detail as we left it, cursor and scroll included, not read again.
    assert_eq!(
        press(&mut state, KeyCode::Esc),
        vec![Effect::Cancel(TaskKey::Detail)]
    );
    assert_eq!(state.detail.as_ref(), Some(&before));
    assert_eq!(detail(&state).selected, line);
    assert!(state.detail_stack.is_empty());
    assert_eq!(state.routes.len(), 2);

    assert_eq!(
        press(&mut state, KeyCode::Esc),
        vec![Effect::Cancel(TaskKey::Detail)]
    );
    assert_eq!(state.routes, vec![Route::List(Resource::Users)]);
    assert_eq!(state.detail, None);
}

#[test]
fn enter_on_a_line_that_opens_nothing_does_nothing() {
    let mut state = on_user_detail(user_tree_detail());
    let before = state.clone();
    // Line 0 is the user name field.
    assert_eq!(press(&mut state, KeyCode::Enter), Vec::new());
    assert_eq!(state, before);
}

#[test]
fn a_detail_left_while_still_loading_is_read_again_on_return() {
    let mut state = on_user_detail(user_tree_detail());
    move_to_link(&mut state, Resource::Workspaces);
    // A refresh is under way (the old lines stay) when the user follows a link.
    assert_eq!(
        key(&mut state, 'r'),
        vec![start_detail(Resource::Users, &user_id(0))]
    );
    let effects = press(&mut state, KeyCode::Enter);
    assert!(matches!(
        effects.as_slice(),
        [Effect::Start(Task::Detail {
            resource: Resource::Workspaces,
            ..
        })]
    ));
    // Starting the workspace's read cancelled the user's (one detail key), so coming back
    // must read the user again rather than wait for a result that will never come.
    assert_eq!(
        press(&mut state, KeyCode::Esc),
        vec![
            Effect::Cancel(TaskKey::Detail),
            start_detail(Resource::Users, &user_id(0)),
        ]
    );
    assert!(matches!(
        detail(&state).data,
        Remote::Loading { previous: Some(_) }
    ));
}

/// A detail result that arrives once the user is back on `list`: nothing shows it.
fn assert_a_late_detail_lands_nowhere(state: &mut AppState, data: Value, list: Resource) {
    deliver(state, TaskKey::Detail, TaskOutcome::Detail(data));
    assert_eq!(state.detail, None);
    assert_eq!(state.routes, vec![Route::List(list)]);
}

#[test]
fn leaving_a_detail_cancels_its_read_and_a_late_result_lands_nowhere() {
    // Esc back to the list before the result came.
    let mut state = loaded(Resource::Users, users(10));
    press(&mut state, KeyCode::Enter);
    assert_eq!(
        press(&mut state, KeyCode::Esc),
        vec![Effect::Cancel(TaskKey::Detail)]
    );
    assert_a_late_detail_lands_nowhere(&mut state, user_tree_detail(), Resource::Users);

    // `:` elsewhere from two details deep: the stack goes too.
    let mut state = on_user_detail(user_tree_detail());
    move_to_link(&mut state, Resource::Groups);
    press(&mut state, KeyCode::Enter);
    assert_eq!(state.detail_stack.len(), 1);
    assert_eq!(
        command(&mut state, "ws"),
        vec![
            Effect::Cancel(TaskKey::Detail),
            Effect::Start(Task::List {
                resource: Resource::Workspaces,
                filter: None
            }),
        ]
    );
    assert!(state.detail_stack.is_empty());
    assert_a_late_detail_lands_nowhere(&mut state, group_detail(), Resource::Workspaces);
}

#[test]
fn y_and_t_switch_a_detail_between_fields_tree_and_raw_json() {
    let mut state = loaded(Resource::Users, users(10));
    // From the list, `y` opens the selected row straight in raw JSON.
    assert_eq!(
        key(&mut state, 'y'),
        vec![start_detail(Resource::Users, &user_id(0))]
    );
    assert_eq!(detail(&state).mode, DetailMode::Raw);
    deliver(
        &mut state,
        TaskKey::Detail,
        TaskOutcome::Detail(user_tree_detail()),
    );
    assert_eq!(detail(&state).lines[0].plain(), "{");

    let mut switch = |c: char, mode: DetailMode, first_line: &str| {
        key(&mut state, 'j');
        assert_eq!(key(&mut state, c), Vec::new(), "a switch reads nothing");
        let detail = detail(&state);
        assert_eq!(detail.mode, mode, "after {c}");
        assert_eq!(detail.selected, 0, "a switch starts at the top");
        assert!(
            detail.lines[0].plain().contains(first_line),
            "{c}: {:?}",
            detail.lines[0].plain()
        );
    };
    switch('y', DetailMode::Fields, "User name");
    switch('t', DetailMode::Tree, "ines.moreau@northwind.example  user");
    switch('y', DetailMode::Raw, "{");
    switch('t', DetailMode::Tree, "ines.moreau@northwind.example  user");
    switch('t', DetailMode::Fields, "User name");

    // From the list, `t` opens the selected principal straight in its tree.
    let mut state = loaded(Resource::Users, users(10));
    key(&mut state, 'j');
    assert_eq!(
        key(&mut state, 't'),
        vec![start_detail(Resource::Users, &user_id(1))]
    );
    assert_eq!(detail(&state).mode, DetailMode::Tree);
}

#[test]
fn t_on_a_resource_without_a_tree_explains_itself() {
    for resource in [
        Resource::Workspaces,
        Resource::Apps,
        Resource::PublishedApps,
        Resource::FederationPolicies,
    ] {
        let mut state = loaded(resource, Vec::new());
        let before = state.routes.clone();
        assert_eq!(key(&mut state, 't'), Vec::new());
        assert_eq!(state.routes, before);
        let status = state.status.as_ref().expect("a status");
        assert_eq!(status.kind, StatusKind::Info);
        assert_eq!(
            status.text,
            format!("{} have no principal tree", resource.title())
        );
    }

    let mut state = loaded(Resource::Workspaces, workspaces());
    press(&mut state, KeyCode::Enter);
    deliver(
        &mut state,
        TaskKey::Detail,
        TaskOutcome::Detail(workspace_detail()),
    );
    assert_eq!(key(&mut state, 't'), Vec::new());
    assert_eq!(detail(&state).mode, DetailMode::Fields);
    assert_eq!(
        state.status.as_ref().map(|s| s.text.as_str()),
        Some("Only users, groups and service principals have a tree")
    );
    // Raw JSON works for every resource.
    key(&mut state, 'y');
    assert_eq!(detail(&state).mode, DetailMode::Raw);
    assert_eq!(
        state.status, None,
        "the explanation lasts until the next key"
    );
}

#[test]
fn t_on_a_secret_opens_its_service_principal_s_tree() {
    let mut state = loaded(Resource::Secrets, secret_rows());
    assert_eq!(
        key(&mut state, 't'),
        vec![start_detail(Resource::ServicePrincipals, &sp_id(3))]
    );
    assert_eq!(detail(&state).mode, DetailMode::Tree);
}

#[test]
fn a_refresh_of_a_detail_keeps_its_mode() {
    let mut state = on_user_detail(user_detail());
    key(&mut state, 't');
    assert_eq!(
        key(&mut state, 'r'),
        vec![start_detail(Resource::Users, &user_id(0))]
    );
    assert_eq!(detail(&state).mode, DetailMode::Tree);
}
