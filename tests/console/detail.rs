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
        "A user's detail as the server sent it, pretty-printed.",
        &state,
    );
}

#[test]
fn user_detail_scrolled() {
    let mut state = on_user_detail(Remote::Ready(user_detail()));
    if let Some(detail) = state.detail.as_mut() {
        detail.scroll = 10;
    }
    snapshot(
        "user_detail_scrolled",
        "The same detail scrolled down ten lines.",
        &state,
    );
}
