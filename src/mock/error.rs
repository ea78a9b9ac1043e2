//! Error responses in the exact shapes of the Databricks account API: the standard
//! `{"error_code", "message"}` body, the SCIM error body, and the OAuth token-endpoint body.

use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use serde_json::{Value, json};

use super::request_id;

/// Which body shape a failure is rendered in; SCIM routes answer with the SCIM shape.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ErrorShape {
    Standard,
    Scim,
}

/// A failed API call, rendered as the real service renders it.
#[derive(Debug, Clone)]
pub struct ApiFailure {
    pub status: StatusCode,
    pub error_code: &'static str,
    pub message: String,
    pub scim_type: Option<&'static str>,
    pub shape: ErrorShape,
    pub retry_after_secs: Option<u64>,
}

impl ApiFailure {
    pub fn new(status: StatusCode, error_code: &'static str, message: impl Into<String>) -> Self {
        Self {
            status,
            error_code,
            message: message.into(),
            scim_type: None,
            shape: ErrorShape::Standard,
            retry_after_secs: None,
        }
    }

    pub fn invalid_parameter(message: impl Into<String>) -> Self {
        Self::new(StatusCode::BAD_REQUEST, "INVALID_PARAMETER_VALUE", message)
    }

    pub fn malformed(message: impl Into<String>) -> Self {
        Self::new(StatusCode::BAD_REQUEST, "MALFORMED_REQUEST", message)
    }

    pub fn invalid_state(message: impl Into<String>) -> Self {
        Self::new(StatusCode::BAD_REQUEST, "INVALID_STATE", message)
    }

    pub fn not_found(message: impl Into<String>) -> Self {
        Self::new(StatusCode::NOT_FOUND, "RESOURCE_DOES_NOT_EXIST", message)
    }

    pub fn already_exists(message: impl Into<String>) -> Self {
        Self::new(StatusCode::CONFLICT, "RESOURCE_ALREADY_EXISTS", message)
    }

    pub fn conflict(message: impl Into<String>) -> Self {
        Self::new(StatusCode::CONFLICT, "RESOURCE_CONFLICT", message)
    }

    pub fn unauthenticated(message: impl Into<String>) -> Self {
        Self::new(StatusCode::UNAUTHORIZED, "UNAUTHENTICATED", message)
    }

    pub fn permission_denied(message: impl Into<String>) -> Self {
        Self::new(StatusCode::FORBIDDEN, "PERMISSION_DENIED", message)
    }

    pub fn too_many_requests(retry_after_secs: u64) -> Self {
        Self {
            retry_after_secs: Some(retry_after_secs),
            ..Self::new(
                StatusCode::TOO_MANY_REQUESTS,
                "REQUEST_LIMIT_EXCEEDED",
                "Too many requests. Please retry after a short delay.",
            )
        }
    }

    pub fn temporarily_unavailable(retry_after_secs: u64) -> Self {
        Self {
            retry_after_secs: Some(retry_after_secs),
            ..Self::new(
                StatusCode::SERVICE_UNAVAILABLE,
                "TEMPORARILY_UNAVAILABLE",
                "The service is temporarily unavailable. Please try again later.",
            )
        }
    }

    pub fn payload_too_large(limit_bytes: usize) -> Self {
        // Unconfirmed which error_code the real service uses for oversized bodies; BAD_REQUEST
        // keeps the SDK's classification (400 family) while the status says what happened.
        Self::new(
            StatusCode::PAYLOAD_TOO_LARGE,
            "BAD_REQUEST",
            format!("Request body exceeds the limit of {limit_bytes} bytes"),
        )
    }

    pub fn method_not_allowed() -> Self {
        Self::new(
            StatusCode::METHOD_NOT_ALLOWED,
            "BAD_REQUEST",
            "HTTP method not allowed for this endpoint",
        )
    }

    /// Render in the SCIM error shape, with an RFC 7644 `scimType` where one applies.
    pub fn scim(mut self, scim_type: Option<&'static str>) -> Self {
        self.shape = ErrorShape::Scim;
        if scim_type.is_some() {
            self.scim_type = scim_type;
        }
        self
    }

    pub fn in_shape(mut self, shape: ErrorShape) -> Self {
        self.shape = shape;
        self
    }

    pub fn body(&self) -> Value {
        match self.shape {
            ErrorShape::Standard => {
                let mut body = json!({"error_code": self.error_code, "message": self.message});
                if let Some(request_id) = request_id::current() {
                    body["details"] = json!([{
                        "@type": "type.googleapis.com/google.rpc.RequestInfo",
                        "request_id": request_id,
                        "serving_data": "",
                    }]);
                }
                body
            }
            ErrorShape::Scim => {
                let mut body = json!({
                    "schemas": ["urn:ietf:params:scim:api:messages:2.0:Error"],
                    "detail": self.message,
                    "status": self.status.as_u16().to_string(),
                });
                if let Some(scim_type) = self.scim_type {
                    body["scimType"] = json!(scim_type);
                }
                body
            }
        }
    }
}

impl IntoResponse for ApiFailure {
    fn into_response(self) -> Response {
        let content_type = match self.shape {
            ErrorShape::Standard => "application/json",
            ErrorShape::Scim => "application/scim+json",
        };
        let mut response = (self.status, json_bytes(&self.body())).into_response();
        let headers = response.headers_mut();
        headers.insert(header::CONTENT_TYPE, HeaderValue::from_static(content_type));
        if let Some(seconds) = self.retry_after_secs {
            headers.insert(header::RETRY_AFTER, HeaderValue::from(seconds));
        }
        response
    }
}

/// An RFC 6749 §5.2 token-endpoint error.
#[derive(Debug, Clone)]
pub struct OAuthFailure {
    pub status: StatusCode,
    pub error: &'static str,
    pub description: String,
}

impl OAuthFailure {
    pub fn new(error: &'static str, description: impl Into<String>) -> Self {
        let status = if error == "invalid_client" {
            StatusCode::UNAUTHORIZED
        } else {
            StatusCode::BAD_REQUEST
        };
        Self {
            status,
            error,
            description: description.into(),
        }
    }

    pub fn invalid_request(description: impl Into<String>) -> Self {
        Self::new("invalid_request", description)
    }

    pub fn invalid_grant(description: impl Into<String>) -> Self {
        Self::new("invalid_grant", description)
    }

    pub fn invalid_client(description: impl Into<String>) -> Self {
        Self::new("invalid_client", description)
    }
}

impl IntoResponse for OAuthFailure {
    fn into_response(self) -> Response {
        let body = json!({"error": self.error, "error_description": self.description});
        let mut response = (self.status, json_bytes(&body)).into_response();
        response.headers_mut().insert(
            header::CONTENT_TYPE,
            HeaderValue::from_static("application/json"),
        );
        // RFC 6749 §5.1: token responses and their errors must not be cached.
        response
            .headers_mut()
            .insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
        response
    }
}

pub fn json_bytes(value: &Value) -> Vec<u8> {
    serde_json::to_vec(value).unwrap_or_else(|_| b"{}".to_vec())
}

pub type ApiResult<T> = Result<T, ApiFailure>;
