//! The edit overlay: forms, reviews, the one-time reveal, a refusal, a concurrent change and
//! read-only mode. Each state is reached the way the admin reaches it, keys through
//! `update`, with the server's answers delivered as task results.

use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use dbx_console::api::{ApiError, ApiErrorKind};
use dbx_console::app::keymap::Keymap;
use dbx_console::app::msg::{Msg, Resource, TaskEvent, TaskKey, TaskOutcome};
use dbx_console::app::state::{AppState, DetailMode, Mode, Remote, Route};
use dbx_console::app::update::update;
use serde_json::{Value, json};

use crate::fixtures::{ACCOUNT_ID, detail, loaded, on_user_detail, state_on, user_detail};
use crate::support::{SIZES, draw, screen_lines, snapshot, snapshot_with};

/// Not a secret the fake or Databricks ever issued: snapshots never hold a real one.
const FAKE_SECRET: &str = "dosefake0000snapshot0000notreal0000";

const TABLEAU_ID: &str = "b0c8e2f4-5a1d-4c3b-9e7f-1a2b3c4d5e6f";

fn tableau() -> Value {
    json!({
        "integration_id": TABLEAU_ID,
        "client_id": "3f9a1c2e-7b4d-4e8a-a6c1-0d2e4f6a8b1c",
        "name": "Tableau Cloud (prod)",
        "confidential": true,
        "redirect_urls": ["https://prod-useast-a.tableau.example.com/auth/add_oauth_token"],
        "scopes": ["sql", "offline_access"],
        "user_authorized_scopes": ["sql"],
        "token_access_policy": {
            "access_token_ttl_in_minutes": 60,
            "refresh_token_ttl_in_minutes": 10080,
            "enable_single_use_refresh_tokens": true,
            "absolute_session_lifetime_in_minutes": 43200
        },
        "create_time": "2025-01-14T09:30:12.000Z",
        "creator_username": "ines.moreau@northwind.example"
    })
}

fn apps() -> Vec<Value> {
    let mut superset = tableau();
    superset["integration_id"] = json!("5d1e9f0a-2b3c-4d5e-8f6a-7b8c9d0e1f2a");
    superset["name"] = json!("Superset (self-hosted)");
    vec![tableau(), superset]
}

fn key(state: &mut AppState, code: KeyCode) {
    key_with(state, code, KeyModifiers::NONE);
}

fn key_with(state: &mut AppState, code: KeyCode, modifiers: KeyModifiers) {
    update(
        state,
        &Keymap::defaults(),
        Msg::Key(KeyEvent::new(code, modifiers)),
        10,
    );
}

/// Presses `code` `times` times.
fn press(state: &mut AppState, code: KeyCode, times: usize) {
    for _ in 0..times {
        key(state, code);
    }
}

/// Adds `text` to the focused list field, its cursor on the "+ add" row.
fn add_item(state: &mut AppState, text: &str) {
    key(state, KeyCode::Enter);
    type_text(state, text);
    key(state, KeyCode::Enter);
}

fn ctrl_s(state: &mut AppState) {
    key_with(state, KeyCode::Char('s'), KeyModifiers::CONTROL);
}

fn type_text(state: &mut AppState, text: &str) {
    for c in text.chars() {
        key(state, KeyCode::Char(c));
    }
}

/// The server's answer to the edit's task.
fn deliver(state: &mut AppState, outcome: TaskOutcome) {
    update(
        state,
        &Keymap::defaults(),
        Msg::Task(TaskEvent {
            key: TaskKey::Edit,
            generation: 0,
            outcome,
        }),
        10,
    );
}

fn on_apps_list() -> AppState {
    let mut state = state_on(Resource::Apps);
    state
        .lists
        .insert(Resource::Apps, loaded(Resource::Apps, &apps()));
    state
}

fn on_detail(resource: Resource, id: &str, title: &str, data: Value) -> AppState {
    let mut state = state_on(resource);
    state.routes.push(Route::Detail {
        resource,
        id: id.into(),
        title: title.into(),
    });
    state.detail = Some(detail(
        resource,
        id,
        Remote::Ready(data),
        DetailMode::Fields,
    ));
    state
}

fn on_tableau() -> AppState {
    on_detail(
        Resource::Apps,
        TABLEAU_ID,
        "Tableau Cloud (prod)",
        json!({"object": tableau()}),
    )
}

fn stage_name(state: &AppState) -> String {
    let editor = state.editor.as_ref().expect("an edit is open");
    format!("{:?}", editor.stage)
        .split([' ', '{'])
        .next()
        .unwrap_or_default()
        .to_owned()
}

fn screen(state: &AppState, width: u16, height: u16) -> String {
    screen_lines(&draw(state, width, height)).join("\n")
}

/// The new-app form filled in: a name, and one redirect URL added with the list editor.
fn new_app_filled() -> AppState {
    let mut state = on_apps_list();
    key(&mut state, KeyCode::Char('n'));
    type_text(&mut state, "Grafana Cloud");
    press(&mut state, KeyCode::Tab, 2);
    add_item(
        &mut state,
        "https://grafana.example.com/login/generic_oauth",
    );
    state
}

#[test]
fn new_app_form_with_an_error_and_a_warning() {
    let mut state = on_apps_list();
    key(&mut state, KeyCode::Char('n'));
    // Submitting the untouched form: the name is required, and no redirect URL only warns.
    ctrl_s(&mut state);
    assert_eq!(stage_name(&state), "Form");
    let form = state.editor.as_ref().and_then(|e| e.form.as_ref()).unwrap();
    assert!(!form.messages.errors_for("name").is_empty());
    assert!(!form.messages.warnings_for("redirect_urls").is_empty());
    let large = screen(&state, 160, 48);
    assert!(large.contains("✗ "), "{large}");
    assert!(large.contains("! No redirect URLs"), "{large}");
    snapshot(
        "edit_new_app_form_error_and_warning",
        "`n` on app connections, then ctrl+s at once: ✗ the name is required (beside Name), \
         ! no redirect URL yet (beside Redirect URLs, a warning that does not block).",
        &state,
    );
}

#[test]
fn list_field_editor_mid_edit() {
    let mut state = new_app_filled();
    // The cursor is on "+ add" again: Enter opens a second item, typed half-way.
    key(&mut state, KeyCode::Enter);
    type_text(&mut state, "http://localhost:30");
    let large = screen(&state, 160, 48);
    assert!(large.contains("http://localhost:30▏"), "{large}");
    assert!(large.contains("Enter edit/add   Delete remove"), "{large}");
    snapshot(
        "edit_list_field_mid_edit",
        "New app form: one redirect URL added, a second being typed (▏ is the cursor); the \
         hint line shows the list editor's keys.",
        &state,
    );
}

/// `e` on Tableau: a redirect URL added and the access TTL changed, then ctrl+s.
fn tableau_edit_review() -> AppState {
    let mut state = on_tableau();
    key(&mut state, KeyCode::Char('e'));
    key(&mut state, KeyCode::Down);
    add_item(
        &mut state,
        "https://prod-euwest-a.tableau.example.com/auth/add_oauth_token",
    );
    press(&mut state, KeyCode::Tab, 3);
    press(&mut state, KeyCode::Backspace, 2);
    type_text(&mut state, "30");
    ctrl_s(&mut state);
    state
}

#[test]
fn review_of_an_app_edit() {
    let state = tableau_edit_review();
    assert_eq!(stage_name(&state), "Review");
    let large = screen(&state, 160, 48);
    assert!(
        large.contains("~ token_access_policy.access_token_ttl_in_minutes: 60 → 30"),
        "{large}"
    );
    assert!(large.contains("PATCH"), "{large}");
    snapshot(
        "edit_review_app_edit",
        "Review of an app connection edit: the field diff (a redirect URL added, the access \
         TTL 60 → 30) and the exact PATCH with its body.",
        &state,
    );
}

#[test]
fn a_secret_in_a_request_body_is_masked_in_the_review() {
    let mut state = tableau_edit_review();
    // No edit sends a secret today; the review must still never print one if a body has it.
    if let Some(plan) = state.editor.as_mut().and_then(|e| e.plan.as_mut()) {
        plan.body = Some(json!({"client_secret": FAKE_SECRET, "scopes": ["sql"]}));
    }
    for (width, height) in SIZES {
        let text = screen(&state, width, height);
        assert!(!text.contains(FAKE_SECRET), "{width}x{height}:\n{text}");
        assert!(
            text.contains("\"client_secret\": \"***\""),
            "{width}x{height}:\n{text}"
        );
    }
}

fn service_principal(name: &str) -> Value {
    json!({
        "schemas": ["urn:ietf:params:scim:schemas:core:2.0:ServicePrincipal"],
        "id": "8699569731819645",
        "applicationId": "9f450e4d-6246-48ff-a591-b337efc66b0e",
        "displayName": name,
        "active": true
    })
}

fn on_jenkins_legacy(secrets: Value) -> AppState {
    on_detail(
        Resource::ServicePrincipals,
        "8699569731819645",
        "jenkins-legacy",
        json!({"object": service_principal("jenkins-legacy"), "secrets": secrets, "policies": []}),
    )
}

#[test]
fn delete_review_needing_a_typed_name() {
    let mut state = on_jenkins_legacy(json!([]));
    key(&mut state, KeyCode::Char('d'));
    type_text(&mut state, "jenkins-leg");
    // Enter with a partial name applies nothing.
    key(&mut state, KeyCode::Enter);
    assert_eq!(stage_name(&state), "Review");
    let large = screen(&state, 160, 48);
    assert!(large.contains("> jenkins-leg▏"), "{large}");
    snapshot(
        "edit_delete_review_typed_name",
        "`d` on a service principal's fields: the review of its deletion asks for its name; \
         'jenkins-leg' typed so far (Enter does nothing until it matches). At 80x24 the \
         prompt line is cut off (bug: the_typed_name_prompt_is_on_screen_when_the_review_fits).",
        &state,
    );
}

#[test]
fn the_typed_name_prompt_is_on_screen_when_the_review_fits() {
    let mut app = on_tableau();
    key(&mut app, KeyCode::Char('d'));
    type_text(&mut app, "Tableau");
    let mut sp = on_jenkins_legacy(json!([]));
    key(&mut sp, KeyCode::Char('d'));
    type_text(&mut sp, "jenkins-leg");
    // Each review is shorter than the screen leaves room for: no scrolling should be needed.
    for (state, width, height, prompt) in [
        (&app, 160, 48, "> Tableau▏"),
        (&sp, 80, 24, "> jenkins-leg▏"),
    ] {
        let text = screen(state, width, height);
        assert!(text.contains(prompt), "{width}x{height}:\n{text}");
    }
}

#[test]
fn concurrent_change_review_banner() {
    let mut state = tableau_edit_review();
    key(&mut state, KeyCode::Enter);
    assert_eq!(stage_name(&state), "Applying");
    let mut current = tableau();
    current["redirect_urls"] = json!(["https://tableau.example.com/concurrent"]);
    deliver(&mut state, TaskOutcome::Changed(current));
    let large = screen(&state, 160, 48);
    assert!(
        large.contains("It changed on the server since you opened it"),
        "{large}"
    );
    assert!(
        large.contains("- redirect_urls: https://tableau.example.com/concurrent"),
        "{large}"
    );
    snapshot(
        "edit_review_changed_on_server",
        "Applying found the app changed meanwhile (someone replaced its redirect URLs): \
         nothing was written; the banner says so and the diff is against what is there now.",
        &state,
    );
}

#[test]
fn reveal_dialog_with_a_fake_secret() {
    let mut state = new_app_filled();
    ctrl_s(&mut state);
    key(&mut state, KeyCode::Enter);
    deliver(
        &mut state,
        TaskOutcome::Applied(json!({
            "integration_id": "0a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d",
            "client_id": "1c2d3e4f-5a6b-4c7d-8e9f-0a1b2c3d4e5f",
            "client_secret": FAKE_SECRET
        })),
    );
    assert_eq!(stage_name(&state), "Reveal");
    assert!(screen(&state, 80, 24).contains(FAKE_SECRET));
    snapshot(
        "edit_reveal_client_secret",
        "A new confidential app's client secret, shown once (a fixed fake value), with copy \
         and 'Enter when you have stored it'.",
        &state,
    );
    // Enter asks, y drops it: it is never drawn again.
    key(&mut state, KeyCode::Enter);
    assert!(screen(&state, 80, 24).contains("Have you stored it?"));
    key(&mut state, KeyCode::Char('y'));
    assert!(state.editor.is_none());
    for (width, height) in SIZES {
        assert!(!screen(&state, width, height).contains(FAKE_SECRET));
    }
}

#[test]
fn form_showing_a_server_refusal() {
    let secrets: Vec<Value> = (0..5)
        .map(|n| {
            json!({
                "id": format!("{n}b76d829a293f22{n}"),
                "status": "ACTIVE",
                "create_time": "2026-01-02T00:00:00Z",
                "expire_time": "2027-01-02T00:00:00Z"
            })
        })
        .collect();
    let mut state = on_jenkins_legacy(Value::Array(secrets));
    key(&mut state, KeyCode::Char('n'));
    press(&mut state, KeyCode::Backspace, 3);
    type_text(&mut state, "90");
    key(&mut state, KeyCode::Enter);
    key(&mut state, KeyCode::Enter);
    let path = format!(
        "/api/2.0/accounts/{ACCOUNT_ID}/servicePrincipals/8699569731819645/credentials/secrets"
    );
    deliver(
        &mut state,
        TaskOutcome::Failed(ApiError::new(
            "POST",
            &path,
            ApiErrorKind::Http {
                status: 400,
                error_code: "INVALID_STATE".into(),
                message: "Service principal 8699569731819645 already has 5 active secrets, the \
                          maximum is 5. Delete an old secret first."
                    .into(),
                request_id: Some("5f0c7a2e-1b3d-4e6f-8a9b-0c1d2e3f4a5b".into()),
                scim_type: None,
            },
        )),
    );
    assert_eq!(stage_name(&state), "Form");
    let large = screen(&state, 160, 48);
    assert!(large.contains("The server refused it:"), "{large}");
    assert!(large.contains("90▏"), "what was typed stays: {large}");
    snapshot(
        "edit_form_server_refusal",
        "A new secret for an SP at the cap of five: the server's refusal above the form, the \
         lifetime as typed (90) kept, the status line with the error.",
        &state,
    );
}

#[test]
fn the_focused_field_stays_on_screen_in_a_long_form() {
    let mut state = new_app_filled();
    for url in [
        "https://a.example/cb",
        "https://b.example/cb",
        "https://c.example/cb",
    ] {
        add_item(&mut state, url);
    }
    // On to the last field: Absolute session.
    press(&mut state, KeyCode::Tab, 6);
    let form = state.editor.as_ref().and_then(|e| e.form.as_ref()).unwrap();
    assert_eq!(form.fields[form.focus].label, "Absolute session (min)");
    for (width, height) in SIZES {
        let text = screen(&state, width, height);
        assert!(
            text.contains("› Absolute session (min)"),
            "{width}x{height}:\n{text}"
        );
    }
}

#[test]
fn read_only_header_and_help() {
    let mut state = on_user_detail(Remote::Ready(user_detail()));
    state.session.read_only = true;
    state.mode = Mode::Help;
    snapshot_with(
        "read_only_header_and_help_on_a_user",
        "Read-only: READ-ONLY in the header; `?` on a user's detail lists no key that \
         changes anything (no n, p, e, d, A or x).",
        &state,
        &Keymap::defaults().without_mutations(),
    );
}

#[test]
fn read_only_keys_open_nothing() {
    let mut state = on_user_detail(Remote::Ready(user_detail()));
    state.session.read_only = true;
    let keymap = Keymap::defaults().without_mutations();
    for c in ['n', 'p', 'e', 'd', 'A', 'x'] {
        let effects = update(
            &mut state,
            &keymap,
            Msg::Key(KeyEvent::new(KeyCode::Char(c), KeyModifiers::NONE)),
            10,
        );
        assert!(effects.is_empty(), "{c}: {effects:?}");
        assert!(state.editor.is_none(), "{c} opened an edit");
    }
    // Even the default keymap (a binding that slipped through) opens nothing.
    for c in ['n', 'p', 'e', 'd', 'A', 'x'] {
        key(&mut state, KeyCode::Char(c));
        assert!(state.editor.is_none(), "{c} opened an edit");
    }
}
