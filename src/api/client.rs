//! `AccountClient`: knows the account host and id, attaches the bearer token, keeps to the
//! rate budget, retries what is safe to retry, and maps failures to `ApiError`.

use std::sync::Arc;
use std::time::Duration;

use bytes::Bytes;
use reqwest::Method;
use serde::Serialize;
use serde::de::DeserializeOwned;
use serde_json::Value;
use tokio::time::Instant;

use super::budget::{Budgets, RequestClass};
use super::error::{ApiError, ApiErrorKind, parse_error_body};
use super::retry::{RetryPolicy, is_retryable_status};
use super::token::{TokenError, TokenSource};
use crate::secret::Secret;

#[derive(Debug, Clone)]
pub struct ClientConfig {
    /// `https://accounts.cloud.databricks.com` (normalised: scheme, no trailing slash).
    pub host: String,
    pub account_id: String,
    pub retry: RetryPolicy,
    /// Per attempt (the SDKs use 60 s).
    pub attempt_timeout: Duration,
    /// Budget for SCIM list pages: the reference's account SCIM LIST limit, 240/s
    /// (unconfirmed). Every budget is requests per second; 0 means unlimited.
    pub scim_lists_per_second: f64,
    /// Budget for single SCIM reads (a group with its members). The reference lists 20/s for
    /// account SCIM GETs, from an unconfirmed third-party summary; honouring it would make
    /// reading the members of 10,000 groups take over eight minutes, so the default is the
    /// LIST figure and the server's 429 + `Retry-After` is what slows us if 20/s is real.
    /// Set 20 to stay under the documented figure.
    pub scim_gets_per_second: f64,
    /// Budget for every other read (secrets, federation policies, workspaces, assignments,
    /// apps). The reference gives no figure for these APIs ("unconfirmed values"); they are
    /// limited separately from SCIM, so they get a budget of their own at the SCIM LIST rate.
    pub reads_per_second: f64,
    /// Budget for writes; the documented POST/PUT/DELETE limit is 5/s (unconfirmed).
    pub writes_per_second: f64,
    /// Requests in flight at once across every caller of this client (0 = no cap). Headless
    /// reads set it to `--concurrency`, so a whole snapshot keeps to that many lanes.
    pub max_in_flight: usize,
    /// SCIM pages fetched at once after the first page reveals the total; a snapshot queues
    /// twice as many per-item reads of each kind (`max_in_flight` bounds what is sent).
    pub scim_concurrency: usize,
    /// `count` asked of SCIM lists (the server may return fewer).
    pub scim_page_size: usize,
    /// Refuse every mutating request (a second lock behind the UI's read-only mode).
    pub read_only: bool,
}

impl ClientConfig {
    pub fn new(host: impl Into<String>, account_id: impl Into<String>) -> Self {
        Self {
            host: normalize_host(&host.into()),
            account_id: account_id.into(),
            retry: RetryPolicy::default(),
            attempt_timeout: Duration::from_secs(60),
            scim_lists_per_second: 240.0,
            scim_gets_per_second: 240.0,
            reads_per_second: 240.0,
            writes_per_second: 5.0,
            max_in_flight: 0,
            scim_concurrency: 6,
            scim_page_size: 100,
            read_only: false,
        }
    }

    /// No client-side rate budget at all (tests that must never wait on the clock).
    pub fn without_rate_budgets(mut self) -> Self {
        self.scim_lists_per_second = 0.0;
        self.scim_gets_per_second = 0.0;
        self.reads_per_second = 0.0;
        self.writes_per_second = 0.0;
        self
    }
}

/// The SDKs' host normalisation: add `https://` when no scheme, drop a trailing `/` and an
/// explicit `:443`.
pub fn normalize_host(host: &str) -> String {
    let host = host.trim().trim_end_matches('/');
    let with_scheme = if host.contains("://") {
        host.to_owned()
    } else {
        format!("https://{host}")
    };
    match with_scheme.strip_prefix("https://") {
        Some(rest) => format!("https://{}", rest.strip_suffix(":443").unwrap_or(rest)),
        None => with_scheme,
    }
}

/// One API request, before the client adds host, token and retries.
#[derive(Debug, Clone)]
pub struct Call {
    pub method: Method,
    pub path: String,
    pub query: Vec<(String, String)>,
    pub body: Option<Value>,
}

impl Call {
    pub fn new(method: Method, path: impl Into<String>) -> Self {
        Self {
            method,
            path: path.into(),
            query: Vec::new(),
            body: None,
        }
    }

    pub fn get(path: impl Into<String>) -> Self {
        Self::new(Method::GET, path)
    }

    pub fn delete(path: impl Into<String>) -> Self {
        Self::new(Method::DELETE, path)
    }

    pub fn with_body(method: Method, path: impl Into<String>, body: &impl Serialize) -> Self {
        let mut call = Self::new(method, path);
        // Serializing our own models cannot fail (no non-string map keys); Null is harmless.
        call.body = Some(serde_json::to_value(body).unwrap_or(Value::Null));
        call
    }

    pub fn query(mut self, key: &str, value: impl ToString) -> Self {
        self.query.push((key.to_owned(), value.to_string()));
        self
    }

    pub fn query_opt(self, key: &str, value: Option<impl ToString>) -> Self {
        match value {
            Some(value) => self.query(key, value),
            None => self,
        }
    }

    /// Whether sending it twice has the same effect as once (RFC 9110 §9.2.2). PATCH is not:
    /// a SCIM `add` or a policy update may depend on the state it lands on.
    pub fn is_idempotent(&self) -> bool {
        matches!(
            self.method,
            Method::GET | Method::HEAD | Method::PUT | Method::DELETE
        )
    }
}

struct Inner {
    http: reqwest::Client,
    config: ClientConfig,
    tokens: Arc<dyn TokenSource>,
    budgets: Budgets,
}

/// Cheap to clone; every clone shares the connection pool, token source and rate budget.
#[derive(Clone)]
pub struct AccountClient {
    inner: Arc<Inner>,
}

impl AccountClient {
    pub fn new(config: ClientConfig, tokens: Arc<dyn TokenSource>) -> Result<Self, ApiError> {
        // reqwest is built without a default crypto provider (ring keeps the build light);
        // installing twice is harmless, so every constructor does it.
        let _ = rustls::crypto::ring::default_provider().install_default();
        let http = reqwest::Client::builder()
            .user_agent(concat!("dbx-console/", env!("CARGO_PKG_VERSION")))
            .timeout(config.attempt_timeout)
            .connect_timeout(Duration::from_secs(10))
            // A REST client should surface a redirect, not chase it (and oauth2 must not).
            .redirect(reqwest::redirect::Policy::none())
            .build()
            .map_err(|e| ApiError::new("-", &config.host, ApiErrorKind::Connect(e.to_string())))?;
        Ok(Self {
            inner: Arc::new(Inner {
                budgets: Budgets::new(&config),
                http,
                config,
                tokens,
            }),
        })
    }

    /// The same account and sign-in, refusing every mutating request (`--read-only`).
    pub fn read_only(&self) -> Result<AccountClient, ApiError> {
        let mut config = self.inner.config.clone();
        config.read_only = true;
        AccountClient::new(config, self.token_source().clone())
    }

    pub fn config(&self) -> &ClientConfig {
        &self.inner.config
    }

    pub fn host(&self) -> &str {
        &self.inner.config.host
    }

    pub fn account_id(&self) -> &str {
        &self.inner.config.account_id
    }

    pub fn token_source(&self) -> &Arc<dyn TokenSource> {
        &self.inner.tokens
    }

    /// HTTP attempts sent so far (retries included), for benchmarks and tests.
    pub fn attempts(&self) -> u64 {
        self.inner.budgets.sent_total()
    }

    /// HTTP attempts of one class sent so far (retries included).
    pub fn attempts_of(&self, class: RequestClass) -> u64 {
        self.inner.budgets.sent(class)
    }

    /// 429 and 503 answers received so far (each retried unless the retry budget was spent).
    pub fn throttled(&self) -> u64 {
        RequestClass::ALL
            .iter()
            .map(|class| self.inner.budgets.throttled(*class))
            .sum()
    }

    /// 429 and 503 answers received so far to requests of one class.
    pub fn throttled_of(&self, class: RequestClass) -> u64 {
        self.inner.budgets.throttled(class)
    }

    /// `/api/2.0/accounts/{account_id}{suffix}`
    pub fn account_path(&self, suffix: &str) -> String {
        format!("/api/2.0/accounts/{}{suffix}", self.inner.config.account_id)
    }

    /// `/api/2.0/preview/accounts/{account_id}{suffix}`
    pub fn preview_path(&self, suffix: &str) -> String {
        format!(
            "/api/2.0/preview/accounts/{}{suffix}",
            self.inner.config.account_id
        )
    }

    /// Sends a call and decodes a JSON answer; an empty body or `null` decodes as JSON null.
    pub async fn json<T: DeserializeOwned>(&self, call: Call) -> Result<T, ApiError> {
        let (method, path) = (call.method.to_string(), call.path.clone());
        let body = self.execute(call).await?;
        let bytes: &[u8] = if body.iter().all(u8::is_ascii_whitespace) {
            b"null"
        } else {
            &body
        };
        serde_json::from_slice(bytes)
            .map_err(|e| ApiError::new(&method, &path, ApiErrorKind::Decode(e.to_string())))
    }

    /// Sends a call whose answer carries nothing the caller needs (`{}`, empty, 204).
    pub async fn send(&self, call: Call) -> Result<(), ApiError> {
        self.execute(call).await.map(|_| ())
    }

    /// Sends a call with retries and returns the raw success body.
    pub async fn execute(&self, call: Call) -> Result<Bytes, ApiError> {
        let method = call.method.to_string();
        let fail = |kind| ApiError::new(&method, &call.path, kind);
        if self.inner.config.read_only && call.method != Method::GET && call.method != Method::HEAD
        {
            return Err(fail(ApiErrorKind::ReadOnly));
        }
        let policy = &self.inner.config.retry;
        let deadline = Instant::now() + policy.budget;
        let mut attempts = 0u32;
        let mut refreshed = false;
        // Set once a DELETE is resent after its answer was lost: the first one may have
        // done the work, so the resend's 404 means success.
        let mut resent_after_loss = false;
        let mut token = self
            .inner
            .tokens
            .token()
            .await
            .map_err(|e| fail(token_failure(e)))?;
        loop {
            attempts += 1;
            let (outcome, wait) = self.attempt(&call, &token, attempts).await;
            match outcome {
                Attempt::Done(body) => return Ok(body),
                Attempt::Fatal(ApiErrorKind::Http { status: 404, .. }) if resent_after_loss => {
                    tracing::debug!(path = %call.path, "DELETE resent after a lost answer found nothing: already deleted");
                    return Ok(Bytes::new());
                }
                // A 401 means the request was not processed: refresh once and resend.
                Attempt::Unauthorized(_) if !refreshed => {
                    refreshed = true;
                    token = self
                        .inner
                        .tokens
                        .refresh_after_rejection(&token)
                        .await
                        .map_err(|e| fail(token_failure(e)))?;
                }
                Attempt::Unauthorized(kind) | Attempt::Fatal(kind) => return Err(fail(kind)),
                Attempt::Retryable {
                    kind,
                    may_have_applied,
                } => {
                    let now = Instant::now();
                    let transport_spent = matches!(kind, ApiErrorKind::Connect(_))
                        && attempts >= policy.max_transport_attempts;
                    if now + wait > deadline || transport_spent {
                        let kind = if attempts == 1 {
                            kind
                        } else {
                            ApiErrorKind::RetriesExhausted {
                                attempts,
                                last: Box::new(kind),
                            }
                        };
                        return Err(fail(kind));
                    }
                    resent_after_loss |= call.method == Method::DELETE && may_have_applied;
                    tracing::debug!(method = %method, path = %call.path, ?wait, attempts, "retrying");
                    tokio::time::sleep(wait).await;
                }
            }
        }
    }

    async fn attempt(&self, call: &Call, token: &Secret, attempt: u32) -> (Attempt, Duration) {
        let policy = &self.inner.config.retry;
        let class = RequestClass::of(&call.method, &call.path);
        // Held until the answer is read; a retry's wait happens outside any lane.
        let _lane = self.inner.budgets.admit(class).await;
        let url = format!("{}{}", self.inner.config.host, call.path);
        let mut request = self
            .inner
            .http
            .request(call.method.clone(), &url)
            .bearer_auth(token.expose())
            .header(reqwest::header::ACCEPT, "application/json");
        if !call.query.is_empty() {
            request = request.query(&call.query);
        }
        if let Some(body) = &call.body {
            request = request.json(body);
        }
        tracing::debug!(method = %call.method, path = %call.path, attempt, "sending");
        let response = match request.send().await {
            Ok(response) => response,
            Err(error) => return self.transport_failure(call, &error, attempt),
        };
        let status = response.status();
        let headers = response.headers().clone();
        let body = match response.bytes().await {
            Ok(body) => body,
            Err(error) => return self.transport_failure(call, &error, attempt),
        };
        if status.is_success() {
            return (Attempt::Done(body), Duration::ZERO);
        }
        let kind = parse_error_body(
            status.as_u16(),
            status.canonical_reason().unwrap_or("error"),
            &headers,
            &body,
        );
        if status.as_u16() == 401 {
            (Attempt::Unauthorized(kind), Duration::ZERO)
        } else if is_retryable_status(status.as_u16()) {
            self.inner.budgets.note_throttled(class);
            // 429 and 503 mean the request was not processed: safe to resend, even a POST.
            let retry = Attempt::Retryable {
                kind,
                may_have_applied: false,
            };
            (retry, policy.wait_after_status(&headers))
        } else {
            (Attempt::Fatal(kind), Duration::ZERO)
        }
    }

    fn transport_failure(
        &self,
        call: &Call,
        error: &reqwest::Error,
        attempt: u32,
    ) -> (Attempt, Duration) {
        let reason = error_chain(error);
        let wait = self.inner.config.retry.wait_after_transport(attempt);
        if error.is_connect() {
            // Nothing reached the server: safe to retry any method.
            let kind = ApiErrorKind::Connect(reason);
            (
                Attempt::Retryable {
                    kind,
                    may_have_applied: false,
                },
                wait,
            )
        } else if call.is_idempotent() {
            let kind = ApiErrorKind::Connect(reason);
            (
                Attempt::Retryable {
                    kind,
                    may_have_applied: true,
                },
                wait,
            )
        } else {
            // The request may have been applied. Never replay it: a second POST could
            // create a second secret.
            (
                Attempt::Fatal(ApiErrorKind::OutcomeUnknown(reason)),
                Duration::ZERO,
            )
        }
    }
}

enum Attempt {
    Done(Bytes),
    Unauthorized(ApiErrorKind),
    /// Worth another try; `may_have_applied` when the request may have reached the server.
    Retryable {
        kind: ApiErrorKind,
        may_have_applied: bool,
    },
    Fatal(ApiErrorKind),
}

fn token_failure(error: TokenError) -> ApiErrorKind {
    match error {
        TokenError::SignInRequired(reason) => ApiErrorKind::SignInRequired(reason),
        TokenError::Unavailable(reason) => ApiErrorKind::Connect(reason),
    }
}

/// reqwest's own message plus its causes ("error sending request: connection refused").
fn error_chain(error: &reqwest::Error) -> String {
    let mut text = error.to_string();
    let mut source = std::error::Error::source(error);
    while let Some(cause) = source {
        text.push_str(": ");
        text.push_str(&cause.to_string());
        source = cause.source();
    }
    // reqwest puts the URL into its messages; the query may carry filters, never secrets,
    // but keep messages short and stable.
    text
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hosts_are_normalised_like_the_sdks() {
        assert_eq!(
            normalize_host("accounts.cloud.databricks.com/"),
            "https://accounts.cloud.databricks.com"
        );
        assert_eq!(
            normalize_host("https://accounts.cloud.databricks.com:443"),
            "https://accounts.cloud.databricks.com"
        );
        assert_eq!(
            normalize_host("http://127.0.0.1:8080"),
            "http://127.0.0.1:8080"
        );
    }

    #[test]
    fn post_and_patch_are_not_idempotent() {
        assert!(Call::get("/x").is_idempotent());
        assert!(Call::delete("/x").is_idempotent());
        assert!(Call::new(Method::PUT, "/x").is_idempotent());
        assert!(!Call::new(Method::POST, "/x").is_idempotent());
        assert!(!Call::new(Method::PATCH, "/x").is_idempotent());
    }
}
