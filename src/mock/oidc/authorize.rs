//! The browser side of U2M: `/v1/authorize` checks the request, then shows a sign-in and
//! consent page (a user picker and Allow/Deny) or, with `--auto-approve`, redirects at once.

use std::collections::HashMap;
use std::sync::Arc;

use axum::body::Body;
use axum::extract::{RawQuery, State};
use axum::http::{StatusCode, header};
use axum::response::{Html, IntoResponse, Response};
use chrono::Duration;
use serde_json::Value;

use super::clients::{self, OAuthClient};
use super::pkce::random_url_safe;
use super::sessions::{CodeGrant, Subject};
use crate::mock::clock;
use crate::mock::extract::BODY_LIMIT_BYTES;
use crate::mock::state::{Account, Shared};

const PAGE: &str = include_str!("../../../assets/signin.html");
const CODE_LIFETIME_MINUTES: i64 = 10;
/// The user picker lists this many users; others can be typed in.
const PICKER_LIMIT: usize = 60;

type Params = HashMap<String, String>;

fn parse(raw: &str) -> Params {
    serde_urlencoded::from_str::<Vec<(String, String)>>(raw)
        .unwrap_or_default()
        .into_iter()
        .collect()
}

pub async fn show(State(shared): State<Arc<Shared>>, RawQuery(query): RawQuery) -> Response {
    let params = parse(query.as_deref().unwrap_or_default());
    let (client, redirect_uri) = match check_client(&shared, &params) {
        Ok(found) => found,
        Err(message) => return error_page(StatusCode::BAD_REQUEST, &message),
    };
    if let Err((error, description)) = check_request(&client, &params) {
        return redirect_error(&redirect_uri, &params, error, &description);
    }
    if shared.config.auto_approve {
        let login_hint = params.get("login_hint").map(String::as_str);
        let subject = {
            let account = shared.read();
            login_hint
                .and_then(|hint| user_by_name(&account, hint))
                .or_else(|| default_user(&account))
        };
        return match subject {
            Some(subject) => redirect_code(&shared, &client, &redirect_uri, &params, subject),
            None => redirect_error(
                &redirect_uri,
                &params,
                "access_denied",
                "The account has no active user to sign in as",
            ),
        };
    }
    Html(consent_page(&shared, &client, &params)).into_response()
}

pub async fn decide(State(shared): State<Arc<Shared>>, body: Body) -> Response {
    let Ok(body) = axum::body::to_bytes(body, BODY_LIMIT_BYTES).await else {
        return error_page(
            StatusCode::PAYLOAD_TOO_LARGE,
            "The sign-in form is too large.",
        );
    };
    let params = parse(std::str::from_utf8(&body).unwrap_or_default());
    let (client, redirect_uri) = match check_client(&shared, &params) {
        Ok(found) => found,
        Err(message) => return error_page(StatusCode::BAD_REQUEST, &message),
    };
    if let Err((error, description)) = check_request(&client, &params) {
        return redirect_error(&redirect_uri, &params, error, &description);
    }
    if params.get("decision").map(String::as_str) != Some("allow") {
        return redirect_error(
            &redirect_uri,
            &params,
            "access_denied",
            "The user denied the request",
        );
    }
    let typed = params
        .get("user_name")
        .map(|s| s.trim())
        .filter(|s| !s.is_empty());
    let chosen = typed
        .or(params.get("user").map(String::as_str))
        .unwrap_or_default();
    let subject = user_by_name(&shared.read(), chosen);
    match subject {
        Some(subject) => redirect_code(&shared, &client, &redirect_uri, &params, subject),
        None => error_page(
            StatusCode::BAD_REQUEST,
            &format!("No active user named '{chosen}' in this account. Go back and pick another."),
        ),
    }
}

/// Errors that must not redirect (unknown client, unregistered redirect) get an error page,
/// since redirecting to an unverified URI would make the server an open redirector.
fn check_client(shared: &Shared, params: &Params) -> Result<(OAuthClient, String), String> {
    let client_id = params
        .get("client_id")
        .map(String::as_str)
        .unwrap_or_default();
    let client = clients::find(&shared.read(), client_id).ok_or_else(|| {
        format!("Unknown client_id '{client_id}'. The app is not registered in this account.")
    })?;
    let redirect_uri = params.get("redirect_uri").cloned().unwrap_or_default();
    if !clients::redirect_allowed(&client, &redirect_uri) {
        return Err(format!(
            "redirect_uri '{redirect_uri}' is not registered for {}",
            client.name
        ));
    }
    Ok((client, redirect_uri))
}

fn check_request(client: &OAuthClient, params: &Params) -> Result<(), (&'static str, String)> {
    if params.get("response_type").map(String::as_str) != Some("code") {
        return Err((
            "unsupported_response_type",
            "response_type must be 'code'".into(),
        ));
    }
    let challenge = params.get("code_challenge").filter(|c| !c.is_empty());
    if challenge.is_none() && !client.is_confidential {
        return Err((
            "invalid_request",
            "code_challenge is required (PKCE with S256)".into(),
        ));
    }
    if challenge.is_some()
        && params.get("code_challenge_method").map(String::as_str) != Some("S256")
    {
        return Err((
            "invalid_request",
            "code_challenge_method must be S256".into(),
        ));
    }
    let scopes = requested_scopes(params);
    if let Some(bad) = scopes.iter().find(|s| !client.allowed_scopes.contains(s)) {
        return Err((
            "invalid_scope",
            format!("Scope '{bad}' is not allowed for {}", client.name),
        ));
    }
    Ok(())
}

pub fn requested_scopes(params: &Params) -> Vec<String> {
    let mut scopes: Vec<String> = params
        .get("scope")
        .map(|s| s.split_whitespace().map(str::to_owned).collect())
        .unwrap_or_default();
    if scopes.is_empty() {
        scopes.push("all-apis".into());
    }
    scopes.dedup();
    scopes
}

fn user_by_name(account: &Account, user_name: &str) -> Option<Subject> {
    let id = account.users.find_unique(user_name)?.to_owned();
    let subject = Subject::User(id);
    account.is_active(&subject).then_some(subject)
}

/// The first active account admin: who `--auto-approve` signs in as.
pub fn default_user(account: &Account) -> Option<Subject> {
    account
        .users
        .iter()
        .map(|(id, _)| Subject::User(id.clone()))
        .find(|s| account.is_active(s) && account.is_account_admin(s))
}

fn redirect_code(
    shared: &Shared,
    client: &OAuthClient,
    redirect_uri: &str,
    params: &Params,
    subject: Subject,
) -> Response {
    let code = format!("dcod{}", random_url_safe(24));
    shared.sessions().codes.insert(
        code.clone(),
        CodeGrant {
            subject,
            client_id: client.client_id.clone(),
            redirect_uri: redirect_uri.to_owned(),
            code_challenge: params.get("code_challenge").cloned().unwrap_or_default(),
            scopes: requested_scopes(params),
            expires_at: clock::now() + Duration::minutes(CODE_LIFETIME_MINUTES),
        },
    );
    let mut pairs = vec![("code", code.as_str())];
    if let Some(state) = params.get("state") {
        pairs.push(("state", state));
    }
    redirect(redirect_uri, &pairs)
}

fn redirect_error(redirect_uri: &str, params: &Params, error: &str, description: &str) -> Response {
    let mut pairs = vec![("error", error), ("error_description", description)];
    if let Some(state) = params.get("state") {
        pairs.push(("state", state));
    }
    redirect(redirect_uri, &pairs)
}

fn redirect(redirect_uri: &str, pairs: &[(&str, &str)]) -> Response {
    let query = serde_urlencoded::to_string(pairs).unwrap_or_default();
    let separator = if redirect_uri.contains('?') { '&' } else { '?' };
    (
        StatusCode::FOUND,
        [(
            header::LOCATION,
            format!("{redirect_uri}{separator}{query}"),
        )],
    )
        .into_response()
}

pub fn escape_html(text: &str) -> String {
    text.chars()
        .map(|c| match c {
            '&' => "&amp;".into(),
            '<' => "&lt;".into(),
            '>' => "&gt;".into(),
            '"' => "&quot;".into(),
            '\'' => "&#39;".into(),
            c => c.to_string(),
        })
        .collect()
}

fn error_page(status: StatusCode, message: &str) -> Response {
    let body = format!(
        "<!doctype html><html><head><meta charset=\"utf-8\"><title>Sign-in error</title></head><body><h1>Sign-in error</h1><p id=\"error\">{}</p></body></html>",
        escape_html(message)
    );
    (status, Html(body)).into_response()
}

fn consent_page(shared: &Shared, client: &OAuthClient, params: &Params) -> String {
    let account = shared.read();
    let default = default_user(&account);
    let mut options = String::new();
    for (id, user) in account
        .users
        .iter()
        .filter(|(id, _)| account.is_active(&Subject::User((*id).clone())))
        .take(PICKER_LIMIT)
    {
        let name = user
            .get("userName")
            .and_then(Value::as_str)
            .unwrap_or_default();
        let display = user
            .get("displayName")
            .and_then(Value::as_str)
            .unwrap_or(name);
        let admin = if account.is_account_admin(&Subject::User(id.clone())) {
            " (account admin)"
        } else {
            ""
        };
        let selected = if default.as_ref().is_some_and(|d| d.scim_id() == id) {
            " selected"
        } else {
            ""
        };
        options.push_str(&format!(
            "<option value=\"{}\"{selected}>{} &lt;{}&gt;{admin}</option>",
            escape_html(name),
            escape_html(display),
            escape_html(name)
        ));
    }
    let hidden: String = [
        "response_type",
        "client_id",
        "redirect_uri",
        "scope",
        "state",
        "code_challenge",
        "code_challenge_method",
    ]
    .iter()
    .filter_map(|key| params.get(*key).map(|value| (key, value)))
    .map(|(key, value)| {
        format!(
            "<input type=\"hidden\" name=\"{key}\" value=\"{}\">",
            escape_html(value)
        )
    })
    .collect();
    let scopes: String = requested_scopes(params)
        .iter()
        .map(|s| format!("<li>{}</li>", escape_html(s)))
        .collect();
    PAGE.replace("{{company}}", &escape_html(&account.company))
        .replace("{{account_id}}", &escape_html(&account.id))
        .replace("{{client_name}}", &escape_html(&client.name))
        .replace("{{scopes}}", &scopes)
        .replace(
            "{{action}}",
            &format!("/oidc/accounts/{}/v1/authorize", escape_html(&account.id)),
        )
        .replace("{{hidden_fields}}", &hidden)
        .replace("{{user_options}}", &options)
}
