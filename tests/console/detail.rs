//! The detail pane: loading and loaded.

use dbx_console::app::state::Remote;

use crate::fixtures::{on_user_detail, user_detail};
use crate::support::snapshot;

#[test]
fn user_detail_loading() {
    let state = on_user_detail(Remote::Loading { previous: None });
    snapshot(
        "user_detail_loading",
        "A user's detail just opened: breadcrumbs, a spinner and 'Loading…'.",
        &state,
    );
}

#[test]
fn user_detail_loaded() {
    let state = on_user_detail(Remote::Ready(user_detail()));
    snapshot(
        "user_detail_loaded",
        "A user's typed detail: fields, roles, groups (direct first) and workspaces.",
        &state,
    );
}

#[test]
fn user_detail_scrolled() {
    let mut state = on_user_detail(Remote::Ready(user_detail()));
    if let Some(detail) = state.detail.as_mut() {
        detail.selected = 12;
    }
    snapshot(
        "user_detail_scrolled",
        "The same detail with the cursor on line 12: the window follows it.",
        &state,
    );
}
