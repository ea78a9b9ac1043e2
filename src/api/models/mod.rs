//! Wire models of the account API, in the exact wire names. Every model keeps the fields it
//! does not know (`extra`) so an update round-trips what the server sent, and omits unset
//! optionals on the way out.
//!
//! Values from a set the server may grow (workspace status, pricing tier, permission levels,
//! secret status, PATCH `op`) are plain `String`s with typed helpers rather than closed enums:
//! a string can never fail to deserialize and writes back exactly what was read, where an
//! enum with an `Unknown` fallback would lose the original spelling on the way out.
//! Timestamps stay the strings the server sent for the same reason (`.000Z` would not
//! survive a chrono round trip); helpers parse them on demand.

pub mod access_control;
pub mod apps;
pub mod federation;
pub mod scim;
pub mod secrets;
pub mod workspaces;

use chrono::{DateTime, Utc};
use serde::{Deserialize, Deserializer};

pub use access_control::{AssignableRoles, GrantRule, Role, RuleSet, UpdateRuleSetRequest};
pub use apps::{
    AppsPage, CreateCustomAppIntegration, CreatePublishedAppIntegration,
    CreatedCustomAppIntegration, CreatedPublishedAppIntegration, CustomAppIntegration,
    PublishedApp, PublishedAppIntegration, TokenAccessPolicy, UpdateCustomAppIntegration,
    UpdatePublishedAppIntegration,
};
pub use federation::{FederationPolicy, OidcPolicy, PoliciesPage};
pub use scim::{
    ComplexValue, Group, ListResponse, Meta, Name, PatchOp, PatchOperation, ScimResource,
    ServicePrincipal, User,
};
pub use secrets::{CreateSecretRequest, CreatedSecret, SecretInfo, SecretsPage};
pub use workspaces::{
    AzureWorkspaceInfo, PermissionAssignment, PermissionAssignments, PermissionLevel,
    PermissionLevels, Principal, PrincipalKind, UpdateWorkspaceAssignment, Workspace,
};

/// For list fields: the server may send the list, omit it, or send `null`, and all three
/// mean "empty" (reference, "Conventions"). `#[serde(default)]` covers the missing key;
/// this covers `null`, which a plain `Vec` would reject.
pub fn null_as_default<'de, D, T>(deserializer: D) -> Result<T, D::Error>
where
    D: Deserializer<'de>,
    T: Default + Deserialize<'de>,
{
    Option::<T>::deserialize(deserializer).map(Option::unwrap_or_default)
}

/// A page of a `page_token`-paged list, so the client can write one paging loop.
pub trait TokenPage {
    type Item;

    /// The token of the next page; `None` when absent or empty, both of which end the list
    /// (a real server sends `""` on the last page, see reference §13.5).
    fn next_page(&self) -> Option<&str>;

    fn into_items(self) -> Vec<Self::Item>;
}

fn non_empty(token: &Option<String>) -> Option<&str> {
    token.as_deref().filter(|token| !token.is_empty())
}

/// RFC 3339 timestamp as sent by the OAuth, secret and federation APIs; `None` when absent or
/// unreadable, so a surprising format degrades to "unknown" instead of an error.
fn parse_time(value: Option<&str>) -> Option<DateTime<Utc>> {
    DateTime::parse_from_rfc3339(value?)
        .ok()
        .map(|time| time.with_timezone(&Utc))
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde::Serialize;

    #[derive(Debug, Default, Serialize, Deserialize)]
    struct Holder {
        #[serde(default, deserialize_with = "null_as_default")]
        items: Vec<String>,
    }

    #[test]
    fn missing_null_and_empty_lists_read_as_empty() {
        for body in [r#"{}"#, r#"{"items": null}"#, r#"{"items": []}"#] {
            let holder: Holder = serde_json::from_str(body).unwrap();
            assert!(holder.items.is_empty(), "{body}");
        }
        let holder: Holder = serde_json::from_str(r#"{"items": ["a"]}"#).unwrap();
        assert_eq!(holder.items, ["a"]);
    }

    #[test]
    fn empty_page_token_ends_the_list() {
        assert_eq!(non_empty(&None), None);
        assert_eq!(non_empty(&Some(String::new())), None);
        assert_eq!(non_empty(&Some("abc".into())), Some("abc"));
    }

    #[test]
    fn timestamps_parse_with_millis_and_offsets() {
        let time = parse_time(Some("2025-03-01T10:15:30.000Z")).unwrap();
        assert_eq!(time.to_rfc3339(), "2025-03-01T10:15:30+00:00");
        let shifted = parse_time(Some("2025-03-01T11:15:30+01:00")).unwrap();
        assert_eq!(shifted, time);
        assert_eq!(parse_time(Some("yesterday")), None);
        assert_eq!(parse_time(None), None);
    }
}
