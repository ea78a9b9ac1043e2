//! Two kinds of field through `update`: long text handed to the admin's editor (ctrl+e, the
//! effect, and what comes back), and the scopes checklist with free entry.

use crossterm::event::{KeyCode, KeyModifiers};
use serde_json::{Value, json};

use super::Stage;
use super::tests::{form, key, key_with, on_detail, session, sp, stage, type_text};
use crate::app::keymap::Keymap;
use crate::app::msg::{EditorOutcome, EditorRequest, Effect, Msg, Resource};
use crate::app::state::{AppState, Route, StatusKind};
use crate::app::update::update;
use crate::edit::validate::federation::{JWKS_JSON, SUBJECT};

const JWKS: &str = r#"{
  "keys": [
    {"kty": "RSA", "kid": "ci-2025", "use": "sig", "alg": "RS256", "e": "AQAB",
     "n": "0vx7agoebGcQSuuPiLJXZptN9nndrQmbXEps2aiAFbWhM78LhWx4cbbfAAtVT86zwu1RK7aPFFxuhDR1L6tSoc_BJECPebWKRXjBZCiFV4n3oknjhMstn64tZ_2W-5JsGY4Hc5n9yBXArwl93lqt7_RN5w6Cf0h4QyQ5v-65YGjQR0_FDW2QvzqY368QQMicAtaSqzs8KJZgnYb9c7d0zgdAZHzu6qMQvRL5hajrn1n91CbOpbISD08qNLyrdkt-bFTWhAI4vMQFh6WeZu0fM4lFd2NcRwr3XPksINHaQ-G_xBniIqbw0Ls1jF44-csFCur-kEgU8awapJzKnqDKgw"}
  ]
}"#;

fn ctrl(state: &mut AppState, c: char) -> Vec<Effect> {
    key_with(state, KeyCode::Char(c), KeyModifiers::CONTROL)
}

fn editor_closed(state: &mut AppState, outcome: EditorOutcome) -> Vec<Effect> {
    update(
        state,
        &Keymap::defaults(),
        Msg::EditorClosed {
            field: JWKS_JSON,
            outcome,
        },
        10,
    )
}

fn status(state: &AppState) -> (StatusKind, String) {
    let status = state.status.as_ref().expect("a status line");
    (status.kind.clone(), status.text.clone())
}

/// A new federation policy for an SP: issuer and subject typed, the focus on Inline JWKS.
fn policy_form_on_jwks() -> AppState {
    let mut state = on_detail(
        Resource::ServicePrincipals,
        "8699569731819645",
        json!({"object": sp(), "secrets": [], "policies": []}),
    );
    key(&mut state, KeyCode::Char('p'));
    type_text(&mut state, "ci-keys");
    // Policy id, description, then the issuer.
    key(&mut state, KeyCode::Tab);
    key(&mut state, KeyCode::Tab);
    type_text(&mut state, "https://ci.northwind.example");
    // Audiences and subject claim stay empty; the subject.
    for _ in 0..3 {
        key(&mut state, KeyCode::Tab);
    }
    type_text(&mut state, "deploy-bot");
    key(&mut state, KeyCode::Tab);
    key(&mut state, KeyCode::Tab);
    let focused = &form(&state).fields[form(&state).focus];
    assert_eq!(focused.key, JWKS_JSON);
    state
}

#[test]
fn ctrl_e_on_the_inline_jwks_asks_for_the_editor_with_the_fields_text() {
    let mut state = policy_form_on_jwks();
    type_text(&mut state, "{\"keys\"");
    let effects = ctrl(&mut state, 'e');
    assert_eq!(
        effects,
        [Effect::SuspendForEditor(EditorRequest {
            field: JWKS_JSON,
            text: "{\"keys\"".into(),
            extension: "json",
        })]
    );
    assert_eq!(stage(&state), &Stage::Form, "the form waits for the editor");
    assert_eq!(
        form(&state).text(JWKS_JSON),
        "{\"keys\"",
        "nothing changes yet"
    );
}

#[test]
fn ctrl_e_on_a_one_line_field_keeps_its_line_editing_meaning() {
    let mut state = policy_form_on_jwks();
    // Up twice: the subject, a short one-line field.
    key(&mut state, KeyCode::Up);
    key(&mut state, KeyCode::Up);
    assert_eq!(form(&state).fields[form(&state).focus].key, SUBJECT);
    key(&mut state, KeyCode::Home);
    assert!(ctrl(&mut state, 'e').is_empty(), "no editor for it");
    // ctrl+e moved the cursor back to the end: typing goes there.
    type_text(&mut state, "-2");
    assert_eq!(form(&state).text(SUBJECT), "deploy-bot-2");
}

#[test]
fn what_the_editor_saved_replaces_the_field_is_validated_and_is_sent() {
    let mut state = policy_form_on_jwks();
    ctrl(&mut state, 'e');
    // Editors end the file with a line break; it is not kept.
    editor_closed(&mut state, EditorOutcome::Changed(format!("{JWKS}\n")));
    assert_eq!(form(&state).text(JWKS_JSON), JWKS);
    assert!(form(&state).messages.errors.is_empty());
    assert_eq!(
        status(&state),
        (
            StatusKind::Info,
            "Inline JWKS replaced with what the editor saved".into()
        )
    );
    ctrl(&mut state, 's');
    assert!(matches!(stage(&state), Stage::Review { .. }));
    let plan = state.editor.as_ref().and_then(|e| e.plan.clone()).unwrap();
    let body = plan.body.expect("a body");
    assert_eq!(body["oidc_policy"]["jwks_json"], JWKS);
    assert_eq!(
        body["oidc_policy"]["issuer"],
        "https://ci.northwind.example"
    );
}

#[test]
fn a_saved_jwks_that_is_not_valid_is_kept_with_the_problem_beside_it() {
    let mut state = policy_form_on_jwks();
    editor_closed(&mut state, EditorOutcome::Changed("{\"kys\": []}\n".into()));
    // Kept as written, so nothing typed in the editor is lost; the reason is beside it and
    // only there (the other fields are judged on submit).
    assert_eq!(form(&state).text(JWKS_JSON), "{\"kys\": []}");
    let messages = &form(&state).messages;
    assert_eq!(messages.errors.len(), 1, "{messages:?}");
    assert!(
        messages.errors_for(JWKS_JSON)[0].contains("no \"keys\" array"),
        "{messages:?}"
    );
    let (kind, text) = status(&state);
    assert_eq!(kind, StatusKind::Error);
    assert!(text.contains("needs fixing"), "{text}");
    // Submitting refuses it the same way.
    ctrl(&mut state, 's');
    assert_eq!(stage(&state), &Stage::Form);
}

#[test]
fn a_failed_or_unsaved_editor_leaves_the_field_as_it_was() {
    let mut state = policy_form_on_jwks();
    type_text(&mut state, "{}");
    editor_closed(
        &mut state,
        EditorOutcome::Failed("The editor (vim) exited with status 1".into()),
    );
    assert_eq!(form(&state).text(JWKS_JSON), "{}");
    assert_eq!(
        status(&state),
        (
            StatusKind::Error,
            "The editor (vim) exited with status 1: Inline JWKS was left as it was".into()
        )
    );
    editor_closed(&mut state, EditorOutcome::Unchanged);
    assert_eq!(form(&state).text(JWKS_JSON), "{}");
    assert_eq!(status(&state).0, StatusKind::Info);
    assert!(status(&state).1.contains("is as it was"));
    // Saved, but only a line break added: the same value.
    editor_closed(&mut state, EditorOutcome::Changed("{}\n".into()));
    assert!(status(&state).1.contains("Nothing changed"));
    // Typing goes on where it was.
    type_text(&mut state, "x");
    assert_eq!(form(&state).text(JWKS_JSON), "{}x");
}

#[test]
fn an_editor_that_returns_after_the_edit_closed_changes_nothing() {
    let mut state = policy_form_on_jwks();
    state.editor = None;
    assert!(editor_closed(&mut state, EditorOutcome::Changed(JWKS.into())).is_empty());
    assert_eq!(status(&state).0, StatusKind::Error);
}

fn new_app_form() -> AppState {
    let mut state = AppState::new(session());
    state.routes = vec![Route::List(Resource::Apps)];
    key(&mut state, KeyCode::Char('n'));
    type_text(&mut state, "Grafana");
    state
}

fn plan_body(state: &AppState) -> Value {
    state
        .editor
        .as_ref()
        .and_then(|e| e.plan.as_ref())
        .and_then(|p| p.body.clone())
        .expect("a planned body")
}

#[test]
fn scopes_are_checked_from_the_documented_ones_plus_typed_others() {
    let mut state = new_app_form();
    // Name, confidential, redirect URLs, then the scopes: sql and offline_access checked.
    for _ in 0..3 {
        key(&mut state, KeyCode::Tab);
    }
    assert_eq!(form(&state).items("scopes"), ["sql", "offline_access"]);
    // The cursor starts on all-apis: check it; offline_access is the third row: uncheck it.
    key(&mut state, KeyCode::Char(' '));
    key(&mut state, KeyCode::Down);
    key(&mut state, KeyCode::Down);
    key(&mut state, KeyCode::Char(' '));
    // Down to "+ other" and type two scopes at once.
    for _ in 0..4 {
        key(&mut state, KeyCode::Down);
    }
    type_text(&mut state, "iam.groups:read sql");
    key(&mut state, KeyCode::Enter);
    assert_eq!(
        form(&state).items("scopes"),
        ["sql", "all-apis", "iam.groups:read"]
    );
    // Down past "+ other" reaches the user-authorized scopes; check all-apis there too.
    key(&mut state, KeyCode::Down);
    assert_eq!(
        form(&state).fields[form(&state).focus].key,
        "user_authorized_scopes"
    );
    key(&mut state, KeyCode::Char(' '));
    // A refresh TTL without offline_access.
    key(&mut state, KeyCode::Tab);
    key(&mut state, KeyCode::Tab);
    type_text(&mut state, "1440");
    ctrl(&mut state, 's');
    let messages = form(&state).messages.clone();
    assert!(messages.is_valid(), "{messages:?}");
    assert!(
        messages.warnings_for("scopes")[0].contains("Scope 'iam.groups:read' is not one"),
        "{messages:?}"
    );
    assert!(
        messages.warnings_for("token_access_policy.refresh_token_ttl_in_minutes")[0]
            .contains("do not include offline_access"),
        "{messages:?}"
    );
    assert!(matches!(stage(&state), Stage::Review { .. }));
    let body = plan_body(&state);
    assert_eq!(
        body["scopes"],
        json!(["sql", "all-apis", "iam.groups:read"])
    );
    assert_eq!(body["user_authorized_scopes"], json!(["all-apis"]));
}

#[test]
fn a_refused_submit_keeps_the_checked_scopes() {
    let mut state = new_app_form();
    for _ in 0..4 {
        key(&mut state, KeyCode::Tab);
    }
    // A user-authorized scope the app does not have: refused beside the field.
    key(&mut state, KeyCode::Char(' '));
    ctrl(&mut state, 's');
    assert_eq!(stage(&state), &Stage::Form);
    assert!(
        !form(&state)
            .messages
            .errors_for("user_authorized_scopes")
            .is_empty()
    );
    assert_eq!(form(&state).items("user_authorized_scopes"), ["all-apis"]);
    assert_eq!(form(&state).items("scopes"), ["sql", "offline_access"]);
}
