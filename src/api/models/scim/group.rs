//! A SCIM group (reference §5.4): members are users, service principals and other groups.

use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

use super::{ComplexValue, GROUP_SCHEMA, Meta, ScimResource, values};
use crate::api::models::null_as_default;

#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Group {
    #[serde(
        default,
        deserialize_with = "null_as_default",
        skip_serializing_if = "Vec::is_empty"
    )]
    pub schemas: Vec<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub id: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub display_name: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub external_id: Option<String>,
    /// Users, service principals and groups. Newer accounts leave this out of the list
    /// response: fetch the group to see its members.
    #[serde(
        default,
        deserialize_with = "null_as_default",
        skip_serializing_if = "Vec::is_empty"
    )]
    pub members: Vec<ComplexValue>,
    /// Parent groups; output only.
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

impl Group {
    pub fn new(display_name: impl Into<String>) -> Self {
        Self {
            schemas: vec![GROUP_SCHEMA.to_owned()],
            display_name: Some(display_name.into()),
            ..Self::default()
        }
    }

    /// SCIM ids of the direct members (users, service principals and nested groups).
    pub fn member_ids(&self) -> impl Iterator<Item = &str> {
        values(&self.members)
    }

    pub fn has_member(&self, id: &str) -> bool {
        self.member_ids().any(|member| member == id)
    }

    /// A group that exists only inside one workspace (`meta.resourceType` `WorkspaceGroup`).
    pub fn is_workspace_local(&self) -> bool {
        self.meta
            .as_ref()
            .and_then(|meta| meta.resource_type.as_deref())
            == Some("WorkspaceGroup")
    }
}

impl ScimResource for Group {
    const PATH: &'static str = "Groups";
    const SCHEMA: &'static str = GROUP_SCHEMA;

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

    const GROUP: &str = r#"{"schemas": ["urn:ietf:params:scim:schemas:core:2.0:Group"],
 "id": "6029384756102938", "displayName": "data-eng", "externalId": "okta-grp-42",
 "members": [{"value": "4187365291046583", "display": "Ana Silva", "$ref": "Users/4187365291046583"},
             {"value": "7395847201938475", "display": "ci-deployer", "$ref": "ServicePrincipals/7395847201938475"}],
 "roles": [], "meta": {"resourceType": "Group"}}"#;

    fn to_value<T: Serialize>(value: &T) -> Value {
        serde_json::to_value(value).unwrap()
    }

    #[test]
    fn reads_the_group_example() {
        let group: Group = serde_json::from_str(GROUP).unwrap();
        assert_eq!(group.display_name.as_deref(), Some("data-eng"));
        assert_eq!(
            group.member_ids().collect::<Vec<_>>(),
            ["4187365291046583", "7395847201938475"]
        );
        assert!(group.has_member("7395847201938475"));
        assert_eq!(
            group.members[1].r#ref.as_deref(),
            Some("ServicePrincipals/7395847201938475")
        );
        assert!(group.roles.is_empty());
        assert!(!group.is_workspace_local());
        // `"roles": []` is the one thing not written back: an omitted list means the same.
        let mut original: Value = serde_json::from_str(GROUP).unwrap();
        original.as_object_mut().unwrap().remove("roles");
        assert_eq!(to_value(&group), original);
    }
}
