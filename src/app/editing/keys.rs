//! Keys while an edit is open: the form, waiting, review and the one reveal.

use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

use super::{actor, info};
use crate::app::edit::form::FormEvent;
use crate::app::edit::plan::Confirm;
use crate::app::edit::{Op, Stage, external};
use crate::app::msg::{Effect, Task, TaskKey};
use crate::app::state::AppState;

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
            Vec::new()
        }
    }
}

/// ctrl+t in a policy form: fill issuer, audiences, subject claim and a subject pattern
/// from the next issuer template (GitHub Actions, Azure DevOps, GitLab, Kubernetes).
fn next_template(form: &mut crate::app::edit::form::Form, account_id: &str) -> &'static str {
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
