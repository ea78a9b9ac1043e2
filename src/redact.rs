//! Secret-like keys in JSON documents: which keys hold secrets, masking them for the screen,
//! and swapping them for a short hash before anything is written to disk.

use ring::digest::{SHA256, digest};
use serde_json::{Map, Value};

/// What a masked value shows, the same as [`crate::secret::Secret`] prints.
pub const MASK: &str = "***";

/// How many hex characters of a secret's SHA-256 the journal keeps: 48 bits tell one secret
/// from another (and match the start of the server's `secret_hash`) but cannot be reversed
/// into a high-entropy secret.
pub const HASH_PREFIX_LEN: usize = 12;

/// Appended to a removed key's name for the hash that replaces it.
pub const HASH_SUFFIX: &str = "_sha256_prefix";

/// Keys (compared without case, `_` or `-`) whose value is a credential wherever they occur:
/// snake_case bodies, camelCase SCIM and OAuth form fields alike. `next_page_token` or
/// `token_type` are deliberately absent: they are not secrets and matter in a journal.
const SECRET_KEYS: &[&str] = &[
    "secret",
    "clientsecret",
    "accesstoken",
    "refreshtoken",
    "idtoken",
    "subjecttoken",
    "token",
    "password",
    "codeverifier",
    "privatekey",
    "apikey",
    "assertion",
];

/// True for a key whose value must never be shown or stored: the list above, plus any key
/// ending in `password` or `secret` (`db_password`, `shared_secret`); `secret_hash` is not one.
pub fn is_secret_key(key: &str) -> bool {
    let normalized: String = key
        .chars()
        .filter(|c| !matches!(c, '_' | '-'))
        .flat_map(char::to_lowercase)
        .collect();
    SECRET_KEYS.contains(&normalized.as_str())
        || normalized.ends_with("password")
        || normalized.ends_with("secret")
}

/// A copy of `value` with every secret-like key's value replaced by `***`, at any depth, for
/// a preview or a diff: the key stays, so the reader sees that a secret is there.
pub fn mask_secrets(value: &Value) -> Value {
    match value {
        Value::Object(map) => Value::Object(
            map.iter()
                .map(|(key, inner)| {
                    let masked = if is_secret_key(key) && !inner.is_null() {
                        Value::String(MASK.to_owned())
                    } else {
                        mask_secrets(inner)
                    };
                    (key.clone(), masked)
                })
                .collect(),
        ),
        Value::Array(items) => Value::Array(items.iter().map(mask_secrets).collect()),
        other => other.clone(),
    }
}

/// A copy of `value` for the journal: each secret-like key is dropped and, when it held a real
/// value, `<key>_sha256_prefix` takes its place so a later reader can tell which secret it was
/// without the file ever holding it. An already masked value (`***`) leaves no hash: it would
/// identify nothing.
pub fn remove_secrets(value: &Value) -> Value {
    match value {
        Value::Object(map) => {
            let mut out = Map::with_capacity(map.len());
            for (key, inner) in map {
                if !is_secret_key(key) {
                    out.insert(key.clone(), remove_secrets(inner));
                    continue;
                }
                let text = match inner {
                    Value::String(text) => text.clone(),
                    Value::Null => continue,
                    other => other.to_string(),
                };
                if !text.is_empty() && text != MASK {
                    out.insert(
                        format!("{key}{HASH_SUFFIX}"),
                        Value::String(sha256_prefix(&text)),
                    );
                }
            }
            Value::Object(out)
        }
        Value::Array(items) => Value::Array(items.iter().map(remove_secrets).collect()),
        other => other.clone(),
    }
}

/// The first [`HASH_PREFIX_LEN`] lowercase hex characters of the SHA-256 of `text`.
pub fn sha256_prefix(text: &str) -> String {
    digest(&SHA256, text.as_bytes())
        .as_ref()
        .iter()
        .take(HASH_PREFIX_LEN / 2)
        .map(|byte| format!("{byte:02x}"))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn recognises_secret_keys_in_any_spelling_but_not_their_neighbours() {
        for key in [
            "secret",
            "client_secret",
            "clientSecret",
            "access_token",
            "refresh-token",
            "Token",
            "password",
            "db_password",
            "shared_secret",
            "subject_token",
        ] {
            assert!(is_secret_key(key), "{key}");
        }
        for key in [
            "secret_hash",
            "next_page_token",
            "token_type",
            "token_access_policy",
            "client_id",
            "secret_sha256_prefix",
        ] {
            assert!(!is_secret_key(key), "{key}");
        }
    }

    #[test]
    fn masking_keeps_the_key_and_hides_the_value_at_any_depth() {
        let body = json!({
            "client_id": "c1",
            "client_secret": "dose-real",
            "nested": [{"refresh_token": {"value": "r1"}}, {"password": null}]
        });
        assert_eq!(
            mask_secrets(&body),
            json!({
                "client_id": "c1",
                "client_secret": "***",
                "nested": [{"refresh_token": "***"}, {"password": null}]
            })
        );
    }

    #[test]
    fn removal_drops_secrets_and_leaves_a_hash_prefix() {
        let body = json!({"id": "s1", "secret": "dose1234", "inner": {"token": 42},
                          "already": {"client_secret": "***"}, "empty": {"password": ""}});
        let cleaned = remove_secrets(&body);
        let expected_prefix = sha256_prefix("dose1234");
        assert_eq!(expected_prefix.len(), HASH_PREFIX_LEN);
        assert_eq!(
            cleaned,
            json!({"id": "s1", "secret_sha256_prefix": expected_prefix,
                   "inner": {"token_sha256_prefix": sha256_prefix("42")},
                   "already": {}, "empty": {}})
        );
        assert!(!cleaned.to_string().contains("dose1234"));
        assert_eq!(remove_secrets(&cleaned), cleaned, "removal is idempotent");
    }

    #[test]
    fn hash_prefix_is_the_start_of_the_sha256_hex() {
        // SHA-256("abc") from FIPS 180-2.
        assert_eq!(sha256_prefix("abc"), "ba7816bf8f01");
    }
}
