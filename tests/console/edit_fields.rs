//! Two kinds of form field drawn: the scopes checklist (documented scopes, an undocumented
//! one typed in, another being typed), and an inline JWKS that came back from the admin's
//! editor (ctrl+e), in full while focused and as one summary line otherwise.

use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use dbx_console::app::keymap::Keymap;
use dbx_console::app::msg::{EditorOutcome, Msg, Resource};
use dbx_console::app::state::AppState;
use dbx_console::app::update::update;
use dbx_console::edit::validate::federation::JWKS_JSON;

use crate::fixtures::state_on;
use crate::support::{assert_on_screen, snapshot};

const JWKS: &str = r#"{
  "keys": [
    {
      "kty": "EC",
      "crv": "P-256",
      "kid": "ci-2025",
      "x": "f83OJ3D2xF1Bg8vub9tLe1gHMzV76e8Tus9uPHvRVEU",
      "y": "x_FEzRu9m36HLN_tue659LNpXW6pCyStikYjKIWI5a0"
    }
  ]
}
"#;

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

/// A new account policy with its issuer, the inline JWKS filled from the editor.
fn policy_with_jwks_from_the_editor() -> AppState {
    let mut state = state_on(Resource::FederationPolicies);
    key(&mut state, KeyCode::Char('n'));
    type_text(&mut state, "ci-keys");
    key(&mut state, KeyCode::Tab);
    key(&mut state, KeyCode::Tab);
    type_text(&mut state, "https://ci.northwind.example");
    for _ in 0..5 {
        key(&mut state, KeyCode::Tab);
    }
    send(
        &mut state,
        Msg::EditorClosed {
            field: JWKS_JSON,
            outcome: EditorOutcome::Changed(JWKS.into()),
        },
    );
    state
}

#[test]
fn an_inline_jwks_from_the_editor_in_full_while_focused() {
    let state = policy_with_jwks_from_the_editor();
    assert_on_screen(
        &state,
        (160, 48),
        &[
            "ctrl+e $EDITOR   ctrl+s review   Esc cancel",
            "Inline JWKS replaced with what the editor saved",
            "⏎  \"keys\": [⏎",
        ],
    );
    snapshot(
        "edit_policy_jwks_from_editor",
        "New account federation policy, Inline JWKS focused after ctrl+e: the JWKS the editor \
         saved, its line breaks shown as ⏎ and the cursor at its end; the hint line offers \
         ctrl+e $EDITOR; the status line says the field was replaced.",
        &state,
    );
}

#[test]
fn an_inline_jwks_out_of_focus_is_one_line_with_its_line_count() {
    let mut state = policy_with_jwks_from_the_editor();
    key(&mut state, KeyCode::Up);
    assert_on_screen(
        &state,
        (160, 48),
        &[
            "  Inline JWKS               { \"keys\": [ { \"kty\": \"EC\", \"crv\": \"P-256\", \"kid\": \"ci-2025\"…  (11 lines)",
            "› JWKS URI",
        ],
    );
}
