//! The fields of the forms, and reading typed values back out of them.

use serde_json::Value;

use crate::api::models::{OidcPolicy, TokenAccessPolicy};
use crate::app::edit::form::{Field, Form};
use crate::app::facts::{self, str_field};
use crate::edit::validate::{self, Validation};

pub(super) fn app_fields(base: &Value, create: bool) -> Vec<Field> {
    let policy = |key: &str| {
        facts::policy_minutes(base, key)
            .map(|m| m.to_string())
            .unwrap_or_default()
    };
    let single_use = base
        .get("token_access_policy")
        .and_then(|p| p.get("enable_single_use_refresh_tokens"))
        .and_then(Value::as_bool)
        .unwrap_or(create);
    let mut fields = Vec::new();
    if create {
        fields.push(Field::text(
            "name",
            "Name",
            "",
            "Shown to users when they consent.",
        ));
        fields.push(Field::toggle(
            "confidential",
            "Confidential",
            true,
            "Confidential clients get a client secret, shown once. Space toggles.",
        ));
    }
    fields.extend([
        Field::list(
            "redirect_urls",
            "Redirect URLs",
            facts::strings(base, "redirect_urls"),
            "Enter edits or adds, Delete removes. https, or http only to localhost.",
        ),
        Field::checklist(
            validate::app_connection::SCOPES,
            "Scopes",
            validate::DOCUMENTED_SCOPES,
            if create {
                vec!["sql".into(), "offline_access".into()]
            } else {
                facts::strings(base, "scopes")
            },
            "Space checks; type to add a scope not listed.",
        ),
        Field::checklist(
            validate::app_connection::USER_AUTHORIZED_SCOPES,
            "User-authorized scopes",
            validate::DOCUMENTED_SCOPES,
            facts::strings(base, "user_authorized_scopes"),
            "A subset of the scopes that users consent to.",
        ),
    ]);
    fields.extend(ttl_fields(base));
    fields.extend([
        Field::toggle(
            validate::token_policy::SINGLE_USE,
            "Single-use refresh tokens",
            single_use,
            "Rotate the refresh token on every use (recommended for confidential apps).",
        ),
        Field::text(
            validate::token_policy::ABSOLUTE_SESSION,
            "Absolute session (min)",
            &policy("absolute_session_lifetime_in_minutes"),
            "A hard cap on a whole session; only effective with single-use refresh tokens.",
        ),
    ]);
    fields
}

pub(super) fn token_policy(form: &Form, validation: &mut Validation) -> TokenAccessPolicy {
    TokenAccessPolicy {
        access_token_ttl_in_minutes: validate::parse_minutes(
            validate::token_policy::ACCESS_TTL,
            "The access token TTL",
            &form.text(validate::token_policy::ACCESS_TTL),
            validation,
        ),
        refresh_token_ttl_in_minutes: validate::parse_minutes(
            validate::token_policy::REFRESH_TTL,
            "The refresh token TTL",
            &form.text(validate::token_policy::REFRESH_TTL),
            validation,
        ),
        enable_single_use_refresh_tokens: Some(form.toggle(validate::token_policy::SINGLE_USE)),
        absolute_session_lifetime_in_minutes: validate::parse_minutes(
            validate::token_policy::ABSOLUTE_SESSION,
            "The absolute session lifetime",
            &form.text(validate::token_policy::ABSOLUTE_SESSION),
            validation,
        ),
        extra: Default::default(),
    }
}

pub(super) fn policy_fields(base: &Value, create: bool) -> Vec<Field> {
    let oidc = base.get("oidc_policy").cloned().unwrap_or_default();
    let get = |key: &str| str_field(&oidc, key).unwrap_or_default().to_owned();
    let mut fields = Vec::new();
    if create {
        fields.push(Field::text(
            validate::federation::POLICY_ID,
            "Policy id",
            "",
            "2-63 lower-case letters, digits, hyphens; empty lets Databricks pick one.",
        ));
    }
    fields.extend([
        Field::text(
            "description",
            "Description",
            str_field(base, "description").unwrap_or_default(),
            "",
        )
        .in_editor("txt"),
        Field::text(
            validate::federation::ISSUER,
            "Issuer",
            &get("issuer"),
            "The https URL in the tokens' iss claim.",
        ),
        Field::list(
            validate::federation::AUDIENCES,
            "Audiences",
            facts::strings(&oidc, "audiences"),
            "Empty means the account id.",
        ),
        Field::text(
            validate::federation::SUBJECT_CLAIM,
            "Subject claim",
            &get("subject_claim"),
            "Empty means sub.",
        ),
        Field::text(
            validate::federation::SUBJECT,
            "Subject",
            &get("subject"),
            "Required for a service principal's policy, absent for an account policy.",
        ),
        Field::text(
            validate::federation::JWKS_URI,
            "JWKS URI",
            &get("jwks_uri"),
            "Optional; keys are discovered from the issuer otherwise.",
        ),
        Field::text(
            validate::federation::JWKS_JSON,
            "Inline JWKS",
            &get("jwks_json"),
            "Optional {\"keys\": […]}; ctrl+e: $EDITOR.",
        )
        .in_editor("json"),
    ]);
    fields
}

pub(super) fn oidc_policy(form: &Form) -> OidcPolicy {
    let optional = |key: &str| Some(form.text(key).trim().to_owned()).filter(|s| !s.is_empty());
    OidcPolicy {
        issuer: optional(validate::federation::ISSUER),
        audiences: form.items(validate::federation::AUDIENCES),
        subject_claim: optional(validate::federation::SUBJECT_CLAIM),
        subject: optional(validate::federation::SUBJECT),
        jwks_uri: optional(validate::federation::JWKS_URI),
        jwks_json: optional(validate::federation::JWKS_JSON),
        extra: Default::default(),
    }
}

pub(super) fn published_policy(form: &Form, validation: &mut Validation) -> TokenAccessPolicy {
    // A published app's policy has only the two lifetimes.
    TokenAccessPolicy {
        enable_single_use_refresh_tokens: None,
        absolute_session_lifetime_in_minutes: None,
        ..token_policy(form, validation)
    }
}

/// The access and refresh token lifetimes of a token access policy, filled from `base`:
/// shared by app connections and published apps.
pub(super) fn ttl_fields(base: &Value) -> [Field; 2] {
    let policy = |key: &str| {
        facts::policy_minutes(base, key)
            .map(|m| m.to_string())
            .unwrap_or_default()
    };
    [
        Field::text(
            validate::token_policy::ACCESS_TTL,
            "Access token TTL (min)",
            &policy("access_token_ttl_in_minutes"),
            "5 to 1440 minutes; empty uses the Databricks default.",
        ),
        Field::text(
            validate::token_policy::REFRESH_TTL,
            "Refresh token TTL (min)",
            &policy("refresh_token_ttl_in_minutes"),
            "5 to 129600 minutes (90 days), at least the access TTL.",
        ),
    ]
}
