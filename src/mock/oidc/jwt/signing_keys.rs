//! The keys that sign JWTs: the fake's own ES256 key for the tokens it issues, and an RS256 key
//! that tests use to play an external identity provider.

use base64::Engine as _;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use ring::rand::SystemRandom;
use ring::signature::{
    ECDSA_P256_SHA256_FIXED_SIGNING, EcdsaKeyPair, KeyPair as _, RSA_PKCS1_SHA256, RsaKeyPair,
    RsaPublicKeyComponents,
};
use serde_json::{Map, Value, json};

use super::super::pkce::random_url_safe;
use super::JwtError;

const RNG_FAILED: &str = "the operating system's random number generator failed";

/// The fake's ES256 (P-256) signing key, with a random key id. Signing panics only if the
/// operating system's random source fails, since every ECDSA signature needs a fresh nonce.
pub struct SigningKey {
    key_pair: EcdsaKeyPair,
    kid: String,
}

impl SigningKey {
    /// A new key with a random `kid`.
    ///
    /// # Panics
    ///
    /// If the operating system's random source fails.
    pub fn generate() -> SigningKey {
        let algorithm = &ECDSA_P256_SHA256_FIXED_SIGNING;
        let rng = SystemRandom::new();
        let pkcs8 = EcdsaKeyPair::generate_pkcs8(algorithm, &rng).expect(RNG_FAILED);
        let key_pair = EcdsaKeyPair::from_pkcs8(algorithm, pkcs8.as_ref(), &rng)
            .expect("ring reads back the PKCS#8 document it just generated");
        SigningKey {
            key_pair,
            kid: random_url_safe(16),
        }
    }

    pub fn kid(&self) -> &str {
        &self.kid
    }

    /// An access token: `typ` is `at+jwt` (RFC 9068).
    pub fn sign(&self, claims: &Map<String, Value>) -> String {
        self.sign_with_header("at+jwt", claims)
    }

    /// A token whose header `typ` is `typ`, e.g. `JWT` for an ID token or an IdP token in tests.
    pub fn sign_with_header(&self, typ: &str, claims: &Map<String, Value>) -> String {
        let header = json!({"alg": "ES256", "typ": typ, "kid": self.kid});
        self.sign_with_raw_header(&header, claims)
    }

    /// Signs under any header; the verifier's tests forge headers without `kid` or with `crit`.
    pub(super) fn sign_with_raw_header(
        &self,
        header: &Value,
        claims: &Map<String, Value>,
    ) -> String {
        compact_jws(header, claims, |signing_input| {
            let signature = self.key_pair.sign(&SystemRandom::new(), signing_input);
            signature.expect(RNG_FAILED).as_ref().to_vec()
        })
    }

    /// The public key as a one-key JWK Set.
    pub fn jwks(&self) -> Value {
        // ring's P-256 public key is always the 65-byte uncompressed point 0x04 || x || y.
        let (x, y) = self.key_pair.public_key().as_ref()[1..].split_at(32);
        json!({"keys": [{
            "kty": "EC",
            "crv": "P-256",
            "x": URL_SAFE_NO_PAD.encode(x),
            "y": URL_SAFE_NO_PAD.encode(y),
            "kid": self.kid,
            "alg": "ES256",
            "use": "sig",
        }]})
    }
}

impl std::fmt::Debug for SigningKey {
    fn fmt(&self, formatter: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        formatter
            .debug_struct("SigningKey")
            .field("kid", &self.kid)
            .finish_non_exhaustive()
    }
}

/// An RS256 key, for tests that play an external identity provider.
pub struct RsaSigningKey {
    key_pair: RsaKeyPair,
    kid: String,
}

impl RsaSigningKey {
    /// Reads an unencrypted PKCS#8 key, not PKCS#1: OpenSSL 3's `genpkey -outform DER` writes
    /// PKCS#1 for RSA, so pass its output through `openssl pkcs8 -topk8 -nocrypt` first.
    pub fn from_pkcs8_der(der: &[u8]) -> Result<Self, JwtError> {
        let key_pair =
            RsaKeyPair::from_pkcs8(der).map_err(|e| JwtError::InvalidPrivateKey(e.to_string()))?;
        Ok(RsaSigningKey {
            key_pair,
            kid: random_url_safe(16),
        })
    }

    pub fn kid(&self) -> &str {
        &self.kid
    }

    /// A token with `typ` `JWT`, as identity providers issue them.
    pub fn sign(&self, claims: &Map<String, Value>) -> String {
        self.sign_with_header("JWT", claims)
    }

    pub fn sign_with_header(&self, typ: &str, claims: &Map<String, Value>) -> String {
        let header = json!({"alg": "RS256", "typ": typ, "kid": self.kid});
        compact_jws(&header, claims, |signing_input| {
            let mut signature = vec![0; self.key_pair.public().modulus_len()];
            self.key_pair
                .sign(
                    &RSA_PKCS1_SHA256,
                    &SystemRandom::new(),
                    signing_input,
                    &mut signature,
                )
                .expect("RSA signing into a modulus-sized buffer cannot fail");
            signature
        })
    }

    /// The public key as a one-key JWK Set.
    pub fn jwks(&self) -> Value {
        let public = RsaPublicKeyComponents::<Vec<u8>>::from(self.key_pair.public());
        json!({"keys": [{
            "kty": "RSA",
            "n": URL_SAFE_NO_PAD.encode(public.n),
            "e": URL_SAFE_NO_PAD.encode(public.e),
            "kid": self.kid,
            "alg": "RS256",
            "use": "sig",
        }]})
    }
}

impl std::fmt::Debug for RsaSigningKey {
    fn fmt(&self, formatter: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        formatter
            .debug_struct("RsaSigningKey")
            .field("kid", &self.kid)
            .finish_non_exhaustive()
    }
}

fn compact_jws(
    header: &Value,
    claims: &Map<String, Value>,
    sign: impl FnOnce(&[u8]) -> Vec<u8>,
) -> String {
    let claims = serde_json::to_vec(claims).expect("a JSON object always serialises");
    let mut jws = format!(
        "{}.{}",
        URL_SAFE_NO_PAD.encode(header.to_string()),
        URL_SAFE_NO_PAD.encode(claims)
    );
    let signature = URL_SAFE_NO_PAD.encode(sign(jws.as_bytes()));
    jws.push('.');
    jws.push_str(&signature);
    jws
}

#[cfg(test)]
mod tests {
    use super::super::tests::{idp_claims, idp_rsa_key};
    use super::super::{decode_unverified, verify_with_jwks};
    use super::*;

    #[test]
    fn es256_round_trip() {
        let key = SigningKey::generate();
        let token = key.sign(&idp_claims());
        assert!(!token.contains(['=', '+', '/']), "{token}");

        let decoded = decode_unverified(&token).unwrap();
        assert_eq!(
            Value::Object(decoded.header),
            json!({"alg": "ES256", "typ": "at+jwt", "kid": key.kid()})
        );
        assert_eq!(decoded.signature.len(), 64);
        assert_eq!(verify_with_jwks(&token, &key.jwks()), Ok(idp_claims()));

        let id_token = key.sign_with_header("JWT", &idp_claims());
        assert_eq!(decode_unverified(&id_token).unwrap().header["typ"], "JWT");
        assert_eq!(verify_with_jwks(&id_token, &key.jwks()), Ok(idp_claims()));
    }

    #[test]
    fn es256_jwks_has_the_public_point() {
        let key = SigningKey::generate();
        let jwks = key.jwks();
        let jwk = &jwks["keys"][0];
        assert_eq!(
            (&jwk["kty"], &jwk["crv"], &jwk["alg"], &jwk["use"]),
            (
                &json!("EC"),
                &json!("P-256"),
                &json!("ES256"),
                &json!("sig")
            )
        );
        assert_eq!(jwk["kid"], key.kid());
        for coordinate in ["x", "y"] {
            let bytes = URL_SAFE_NO_PAD
                .decode(jwk[coordinate].as_str().unwrap())
                .unwrap();
            assert_eq!(bytes.len(), 32, "{coordinate}");
        }
        assert_ne!(SigningKey::generate().kid(), key.kid());
        assert!(!format!("{key:?}").contains("key_pair"));
    }

    #[test]
    fn rs256_round_trip_with_the_fixture_idp_key() {
        let key = idp_rsa_key();
        let token = key.sign(&idp_claims());
        let decoded = decode_unverified(&token).unwrap();
        assert_eq!(
            Value::Object(decoded.header),
            json!({"alg": "RS256", "typ": "JWT", "kid": key.kid()})
        );
        assert_eq!(decoded.signature.len(), 256);
        assert_eq!(verify_with_jwks(&token, &key.jwks()), Ok(idp_claims()));

        let jwk = &key.jwks()["keys"][0];
        assert_eq!((&jwk["kty"], &jwk["e"]), (&json!("RSA"), &json!("AQAB")));
        let modulus = URL_SAFE_NO_PAD.decode(jwk["n"].as_str().unwrap()).unwrap();
        assert_eq!(modulus.len(), 256);
    }

    #[test]
    fn invalid_rsa_private_key_is_an_error() {
        assert!(matches!(
            RsaSigningKey::from_pkcs8_der(b"not a key"),
            Err(JwtError::InvalidPrivateKey(_))
        ));
    }
}
