//! Form fields drawn: the scopes checklist (documented scopes, an undocumented one typed
//! in, another being typed).

use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use dbx_console::app::keymap::Keymap;
use dbx_console::app::msg::{Msg, Resource};
use dbx_console::app::state::AppState;
use dbx_console::app::update::update;

use crate::fixtures::state_on;
use crate::support::{assert_on_screen, snapshot};

fn send(state: &mut AppState, msg: Msg) {
    update(state, &Keymap::defaults(), msg, 10);
}

fn key(state: &mut AppState, code: KeyCode) {
    send(state, Msg::Key(KeyEvent::new(code, KeyModifiers::NONE)));
}

fn type_text(state: &mut AppState, text: &str) {
    for c in text.chars() {
        key(state, KeyCode::Char(c));
    }
}

#[test]
fn scopes_checklist_with_a_typed_scope_and_another_being_typed() {
    let mut state = state_on(Resource::Apps);
    key(&mut state, KeyCode::Char('n'));
    type_text(&mut state, "Grafana Cloud");
    for _ in 0..3 {
        key(&mut state, KeyCode::Tab);
    }
    // all-apis checked; down past the six documented scopes to "+ other".
    key(&mut state, KeyCode::Char(' '));
    for _ in 0..6 {
        key(&mut state, KeyCode::Down);
    }
    type_text(&mut state, "iam.groups:read");
    key(&mut state, KeyCode::Enter);
    type_text(&mut state, "iam.users:re");
    assert_on_screen(
        &state,
        (160, 48),
        &[
            "Scopes                    sql, offline_access, all-apis, iam.groups:read",
            "[x] iam.groups:read  undocumented",
            "› + other: iam.users:re▏",
            "Enter adds (spaces or commas separate several)   Esc cancels",
        ],
    );
    snapshot(
        "edit_scopes_checklist",
        "New app form, the Scopes checklist focused: the six documented scopes ([x] sql, \
         offline_access noted as needed for refresh tokens, all-apis), iam.groups:read typed in and flagged as not \
         documented, and iam.users:re being typed on the + other row (the hint line shows \
         the entry's keys). The user-authorized scopes below are one summary line.",
        &state,
    );
}
