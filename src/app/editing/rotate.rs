//! Guided rotation's entry points: `R`, a detail that arrives mid-rotation, and leaving.

use super::{begin, info};
use crate::app::msg::{Action, Effect, Resource};
use crate::app::state::{AppState, DetailMode, Route, Status, StatusKind};

/// `R`: rotate the secret of the SP on screen (or of the selected row, once it is open).
pub fn rotate(state: &mut AppState, route: &Route) -> Vec<Effect> {
    if state.session.read_only {
        info(state, "Read-only mode: nothing can be changed");
        return Vec::new();
    }
    match route {
        Route::List(Resource::ServicePrincipals | Resource::Secrets) => {
            let effects = crate::app::navigate::open(state, route, DetailMode::Fields);
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
            match crate::app::rotation::check(&data, state.now) {
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
        && matches!(rotation.step, crate::app::rotation::Step::Waiting { .. })
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
