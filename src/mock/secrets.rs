//! Service principal OAuth secrets: the plaintext is returned once on create, only its hash
//! is kept; at most five live secrets per SP; lifetimes up to 730 days.

use std::sync::Arc;

use axum::extract::{Path, State};
use axum::routing::{delete, get};
use axum::{Json as JsonResponse, Router};
use chrono::Duration;
use serde::Deserialize;
use serde_json::{Value, json};

use super::clock;
use super::error::{ApiFailure, ApiResult};
use super::extract::{Json, Query};
use super::oauth_apps::list_body;
use super::oidc::pkce::random_hex;
use super::oidc::tokens::sha256_hex;
use super::paging::{PageParams, page_range};
use super::state::{Account, Object, SecretRecord, Shared};

/// Unconfirmed in the reference, commonly cited: five active secrets per SP.
pub const MAX_ACTIVE_SECRETS: usize = 5;
pub const MAX_LIFETIME_SECS: i64 = 730 * 24 * 3600;
const DEFAULT_LIFETIME_SECS: i64 = MAX_LIFETIME_SECS;

pub fn routes() -> Router<Arc<Shared>> {
    Router::new()
        .route(
            "/servicePrincipals/{sp_id}/credentials/secrets",
            get(list_secrets).post(create_secret),
        )
        .route(
            "/servicePrincipals/{sp_id}/credentials/secrets/{secret_id}",
            delete(delete_secret),
        )
}

pub fn require_service_principal(account: &Account, sp_id: &str) -> ApiResult<()> {
    if account.service_principals.contains(sp_id) {
        Ok(())
    } else {
        Err(ApiFailure::not_found(format!(
            "Service principal {sp_id} does not exist (use the SCIM id, not the application id)"
        )))
    }
}

/// Parses a protobuf Duration string such as `"31536000s"` or `"1.5s"` into whole seconds.
pub fn parse_duration_secs(text: &str) -> Option<i64> {
    let number = text.strip_suffix('s')?;
    let (whole, fraction) = number.split_once('.').unwrap_or((number, ""));
    if whole.is_empty() || !whole.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    if fraction.len() > 9 || !fraction.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    whole.parse().ok()
}

#[derive(Deserialize)]
struct CreateSecret {
    lifetime: Option<String>,
    scopes: Option<Vec<String>>,
}

/// Whether a secret still counts: not past its expiry.
fn is_live(record: &SecretRecord, now: chrono::DateTime<chrono::Utc>) -> bool {
    record.expires_at.is_none_or(|expires| expires > now)
}

async fn create_secret(
    State(shared): State<Arc<Shared>>,
    Path(sp_id): Path<String>,
    Json(body, ..): Json<CreateSecret>,
) -> ApiResult<JsonResponse<Value>> {
    let lifetime_secs = match body.lifetime.as_deref() {
        None => DEFAULT_LIFETIME_SECS,
        Some(text) => parse_duration_secs(text).ok_or_else(|| {
            ApiFailure::invalid_parameter(format!(
                "lifetime '{text}' is not a duration in seconds such as \"7776000s\""
            ))
        })?,
    };
    if lifetime_secs <= 0 || lifetime_secs > MAX_LIFETIME_SECS {
        return Err(ApiFailure::invalid_parameter(format!(
            "lifetime must be between 1s and {MAX_LIFETIME_SECS}s (730 days), got {lifetime_secs}s"
        )));
    }
    let mut account = shared.write();
    require_service_principal(&account, &sp_id)?;
    let now = clock::now();
    let secrets = account.secrets.entry(sp_id.clone()).or_default();
    let live = secrets.iter().filter(|s| is_live(s, now)).count();
    if live >= MAX_ACTIVE_SECRETS {
        return Err(ApiFailure::invalid_state(format!(
            "Service principal {sp_id} already has {live} active secrets, the maximum is {MAX_ACTIVE_SECRETS}. Delete an old secret first."
        )));
    }
    let secret = format!("dose{}", random_hex(18));
    let expires_at = now + Duration::seconds(lifetime_secs);
    let record = new_secret_record(
        &secret,
        now,
        Some(expires_at),
        body.scopes.unwrap_or_default(),
    );
    let mut response = Value::Object(record.info.clone());
    secrets.push(record);
    response["secret"] = json!(secret);
    Ok(JsonResponse(response))
}

/// Builds the stored form of a secret (also used by the seed).
pub fn new_secret_record(
    plaintext: &str,
    created: chrono::DateTime<chrono::Utc>,
    expires_at: Option<chrono::DateTime<chrono::Utc>>,
    scopes: Vec<String>,
) -> SecretRecord {
    let hash = sha256_hex(plaintext);
    let mut info = Object::new();
    info.insert("id".into(), json!(random_hex(32)));
    info.insert("secret_hash".into(), json!(hash));
    info.insert("create_time".into(), json!(clock::rfc3339(created)));
    info.insert("update_time".into(), json!(clock::rfc3339(created)));
    if let Some(expires) = expires_at {
        info.insert("expire_time".into(), json!(clock::rfc3339(expires)));
    }
    // Only ACTIVE is a confirmed status value; expiry is read from expire_time.
    info.insert("status".into(), json!("ACTIVE"));
    if !scopes.is_empty() {
        info.insert("scopes".into(), json!(scopes));
    }
    SecretRecord {
        info,
        secret_hash: hash,
        expires_at,
    }
}

async fn list_secrets(
    State(shared): State<Arc<Shared>>,
    Path(sp_id): Path<String>,
    Query(params, ..): Query<PageParams>,
) -> ApiResult<JsonResponse<Value>> {
    let account = shared.read();
    require_service_principal(&account, &sp_id)?;
    let secrets = account
        .secrets
        .get(&sp_id)
        .map(Vec::as_slice)
        .unwrap_or_default();
    let (range, next) = page_range(&params, secrets.len())?;
    let page = secrets[range].iter().map(|s| s.info.clone()).collect();
    Ok(JsonResponse(list_body("secrets", page, next)))
}

async fn delete_secret(
    State(shared): State<Arc<Shared>>,
    Path((sp_id, secret_id)): Path<(String, String)>,
) -> ApiResult<JsonResponse<Value>> {
    let mut account = shared.write();
    require_service_principal(&account, &sp_id)?;
    let secrets = account.secrets.entry(sp_id.clone()).or_default();
    let position = secrets
        .iter()
        .position(|s| s.info.get("id").and_then(Value::as_str) == Some(secret_id.as_str()))
        .ok_or_else(|| {
            ApiFailure::not_found(format!(
                "Secret {secret_id} does not exist for service principal {sp_id}"
            ))
        })?;
    secrets.remove(position);
    Ok(JsonResponse(json!({})))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn durations_parse_like_protobuf() {
        assert_eq!(parse_duration_secs("31536000s"), Some(31_536_000));
        assert_eq!(parse_duration_secs("1.5s"), Some(1));
        assert_eq!(parse_duration_secs("10"), None);
        assert_eq!(parse_duration_secs("-5s"), None);
        assert_eq!(parse_duration_secs("s"), None);
        assert_eq!(parse_duration_secs("1.s5"), None);
    }
}
