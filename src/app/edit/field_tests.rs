//! Fields through `update`: the scopes checklist with free entry.

use crossterm::event::{KeyCode, KeyModifiers};
use serde_json::{Value, json};

use super::Stage;
use super::tests::{form, key, key_with, session, stage, type_text};
use crate::app::msg::{Effect, Resource};
use crate::app::state::{AppState, Route};

fn ctrl(state: &mut AppState, c: char) -> Vec<Effect> {
    key_with(state, KeyCode::Char(c), KeyModifiers::CONTROL)
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
