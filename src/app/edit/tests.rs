//! Plans of each change and the whole edit flow through `update`: form, refusal keeping the
//! form, review, a concurrent change re-planned instead of overwritten, one-time reveal.

use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use serde_json::{Value, json};

use super::Stage;
use super::form::Form;
use super::ops::{Op, Principal};
use super::plan::Confirm;
use crate::api::{ApiError, ApiErrorKind};
use crate::app::keymap::Keymap;
use crate::app::msg::{Action, Effect, Msg, Resource, Task, TaskEvent, TaskKey, TaskOutcome};
use crate::app::navigate;
use crate::app::state::{AppState, Detail, DetailMode, Remote, Route, Session};
use crate::app::update::update;

pub(super) const ACCOUNT: &str = "7c1e4b2a-93d5-4f8e-b6a1-2d9c0e5f3a47";

pub(super) fn session() -> Session {
    Session {
        profile: Some("prod".into()),
        host: "https://accounts.cloud.databricks.com".into(),
        account_id: ACCOUNT.into(),
        user: Some("ana.silva@northwind.example".into()),
        token_expires_at: None,
        read_only: false,
        snapshot: None,
    }
}

pub(super) fn sp() -> Value {
    json!({
        "id": "8699569731819645",
        "displayName": "jenkins-legacy",
        "applicationId": "9f450e4d-6246-48ff-a591-b337efc66b0e",
        "active": true,
        "schemas": ["urn:ietf:params:scim:schemas:core:2.0:ServicePrincipal"],
    })
}

/// A state on `resource`'s detail showing `data`.
pub(super) fn on_detail(resource: Resource, id: &str, data: Value) -> AppState {
    let mut state = AppState::new(session());
    state.routes = vec![
        Route::List(resource),
        Route::Detail {
            resource,
            id: id.into(),
            title: "x".into(),
        },
    ];
    let mut detail = Detail {
        resource,
        id: id.into(),
        data: Remote::Ready(data),
        mode: DetailMode::Fields,
        lines: Vec::new(),
        selected: 0,
        offset: 0,
    };
    navigate::rebuild(&mut detail, state.now);
    state.detail = Some(detail);
    state
}

pub(super) fn key(state: &mut AppState, code: KeyCode) -> Vec<Effect> {
    key_with(state, code, KeyModifiers::NONE)
}

pub(super) fn key_with(
    state: &mut AppState,
    code: KeyCode,
    modifiers: KeyModifiers,
) -> Vec<Effect> {
    update(
        state,
        &Keymap::defaults(),
        Msg::Key(KeyEvent::new(code, modifiers)),
        10,
    )
}

pub(super) fn type_text(state: &mut AppState, text: &str) {
    for c in text.chars() {
        key(state, KeyCode::Char(c));
    }
}

pub(super) fn deliver(state: &mut AppState, outcome: TaskOutcome) -> Vec<Effect> {
    update(
        state,
        &Keymap::defaults(),
        Msg::Task(TaskEvent {
            key: TaskKey::Edit,
            generation: 0,
            outcome,
        }),
        10,
    )
}

pub(super) fn stage(state: &AppState) -> &Stage {
    &state.editor.as_ref().expect("an edit is open").stage
}

pub(super) fn form(state: &AppState) -> &Form {
    state
        .editor
        .as_ref()
        .and_then(|e| e.form.as_ref())
        .expect("a form")
}

#[test]
fn a_new_secret_posts_its_lifetime_and_reveals_once() {
    let op = Op::CreateSecret {
        sp_id: "8699569731819645".into(),
        sp_name: "jenkins-legacy".into(),
    };
    let mut form = op.form(&Value::Null).expect("a lifetime form");
    assert_eq!(form.text("lifetime"), "365");
    let plan = op.plan(ACCOUNT, &Value::Null, Some(&form), None);
    assert_eq!(plan.method, "POST");
    assert_eq!(
        plan.path,
        format!(
            "/api/2.0/accounts/{ACCOUNT}/servicePrincipals/8699569731819645/credentials/secrets"
        )
    );
    assert_eq!(plan.body, Some(json!({"lifetime": "31536000s"})));
    assert_eq!(plan.reveal, Some("secret"));
    form.fields[0] = super::form::Field::text("lifetime", "Lifetime (days)", "731", "");
    let validation = op.validate(&form);
    assert!(!validation.is_valid());
    assert!(!validation.errors_for("lifetime").is_empty());
}

#[test]
fn revoking_admin_is_a_scim_patch_confirmed_by_name() {
    let user = json!({"id": "42", "userName": "henrik@x.example", "roles": [{"value": "account_admin"}], "meta": {"resourceType": "User"}});
    let op = Op::SetAdmin {
        user_id: "42".into(),
        name: "henrik@x.example".into(),
        grant: false,
    };
    assert!(op.form(&user).is_none(), "straight to review");
    let plan = op.plan(ACCOUNT, &user, None, None);
    assert_eq!(plan.method, "PATCH");
    assert_eq!(plan.confirm, Confirm::Yes);
    assert_eq!(
        plan.body.as_ref().map(|b| b["Operations"][0].clone()),
        Some(json!({"op": "remove", "path": "roles[value eq \"account_admin\"]"}))
    );
    assert_eq!(plan.reread.as_deref(), Some(plan.path.as_str()));
    let changes = plan.changes();
    assert_eq!(changes.len(), 1, "{changes:?}");
    assert!(changes[0].path.starts_with("roles"), "{changes:?}");
}

#[test]
fn adding_a_member_sends_the_looked_up_id() {
    let group = json!({"id": "7", "displayName": "legacy-etl-2019", "members": []});
    let op = Op::AddMember {
        group_id: "7".into(),
        group_name: "legacy-etl-2019".into(),
    };
    let principal = Principal {
        id: "1272856247785912".into(),
        name: "aarav.desai@northwind.example".into(),
        collection: "Users",
    };
    let form = op.form(&group).expect("a member form");
    let plan = op.plan(ACCOUNT, &group, Some(&form), Some(&principal));
    assert_eq!(
        plan.body.as_ref().map(|b| b["Operations"][0].clone()),
        Some(json!({"op": "add", "path": "members", "value": [{"value": "1272856247785912"}]}))
    );
    assert_eq!(plan.changes().len(), 1);
}

#[test]
fn editing_an_app_diffs_only_what_the_form_holds() {
    let app = json!({
        "integration_id": "b0c8", "name": "Tableau", "confidential": true,
        "redirect_urls": ["https://a.example/cb"], "scopes": ["sql", "offline_access"],
        "user_authorized_scopes": [],
        "token_access_policy": {"access_token_ttl_in_minutes": 60, "refresh_token_ttl_in_minutes": 10080, "enable_single_use_refresh_tokens": true},
        "create_time": "2025-01-14T09:30:12.000Z",
    });
    let op = Op::EditApp {
        id: "b0c8".into(),
        name: "Tableau".into(),
    };
    let form = op.form(&app).expect("an app form");
    let unchanged = op.plan(ACCOUNT, &app, Some(&form), None);
    assert_eq!(
        unchanged.changes(),
        Vec::new(),
        "an untouched form changes nothing"
    );
    assert_eq!(unchanged.method, "PATCH");
    let delete = Op::DeleteApp {
        id: "b0c8".into(),
        name: "Tableau".into(),
    }
    .plan(ACCOUNT, &app, None, None);
    assert_eq!(delete.confirm, Confirm::TypeName("Tableau".into()));
}

fn secret_form_state() -> AppState {
    let mut state = on_detail(
        Resource::ServicePrincipals,
        "8699569731819645",
        json!({"object": sp(), "secrets": [], "policies": []}),
    );
    assert_eq!(key(&mut state, KeyCode::Char('n')), Vec::new());
    assert_eq!(stage(&state), &Stage::Form);
    state
}

#[test]
fn a_bad_lifetime_is_refused_beside_the_field_and_kept() {
    let mut state = secret_form_state();
    for _ in 0..3 {
        key(&mut state, KeyCode::Backspace);
    }
    type_text(&mut state, "900");
    assert_eq!(key(&mut state, KeyCode::Enter), Vec::new());
    assert_eq!(stage(&state), &Stage::Form);
    assert_eq!(form(&state).text("lifetime"), "900");
    assert!(!form(&state).messages.errors_for("lifetime").is_empty());
}

#[test]
fn the_whole_flow_with_a_concurrent_change_and_a_reveal() {
    let mut state = secret_form_state();
    key(&mut state, KeyCode::Enter);
    assert!(matches!(
        stage(&state),
        Stage::Review {
            changed_on_server: false,
            ..
        }
    ));
    let effects = key(&mut state, KeyCode::Enter);
    assert!(
        matches!(effects.as_slice(), [Effect::Start(Task::Apply { .. })]),
        "{effects:?}"
    );
    assert_eq!(stage(&state), &Stage::Applying);

    // The server says the object changed: nothing written, the review shows the new diff.
    deliver(
        &mut state,
        TaskOutcome::Changed(
            json!({"id": "8699569731819645", "displayName": "jenkins-legacy-renamed"}),
        ),
    );
    assert!(matches!(
        stage(&state),
        Stage::Review {
            changed_on_server: true,
            ..
        }
    ));
    assert!(
        state
            .editor
            .as_ref()
            .and_then(|e| e.error.as_ref())
            .is_some()
    );

    key(&mut state, KeyCode::Enter);
    let effects = deliver(
        &mut state,
        TaskOutcome::Applied(json!({"id": "abc", "secret": "dose0123456789abcdef"})),
    );
    assert!(
        effects
            .iter()
            .any(|e| matches!(e, Effect::Start(Task::Detail { .. }))),
        "the detail reloads: {effects:?}"
    );
    let Stage::Reveal { secret, .. } = stage(&state) else {
        panic!("the secret is revealed: {:?}", stage(&state));
    };
    assert_eq!(secret.expose(), "dose0123456789abcdef");
    assert!(
        !format!("{:?}", state).contains("dose0123456789abcdef"),
        "Debug never shows it"
    );
    let copy = key(&mut state, KeyCode::Char('c'));
    assert!(matches!(copy.as_slice(), [Effect::CopySecret(_)]));
    key(&mut state, KeyCode::Enter);
    assert!(matches!(
        stage(&state),
        Stage::Reveal {
            confirming: true,
            ..
        }
    ));
    key(&mut state, KeyCode::Char('y'));
    assert!(state.editor.is_none(), "the value is gone");
}

#[test]
fn a_refusal_returns_to_the_form_as_typed() {
    let mut state = secret_form_state();
    for _ in 0..3 {
        key(&mut state, KeyCode::Backspace);
    }
    type_text(&mut state, "30");
    key(&mut state, KeyCode::Enter);
    key(&mut state, KeyCode::Enter);
    let refusal = ApiError::new(
        "POST",
        "/secrets",
        ApiErrorKind::Http {
            status: 400,
            error_code: "RESOURCE_LIMIT_EXCEEDED".into(),
            message: "at most 5 active secrets".into(),
            request_id: None,
            scim_type: None,
        },
    );
    deliver(&mut state, TaskOutcome::Failed(refusal));
    assert_eq!(stage(&state), &Stage::Form);
    assert_eq!(form(&state).text("lifetime"), "30");
    assert!(
        form(&state)
            .server_error
            .as_deref()
            .is_some_and(|e| e.contains("at most 5"))
    );
}

#[test]
fn esc_in_review_goes_back_to_the_form_and_ctrl_s_submits() {
    let mut state = secret_form_state();
    key_with(&mut state, KeyCode::Char('s'), KeyModifiers::CONTROL);
    assert!(matches!(stage(&state), Stage::Review { .. }));
    key(&mut state, KeyCode::Esc);
    assert_eq!(stage(&state), &Stage::Form);
    key(&mut state, KeyCode::Esc);
    assert!(state.editor.is_none(), "an untouched form closes on Esc");
}

#[test]
fn read_only_offers_and_accepts_no_change() {
    let keymap = Keymap::defaults().without_mutations();
    for context in [
        crate::app::keymap::Context::List,
        crate::app::keymap::Context::Detail,
    ] {
        assert!(
            keymap
                .bindings(context)
                .iter()
                .all(|(action, _)| !action.is_mutation()),
            "{context:?}"
        );
    }
    let mut state = on_detail(
        Resource::ServicePrincipals,
        "8699569731819645",
        json!({"object": sp(), "secrets": []}),
    );
    state.session.read_only = true;
    let effects = crate::app::editing::begin(&mut state, Action::New);
    assert_eq!(effects, Vec::new());
    assert!(state.editor.is_none());
}

#[test]
fn delete_acts_on_the_line_under_the_cursor() {
    let mut state = on_detail(
        Resource::ServicePrincipals,
        "8699569731819645",
        json!({"object": sp(), "secrets": [
            {"id": "3b76d829a293f223", "status": "ACTIVE", "create_time": "2024-12-02T00:00:00Z", "expire_time": "2026-12-02T00:00:00Z"}
        ]}),
    );
    // On a field line, `d` means the SP itself: its name must be typed.
    key(&mut state, KeyCode::Char('d'));
    let plan = state
        .editor
        .as_ref()
        .and_then(|e| e.plan.clone())
        .expect("a plan");
    assert_eq!(plan.confirm, Confirm::TypeName("jenkins-legacy".into()));
    type_text(&mut state, "jenkins");
    assert_eq!(
        key(&mut state, KeyCode::Enter),
        Vec::new(),
        "a partial name applies nothing"
    );
    key(&mut state, KeyCode::Esc);
    assert!(state.editor.is_none());
    let line = state
        .detail
        .as_ref()
        .and_then(|d| d.lines.iter().position(|l| l.item.is_some()))
        .expect("a secret line");
    if let Some(detail) = state.detail.as_mut() {
        detail.selected = line;
    }
    key(&mut state, KeyCode::Char('d'));
    let plan = state
        .editor
        .as_ref()
        .and_then(|e| e.plan.clone())
        .expect("a plan");
    assert_eq!(plan.method, "DELETE");
    assert!(plan.path.ends_with("/credentials/secrets/3b76d829a293f223"));
    assert_eq!(plan.confirm, Confirm::Yes);
    // Enter does not apply a plan that asks for y.
    assert_eq!(key(&mut state, KeyCode::Enter), Vec::new());
    assert!(matches!(
        key(&mut state, KeyCode::Char('y')).as_slice(),
        [Effect::Start(Task::Apply { .. })]
    ));
}

#[test]
fn ctrl_t_fills_a_policy_form_from_the_issuer_templates() {
    let mut state = on_detail(
        Resource::ServicePrincipals,
        "8699569731819645",
        json!({"object": sp(), "secrets": [], "policies": []}),
    );
    key(&mut state, KeyCode::Char('p'));
    key_with(&mut state, KeyCode::Char('t'), KeyModifiers::CONTROL);
    let issuer = form(&state).text("oidc_policy.issuer");
    assert_eq!(issuer, "https://token.actions.githubusercontent.com");
    assert_eq!(form(&state).items("oidc_policy.audiences"), [ACCOUNT]);
    assert!(
        form(&state)
            .text("oidc_policy.subject")
            .starts_with("repo:")
    );
    // The next press moves on to the next issuer.
    key_with(&mut state, KeyCode::Char('t'), KeyModifiers::CONTROL);
    assert_ne!(form(&state).text("oidc_policy.issuer"), issuer);
    // Submitting with the template's placeholders left in is refused or warned, never silent.
    key_with(&mut state, KeyCode::Char('s'), KeyModifiers::CONTROL);
    let messages = &form(&state).messages;
    assert!(
        !messages.errors.is_empty() || !messages.warnings.is_empty(),
        "placeholders are flagged"
    );
}

#[test]
fn rule_set_roles_are_granted_by_a_whole_rule_set_put() {
    let rule_set = json!({
        "name": format!("accounts/{ACCOUNT}/servicePrincipals/9f45/ruleSets/default"),
        "etag": "e1",
        "grant_rules": [{"role": "roles/servicePrincipal.manager", "principals": ["users/grace@x.example"]}],
        "future_field": {"kept": true},
    });
    let mut state = on_detail(
        Resource::ServicePrincipals,
        "8699569731819645",
        json!({"object": sp(), "secrets": [], "rule_set": rule_set}),
    );
    key(&mut state, KeyCode::Char('o'));
    assert!(state.editor.is_some(), "{:?}", state.status);
    for c in "groups/data-eng".chars() {
        key(&mut state, KeyCode::Char(c));
        assert!(state.editor.is_some(), "after {c:?}: {:?}", state.status);
    }
    key(&mut state, KeyCode::Tab);
    key(&mut state, KeyCode::Right);
    assert_eq!(form(&state).text("role"), "manager");
    key_with(&mut state, KeyCode::Char('s'), KeyModifiers::CONTROL);
    let plan = state
        .editor
        .as_ref()
        .and_then(|e| e.plan.clone())
        .expect("a plan");
    assert_eq!(plan.method, "PUT");
    let body = plan.body.clone().expect("a body");
    assert_eq!(
        body["rule_set"]["etag"], "e1",
        "the etag guards the replace"
    );
    assert_eq!(
        body["rule_set"]["future_field"],
        json!({"kept": true}),
        "unknown fields carried"
    );
    assert_eq!(
        body["rule_set"]["grant_rules"][0]["principals"],
        json!(["users/grace@x.example", "groups/data-eng"])
    );
    assert_eq!(plan.changes().len(), 1, "{:?}", plan.changes());
    key(&mut state, KeyCode::Esc);
    assert_eq!(
        stage(&state),
        &Stage::Form,
        "Esc in review goes back to the form"
    );
}

#[test]
fn a_user_joins_and_leaves_groups_from_their_own_detail() {
    let user = json!({
        "id": "42", "userName": "aarav@x.example",
        "groups": [
            {"value": "7", "display": "data-eng", "type": "direct"},
            {"value": "8", "display": "engineering", "type": "indirect"},
        ],
    });
    let mut state = on_detail(Resource::Users, "42", json!({"object": user}));
    // `d` on the direct group's line ends that membership (a PATCH of the group).
    let line = state
        .detail
        .as_ref()
        .and_then(|d| d.lines.iter().position(|l| l.plain().contains("data-eng")))
        .expect("the group line");
    if let Some(detail) = state.detail.as_mut() {
        detail.selected = line;
    }
    key(&mut state, KeyCode::Char('d'));
    let plan = state
        .editor
        .as_ref()
        .and_then(|e| e.plan.clone())
        .expect("a plan");
    assert_eq!(
        plan.path,
        format!("/api/2.0/accounts/{ACCOUNT}/scim/v2/Groups/7")
    );
    assert_eq!(
        plan.body
            .as_ref()
            .map(|b| b["Operations"][0]["path"].clone()),
        Some(json!("members[value eq \"42\"]"))
    );
    assert_eq!(plan.confirm, Confirm::Yes);
    key(&mut state, KeyCode::Esc);
    // The indirect group's line has nothing to remove: it comes with a group.
    let indirect = state
        .detail
        .as_ref()
        .and_then(|d| {
            d.lines
                .iter()
                .position(|l| l.plain().contains("engineering"))
        })
        .expect("the indirect line");
    assert!(
        state
            .detail
            .as_ref()
            .is_some_and(|d| d.lines[indirect].item.is_none())
    );

    // `n` asks for a group; a name that is a user is refused beside the field.
    key(&mut state, KeyCode::Char('n'));
    type_text(&mut state, "ana@x.example");
    let effects = key(&mut state, KeyCode::Enter);
    assert!(matches!(
        effects.as_slice(),
        [Effect::Start(Task::Resolve { .. })]
    ));
    deliver(
        &mut state,
        TaskOutcome::Resolved(Ok(Principal {
            id: "9".into(),
            name: "ana@x.example".into(),
            collection: "Users",
        })),
    );
    assert_eq!(stage(&state), &Stage::Form);
    assert!(!form(&state).messages.errors_for("group").is_empty());
    key(&mut state, KeyCode::Enter);
    deliver(
        &mut state,
        TaskOutcome::Resolved(Ok(Principal {
            id: "11".into(),
            name: "platform-eng".into(),
            collection: "Groups",
        })),
    );
    let plan = state
        .editor
        .as_ref()
        .and_then(|e| e.plan.clone())
        .expect("a plan");
    assert_eq!(
        plan.path,
        format!("/api/2.0/accounts/{ACCOUNT}/scim/v2/Groups/11")
    );
    assert_eq!(plan.changes().len(), 1, "{:?}", plan.changes());
}
