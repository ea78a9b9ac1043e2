//! An account rebuilt from a `dbx-console snapshot` document, every id and object kept as
//! the snapshot recorded it, so the console browses a snapshot through the same loaders
//! and views as a live account (`dbx-console --snapshot FILE`, always read-only).

use serde_json::Value;

use crate::mock::oidc::authorize::default_user;
use crate::mock::scim::COMPUTED;
use crate::mock::scim::collection::ScimKind;
use crate::mock::state::{Account, CustomAppRecord, Object, SecretRecord, WorkspaceRecord};
use crate::snapshot_view::check_format;
use crate::snapshot_view::read::{array, entries, text};

/// The account a snapshot describes. `catalogue` is the published-app catalogue, which is
/// Databricks-wide rather than account data and so is not in a snapshot.
pub fn account_from_snapshot(
    mut document: Value,
    catalogue: Vec<Object>,
    random_seed: u64,
) -> Result<Account, String> {
    check_format(&document)?;
    let account_id = text(&document, "account_id")
        .ok_or("it has no account_id, so it names no account to show")?;
    let host = text(&document, "host").unwrap_or_default();
    let mut account = Account::new(account_id, format!("Snapshot of {host}"), random_seed);
    account.published_catalog = catalogue;
    // A snapshot does not read rule sets (one request per SP, under a tight GET limit).
    account.rule_sets_recorded = false;

    // Principals are moved out of the document, not copied: a large account's snapshot
    // is hundreds of megabytes once parsed.
    let mut memberships = Vec::new();
    for (key, kind) in [
        ("users", ScimKind::Users),
        ("service_principals", ScimKind::ServicePrincipals),
        ("groups", ScimKind::Groups),
    ] {
        let Some(Value::Array(resources)) = document.get_mut(key).map(Value::take) else {
            continue;
        };
        for resource in resources {
            let Some(id) = text(&resource, "id") else {
                continue;
            };
            memberships.extend(
                array(&resource, "members")
                    .iter()
                    .filter_map(|member| text(member, "value"))
                    .map(|member| (id.clone(), member)),
            );
            let Value::Object(mut stored) = resource else {
                continue;
            };
            // The fake computes these from its own memberships, as the real service does.
            for computed in COMPUTED {
                stored.remove(computed);
            }
            account.collection_mut(kind).put(id, stored);
        }
    }
    // After every principal is in, so members of any kind resolve; members the snapshot
    // lists but does not hold (deleted while it was taken) are left out.
    for (group_id, member_id) in memberships {
        if account.kind_of(&member_id).is_some() {
            account.memberships.add(&group_id, &member_id);
        }
    }

    for (sp_id, secrets) in entries(&document, "service_principal_secrets") {
        let records = secrets.iter().filter_map(secret_record).collect();
        account.secrets.insert(sp_id.to_owned(), records);
    }
    for (sp_id, policies) in entries(&document, "service_principal_federation_policies") {
        let by_id = policies.iter().filter_map(keyed_policy).collect();
        account.sp_policies.insert(sp_id.to_owned(), by_id);
    }
    account.account_policies = array(&document, "account_federation_policies")
        .iter()
        .filter_map(keyed_policy)
        .collect();
    for app in array(&document, "custom_app_integrations") {
        if let (Some(id), Some(info)) = (text(app, "integration_id"), app.as_object()) {
            let record = CustomAppRecord {
                info: info.clone(),
                // Never in a snapshot; a read-only replay has no use for it.
                client_secret_hash: None,
            };
            account.custom_apps.insert(id, record);
        }
    }
    for app in array(&document, "published_app_integrations") {
        if let (Some(id), Some(info)) = (text(app, "integration_id"), app.as_object()) {
            account.published_integrations.insert(id, info.clone());
        }
    }
    add_workspaces(&mut account, &document);
    // The replay serves as one of the account's own admins, as the live account would.
    if default_user(&account).is_none() && account.first_active_admin_service_principal().is_none()
    {
        return Err(
            "it lists no active account admin (user or service principal), so no \
             admin could have taken it"
                .into(),
        );
    }
    Ok(account)
}

fn add_workspaces(account: &mut Account, document: &Value) {
    let assignments = document
        .get("workspace_assignments")
        .and_then(Value::as_object);
    for workspace in array(document, "workspaces") {
        let Some(id) = text(workspace, "workspace_id").and_then(|id| id.parse::<i64>().ok()) else {
            continue;
        };
        // The snapshot records assignments only where the API has them: workspaces with
        // identity federation.
        let listed = assignments.and_then(|all| all.get(&id.to_string()));
        let mut record = WorkspaceRecord {
            info: workspace.as_object().cloned().unwrap_or_default(),
            identity_federation: listed.is_some(),
            assignments: Default::default(),
        };
        for assignment in listed.and_then(Value::as_array).into_iter().flatten() {
            let principal = assignment
                .get("principal")
                .and_then(|p| text(p, "principal_id"))
                .and_then(|id| id.parse::<i64>().ok());
            if let Some(principal) = principal {
                let permissions = array(assignment, "permissions")
                    .iter()
                    .filter_map(|p| p.as_str().map(str::to_owned))
                    .collect();
                record.assignments.insert(principal, permissions);
            }
        }
        account.workspaces.insert(id, record);
    }
}

fn secret_record(info: &Value) -> Option<SecretRecord> {
    let object = info.as_object()?;
    Some(SecretRecord {
        secret_hash: text(info, "secret_hash").unwrap_or_default(),
        expires_at: text(info, "expire_time")
            .and_then(|t| chrono::DateTime::parse_from_rfc3339(&t).ok())
            .map(|t| t.with_timezone(&chrono::Utc)),
        info: object.clone(),
    })
}

/// `(policy id, policy)`: the id is the last segment of the policy's resource name.
fn keyed_policy(policy: &Value) -> Option<(String, Object)> {
    let name = text(policy, "name")?;
    let id = name.rsplit_once("/federationPolicies/")?.1.to_owned();
    Some((id, policy.as_object()?.clone()))
}
