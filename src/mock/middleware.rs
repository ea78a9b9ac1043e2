//! Layers every request passes: a request id and the configured latency for all routes;
//! for the REST API also the rate limit, injected faults, bearer-token authentication and
//! the account-admin check.

use std::convert::Infallible;
use std::sync::Arc;
use std::sync::atomic::Ordering;
use std::time::Duration;

use axum::body::Body;
use axum::extract::{Request, State};
use axum::http::{HeaderValue, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use bytes::Bytes;

use super::clock;
use super::error::{ApiFailure, ErrorShape};
use super::oidc::sessions::Subject;
use super::request_id;
use super::state::Shared;
use super::traffic::Fault;

/// The authenticated principal of a REST request.
#[derive(Debug, Clone)]
pub struct Caller {
    pub subject: Subject,
}

impl Caller {
    /// The numeric user id recorded as `created_by`, when the caller is a user.
    pub fn user_id(&self) -> Option<i64> {
        match &self.subject {
            Subject::User(id) => id.parse().ok(),
            Subject::ServicePrincipal(_) => None,
        }
    }
}

pub async fn observe(State(shared): State<Arc<Shared>>, request: Request, next: Next) -> Response {
    shared
        .traffic
        .counters
        .requests
        .fetch_add(1, Ordering::Relaxed);
    let id = uuid::Uuid::new_v4().to_string();
    let latency = shared.config.latency_ms;
    let header_id = HeaderValue::from_str(&id).ok();
    let mut response = request_id::scope(id, async move {
        if latency > 0 {
            tokio::time::sleep(Duration::from_millis(latency)).await;
        }
        next.run(request).await
    })
    .await;
    if let Some(value) = header_id {
        response.headers_mut().insert("x-request-id", value);
    }
    response
}

/// SCIM routes answer errors in the SCIM shape, everything else in the standard one.
pub fn shape_of(path: &str) -> ErrorShape {
    if path.contains("/scim/v2/") {
        ErrorShape::Scim
    } else {
        ErrorShape::Standard
    }
}

pub async fn gate_rest(
    State(shared): State<Arc<Shared>>,
    mut request: Request,
    next: Next,
) -> Response {
    let path = request.uri().path().to_owned();
    let shape = shape_of(&path);
    shared
        .traffic
        .counters
        .rest_requests
        .fetch_add(1, Ordering::Relaxed);

    if let Some(retry_after_secs) = shared.traffic.throttle() {
        shared
            .traffic
            .counters
            .throttled
            .fetch_add(1, Ordering::Relaxed);
        return ApiFailure::too_many_requests(retry_after_secs)
            .in_shape(shape)
            .into_response();
    }
    let fault = shared.traffic.fault_for(request.method().as_str(), &path);
    if let Some(fault) = fault {
        shared
            .traffic
            .counters
            .faults
            .fetch_add(1, Ordering::Relaxed);
        match fault {
            Fault::TooManyRequests { retry_after_secs } => {
                return ApiFailure::too_many_requests(retry_after_secs)
                    .in_shape(shape)
                    .into_response();
            }
            Fault::Unavailable { retry_after_secs } => {
                return ApiFailure::temporarily_unavailable(retry_after_secs)
                    .in_shape(shape)
                    .into_response();
            }
            Fault::DropAfterHandling | Fault::SlowResponse { .. } => {}
        }
    }

    let caller = match authenticate(&shared, &request, &path) {
        Ok(caller) => caller,
        Err(failure) => return failure.in_shape(shape).into_response(),
    };
    request.extensions_mut().insert(caller);
    let response = next.run(request).await;

    match fault {
        Some(Fault::DropAfterHandling) => dropped_connection(),
        Some(Fault::SlowResponse { delay_ms }) => {
            tokio::time::sleep(Duration::from_millis(delay_ms)).await;
            response
        }
        _ => response,
    }
}

/// A response whose body fails at once: hyper aborts the connection, so the client sees the
/// request sent and no answer, as after a network drop.
fn dropped_connection() -> Response {
    let failing = futures_util::stream::once(async {
        Err::<Bytes, std::io::Error>(std::io::Error::new(
            std::io::ErrorKind::ConnectionReset,
            "injected fault: connection dropped",
        ))
    });
    let mut response = Response::new(Body::from_stream(failing));
    response.headers_mut().insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("application/json"),
    );
    response
}

fn authenticate(shared: &Shared, request: &Request, path: &str) -> Result<Caller, ApiFailure> {
    let header = request
        .headers()
        .get(header::AUTHORIZATION)
        .and_then(|value| value.to_str().ok())
        .ok_or_else(|| {
            ApiFailure::unauthenticated(
                "No access token in the Authorization header. Sign in and send 'Authorization: Bearer <token>'.",
            )
        })?;
    let token = header
        .split_once(' ')
        .filter(|(scheme, _)| scheme.eq_ignore_ascii_case("bearer"))
        .map(|(_, token)| token.trim())
        .ok_or_else(|| {
            ApiFailure::unauthenticated("The Authorization header must use the Bearer scheme")
        })?;
    let subject = shared
        .sessions()
        .access_grant(token, clock::now())
        .map(|grant| grant.subject.clone())
        .ok_or_else(|| {
            ApiFailure::unauthenticated(
                "Invalid access token: it is unknown, revoked or expired. Sign in again.",
            )
        })?;

    let account = shared.read();
    if !account.is_active(&subject) {
        return Err(ApiFailure::unauthenticated(
            "The principal this token was issued to is deactivated or deleted",
        ));
    }
    let path_account = path
        .split('/')
        .skip_while(|segment| *segment != "accounts")
        .nth(1)
        .unwrap_or_default();
    if path_account != account.id {
        return Err(ApiFailure::permission_denied(format!(
            "This token is for account {}, not for account '{path_account}'",
            account.id
        )));
    }
    if !account.is_account_admin(&subject) {
        return Err(ApiFailure::permission_denied(
            "Only account admins may call the account API: the signed-in principal does not hold the account_admin role",
        ));
    }
    Ok(Caller { subject })
}

/// Unknown routes answer 404 in the API's shape rather than axum's empty body.
pub async fn not_found(request: Request) -> Result<Response, Infallible> {
    let path = request.uri().path();
    let failure = ApiFailure::new(
        axum::http::StatusCode::NOT_FOUND,
        "ENDPOINT_NOT_FOUND",
        format!("No API found for '{} {}'", request.method(), path),
    )
    .in_shape(shape_of(path));
    Ok(failure.into_response())
}
