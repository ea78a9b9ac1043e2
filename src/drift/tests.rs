//! Added, removed and changed, for every kind of record the drift compares.

use serde_json::{Value, json};

use super::*;
use Edit::{Push, Set};

/// One of everything: an admin user, a group with a member, an admin group, a service
/// principal with a secret and a federation policy, an account policy, a custom and a
/// published app, a workspace with one assignment.
fn base() -> Value {
    json!({
        "format": "dbx-console.snapshot/1",
        "users": [{"id": "1", "userName": "ana@x", "displayName": "Ana", "active": true,
                   "roles": [{"value": "account_admin"}]}],
        "groups": [{"id": "10", "displayName": "data-eng",
                    "members": [{"value": "1", "$ref": "Users/1"}]},
                   {"id": "12", "displayName": "admins", "roles": [{"value": "account_admin"}]}],
        "service_principals": [{"id": "3", "applicationId": "app-3", "displayName": "etl",
                                "active": true}],
        "service_principal_secrets": {"3": [{"id": "s1", "status": "ACTIVE",
                                             "expire_time": "2027-01-01T00:00:00.000Z"}]},
        "service_principal_federation_policies": {"3": [{"policy_id": "gh", "oidc_policy": {
            "issuer": "https://token.actions.githubusercontent.com", "audiences": ["a"],
            "subject": "repo:o/r:environment:prod"}}]},
        "account_federation_policies": [{"policy_id": "okta", "oidc_policy": {
            "issuer": "https://okta.example", "audiences": ["databricks"]}}],
        "custom_app_integrations": [{"integration_id": "c1", "name": "Portal", "confidential": true,
            "redirect_urls": ["https://portal.example/cb"], "scopes": ["sql", "offline_access"],
            "token_access_policy": {"refresh_token_ttl_in_minutes": 1440}}],
        "published_app_integrations": [{"integration_id": "p1", "app_id": "power-bi",
            "name": "Power BI", "token_access_policy": {"refresh_token_ttl_in_minutes": 10080}}],
        "workspaces": [{"workspace_id": 55, "workspace_name": "prod", "workspace_status": "RUNNING"}],
        "workspace_assignments": {"55": [{"principal": {"principal_id": 10, "display_name": "data-eng",
            "group_name": "data-eng"}, "permissions": ["USER"]}]}
    })
}

/// One edit of a snapshot document: append to the array at a JSON pointer, or set the
/// value at one (adding the key when its parent is an object).
enum Edit {
    Push(&'static str, Value),
    Set(&'static str, Value),
}

impl Edit {
    fn apply(self, document: &mut Value) {
        match self {
            Push(pointer, item) => {
                if let Some(list) = document.pointer_mut(pointer).and_then(Value::as_array_mut) {
                    list.push(item);
                }
            }
            Set(pointer, value) => {
                let (parent, key) = pointer.rsplit_once('/').unwrap_or_default();
                match document.pointer_mut(parent) {
                    Some(Value::Object(object)) => {
                        object.insert(key.to_owned(), value);
                    }
                    Some(Value::Array(list)) => {
                        if let Some(slot) = key.parse::<usize>().ok().and_then(|i| list.get_mut(i))
                        {
                            *slot = value;
                        }
                    }
                    _ => {}
                }
            }
        }
    }
}

fn edited(edits: impl IntoIterator<Item = Edit>) -> Value {
    let mut document = base();
    for edit in edits {
        edit.apply(&mut document);
    }
    document
}

/// A record type, an edit that adds one, and the field an edit changes with that edit
/// (none for memberships: a membership is there or not).
type Case = (&'static str, Edit, Option<(&'static str, Edit)>);

fn cases() -> Vec<Case> {
    let admin = || json!([{"value": "account_admin"}]);
    vec![
        (
            "user",
            Push(
                "/users",
                json!({"id": "2", "userName": "bo@x", "active": true}),
            ),
            Some(("active", Set("/users/0/active", json!(false)))),
        ),
        (
            "group",
            Push("/groups", json!({"id": "11", "displayName": "ml"})),
            Some((
                "display_name",
                Set("/groups/0/displayName", json!("data-engineering")),
            )),
        ),
        (
            "group_member",
            Push(
                "/groups/0/members",
                json!({"value": "3", "$ref": "ServicePrincipals/3"}),
            ),
            None,
        ),
        (
            "service_principal",
            Push(
                "/service_principals",
                json!({"id": "4", "displayName": "bi"}),
            ),
            Some(("active", Set("/service_principals/0/active", json!(false)))),
        ),
        (
            "account_admin",
            Set("/service_principals/0/roles", admin()),
            // Ana, a direct admin, joins the admin group too.
            Some(("granted", Set("/groups/1/members", json!([{"value": "1"}])))),
        ),
        (
            "service_principal_secret",
            Push(
                "/service_principal_secrets/3",
                json!({"id": "s2", "status": "ACTIVE"}),
            ),
            Some((
                "expire_time",
                Set(
                    "/service_principal_secrets/3/0/expire_time",
                    json!("2028-01-01T00:00:00Z"),
                ),
            )),
        ),
        (
            "service_principal_federation_policy",
            Push(
                "/service_principal_federation_policies/3",
                json!({"policy_id": "gl", "oidc_policy": {"issuer": "https://gitlab.com"}}),
            ),
            Some((
                "subject",
                Set(
                    "/service_principal_federation_policies/3/0/oidc_policy/subject",
                    json!("repo:o/*"),
                ),
            )),
        ),
        (
            "account_federation_policy",
            Push(
                "/account_federation_policies",
                json!({"policy_id": "legacy", "oidc_policy": {"issuer": "http://idp.example"}}),
            ),
            Some((
                "issuer",
                Set(
                    "/account_federation_policies/0/oidc_policy/issuer",
                    json!("http://okta.example"),
                ),
            )),
        ),
        (
            "custom_app_integration",
            Push(
                "/custom_app_integrations",
                json!({"integration_id": "c2", "name": "Bot", "scopes": ["all-apis"]}),
            ),
            Some((
                "redirect_urls",
                Push(
                    "/custom_app_integrations/0/redirect_urls",
                    json!("https://*.example/cb"),
                ),
            )),
        ),
        (
            "published_app_integration",
            Push(
                "/published_app_integrations",
                json!({"integration_id": "p2", "app_id": "tableau-desktop"}),
            ),
            Some((
                "refresh_token_ttl_in_minutes",
                Set(
                    "/published_app_integrations/0/token_access_policy/refresh_token_ttl_in_minutes",
                    json!(129600),
                ),
            )),
        ),
        (
            "workspace",
            Push(
                "/workspaces",
                json!({"workspace_id": 56, "workspace_name": "dev"}),
            ),
            Some((
                "workspace_status",
                Set("/workspaces/0/workspace_status", json!("FAILED")),
            )),
        ),
        (
            "workspace_assignment",
            Push(
                "/workspace_assignments/55",
                json!({"principal": {"principal_id": 1, "user_name": "ana@x"}, "permissions": ["ADMIN"]}),
            ),
            Some((
                "permissions",
                Set("/workspace_assignments/55/0/permissions", json!(["ADMIN"])),
            )),
        ),
    ]
}

fn of_type(changes: &[Change], resource_type: &str) -> Vec<(ChangeKind, Option<&'static str>)> {
    changes
        .iter()
        .filter(|c| c.resource_type == resource_type)
        .map(|c| (c.change, c.field))
        .collect()
}

#[test]
fn a_snapshot_has_no_drift_from_itself() {
    assert_eq!(diff(&base(), &base()), vec![]);
}

#[test]
fn additions_of_every_kind() {
    for (resource_type, add, _) in cases() {
        assert_eq!(
            of_type(&diff(&base(), &edited([add])), resource_type),
            vec![(ChangeKind::Added, None)],
            "{resource_type}"
        );
    }
}

#[test]
fn removals_of_every_kind() {
    for (resource_type, add, _) in cases() {
        assert_eq!(
            of_type(&diff(&edited([add]), &base()), resource_type),
            vec![(ChangeKind::Removed, None)],
            "{resource_type}"
        );
    }
}

#[test]
fn changes_of_every_kind() {
    for (resource_type, _, change) in cases() {
        let Some((field, edit)) = change else {
            continue;
        };
        assert_eq!(
            of_type(&diff(&base(), &edited([edit])), resource_type),
            vec![(ChangeKind::Changed, Some(field))],
            "{resource_type}"
        );
    }
}

#[test]
fn changes_carry_both_values_and_whole_records_their_fields() {
    let after = edited([
        Set(
            "/custom_app_integrations/0/scopes",
            json!(["offline_access", "all-apis", "sql"]),
        ),
        Push(
            "/users",
            json!({"id": "2", "userName": "bo@x", "displayName": "Bo"}),
        ),
    ]);
    let changes = diff(&base(), &after);
    let scopes = changes.iter().find(|c| c.field == Some("scopes")).unwrap();
    assert_eq!(scopes.old.as_deref(), Some("offline_access, sql"));
    assert_eq!(scopes.new.as_deref(), Some("all-apis, offline_access, sql"));
    let added = changes
        .iter()
        .find(|c| c.change == ChangeKind::Added)
        .unwrap();
    assert_eq!(added.resource_name, "bo@x");
    assert_eq!(added.new.as_deref(), Some("display_name: Bo; active: true"));
    let summary = Summary::of(&changes);
    assert_eq!(
        (
            summary.added,
            summary.removed,
            summary.changed,
            summary.total
        ),
        (1, 0, 1, 2)
    );
}

#[test]
fn reordered_lists_are_not_drift() {
    let after = edited([Set(
        "/custom_app_integrations/0/scopes",
        json!(["offline_access", "sql"]),
    )]);
    assert_eq!(diff(&base(), &after), vec![]);
}

#[test]
fn a_rename_is_one_change_under_the_new_name() {
    let after = edited([Set("/groups/0/displayName", json!("data-engineering"))]);
    let names: Vec<(&str, String)> = diff(&base(), &after)
        .into_iter()
        .map(|c| (c.resource_type, c.resource_name))
        .collect();
    assert_eq!(names, vec![("group", "data-engineering".to_owned())]);
}
