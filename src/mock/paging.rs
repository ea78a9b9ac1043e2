//! `page_size` / `page_token` paging shared by the non-SCIM list endpoints. Tokens are opaque
//! to clients (base64 of an offset), and a page with nothing after it carries no token.

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use serde::Deserialize;

use super::error::{ApiFailure, ApiResult};

#[derive(Debug, Default, Deserialize)]
pub struct PageParams {
    pub page_size: Option<i64>,
    pub page_token: Option<String>,
}

/// Default and maximum page sizes (the reference leaves them unconfirmed; the secrets API
/// documents a default of 100, which we use everywhere, capped at 1000).
pub const DEFAULT_PAGE_SIZE: usize = 100;
pub const MAX_PAGE_SIZE: usize = 1000;

/// The `[start, end)` range of this page and the token of the next one.
pub fn page_range(
    params: &PageParams,
    total: usize,
) -> ApiResult<(std::ops::Range<usize>, Option<String>)> {
    let size = match params.page_size {
        None | Some(0) => DEFAULT_PAGE_SIZE,
        Some(size) if size < 0 => {
            return Err(ApiFailure::invalid_parameter(format!(
                "page_size must not be negative, got {size}"
            )));
        }
        Some(size) => (size as usize).min(MAX_PAGE_SIZE),
    };
    let start = match params.page_token.as_deref() {
        None | Some("") => 0,
        Some(token) => decode_token(token)?,
    };
    let start = start.min(total);
    let end = (start + size).min(total);
    let next = (end < total).then(|| encode_token(end));
    Ok((start..end, next))
}

fn encode_token(offset: usize) -> String {
    URL_SAFE_NO_PAD.encode(format!("offset:{offset}"))
}

fn decode_token(token: &str) -> ApiResult<usize> {
    URL_SAFE_NO_PAD
        .decode(token)
        .ok()
        .and_then(|bytes| String::from_utf8(bytes).ok())
        .and_then(|text| text.strip_prefix("offset:")?.parse().ok())
        .ok_or_else(|| ApiFailure::invalid_parameter(format!("Invalid page_token '{token}'")))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pages_through_with_tokens_and_stops_without_one() {
        let mut params = PageParams {
            page_size: Some(2),
            page_token: None,
        };
        let (range, next) = page_range(&params, 5).unwrap();
        assert_eq!(range, 0..2);
        params.page_token = next;
        let (range, next) = page_range(&params, 5).unwrap();
        assert_eq!(range, 2..4);
        params.page_token = next;
        let (range, next) = page_range(&params, 5).unwrap();
        assert_eq!((range, next), (4..5, None));
    }

    #[test]
    fn rejects_garbage_tokens_and_negative_sizes() {
        let bad = PageParams {
            page_size: None,
            page_token: Some("%%%".into()),
        };
        assert_eq!(
            page_range(&bad, 3).unwrap_err().error_code,
            "INVALID_PARAMETER_VALUE"
        );
        let negative = PageParams {
            page_size: Some(-1),
            page_token: None,
        };
        assert!(page_range(&negative, 3).is_err());
    }
}
