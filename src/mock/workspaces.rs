//! Workspaces (a bare JSON array, no paging) and their permission assignments (PUT replaces
//! a principal's permissions; `[]` removes the assignment).

use std::sync::Arc;

use axum::extract::{Path, State};
use axum::routing::{get, put};
use axum::{Json as JsonResponse, Router};
use serde::Deserialize;
use serde_json::{Value, json};

use super::error::{ApiFailure, ApiResult};
use super::extract::{Json, parse_int_id};
use super::scim::collection::ScimKind;
use super::state::{Account, Object, Shared, WorkspaceRecord};

pub fn routes() -> Router<Arc<Shared>> {
    Router::new()
        .route("/workspaces", get(list_workspaces))
        .route("/workspaces/{workspace_id}", get(get_workspace))
        .route(
            "/workspaces/{workspace_id}/permissionassignments",
            get(list_assignments),
        )
        .route(
            "/workspaces/{workspace_id}/permissionassignments/permissions",
            get(permission_levels),
        )
        .route(
            "/workspaces/{workspace_id}/permissionassignments/principals/{principal_id}",
            put(put_assignment).delete(delete_assignment),
        )
}

async fn list_workspaces(State(shared): State<Arc<Shared>>) -> JsonResponse<Vec<Object>> {
    JsonResponse(
        shared
            .read()
            .workspaces
            .values()
            .map(|w| w.info.clone())
            .collect(),
    )
}

fn workspace<'a>(account: &'a Account, raw_id: &str) -> ApiResult<(i64, &'a WorkspaceRecord)> {
    let id = parse_int_id(raw_id, "workspace_id")?;
    account
        .workspaces
        .get(&id)
        .map(|w| (id, w))
        .ok_or_else(|| ApiFailure::not_found(format!("Workspace {id} does not exist")))
}

async fn get_workspace(
    State(shared): State<Arc<Shared>>,
    Path(workspace_id): Path<String>,
) -> ApiResult<JsonResponse<Object>> {
    let account = shared.read();
    workspace(&account, &workspace_id).map(|(_, w)| JsonResponse(w.info.clone()))
}

/// `principal` as the assignments API shows it: id, display name and exactly one of
/// user_name / group_name / service_principal_name.
pub fn principal_json(account: &Account, principal_id: i64) -> Option<Object> {
    let id = principal_id.to_string();
    let kind = account.kind_of(&id)?;
    let resource = account.collection(kind).get(&id)?;
    let text = |key: &str| resource.get(key).and_then(Value::as_str).map(str::to_owned);
    let mut principal = Object::new();
    principal.insert("principal_id".into(), json!(principal_id));
    let (name_key, name) = match kind {
        ScimKind::Users => ("user_name", text("userName")),
        ScimKind::Groups => ("group_name", text("displayName")),
        // Believed to carry the applicationId (unconfirmed in the reference).
        ScimKind::ServicePrincipals => ("service_principal_name", text("applicationId")),
    };
    let display = text("displayName").or_else(|| name.clone());
    if let Some(display) = display {
        principal.insert("display_name".into(), json!(display));
    }
    if let Some(name) = name {
        principal.insert(name_key.into(), json!(name));
    }
    Some(principal)
}

fn assignment_json(account: &Account, principal_id: i64, permissions: &[String]) -> Value {
    match principal_json(account, principal_id) {
        Some(principal) => json!({"principal": principal, "permissions": permissions}),
        None => json!({
            "principal": {"principal_id": principal_id},
            "permissions": permissions,
            "error": "The principal no longer exists",
        }),
    }
}

async fn list_assignments(
    State(shared): State<Arc<Shared>>,
    Path(workspace_id): Path<String>,
) -> ApiResult<JsonResponse<Value>> {
    let account = shared.read();
    let (_, record) = workspace(&account, &workspace_id)?;
    require_identity_federation(record)?;
    let assignments: Vec<Value> = record
        .assignments
        .iter()
        .map(|(principal, permissions)| assignment_json(&account, *principal, permissions))
        .collect();
    Ok(JsonResponse(json!({"permission_assignments": assignments})))
}

fn require_identity_federation(record: &WorkspaceRecord) -> ApiResult<()> {
    if record.identity_federation {
        Ok(())
    } else {
        // Unconfirmed error for workspaces without identity federation; the reference expects 400.
        Err(ApiFailure::invalid_parameter(
            "Permission assignments require identity federation, which is not enabled on this workspace",
        ))
    }
}

async fn permission_levels(
    State(shared): State<Arc<Shared>>,
    Path(workspace_id): Path<String>,
) -> ApiResult<JsonResponse<Value>> {
    let account = shared.read();
    workspace(&account, &workspace_id)?;
    Ok(JsonResponse(json!({"permissions": [
        {"permission_level": "USER", "description": "Can access the workspace with basic privileges."},
        {"permission_level": "ADMIN", "description": "Can access the workspace and has workspace admin privileges to manage users and groups, workspace configurations, and more."},
    ]})))
}

#[derive(Deserialize)]
struct PutAssignment {
    permissions: Option<Vec<String>>,
}

/// Case-sensitive USER/ADMIN, ADMIN wins, unknown values ignored (reference §9).
pub fn effective_permissions(requested: &[String]) -> Vec<String> {
    if requested.iter().any(|p| p == "ADMIN") {
        vec!["ADMIN".to_owned()]
    } else if requested.iter().any(|p| p == "USER") {
        vec!["USER".to_owned()]
    } else {
        Vec::new()
    }
}

async fn put_assignment(
    State(shared): State<Arc<Shared>>,
    Path((workspace_id, principal_id)): Path<(String, String)>,
    Json(body, ..): Json<PutAssignment>,
) -> ApiResult<JsonResponse<Value>> {
    let principal_id = parse_int_id(&principal_id, "principal_id")?;
    let mut account = shared.write();
    let (id, record) = workspace(&account, &workspace_id)?;
    require_identity_federation(record)?;
    if account.kind_of(&principal_id.to_string()).is_none() {
        return Err(ApiFailure::not_found(format!(
            "Principal {principal_id} does not exist in the account"
        )));
    }
    let permissions = effective_permissions(&body.permissions.unwrap_or_default());
    let assignments = &mut account
        .workspaces
        .get_mut(&id)
        .ok_or_else(|| ApiFailure::not_found(format!("Workspace {id} does not exist")))?
        .assignments;
    if permissions.is_empty() {
        assignments.shift_remove(&principal_id);
    } else {
        assignments.insert(principal_id, permissions.clone());
    }
    Ok(JsonResponse(assignment_json(
        &account,
        principal_id,
        &permissions,
    )))
}

async fn delete_assignment(
    State(shared): State<Arc<Shared>>,
    Path((workspace_id, principal_id)): Path<(String, String)>,
) -> ApiResult<JsonResponse<Value>> {
    let principal_id = parse_int_id(&principal_id, "principal_id")?;
    let mut account = shared.write();
    let (id, record) = workspace(&account, &workspace_id)?;
    require_identity_federation(record)?;
    let removed = account
        .workspaces
        .get_mut(&id)
        .and_then(|w| w.assignments.shift_remove(&principal_id));
    match removed {
        Some(_) => Ok(JsonResponse(json!({}))),
        None => Err(ApiFailure::not_found(format!(
            "Principal {principal_id} has no permission assignment on workspace {id}"
        ))),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn admin_wins_and_unknown_values_are_ignored() {
        let s = |v: &[&str]| v.iter().map(|x| x.to_string()).collect::<Vec<_>>();
        assert_eq!(effective_permissions(&s(&["USER", "ADMIN"])), ["ADMIN"]);
        assert_eq!(effective_permissions(&s(&["user", "USER"])), ["USER"]);
        assert!(effective_permissions(&s(&["OWNER"])).is_empty());
    }
}
