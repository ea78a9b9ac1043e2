//! A SCIM user (reference §5.4): a person who signs in with their email address.

use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

use super::{ComplexValue, Meta, Name, ScimResource, USER_SCHEMA, has_account_admin_role, values};
use crate::api::models::null_as_default;

// `account_id` (snake_case even in SCIM, newer SDK model only) is deliberately not a field: it
// is output-only and not always sent, so it lives in `extra` and still round-trips.

#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct User {
    #[serde(
        default,
        deserialize_with = "null_as_default",
        skip_serializing_if = "Vec::is_empty"
    )]
    pub schemas: Vec<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub id: Option<String>,
    /// The email address; fixed once created (PUT/PATCH changes are ignored by the server).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub user_name: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub display_name: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<Name>,
    #[serde(
        default,
        deserialize_with = "null_as_default",
        skip_serializing_if = "Vec::is_empty"
    )]
    pub emails: Vec<ComplexValue>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub active: Option<bool>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub external_id: Option<String>,
    /// Output only: membership is changed on the group.
    #[serde(
        default,
        deserialize_with = "null_as_default",
        skip_serializing_if = "Vec::is_empty"
    )]
    pub groups: Vec<ComplexValue>,
    #[serde(
        default,
        deserialize_with = "null_as_default",
        skip_serializing_if = "Vec::is_empty"
    )]
    pub roles: Vec<ComplexValue>,
    #[serde(
        default,
        deserialize_with = "null_as_default",
        skip_serializing_if = "Vec::is_empty"
    )]
    pub entitlements: Vec<ComplexValue>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub meta: Option<Meta>,
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

impl User {
    /// A create body: the schema and the one required attribute.
    pub fn new(user_name: impl Into<String>) -> Self {
        Self {
            schemas: vec![USER_SCHEMA.to_owned()],
            user_name: Some(user_name.into()),
            ..Self::default()
        }
    }

    pub fn is_account_admin(&self) -> bool {
        has_account_admin_role(&self.roles)
    }

    /// SCIM users are active unless the server says otherwise; lists trimmed with
    /// `attributes=` may leave `active` out.
    pub fn is_active(&self) -> bool {
        self.active.unwrap_or(true)
    }

    /// The email marked primary, else the first one.
    pub fn primary_email(&self) -> Option<&str> {
        self.emails
            .iter()
            .find(|email| email.primary == Some(true))
            .or_else(|| self.emails.first())
            .and_then(|email| email.value.as_deref())
    }

    pub fn group_ids(&self) -> impl Iterator<Item = &str> {
        values(&self.groups)
    }
}

impl ScimResource for User {
    const PATH: &'static str = "Users";
    const SCHEMA: &'static str = USER_SCHEMA;

    fn id(&self) -> Option<&str> {
        self.id.as_deref()
    }

    fn display_name(&self) -> Option<&str> {
        self.display_name.as_deref()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    const USER: &str = r#"{
  "schemas": ["urn:ietf:params:scim:schemas:core:2.0:User"],
  "id": "4187365291046583",
  "userName": "ana@example.com",
  "displayName": "Ana Silva",
  "name": {"givenName": "Ana", "familyName": "Silva"},
  "emails": [{"value": "ana@example.com", "type": "work", "primary": true}],
  "active": true,
  "externalId": "00u1a2b3c4D5e6F7g8h9",
  "groups": [{"value": "6029384756102938", "display": "data-eng", "type": "direct"}],
  "roles": [{"value": "account_admin"}]
}"#;

    fn to_value<T: Serialize>(value: &T) -> Value {
        serde_json::to_value(value).unwrap()
    }

    #[test]
    fn reads_the_user_example_and_writes_it_back_unchanged() {
        let user: User = serde_json::from_str(USER).unwrap();
        assert_eq!(ScimResource::id(&user), Some("4187365291046583"));
        assert_eq!(user.user_name.as_deref(), Some("ana@example.com"));
        assert_eq!(
            user.name.as_ref().unwrap().family_name.as_deref(),
            Some("Silva")
        );
        assert_eq!(user.primary_email(), Some("ana@example.com"));
        assert_eq!(user.external_id.as_deref(), Some("00u1a2b3c4D5e6F7g8h9"));
        assert_eq!(user.group_ids().collect::<Vec<_>>(), ["6029384756102938"]);
        assert!(user.is_account_admin());
        assert!(user.is_active());
        let original: Value = serde_json::from_str(USER).unwrap();
        assert_eq!(to_value(&user), original);
    }

    #[test]
    fn a_user_without_active_is_active_and_without_roles_is_no_admin() {
        let user: User = serde_json::from_str(r#"{"id": "1", "roles": null}"#).unwrap();
        assert!(user.is_active());
        assert!(!user.is_account_admin());
        assert_eq!(to_value(&user), json!({"id": "1"}));
        let inactive: User = serde_json::from_str(r#"{"id": "1", "active": false}"#).unwrap();
        assert!(!inactive.is_active());
        assert_eq!(to_value(&inactive), json!({"id": "1", "active": false}));
    }
}
