//! Issuing tokens: signed JWT access tokens (the SDK reads their `scope` claim), opaque
//! refresh tokens, optional ID tokens, and the RFC 6749 token response.

use axum::Json;
use axum::http::{HeaderValue, header};
use axum::response::{IntoResponse, Response};
use chrono::{DateTime, Duration, Utc};
use serde_json::{Map, Value, json};

use super::pkce::random_url_safe;
use super::sessions::{AccessGrant, RefreshGrant, Subject};
use crate::mock::clock;
use crate::mock::state::Shared;

pub fn sha256_hex(text: &str) -> String {
    let digest = ring::digest::digest(&ring::digest::SHA256, text.as_bytes());
    digest.as_ref().iter().map(|b| format!("{b:02x}")).collect()
}

/// How long a grant's tokens live and whether it gets a refresh token.
pub struct Lifetimes {
    pub access_secs: i64,
    /// `Some` when the grant includes a refresh token.
    pub refresh: Option<RefreshPlan>,
}

pub struct RefreshPlan {
    pub token_secs: i64,
    pub session_expires_at: Option<DateTime<Utc>>,
    /// An existing refresh token to hand back unchanged (no rotation).
    pub reuse: Option<String>,
}

pub struct Issued {
    pub access_token: String,
    pub expires_in: i64,
    pub scopes: Vec<String>,
    pub refresh_token: Option<String>,
    pub id_token: Option<String>,
}

/// The `sub` the tokens name: a user's userName or an SP's applicationId.
fn subject_name(shared: &Shared, subject: &Subject) -> String {
    let account = shared.read();
    let (resource, key) = match subject {
        Subject::User(id) => (account.users.get(id), "userName"),
        Subject::ServicePrincipal(id) => (account.service_principals.get(id), "applicationId"),
    };
    resource
        .and_then(|r| r.get(key))
        .and_then(Value::as_str)
        .unwrap_or(subject.scim_id())
        .to_owned()
}

pub fn issue(
    shared: &Shared,
    subject: Subject,
    client_id: &str,
    scopes: Vec<String>,
    lifetimes: Lifetimes,
) -> Issued {
    let now = clock::now();
    let sub = subject_name(shared, &subject);
    let mut claims = Map::new();
    claims.insert("iss".into(), json!(shared.oidc_root()));
    claims.insert("sub".into(), json!(sub));
    claims.insert("aud".into(), json!(shared.account_id));
    claims.insert("client_id".into(), json!(client_id));
    claims.insert("scope".into(), json!(scopes.join(" ")));
    claims.insert("iat".into(), json!(now.timestamp()));
    claims.insert(
        "exp".into(),
        json!((now + Duration::seconds(lifetimes.access_secs)).timestamp()),
    );
    claims.insert("jti".into(), json!(random_url_safe(12)));
    let access_token = shared.signing_key.sign(&claims);

    let id_token = scopes.iter().any(|s| s == "openid").then(|| {
        let mut id_claims = claims.clone();
        id_claims.insert("aud".into(), json!(client_id));
        id_claims.remove("scope");
        id_claims.insert("email".into(), json!(sub));
        shared.signing_key.sign(&id_claims)
    });

    let mut sessions = shared.sessions();
    sessions.insert_access(
        access_token.clone(),
        AccessGrant {
            subject: subject.clone(),
            client_id: client_id.to_owned(),
            scopes: scopes.clone(),
            expires_at: Some(now + Duration::seconds(lifetimes.access_secs)),
        },
        now,
    );
    let refresh_token = lifetimes.refresh.map(|plan| {
        if let Some(existing) = plan.reuse {
            return existing;
        }
        let token = format!("doau{}", random_url_safe(32));
        sessions.insert_refresh(
            token.clone(),
            RefreshGrant {
                subject,
                client_id: client_id.to_owned(),
                scopes: scopes.clone(),
                expires_at: now + Duration::seconds(plan.token_secs),
                session_expires_at: plan.session_expires_at,
            },
            now,
        );
        token
    });
    Issued {
        access_token,
        expires_in: lifetimes.access_secs,
        scopes,
        refresh_token,
        id_token,
    }
}

/// The `exp` claim of never-expiring tokens: ten years, so a client reading it is not misled.
const STATIC_TOKEN_SECS: i64 = 10 * 365 * 24 * 3600;

/// A token that never expires, for `mock-server`'s first line and for tests.
pub fn issue_static(shared: &Shared, subject: Subject) -> String {
    let issued = issue(
        shared,
        subject.clone(),
        "databricks-cli",
        vec!["all-apis".to_owned()],
        Lifetimes {
            access_secs: STATIC_TOKEN_SECS,
            refresh: None,
        },
    );
    if let Some(grant) = shared.sessions().access.get_mut(&issued.access_token) {
        grant.expires_at = None;
    }
    issued.access_token
}

impl IntoResponse for Issued {
    fn into_response(self) -> Response {
        let mut body = json!({
            "access_token": self.access_token,
            "token_type": "Bearer",
            "expires_in": self.expires_in,
            "scope": self.scopes.join(" "),
        });
        if let Some(refresh) = self.refresh_token {
            body["refresh_token"] = json!(refresh);
        }
        if let Some(id_token) = self.id_token {
            body["id_token"] = json!(id_token);
        }
        let mut response = Json(body).into_response();
        response
            .headers_mut()
            .insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
        response
    }
}
