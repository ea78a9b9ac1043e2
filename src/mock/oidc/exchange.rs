//! RFC 8693 token exchange against federation policies: an IdP's JWT (RS256/ES256, keys
//! from the policy's inline JWKS) becomes an access token for a user or service principal.

use serde_json::Value;

use super::jwt::{self, audiences, check_time, decode_unverified, verify_with_jwks};
use super::sessions::Subject;
use super::token::{ClientAuth, Form, required};
use super::tokens::{Issued, Lifetimes, issue};
use crate::mock::clock;
use crate::mock::error::OAuthFailure;
use crate::mock::state::{Account, Object, Shared};

pub const GRANT_TYPE: &str = "urn:ietf:params:oauth:grant-type:token-exchange";
const JWT_TOKEN_TYPE: &str = "urn:ietf:params:oauth:token-type:jwt";
/// Exchanged tokens live as long as the IdP token, up to the usual hour.
const MAX_LIFETIME_SECS: i64 = 3600;
const CLOCK_LEEWAY_SECS: i64 = 30;

pub fn token_exchange(
    shared: &Shared,
    form: &Form,
    auth: &ClientAuth,
) -> Result<Issued, OAuthFailure> {
    let subject_token = required(form, "subject_token")?;
    let token_type = required(form, "subject_token_type")?;
    if token_type != JWT_TOKEN_TYPE {
        return Err(OAuthFailure::invalid_request(format!(
            "subject_token_type must be {JWT_TOKEN_TYPE}"
        )));
    }
    let decoded =
        decode_unverified(subject_token).map_err(|e| OAuthFailure::invalid_grant(e.to_string()))?;
    let issuer = decoded
        .claims
        .get("iss")
        .and_then(Value::as_str)
        .unwrap_or_default()
        .to_owned();
    let account = shared.read();
    let (policies, service_principal) = match auth.client_id.as_deref() {
        Some(application_id) => {
            let sp = account
                .service_principal_by_application_id(application_id)
                .ok_or_else(|| {
                    OAuthFailure::invalid_client(format!(
                        "Unknown service principal '{application_id}'"
                    ))
                })?;
            let policies: Vec<Object> = account
                .sp_policies
                .get(&sp)
                .map(|p| p.values().cloned().collect())
                .unwrap_or_default();
            (policies, Some(sp))
        }
        None => (account.account_policies.values().cloned().collect(), None),
    };
    let candidates: Vec<&Object> = policies
        .iter()
        .filter(|p| oidc_field(p, "issuer") == Some(issuer.as_str()))
        .collect();
    if candidates.is_empty() {
        return Err(OAuthFailure::invalid_grant(format!(
            "No federation policy accepts tokens from issuer '{issuer}'"
        )));
    }
    let mut last_error = String::new();
    for policy in candidates {
        match accept(
            &account,
            policy,
            subject_token,
            service_principal.as_deref(),
        ) {
            Ok((subject, expires)) => {
                let now = clock::now().timestamp();
                let access_secs = (expires - now).clamp(1, MAX_LIFETIME_SECS);
                let scopes = requested_scopes(form);
                let client_id = auth
                    .client_id
                    .clone()
                    .unwrap_or_else(|| "federation".to_owned());
                drop(account);
                return Ok(issue(
                    shared,
                    subject,
                    &client_id,
                    scopes,
                    Lifetimes {
                        access_secs,
                        refresh: None,
                    },
                ));
            }
            Err(message) => last_error = message,
        }
    }
    Err(OAuthFailure::invalid_grant(last_error))
}

fn requested_scopes(form: &Form) -> Vec<String> {
    let scopes: Vec<String> = form
        .get("scope")
        .map(|s| s.split_whitespace().map(str::to_owned).collect())
        .unwrap_or_default();
    if scopes.is_empty() {
        vec!["all-apis".to_owned()]
    } else {
        scopes
    }
}

fn oidc_field<'a>(policy: &'a Object, key: &str) -> Option<&'a str> {
    policy.get("oidc_policy")?.get(key)?.as_str()
}

/// Checks one policy; on success, who the token acts as and when the IdP token expires.
fn accept(
    account: &Account,
    policy: &Object,
    token: &str,
    service_principal: Option<&str>,
) -> Result<(Subject, i64), String> {
    let policy_id = policy
        .get("policy_id")
        .and_then(Value::as_str)
        .unwrap_or_default();
    let jwks_text = oidc_field(policy, "jwks_json").ok_or_else(|| {
        format!("Federation policy '{policy_id}' has no inline jwks_json; this test server cannot fetch remote keys")
    })?;
    let jwks = jwt::parse_jwks(jwks_text).map_err(|e| e.to_string())?;
    let claims = verify_with_jwks(token, &jwks).map_err(|e| e.to_string())?;
    check_time(&claims, clock::now().timestamp(), CLOCK_LEEWAY_SECS).map_err(|e| e.to_string())?;
    let allowed: Vec<String> = policy
        .get("oidc_policy")
        .and_then(|o| o.get("audiences"))
        .and_then(Value::as_array)
        .map(|a| {
            a.iter()
                .filter_map(Value::as_str)
                .map(str::to_owned)
                .collect()
        })
        .filter(|a: &Vec<String>| !a.is_empty())
        .unwrap_or_else(|| vec![account.id.clone()]);
    let presented = audiences(&claims);
    if !presented.iter().any(|a| allowed.contains(a)) {
        return Err(format!(
            "subject_token audience {presented:?} is not accepted by policy '{policy_id}'"
        ));
    }
    let claim_name = oidc_field(policy, "subject_claim").unwrap_or("sub");
    let claim = claims
        .get(claim_name)
        .and_then(Value::as_str)
        .ok_or_else(|| format!("subject_token has no '{claim_name}' claim"))?;
    let subject = match service_principal {
        Some(sp) => {
            if oidc_field(policy, "subject") != Some(claim) {
                return Err(format!(
                    "subject '{claim}' does not match policy '{policy_id}'"
                ));
            }
            Subject::ServicePrincipal(sp.to_owned())
        }
        None => account
            .users
            .find_unique(claim)
            .map(|id| Subject::User(id.to_owned()))
            .or_else(|| {
                account
                    .service_principal_by_application_id(claim)
                    .map(Subject::ServicePrincipal)
            })
            .ok_or_else(|| format!("No user or service principal '{claim}' in the account"))?,
    };
    if !account.is_active(&subject) {
        return Err(format!("'{claim}' is deactivated"));
    }
    let expires = claims
        .get("exp")
        .and_then(Value::as_i64)
        .unwrap_or_default();
    Ok((subject, expires))
}
