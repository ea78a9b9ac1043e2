//! SCIM 2.0 identities (reference §5): the shared pieces here, one file per resource type,
//! the list and PATCH messages in `messages`. SCIM keys are camelCase.

mod group;
mod messages;
mod service_principal;
mod user;

use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

pub use group::Group;
pub use messages::{ListResponse, PatchOp, PatchOperation};
pub use service_principal::ServicePrincipal;
pub use user::User;

pub const USER_SCHEMA: &str = "urn:ietf:params:scim:schemas:core:2.0:User";
pub const GROUP_SCHEMA: &str = "urn:ietf:params:scim:schemas:core:2.0:Group";
pub const SERVICE_PRINCIPAL_SCHEMA: &str = "urn:ietf:params:scim:schemas:core:2.0:ServicePrincipal";
pub const LIST_RESPONSE_SCHEMA: &str = "urn:ietf:params:scim:api:messages:2.0:ListResponse";
pub const PATCH_OP_SCHEMA: &str = "urn:ietf:params:scim:api:messages:2.0:PatchOp";

/// The `roles` value that makes a user or service principal an account admin.
pub const ACCOUNT_ADMIN_ROLE: &str = "account_admin";

/// What the client needs to handle Users, Groups and ServicePrincipals with one generic set of
/// SCIM calls.
pub trait ScimResource: Serialize + DeserializeOwned {
    /// The resource type segment of the path: `.../scim/v2/{PATH}`.
    const PATH: &'static str;
    /// The core schema URN a create or replace body must carry in `schemas`.
    const SCHEMA: &'static str;

    /// The SCIM id; `None` only on a resource not created yet.
    fn id(&self) -> Option<&str>;

    fn display_name(&self) -> Option<&str>;
}

/// An element of a multi-valued attribute (emails, groups, members, roles, entitlements).
/// The wire key of `r#ref` is literally `$ref`.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ComplexValue {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub value: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub display: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub primary: Option<bool>,
    #[serde(rename = "type", default, skip_serializing_if = "Option::is_none")]
    pub r#type: Option<String>,
    #[serde(rename = "$ref", default, skip_serializing_if = "Option::is_none")]
    pub r#ref: Option<String>,
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

impl ComplexValue {
    /// An element naming only its value: what PATCH needs to add a member or a role.
    pub fn new(value: impl Into<String>) -> Self {
        Self {
            value: Some(value.into()),
            ..Self::default()
        }
    }

    fn has_value(&self, wanted: &str) -> bool {
        self.value.as_deref() == Some(wanted)
    }
}

/// Lets a list of elements be a PATCH value: `PatchOperation::add("members", vec![..])`.
/// Built by hand rather than through `serde_json::to_value`, which has an error path this
/// shape can never take.
impl From<ComplexValue> for Value {
    fn from(element: ComplexValue) -> Self {
        let mut object = Map::new();
        let fields = [
            ("value", element.value.map(Value::from)),
            ("display", element.display.map(Value::from)),
            ("primary", element.primary.map(Value::from)),
            ("type", element.r#type.map(Value::from)),
            ("$ref", element.r#ref.map(Value::from)),
        ];
        for (key, value) in fields {
            if let Some(value) = value {
                object.insert(key.to_owned(), value);
            }
        }
        object.extend(element.extra);
        Value::Object(object)
    }
}

#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Name {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub given_name: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub family_name: Option<String>,
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

/// `meta`: `resourceType` tells an account group (`Group`) from a workspace-local one
/// (`WorkspaceGroup`).
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Meta {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub resource_type: Option<String>,
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

fn has_account_admin_role(roles: &[ComplexValue]) -> bool {
    roles.iter().any(|role| role.has_value(ACCOUNT_ADMIN_ROLE))
}

fn values(elements: &[ComplexValue]) -> impl Iterator<Item = &str> {
    elements
        .iter()
        .filter_map(|element| element.value.as_deref())
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn complex_value_uses_the_literal_ref_and_type_keys() {
        let body = json!({"value": "7395847201938475", "display": "ci-deployer",
            "$ref": "ServicePrincipals/7395847201938475", "type": "direct", "primary": false,
            "future": {"x": 1}});
        let element: ComplexValue = serde_json::from_value(body.clone()).unwrap();
        assert_eq!(
            element.r#ref.as_deref(),
            Some("ServicePrincipals/7395847201938475")
        );
        assert_eq!(element.r#type.as_deref(), Some("direct"));
        assert_eq!(element.primary, Some(false));
        assert_eq!(serde_json::to_value(&element).unwrap(), body);
        assert_eq!(Value::from(element), body);
    }

    #[test]
    fn a_bare_element_carries_only_its_value() {
        assert_eq!(Value::from(ComplexValue::new("42")), json!({"value": "42"}));
        assert_eq!(
            serde_json::to_value(ComplexValue::new("42")).unwrap(),
            json!({"value": "42"})
        );
    }

    #[test]
    fn name_and_meta_are_camel_case() {
        let name: Name = serde_json::from_str(
            r#"{"givenName": "Ana", "familyName": "Silva", "middleName": "B"}"#,
        )
        .unwrap();
        assert_eq!(name.given_name.as_deref(), Some("Ana"));
        assert_eq!(name.extra["middleName"], "B");
        let meta: Meta = serde_json::from_str(r#"{"resourceType": "WorkspaceGroup"}"#).unwrap();
        assert_eq!(meta.resource_type.as_deref(), Some("WorkspaceGroup"));
        assert_eq!(
            serde_json::to_value(&meta).unwrap(),
            json!({"resourceType": "WorkspaceGroup"})
        );
    }

    #[test]
    fn the_trait_names_paths_and_schemas() {
        assert_eq!(User::PATH, "Users");
        assert_eq!(Group::PATH, "Groups");
        assert_eq!(ServicePrincipal::PATH, "ServicePrincipals");
        assert_eq!(User::new("a@b").schemas, [User::SCHEMA]);
        assert_eq!(Group::new("g").schemas, [Group::SCHEMA]);
        assert_eq!(
            ServicePrincipal::SCHEMA,
            "urn:ietf:params:scim:schemas:core:2.0:ServicePrincipal"
        );
        let local: Group =
            serde_json::from_str(r#"{"meta": {"resourceType": "WorkspaceGroup"}}"#).unwrap();
        assert!(local.is_workspace_local());
    }
}
