//! Authorization code (+ PKCE), refresh (with single-use rotation and absolute session
//! lifetime), and client credentials for service principals.

use chrono::Duration;

use super::clients::{self, OAuthClient};
use super::pkce::verify_s256;
use super::sessions::Subject;
use super::token::{ClientAuth, Form, required};
use super::tokens::{Issued, Lifetimes, RefreshPlan, issue, sha256_hex};
use crate::mock::clock;
use crate::mock::error::OAuthFailure;
use crate::mock::state::Shared;

/// RFC 6749 §5.2 and the CLI's own check: this exact text means "log in again".
const INVALID_REFRESH: &str = "Refresh token is invalid";

fn known_client(shared: &Shared, client_id: &str) -> Result<OAuthClient, OAuthFailure> {
    clients::find(&shared.read(), client_id)
        .ok_or_else(|| OAuthFailure::invalid_client(format!("Unknown client_id '{client_id}'")))
}

/// Confidential clients must present their secret; public clients must not need one.
fn authenticate_client(client: &OAuthClient, auth: &ClientAuth) -> Result<(), OAuthFailure> {
    if !client.is_confidential {
        return Ok(());
    }
    let presented = auth.client_secret.as_deref().ok_or_else(|| {
        OAuthFailure::invalid_client("client_secret is required for a confidential app")
    })?;
    match &client.client_secret_hash {
        Some(hash) if *hash == sha256_hex(presented) => Ok(()),
        _ => Err(OAuthFailure::invalid_client(
            "Client authentication failed: wrong client_secret",
        )),
    }
}

fn refresh_plan(client: &OAuthClient, scopes: &[String]) -> Option<RefreshPlan> {
    scopes
        .iter()
        .any(|s| s == "offline_access")
        .then(|| RefreshPlan {
            token_secs: client.policy.refresh_token_minutes() * 60,
            session_expires_at: client
                .policy
                .absolute_session_minutes()
                .map(|minutes| clock::now() + Duration::minutes(minutes)),
            reuse: None,
        })
}

pub fn authorization_code(
    shared: &Shared,
    form: &Form,
    auth: &ClientAuth,
) -> Result<Issued, OAuthFailure> {
    let code = required(form, "code")?;
    let client_id = auth
        .client_id
        .as_deref()
        .ok_or_else(|| OAuthFailure::invalid_request("client_id is required"))?;
    let client = known_client(shared, client_id)?;
    authenticate_client(&client, auth)?;
    let now = clock::now();
    let grant = {
        let mut sessions = shared.sessions();
        if sessions.used_codes.contains_key(code) {
            return Err(OAuthFailure::invalid_grant(
                "Authorization code has already been used",
            ));
        }
        let grant = sessions
            .codes
            .remove(code)
            .filter(|g| g.expires_at > now)
            .ok_or_else(|| {
                OAuthFailure::invalid_grant("Authorization code is invalid or expired")
            })?;
        sessions.used_codes.insert(code.to_owned(), now);
        grant
    };
    // The code is spent from here on, even if a check below fails (RFC 6749 §4.1.2).
    if grant.client_id != client.client_id {
        return Err(OAuthFailure::invalid_grant(
            "Authorization code was issued to another client",
        ));
    }
    let redirect_uri = form
        .get("redirect_uri")
        .map(String::as_str)
        .unwrap_or_default();
    if redirect_uri != grant.redirect_uri {
        return Err(OAuthFailure::invalid_grant(
            "redirect_uri does not match the one of the authorization request",
        ));
    }
    if !grant.code_challenge.is_empty() {
        let verifier = required(form, "code_verifier")?;
        verify_s256(verifier, &grant.code_challenge)
            .map_err(|e| OAuthFailure::invalid_grant(e.to_string()))?;
    }
    let lifetimes = Lifetimes {
        access_secs: client.policy.access_token_minutes() * 60,
        refresh: refresh_plan(&client, &grant.scopes),
    };
    Ok(issue(
        shared,
        grant.subject,
        &client.client_id,
        grant.scopes,
        lifetimes,
    ))
}

pub fn refresh_token(
    shared: &Shared,
    form: &Form,
    auth: &ClientAuth,
) -> Result<Issued, OAuthFailure> {
    let token = required(form, "refresh_token")?;
    let now = clock::now();
    let grant = shared
        .sessions()
        .refresh
        .get(token)
        .cloned()
        .filter(|g| g.expires_at > now && g.session_expires_at.is_none_or(|end| end > now))
        .ok_or_else(|| OAuthFailure::invalid_grant(INVALID_REFRESH))?;
    let client_id = auth.client_id.as_deref().unwrap_or(&grant.client_id);
    if client_id != grant.client_id {
        return Err(OAuthFailure::invalid_grant(
            "Refresh token was issued to another client",
        ));
    }
    let client = known_client(shared, client_id)?;
    authenticate_client(&client, auth)?;
    if !shared.read().is_active(&grant.subject) {
        return Err(OAuthFailure::invalid_grant(
            "The user is deactivated or deleted",
        ));
    }
    let rotates = client.policy.rotates_refresh_tokens();
    if rotates {
        // Single-use: the presented token dies now, whatever happens next.
        shared.sessions().refresh.remove(token);
    }
    let plan = RefreshPlan {
        token_secs: client.policy.refresh_token_minutes() * 60,
        session_expires_at: grant.session_expires_at,
        reuse: (!rotates).then(|| token.to_owned()),
    };
    let lifetimes = Lifetimes {
        access_secs: client.policy.access_token_minutes() * 60,
        refresh: Some(plan),
    };
    Ok(issue(
        shared,
        grant.subject,
        client_id,
        grant.scopes,
        lifetimes,
    ))
}

pub fn client_credentials(
    shared: &Shared,
    form: &Form,
    auth: &ClientAuth,
) -> Result<Issued, OAuthFailure> {
    let (Some(client_id), Some(secret)) =
        (auth.client_id.as_deref(), auth.client_secret.as_deref())
    else {
        return Err(OAuthFailure::invalid_client(
            "client_id and client_secret are required",
        ));
    };
    let failed = || OAuthFailure::invalid_client("Client authentication failed");
    let account = shared.read();
    let sp_id = account
        .service_principal_by_application_id(client_id)
        .ok_or_else(failed)?;
    let subject = Subject::ServicePrincipal(sp_id.clone());
    if !account.is_active(&subject) {
        return Err(OAuthFailure::invalid_client(
            "The service principal is deactivated",
        ));
    }
    let now = clock::now();
    let hash = sha256_hex(secret);
    let secret_record = account
        .secrets
        .get(&sp_id)
        .and_then(|secrets| secrets.iter().find(|s| s.secret_hash == hash))
        .ok_or_else(failed)?;
    if secret_record
        .expires_at
        .is_some_and(|expires| expires <= now)
    {
        return Err(OAuthFailure::invalid_client(
            "The client secret has expired",
        ));
    }
    let mut scopes: Vec<String> = form
        .get("scope")
        .map(|s| s.split_whitespace().map(str::to_owned).collect())
        .unwrap_or_default();
    if scopes.is_empty() {
        scopes.push("all-apis".into());
    }
    let bound = crate::mock::oauth_apps::string_list(secret_record.info.get("scopes"));
    if !bound.is_empty()
        && let Some(extra) = scopes.iter().find(|s| !bound.contains(s))
    {
        return Err(OAuthFailure::new(
            "invalid_scope",
            format!(
                "This secret is restricted to {}; '{extra}' is not allowed",
                bound.join(", ")
            ),
        ));
    }
    drop(account);
    Ok(issue(
        shared,
        subject,
        client_id,
        scopes,
        Lifetimes {
            access_secs: 3600,
            refresh: None,
        },
    ))
}
