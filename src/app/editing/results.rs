//! What the edit's tasks report: a resolved principal, a concurrent change, the write's
//! result (with the one reveal) or its failure, and what is read again afterwards.

use serde_json::Value;

use super::info;
use crate::app::edit::plan::Refresh;
use crate::app::edit::{Op, Stage};
use crate::app::facts::str_field;
use crate::app::msg::{Effect, Resource, TaskOutcome};
use crate::app::navigate::{back, start_detail, start_list};
use crate::app::state::{AppState, DetailMode, Route, Status};

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
                && rotation.step == crate::app::rotation::Step::Creating
            {
                rotation.step = crate::app::rotation::Step::Waiting {
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

fn refresh(state: &mut AppState, plan: &crate::app::edit::Plan) -> Vec<Effect> {
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
