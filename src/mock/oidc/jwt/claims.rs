//! Reading the registered claims the fake acts on: the validity window (`exp`, `nbf`, `iat`),
//! `aud`, and the `scope` claim the SDKs read from access tokens.

use serde_json::{Map, Value};

use super::JwtError;

/// Checks `exp` (required), `nbf` and `iat` (optional) against `now_epoch_secs`, allowing
/// `leeway_secs` of clock skew either way.
pub fn check_time(
    claims: &Map<String, Value>,
    now_epoch_secs: i64,
    leeway_secs: i64,
) -> Result<(), JwtError> {
    let latest = now_epoch_secs.saturating_add(leeway_secs);
    let expiry = numeric_date(claims, "exp")?.ok_or(JwtError::MissingExpiry)?;
    // RFC 7519 §4.1.4: the token is valid only *before* its expiry.
    if now_epoch_secs.saturating_sub(leeway_secs) >= expiry {
        return Err(JwtError::Expired);
    }
    if numeric_date(claims, "nbf")?.is_some_and(|not_before| not_before > latest) {
        return Err(JwtError::NotYetValid);
    }
    if numeric_date(claims, "iat")?.is_some_and(|issued_at| issued_at > latest) {
        return Err(JwtError::IssuedInFuture);
    }
    Ok(())
}

/// A NumericDate claim in whole seconds; RFC 7519 allows fractions, which are floored, and
/// out-of-range values saturate rather than wrap.
fn numeric_date(claims: &Map<String, Value>, name: &'static str) -> Result<Option<i64>, JwtError> {
    let Some(value) = claims.get(name) else {
        return Ok(None);
    };
    let seconds = value
        .as_i64()
        .or_else(|| value.as_f64().map(|seconds| seconds.floor() as i64));
    seconds.map(Some).ok_or(JwtError::BadTimeClaim(name))
}

/// The `aud` claim, which RFC 7519 allows as one string or an array of strings.
pub fn audiences(claims: &Map<String, Value>) -> Vec<String> {
    strings(claims.get("aud"), |audience| vec![audience.to_owned()])
}

/// The `scope` claim the SDKs read: a space-separated string or an array of strings.
pub fn scope_claim(claims: &Map<String, Value>) -> Vec<String> {
    strings(claims.get("scope"), |scope| {
        scope.split_whitespace().map(str::to_owned).collect()
    })
}

fn strings(value: Option<&Value>, split: impl Fn(&str) -> Vec<String>) -> Vec<String> {
    match value {
        Some(Value::String(text)) => split(text),
        Some(Value::Array(items)) => items
            .iter()
            .filter_map(Value::as_str)
            .map(str::to_owned)
            .collect(),
        _ => Vec::new(),
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::super::tests::{NOW, claims};
    use super::*;

    #[test]
    fn time_claims_are_checked_with_leeway() {
        let at = |value: Value| check_time(&claims(value), NOW, 30);
        assert_eq!(at(json!({"exp": NOW + 1})), Ok(()));
        assert_eq!(
            at(json!({"exp": NOW - 29, "nbf": NOW + 30, "iat": NOW + 30})),
            Ok(())
        );
        assert_eq!(at(json!({"exp": NOW - 30})), Err(JwtError::Expired));
        assert_eq!(at(json!({"exp": i64::MIN})), Err(JwtError::Expired));
        assert_eq!(at(json!({"exp": u64::MAX})), Ok(()));
        assert_eq!(at(json!({"exp": NOW as f64 + 60.5})), Ok(()));
        assert_eq!(at(json!({"exp": 1e300})), Ok(()));
        assert_eq!(at(json!({})), Err(JwtError::MissingExpiry));
        assert_eq!(
            at(json!({"exp": "tomorrow"})),
            Err(JwtError::BadTimeClaim("exp"))
        );
        assert_eq!(at(json!({"exp": null})), Err(JwtError::BadTimeClaim("exp")));
        let future = json!({"exp": NOW + 600, "nbf": NOW + 31});
        assert_eq!(at(future), Err(JwtError::NotYetValid));
        let issued_later = json!({"exp": NOW + 600, "iat": NOW + 31});
        assert_eq!(at(issued_later), Err(JwtError::IssuedInFuture));
        let bad_iat = json!({"exp": NOW + 600, "iat": [NOW]});
        assert_eq!(at(bad_iat), Err(JwtError::BadTimeClaim("iat")));
        // Extreme clocks and leeways saturate instead of overflowing.
        let extreme = claims(json!({"exp": i64::MAX, "nbf": i64::MIN, "iat": i64::MIN}));
        assert_eq!(check_time(&extreme, i64::MIN, i64::MAX), Ok(()));
        assert_eq!(
            check_time(&extreme, i64::MAX, i64::MIN),
            Err(JwtError::Expired)
        );
    }

    #[test]
    fn audiences_accept_a_string_or_an_array() {
        let of = |value: Value| audiences(&claims(value));
        assert_eq!(of(json!({"aud": "databricks"})), ["databricks"]);
        assert_eq!(of(json!({"aud": ["a", 1, "b"]})), ["a", "b"]);
        assert!(of(json!({})).is_empty());
        assert!(of(json!({"aud": 42})).is_empty());
    }

    #[test]
    fn scope_accepts_a_space_separated_string_or_an_array() {
        let of = |value: Value| scope_claim(&claims(value));
        assert_eq!(
            of(json!({"scope": " all-apis  offline_access "})),
            ["all-apis", "offline_access"]
        );
        assert_eq!(
            of(json!({"scope": ["sql", null, "iam.groups:read"]})),
            ["sql", "iam.groups:read"]
        );
        assert!(of(json!({"scope": ""})).is_empty());
        assert!(of(json!({"scp": "all-apis"})).is_empty());
    }
}
