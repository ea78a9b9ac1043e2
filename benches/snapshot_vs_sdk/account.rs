//! What a complete read of the account holds: counted from the fake's own state, from a
//! snapshot document, and compared with what the SDK lister reports.

use std::fmt;

use dbx_console::mock::MockServer;
use serde_json::Value;

/// The keys `tests/sdk_conformance/tools/list_account.py` reports, in the order of `Counts`.
const KEYS: [&str; 11] = [
    "users",
    "groups",
    "group_members",
    "service_principals",
    "secrets",
    "sp_policies",
    "workspaces",
    "workspace_assignments",
    "account_policies",
    "custom_apps",
    "published_apps",
];

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Counts([usize; 11]);

impl Counts {
    /// Whether the SDK lister's `counts` object says the same.
    pub fn matches(&self, sdk: &Value) -> bool {
        KEYS.iter()
            .zip(self.0)
            .all(|(key, count)| sdk[*key].as_u64() == Some(count as u64))
    }
}

impl fmt::Display for Counts {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let parts: Vec<String> = KEYS
            .iter()
            .zip(self.0)
            .map(|(key, count)| format!("{key} {count}"))
            .collect();
        f.write_str(&parts.join(", "))
    }
}

/// What the fake holds.
pub fn expected(server: &MockServer) -> Counts {
    let account = server.shared().read();
    let group_members = account
        .groups
        .iter()
        .map(|(id, _)| account.memberships.member_count(id))
        .sum();
    let assignments = account
        .workspaces
        .values()
        .filter(|w| w.identity_federation)
        .map(|w| w.assignments.len())
        .sum();
    Counts([
        account.users.len(),
        account.groups.len(),
        group_members,
        account.service_principals.len(),
        account.secrets.values().map(Vec::len).sum(),
        account.sp_policies.values().map(|p| p.len()).sum(),
        account.workspaces.len(),
        assignments,
        account.account_policies.len(),
        account.custom_apps.len(),
        account.published_integrations.len(),
    ])
}

fn len(document: &Value, key: &str) -> usize {
    document[key].as_array().map_or(0, Vec::len)
}

/// Total length of the arrays under each key of an object (`{"sp id": [...]}`).
fn nested_len(document: &Value, key: &str) -> usize {
    document[key].as_object().map_or(0, |map| {
        map.values().filter_map(Value::as_array).map(Vec::len).sum()
    })
}

/// What a snapshot document holds.
pub fn counted(document: &Value) -> Counts {
    let group_members = document["groups"]
        .as_array()
        .map_or(0, |groups| groups.iter().map(|g| len(g, "members")).sum());
    Counts([
        len(document, "users"),
        len(document, "groups"),
        group_members,
        len(document, "service_principals"),
        nested_len(document, "service_principal_secrets"),
        nested_len(document, "service_principal_federation_policies"),
        len(document, "workspaces"),
        nested_len(document, "workspace_assignments"),
        len(document, "account_federation_policies"),
        len(document, "custom_app_integrations"),
        len(document, "published_app_integrations"),
    ])
}
