//! A planned write: the exact request, what it changes (before → after), how to confirm it,
//! how to check nobody changed the object meanwhile, and how it is journaled.

use serde_json::Value;

use crate::app::msg::Resource;
use crate::journal::{Operation, ResourceType};

/// How a destructive plan is confirmed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Confirm {
    /// Enter applies.
    Enter,
    /// `y` applies: the review names the target.
    Yes,
    /// The admin types the target's name (deleting an app connection or an SP).
    TypeName(String),
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Plan {
    /// One line saying what happens: "Delete secret 1a2b3c… of jenkins-legacy".
    pub title: String,
    pub method: String,
    /// Without scheme and host: `/api/2.0/accounts/<id>/…`.
    pub path: String,
    pub query: Vec<(String, String)>,
    pub body: Option<Value>,
    /// What the diff compares (and the journal keeps, secrets removed).
    pub before: Value,
    pub after: Value,
    pub confirm: Confirm,
    /// Read before applying; if it differs from the editor's base, the edit is re-planned.
    pub reread: Option<String>,
    /// The response key that holds a secret shown once (`secret`, `client_secret`).
    pub reveal: Option<&'static str>,
    /// Journal: what kind of write, on what, its id and name.
    pub operation: Operation,
    pub resource_type: ResourceType,
    pub resource_id: String,
    pub resource_name: String,
    /// What to read again once it is done.
    pub refresh: Refresh,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Refresh {
    /// The detail on screen.
    Detail,
    /// Leave the (deleted) detail and reload this list.
    BackTo(Resource),
    /// Reload this list.
    List(Resource),
}

impl Plan {
    /// `PATCH /api/…?update_mask=…`: the request target as the preview shows it.
    pub fn target(&self) -> String {
        let query: Vec<(&str, &str)> = self
            .query
            .iter()
            .map(|(k, v)| (k.as_str(), v.as_str()))
            .collect();
        crate::edit::preview::request_target(&self.path, &query)
    }

    /// Lines of the exact request, secrets masked.
    pub fn request_lines(&self) -> Vec<String> {
        crate::edit::preview::preview_lines(&self.method, &self.target(), self.body.as_ref())
    }

    pub fn changes(&self) -> Vec<crate::edit::changes::Change> {
        crate::edit::changes::diff(&self.before, &self.after)
    }
}

/// The parts of an object that say whether it changed: `meta` (timestamps, versions) moves
/// on every read on some servers, so it does not count.
pub fn comparable(value: &Value) -> Value {
    match value {
        Value::Object(map) => Value::Object(
            map.iter()
                .filter(|(key, _)| key.as_str() != "meta")
                .map(|(key, value)| (key.clone(), value.clone()))
                .collect(),
        ),
        other => other.clone(),
    }
}
