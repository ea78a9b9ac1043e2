//! `POST /v1/token`: reads the form, authenticates the client (HTTP Basic or form fields),
//! and hands the request to its grant.

use std::collections::HashMap;
use std::sync::Arc;

use axum::body::Body;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, header};
use axum::response::{IntoResponse, Response};
use base64::Engine;

use super::{exchange, grants};
use crate::mock::error::OAuthFailure;
use crate::mock::extract::BODY_LIMIT_BYTES;
use crate::mock::state::Shared;

pub type Form = HashMap<String, String>;

/// Client credentials as presented, from either place RFC 6749 §2.3.1 allows.
#[derive(Debug, Default, Clone)]
pub struct ClientAuth {
    pub client_id: Option<String>,
    pub client_secret: Option<String>,
}

pub async fn token(
    State(shared): State<Arc<Shared>>,
    Path(account_id): Path<String>,
    headers: HeaderMap,
    body: Body,
) -> Response {
    // Read the body here rather than with the `Bytes` extractor, whose oversize rejection
    // is plain text: token errors must be RFC 6749 JSON.
    let body = match axum::body::to_bytes(body, BODY_LIMIT_BYTES).await {
        Ok(body) => body,
        Err(_) => {
            let mut failure = OAuthFailure::invalid_request(format!(
                "The request body exceeds the limit of {BODY_LIMIT_BYTES} bytes"
            ));
            failure.status = axum::http::StatusCode::PAYLOAD_TOO_LARGE;
            return failure.into_response();
        }
    };
    match handle(&shared, &account_id, &headers, &body) {
        Ok(response) => response,
        Err(failure) => failure.into_response(),
    }
}

fn handle(
    shared: &Shared,
    account_id: &str,
    headers: &HeaderMap,
    body: &[u8],
) -> Result<Response, OAuthFailure> {
    if account_id != shared.account_id {
        return Err(OAuthFailure::invalid_request(format!(
            "Account {account_id} does not exist"
        )));
    }
    let text = std::str::from_utf8(body)
        .map_err(|_| OAuthFailure::invalid_request("The request body is not valid UTF-8"))?;
    let pairs: Vec<(String, String)> = serde_urlencoded::from_str(text).map_err(|_| {
        OAuthFailure::invalid_request("The request body must be application/x-www-form-urlencoded")
    })?;
    let form: Form = pairs.into_iter().collect();
    let auth = client_auth(headers, &form)?;
    let grant_type = form
        .get("grant_type")
        .ok_or_else(|| OAuthFailure::invalid_request("grant_type is required"))?;
    let issued = match grant_type.as_str() {
        "authorization_code" => grants::authorization_code(shared, &form, &auth)?,
        "refresh_token" => grants::refresh_token(shared, &form, &auth)?,
        "client_credentials" => grants::client_credentials(shared, &form, &auth)?,
        exchange::GRANT_TYPE => exchange::token_exchange(shared, &form, &auth)?,
        other => {
            return Err(OAuthFailure::new(
                "unsupported_grant_type",
                format!("grant_type '{other}' is not supported"),
            ));
        }
    };
    Ok(issued.into_response())
}

fn client_auth(headers: &HeaderMap, form: &Form) -> Result<ClientAuth, OAuthFailure> {
    let from_form = ClientAuth {
        client_id: form.get("client_id").filter(|s| !s.is_empty()).cloned(),
        client_secret: form.get("client_secret").filter(|s| !s.is_empty()).cloned(),
    };
    let Some(value) = headers
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
    else {
        return Ok(from_form);
    };
    let encoded = value
        .split_once(' ')
        .filter(|(scheme, _)| scheme.eq_ignore_ascii_case("basic"))
        .map(|(_, rest)| rest.trim())
        .ok_or_else(|| {
            OAuthFailure::invalid_client(
                "Only HTTP Basic client authentication is supported in the Authorization header",
            )
        })?;
    let decoded = base64::engine::general_purpose::STANDARD
        .decode(encoded)
        .ok()
        .and_then(|bytes| String::from_utf8(bytes).ok())
        .ok_or_else(|| OAuthFailure::invalid_client("Malformed HTTP Basic credentials"))?;
    let (id, secret) = decoded
        .split_once(':')
        .ok_or_else(|| OAuthFailure::invalid_client("Malformed HTTP Basic credentials"))?;
    // RFC 6749 §2.3.1: Basic credentials are form-urlencoded before base64.
    let unescape = |s: &str| {
        serde_urlencoded::from_str::<Vec<(String, String)>>(&format!("v={s}"))
            .ok()
            .and_then(|mut v| v.pop())
            .map_or_else(|| s.to_owned(), |(_, v)| v)
    };
    let basic_id = unescape(id);
    if from_form
        .client_id
        .as_ref()
        .is_some_and(|form_id| *form_id != basic_id)
    {
        return Err(OAuthFailure::invalid_request(
            "client_id in the form differs from the Basic credentials",
        ));
    }
    Ok(ClientAuth {
        client_id: Some(basic_id),
        client_secret: Some(unescape(secret)),
    })
}

pub fn required<'a>(form: &'a Form, key: &str) -> Result<&'a str, OAuthFailure> {
    form.get(key)
        .map(String::as_str)
        .filter(|s| !s.is_empty())
        .ok_or_else(|| OAuthFailure::invalid_request(format!("{key} is required")))
}
