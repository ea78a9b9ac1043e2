//! One line of the change journal: who changed what, where, with which request, what it
//! looked like before and after, and whether the server confirmed it.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use serde_json::Value;

/// Who writes and where: the same for every write of one signed-in session.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Actor {
    pub profile: Option<String>,
    pub account_id: String,
    pub host: String,
    /// The signed-in user's SCIM `userName` (or a service principal's application id).
    pub user: Option<String>,
}

/// What kind of write. Stored as its string so a journal written by a newer console, with
/// operations this one does not know, still reads.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Operation {
    Create,
    /// A partial update (non-SCIM `PATCH`) or a full replacement (`PUT`).
    Update,
    /// A SCIM `PATCH` with its operations.
    Patch,
    Delete,
}

impl Operation {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Create => "create",
            Self::Update => "update",
            Self::Patch => "patch",
            Self::Delete => "delete",
        }
    }
}

/// What was written to, in the user's nouns. Stored as a string for the same reason as
/// [`Operation`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ResourceType {
    AppConnection,
    PublishedApp,
    ServicePrincipalSecret,
    FederationPolicy,
    WorkspaceAssignment,
    User,
    Group,
    ServicePrincipal,
    RuleSet,
}

impl ResourceType {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::AppConnection => "app_connection",
            Self::PublishedApp => "published_app",
            Self::ServicePrincipalSecret => "service_principal_secret",
            Self::FederationPolicy => "federation_policy",
            Self::WorkspaceAssignment => "workspace_assignment",
            Self::User => "user",
            Self::Group => "group",
            Self::ServicePrincipal => "service_principal",
            Self::RuleSet => "rule_set",
        }
    }
}

/// How the write ended. `OutcomeUnknown` is a request that was sent but whose answer never
/// came (a timeout, a dropped connection): the change may or may not have happened.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Outcome {
    Ok,
    Error,
    OutcomeUnknown,
}

impl Outcome {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Ok => "ok",
            Self::Error => "error",
            Self::OutcomeUnknown => "outcome_unknown",
        }
    }
}

/// One journal line. `before` and `after` are whatever JSON the caller had (the object as
/// read, the request body, the response); secrets are removed when the entry is written, so
/// callers need not clean them first.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Entry {
    pub time: DateTime<Utc>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub profile: Option<String>,
    #[serde(default)]
    pub account_id: String,
    #[serde(default)]
    pub host: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub user: Option<String>,
    pub operation: String,
    pub resource_type: String,
    /// Absent when a create failed before the server assigned an id.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub resource_id: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub resource_name: Option<String>,
    pub method: String,
    /// The request path with its query, without scheme and host.
    pub path: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub before: Option<Value>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub after: Option<Value>,
    pub result: Outcome,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub error: Option<String>,
}

impl Entry {
    /// A successful write happening now; the builder methods below fill in the rest.
    pub fn new(
        actor: &Actor,
        operation: Operation,
        resource_type: ResourceType,
        method: &str,
        path: &str,
    ) -> Self {
        let now = Utc::now();
        // Milliseconds, like the server's own timestamps; nanoseconds only add noise.
        let time = DateTime::from_timestamp_millis(now.timestamp_millis()).unwrap_or(now);
        Self {
            time,
            profile: actor.profile.clone(),
            account_id: actor.account_id.clone(),
            host: actor.host.clone(),
            user: actor.user.clone(),
            operation: operation.as_str().to_owned(),
            resource_type: resource_type.as_str().to_owned(),
            resource_id: None,
            resource_name: None,
            method: method.to_owned(),
            path: path.to_owned(),
            before: None,
            after: None,
            result: Outcome::Ok,
            error: None,
        }
    }

    pub fn at(mut self, time: DateTime<Utc>) -> Self {
        self.time = time;
        self
    }

    pub fn resource(mut self, id: impl Into<String>, name: Option<&str>) -> Self {
        self.resource_id = Some(id.into());
        self.resource_name = name.map(str::to_owned);
        self
    }

    pub fn before(mut self, value: Value) -> Self {
        self.before = Some(value);
        self
    }

    pub fn after(mut self, value: Value) -> Self {
        self.after = Some(value);
        self
    }

    /// The server refused the write: `message` says why.
    pub fn failed(mut self, message: impl Into<String>) -> Self {
        self.result = Outcome::Error;
        self.error = Some(message.into());
        self
    }

    /// The request went out but no answer came back, so the write may have happened.
    pub fn outcome_unknown(mut self, message: impl Into<String>) -> Self {
        self.result = Outcome::OutcomeUnknown;
        self.error = Some(message.into());
        self
    }

    /// The text columns after `time`, in the order of [`super::format::CSV_COLUMNS`];
    /// absent values are empty.
    pub fn text_columns(&self) -> [&str; 11] {
        [
            self.profile.as_deref().unwrap_or(""),
            &self.account_id,
            self.user.as_deref().unwrap_or(""),
            &self.operation,
            &self.resource_type,
            self.resource_id.as_deref().unwrap_or(""),
            self.resource_name.as_deref().unwrap_or(""),
            &self.method,
            &self.path,
            self.result.as_str(),
            self.error.as_deref().unwrap_or(""),
        ]
    }

    /// The resource as a person would name it: `name (id)`, or whichever of the two exists.
    pub fn resource_label(&self) -> String {
        match (&self.resource_name, &self.resource_id) {
            (Some(name), Some(id)) if name != id => format!("{name} ({id})"),
            (Some(name), _) => name.clone(),
            (None, Some(id)) => id.clone(),
            (None, None) => String::new(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn actor() -> Actor {
        Actor {
            profile: Some("acct-admin".into()),
            account_id: "0d4a3e4c".into(),
            host: "https://accounts.cloud.databricks.com".into(),
            user: Some("ana@example.com".into()),
        }
    }

    #[test]
    fn builder_fills_every_field_and_serializes_the_wire_names() {
        let time = DateTime::parse_from_rfc3339("2025-03-01T10:15:30.250Z")
            .unwrap()
            .with_timezone(&Utc);
        let entry = Entry::new(
            &actor(),
            Operation::Delete,
            ResourceType::ServicePrincipalSecret,
            "DELETE",
            "/api/2.0/accounts/0d4a3e4c/servicePrincipals/7/credentials/secrets/s1",
        )
        .at(time)
        .resource("s1", None)
        .before(json!({"id": "s1", "status": "ACTIVE"}))
        .failed("PERMISSION_DENIED: not an admin");
        let value = serde_json::to_value(&entry).unwrap();
        assert_eq!(value["time"], "2025-03-01T10:15:30.250Z");
        assert_eq!(value["operation"], "delete");
        assert_eq!(value["resource_type"], "service_principal_secret");
        assert_eq!(value["result"], "error");
        assert_eq!(value["error"], "PERMISSION_DENIED: not an admin");
        assert!(value.get("after").is_none() && value.get("resource_name").is_none());
        let back: Entry = serde_json::from_value(value).unwrap();
        assert_eq!(back, entry);
    }

    #[test]
    fn new_entries_are_successes_stamped_to_the_millisecond() {
        let entry = Entry::new(
            &actor(),
            Operation::Create,
            ResourceType::Group,
            "POST",
            "/p",
        );
        assert_eq!(entry.result, Outcome::Ok);
        assert_eq!(entry.time.timestamp_subsec_nanos() % 1_000_000, 0);
        let unknown = entry.outcome_unknown("timed out");
        assert_eq!(unknown.result.as_str(), "outcome_unknown");
    }

    #[test]
    fn resource_label_prefers_name_and_id_together() {
        let base = Entry::new(
            &actor(),
            Operation::Update,
            ResourceType::Group,
            "PUT",
            "/p",
        );
        assert_eq!(base.resource_label(), "");
        assert_eq!(
            base.clone()
                .resource("6029", Some("data-eng"))
                .resource_label(),
            "data-eng (6029)"
        );
        assert_eq!(
            base.clone().resource("okta", Some("okta")).resource_label(),
            "okta"
        );
        assert_eq!(base.resource("6029", None).resource_label(), "6029");
    }
}
