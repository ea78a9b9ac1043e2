//! An inline JWKS (RFC 7517) as a federation policy carries it: a JSON object whose `keys`
//! array holds public keys that Databricks can verify RS256/ES256 tokens with.

use serde_json::Value;

use super::{Validation, position};

/// Members that only a private (or symmetric) key has: RFC 7518 §6.2.2, §6.3.2 and §6.4.1.
const PRIVATE_MEMBERS: &[&str] = &["d", "p", "q", "dp", "dq", "qi", "oth", "k"];

/// Databricks accepts RS256 and ES256 tokens only (§7.4), which need these key types.
const SUPPORTED_KEY_TYPES: &[&str] = &["RSA", "EC"];

pub(super) fn check_jwks_document(field: &'static str, text: &str, validation: &mut Validation) {
    let document: Value = match serde_json::from_str(text) {
        Ok(document) => document,
        Err(error) => {
            validation.error(field, parse_error_message(&error));
            return;
        }
    };
    let Some(object) = document.as_object() else {
        validation.error(
            field,
            format!(
                "JWKS JSON must be a JSON object such as {{\"keys\": [...]}}; it is {}.",
                kind(&document)
            ),
        );
        return;
    };
    let keys = match object.get("keys") {
        None => {
            validation.error(
                field,
                "JWKS JSON has no \"keys\" array; a JWKS looks like {\"keys\": [{\"kty\": \"RSA\", \"n\": \"...\", \"e\": \"AQAB\"}]}.",
            );
            return;
        }
        Some(Value::Array(keys)) => keys,
        Some(other) => {
            validation.error(
                field,
                format!(
                    "JWKS JSON \"keys\" must be an array of keys; it is {}.",
                    kind(other)
                ),
            );
            return;
        }
    };
    if keys.is_empty() {
        validation.error(
            field,
            "JWKS JSON \"keys\" is empty; add at least one public key.",
        );
    }
    for (index, key) in keys.iter().enumerate() {
        check_key(field, position(index), key, validation);
    }
}

fn check_key(field: &'static str, number: usize, key: &Value, validation: &mut Validation) {
    let Some(key) = key.as_object() else {
        validation.error(
            field,
            format!(
                "Key {number} in JWKS JSON must be an object; it is {}.",
                kind(key)
            ),
        );
        return;
    };
    if let Some(member) = PRIVATE_MEMBERS.iter().find(|m| key.contains_key(**m)) {
        validation.error(
            field,
            format!(
                "Key {number} in JWKS JSON holds private key material (\"{member}\"); a JWKS must hold public keys only. Remove it, and treat that key as leaked."
            ),
        );
    }
    match key.get("kty").and_then(Value::as_str) {
        None => validation.error(
            field,
            format!(
                "Key {number} in JWKS JSON has no \"kty\" (key type, e.g. \"RSA\" or \"EC\")."
            ),
        ),
        Some(kty) if !SUPPORTED_KEY_TYPES.contains(&kty) => validation.warn(
            field,
            format!(
                "Key {number} in JWKS JSON has key type \"{kty}\"; Databricks accepts only RS256 and ES256 tokens, which need \"RSA\" or \"EC\" keys."
            ),
        ),
        Some(_) => {}
    }
}

/// serde's message with its position spelled out for a person: "at line 2, column 5".
fn parse_error_message(error: &serde_json::Error) -> String {
    let full = error.to_string();
    let suffix = format!(" at line {} column {}", error.line(), error.column());
    let reason = full.strip_suffix(&suffix).unwrap_or(&full);
    format!(
        "JWKS JSON is not valid JSON: {reason} at line {}, column {}.",
        error.line(),
        error.column()
    )
}

fn kind(value: &Value) -> &'static str {
    match value {
        Value::Null => "null",
        Value::Bool(_) => "true or false",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "an array",
        Value::Object(_) => "an object",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const FIELD: &str = "oidc_policy.jwks_json";

    fn check(text: &str) -> Validation {
        let mut validation = Validation::new();
        check_jwks_document(FIELD, text, &mut validation);
        validation
    }

    fn errors(text: &str) -> Vec<String> {
        check(text).errors.into_iter().map(|m| m.message).collect()
    }

    #[test]
    fn public_keys_pass() {
        let jwks = r#"{"keys": [{"kty": "RSA", "kid": "1", "n": "0vx7", "e": "AQAB"},
                                 {"kty": "EC", "crv": "P-256", "x": "f83O", "y": "x_FE"}]}"#;
        assert_eq!(check(jwks), Validation::new());
    }

    #[test]
    fn a_parse_error_points_at_its_line_and_column() {
        assert_eq!(
            errors("{\"keys\": [\n  {\"kty\": \"RSA\"}\n  {\"kty\": \"EC\"}]}"),
            ["JWKS JSON is not valid JSON: expected `,` or `]` at line 3, column 3."]
        );
        assert_eq!(
            errors("{\"keys\": "),
            ["JWKS JSON is not valid JSON: EOF while parsing a value at line 1, column 9."]
        );
    }

    #[test]
    fn each_shape_problem_has_its_own_message() {
        assert_eq!(
            errors("[]"),
            ["JWKS JSON must be a JSON object such as {\"keys\": [...]}; it is an array."]
        );
        assert_eq!(
            errors("{}"),
            [
                "JWKS JSON has no \"keys\" array; a JWKS looks like {\"keys\": [{\"kty\": \"RSA\", \"n\": \"...\", \"e\": \"AQAB\"}]}."
            ]
        );
        assert_eq!(
            errors(r#"{"keys": {"kty": "RSA"}}"#),
            ["JWKS JSON \"keys\" must be an array of keys; it is an object."]
        );
        assert_eq!(
            errors(r#"{"keys": []}"#),
            ["JWKS JSON \"keys\" is empty; add at least one public key."]
        );
        assert_eq!(
            errors(r#"{"keys": ["RSA"]}"#),
            ["Key 1 in JWKS JSON must be an object; it is a string."]
        );
        assert_eq!(
            errors(r#"{"keys": [{"kty": "RSA", "n": "a", "e": "AQAB"}, {"n": "b"}]}"#),
            ["Key 2 in JWKS JSON has no \"kty\" (key type, e.g. \"RSA\" or \"EC\")."]
        );
    }

    #[test]
    fn private_key_material_is_an_error_and_odd_key_types_a_warning() {
        assert_eq!(
            errors(
                r#"{"keys": [{"kty": "EC", "crv": "P-256", "x": "a", "y": "b", "d": "secret"}]}"#
            ),
            [
                "Key 1 in JWKS JSON holds private key material (\"d\"); a JWKS must hold public keys only. Remove it, and treat that key as leaked."
            ]
        );
        let okp = check(r#"{"keys": [{"kty": "OKP", "crv": "Ed25519", "x": "a"}]}"#);
        assert!(okp.is_valid());
        assert_eq!(
            okp.warnings_for(FIELD),
            [
                "Key 1 in JWKS JSON has key type \"OKP\"; Databricks accepts only RS256 and ES256 tokens, which need \"RSA\" or \"EC\" keys."
            ]
        );
    }
}
