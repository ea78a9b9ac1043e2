//! Request extractors that turn every rejection (malformed JSON, wrong types, invalid UTF-8,
//! oversized bodies, bad query strings) into the API's own error shapes instead of axum's
//! plain-text defaults.

use std::marker::PhantomData;

use axum::body::Bytes;
use axum::extract::{FromRequest, FromRequestParts, Request};
use axum::http::request::Parts;
use serde::de::DeserializeOwned;

use super::error::{ApiFailure, ErrorShape};

/// Largest request body the fake accepts. Real requests from the console are a few KiB;
/// an inline JWKS is the largest legitimate body.
pub const BODY_LIMIT_BYTES: usize = 1024 * 1024;

/// Marker types choosing the error shape of a rejection.
pub trait Shape: Send + Sync + 'static {
    const SHAPE: ErrorShape;
}
pub struct Standard;
pub struct Scim;
impl Shape for Standard {
    const SHAPE: ErrorShape = ErrorShape::Standard;
}
impl Shape for Scim {
    const SHAPE: ErrorShape = ErrorShape::Scim;
}

/// A JSON body parsed into `T`, rejected in shape `S`.
pub struct Json<T, S = Standard>(pub T, pub PhantomData<S>);

impl<T, S> Json<T, S> {
    pub fn into_inner(self) -> T {
        self.0
    }
}

impl<St, T, S> FromRequest<St> for Json<T, S>
where
    St: Send + Sync,
    T: DeserializeOwned,
    S: Shape,
{
    type Rejection = ApiFailure;

    async fn from_request(request: Request, state: &St) -> Result<Self, Self::Rejection> {
        let bytes = Bytes::from_request(request, state)
            .await
            .map_err(|_| ApiFailure::payload_too_large(BODY_LIMIT_BYTES).in_shape(S::SHAPE))?;
        parse_json::<T>(&bytes, S::SHAPE).map(|value| Json(value, PhantomData))
    }
}

/// Parse a JSON body; the message names the line and column, as a user needs to fix it.
/// Syntax is checked first, so a broken document is MALFORMED_REQUEST even when its
/// beginning already has a wrong type, which is INVALID_PARAMETER_VALUE.
pub fn parse_json<T: DeserializeOwned>(bytes: &[u8], shape: ErrorShape) -> Result<T, ApiFailure> {
    if bytes.iter().all(u8::is_ascii_whitespace) {
        let failure = ApiFailure::malformed("Request body is empty; a JSON object was expected");
        return Err(scim_syntax(failure, shape));
    }
    let document: serde_json::Value = serde_json::from_slice(bytes).map_err(|error| {
        scim_syntax(
            ApiFailure::malformed(format!("Malformed JSON in request body: {error}")),
            shape,
        )
    })?;
    serde_json::from_value::<T>(document).map_err(|error| {
        let failure = ApiFailure::invalid_parameter(format!("Invalid request body: {error}"));
        match shape {
            ErrorShape::Scim => failure.scim(Some("invalidValue")),
            ErrorShape::Standard => failure,
        }
    })
}

fn scim_syntax(failure: ApiFailure, shape: ErrorShape) -> ApiFailure {
    match shape {
        ErrorShape::Scim => failure.scim(Some("invalidSyntax")),
        ErrorShape::Standard => failure,
    }
}

/// Query parameters parsed into `T`, rejected in shape `S`.
pub struct Query<T, S = Standard>(pub T, pub PhantomData<S>);

impl<T, S> Query<T, S> {
    pub fn into_inner(self) -> T {
        self.0
    }
}

impl<St, T, S> FromRequestParts<St> for Query<T, S>
where
    St: Send + Sync,
    T: DeserializeOwned,
    S: Shape,
{
    type Rejection = ApiFailure;

    async fn from_request_parts(parts: &mut Parts, _state: &St) -> Result<Self, Self::Rejection> {
        let query = parts.uri.query().unwrap_or_default();
        serde_urlencoded::from_str::<T>(query)
            .map(|value| Query(value, PhantomData))
            .map_err(|error| {
                scim_syntax(
                    ApiFailure::invalid_parameter(format!("Invalid query parameter: {error}")),
                    S::SHAPE,
                )
            })
    }
}

/// Parse a numeric path id (workspace ids, principal ids), answering 400 in the API's shape.
pub fn parse_int_id(raw: &str, what: &str) -> Result<i64, ApiFailure> {
    raw.parse::<i64>().map_err(|_| {
        ApiFailure::invalid_parameter(format!("{what} must be an integer, got '{raw}'"))
    })
}
