//! Details: the object as the server sent it (`object`) plus its related objects, read
//! concurrently. A related read that fails becomes `<key>_error` beside the others, so one
//! refused call never hides the rest of the detail.

use futures_util::StreamExt;
use serde_json::{Map, Value, json};

use super::lists::{assignments_of, workspace_id};
use super::{FAN_OUT, scim_object};
use crate::api::{AccountClient, ApiError, FederationScope};
use crate::app::msg::Resource;

pub async fn load(client: &AccountClient, resource: Resource, id: &str) -> Result<Value, ApiError> {
    match resource {
        Resource::Users => principal(client, "Users", id).await,
        Resource::Groups => principal(client, "Groups", id).await,
        // A secret row opens its service principal: secrets are read and managed there.
        Resource::ServicePrincipals | Resource::Secrets => {
            let sp_id = id.split('/').next().unwrap_or(id);
            service_principal(client, sp_id).await
        }
        Resource::Workspaces => workspace(client, id).await,
        Resource::Apps => Ok(json!({
            "object": client.get_custom_app_integration::<Value>(id).await?
        })),
        Resource::PublishedApps => published_app(client, id).await,
        Resource::FederationPolicies => policy(client, id).await,
        Resource::Profiles | Resource::Audit => Ok(json!({"object": {"id": id}})),
        Resource::Journal => {
            let line: usize = id.parse().unwrap_or(usize::MAX);
            let entries = super::lists::journal_entries().unwrap_or_default();
            Ok(json!({"object": entries.get(line).cloned().unwrap_or_default()}))
        }
    }
}

fn related(out: &mut Map<String, Value>, key: &str, result: Result<Value, ApiError>) {
    match result {
        Ok(value) => {
            out.insert(key.into(), value);
        }
        Err(error) => {
            out.insert(format!("{key}_error"), json!(error.summary()));
        }
    }
}

fn groups_of(object: &Value) -> Vec<(String, String)> {
    object
        .get("groups")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .filter_map(|g| {
            let id = g.get("value")?.as_str()?.to_owned();
            let name = g
                .get("display")
                .and_then(Value::as_str)
                .unwrap_or(&id)
                .to_owned();
            Some((id, name))
        })
        .collect()
}

/// A user or group: the object and its workspace assignments, direct or through its groups.
async fn principal(client: &AccountClient, collection: &str, id: &str) -> Result<Value, ApiError> {
    let object = scim_object(client, collection, id, None).await?;
    let mut out = Map::new();
    related(
        &mut out,
        "workspaces",
        workspaces_of(client, id, &groups_of(&object)).await,
    );
    out.insert("object".into(), object);
    Ok(Value::Object(out))
}

async fn service_principal(client: &AccountClient, id: &str) -> Result<Value, ApiError> {
    let object = scim_object(client, "ServicePrincipals", id, None).await?;
    let application_id = object
        .get("applicationId")
        .and_then(Value::as_str)
        .unwrap_or_default()
        .to_owned();
    let rule_set_name = format!(
        "accounts/{}/servicePrincipals/{application_id}/ruleSets/default",
        client.account_id()
    );
    let groups = groups_of(&object);
    let scope = FederationScope::ServicePrincipal(id.to_owned());
    let (secrets, policies, rule_set, workspaces) = tokio::join!(
        client.list_service_principal_secrets::<Value>(id),
        client.list_federation_policies::<Value>(&scope),
        client.get_rule_set(&rule_set_name, ""),
        workspaces_of(client, id, &groups),
    );
    let mut out = Map::new();
    related(&mut out, "secrets", secrets.map(Value::Array));
    related(&mut out, "policies", policies.map(Value::Array));
    related(
        &mut out,
        "rule_set",
        rule_set.map(|r| serde_json::to_value(r).unwrap_or_default()),
    );
    related(&mut out, "workspaces", workspaces);
    out.insert("object".into(), object);
    Ok(Value::Object(out))
}

/// Every workspace where the principal (or one of `groups`) holds a permission:
/// `[{workspace_id, workspace_name, permissions, via: {id, name} | null}]`, by name.
async fn workspaces_of(
    client: &AccountClient,
    principal_id: &str,
    groups: &[(String, String)],
) -> Result<Value, ApiError> {
    let workspaces: Vec<Value> = client.list_workspaces().await?;
    let per_workspace = futures_util::stream::iter(workspaces)
        .map(|workspace| async move {
            let assignments = match workspace_id(&workspace) {
                Some(id) => assignments_of(client, id).await,
                None => Ok(None),
            };
            (workspace, assignments)
        })
        .buffer_unordered(FAN_OUT)
        .collect::<Vec<_>>()
        .await;
    let mut found = Vec::new();
    for (workspace, assignments) in per_workspace {
        for assignment in assignments?.unwrap_or_default() {
            let assigned = assignment
                .get("principal")
                .and_then(|p| p.get("principal_id"))
                .map(|id| match id {
                    Value::String(s) => s.clone(),
                    other => other.to_string(),
                })
                .unwrap_or_default();
            let via = if assigned == principal_id {
                Value::Null
            } else if let Some((id, name)) = groups.iter().find(|(id, _)| *id == assigned) {
                json!({"id": id, "name": name})
            } else {
                continue;
            };
            found.push(json!({
                "workspace_id": workspace.get("workspace_id"),
                "workspace_name": workspace.get("workspace_name"),
                "permissions": assignment.get("permissions"),
                "via": via,
            }));
        }
    }
    found.sort_by_key(|a| {
        (
            a["workspace_name"]
                .as_str()
                .unwrap_or_default()
                .to_lowercase(),
            !a["via"].is_null(),
        )
    });
    Ok(Value::Array(found))
}

async fn workspace(client: &AccountClient, id: &str) -> Result<Value, ApiError> {
    let numeric: i64 = id.parse().unwrap_or_default();
    let (object, assignments) = tokio::join!(
        client.get_workspace::<Value>(numeric),
        assignments_of(client, numeric)
    );
    let mut out = Map::new();
    match assignments {
        Ok(Some(list)) => {
            out.insert("identity_federation".into(), json!(true));
            out.insert("assignments".into(), Value::Array(list));
        }
        Ok(None) => {
            out.insert("identity_federation".into(), json!(false));
            out.insert(
                "assignments_error".into(),
                json!("identity federation is off, so account principals cannot be assigned"),
            );
        }
        Err(error) => {
            out.insert("assignments_error".into(), json!(error.summary()));
        }
    }
    out.insert("object".into(), object?);
    Ok(Value::Object(out))
}

async fn published_app(client: &AccountClient, id: &str) -> Result<Value, ApiError> {
    let catalog: Vec<Value> = client.list_published_apps().await?;
    let find = |app_id: &str| {
        catalog
            .iter()
            .find(|app| app.get("app_id").and_then(Value::as_str) == Some(app_id))
            .cloned()
    };
    if let Some(app_id) = id.strip_prefix("catalog:") {
        let entry = find(app_id).ok_or_else(|| {
            ApiError::new(
                "GET",
                "published-apps",
                crate::api::ApiErrorKind::Http {
                    status: 404,
                    error_code: "RESOURCE_DOES_NOT_EXIST".into(),
                    message: format!("{app_id} is no longer in the catalogue"),
                    request_id: None,
                    scim_type: None,
                },
            )
        })?;
        return Ok(json!({"object": entry, "catalog": entry}));
    }
    let object: Value = client.get_published_app_integration(id).await?;
    let app_id = object
        .get("app_id")
        .and_then(Value::as_str)
        .unwrap_or_default();
    let mut out = Map::new();
    if let Some(entry) = find(app_id) {
        out.insert("catalog".into(), entry);
    }
    out.insert("object".into(), object);
    Ok(Value::Object(out))
}

/// `sp:<sp id>/<policy id>` for an SP's policy, the bare policy id for an account one.
async fn policy(client: &AccountClient, id: &str) -> Result<Value, ApiError> {
    let (scope, policy_id) = match id.strip_prefix("sp:").and_then(|rest| rest.split_once('/')) {
        Some((sp, policy)) => (FederationScope::ServicePrincipal(sp.to_owned()), policy),
        None => (FederationScope::Account, id),
    };
    let policy = client.get_federation_policy(&scope, policy_id).await?;
    Ok(json!({"object": serde_json::to_value(policy).unwrap_or_default()}))
}
