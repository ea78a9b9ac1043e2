//! Flattens an account into comparable records: one per principal, membership, admin
//! grant, secret, federation policy, app, workspace and assignment, each with the fields
//! whose change counts as drift.

use crate::snapshot_view::{Account, AdminGrant, TokenPolicy};

/// One thing whose presence and fields are compared between snapshots.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Record {
    pub resource_type: &'static str,
    pub id: String,
    pub name: String,
    /// `None` is "not set", which differs from an empty string.
    pub fields: Vec<(&'static str, Option<String>)>,
}

fn record(
    resource_type: &'static str,
    id: impl Into<String>,
    name: impl Into<String>,
    fields: Vec<(&'static str, Option<String>)>,
) -> Record {
    Record {
        resource_type,
        id: id.into(),
        name: name.into(),
        fields,
    }
}

/// Order-insensitive: scopes and redirect URLs are sets on the server.
fn set(values: &[String]) -> Option<String> {
    let mut sorted: Vec<&str> = values.iter().map(String::as_str).collect();
    sorted.sort_unstable();
    sorted.dedup();
    Some(sorted.join(", "))
}

fn some(value: impl ToString) -> Option<String> {
    Some(value.to_string())
}

fn token_fields(policy: Option<&TokenPolicy>) -> Vec<(&'static str, Option<String>)> {
    let policy = policy.cloned().unwrap_or_default();
    vec![
        (
            "access_token_ttl_in_minutes",
            policy.access_token_ttl_minutes.map(|v| v.to_string()),
        ),
        (
            "refresh_token_ttl_in_minutes",
            policy.refresh_token_ttl_minutes.map(|v| v.to_string()),
        ),
        (
            "enable_single_use_refresh_tokens",
            policy.is_single_use_refresh.map(|v| v.to_string()),
        ),
        (
            "absolute_session_lifetime_in_minutes",
            policy
                .absolute_session_lifetime_minutes
                .map(|v| v.to_string()),
        ),
    ]
}

fn granted(admin: &AdminGrant) -> Option<String> {
    let mut ways: Vec<String> = Vec::new();
    if admin.is_direct {
        ways.push("direct".into());
    }
    ways.extend(admin.via_groups.iter().map(|g| format!("group {g}")));
    Some(ways.join(", "))
}

pub fn records(account: &Account) -> Vec<Record> {
    let directory = account.directory();
    let mut out = Vec::new();
    for user in &account.users {
        out.push(record(
            "user",
            &user.id,
            &user.user_name,
            vec![
                ("display_name", some(&user.display_name)),
                ("active", some(user.is_active)),
            ],
        ));
    }
    for group in &account.groups {
        out.push(record(
            "group",
            &group.id,
            &group.display_name,
            vec![("display_name", some(&group.display_name))],
        ));
        for (member_id, _) in &group.members {
            out.push(record(
                "group_member",
                format!("{}/{member_id}", group.id),
                format!("{} / {}", group.display_name, directory.name(member_id)),
                Vec::new(),
            ));
        }
    }
    for sp in &account.service_principals {
        out.push(record(
            "service_principal",
            &sp.id,
            &sp.display_name,
            vec![
                ("display_name", some(&sp.display_name)),
                ("active", some(sp.is_active)),
                ("application_id", some(&sp.application_id)),
            ],
        ));
    }
    for admin in account.account_admins() {
        out.push(record(
            "account_admin",
            &admin.id,
            &admin.name,
            vec![
                ("principal_type", some(admin.kind.resource_type())),
                ("granted", granted(&admin)),
            ],
        ));
    }
    for secret in &account.secrets {
        out.push(record(
            "service_principal_secret",
            &secret.id,
            directory.name(&secret.service_principal_id),
            vec![
                ("status", secret.status.clone()),
                ("expire_time", secret.expire_time.clone()),
            ],
        ));
    }
    for policy in &account.federation_policies {
        out.push(record(
            policy.resource_type(),
            policy.key(),
            directory.policy_name(policy),
            vec![
                ("description", policy.description.clone()),
                ("issuer", policy.issuer.clone()),
                ("audiences", set(&policy.audiences)),
                ("subject_claim", policy.subject_claim.clone()),
                ("subject", policy.subject.clone()),
            ],
        ));
    }
    for app in &account.custom_apps {
        let mut fields = vec![
            ("name", some(&app.name)),
            ("confidential", some(app.is_confidential)),
            ("scopes", set(&app.scopes)),
            ("user_authorized_scopes", set(&app.user_authorized_scopes)),
            ("redirect_urls", set(&app.redirect_urls)),
        ];
        fields.extend(token_fields(app.token_policy.as_ref()));
        out.push(record(
            "custom_app_integration",
            &app.integration_id,
            &app.name,
            fields,
        ));
    }
    for app in &account.published_apps {
        let mut fields = vec![("app_id", some(&app.app_id))];
        fields.extend(token_fields(app.token_policy.as_ref()));
        let name = if app.name.is_empty() {
            &app.app_id
        } else {
            &app.name
        };
        out.push(record(
            "published_app_integration",
            &app.integration_id,
            name,
            fields,
        ));
    }
    for workspace in &account.workspaces {
        out.push(record(
            "workspace",
            &workspace.id,
            &workspace.name,
            vec![
                ("workspace_name", some(&workspace.name)),
                ("workspace_status", workspace.status.clone()),
            ],
        ));
    }
    for assignment in &account.assignments {
        let principal = if assignment.principal_name.is_empty() {
            directory.name(&assignment.principal_id)
        } else {
            assignment.principal_name.clone()
        };
        out.push(record(
            "workspace_assignment",
            format!("{}/{}", assignment.workspace_id, assignment.principal_id),
            format!(
                "{} / {principal}",
                directory.workspace_name(&assignment.workspace_id)
            ),
            vec![("permissions", set(&assignment.permissions))],
        ));
    }
    out
}
