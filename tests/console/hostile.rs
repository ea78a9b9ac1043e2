//! Server strings that try to break the terminal (escape sequences, OSC 52, controls, bidi
//! overrides) or the layout (10 KB, wide, emoji, RTL, line breaks) must draw as plain text in
//! their cells.

use dbx_console::api::{ApiError, ApiErrorKind};
use dbx_console::app::msg::Resource;
use dbx_console::app::state::{DetailMode, ListState, Remote, Route, Status};
use ratatui::Terminal;
use ratatui::backend::TestBackend;

use crate::fixtures::{hostile_users, loaded, state_on, users_path};
use crate::support::{SIZES, draw, screen_lines, snapshot};

/// Text an escape sequence would leave behind if it were drawn instead of removed.
const LEFTOVERS: [&str; 6] = ["[31m", "[0m", "]52;", "ZXZpbA", "[2J", "[1A"];

pub fn assert_no_escape_text(terminal: &Terminal<TestBackend>) {
    let buffer = terminal.backend().buffer();
    for cell in buffer.content() {
        assert!(
            !cell
                .symbol()
                .chars()
                .any(|c| c.is_control() || ('\u{202a}'..='\u{202e}').contains(&c)),
            "a control or bidi character reached the screen: {:?}",
            cell.symbol()
        );
    }
    let screen = screen_lines(terminal).join("\n");
    for leftover in LEFTOVERS {
        assert!(
            !screen.contains(leftover),
            "{leftover:?} on screen:\n{screen}"
        );
    }
}

/// Every line between the pane's top and bottom border starts and ends with a border, so no
/// row spilled over or pushed the frame.
pub fn assert_pane_borders_aligned(terminal: &Terminal<TestBackend>) {
    let buffer = terminal.backend().buffer();
    let (width, height) = (buffer.area.width, buffer.area.height);
    // Header and breadcrumbs above the pane, status and footer below it.
    let (top, bottom) = (2, height - 3);
    assert_eq!(buffer[(0, top)].symbol(), "┌");
    assert_eq!(buffer[(width - 1, top)].symbol(), "┐");
    assert_eq!(buffer[(0, bottom)].symbol(), "└");
    assert_eq!(buffer[(width - 1, bottom)].symbol(), "┘");
    for y in top + 1..bottom {
        assert_eq!(buffer[(0, y)].symbol(), "│", "left border on line {y}");
        assert_eq!(
            buffer[(width - 1, y)].symbol(),
            "│",
            "right border on line {y}"
        );
    }
}

fn hostile_list_state() -> dbx_console::app::state::AppState {
    let mut state = state_on(Resource::Users);
    let mut list = loaded(Resource::Users, &hostile_users());
    list.selected = 3;
    state.lists.insert(Resource::Users, list);
    state
}

#[test]
fn hostile_names_in_the_users_list() {
    let state = hostile_list_state();
    snapshot(
        "users_list_hostile_names",
        "Escape sequences, OSC 52, controls, a 10 KB name (selected), emoji, RTL with an \
         override, CJK and line breaks: each stays in its cell and no escape text shows.",
        &state,
    );
    for (width, height) in SIZES {
        let terminal = draw(&state, width, height);
        assert_no_escape_text(&terminal);
        assert_pane_borders_aligned(&terminal);
    }
}

#[test]
fn hostile_names_in_the_filter_line() {
    let mut state = hostile_list_state();
    if let Some(list) = state.lists.get_mut(&Resource::Users) {
        list.filter = "\u{1b}[31m山田".into();
        list.apply_filter();
    }
    state.mode = dbx_console::app::state::Mode::Filter;
    for (width, height) in SIZES {
        let terminal = draw(&state, width, height);
        assert_no_escape_text(&terminal);
        assert_pane_borders_aligned(&terminal);
    }
}

#[test]
fn hostile_user_detail() {
    let mut state = hostile_list_state();
    let users = hostile_users();
    let user = users[1].clone();
    let id = user["id"].as_str().unwrap_or_default().to_owned();
    state.routes.push(Route::Detail {
        resource: Resource::Users,
        id: id.clone(),
        // Raw on purpose: the breadcrumbs and the pane title sanitise what they draw.
        title: user["displayName"].as_str().unwrap_or_default().to_owned(),
    });
    state.detail = Some(crate::fixtures::detail(
        Resource::Users,
        &id,
        Remote::Ready(user),
        DetailMode::Raw,
    ));
    snapshot(
        "user_detail_hostile_name",
        "The OSC 52 user's detail: JSON shows the escapes as JSON text (\\u001b), never raw.",
        &state,
    );
    for (width, height) in SIZES {
        let terminal = draw(&state, width, height);
        let buffer = terminal.backend().buffer();
        assert!(
            buffer
                .content()
                .iter()
                .all(|cell| !cell.symbol().chars().any(char::is_control))
        );
        // The JSON body may show escapes as `\u001b` text; the header, breadcrumbs and pane
        // title must not show them at all.
        let top = screen_lines(&terminal)[..3].join("\n");
        for leftover in LEFTOVERS {
            assert!(!top.contains(leftover), "{leftover:?} in:\n{top}");
        }
        assert_pane_borders_aligned(&terminal);
    }
}

/// A server message with escape sequences, as an error body can carry it.
fn hostile_error() -> ApiError {
    ApiError::new(
        "GET",
        &users_path(),
        ApiErrorKind::Http {
            status: 500,
            error_code: "INTERNAL_ERROR".into(),
            message: "boom \u{1b}]52;c;ZXZpbA==\u{7}\u{1b}[31mred".into(),
            request_id: None,
            scim_type: None,
        },
    )
}

#[test]
fn a_hostile_error_message_in_the_status_line_is_sanitised() {
    let mut state = hostile_list_state();
    state.status = Some(Status::error(&hostile_error()));
    for (width, height) in SIZES {
        assert_no_escape_text(&draw(&state, width, height));
    }
}

#[test]
fn a_hostile_error_message_in_the_list_pane_is_sanitised() {
    let mut state = state_on(Resource::Users);
    state.lists.insert(
        Resource::Users,
        ListState {
            error: Some(hostile_error().to_string()),
            ..ListState::default()
        },
    );
    for (width, height) in SIZES {
        assert_no_escape_text(&draw(&state, width, height));
    }
}
