//! `ApiError`: what failed (method and path, never a secret), why (HTTP status, error code,
//! server message, request id, or a transport failure), and whether the outcome is known.

use std::fmt;

use reqwest::header::HeaderMap;
use serde_json::Value;

/// Why a request failed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ApiErrorKind {
    /// The server answered with an error.
    Http {
        status: u16,
        error_code: String,
        message: String,
        request_id: Option<String>,
        /// RFC 7644 `scimType` of a SCIM error.
        scim_type: Option<String>,
    },
    /// No connection could be made; nothing was sent.
    Connect(String),
    /// A write was sent but no answer came back (timeout or dropped connection). It was not
    /// replayed, because a second create could mint a second secret: re-read to find out.
    OutcomeUnknown(String),
    /// Retries of a retryable failure ran out of their time budget.
    RetriesExhausted {
        attempts: u32,
        last: Box<ApiErrorKind>,
    },
    /// A success response whose body is not what the API documents.
    Decode(String),
    /// The token source could not provide a token; the user must sign in again.
    SignInRequired(String),
    /// The console is read-only and refused to send a mutating request.
    ReadOnly,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ApiError {
    pub method: String,
    /// Path of the request, without query string (which may carry filters, never secrets,
    /// but is noise in a message).
    pub path: String,
    /// Boxed so `Result<_, ApiError>` stays small on the happy path.
    pub kind: Box<ApiErrorKind>,
}

impl ApiError {
    pub fn new(method: &str, path: &str, kind: ApiErrorKind) -> Self {
        Self {
            method: method.to_owned(),
            path: path.to_owned(),
            kind: Box::new(kind),
        }
    }

    pub fn status(&self) -> Option<u16> {
        match self.kind.as_ref() {
            ApiErrorKind::Http { status, .. } => Some(*status),
            ApiErrorKind::RetriesExhausted { last, .. } => match last.as_ref() {
                ApiErrorKind::Http { status, .. } => Some(*status),
                _ => None,
            },
            _ => None,
        }
    }

    pub fn error_code(&self) -> Option<&str> {
        match self.kind.as_ref() {
            ApiErrorKind::Http { error_code, .. } => Some(error_code),
            _ => None,
        }
    }

    /// Why it failed, without the request line: `403 PERMISSION_DENIED: ...`.
    pub fn summary(&self) -> String {
        struct Kind<'a>(&'a ApiErrorKind);
        impl fmt::Display for Kind<'_> {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                write_kind(f, self.0)
            }
        }
        Kind(self.kind.as_ref()).to_string()
    }

    pub fn is_not_found(&self) -> bool {
        self.status() == Some(404)
    }

    pub fn is_outcome_unknown(&self) -> bool {
        matches!(*self.kind, ApiErrorKind::OutcomeUnknown(_))
    }

    /// What the user can do about it, in one sentence.
    pub fn hint(&self) -> &'static str {
        hint_for(self.kind.as_ref())
    }
}

fn hint_for(kind: &ApiErrorKind) -> &'static str {
    match kind {
        ApiErrorKind::Http { status: 401, .. } | ApiErrorKind::SignInRequired(_) => {
            "Sign in again."
        }
        ApiErrorKind::Http { status: 403, .. } => {
            "Ask an account admin for the account_admin role, or sign in as an account admin."
        }
        ApiErrorKind::Http { status: 404, .. } => "It may have been deleted; refresh the list.",
        ApiErrorKind::Http { status: 409, .. } => {
            "Refresh to see the current state, then try again."
        }
        ApiErrorKind::Http { status: 400, .. } => {
            "Correct the highlighted values and submit again."
        }
        ApiErrorKind::Http { .. } => {
            "Try again; if it persists, quote the request id to Databricks support."
        }
        ApiErrorKind::Connect(_) => "Check the host and your network connection.",
        ApiErrorKind::OutcomeUnknown(_) => {
            "Refresh to see whether the change was applied before trying again."
        }
        ApiErrorKind::RetriesExhausted { last, .. } => match last.as_ref() {
            ApiErrorKind::Http { .. } => "The service is busy; wait a minute and try again.",
            other => hint_for(other),
        },
        ApiErrorKind::Decode(_) => {
            "The server answered unexpectedly; check that the host is an account host."
        }
        ApiErrorKind::ReadOnly => "Restart the console without --read-only to make changes.",
    }
}

impl fmt::Display for ApiError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} {} failed: ", self.method, self.path)?;
        write_kind(f, self.kind.as_ref())
    }
}

fn write_kind(f: &mut fmt::Formatter<'_>, kind: &ApiErrorKind) -> fmt::Result {
    match kind {
        ApiErrorKind::Http {
            status,
            error_code,
            message,
            request_id,
            ..
        } => {
            write!(f, "{status} {error_code}: {message}")?;
            if let Some(id) = request_id {
                write!(f, " (request id {id})")?;
            }
            Ok(())
        }
        ApiErrorKind::Connect(reason) => write!(f, "could not connect: {reason}"),
        ApiErrorKind::OutcomeUnknown(reason) => {
            write!(
                f,
                "no answer after the request was sent ({reason}); the change may or may not have been applied"
            )
        }
        ApiErrorKind::RetriesExhausted { attempts, last } => {
            write!(f, "gave up after {attempts} attempts; last error: ")?;
            write_kind(f, last)
        }
        ApiErrorKind::Decode(reason) => write!(f, "unexpected response body: {reason}"),
        ApiErrorKind::SignInRequired(reason) => write!(f, "not signed in: {reason}"),
        ApiErrorKind::ReadOnly => write!(f, "the console is in read-only mode"),
    }
}

impl std::error::Error for ApiError {}

/// Turns an error response into its parts, from every body shape the SDK tolerates: the
/// standard `{"error_code","message","details"}`, the SCIM error, OAuth and API 1.2
/// `{"error"}`, Okta's `errorCode`/`errorSummary`, plain `CODE: message`, HTML, or nothing.
pub fn parse_error_body(
    status: u16,
    reason: &str,
    headers: &HeaderMap,
    body: &[u8],
) -> ApiErrorKind {
    let header_request_id = headers
        .get("x-request-id")
        .and_then(|v| v.to_str().ok())
        .map(str::to_owned);
    let text = String::from_utf8_lossy(body);
    let trimmed = text.trim();
    let (mut error_code, mut message, mut request_id, mut scim_type) = (None, None, None, None);
    if let Ok(Value::Object(json)) = serde_json::from_str::<Value>(trimmed) {
        let field = |key: &str| json.get(key).and_then(Value::as_str).map(str::to_owned);
        let is_scim = json
            .get("schemas")
            .and_then(Value::as_array)
            .is_some_and(|s| {
                s.iter()
                    .any(|v| v.as_str().is_some_and(|s| s.ends_with(":Error")))
            });
        if is_scim {
            error_code = Some(format!("SCIM_{status}"));
            message = field("detail").filter(|d| d != "null");
            scim_type = field("scimType");
        } else {
            error_code = field("error_code")
                .or_else(|| field("errorCode"))
                .or_else(|| field("error"));
            message = field("message")
                .or_else(|| field("error_description"))
                .or_else(|| field("errorSummary"))
                .or_else(|| field("error").filter(|_| json.get("error_code").is_none()));
            request_id = json
                .get("details")
                .and_then(Value::as_array)
                .and_then(|details| {
                    details
                        .iter()
                        .find_map(|d| d.get("request_id")?.as_str().map(str::to_owned))
                });
        }
    } else if trimmed.starts_with('<') {
        message = html_text(trimmed);
    } else if let Some((code, rest)) = trimmed.split_once(": ")
        && !code.is_empty()
        && code.chars().all(|c| c.is_ascii_uppercase() || c == '_')
    {
        error_code = Some(code.to_owned());
        message = Some(rest.to_owned());
    } else if !trimmed.is_empty() {
        message = Some(trimmed.chars().take(500).collect());
    }
    ApiErrorKind::Http {
        status,
        error_code: error_code.unwrap_or_else(|| generic_code(status).to_owned()),
        message: message.unwrap_or_else(|| reason.to_owned()),
        request_id: request_id.or(header_request_id),
        scim_type,
    }
}

/// The text of `<pre>` or else `<title>` in an HTML error page.
fn html_text(html: &str) -> Option<String> {
    ["pre", "title"].iter().find_map(|tag| {
        let start = html.find(&format!("<{tag}>"))? + tag.len() + 2;
        let end = html[start..].find(&format!("</{tag}>"))? + start;
        Some(html[start..end].trim().to_owned()).filter(|s| !s.is_empty())
    })
}

/// The error code the SDK derives from an HTTP status when the body names none.
fn generic_code(status: u16) -> &'static str {
    match status {
        400 => "BAD_REQUEST",
        401 => "UNAUTHENTICATED",
        403 => "PERMISSION_DENIED",
        404 => "NOT_FOUND",
        409 => "RESOURCE_CONFLICT",
        429 => "TOO_MANY_REQUESTS",
        499 => "CANCELLED",
        500 => "INTERNAL_ERROR",
        501 => "NOT_IMPLEMENTED",
        503 => "TEMPORARILY_UNAVAILABLE",
        504 => "DEADLINE_EXCEEDED",
        _ => "UNKNOWN",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(status: u16, body: &str) -> ApiErrorKind {
        parse_error_body(status, "Reason", &HeaderMap::new(), body.as_bytes())
    }

    fn http(kind: ApiErrorKind) -> (u16, String, String, Option<String>, Option<String>) {
        match kind {
            ApiErrorKind::Http {
                status,
                error_code,
                message,
                request_id,
                scim_type,
            } => (status, error_code, message, request_id, scim_type),
            other => panic!("not an HTTP error: {other:?}"),
        }
    }

    #[test]
    fn standard_body_with_request_info() {
        let body = r#"{"error_code":"RESOURCE_DOES_NOT_EXIST","message":"gone","details":[{"@type":"type.googleapis.com/google.rpc.RequestInfo","request_id":"r-1","serving_data":""}]}"#;
        assert_eq!(
            http(parse(404, body)),
            (
                404,
                "RESOURCE_DOES_NOT_EXIST".into(),
                "gone".into(),
                Some("r-1".into()),
                None
            )
        );
    }

    #[test]
    fn scim_body_with_string_or_number_status() {
        let body = r#"{"schemas":["urn:ietf:params:scim:api:messages:2.0:Error"],"scimType":"uniqueness","detail":"User already exists","status":"409"}"#;
        let (status, code, message, _, scim_type) = http(parse(409, body));
        assert_eq!(
            (status, code.as_str(), message.as_str()),
            (409, "SCIM_409", "User already exists")
        );
        assert_eq!(scim_type.as_deref(), Some("uniqueness"));
        let numeric = r#"{"schemas":["urn:ietf:params:scim:api:messages:2.0:Error"],"detail":"null","status":404}"#;
        assert_eq!(http(parse(404, numeric)).2, "Reason");
    }

    #[test]
    fn oauth_okta_legacy_plain_html_and_empty_bodies() {
        assert_eq!(
            http(parse(
                400,
                r#"{"error":"invalid_grant","error_description":"Refresh token is invalid"}"#
            ))
            .2,
            "Refresh token is invalid"
        );
        assert_eq!(
            http(parse(400, r#"{"errorCode":"E1","errorSummary":"bad"}"#)).1,
            "E1"
        );
        assert_eq!(http(parse(500, r#"{"error":"boom"}"#)).2, "boom");
        let plain = http(parse(400, "INVALID_STATE: cluster is busy"));
        assert_eq!(
            (plain.1.as_str(), plain.2.as_str()),
            ("INVALID_STATE", "cluster is busy")
        );
        let html = http(parse(
            502,
            "<html><head><title>Bad Gateway</title></head></html>",
        ));
        assert_eq!(
            (html.1.as_str(), html.2.as_str()),
            ("UNKNOWN", "Bad Gateway")
        );
        let empty = http(parse(503, ""));
        assert_eq!(
            (empty.1.as_str(), empty.2.as_str()),
            ("TEMPORARILY_UNAVAILABLE", "Reason")
        );
    }

    #[test]
    fn display_names_the_request_and_hint_says_what_to_do() {
        let error = ApiError::new(
            "POST",
            "/api/2.0/x",
            parse(
                409,
                r#"{"error_code":"RESOURCE_ALREADY_EXISTS","message":"dup"}"#,
            ),
        );
        assert_eq!(
            error.to_string(),
            "POST /api/2.0/x failed: 409 RESOURCE_ALREADY_EXISTS: dup"
        );
        assert!(error.hint().contains("Refresh"));
    }
}
