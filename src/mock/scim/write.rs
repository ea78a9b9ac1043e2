//! SCIM writes: create, full replace (PUT), PatchOp (PATCH) and delete, keeping the
//! unique-name index, group memberships and dependent objects consistent.

use std::sync::Arc;

use axum::Json as JsonResponse;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use indexmap::IndexSet;
use serde_json::{Value, json};

use super::collection::{Resource, ScimKind};
use super::patch::{self, AttributeSchema};
use super::read::scim_not_found;
use super::render::{Members, render};
use crate::mock::error::{ApiFailure, ApiResult};
use crate::mock::extract::{Json, Scim};
use crate::mock::state::{Account, Shared};

/// Attributes the server computes; a client's values for them are ignored.
pub(crate) const COMPUTED: [&str; 4] = ["schemas", "meta", "groups", "members"];

fn invalid_value(message: impl Into<String>) -> ApiFailure {
    ApiFailure::invalid_parameter(message).scim(Some("invalidValue"))
}

fn schema_of(kind: ScimKind) -> &'static AttributeSchema {
    match kind {
        ScimKind::Users => &patch::USER_SCHEMA,
        ScimKind::Groups => &patch::GROUP_SCHEMA,
        ScimKind::ServicePrincipals => &patch::SERVICE_PRINCIPAL_SCHEMA,
    }
}

/// Type checks on the attributes the console relies on; unknown attributes pass through.
fn validate_types(resource: &Resource) -> ApiResult<()> {
    for (key, value) in resource {
        let ok = match key.as_str() {
            "userName" | "displayName" | "externalId" | "applicationId" => value.is_string(),
            "active" => value.is_boolean(),
            "name" => value.is_object(),
            "emails" | "roles" | "entitlements" | "members" => {
                value.as_array().is_some_and(|items| {
                    items
                        .iter()
                        .all(|item| item.get("value").is_some_and(Value::is_string))
                })
            }
            _ => true,
        };
        if !ok {
            return Err(invalid_value(format!(
                "Attribute '{key}' has an invalid value: {value}"
            )));
        }
    }
    Ok(())
}

fn member_ids(resource: &Resource) -> IndexSet<String> {
    resource
        .get("members")
        .and_then(Value::as_array)
        .map(|items| {
            items
                .iter()
                .filter_map(|m| m.get("value").and_then(Value::as_str).map(str::to_owned))
                .collect()
        })
        .unwrap_or_default()
}

fn validate_members(
    account: &Account,
    group_id: &str,
    members: &IndexSet<String>,
) -> ApiResult<()> {
    for member in members {
        if account.kind_of(member).is_none() {
            return Err(
                ApiFailure::not_found(format!("Member {member} does not exist"))
                    .scim(Some("invalidValue")),
            );
        }
        if account.memberships.would_cycle(group_id, member) {
            return Err(invalid_value(format!(
                "Adding group {member} to group {group_id} would create a membership cycle"
            )));
        }
    }
    Ok(())
}

fn conflict(kind: ScimKind, resource: &Resource) -> ApiFailure {
    let attribute = kind.unique_attribute();
    let value = resource
        .get(attribute)
        .and_then(Value::as_str)
        .unwrap_or_default();
    ApiFailure::already_exists(format!(
        "{} with {attribute} {value} already exists in the account",
        kind.resource_type()
    ))
    .scim(Some("uniqueness"))
}

/// Stores `resource` under `id` after checks; returns the rendered result.
fn store(
    account: &mut Account,
    kind: ScimKind,
    id: &str,
    mut resource: Resource,
) -> ApiResult<Resource> {
    validate_types(&resource)?;
    let members = member_ids(&resource);
    for key in COMPUTED {
        resource.remove(key);
    }
    resource.insert("id".into(), json!(id));
    if account.collection(kind).conflicts(id, &resource) {
        return Err(conflict(kind, &resource));
    }
    if kind == ScimKind::Groups {
        validate_members(account, id, &members)?;
        account.memberships.set_members(id, &members);
    }
    account.collection_mut(kind).put(id.to_owned(), resource);
    let stored = account
        .collection(kind)
        .get(id)
        .cloned()
        .unwrap_or_default();
    Ok(render(account, kind, &stored, Members::Include))
}

fn created(resource: Resource) -> Response {
    (StatusCode::CREATED, JsonResponse(resource)).into_response()
}

pub async fn create(
    kind: ScimKind,
    State(shared): State<Arc<Shared>>,
    Json(mut body, ..): Json<Resource, Scim>,
) -> ApiResult<Response> {
    body.remove("id");
    let mut account = shared.write();
    match kind {
        ScimKind::Users => {
            let user_name = body
                .get("userName")
                .and_then(Value::as_str)
                .filter(|s| !s.trim().is_empty())
                .ok_or_else(|| invalid_value("userName is required"))?
                .to_owned();
            body.entry("displayName")
                .or_insert_with(|| json!(user_name));
            body.entry("emails")
                .or_insert_with(|| json!([{"value": user_name, "type": "work", "primary": true}]));
            body.entry("active").or_insert(json!(true));
        }
        ScimKind::Groups => {
            body.get("displayName")
                .and_then(Value::as_str)
                .filter(|s| !s.trim().is_empty())
                .ok_or_else(|| invalid_value("displayName is required"))?;
        }
        ScimKind::ServicePrincipals => {
            // Generated when omitted, as on AWS and GCP.
            if body
                .get("applicationId")
                .and_then(Value::as_str)
                .is_none_or(str::is_empty)
            {
                let application_id = account.new_uuid();
                body.insert("applicationId".into(), json!(application_id));
            }
            body.entry("active").or_insert(json!(true));
        }
    }
    let id = account.new_scim_id();
    let resource = store(&mut account, kind, &id, body)?;
    Ok(created(resource))
}

/// Immutable attributes keep their stored values whatever a write says (reference §5.4:
/// changes are silently ignored).
fn keep_immutable(kind: ScimKind, old: &Resource, new: &mut Resource) {
    let immutable: &[&str] = match kind {
        ScimKind::Users => &["userName", "emails"],
        ScimKind::Groups => &[],
        ScimKind::ServicePrincipals => &["applicationId"],
    };
    for key in immutable {
        match old.get(*key) {
            Some(value) => {
                new.insert((*key).to_owned(), value.clone());
            }
            None => {
                new.remove(*key);
            }
        }
    }
}

pub async fn replace(
    kind: ScimKind,
    State(shared): State<Arc<Shared>>,
    Path(id): Path<String>,
    Json(mut body, ..): Json<Resource, Scim>,
) -> ApiResult<JsonResponse<Resource>> {
    let mut account = shared.write();
    let old = account
        .collection(kind)
        .get(&id)
        .cloned()
        .ok_or_else(|| scim_not_found(kind, &id))?;
    if let Some(given) = body.get("id").and_then(Value::as_str)
        && given != id
    {
        return Err(invalid_value(format!(
            "id in the body ({given}) does not match the URL ({id})"
        )));
    }
    keep_immutable(kind, &old, &mut body);
    store(&mut account, kind, &id, body).map(JsonResponse)
}

pub async fn patch(
    kind: ScimKind,
    State(shared): State<Arc<Shared>>,
    Path(id): Path<String>,
    Json(body, ..): Json<Value, Scim>,
) -> ApiResult<Response> {
    let operations = patch::parse_patch(&body).map_err(patch_failure)?;
    let mut account = shared.write();
    let stored = account
        .collection(kind)
        .get(&id)
        .ok_or_else(|| scim_not_found(kind, &id))?;
    let mut resource = render(&account, kind, stored, Members::Include);
    let old = resource.clone();
    for operation in &operations {
        patch::apply(&mut resource, operation, schema_of(kind)).map_err(patch_failure)?;
    }
    keep_immutable(kind, &old, &mut resource);
    store(&mut account, kind, &id, resource)?;
    // RFC 7644 §3.5.2 allows 204 for a PATCH; the SDK ignores the body either way.
    Ok(StatusCode::NO_CONTENT.into_response())
}

fn patch_failure(error: patch::PatchError) -> ApiFailure {
    ApiFailure::invalid_parameter(error.to_string()).scim(Some(error.scim_type()))
}

pub async fn delete(
    kind: ScimKind,
    State(shared): State<Arc<Shared>>,
    Path(id): Path<String>,
) -> ApiResult<Response> {
    let mut account = shared.write();
    account
        .collection_mut(kind)
        .remove(&id)
        .ok_or_else(|| scim_not_found(kind, &id))?;
    account.memberships.forget(&id);
    if let Ok(principal_id) = id.parse::<i64>() {
        for workspace in account.workspaces.values_mut() {
            workspace.assignments.shift_remove(&principal_id);
        }
    }
    if kind == ScimKind::ServicePrincipals {
        account.secrets.remove(&id);
        account.sp_policies.remove(&id);
    }
    Ok(StatusCode::NO_CONTENT.into_response())
}
