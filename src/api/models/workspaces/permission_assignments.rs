//! Workspace permission assignments (reference §9): which users, groups and service principals
//! may use a workspace, and at which level.

use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

use crate::api::models::null_as_default;

/// The two levels the server accepts (case-sensitive). Permissions stay strings because the
/// server may also report `UNKNOWN` or a level added later.
pub const PERMISSION_USER: &str = "USER";
pub const PERMISSION_ADMIN: &str = "ADMIN";

#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct PermissionAssignment {
    #[serde(default)]
    pub principal: Principal,
    #[serde(
        default,
        deserialize_with = "null_as_default",
        skip_serializing_if = "Vec::is_empty"
    )]
    pub permissions: Vec<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub error: Option<String>,
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

impl PermissionAssignment {
    /// `ADMIN` wins when both levels are present, as on the server.
    pub fn is_admin(&self) -> bool {
        self.permissions
            .iter()
            .any(|level| level == PERMISSION_ADMIN)
    }
}

/// Who an assignment is for. Exactly one of the three name fields is set and says the kind.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct Principal {
    /// The SCIM id, as a JSON number here.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub principal_id: Option<i64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub display_name: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub user_name: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub group_name: Option<String>,
    /// Believed to be the application id (unconfirmed in the reference).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub service_principal_name: Option<String>,
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum PrincipalKind {
    User,
    Group,
    ServicePrincipal,
    /// None of the name fields was sent.
    Unknown,
}

impl Principal {
    pub fn kind(&self) -> PrincipalKind {
        if self.user_name.is_some() {
            PrincipalKind::User
        } else if self.group_name.is_some() {
            PrincipalKind::Group
        } else if self.service_principal_name.is_some() {
            PrincipalKind::ServicePrincipal
        } else {
            PrincipalKind::Unknown
        }
    }
}

/// The list response; the endpoint is not paged.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct PermissionAssignments {
    #[serde(
        default,
        deserialize_with = "null_as_default",
        skip_serializing_if = "Vec::is_empty"
    )]
    pub permission_assignments: Vec<PermissionAssignment>,
}

/// An entry of `GET .../permissionassignments/permissions`.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct PermissionLevel {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub permission_level: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct PermissionLevels {
    #[serde(
        default,
        deserialize_with = "null_as_default",
        skip_serializing_if = "Vec::is_empty"
    )]
    pub permissions: Vec<PermissionLevel>,
}

/// Body of `PUT .../principals/{principal_id}`. The list is always written: it replaces the
/// principal's permissions, and `[]` removes the assignment, so an empty list must not vanish.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct UpdateWorkspaceAssignment {
    #[serde(default, deserialize_with = "null_as_default")]
    pub permissions: Vec<String>,
}

impl UpdateWorkspaceAssignment {
    pub fn new<I, S>(permissions: I) -> Self
    where
        I: IntoIterator<Item = S>,
        S: Into<String>,
    {
        Self {
            permissions: permissions.into_iter().map(Into::into).collect(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    const LIST: &str = r#"{"permission_assignments": [
  {"principal": {"principal_id": 4187365291046583, "display_name": "Ana Silva", "user_name": "ana@example.com"},
   "permissions": ["ADMIN"]},
  {"principal": {"principal_id": 6029384756102938, "display_name": "data-eng", "group_name": "data-eng"},
   "permissions": ["USER"]},
  {"principal": {"principal_id": 7395847201938475, "display_name": "ci-deployer",
                 "service_principal_name": "5e0f1a7c-2b3d-4e5f-8a9b-0c1d2e3f4a5b"},
   "permissions": ["USER"]}]}"#;

    const PUT_BODY: &str = r#"{"permissions": ["USER"]}"#;

    const PUT_RESPONSE: &str = r#"{"principal": {"principal_id": 6029384756102938, "display_name": "data-eng", "group_name": "data-eng"}, "permissions": ["USER"]}"#;

    #[test]
    fn reads_the_list_and_tells_the_principal_kinds_apart() {
        let list: PermissionAssignments = serde_json::from_str(LIST).unwrap();
        let kinds: Vec<_> = list
            .permission_assignments
            .iter()
            .map(|assignment| assignment.principal.kind())
            .collect();
        assert_eq!(
            kinds,
            [
                PrincipalKind::User,
                PrincipalKind::Group,
                PrincipalKind::ServicePrincipal
            ]
        );
        let first = &list.permission_assignments[0];
        assert_eq!(first.principal.principal_id, Some(4187365291046583));
        assert!(first.is_admin());
        assert!(!list.permission_assignments[1].is_admin());
        let original: Value = serde_json::from_str(LIST).unwrap();
        assert_eq!(serde_json::to_value(&list).unwrap(), original);
    }

    #[test]
    fn the_put_body_and_response_match_the_reference() {
        let body = UpdateWorkspaceAssignment::new([PERMISSION_USER]);
        let expected: Value = serde_json::from_str(PUT_BODY).unwrap();
        assert_eq!(serde_json::to_value(&body).unwrap(), expected);
        let response: PermissionAssignment = serde_json::from_str(PUT_RESPONSE).unwrap();
        assert_eq!(response.principal.group_name.as_deref(), Some("data-eng"));
        assert_eq!(response.permissions, [PERMISSION_USER]);
    }

    #[test]
    fn an_empty_put_body_still_sends_the_list() {
        let body = UpdateWorkspaceAssignment::default();
        assert_eq!(
            serde_json::to_value(&body).unwrap(),
            json!({"permissions": []})
        );
        let parsed: UpdateWorkspaceAssignment = serde_json::from_str("{}").unwrap();
        assert!(parsed.permissions.is_empty());
    }

    #[test]
    fn unknown_fields_survive_and_errors_are_read() {
        let body = json!({
            "principal": {"principal_id": 1, "display_name": "x", "future_name": "y"},
            "permissions": ["UNKNOWN"],
            "error": "principal is not in the account",
            "future_flag": true
        });
        let assignment: PermissionAssignment = serde_json::from_value(body.clone()).unwrap();
        assert_eq!(assignment.principal.kind(), PrincipalKind::Unknown);
        assert_eq!(assignment.principal.extra["future_name"], "y");
        assert!(assignment.error.is_some());
        assert_eq!(serde_json::to_value(&assignment).unwrap(), body);
    }

    #[test]
    fn null_and_missing_lists_read_as_empty() {
        let list: PermissionAssignments =
            serde_json::from_str(r#"{"permission_assignments": null}"#).unwrap();
        assert!(list.permission_assignments.is_empty());
        let assignment: PermissionAssignment =
            serde_json::from_str(r#"{"principal": {"principal_id": 1}, "permissions": null}"#)
                .unwrap();
        assert!(assignment.permissions.is_empty());
        assert_eq!(
            serde_json::to_value(&assignment).unwrap(),
            json!({"principal": {"principal_id": 1}})
        );
        let levels: PermissionLevels = serde_json::from_str(
            r#"{"permissions": [{"permission_level": "USER", "description": "Can use"},
                                {"permission_level": "ADMIN", "description": "Can administer"}]}"#,
        )
        .unwrap();
        assert_eq!(
            levels.permissions[1].permission_level.as_deref(),
            Some(PERMISSION_ADMIN)
        );
    }
}
