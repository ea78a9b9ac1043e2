//! Identities: who is an account admin (listed for review), admins who are deactivated,
//! and groups with no members.

use super::{Finding, Severity, Subject};
use crate::snapshot_view::{Account, AdminGrant};

pub const ACCOUNT_ADMIN: &str = "admin.account-admin";
pub const INACTIVE_ADMIN: &str = "admin.inactive";
pub const EMPTY_GROUP: &str = "group.empty";

pub fn check(account: &Account) -> Vec<Finding> {
    let mut findings = Vec::new();
    for admin in account.account_admins() {
        let subject = Subject {
            resource_type: admin.kind.resource_type(),
            id: &admin.id,
            name: &admin.name,
        };
        let how = how_granted(&admin);
        if !admin.is_active {
            findings.push(Finding::new(
                INACTIVE_ADMIN,
                Severity::High,
                subject,
                format!("is deactivated but still holds the account-admin role ({how}); reactivating it restores full control of the account"),
                "Remove the account-admin role (and the admin group memberships) from the deactivated principal.",
            ));
        }
        findings.push(Finding::new(
            ACCOUNT_ADMIN,
            Severity::Info,
            subject,
            format!("is an account admin ({how})"),
            "Review that it still needs the role; keep account admins few and grant the role through one group.",
        ));
    }
    for group in account.groups.iter().filter(|g| g.members.is_empty()) {
        findings.push(Finding::new(
            EMPTY_GROUP,
            Severity::Low,
            Subject {
                resource_type: "group",
                id: &group.id,
                name: &group.display_name,
            },
            "has no members".into(),
            "Delete the group if nothing refers to it any more (workspace assignments, grants).",
        ));
    }
    findings
}

fn how_granted(admin: &AdminGrant) -> String {
    let mut ways = Vec::new();
    if admin.is_direct {
        ways.push("directly".to_owned());
    }
    if !admin.via_groups.is_empty() {
        let groups: Vec<&str> = admin.via_groups.iter().map(String::as_str).collect();
        ways.push(format!("through group {}", groups.join(", ")));
    }
    ways.join(" and ")
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::super::fixtures::audit;
    use super::*;

    #[test]
    fn account_admins_are_listed() {
        let findings = audit(json!({
            "users": [
                {"id": "1", "userName": "ana@x", "active": true, "roles": [{"value": "account_admin"}]},
                {"id": "2", "userName": "bo@x", "active": true}
            ],
            "service_principals": [{"id": "9", "displayName": "tf", "roles": [{"value": "account_admin"}]}],
            "groups": [{"id": "7", "displayName": "admins", "roles": [{"value": "account_admin"}],
                        "members": [{"value": "1", "$ref": "Users/1"}]}]
        }));
        assert_eq!(
            findings,
            vec![
                (ACCOUNT_ADMIN, "admins".to_owned()),
                (ACCOUNT_ADMIN, "tf".to_owned()),
                (ACCOUNT_ADMIN, "ana@x".to_owned()),
            ]
        );
        assert!(audit(json!({"users": [{"id": "2", "userName": "bo@x"}]})).is_empty());
    }

    #[test]
    fn inactive_admins_directly_or_through_a_group() {
        let direct = json!({"users": [{"id": "1", "userName": "gone@x", "active": false,
                                       "roles": [{"value": "account_admin"}]}]});
        assert!(audit(direct).contains(&(INACTIVE_ADMIN, "gone@x".to_owned())));
        let via_group = json!({
            "users": [{"id": "1", "userName": "gone@x", "active": false}],
            "groups": [{"id": "7", "displayName": "admins", "roles": [{"value": "account_admin"}],
                        "members": [{"value": "1"}]}]
        });
        assert!(audit(via_group).contains(&(INACTIVE_ADMIN, "gone@x".to_owned())));
        let inactive_non_admin =
            json!({"users": [{"id": "1", "userName": "gone@x", "active": false}]});
        assert!(audit(inactive_non_admin).is_empty());
    }

    #[test]
    fn empty_groups() {
        let groups = json!({"groups": [
            {"id": "1", "displayName": "legacy", "members": []},
            {"id": "2", "displayName": "used", "members": [{"value": "1"}]}
        ]});
        assert_eq!(audit(groups), vec![(EMPTY_GROUP, "legacy".to_owned())]);
    }
}
