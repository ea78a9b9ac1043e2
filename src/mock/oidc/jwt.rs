//! Compact JWS (JWT) for the fake's OIDC: decoding, and verifying the RS256/ES256
//! identity-provider tokens that RFC 8693 token exchange checks against a federation policy's
//! JWKS. Signing keys and claim checks live in the submodules and are re-exported here.

mod claims;
mod signing_keys;

use base64::Engine as _;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use ring::signature::{
    ECDSA_P256_SHA256_FIXED, RSA_PKCS1_2048_8192_SHA256, RsaPublicKeyComponents, UnparsedPublicKey,
};
use serde_json::{Map, Value};

pub use claims::{audiences, check_time, scope_claim};
pub use signing_keys::{RsaSigningKey, SigningKey};

/// Why a token or JWKS was refused. The messages name `subject_token` because token exchange is
/// where untrusted JWTs arrive, and they go out verbatim as the OAuth `error_description`.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum JwtError {
    #[error("subject_token is not a JWT: expected 3 dot-separated parts")]
    NotAJwt,
    #[error("subject_token {0} is not valid base64url")]
    BadBase64(&'static str),
    #[error("subject_token {0} is not a JSON object")]
    BadJson(&'static str),
    #[error("subject_token header has no \"alg\"")]
    MissingAlgorithm,
    #[error("unsupported signing algorithm '{0}': only RS256 and ES256 are accepted")]
    UnsupportedAlgorithm(String),
    #[error("subject_token header has a \"crit\" parameter; no JWS extensions are supported")]
    CriticalHeader,
    #[error("JWKS is not valid JSON with a \"keys\" array")]
    InvalidJwks,
    #[error("subject_token key id '{0}' is not in the policy's JWKS")]
    UnknownKeyId(String),
    #[error("the policy's JWKS key '{kid}' is not a usable {alg} key")]
    KeyNotUsable { kid: String, alg: &'static str },
    #[error("the policy's JWKS has no usable {0} key")]
    NoKeyForAlgorithm(&'static str),
    #[error("subject_token signature does not match any key in the policy's JWKS")]
    BadSignature,
    #[error("subject_token has no \"exp\" claim")]
    MissingExpiry,
    #[error("subject_token claim \"{0}\" is not a number")]
    BadTimeClaim(&'static str),
    #[error("subject_token has expired")]
    Expired,
    #[error("subject_token is not valid yet (\"nbf\" is in the future)")]
    NotYetValid,
    #[error("subject_token was issued in the future (\"iat\")")]
    IssuedInFuture,
    #[error("RSA private key is not usable PKCS#8: {0}")]
    InvalidPrivateKey(String),
}

/// A JWT split into its parts, signature not checked.
#[derive(Debug, Clone, PartialEq)]
pub struct DecodedJwt {
    pub header: Map<String, Value>,
    pub claims: Map<String, Value>,
    /// `header.payload` exactly as received: what the signature covers.
    pub signing_input: String,
    pub signature: Vec<u8>,
}

/// Splits and decodes a compact JWS without checking its signature.
pub fn decode_unverified(token: &str) -> Result<DecodedJwt, JwtError> {
    let mut parts = token.split('.');
    let (Some(header), Some(payload), Some(signature), None) =
        (parts.next(), parts.next(), parts.next(), parts.next())
    else {
        return Err(JwtError::NotAJwt);
    };
    Ok(DecodedJwt {
        header: json_object(header, "header")?,
        claims: json_object(payload, "payload")?,
        signing_input: format!("{header}.{payload}"),
        signature: URL_SAFE_NO_PAD
            .decode(signature)
            .map_err(|_| JwtError::BadBase64("signature"))?,
    })
}

fn json_object(part: &str, name: &'static str) -> Result<Map<String, Value>, JwtError> {
    let bytes = URL_SAFE_NO_PAD
        .decode(part)
        .map_err(|_| JwtError::BadBase64(name))?;
    serde_json::from_slice(&bytes).map_err(|_| JwtError::BadJson(name))
}

/// Parses a policy's `jwks_json` string.
pub fn parse_jwks(jwks_json: &str) -> Result<Value, JwtError> {
    let jwks: Value = serde_json::from_str(jwks_json).map_err(|_| JwtError::InvalidJwks)?;
    if jwks.get("keys").is_some_and(Value::is_array) {
        Ok(jwks)
    } else {
        Err(JwtError::InvalidJwks)
    }
}

/// Checks the token's RS256/ES256 signature against `jwks` and returns its claims. `exp`, `iss`
/// and `aud` are left to the caller, which owns the clock and the policy (see [`check_time`]).
pub fn verify_with_jwks(token: &str, jwks: &Value) -> Result<Map<String, Value>, JwtError> {
    let decoded = decode_unverified(token)?;
    let algorithm = Algorithm::from_header(&decoded.header)?;
    // RFC 7515 §4.1.11: a "crit" extension we do not implement must fail verification.
    if decoded.header.contains_key("crit") {
        return Err(JwtError::CriticalHeader);
    }
    let keys = jwks
        .get("keys")
        .and_then(Value::as_array)
        .ok_or(JwtError::InvalidJwks)?;
    let kid = decoded.header.get("kid").and_then(Value::as_str);
    let candidates: Vec<&Value> = match kid {
        Some(kid) => keys
            .iter()
            .filter(|jwk| jwk.get("kid").and_then(Value::as_str) == Some(kid))
            .collect(),
        None => keys.iter().collect(),
    };
    if let Some(kid) = kid
        && candidates.is_empty()
    {
        return Err(JwtError::UnknownKeyId(kid.to_owned()));
    }
    let usable: Vec<PublicKey> = candidates
        .into_iter()
        .filter_map(|jwk| PublicKey::from_jwk(jwk, algorithm))
        .collect();
    if usable.is_empty() {
        return Err(match kid {
            Some(kid) => JwtError::KeyNotUsable {
                kid: kid.to_owned(),
                alg: algorithm.name(),
            },
            None => JwtError::NoKeyForAlgorithm(algorithm.name()),
        });
    }
    let message = decoded.signing_input.as_bytes();
    if usable
        .iter()
        .any(|key| key.verifies(message, &decoded.signature))
    {
        Ok(decoded.claims)
    } else {
        Err(JwtError::BadSignature)
    }
}

#[derive(Debug, Clone, Copy)]
enum Algorithm {
    Rs256,
    Es256,
}

impl Algorithm {
    fn from_header(header: &Map<String, Value>) -> Result<Self, JwtError> {
        match header.get("alg").and_then(Value::as_str) {
            Some("RS256") => Ok(Algorithm::Rs256),
            Some("ES256") => Ok(Algorithm::Es256),
            Some(other) => Err(JwtError::UnsupportedAlgorithm(other.to_owned())),
            None => Err(JwtError::MissingAlgorithm),
        }
    }

    fn name(self) -> &'static str {
        match self {
            Algorithm::Rs256 => "RS256",
            Algorithm::Es256 => "ES256",
        }
    }
}

enum PublicKey {
    Rsa {
        n: Vec<u8>,
        e: Vec<u8>,
    },
    /// The uncompressed point 0x04 || x || y that ring expects.
    P256(Vec<u8>),
}

impl PublicKey {
    /// The key in `jwk` if it can verify `algorithm`; `None` for any other or malformed key, so
    /// one bad entry in an IdP's JWKS does not hide the good ones.
    fn from_jwk(jwk: &Value, algorithm: Algorithm) -> Option<PublicKey> {
        let field = |name: &str| jwk.get(name).and_then(Value::as_str);
        let bytes = |name: &str| URL_SAFE_NO_PAD.decode(field(name)?).ok();
        if field("alg").is_some_and(|alg| alg != algorithm.name())
            || field("use").is_some_and(|usage| usage != "sig")
        {
            return None;
        }
        match (algorithm, field("kty")?) {
            (Algorithm::Rs256, "RSA") => Some(PublicKey::Rsa {
                // RFC 7518 forbids leading zeros but some IdPs send them, and ring refuses them.
                n: without_leading_zeros(bytes("n")?),
                e: without_leading_zeros(bytes("e")?),
            }),
            (Algorithm::Es256, "EC") if field("crv") == Some("P-256") => {
                let (x, y) = (bytes("x")?, bytes("y")?);
                (x.len() == 32 && y.len() == 32)
                    .then(|| PublicKey::P256([&[4], &x[..], &y[..]].concat()))
            }
            _ => None,
        }
    }

    fn verifies(&self, message: &[u8], signature: &[u8]) -> bool {
        match self {
            PublicKey::Rsa { n, e } => RsaPublicKeyComponents { n, e }
                .verify(&RSA_PKCS1_2048_8192_SHA256, message, signature)
                .is_ok(),
            PublicKey::P256(point) => UnparsedPublicKey::new(&ECDSA_P256_SHA256_FIXED, point)
                .verify(message, signature)
                .is_ok(),
        }
    }
}

fn without_leading_zeros(mut bytes: Vec<u8>) -> Vec<u8> {
    let zeros = bytes.iter().take_while(|&&byte| byte == 0).count();
    bytes.drain(..zeros);
    bytes
}

#[cfg(test)]
mod tests {
    use super::*;

    use serde_json::json;

    const IDP_RSA_KEY: &[u8] = include_bytes!(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/tests/fixtures/idp-rsa-2048-test-only.pk8"
    ));
    pub(super) const NOW: i64 = 1_740_000_000;

    pub(super) fn claims(value: Value) -> Map<String, Value> {
        match value {
            Value::Object(map) => map,
            other => panic!("test claims must be an object, got {other}"),
        }
    }

    pub(super) fn idp_claims() -> Map<String, Value> {
        claims(json!({
            "iss": "https://token.actions.githubusercontent.com",
            "sub": "repo:example-org/infra:ref:refs/heads/main",
            "aud": "https://github.com/example-org",
            "exp": NOW + 300,
        }))
    }

    pub(super) fn idp_rsa_key() -> RsaSigningKey {
        RsaSigningKey::from_pkcs8_der(IDP_RSA_KEY).expect("fixture key parses")
    }

    fn encode(json: &str) -> String {
        URL_SAFE_NO_PAD.encode(json)
    }

    /// Swaps one part of a compact JWS, keeping the other two.
    fn with_part(token: &str, index: usize, replacement: &str) -> String {
        let mut parts: Vec<&str> = token.split('.').collect();
        parts[index] = replacement;
        parts.join(".")
    }

    #[test]
    fn rsa_modulus_with_a_leading_zero_still_verifies() {
        let key = idp_rsa_key();
        let mut jwks = key.jwks();
        let modulus = URL_SAFE_NO_PAD
            .decode(jwks["keys"][0]["n"].as_str().unwrap())
            .unwrap();
        jwks["keys"][0]["n"] = json!(URL_SAFE_NO_PAD.encode([&[0], &modulus[..]].concat()));
        assert!(verify_with_jwks(&key.sign(&idp_claims()), &jwks).is_ok());
    }

    #[test]
    fn tampered_payload_is_rejected() {
        let key = SigningKey::generate();
        let rsa = idp_rsa_key();
        let mut forged = idp_claims();
        forged.insert(
            "sub".into(),
            json!("repo:attacker/infra:ref:refs/heads/main"),
        );
        let forged_payload = encode(&Value::Object(forged).to_string());
        for (token, jwks) in [
            (key.sign(&idp_claims()), key.jwks()),
            (rsa.sign(&idp_claims()), rsa.jwks()),
        ] {
            let tampered = with_part(&token, 1, &forged_payload);
            assert_eq!(
                verify_with_jwks(&tampered, &jwks),
                Err(JwtError::BadSignature)
            );
        }
    }

    #[test]
    fn tampered_or_foreign_signature_is_rejected() {
        let key = SigningKey::generate();
        let token = key.sign(&idp_claims());
        let mut signature = decode_unverified(&token).unwrap().signature;
        signature[10] ^= 1;
        let flipped = with_part(&token, 2, &URL_SAFE_NO_PAD.encode(&signature));
        assert_eq!(
            verify_with_jwks(&flipped, &key.jwks()),
            Err(JwtError::BadSignature)
        );

        let stripped = with_part(&token, 2, "");
        assert_eq!(
            verify_with_jwks(&stripped, &key.jwks()),
            Err(JwtError::BadSignature)
        );

        // Another key that claims the same kid.
        let impostor = SigningKey::generate();
        let mut jwks = impostor.jwks();
        jwks["keys"][0]["kid"] = json!(key.kid());
        assert_eq!(verify_with_jwks(&token, &jwks), Err(JwtError::BadSignature));
    }

    #[test]
    fn unknown_kid_is_rejected() {
        let key = SigningKey::generate();
        let token = key.sign(&idp_claims());
        assert_eq!(
            verify_with_jwks(&token, &SigningKey::generate().jwks()),
            Err(JwtError::UnknownKeyId(key.kid().to_owned()))
        );
    }

    #[test]
    fn without_kid_every_fitting_key_is_tried() {
        let key = SigningKey::generate();
        let header = json!({"alg": "ES256", "typ": "JWT"});
        let token = key.sign_with_raw_header(&header, &idp_claims());
        let keys_of = |jwks: Value| jwks["keys"].as_array().cloned().unwrap_or_default();
        let mut keys = keys_of(idp_rsa_key().jwks());
        keys.push(json!("not a key"));
        keys.extend(keys_of(SigningKey::generate().jwks()));
        keys.extend(keys_of(key.jwks()));
        let jwks = json!({ "keys": keys });
        assert_eq!(verify_with_jwks(&token, &jwks), Ok(idp_claims()));

        assert_eq!(
            verify_with_jwks(&token, &idp_rsa_key().jwks()),
            Err(JwtError::NoKeyForAlgorithm("ES256"))
        );
    }

    #[test]
    fn key_of_the_wrong_type_or_algorithm_is_not_used() {
        let key = SigningKey::generate();
        let token = key.sign(&idp_claims());
        let not_usable = Err(JwtError::KeyNotUsable {
            kid: key.kid().to_owned(),
            alg: "ES256",
        });
        let mutations: [(&str, Value); 5] = [
            ("alg", json!("ES384")),
            ("use", json!("enc")),
            ("kty", json!("RSA")),
            ("crv", json!("P-384")),
            ("x", json!("AQAB")),
        ];
        for (field, value) in mutations {
            let mut jwks = key.jwks();
            jwks["keys"][0][field] = value;
            assert_eq!(verify_with_jwks(&token, &jwks), not_usable, "{field}");
        }

        // An RSA key under the ES256 key's kid.
        let mut jwks = idp_rsa_key().jwks();
        jwks["keys"][0]["kid"] = json!(key.kid());
        assert_eq!(verify_with_jwks(&token, &jwks), not_usable);
    }

    #[test]
    fn algorithms_other_than_rs256_and_es256_are_rejected() {
        let key = SigningKey::generate();
        let payload = encode(&Value::Object(idp_claims()).to_string());
        for alg in [
            "none", "None", "HS256", "HS512", "PS256", "RS384", "ES384", "EdDSA",
        ] {
            let header = encode(&json!({"alg": alg, "kid": key.kid()}).to_string());
            let token = format!("{header}.{payload}.{}", encode("signature"));
            assert_eq!(
                verify_with_jwks(&token, &key.jwks()),
                Err(JwtError::UnsupportedAlgorithm(alg.to_owned()))
            );
            let unsigned = format!("{header}.{payload}.");
            assert_eq!(
                verify_with_jwks(&unsigned, &key.jwks()),
                Err(JwtError::UnsupportedAlgorithm(alg.to_owned()))
            );
        }
        for header in [json!({}), json!({"alg": 256})] {
            let token = format!("{}.{payload}.", encode(&header.to_string()));
            assert_eq!(
                verify_with_jwks(&token, &key.jwks()),
                Err(JwtError::MissingAlgorithm)
            );
        }
    }

    #[test]
    fn critical_header_extensions_are_rejected() {
        let key = SigningKey::generate();
        let header = json!({"alg": "ES256", "kid": key.kid(), "crit": ["exp"]});
        let token = key.sign_with_raw_header(&header, &idp_claims());
        assert_eq!(
            verify_with_jwks(&token, &key.jwks()),
            Err(JwtError::CriticalHeader)
        );
    }

    #[test]
    fn malformed_tokens_give_errors() {
        use JwtError::{BadBase64, BadJson, NotAJwt};
        let (header, payload) = (encode(r#"{"alg":"ES256"}"#), encode(r#"{"sub":"x"}"#));
        let cases = [
            (String::new(), NotAJwt),
            ("abc".into(), NotAJwt),
            (format!("{header}.{payload}"), NotAJwt),
            (format!("{header}.{payload}.c2ln.extra.parts"), NotAJwt),
            (format!("!!!.{payload}.c2ln"), BadBase64("header")),
            (format!("{header}=.{payload}.c2ln"), BadBase64("header")),
            (format!("{header}.é.c2ln"), BadBase64("payload")),
            (format!("{header}.{payload}.c2l+"), BadBase64("signature")),
            (
                format!("{}.{payload}.", encode("not json")),
                BadJson("header"),
            ),
            (format!("{}.{payload}.", encode("[1,2]")), BadJson("header")),
            (
                format!("{header}.{}.", encode("\"claims\"")),
                BadJson("payload"),
            ),
            (
                format!("{header}.{}.", encode("{\"a\":")),
                BadJson("payload"),
            ),
        ];
        let jwks = SigningKey::generate().jwks();
        for (token, expected) in cases {
            assert_eq!(decode_unverified(&token), Err(expected.clone()), "{token}");
            assert_eq!(verify_with_jwks(&token, &jwks), Err(expected), "{token}");
        }
    }

    #[test]
    fn jwks_garbage_is_rejected() {
        let key = SigningKey::generate();
        let token = key.sign(&idp_claims());
        let not_a_jwks = [json!(null), json!([]), json!({}), json!({"keys": {}})];
        for jwks in not_a_jwks {
            let outcome = verify_with_jwks(&token, &jwks);
            assert_eq!(outcome, Err(JwtError::InvalidJwks), "{jwks}");
        }
        for text in ["", "not json", "[]", r#"{"keys": null}"#, r#"{"keys": [}"#] {
            assert_eq!(parse_jwks(text), Err(JwtError::InvalidJwks), "{text}");
        }
        assert_eq!(parse_jwks(&key.jwks().to_string()), Ok(key.jwks()));

        let junk_keys = json!({"keys": [1, null, {"kty": 7}, {"kid": key.kid()}]});
        let not_usable = JwtError::KeyNotUsable {
            kid: key.kid().to_owned(),
            alg: "ES256",
        };
        assert_eq!(verify_with_jwks(&token, &junk_keys), Err(not_usable));
    }

    #[test]
    fn error_messages_are_oauth_descriptions() {
        let messages = [
            (
                JwtError::NotAJwt,
                "subject_token is not a JWT: expected 3 dot-separated parts",
            ),
            (
                JwtError::BadSignature,
                "subject_token signature does not match any key in the policy's JWKS",
            ),
            (JwtError::Expired, "subject_token has expired"),
            (
                JwtError::UnsupportedAlgorithm("HS256".into()),
                "unsupported signing algorithm 'HS256': only RS256 and ES256 are accepted",
            ),
            (
                JwtError::InvalidJwks,
                "JWKS is not valid JSON with a \"keys\" array",
            ),
            (
                JwtError::BadBase64("payload"),
                "subject_token payload is not valid base64url",
            ),
        ];
        for (error, message) in messages {
            assert_eq!(error.to_string(), message);
        }
    }
}
