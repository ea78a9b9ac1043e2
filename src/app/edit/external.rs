//! Long form text (an inline JWKS) edited in the admin's own editor: ctrl+e on such a field
//! asks the loop to hand over the terminal (`Effect::SuspendForEditor`); what the editor
//! saved comes back as `Msg::EditorClosed` and replaces the field, validated like typing.
//! An editor that failed or saved nothing leaves the field exactly as it was.

use super::Editor;
use super::form::{Form, Value};
use crate::app::msg::{EditorOutcome, EditorRequest};
use crate::edit::validate::Validation;

/// The request for the focused field, if it is long text that may go to an editor.
pub fn request(form: &Form) -> Option<EditorRequest> {
    let field = form.fields.get(form.focus)?;
    match (&field.value, field.editor_file) {
        (Value::Text(input), Some(extension)) => Some(EditorRequest {
            field: field.key,
            text: input.value().to_owned(),
            extension,
        }),
        _ => None,
    }
}

/// What the editor gave back, applied to the field `key` of the open form. Returns the
/// status line and whether it reports a failure.
pub fn apply(editor: &mut Editor, key: &'static str, outcome: EditorOutcome) -> (String, bool) {
    let Some(form) = editor.form.as_mut() else {
        return (
            "The form was closed; the editor's text was not used".into(),
            true,
        );
    };
    let Some(label) = form.get(key).map(|f| f.label) else {
        return (
            "The form changed; the editor's text was not used".into(),
            true,
        );
    };
    let text = match outcome {
        EditorOutcome::Failed(reason) => {
            return (format!("{reason}: {label} was left as it was"), true);
        }
        EditorOutcome::Unchanged => {
            return (
                format!("Nothing saved in the editor: {label} is as it was"),
                false,
            );
        }
        // Editors end a saved file with a line break; it is not part of the value.
        EditorOutcome::Changed(text) => text.trim_end().to_owned(),
    };
    if text == form.text(key) {
        return (
            format!("Nothing changed in the editor: {label} is as it was"),
            false,
        );
    }
    form.set_text(key, &text);
    form.confirm_discard = false;
    // Validated as typing is on submit, but only this field's messages are shown: the
    // others may simply not be filled in yet.
    let all = editor.op.validate(form);
    let mut messages = Validation::new();
    messages.errors = all.errors.into_iter().filter(|m| m.field == key).collect();
    messages.warnings = all
        .warnings
        .into_iter()
        .filter(|m| m.field == key)
        .collect();
    let problems = messages.errors.len();
    form.messages = messages;
    match problems {
        0 => (
            format!("{label} replaced with what the editor saved"),
            false,
        ),
        _ => (
            format!("{label} replaced with what the editor saved; it needs fixing (see beside it)"),
            true,
        ),
    }
}
