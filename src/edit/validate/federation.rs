//! Federation policy fields (reference §7): policy id, issuer, audiences, subject claim,
//! subject, and the signing keys (a JWKS URI or an inline JWKS).

use super::jwks::check_jwks_document;
use super::urls::{HttpsField, check_https_url};
use super::{Validation, blank_entry, describe_char, earlier_copy, has_outer_whitespace, position};
use crate::api::models::OidcPolicy;
use crate::edit::templates::placeholders;

pub const POLICY_ID: &str = "policy_id";
pub const ISSUER: &str = "oidc_policy.issuer";
pub const AUDIENCES: &str = "oidc_policy.audiences";
pub const SUBJECT_CLAIM: &str = "oidc_policy.subject_claim";
pub const SUBJECT: &str = "oidc_policy.subject";
pub const JWKS_URI: &str = "oidc_policy.jwks_uri";
pub const JWKS_JSON: &str = "oidc_policy.jwks_json";

const MIN_POLICY_ID: usize = 2;
const MAX_POLICY_ID: usize = 63;

/// Whose policy it is: the subject rules differ (§7.2).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PolicyScope {
    Account,
    ServicePrincipal,
}

/// The whole form. `policy_id` is `None` (or empty) when the server should pick one, and
/// on updates, where the id cannot change.
pub fn validate_federation_policy(
    scope: PolicyScope,
    policy_id: Option<&str>,
    oidc: &OidcPolicy,
) -> Validation {
    let mut validation = Validation::new();
    if let Some(id) = policy_id.filter(|id| !id.is_empty()) {
        check_policy_id(id, &mut validation);
    }
    check_issuer(oidc.issuer.as_deref().unwrap_or(""), &mut validation);
    check_audiences(&oidc.audiences, &mut validation);
    check_subject_claim(oidc.subject_claim.as_deref(), &mut validation);
    check_subject(
        scope,
        oidc.subject.as_deref(),
        oidc.subject_claim_or_default(),
        &mut validation,
    );
    let jwks_uri = oidc.jwks_uri.as_deref().filter(|s| !s.is_empty());
    let jwks_json = oidc.jwks_json.as_deref().filter(|s| !s.trim().is_empty());
    if let Some(uri) = jwks_uri {
        check_jwks_uri(uri, &mut validation);
    }
    if let Some(json) = jwks_json {
        check_jwks_json(json, &mut validation);
    }
    if jwks_uri.is_some() && jwks_json.is_some() {
        validation.warn(
            JWKS_JSON,
            "Both a JWKS URI and an inline JWKS are set; keep only one, so it is clear which keys Databricks trusts.",
        );
    }
    validation
}

/// 2–63 characters of lower-case letters, digits, hyphens and slashes (§7.1). The reference
/// gives no start/end rule; this console adds two: no slash at either end or twice in a row,
/// because the id becomes a segment of the request path, and a warning for a leading hyphen,
/// which command-line tools (the databricks CLI among them) would take for an option.
pub fn check_policy_id(id: &str, validation: &mut Validation) {
    let length = id.chars().count();
    if length < MIN_POLICY_ID {
        validation.error(
            POLICY_ID,
            format!(
                "Policy id is too short: it needs at least {MIN_POLICY_ID} characters, '{id}' has {length}."
            ),
        );
    } else if length > MAX_POLICY_ID {
        validation.error(
            POLICY_ID,
            format!(
                "Policy id is too long: at most {MAX_POLICY_ID} characters are allowed, it has {length}."
            ),
        );
    }
    let allowed = |c: char| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-' || c == '/';
    if let Some((index, upper)) = id.chars().enumerate().find(|(_, c)| c.is_ascii_uppercase()) {
        let lower = id.to_ascii_lowercase();
        let suggestion = if lower.chars().all(allowed) {
            format!(" Use '{lower}'.")
        } else {
            String::new()
        };
        validation.error(
            POLICY_ID,
            format!(
                "Policy id must be lower case: '{upper}' at position {} is upper case.{suggestion}",
                position(index)
            ),
        );
    }
    if let Some((index, bad)) = id
        .chars()
        .enumerate()
        .find(|(_, c)| !allowed(*c) && !c.is_ascii_uppercase())
    {
        validation.error(
            POLICY_ID,
            format!(
                "Policy id may contain only lower-case letters, digits, hyphens (-) and slashes (/); {} at position {} is not allowed.",
                describe_char(bad),
                position(index)
            ),
        );
    }
    if id.starts_with('/') || id.ends_with('/') {
        validation.error(
            POLICY_ID,
            "Policy id must not start or end with a slash: it becomes part of the request path.",
        );
    }
    if let Some(index) = id.find("//") {
        validation.error(
            POLICY_ID,
            format!(
                "Policy id must not contain two slashes in a row ('//' at position {}): it becomes part of the request path.",
                position(index)
            ),
        );
    }
    if id.starts_with('-') {
        validation.warn(
            POLICY_ID,
            "Policy id starts with a hyphen: allowed, but command-line tools such as the databricks CLI would read it as an option.",
        );
    }
}

/// The https URL the identity provider writes into the token's `iss`; compared exactly.
pub fn check_issuer(issuer: &str, validation: &mut Validation) {
    if issuer.is_empty() {
        validation.error(
            ISSUER,
            "Issuer is required: the https URL your identity provider puts in the token's iss claim, e.g. https://token.actions.githubusercontent.com.",
        );
        return;
    }
    if warn_placeholders(ISSUER, "Issuer", issuer, validation) {
        // A placeholder is not a URL yet; the warning says what to do.
        return;
    }
    let spec = HttpsField {
        field: ISSUER,
        label: "Issuer",
        example: "https://token.actions.githubusercontent.com",
    };
    let Some(url) = check_https_url(&spec, issuer, validation) else {
        return;
    };
    if url.query().is_some() {
        validation.error(
            ISSUER,
            "Issuer must not have a query ('?…'): the token's iss must equal it exactly, and providers publish it without one.",
        );
    } else if issuer.ends_with('/') {
        validation.warn(
            ISSUER,
            "Issuer ends with '/': the token's iss must match it character for character, and most providers (GitHub, GitLab, Okta) publish it without the slash.",
        );
    }
}

/// Each audience non-empty and exact. An empty list is fine: the server then expects the
/// account id as the token's `aud` (§7.2).
pub fn check_audiences(audiences: &[String], validation: &mut Validation) {
    for (index, audience) in audiences.iter().enumerate() {
        let number = position(index);
        if blank_entry(AUDIENCES, "Audience", number, audience, validation) {
            continue;
        }
        if has_outer_whitespace(audience) {
            validation.error(
                AUDIENCES,
                format!(
                    "Audience {number} ('{audience}') has spaces at the start or end; remove them, audiences are compared exactly."
                ),
            );
        } else if let Some(first) = earlier_copy(audiences, index) {
            validation.warn(
                AUDIENCES,
                format!("Audience {number} repeats audience {first}."),
            );
        } else {
            warn_placeholders(
                AUDIENCES,
                &format!("Audience {number}"),
                audience,
                validation,
            );
        }
    }
}

/// The claim that carries the subject; empty means the default, `sub`.
pub fn check_subject_claim(claim: Option<&str>, validation: &mut Validation) {
    let Some(claim) = claim.filter(|c| !c.is_empty()) else {
        return;
    };
    if claim.chars().any(char::is_whitespace) {
        validation.error(
            SUBJECT_CLAIM,
            format!(
                "Subject claim must be a claim name such as sub or email, without spaces; '{claim}' has one."
            ),
        );
    }
}

/// Required on a service-principal policy (the exact value the token's subject claim must
/// hold), forbidden on an account policy (where the claim itself names the user).
pub fn check_subject(
    scope: PolicyScope,
    subject: Option<&str>,
    subject_claim: &str,
    validation: &mut Validation,
) {
    let subject = subject.filter(|s| !s.is_empty());
    match (scope, subject) {
        (PolicyScope::ServicePrincipal, None) => validation.error(
            SUBJECT,
            format!(
                "Subject is required for a service principal policy: the exact value of the token's {subject_claim} claim, e.g. repo:my-org/my-repo:environment:prod."
            ),
        ),
        (PolicyScope::Account, Some(_)) => validation.error(
            SUBJECT,
            format!(
                "Subject must be left empty on an account policy: there the token's {subject_claim} claim itself names the Databricks user or service principal."
            ),
        ),
        (PolicyScope::ServicePrincipal, Some(subject)) => {
            if has_outer_whitespace(subject) {
                validation.error(
                    SUBJECT,
                    "Subject has spaces at the start or end; remove them, it is compared exactly.",
                );
            } else if !warn_placeholders(SUBJECT, "Subject", subject, validation)
                && subject.contains('*')
            {
                validation.warn(
                    SUBJECT,
                    "Subject is compared exactly: '*' is not a wildcard and only matches a literal '*'.",
                );
            }
        }
        (PolicyScope::Account, None) => {}
    }
}

pub fn check_jwks_uri(uri: &str, validation: &mut Validation) {
    let spec = HttpsField {
        field: JWKS_URI,
        label: "JWKS URI",
        example: "https://idp.example.com/.well-known/jwks.json",
    };
    check_https_url(&spec, uri, validation);
}

/// An inline JWKS: a JSON object with a non-empty `keys` array of public keys.
pub fn check_jwks_json(text: &str, validation: &mut Validation) {
    check_jwks_document(JWKS_JSON, text, validation);
}

/// Warns about each `<placeholder>` left in `text`; true when there was one.
fn warn_placeholders(
    field: &'static str,
    label: &str,
    text: &str,
    validation: &mut Validation,
) -> bool {
    let found = placeholders(text);
    if found.is_empty() {
        return false;
    }
    let list = found.join(", ");
    let message = if found.len() == 1 {
        format!("{label} still holds the placeholder {list}; replace it with your value.")
    } else {
        format!("{label} still holds the placeholders {list}; replace them with your values.")
    };
    validation.warn(field, message);
    true
}

#[cfg(test)]
#[path = "federation_tests.rs"]
mod tests;
