//! Federation policies (OIDC token federation), account-wide and per service principal:
//! policy_id rules, `update_mask` semantics, and the SP/account differences on `subject`.

use std::sync::Arc;

use axum::extract::{Path, State};
use axum::routing::get;
use axum::{Json as JsonResponse, Router};
use indexmap::IndexMap;
use serde::Deserialize;
use serde_json::{Map, Value, json};

use super::clock;
use super::error::{ApiFailure, ApiResult};
use super::extract::{Json, Query};
use super::oauth_apps::list_body;
use super::paging::{PageParams, page_range};
use super::secrets::require_service_principal;
use super::state::{Account, Object, Shared};

pub const MAX_POLICIES_PER_SERVICE_PRINCIPAL: usize = 20;
const OIDC_FIELDS: [&str; 6] = [
    "issuer",
    "audiences",
    "subject_claim",
    "subject",
    "jwks_uri",
    "jwks_json",
];

pub fn routes() -> Router<Arc<Shared>> {
    Router::new()
        .route(
            "/federationPolicies",
            get(list_account).post(create_account),
        )
        .route(
            "/federationPolicies/{*policy_id}",
            get(get_account)
                .patch(update_account)
                .delete(delete_account),
        )
        .route(
            "/servicePrincipals/{sp_id}/federationPolicies",
            get(list_sp).post(create_sp),
        )
        .route(
            "/servicePrincipals/{sp_id}/federationPolicies/{*policy_id}",
            get(get_sp).patch(update_sp).delete(delete_sp),
        )
}

/// Which set of policies a request addresses.
#[derive(Debug, Clone)]
enum Scope {
    Account,
    ServicePrincipal(String),
}

impl Scope {
    fn policies<'a>(&self, account: &'a Account) -> Option<&'a IndexMap<String, Object>> {
        match self {
            Scope::Account => Some(&account.account_policies),
            Scope::ServicePrincipal(sp) => account.sp_policies.get(sp),
        }
    }

    fn policies_mut<'a>(&self, account: &'a mut Account) -> &'a mut IndexMap<String, Object> {
        match self {
            Scope::Account => &mut account.account_policies,
            Scope::ServicePrincipal(sp) => account.sp_policies.entry(sp.clone()).or_default(),
        }
    }

    fn check(&self, account: &Account) -> ApiResult<()> {
        match self {
            Scope::Account => Ok(()),
            Scope::ServicePrincipal(sp) => require_service_principal(account, sp),
        }
    }

    fn resource_name(&self, account_id: &str, policy_id: &str) -> String {
        match self {
            Scope::Account => format!("accounts/{account_id}/federationPolicies/{policy_id}"),
            Scope::ServicePrincipal(sp) => format!(
                "accounts/{account_id}/servicePrincipals/{sp}/federationPolicies/{policy_id}"
            ),
        }
    }
}

/// 2–63 characters of lowercase letters, digits, hyphens and slashes (reference §7.1).
pub fn validate_policy_id(policy_id: &str) -> ApiResult<()> {
    let length = policy_id.chars().count();
    if !(2..=63).contains(&length) {
        return Err(ApiFailure::invalid_parameter(format!(
            "policy_id must be 2 to 63 characters long, got {length}"
        )));
    }
    if let Some(bad) = policy_id
        .chars()
        .find(|c| !(c.is_ascii_lowercase() || c.is_ascii_digit() || *c == '-' || *c == '/'))
    {
        return Err(ApiFailure::invalid_parameter(format!(
            "policy_id may contain only lowercase letters, digits, hyphens and slashes; '{bad}' is not allowed"
        )));
    }
    Ok(())
}

fn is_url(text: &str) -> bool {
    text.split_once("://")
        .is_some_and(|(scheme, rest)| matches!(scheme, "http" | "https") && !rest.is_empty())
}

fn validate_oidc_policy(scope: &Scope, oidc: &Map<String, Value>) -> ApiResult<()> {
    for key in oidc.keys() {
        if !OIDC_FIELDS.contains(&key.as_str()) {
            return Err(ApiFailure::invalid_parameter(format!(
                "oidc_policy has an unknown field '{key}'"
            )));
        }
    }
    let text = |key: &str| {
        oidc.get(key)
            .and_then(Value::as_str)
            .filter(|s| !s.is_empty())
    };
    for key in [
        "issuer",
        "subject_claim",
        "subject",
        "jwks_uri",
        "jwks_json",
    ] {
        if oidc.get(key).is_some_and(|v| !v.is_string()) {
            return Err(ApiFailure::invalid_parameter(format!(
                "oidc_policy.{key} must be a string"
            )));
        }
    }
    let issuer = text("issuer")
        .ok_or_else(|| ApiFailure::invalid_parameter("oidc_policy.issuer is required"))?;
    if !is_url(issuer) {
        return Err(ApiFailure::invalid_parameter(format!(
            "oidc_policy.issuer must be an http(s) URL, got '{issuer}'"
        )));
    }
    if let Some(audiences) = oidc.get("audiences") {
        let valid = audiences.as_array().is_some_and(|list| {
            list.iter()
                .all(|a| a.as_str().is_some_and(|s| !s.is_empty()))
        });
        if !valid {
            return Err(ApiFailure::invalid_parameter(
                "oidc_policy.audiences must be a list of non-empty strings",
            ));
        }
    }
    match (scope, text("subject")) {
        (Scope::ServicePrincipal(_), None) => {
            return Err(ApiFailure::invalid_parameter(
                "oidc_policy.subject is required for a service principal federation policy",
            ));
        }
        (Scope::Account, Some(_)) => {
            return Err(ApiFailure::invalid_parameter(
                "oidc_policy.subject must not be set on an account federation policy; the subject claim names the user or service principal",
            ));
        }
        _ => {}
    }
    if let Some(uri) = text("jwks_uri")
        && !is_url(uri)
    {
        return Err(ApiFailure::invalid_parameter(format!(
            "oidc_policy.jwks_uri must be an http(s) URL, got '{uri}'"
        )));
    }
    if let Some(jwks) = text("jwks_json") {
        let keys_ok = serde_json::from_str::<Value>(jwks)
            .ok()
            .is_some_and(|doc| doc.get("keys").is_some_and(Value::is_array));
        if !keys_ok {
            return Err(ApiFailure::invalid_parameter(
                "oidc_policy.jwks_json must be a JSON document with a \"keys\" array",
            ));
        }
    }
    Ok(())
}

#[derive(Deserialize, Default)]
struct CreateParams {
    policy_id: Option<String>,
}

#[derive(Deserialize, Default)]
struct UpdateParams {
    update_mask: Option<String>,
}

fn create(
    shared: &Shared,
    scope: Scope,
    policy_id: Option<String>,
    body: Object,
) -> ApiResult<Object> {
    let mut account = shared.write();
    scope.check(&account)?;
    let policy_id = match policy_id.filter(|id| !id.is_empty()) {
        Some(id) => {
            validate_policy_id(&id)?;
            id
        }
        None => account.new_uuid(),
    };
    let name = scope.resource_name(&account.id, &policy_id);
    if let Some(given) = body.get("name").and_then(Value::as_str)
        && !given.is_empty()
        && given != name
    {
        return Err(ApiFailure::invalid_parameter(format!(
            "name '{given}' does not match the policy being created ('{name}')"
        )));
    }
    let oidc = body
        .get("oidc_policy")
        .and_then(Value::as_object)
        .cloned()
        .ok_or_else(|| ApiFailure::invalid_parameter("oidc_policy is required"))?;
    validate_oidc_policy(&scope, &oidc)?;
    if let Some(description) = body.get("description")
        && !description.is_string()
    {
        return Err(ApiFailure::invalid_parameter(
            "description must be a string",
        ));
    }
    let existing = scope.policies(&account).map_or(0, IndexMap::len);
    if scope
        .policies(&account)
        .is_some_and(|p| p.contains_key(&policy_id))
    {
        return Err(ApiFailure::already_exists(format!(
            "Federation policy '{policy_id}' already exists"
        )));
    }
    if matches!(scope, Scope::ServicePrincipal(_)) && existing >= MAX_POLICIES_PER_SERVICE_PRINCIPAL
    {
        return Err(ApiFailure::invalid_state(format!(
            "A service principal can have at most {MAX_POLICIES_PER_SERVICE_PRINCIPAL} federation policies"
        )));
    }
    let now = clock::now_rfc3339();
    let uid = account.new_uuid();
    let mut policy = Object::new();
    policy.insert("name".into(), json!(name));
    policy.insert("policy_id".into(), json!(policy_id));
    policy.insert("uid".into(), json!(uid));
    if let Scope::ServicePrincipal(sp) = &scope {
        policy.insert(
            "service_principal_id".into(),
            json!(sp.parse::<i64>().unwrap_or_default()),
        );
    }
    if let Some(description) = body.get("description").filter(|d| d.as_str() != Some("")) {
        policy.insert("description".into(), description.clone());
    }
    policy.insert("oidc_policy".into(), Value::Object(oidc));
    policy.insert("create_time".into(), json!(now));
    policy.insert("update_time".into(), json!(now));
    scope
        .policies_mut(&mut account)
        .insert(policy_id, policy.clone());
    Ok(policy)
}

fn not_found(policy_id: &str) -> ApiFailure {
    ApiFailure::not_found(format!("Federation policy '{policy_id}' does not exist"))
}

fn fetch(shared: &Shared, scope: Scope, policy_id: &str) -> ApiResult<Object> {
    let account = shared.read();
    scope.check(&account)?;
    scope
        .policies(&account)
        .and_then(|p| p.get(policy_id))
        .cloned()
        .ok_or_else(|| not_found(policy_id))
}

fn list(shared: &Shared, scope: Scope, params: &PageParams) -> ApiResult<Value> {
    let account = shared.read();
    scope.check(&account)?;
    let policies: Vec<&Object> = scope
        .policies(&account)
        .map(|p| p.values().collect())
        .unwrap_or_default();
    let (range, next) = page_range(params, policies.len())?;
    let page = policies[range].iter().map(|p| (*p).clone()).collect();
    Ok(list_body("policies", page, next))
}

/// Applies `update_mask` (or, without one, every field present) to a stored policy.
fn apply_update(stored: &mut Object, body: &Object, mask: Option<&str>) -> ApiResult<()> {
    let body_oidc = body.get("oidc_policy").and_then(Value::as_object);
    let paths: Vec<String> = match mask.map(str::trim).filter(|m| !m.is_empty()) {
        None => {
            let mut present = Vec::new();
            if body.contains_key("description") {
                present.push("description".to_owned());
            }
            if body_oidc.is_some() {
                present.push("oidc_policy".to_owned());
            }
            present
        }
        Some("*") => vec!["description".to_owned(), "oidc_policy".to_owned()],
        Some(mask) => mask.split(',').map(str::to_owned).collect(),
    };
    for path in &paths {
        match path.as_str() {
            "description" => match body.get("description") {
                Some(value) if value.as_str().is_some_and(|s| !s.is_empty()) => {
                    stored.insert("description".into(), value.clone());
                }
                _ => {
                    stored.remove("description");
                }
            },
            "oidc_policy" => {
                let replacement = body_oidc.cloned().unwrap_or_default();
                stored.insert("oidc_policy".into(), Value::Object(replacement));
            }
            leaf if leaf.starts_with("oidc_policy.") => {
                let field = &leaf["oidc_policy.".len()..];
                if !OIDC_FIELDS.contains(&field) {
                    return Err(ApiFailure::invalid_parameter(format!(
                        "update_mask names an unknown field '{leaf}'"
                    )));
                }
                let oidc = stored
                    .entry("oidc_policy")
                    .or_insert_with(|| json!({}))
                    .as_object_mut()
                    .ok_or_else(|| {
                        ApiFailure::invalid_parameter("stored oidc_policy is not an object")
                    })?;
                match body_oidc.and_then(|o| o.get(field)) {
                    Some(value) => {
                        oidc.insert(field.to_owned(), value.clone());
                    }
                    None => {
                        oidc.remove(field);
                    }
                }
            }
            "name"
            | "policy_id"
            | "uid"
            | "service_principal_id"
            | "create_time"
            | "update_time" => {
                return Err(ApiFailure::invalid_parameter(format!(
                    "'{path}' cannot be updated"
                )));
            }
            other => {
                return Err(ApiFailure::invalid_parameter(format!(
                    "update_mask names an unknown field '{other}'"
                )));
            }
        }
    }
    Ok(())
}

fn update(
    shared: &Shared,
    scope: Scope,
    policy_id: &str,
    mask: Option<&str>,
    body: Object,
) -> ApiResult<Object> {
    let mut account = shared.write();
    scope.check(&account)?;
    let stored = scope
        .policies(&account)
        .and_then(|p| p.get(policy_id))
        .cloned()
        .ok_or_else(|| not_found(policy_id))?;
    let mut updated = stored;
    if body.get("oidc_policy").is_some_and(|o| !o.is_object()) {
        return Err(ApiFailure::invalid_parameter(
            "oidc_policy must be an object",
        ));
    }
    apply_update(&mut updated, &body, mask)?;
    let oidc = updated
        .get("oidc_policy")
        .and_then(Value::as_object)
        .cloned()
        .unwrap_or_default();
    validate_oidc_policy(&scope, &oidc)?;
    updated.insert("update_time".into(), json!(clock::now_rfc3339()));
    scope
        .policies_mut(&mut account)
        .insert(policy_id.to_owned(), updated.clone());
    Ok(updated)
}

fn remove(shared: &Shared, scope: Scope, policy_id: &str) -> ApiResult<Value> {
    let mut account = shared.write();
    scope.check(&account)?;
    scope
        .policies_mut(&mut account)
        .shift_remove(policy_id)
        .ok_or_else(|| not_found(policy_id))?;
    Ok(json!({}))
}

async fn create_account(
    State(s): State<Arc<Shared>>,
    Query(q, ..): Query<CreateParams>,
    Json(body, ..): Json<Object>,
) -> ApiResult<JsonResponse<Object>> {
    create(&s, Scope::Account, q.policy_id, body).map(JsonResponse)
}

async fn list_account(
    State(s): State<Arc<Shared>>,
    Query(q, ..): Query<PageParams>,
) -> ApiResult<JsonResponse<Value>> {
    list(&s, Scope::Account, &q).map(JsonResponse)
}

async fn get_account(
    State(s): State<Arc<Shared>>,
    Path(id): Path<String>,
) -> ApiResult<JsonResponse<Object>> {
    fetch(&s, Scope::Account, &id).map(JsonResponse)
}

async fn update_account(
    State(s): State<Arc<Shared>>,
    Path(id): Path<String>,
    Query(q, ..): Query<UpdateParams>,
    Json(body, ..): Json<Object>,
) -> ApiResult<JsonResponse<Object>> {
    update(&s, Scope::Account, &id, q.update_mask.as_deref(), body).map(JsonResponse)
}

async fn delete_account(
    State(s): State<Arc<Shared>>,
    Path(id): Path<String>,
) -> ApiResult<JsonResponse<Value>> {
    remove(&s, Scope::Account, &id).map(JsonResponse)
}

async fn create_sp(
    State(s): State<Arc<Shared>>,
    Path(sp): Path<String>,
    Query(q, ..): Query<CreateParams>,
    Json(body, ..): Json<Object>,
) -> ApiResult<JsonResponse<Object>> {
    create(&s, Scope::ServicePrincipal(sp), q.policy_id, body).map(JsonResponse)
}

async fn list_sp(
    State(s): State<Arc<Shared>>,
    Path(sp): Path<String>,
    Query(q, ..): Query<PageParams>,
) -> ApiResult<JsonResponse<Value>> {
    list(&s, Scope::ServicePrincipal(sp), &q).map(JsonResponse)
}

async fn get_sp(
    State(s): State<Arc<Shared>>,
    Path((sp, id)): Path<(String, String)>,
) -> ApiResult<JsonResponse<Object>> {
    fetch(&s, Scope::ServicePrincipal(sp), &id).map(JsonResponse)
}

async fn update_sp(
    State(s): State<Arc<Shared>>,
    Path((sp, id)): Path<(String, String)>,
    Query(q, ..): Query<UpdateParams>,
    Json(body, ..): Json<Object>,
) -> ApiResult<JsonResponse<Object>> {
    update(
        &s,
        Scope::ServicePrincipal(sp),
        &id,
        q.update_mask.as_deref(),
        body,
    )
    .map(JsonResponse)
}

async fn delete_sp(
    State(s): State<Arc<Shared>>,
    Path((sp, id)): Path<(String, String)>,
) -> ApiResult<JsonResponse<Value>> {
    remove(&s, Scope::ServicePrincipal(sp), &id).map(JsonResponse)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn policy_ids_follow_the_documented_rules() {
        assert!(validate_policy_id("github-prod").is_ok());
        assert!(validate_policy_id("team/ci-2").is_ok());
        assert!(
            validate_policy_id("a")
                .unwrap_err()
                .message
                .contains("2 to 63")
        );
        assert!(validate_policy_id(&"a".repeat(64)).is_err());
        assert!(
            validate_policy_id("GitHub")
                .unwrap_err()
                .message
                .contains("'G'")
        );
        assert!(validate_policy_id("under_score").is_err());
    }

    #[test]
    fn update_mask_sets_and_clears_leaves() {
        let mut stored: Object = serde_json::from_value(json!({
            "description": "old",
            "oidc_policy": {"issuer": "https://a", "audiences": ["x"], "subject_claim": "email"}
        }))
        .unwrap();
        let body: Object =
            serde_json::from_value(json!({"oidc_policy": {"audiences": ["y", "z"]}})).unwrap();
        apply_update(
            &mut stored,
            &body,
            Some("oidc_policy.audiences,oidc_policy.subject_claim"),
        )
        .unwrap();
        assert_eq!(
            stored["oidc_policy"],
            json!({"issuer": "https://a", "audiences": ["y", "z"]})
        );
        assert_eq!(stored["description"], json!("old"));
        assert!(apply_update(&mut stored, &body, Some("policy_id")).is_err());
        assert!(apply_update(&mut stored, &body, Some("oidc_policy.nope")).is_err());
    }

    #[test]
    fn subject_rules_differ_between_account_and_sp_policies() {
        let with_subject: Map<String, Value> =
            serde_json::from_value(json!({"issuer": "https://i", "subject": "s"})).unwrap();
        let without: Map<String, Value> =
            serde_json::from_value(json!({"issuer": "https://i"})).unwrap();
        assert!(validate_oidc_policy(&Scope::Account, &with_subject).is_err());
        assert!(validate_oidc_policy(&Scope::Account, &without).is_ok());
        assert!(validate_oidc_policy(&Scope::ServicePrincipal("1".into()), &without).is_err());
        assert!(validate_oidc_policy(&Scope::ServicePrincipal("1".into()), &with_subject).is_ok());
    }
}
