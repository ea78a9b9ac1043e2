//! PKCE S256 (RFC 7636) for the fake's authorize/token endpoints, plus the random strings the
//! fake hands out as authorization codes, refresh tokens, secret ids and secrets.

use base64::Engine as _;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use ring::digest::{SHA256, digest};
use ring::rand::{SecureRandom as _, SystemRandom};

/// Why a `code_verifier` was refused; the message is fit for an OAuth `error_description`.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum PkceError {
    #[error("code_verifier must be 43-128 characters")]
    VerifierLength,
    #[error("code_verifier may only contain A-Z, a-z, 0-9, '-', '.', '_' and '~'")]
    VerifierCharacters,
    #[error("code_verifier does not match the code_challenge")]
    Mismatch,
}

/// The S256 `code_challenge` for `verifier`: base64url, without padding, of its SHA-256.
pub fn s256_challenge(verifier: &str) -> String {
    URL_SAFE_NO_PAD.encode(digest(&SHA256, verifier.as_bytes()))
}

/// Checks that `verifier` is a well-formed RFC 7636 verifier whose S256 challenge is `challenge`.
pub fn verify_s256(verifier: &str, challenge: &str) -> Result<(), PkceError> {
    // All allowed characters are ASCII, so the byte length is the character count whenever
    // the character check below passes.
    if !(43..=128).contains(&verifier.len()) {
        return Err(PkceError::VerifierLength);
    }
    let is_unreserved = |byte: &u8| byte.is_ascii_alphanumeric() || b"-._~".contains(byte);
    if !verifier.as_bytes().iter().all(is_unreserved) {
        return Err(PkceError::VerifierCharacters);
    }
    if is_same_in_constant_time(s256_challenge(verifier).as_bytes(), challenge.as_bytes()) {
        Ok(())
    } else {
        Err(PkceError::Mismatch)
    }
}

/// Compares every byte instead of stopping at the first difference, so the time taken does not
/// reveal how much of the challenge a guess got right. ring 0.17 deprecated its
/// `constant_time` module and the project takes no extra crate for this one fold. The length
/// may leak: every S256 challenge is 43 characters, so it is no secret.
fn is_same_in_constant_time(left: &[u8], right: &[u8]) -> bool {
    left.len() == right.len()
        && left
            .iter()
            .zip(right)
            .fold(0u8, |diff, (a, b)| diff | (a ^ b))
            == 0
}

/// `bytes` random bytes from the OS, base64url-encoded without padding (PKCE verifiers, states,
/// authorization codes, key ids).
///
/// # Panics
///
/// If the operating system's random source fails, which leaves nothing safe to hand out.
pub fn random_url_safe(bytes: usize) -> String {
    URL_SAFE_NO_PAD.encode(random_bytes(bytes))
}

/// `bytes` random bytes from the OS as lowercase hex (refresh tokens, secret ids, `dose…`
/// secrets).
///
/// # Panics
///
/// If the operating system's random source fails.
pub fn random_hex(bytes: usize) -> String {
    const DIGITS: &[u8; 16] = b"0123456789abcdef";
    let mut hex = String::with_capacity(bytes * 2);
    for byte in random_bytes(bytes) {
        hex.push(char::from(DIGITS[usize::from(byte >> 4)]));
        hex.push(char::from(DIGITS[usize::from(byte & 0x0f)]));
    }
    hex
}

fn random_bytes(count: usize) -> Vec<u8> {
    let mut bytes = vec![0u8; count];
    SystemRandom::new()
        .fill(&mut bytes)
        .expect("the operating system's random number generator failed");
    bytes
}

#[cfg(test)]
mod tests {
    use super::*;

    // RFC 7636 Appendix B.
    const RFC_VERIFIER: &str = "dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk";
    const RFC_CHALLENGE: &str = "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM";

    #[test]
    fn challenge_matches_rfc_7636_appendix_b() {
        assert_eq!(s256_challenge(RFC_VERIFIER), RFC_CHALLENGE);
        assert_eq!(verify_s256(RFC_VERIFIER, RFC_CHALLENGE), Ok(()));
    }

    #[test]
    fn wrong_verifier_or_challenge_is_a_mismatch() {
        let other_verifier = "a".repeat(43);
        assert_eq!(
            verify_s256(&other_verifier, RFC_CHALLENGE),
            Err(PkceError::Mismatch)
        );
        assert_eq!(
            verify_s256(RFC_VERIFIER, "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cN"),
            Err(PkceError::Mismatch)
        );
        assert_eq!(verify_s256(RFC_VERIFIER, ""), Err(PkceError::Mismatch));
        // A plain-method "challenge" (the verifier itself) must not pass as S256.
        assert_eq!(
            verify_s256(RFC_VERIFIER, RFC_VERIFIER),
            Err(PkceError::Mismatch)
        );
    }

    #[test]
    fn verifier_length_is_43_to_128() {
        for length in [0, 42, 129, 4096] {
            let verifier = "a".repeat(length);
            let challenge = s256_challenge(&verifier);
            assert_eq!(
                verify_s256(&verifier, &challenge),
                Err(PkceError::VerifierLength),
                "length {length}"
            );
        }
        for length in [43, 128] {
            let verifier = "~".repeat(length);
            assert_eq!(verify_s256(&verifier, &s256_challenge(&verifier)), Ok(()));
        }
    }

    #[test]
    fn verifier_outside_the_unreserved_set_is_refused() {
        for bad in ['+', '/', '=', ' ', '%', 'é'] {
            let verifier = format!("{}{bad}", "a".repeat(50));
            let challenge = s256_challenge(&verifier);
            assert_eq!(
                verify_s256(&verifier, &challenge),
                Err(PkceError::VerifierCharacters),
                "{bad:?}"
            );
        }
    }

    #[test]
    fn error_messages_are_oauth_descriptions() {
        assert_eq!(
            PkceError::VerifierLength.to_string(),
            "code_verifier must be 43-128 characters"
        );
        assert_eq!(
            PkceError::Mismatch.to_string(),
            "code_verifier does not match the code_challenge"
        );
    }

    #[test]
    fn random_strings_have_the_asked_size_and_alphabet() {
        let url_safe = random_url_safe(32);
        assert_eq!(url_safe.len(), 43);
        assert!(verify_s256(&url_safe, &s256_challenge(&url_safe)).is_ok());
        assert_ne!(random_url_safe(32), url_safe);

        let hex = random_hex(32);
        assert_eq!(hex.len(), 64);
        assert!(
            hex.bytes()
                .all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b))
        );
        assert_ne!(random_hex(32), hex);
        assert_eq!(random_hex(0), "");
    }
}
