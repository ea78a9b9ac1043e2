//! Unauthenticated metadata: `/.well-known/databricks-config` (which the Python SDK reads to
//! find the OIDC root), the RFC 8414 authorization-server document, and the JWKS.

use std::sync::Arc;

use axum::Json;
use axum::extract::{Path, State};
use axum::response::{IntoResponse, Response};
use serde_json::{Value, json};

use crate::mock::error::ApiFailure;
use crate::mock::state::Shared;

pub async fn host_metadata(State(shared): State<Arc<Shared>>) -> Json<Value> {
    // The literal `{account_id}` placeholder is what the real account host serves; clients
    // substitute their configured account id.
    Json(json!({
        "oidc_endpoint": format!("{}/oidc/accounts/{{account_id}}", shared.host),
        "account_id": shared.account_id,
        "cloud": "AWS",
    }))
}

fn unknown_account(account_id: &str) -> Response {
    ApiFailure::not_found(format!("Account {account_id} does not exist")).into_response()
}

pub async fn authorization_server(
    State(shared): State<Arc<Shared>>,
    Path(account_id): Path<String>,
) -> Response {
    if account_id != shared.account_id {
        return unknown_account(&account_id);
    }
    let root = shared.oidc_root();
    Json(json!({
        "issuer": root,
        "authorization_endpoint": format!("{root}/v1/authorize"),
        "token_endpoint": format!("{root}/v1/token"),
        "jwks_uri": format!("{root}/v1/keys"),
        "response_types_supported": ["code"],
        "grant_types_supported": ["authorization_code", "refresh_token", "client_credentials",
                                  "urn:ietf:params:oauth:grant-type:token-exchange"],
        "code_challenge_methods_supported": ["S256"],
        "token_endpoint_auth_methods_supported": ["client_secret_basic", "client_secret_post", "none"],
        "scopes_supported": ["all-apis", "offline_access", "openid", "profile", "email", "sql"],
    }))
    .into_response()
}

pub async fn keys(State(shared): State<Arc<Shared>>, Path(account_id): Path<String>) -> Response {
    if account_id != shared.account_id {
        return unknown_account(&account_id);
    }
    Json(shared.signing_key.jwks()).into_response()
}
