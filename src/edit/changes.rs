//! What an edit changes, field by field, for the confirm step: nested fields by their dotted
//! path, lists of plain values element by element, lists of objects matched by their
//! identifying key, and secrets shown only as `***`.

use serde_json::{Map, Value};

use super::keyed::{identity_key, key_value};
use crate::redact::{MASK, is_secret_key, mask_secrets};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ChangeKind {
    Added,
    Removed,
    Changed,
}

/// One changed field or list element. `old`/`new` are display text: strings as they are,
/// other values as compact JSON, secrets as `***`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Change {
    /// Dotted path, e.g. `token_access_policy.refresh_token_ttl_in_minutes`; a list element
    /// matched by key is `members[value=7395847201938475]`; a plain-value list is its own path
    /// (`scopes`), with the element in `old`/`new`.
    pub path: String,
    pub kind: ChangeKind,
    pub old: Option<String>,
    pub new: Option<String>,
}

/// The changes from `before` to `after`; empty when they mean the same. A missing field,
/// `null` and `[]` mean the same (reference, "Conventions"), and a list's order does not
/// count.
pub fn diff(before: &Value, after: &Value) -> Vec<Change> {
    let mut changes = Vec::new();
    walk("", Some(before), Some(after), false, &mut changes);
    changes
}

fn walk(
    path: &str,
    before: Option<&Value>,
    after: Option<&Value>,
    is_masked: bool,
    out: &mut Vec<Change>,
) {
    let (before, after) = (present(before), present(after));
    if is_masked {
        // A secret is compared whole and never opened up.
        if before != after {
            out.push(change(
                path,
                before.map(|_| MASK.into()),
                after.map(|_| MASK.into()),
            ));
        }
        return;
    }
    match (before, after) {
        (None, None) => {}
        (Some(Value::Object(old)), Some(Value::Object(new))) => walk_objects(path, old, new, out),
        (Some(Value::Object(old)), None) => walk_objects(path, old, &Map::new(), out),
        (None, Some(Value::Object(new))) => walk_objects(path, &Map::new(), new, out),
        (Some(Value::Array(old)), Some(Value::Array(new))) => walk_arrays(path, old, new, out),
        (Some(Value::Array(old)), None) => walk_arrays(path, old, &[], out),
        (None, Some(Value::Array(new))) => walk_arrays(path, &[], new, out),
        (old, new) if old == new => {}
        (old, new) => out.push(change(path, old.map(render), new.map(render))),
    }
}

/// `None` for what the wire treats as absent.
fn present(value: Option<&Value>) -> Option<&Value> {
    value.filter(|v| !v.is_null() && v.as_array().is_none_or(|items| !items.is_empty()))
}

fn walk_objects(
    path: &str,
    old: &Map<String, Value>,
    new: &Map<String, Value>,
    out: &mut Vec<Change>,
) {
    let added_keys = new.keys().filter(|key| !old.contains_key(*key));
    for key in old.keys().chain(added_keys) {
        let child = join(path, key);
        walk(&child, old.get(key), new.get(key), is_secret_key(key), out);
    }
}

fn walk_arrays(path: &str, old: &[Value], new: &[Value], out: &mut Vec<Change>) {
    let holds_containers = old
        .iter()
        .chain(new)
        .any(|item| item.is_object() || item.is_array());
    let key = holds_containers
        .then(|| identity_key(&[old, new]))
        .flatten();
    let Some(key) = key else {
        // Plain values, or objects without an identity: compare as bags of whole elements.
        let (removed, added) = unmatched(old, new);
        for item in removed {
            out.push(change(path, Some(render_element(item, None)), None));
        }
        for item in added {
            out.push(change(path, None, Some(render_element(item, None))));
        }
        return;
    };
    let find = |list: &'_ [Value], id: &str| {
        list.iter()
            .find(|item| key_value(item, key).as_deref() == Some(id))
            .cloned()
    };
    for item in old {
        let id = key_value(item, key).unwrap_or_default();
        match find(new, &id) {
            Some(counterpart) => {
                let child = format!("{path}[{key}={id}]");
                walk(&child, Some(item), Some(&counterpart), false, out);
            }
            None => out.push(change(path, Some(render_element(item, Some(&id))), None)),
        }
    }
    for item in new {
        let id = key_value(item, key).unwrap_or_default();
        if find(old, &id).is_none() {
            out.push(change(path, None, Some(render_element(item, Some(&id)))));
        }
    }
}

/// Elements of `old` with no equal element left in `new`, and the reverse; each element
/// matches at most once, so a repeated value that appears once more is an addition.
fn unmatched<'a>(old: &'a [Value], new: &'a [Value]) -> (Vec<&'a Value>, Vec<&'a Value>) {
    let mut remaining: Vec<Option<&Value>> = new.iter().map(Some).collect();
    let mut removed = Vec::new();
    for item in old {
        match remaining
            .iter_mut()
            .find(|slot| slot.is_some_and(|other| other == item))
        {
            Some(slot) => *slot = None,
            None => removed.push(item),
        }
    }
    (removed, remaining.into_iter().flatten().collect())
}

fn change(path: &str, old: Option<String>, new: Option<String>) -> Change {
    let kind = match (&old, &new) {
        (None, _) => ChangeKind::Added,
        (_, None) => ChangeKind::Removed,
        _ => ChangeKind::Changed,
    };
    Change {
        path: path.to_owned(),
        kind,
        old,
        new,
    }
}

fn join(path: &str, key: &str) -> String {
    if path.is_empty() {
        key.to_owned()
    } else {
        format!("{path}.{key}")
    }
}

/// Strings as they are, everything else as compact JSON with secrets masked.
fn render(value: &Value) -> String {
    match value {
        Value::String(text) => text.clone(),
        other => mask_secrets(other).to_string(),
    }
}

/// A list element: a SCIM member reads best as `Ana Silva (4187365291046583)`.
fn render_element(item: &Value, id: Option<&str>) -> String {
    match (item.get("display").and_then(Value::as_str), id) {
        (Some(display), Some(id)) => format!("{display} ({id})"),
        _ => render(item),
    }
}

#[cfg(test)]
#[path = "changes_tests.rs"]
mod tests;
