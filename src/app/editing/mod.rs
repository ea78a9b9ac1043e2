//! Edits in `update`: which change a key asks for where the admin is (`ops`), the form →
//! review → apply → (reveal) steps (`keys`), what the edit's tasks report (`results`), and
//! guided rotation's entry points (`rotate`). A refusal keeps the form exactly as typed.

mod keys;
mod ops;
mod results;
mod rotate;

use serde_json::Value;

use super::edit::{Editor, Stage, external};
use super::msg::{Action, EditorOutcome, Effect};
use super::state::{AppState, Status, StatusKind};
use super::view::Item;
use crate::journal::Actor;

pub use keys::on_key;
pub use ops::op_for;
pub use results::on_task;
pub use rotate::{after_detail_loaded, leave_rotation, rotate};

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
