//! What sits over or under a pane: the help overlay, the `:` command line, the status line.

use dbx_console::app::msg::Resource;
use dbx_console::app::state::{Mode, Status, StatusKind};

use crate::fixtures::{loaded, permission_denied, service_busy, state_on, user_id, users};
use crate::support::{SIZES, draw, screen_lines, snapshot};

#[test]
fn help_overlay() {
    let mut state = state_on(Resource::Users);
    state
        .lists
        .insert(Resource::Users, loaded(Resource::Users, &users(40)));
    state.mode = Mode::Help;
    snapshot(
        "help_overlay_on_users_list",
        "`?` on the users list: every binding of the list context, from the keymap.",
        &state,
    );
}

#[test]
fn command_line_with_completion() {
    let mut state = state_on(Resource::Users);
    state
        .lists
        .insert(Resource::Users, loaded(Resource::Users, &users(40)));
    state.mode = Mode::Command("se".into());
    snapshot(
        "command_line_completing_service_principals",
        "`:se` typed: the rest of 'service-principals' is offered, with the keys to use.",
        &state,
    );
}

#[test]
fn error_status_over_loaded_rows() {
    let mut state = state_on(Resource::Users);
    state
        .lists
        .insert(Resource::Users, loaded(Resource::Users, &users(40)));
    state.status = Some(Status::error(&service_busy()));
    snapshot(
        "error_status_after_failed_refresh",
        "A refresh gave up after retries on 503: the old rows stay, the status line explains.",
        &state,
    );
}

#[test]
fn info_status_after_copy() {
    let mut state = state_on(Resource::Users);
    state
        .lists
        .insert(Resource::Users, loaded(Resource::Users, &users(40)));
    state.status = Some(Status {
        kind: StatusKind::Info,
        text: format!("Copied {} to the clipboard", user_id(0)),
    });
    snapshot(
        "info_status_after_copy",
        "`c` copied the selected user's id.",
        &state,
    );
}

#[test]
fn the_error_reason_and_hint_are_visible() {
    let mut state = state_on(Resource::Users);
    state
        .lists
        .insert(Resource::Users, loaded(Resource::Users, &users(40)));
    let error = permission_denied();
    state.status = Some(Status::error(&error));
    for (width, height) in SIZES {
        let screen = screen_lines(&draw(&state, width, height)).join("\n");
        assert!(screen.contains("403"), "{width}x{height}:\n{screen}");
        assert!(
            screen.contains("Ask an account admin"),
            "{width}x{height}:\n{screen}"
        );
    }
}
