//! OAuth app integrations: custom app connections (client secret returned once), published
//! app integrations, and the read-only catalogue of published apps.

use std::sync::Arc;

use axum::extract::{Path, State};
use axum::routing::get;
use axum::{Extension, Json as JsonResponse, Router};
use serde::Deserialize;
use serde_json::{Value, json};

use super::clock;
use super::error::{ApiFailure, ApiResult};
use super::extract::{Json, Query};
use super::middleware::Caller;
use super::oidc::pkce::random_hex;
use super::paging::{PageParams, page_range};
use super::state::{CustomAppRecord, Object, Shared};
use super::token_policy::TokenAccessPolicy;

pub fn routes() -> Router<Arc<Shared>> {
    Router::new()
        .route(
            "/oauth2/custom-app-integrations",
            get(list_custom).post(create_custom),
        )
        .route(
            "/oauth2/custom-app-integrations/{integration_id}",
            get(get_custom).patch(update_custom).delete(delete_custom),
        )
        .route(
            "/oauth2/published-app-integrations",
            get(list_published).post(create_published),
        )
        .route(
            "/oauth2/published-app-integrations/{integration_id}",
            get(get_published)
                .patch(update_published)
                .delete(delete_published),
        )
        .route("/oauth2/published-apps", get(list_catalog))
}

/// Scopes the custom-app API documents; others are accepted (finer-grained API scopes exist)
/// as long as they look like scope tokens.
fn validate_scopes(field: &str, scopes: &[String]) -> ApiResult<()> {
    for scope in scopes {
        let well_formed = !scope.is_empty()
            && scope
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || "-_.:".contains(c));
        if !well_formed {
            return Err(ApiFailure::invalid_parameter(format!(
                "{field} contains an invalid scope '{scope}'"
            )));
        }
    }
    Ok(())
}

fn validate_redirect_urls(urls: &[String]) -> ApiResult<()> {
    for url in urls {
        let has_scheme = url
            .split_once("://")
            .is_some_and(|(scheme, rest)| !scheme.is_empty() && !rest.is_empty());
        if !has_scheme || url.chars().any(char::is_whitespace) {
            return Err(ApiFailure::invalid_parameter(format!(
                "redirect_urls contains an invalid URL '{url}': an absolute URL without spaces is required"
            )));
        }
    }
    Ok(())
}

fn validate_user_authorized(
    scopes: Option<&[String]>,
    user_authorized: &[String],
) -> ApiResult<()> {
    let scopes = scopes.unwrap_or_default();
    if let Some(extra) = user_authorized.iter().find(|s| !scopes.contains(s)) {
        return Err(ApiFailure::invalid_parameter(format!(
            "user_authorized_scopes must be a subset of scopes; '{extra}' is not in scopes"
        )));
    }
    Ok(())
}

#[derive(Deserialize)]
struct CreateCustomApp {
    name: Option<String>,
    confidential: Option<bool>,
    redirect_urls: Option<Vec<String>>,
    scopes: Option<Vec<String>>,
    user_authorized_scopes: Option<Vec<String>>,
    token_access_policy: Option<TokenAccessPolicy>,
}

async fn create_custom(
    State(shared): State<Arc<Shared>>,
    Extension(caller): Extension<Caller>,
    Json(body, ..): Json<CreateCustomApp>,
) -> ApiResult<JsonResponse<Value>> {
    if let Some(urls) = &body.redirect_urls {
        validate_redirect_urls(urls)?;
    }
    if let Some(scopes) = &body.scopes {
        validate_scopes("scopes", scopes)?;
    }
    if let Some(user_authorized) = &body.user_authorized_scopes {
        validate_user_authorized(body.scopes.as_deref(), user_authorized)?;
    }
    if let Some(policy) = &body.token_access_policy {
        policy.validate()?;
    }
    let confidential = body.confidential.unwrap_or(false);
    let mut account = shared.write();
    let integration_id = account.new_uuid();
    let client_id = account.new_uuid();
    let mut info = Object::new();
    info.insert("integration_id".into(), json!(integration_id));
    info.insert("client_id".into(), json!(client_id));
    if let Some(name) = body.name {
        info.insert("name".into(), json!(name));
    }
    info.insert("confidential".into(), json!(confidential));
    insert_list(&mut info, "redirect_urls", body.redirect_urls);
    insert_list(&mut info, "scopes", body.scopes);
    insert_list(
        &mut info,
        "user_authorized_scopes",
        body.user_authorized_scopes,
    );
    if let Some(policy) = body.token_access_policy {
        info.insert("token_access_policy".into(), json!(policy));
    }
    info.insert("create_time".into(), json!(clock::now_rfc3339()));
    if let Some(user_id) = caller.user_id() {
        info.insert("created_by".into(), json!(user_id));
    }
    let client_secret = confidential.then(|| format!("dose{}", random_hex(16)));
    account.custom_apps.insert(
        integration_id.clone(),
        CustomAppRecord {
            info,
            client_secret_hash: client_secret
                .as_deref()
                .map(super::oidc::tokens::sha256_hex),
        },
    );
    let mut response = json!({"integration_id": integration_id, "client_id": client_id});
    if let Some(secret) = client_secret {
        response["client_secret"] = json!(secret);
    }
    Ok(JsonResponse(response))
}

/// The SDKs omit empty lists; so does the fake.
fn insert_list(object: &mut Object, key: &str, list: Option<Vec<String>>) {
    if let Some(list) = list.filter(|l| !l.is_empty()) {
        object.insert(key.into(), json!(list));
    }
}

/// `creator_username` is filled in from the creator's current userName when asked for.
fn with_creator(shared: &Shared, mut info: Object, include_creator: bool) -> Object {
    if include_creator {
        let account = shared.read();
        let creator = info
            .get("created_by")
            .and_then(Value::as_i64)
            .and_then(|id| account.users.get(&id.to_string()))
            .and_then(|user| user.get("userName").cloned());
        if let Some(user_name) = creator {
            info.insert("creator_username".into(), user_name);
        }
    }
    info
}

// No `#[serde(flatten)]` here: serde_urlencoded hands flattened numbers over as strings,
// which would reject `page_size=2`.
#[derive(Deserialize, Default)]
struct ListCustomParams {
    page_size: Option<i64>,
    page_token: Option<String>,
    include_creator_username: Option<bool>,
}

async fn list_custom(
    State(shared): State<Arc<Shared>>,
    Query(params, ..): Query<ListCustomParams>,
) -> ApiResult<JsonResponse<Value>> {
    let apps: Vec<Object> = shared
        .read()
        .custom_apps
        .values()
        .map(|record| record.info.clone())
        .collect();
    let page = PageParams {
        page_size: params.page_size,
        page_token: params.page_token,
    };
    let (range, next) = page_range(&page, apps.len())?;
    let include_creator = params.include_creator_username.unwrap_or(false);
    let page: Vec<Object> = apps[range]
        .iter()
        .map(|info| with_creator(&shared, info.clone(), include_creator))
        .collect();
    Ok(JsonResponse(list_body("apps", page, next)))
}

pub fn list_body(key: &str, items: Vec<Object>, next: Option<String>) -> Value {
    let mut body = json!({ key: items });
    if let Some(token) = next {
        body["next_page_token"] = json!(token);
    }
    body
}

fn custom_not_found(id: &str) -> ApiFailure {
    ApiFailure::not_found(format!("Custom app integration {id} does not exist"))
}

async fn get_custom(
    State(shared): State<Arc<Shared>>,
    Path(integration_id): Path<String>,
) -> ApiResult<JsonResponse<Object>> {
    let info = shared
        .read()
        .custom_apps
        .get(&integration_id)
        .map(|record| record.info.clone())
        .ok_or_else(|| custom_not_found(&integration_id))?;
    // Unconfirmed whether get carries creator_username; the reference presumes it does.
    Ok(JsonResponse(with_creator(&shared, info, true)))
}

#[derive(Deserialize)]
struct UpdateCustomApp {
    redirect_urls: Option<Vec<String>>,
    scopes: Option<Vec<String>>,
    user_authorized_scopes: Option<Vec<String>>,
    token_access_policy: Option<TokenAccessPolicy>,
}

async fn update_custom(
    State(shared): State<Arc<Shared>>,
    Path(integration_id): Path<String>,
    Json(body, ..): Json<UpdateCustomApp>,
) -> ApiResult<JsonResponse<Value>> {
    let mut account = shared.write();
    let record = account
        .custom_apps
        .get_mut(&integration_id)
        .ok_or_else(|| custom_not_found(&integration_id))?;
    if let Some(urls) = &body.redirect_urls {
        validate_redirect_urls(urls)?;
    }
    if let Some(scopes) = &body.scopes {
        validate_scopes("scopes", scopes)?;
    }
    let scopes_after: Vec<String> = match &body.scopes {
        Some(scopes) => scopes.clone(),
        None => string_list(record.info.get("scopes")),
    };
    let user_authorized_after = match &body.user_authorized_scopes {
        Some(list) => list.clone(),
        None => string_list(record.info.get("user_authorized_scopes")),
    };
    validate_user_authorized(Some(&scopes_after), &user_authorized_after)?;
    if let Some(policy) = &body.token_access_policy {
        policy.validate()?;
    }
    // Each present field replaces the stored value entirely; absent ones are untouched.
    for (key, list) in [
        ("redirect_urls", body.redirect_urls),
        ("scopes", body.scopes),
        ("user_authorized_scopes", body.user_authorized_scopes),
    ] {
        if let Some(list) = list {
            record.info.remove(key);
            insert_list(&mut record.info, key, Some(list));
        }
    }
    if let Some(policy) = body.token_access_policy {
        record
            .info
            .insert("token_access_policy".into(), json!(policy));
    }
    Ok(JsonResponse(json!({})))
}

pub fn string_list(value: Option<&Value>) -> Vec<String> {
    value
        .and_then(Value::as_array)
        .map(|items| {
            items
                .iter()
                .filter_map(Value::as_str)
                .map(str::to_owned)
                .collect()
        })
        .unwrap_or_default()
}

async fn delete_custom(
    State(shared): State<Arc<Shared>>,
    Path(integration_id): Path<String>,
) -> ApiResult<JsonResponse<Value>> {
    shared
        .write()
        .custom_apps
        .shift_remove(&integration_id)
        .ok_or_else(|| custom_not_found(&integration_id))?;
    Ok(JsonResponse(json!({})))
}

#[derive(Deserialize)]
struct CreatePublished {
    app_id: Option<String>,
    token_access_policy: Option<TokenAccessPolicy>,
}

async fn create_published(
    State(shared): State<Arc<Shared>>,
    Extension(caller): Extension<Caller>,
    Json(body, ..): Json<CreatePublished>,
) -> ApiResult<JsonResponse<Value>> {
    let app_id = body
        .app_id
        .filter(|id| !id.is_empty())
        .ok_or_else(|| ApiFailure::invalid_parameter("app_id is required"))?;
    if let Some(policy) = &body.token_access_policy {
        policy.validate()?;
    }
    let mut account = shared.write();
    let name = account
        .published_catalog
        .iter()
        .find(|app| app.get("app_id").and_then(Value::as_str) == Some(app_id.as_str()))
        .and_then(|app| app.get("name").cloned())
        .ok_or_else(|| {
            ApiFailure::invalid_parameter(format!(
                "'{app_id}' is not a published app; list /oauth2/published-apps for valid app_id values"
            ))
        })?;
    let duplicate = account
        .published_integrations
        .values()
        .any(|i| i.get("app_id").and_then(Value::as_str) == Some(app_id.as_str()));
    if duplicate {
        return Err(ApiFailure::already_exists(format!(
            "Published app integration for '{app_id}' already exists"
        )));
    }
    let integration_id = account.new_uuid();
    let mut info = Object::new();
    info.insert("app_id".into(), json!(app_id));
    info.insert("integration_id".into(), json!(integration_id));
    info.insert("name".into(), name);
    if let Some(policy) = body.token_access_policy {
        info.insert("token_access_policy".into(), json!(policy));
    }
    info.insert("create_time".into(), json!(clock::now_rfc3339()));
    if let Some(user_id) = caller.user_id() {
        info.insert("created_by".into(), json!(user_id));
    }
    account
        .published_integrations
        .insert(integration_id.clone(), info);
    Ok(JsonResponse(json!({"integration_id": integration_id})))
}

fn published_not_found(id: &str) -> ApiFailure {
    ApiFailure::not_found(format!("Published app integration {id} does not exist"))
}

async fn list_published(
    State(shared): State<Arc<Shared>>,
    Query(params, ..): Query<PageParams>,
) -> ApiResult<JsonResponse<Value>> {
    let account = shared.read();
    let (range, next) = page_range(&params, account.published_integrations.len())?;
    let page = account
        .published_integrations
        .values()
        .skip(range.start)
        .take(range.len())
        .cloned()
        .collect();
    Ok(JsonResponse(list_body("apps", page, next)))
}

async fn get_published(
    State(shared): State<Arc<Shared>>,
    Path(integration_id): Path<String>,
) -> ApiResult<JsonResponse<Object>> {
    shared
        .read()
        .published_integrations
        .get(&integration_id)
        .cloned()
        .map(JsonResponse)
        .ok_or_else(|| published_not_found(&integration_id))
}

#[derive(Deserialize)]
struct UpdatePublished {
    token_access_policy: Option<TokenAccessPolicy>,
}

async fn update_published(
    State(shared): State<Arc<Shared>>,
    Path(integration_id): Path<String>,
    Json(body, ..): Json<UpdatePublished>,
) -> ApiResult<JsonResponse<Value>> {
    if let Some(policy) = &body.token_access_policy {
        policy.validate()?;
    }
    let mut account = shared.write();
    let info = account
        .published_integrations
        .get_mut(&integration_id)
        .ok_or_else(|| published_not_found(&integration_id))?;
    if let Some(policy) = body.token_access_policy {
        info.insert("token_access_policy".into(), json!(policy));
    }
    Ok(JsonResponse(json!({})))
}

async fn delete_published(
    State(shared): State<Arc<Shared>>,
    Path(integration_id): Path<String>,
) -> ApiResult<JsonResponse<Value>> {
    shared
        .write()
        .published_integrations
        .shift_remove(&integration_id)
        .ok_or_else(|| published_not_found(&integration_id))?;
    Ok(JsonResponse(json!({})))
}

async fn list_catalog(
    State(shared): State<Arc<Shared>>,
    Query(params, ..): Query<PageParams>,
) -> ApiResult<JsonResponse<Value>> {
    let account = shared.read();
    let (range, next) = page_range(&params, account.published_catalog.len())?;
    let page = account.published_catalog[range].to_vec();
    Ok(JsonResponse(list_body("apps", page, next)))
}
