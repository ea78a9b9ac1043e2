//! Who a token names. Read from the access token's claims without verifying them: it is
//! only shown to the user, and the server checks every request anyway.

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use serde_json::Value;

use crate::secret::Secret;

/// The `sub` claim of a JWT access token (a user's userName or an SP's application id).
pub fn token_subject(token: &Secret) -> Option<String> {
    let payload = token.expose().split('.').nth(1)?;
    let bytes = URL_SAFE_NO_PAD.decode(payload.trim_end_matches('=')).ok()?;
    let claims: Value = serde_json::from_slice(&bytes).ok()?;
    claims.get("sub")?.as_str().map(str::to_owned)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_sub_and_tolerates_garbage() {
        let claims = URL_SAFE_NO_PAD.encode(br#"{"sub":"ana@example.com"}"#);
        assert_eq!(
            token_subject(&Secret::new(format!("h.{claims}.s"))).as_deref(),
            Some("ana@example.com")
        );
        assert_eq!(token_subject(&Secret::new("not-a-jwt")), None);
        assert_eq!(token_subject(&Secret::new("a.%%%.c")), None);
    }
}
