//! The fake's OAuth 2.0 / OIDC server: host metadata, discovery, JWKS, the browser sign-in
//! and consent page, and the token endpoint (authorization code + PKCE, refresh with
//! optional rotation, client credentials, RFC 8693 token exchange).

pub mod authorize;
pub mod clients;
mod discovery;
mod exchange;
mod grants;
pub mod jwt;
pub mod pkce;
pub mod sessions;
mod token;
pub mod tokens;

use std::sync::Arc;

use axum::Router;
use axum::routing::{get, post};

use super::state::Shared;

pub fn routes() -> Router<Arc<Shared>> {
    Router::new()
        .route(
            "/.well-known/databricks-config",
            get(discovery::host_metadata),
        )
        .route(
            "/oidc/accounts/{account_id}/.well-known/oauth-authorization-server",
            get(discovery::authorization_server),
        )
        .route(
            "/oidc/accounts/{account_id}/.well-known/openid-configuration",
            get(discovery::authorization_server),
        )
        .route("/oidc/accounts/{account_id}/v1/keys", get(discovery::keys))
        .route(
            "/oidc/accounts/{account_id}/v1/authorize",
            get(authorize::show).post(authorize::decide),
        )
        .route("/oidc/accounts/{account_id}/v1/token", post(token::token))
}
