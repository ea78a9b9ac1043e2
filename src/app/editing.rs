//! Edits in `update`: which change a key asks for where the admin is, the form → review →
//! apply → (reveal) steps, and what a refusal or a concurrent change does. A refusal keeps
//! the form exactly as typed.

use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use serde_json::Value;

use super::edit::form::FormEvent;
use super::edit::plan::{Confirm, Refresh};
use super::edit::{Editor, Op, Stage, external};
use super::facts::{self, str_field};
use super::msg::{Action, EditorOutcome, Effect, Resource, Task, TaskKey, TaskOutcome};
use super::navigate::{back, start_detail, start_list};
use super::state::{AppState, DetailMode, Route, Status, StatusKind};
use super::view::Item;
use crate::journal::Actor;

fn info(state: &mut AppState, text: impl Into<String>) {
    state.status = Some(Status {
        kind: StatusKind::Info,
        text: text.into(),
    });
}

/// The object of the detail on screen, as the server sent it.
fn detail_object(state: &AppState) -> Value {
    state
        .detail
        .as_ref()
        .and_then(|d| d.data.value())
        .map(|data| data.get("object").cloned().unwrap_or_else(|| data.clone()))
        .unwrap_or(Value::Null)
}

fn selected_item(state: &AppState) -> Option<Item> {
    let detail = state.detail.as_ref()?;
    detail.lines.get(detail.selected)?.item.clone()
}

/// The change a mutating key asks for here, or why there is none.
pub fn op_for(state: &AppState, action: Action) -> Result<(Op, Value), String> {
    let object = detail_object(state);
    let name = |keys: &[&str]| {
        keys.iter()
            .find_map(|key| str_field(&object, key))
            .unwrap_or_default()
            .to_owned()
    };
    let id = name(&["id"]);
    let route = state.route().clone();
    let item = selected_item(state);
    let nothing = |what: &str| Err(format!("Nothing to {what} here"));
    match (&route, action) {
        (Route::List(Resource::Apps), Action::New) => Ok((Op::CreateApp, Value::Null)),
        (Route::List(Resource::FederationPolicies), Action::New) => {
            Ok((Op::CreatePolicy { sp_id: None }, Value::Null))
        }
        (Route::List(Resource::Users), Action::New) => Ok((Op::CreateUser, Value::Null)),
        (Route::List(Resource::Groups), Action::New) => Ok((Op::CreateGroup, Value::Null)),
        (Route::List(Resource::ServicePrincipals), Action::New) => {
            Ok((Op::CreateServicePrincipal, Value::Null))
        }
        (Route::List(Resource::PublishedApps), Action::New) => {
            let row = state
                .list(Resource::PublishedApps)
                .and_then(|l| l.selected_row())
                .cloned();
            match row {
                Some(row) if row.id.starts_with("catalog:") => Ok((
                    Op::EnablePublished {
                        app_id: row.id.trim_start_matches("catalog:").to_owned(),
                        name: row.cells.first().cloned().unwrap_or_default(),
                    },
                    Value::Null,
                )),
                _ => Err("Select an available app from the catalogue to enable it".into()),
            }
        }
        (Route::List(_), _) => nothing("create"),
        (
            Route::Detail {
                resource,
                id: route_id,
                title,
            },
            action,
        ) => {
            let resource = *resource;
            match (resource, action, item) {
                (Resource::ServicePrincipals, Action::New, _) => Ok((
                    Op::CreateSecret {
                        sp_id: id,
                        sp_name: name(&["displayName"]),
                    },
                    Value::Null,
                )),
                (Resource::ServicePrincipals, Action::EditRoles, _) => {
                    let rule_set = state
                        .detail
                        .as_ref()
                        .and_then(|d| d.data.value())
                        .and_then(|data| data.get("rule_set"))
                        .cloned();
                    match rule_set {
                        Some(rule_set) => Ok((
                            Op::SetRole {
                                sp_name: name(&["displayName"]),
                            },
                            rule_set,
                        )),
                        None => Err("The rule set of this SP could not be read: r reloads".into()),
                    }
                }
                (Resource::ServicePrincipals, Action::NewPolicy, _) => {
                    Ok((Op::CreatePolicy { sp_id: Some(id) }, Value::Null))
                }
                (
                    Resource::ServicePrincipals,
                    Action::Delete,
                    Some(Item::Secret {
                        id: secret_id,
                        label,
                    }),
                ) => Ok((
                    Op::DeleteSecret {
                        sp_id: id,
                        sp_name: name(&["displayName"]),
                        secret_id,
                        label,
                    },
                    Value::Null,
                )),
                (
                    Resource::ServicePrincipals,
                    Action::Edit | Action::Delete,
                    Some(Item::Policy { id: policy_id }),
                ) => {
                    let policy = state
                        .detail
                        .as_ref()
                        .and_then(|d| d.data.value())
                        .and_then(|data| data.get("policies"))
                        .and_then(Value::as_array)
                        .and_then(|list| {
                            list.iter()
                                .find(|p| str_field(p, "policy_id") == Some(&policy_id))
                        })
                        .cloned()
                        .unwrap_or(Value::Null);
                    let op = if action == Action::Edit {
                        Op::EditPolicy {
                            sp_id: Some(id),
                            policy_id,
                        }
                    } else {
                        Op::DeletePolicy {
                            sp_id: Some(id),
                            policy_id,
                        }
                    };
                    Ok((op, policy))
                }
                (Resource::Groups, Action::New, _) => Ok((
                    Op::AddMember {
                        group_id: id,
                        group_name: name(&["displayName"]),
                    },
                    object,
                )),
                (
                    Resource::Groups,
                    Action::Delete,
                    Some(Item::Member {
                        id: member_id,
                        name: member_name,
                    }),
                ) => Ok((
                    Op::RemoveMember {
                        group_id: id,
                        group_name: name(&["displayName"]),
                        member_id,
                        member_name,
                    },
                    object,
                )),
                (Resource::Workspaces, Action::New | Action::Edit | Action::Delete, item) => {
                    let workspace_id = route_id.clone();
                    let workspace_name = name(&["workspace_name"]);
                    let data = state
                        .detail
                        .as_ref()
                        .and_then(|d| d.data.value())
                        .cloned()
                        .unwrap_or_default();
                    match (action, item) {
                        (Action::New, _) => Ok((
                            Op::Assign {
                                workspace_id,
                                workspace_name,
                                principal: String::new(),
                                permission: "USER".into(),
                            },
                            data,
                        )),
                        (
                            Action::Edit,
                            Some(Item::Assignment {
                                name, permission, ..
                            }),
                        ) => Ok((
                            Op::Assign {
                                workspace_id,
                                workspace_name,
                                principal: name,
                                permission: if permission.contains("ADMIN") {
                                    "ADMIN"
                                } else {
                                    "USER"
                                }
                                .into(),
                            },
                            data,
                        )),
                        (
                            Action::Delete,
                            Some(Item::Assignment {
                                principal_id, name, ..
                            }),
                        ) => Ok((
                            Op::Unassign {
                                workspace_id,
                                workspace_name,
                                principal_id,
                                principal_name: name,
                            },
                            data,
                        )),
                        _ => Err(
                            "Select an assignment first (j/k), then e changes it or d removes it"
                                .into(),
                        ),
                    }
                }
                (Resource::Apps, Action::Edit, _) => Ok((
                    Op::EditApp {
                        id: name(&["integration_id"]),
                        name: name(&["name"]),
                    },
                    object,
                )),
                (Resource::Apps, Action::Delete, _) => Ok((
                    Op::DeleteApp {
                        id: name(&["integration_id"]),
                        name: name(&["name"]),
                    },
                    object,
                )),
                (Resource::FederationPolicies, Action::Edit | Action::Delete, _) => {
                    let sp_id = route_id
                        .strip_prefix("sp:")
                        .and_then(|rest| rest.split_once('/'))
                        .map(|(sp, _)| sp.to_owned());
                    let policy_id = name(&["policy_id"]);
                    let op = if action == Action::Edit {
                        Op::EditPolicy { sp_id, policy_id }
                    } else {
                        Op::DeletePolicy { sp_id, policy_id }
                    };
                    Ok((op, object))
                }
                (Resource::PublishedApps, Action::Edit | Action::Delete, _)
                    if route_id.starts_with("catalog:") =>
                {
                    Err("This app is not enabled yet: n on its row in the list enables it".into())
                }
                (Resource::PublishedApps, Action::Edit, _) => Ok((
                    Op::EditPublished {
                        id: route_id.clone(),
                        name: title.clone(),
                    },
                    object,
                )),
                (Resource::PublishedApps, Action::Delete, _) => Ok((
                    Op::DisablePublished {
                        id: route_id.clone(),
                        name: title.clone(),
                    },
                    object,
                )),
                (Resource::Groups, Action::Edit, _) => Ok((
                    Op::RenameGroup {
                        id,
                        name: name(&["displayName"]),
                    },
                    object,
                )),
                (
                    Resource::Users | Resource::Groups | Resource::ServicePrincipals,
                    Action::Delete,
                    None,
                ) => Ok((
                    Op::DeletePrincipal {
                        resource,
                        id,
                        name: name(&["userName", "displayName"]),
                    },
                    object,
                )),
                (Resource::Users, Action::New, _) => Ok((
                    Op::JoinGroup {
                        member_id: id,
                        member_name: name(&["userName"]),
                    },
                    object,
                )),
                (
                    Resource::Users | Resource::ServicePrincipals,
                    Action::Delete,
                    Some(Item::Membership {
                        group_id,
                        group_name,
                    }),
                ) => Ok((
                    Op::LeaveGroup {
                        group_id,
                        group_name,
                        member_id: id,
                        member_name: name(&["userName", "displayName"]),
                    },
                    object,
                )),
                (Resource::Users, Action::ToggleAdmin, _) => Ok((
                    Op::SetAdmin {
                        user_id: id,
                        name: name(&["userName"]),
                        grant: !facts::is_account_admin(&object),
                    },
                    object,
                )),
                (Resource::Users | Resource::ServicePrincipals, Action::ToggleActive, _) => Ok((
                    Op::SetActive {
                        resource,
                        id,
                        name: title.clone(),
                        active: !facts::is_active(&object),
                    },
                    object,
                )),
                (_, Action::Delete, _) => Err(
                    "Select what to remove first (a secret, member, policy or assignment line)"
                        .into(),
                ),
                _ => nothing("change"),
            }
        }
    }
}

/// `R`: rotate the secret of the SP on screen (or of the selected row, once it is open).
pub fn rotate(state: &mut AppState, route: &Route) -> Vec<Effect> {
    if state.session.read_only {
        info(state, "Read-only mode: nothing can be changed");
        return Vec::new();
    }
    match route {
        Route::List(Resource::ServicePrincipals | Resource::Secrets) => {
            let effects = super::navigate::open(state, route, DetailMode::Fields);
            state.rotate_when_loaded = !effects.is_empty();
            effects
        }
        Route::List(_) => {
            info(
                state,
                "Rotation is for service principal secrets: :sp or :secrets",
            );
            Vec::new()
        }
        Route::Detail {
            resource: Resource::ServicePrincipals,
            ..
        } => {
            let Some(data) = state.detail.as_ref().and_then(|d| d.data.value()).cloned() else {
                state.rotate_when_loaded = true;
                return Vec::new();
            };
            match super::rotation::check(&data, state.now) {
                Err(reason) => {
                    state.status = Some(Status {
                        kind: StatusKind::Error,
                        text: reason,
                    });
                    Vec::new()
                }
                Ok(rotation) => {
                    state.rotation = Some(rotation);
                    let effects = begin(state, Action::New);
                    if let Some(editor) = state.editor.as_mut()
                        && let Some(form) = editor.form.as_mut()
                    {
                        form.title = format!("Rotate: {}", form.title);
                    }
                    effects
                }
            }
        }
        Route::Detail { .. } => {
            info(
                state,
                "Rotation is for service principal secrets: open an SP first",
            );
            Vec::new()
        }
    }
}

/// A detail arrived: start a rotation asked for from a list, or move a rotation on.
pub fn after_detail_loaded(state: &mut AppState) {
    if std::mem::take(&mut state.rotate_when_loaded) {
        let route = state.route().clone();
        rotate(state, &route);
        return;
    }
    let now = state.now;
    let data = state.detail.as_ref().and_then(|d| d.data.value()).cloned();
    if let (Some(rotation), Some(data)) = (state.rotation.as_ref(), data)
        && matches!(rotation.step, super::rotation::Step::Waiting { .. })
    {
        let text = rotation.state_text(Some(&data), now);
        if rotation.remaining(&data, now).is_empty() {
            state.rotation = None;
        }
        info(state, text);
    }
}

/// Leaving the SP mid-rotation: say exactly what state it is left in.
pub fn leave_rotation(state: &mut AppState) {
    if let Some(rotation) = state.rotation.take() {
        let data = state.detail.as_ref().and_then(|d| d.data.value()).cloned();
        let text = rotation.state_text(data.as_ref(), state.now);
        state.status = Some(Status {
            kind: StatusKind::Info,
            text: format!("{text}. R on the service principal continues."),
        });
    }
}

/// A mutating key: open the form, or go straight to review for a change without one.
pub fn begin(state: &mut AppState, action: Action) -> Vec<Effect> {
    if state.session.read_only {
        info(state, "Read-only mode: nothing can be changed");
        return Vec::new();
    }
    if state
        .detail
        .as_ref()
        .is_some_and(|d| d.data.value().is_none())
    {
        info(state, "Wait for the detail to load first");
        return Vec::new();
    }
    match op_for(state, action) {
        Err(reason) => {
            info(state, reason);
            Vec::new()
        }
        Ok((op, base)) => {
            let form = op.form(&base);
            let mut editor = Editor {
                op,
                base,
                form,
                plan: None,
                stage: Stage::Form,
                error: None,
            };
            if editor.form.is_none() {
                let plan = editor
                    .op
                    .plan(&state.session.account_id, &editor.base, None, None);
                editor.plan = Some(plan);
                editor.stage = Stage::review(false);
            }
            state.editor = Some(editor);
            Vec::new()
        }
    }
}

fn actor(state: &AppState) -> Actor {
    Actor {
        profile: state.session.profile.clone(),
        account_id: state.session.account_id.clone(),
        host: state.session.host.clone(),
        user: state.session.user.clone(),
    }
}

/// Keys while an edit is open: they all belong to it.
pub fn on_key(state: &mut AppState, key: KeyEvent) -> Vec<Effect> {
    let account_id = state.session.account_id.clone();
    let actor = actor(state);
    let Some(editor) = state.editor.as_mut() else {
        return Vec::new();
    };
    match &mut editor.stage {
        Stage::Form => {
            let Some(form) = editor.form.as_mut() else {
                return Vec::new();
            };
            let is_policy = matches!(editor.op, Op::CreatePolicy { .. } | Op::EditPolicy { .. });
            if is_policy
                && key.code == KeyCode::Char('t')
                && key.modifiers.contains(KeyModifiers::CONTROL)
            {
                let label = next_template(form, &account_id);
                info(
                    state,
                    format!("Template {label}: replace the <placeholders> in the subject"),
                );
                return Vec::new();
            }
            if key.code == KeyCode::Char('e')
                && key.modifiers.contains(KeyModifiers::CONTROL)
                && let Some(request) = external::request(form)
            {
                return vec![Effect::SuspendForEditor(request)];
            }
            match form.on_key(key) {
                FormEvent::Cancel => {
                    state.editor = None;
                    state.rotation = None;
                    info(state, "Cancelled: nothing was changed");
                }
                FormEvent::Submit => {
                    // A new submit starts from what is typed now: old banners go.
                    editor.error = None;
                    let validation = editor.op.validate(form);
                    let valid = validation.is_valid();
                    form.messages = validation;
                    if !valid {
                        return Vec::new();
                    }
                    if let Some(field) = editor.op.principal_field() {
                        let name = form.text(field);
                        editor.stage = Stage::Preparing;
                        return vec![Effect::Start(Task::Resolve { name })];
                    }
                    editor.plan = Some(editor.op.plan(&account_id, &editor.base, Some(form), None));
                    editor.stage = Stage::review(false);
                }
                FormEvent::Edited => form.messages = Default::default(),
                FormEvent::Nothing => {}
            }
            Vec::new()
        }
        Stage::Preparing | Stage::Applying => {
            // Esc stops waiting; a write already sent is not undone (it is journaled).
            if key.code == KeyCode::Esc && matches!(editor.stage, Stage::Preparing) {
                editor.stage = Stage::Form;
                return vec![Effect::Cancel(TaskKey::Edit)];
            }
            Vec::new()
        }
        Stage::Review { typed, scroll, .. } => {
            let Some(plan) = editor.plan.clone() else {
                return Vec::new();
            };
            let apply = match (&plan.confirm, key.code) {
                (_, KeyCode::Esc) => {
                    if editor.form.is_some() {
                        editor.stage = Stage::Form;
                    } else {
                        state.editor = None;
                        info(state, "Cancelled: nothing was changed");
                    }
                    return Vec::new();
                }
                (_, KeyCode::Down) => {
                    *scroll += 1;
                    false
                }
                (_, KeyCode::Up) => {
                    *scroll = scroll.saturating_sub(1);
                    false
                }
                (Confirm::Enter, KeyCode::Enter) => true,
                (Confirm::Yes, KeyCode::Char('y')) => true,
                (Confirm::TypeName(name), KeyCode::Enter) => typed == name,
                (Confirm::TypeName(_), KeyCode::Backspace) => {
                    typed.pop();
                    false
                }
                (Confirm::TypeName(_), KeyCode::Char(c)) => {
                    typed.push(c);
                    false
                }
                _ => false,
            };
            if !apply {
                return Vec::new();
            }
            editor.stage = Stage::Applying;
            vec![Effect::Start(Task::Apply {
                plan: Box::new(plan),
                base: editor.base.clone(),
                actor,
            })]
        }
        Stage::Reveal {
            confirming, secret, ..
        } => {
            match (key.code, *confirming) {
                (KeyCode::Char('c'), _) => {
                    let secret = secret.clone();
                    info(state, "Copied the secret to the clipboard (OSC 52)");
                    return vec![Effect::CopySecret(secret)];
                }
                (KeyCode::Enter | KeyCode::Esc, false) => *confirming = true,
                (KeyCode::Char('y'), true) => {
                    // The value is dropped here: it never reaches the screen again.
                    state.editor = None;
                    info(
                        state,
                        "The secret is gone from the console; it cannot be shown again",
                    );
                }
                (KeyCode::Char('n') | KeyCode::Esc, true) => *confirming = false,
                _ => {}
            }
            let _ = KeyModifiers::NONE;
            Vec::new()
        }
    }
}

/// The editor opened with ctrl+e exited: its text goes into the field, or, if it failed or
/// saved nothing, the field stays as it was and the status line says why.
pub fn on_editor_closed(
    state: &mut AppState,
    field: &'static str,
    outcome: EditorOutcome,
) -> Vec<Effect> {
    let (text, is_failure) = match state.editor.as_mut() {
        Some(editor) => external::apply(editor, field, outcome),
        None => (
            "The edit was closed; the editor's text was not used".into(),
            true,
        ),
    };
    state.status = Some(Status {
        kind: if is_failure {
            StatusKind::Error
        } else {
            StatusKind::Info
        },
        text,
    });
    Vec::new()
}

/// ctrl+t in a policy form: fill issuer, audiences, subject claim and a subject pattern
/// from the next issuer template (GitHub Actions, Azure DevOps, GitLab, Kubernetes).
fn next_template(form: &mut super::edit::form::Form, account_id: &str) -> &'static str {
    use crate::edit::templates::TEMPLATES;
    use crate::edit::validate::federation::{AUDIENCES, ISSUER, SUBJECT, SUBJECT_CLAIM};
    let current = form.text(ISSUER);
    let next = TEMPLATES
        .iter()
        .position(|t| t.issuer == current)
        .map_or(0, |index| (index + 1) % TEMPLATES.len());
    let template = &TEMPLATES[next];
    let policy = template.to_oidc_policy(Some(account_id));
    form.set_text(ISSUER, policy.issuer.as_deref().unwrap_or_default());
    form.set_items(AUDIENCES, policy.audiences.clone());
    form.set_text(
        SUBJECT_CLAIM,
        policy.subject_claim.as_deref().unwrap_or_default(),
    );
    form.set_text(SUBJECT, policy.subject.as_deref().unwrap_or_default());
    form.messages = Default::default();
    template.label
}

/// Results of the edit's tasks.
pub fn on_task(state: &mut AppState, outcome: TaskOutcome) -> Vec<Effect> {
    let account_id = state.session.account_id.clone();
    let Some(editor) = state.editor.as_mut() else {
        return Vec::new();
    };
    match outcome {
        TaskOutcome::Resolved(Ok(principal))
            if matches!(editor.op, Op::JoinGroup { .. }) && principal.collection != "Groups" =>
        {
            if let Some(form) = editor.form.as_mut() {
                form.messages = Default::default();
                form.messages.error(
                    "group",
                    format!(
                        "'{}' is not a group: name a group to add to.",
                        principal.name
                    ),
                );
            }
            editor.stage = Stage::Form;
            Vec::new()
        }
        TaskOutcome::Resolved(Ok(principal)) => {
            editor.plan = Some(editor.op.plan(
                &account_id,
                &editor.base,
                editor.form.as_ref(),
                Some(&principal),
            ));
            editor.stage = Stage::review(false);
            Vec::new()
        }
        TaskOutcome::Resolved(Err(message)) => {
            let field = editor.op.principal_field().unwrap_or("member");
            if let Some(form) = editor.form.as_mut() {
                form.messages = Default::default();
                form.messages.error(field, message);
            }
            editor.stage = Stage::Form;
            Vec::new()
        }
        TaskOutcome::Changed(current) => {
            // Someone changed it meanwhile: plan again against what is there now, and show
            // that diff; nothing was written.
            editor.base = current;
            editor.plan = Some(editor.op.plan(
                &account_id,
                &editor.base,
                editor.form.as_ref(),
                None,
            ));
            editor.stage = Stage::review(true);
            editor.error = Some(
                "It changed on the server since you opened it: this is the diff against what is there now. Apply again to write it.".into(),
            );
            Vec::new()
        }
        TaskOutcome::Applied(response) => {
            let plan = editor.plan.clone();
            if let (Some(rotation), Op::CreateSecret { .. }) = (state.rotation.as_mut(), &editor.op)
                && rotation.step == super::rotation::Step::Creating
            {
                rotation.step = super::rotation::Step::Waiting {
                    new_secret: str_field(&response, "id").unwrap_or_default().to_owned(),
                };
            }
            let secret = plan
                .as_ref()
                .and_then(|p| p.reveal)
                .and_then(|key| response.get(key))
                .and_then(Value::as_str)
                .map(|s| crate::secret::Secret::from(s.to_owned()));
            let title = plan.as_ref().map(|p| p.title.clone()).unwrap_or_default();
            match secret {
                Some(secret) => {
                    editor.stage = Stage::Reveal {
                        title,
                        secret,
                        confirming: false,
                    };
                }
                None => {
                    state.editor = None;
                    info(state, format!("Done: {title}"));
                }
            }
            plan.map(|p| refresh(state, &p)).unwrap_or_default()
        }
        TaskOutcome::Failed(error) => {
            let text = format!("{error} — {}", error.hint());
            editor.error = Some(if error.is_outcome_unknown() {
                format!(
                    "{text}. It may or may not have happened: check before trying again (the journal has it)."
                )
            } else {
                text.clone()
            });
            // Back where the admin can fix it, everything typed still there.
            editor.stage = if editor.form.is_some() {
                Stage::Form
            } else {
                Stage::review(false)
            };
            if let Some(form) = editor.form.as_mut() {
                form.server_error = editor.error.clone();
            }
            state.status = Some(Status::error(&error));
            Vec::new()
        }
        _ => Vec::new(),
    }
}

/// Reads again what is on screen: the detail, or the list.
fn reload_on_screen(state: &mut AppState) -> Vec<Effect> {
    match state.route().clone() {
        Route::Detail { resource, id, .. } => {
            let mode = state.detail.as_ref().map_or(DetailMode::Fields, |d| d.mode);
            start_detail(state, resource, id, mode)
        }
        Route::List(resource) => start_list(state, resource),
    }
}

fn refresh(state: &mut AppState, plan: &super::edit::Plan) -> Vec<Effect> {
    let on_policy_detail = matches!(
        state.route(),
        Route::Detail {
            resource: Resource::FederationPolicies,
            ..
        }
    );
    match &plan.refresh {
        // A policy deleted from its own detail: that detail is gone, so go back to where it
        // was opened from (its service principal) and read that again.
        Refresh::Detail
            if plan.operation == crate::journal::Operation::Delete && on_policy_detail =>
        {
            let route = state.route().clone();
            let mut effects = back(state, &route);
            effects.extend(reload_on_screen(state));
            effects
        }
        Refresh::Detail => reload_on_screen(state),
        Refresh::List(resource) => start_list(state, *resource),
        Refresh::BackTo(resource) => {
            let mut effects = Vec::new();
            while matches!(state.route(), Route::Detail { .. }) {
                let route = state.route().clone();
                effects.extend(back(state, &route));
            }
            effects.extend(start_list(state, *resource));
            effects
        }
    }
}
