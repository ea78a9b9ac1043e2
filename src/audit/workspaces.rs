//! Workspace permission assignments: ADMIN given to individual users instead of a group,
//! and deactivated users who are still assigned.

use std::collections::BTreeMap;

use super::{Finding, Severity, Subject};
use crate::snapshot_view::{Account, PrincipalKind};

pub const ADMIN_TO_USER: &str = "workspace.admin-to-user";
pub const INACTIVE_USER_ASSIGNED: &str = "user.inactive-workspace-assignment";

pub fn check(account: &Account) -> Vec<Finding> {
    let directory = account.directory();
    let inactive: BTreeMap<&str, &str> = account
        .users
        .iter()
        .filter(|u| !u.is_active)
        .map(|u| (u.id.as_str(), u.user_name.as_str()))
        .collect();
    let mut admins_by_workspace: BTreeMap<&str, Vec<String>> = BTreeMap::new();
    let mut workspaces_by_inactive_user: BTreeMap<&str, Vec<String>> = BTreeMap::new();
    for assignment in &account.assignments {
        let kind = assignment
            .principal_kind
            .or_else(|| directory.kind(&assignment.principal_id));
        if kind != Some(PrincipalKind::User) {
            continue;
        }
        if assignment.permissions.iter().any(|p| p == "ADMIN") {
            admins_by_workspace
                .entry(assignment.workspace_id.as_str())
                .or_default()
                .push(directory.name(&assignment.principal_id));
        }
        if inactive.contains_key(assignment.principal_id.as_str()) {
            workspaces_by_inactive_user
                .entry(assignment.principal_id.as_str())
                .or_default()
                .push(directory.workspace_name(&assignment.workspace_id));
        }
    }
    let mut findings = Vec::new();
    for (workspace_id, users) in admins_by_workspace {
        let name = directory.workspace_name(workspace_id);
        findings.push(Finding::new(
            ADMIN_TO_USER,
            Severity::Medium,
            Subject {
                resource_type: "workspace",
                id: workspace_id,
                name: &name,
            },
            format!("gives workspace ADMIN to individual users: {}", users.join(", ")),
            "Grant ADMIN to a group (for example workspace-admins-<name>) and give these users USER or nothing.",
        ));
    }
    for (user_id, workspaces) in workspaces_by_inactive_user {
        findings.push(Finding::new(
            INACTIVE_USER_ASSIGNED,
            Severity::Low,
            Subject {
                resource_type: "user",
                id: user_id,
                name: inactive.get(user_id).copied().unwrap_or_default(),
            },
            format!(
                "is deactivated but still assigned to workspace(s) {}",
                workspaces.join(", ")
            ),
            "Remove the workspace assignments of the deactivated user.",
        ));
    }
    findings
}

#[cfg(test)]
mod tests {
    use serde_json::{Value, json};

    use super::super::fixtures::audit;
    use super::*;

    fn assigned(user_active: bool, permission: &str) -> Value {
        json!({
            "users": [{"id": "1", "userName": "kenji@x", "active": user_active}],
            "groups": [{"id": "7", "displayName": "ws-admins", "members": [{"value": "1"}]}],
            "workspaces": [{"workspace_id": 55, "workspace_name": "ml-prod"}],
            "workspace_assignments": {"55": [
                {"principal": {"principal_id": 1, "display_name": "Kenji", "user_name": "kenji@x"},
                 "permissions": [permission]},
                {"principal": {"principal_id": 7, "display_name": "ws-admins", "group_name": "ws-admins"},
                 "permissions": ["ADMIN"]}
            ]}
        })
    }

    #[test]
    fn admin_granted_to_individual_users() {
        assert_eq!(
            audit(assigned(true, "ADMIN")),
            vec![(ADMIN_TO_USER, "ml-prod".to_owned())]
        );
        assert!(audit(assigned(true, "USER")).is_empty());
    }

    #[test]
    fn inactive_users_still_assigned() {
        assert_eq!(
            audit(assigned(false, "USER")),
            vec![(INACTIVE_USER_ASSIGNED, "kenji@x".to_owned())]
        );
        assert!(audit(assigned(true, "USER")).is_empty());
    }
}
