//! App connection (custom OAuth app integration, reference §4.1) fields: name, redirect URLs,
//! scopes, user-authorized scopes, and its token policy.

use url::Url;

use super::token_policy::{check_refresh_needs_offline_access, check_token_access_policy};
use super::urls::is_loopback;
use super::{Validation, blank_entry, check_required_line, describe_char, earlier_copy, position};
use crate::api::models::{
    CreateCustomAppIntegration, CustomAppIntegration, TokenAccessPolicy, UpdateCustomAppIntegration,
};

pub const NAME: &str = "name";
pub const REDIRECT_URLS: &str = "redirect_urls";
pub const SCOPES: &str = "scopes";
pub const USER_AUTHORIZED_SCOPES: &str = "user_authorized_scopes";

/// The scopes the custom-app API documents (§3.7); others get a warning, not an error,
/// because finer-grained API scopes exist.
pub const DOCUMENTED_SCOPES: &[&str] = &[
    "all-apis",
    "sql",
    "offline_access",
    "openid",
    "profile",
    "email",
];

/// The reference gives no limit; this is ours, so a name stays readable in every list.
pub const MAX_APP_NAME_CHARS: usize = 255;

/// Schemes that can never receive an OAuth redirect and are classic injection vectors.
const REFUSED_SCHEMES: &[&str] = &["javascript", "data", "file", "vbscript", "about", "blob"];

/// The values the form shows, after the admin's edits.
#[derive(Debug, Clone, Copy, Default)]
pub struct AppConnectionInput<'a> {
    /// `None` on update: the name cannot change after create.
    pub name: Option<&'a str>,
    pub redirect_urls: &'a [String],
    pub scopes: &'a [String],
    pub user_authorized_scopes: &'a [String],
    pub token_access_policy: Option<&'a TokenAccessPolicy>,
}

impl<'a> AppConnectionInput<'a> {
    pub fn for_create(body: &'a CreateCustomAppIntegration) -> Self {
        Self {
            name: Some(body.name.as_deref().unwrap_or("")),
            redirect_urls: &body.redirect_urls,
            scopes: &body.scopes,
            user_authorized_scopes: &body.user_authorized_scopes,
            token_access_policy: body.token_access_policy.as_ref(),
        }
    }

    /// An update leaves absent fields as they are, so the current values fill them: the
    /// cross-field checks (offline_access, user-authorized scopes) need the whole picture.
    pub fn for_update(
        body: &'a UpdateCustomAppIntegration,
        current: &'a CustomAppIntegration,
    ) -> Self {
        Self {
            name: None,
            redirect_urls: body
                .redirect_urls
                .as_deref()
                .unwrap_or(&current.redirect_urls),
            scopes: body.scopes.as_deref().unwrap_or(&current.scopes),
            user_authorized_scopes: body
                .user_authorized_scopes
                .as_deref()
                .unwrap_or(&current.user_authorized_scopes),
            token_access_policy: body
                .token_access_policy
                .as_ref()
                .or(current.token_access_policy.as_ref()),
        }
    }
}

pub fn validate_app_connection(input: &AppConnectionInput) -> Validation {
    let mut validation = Validation::new();
    if let Some(name) = input.name {
        check_app_name(name, &mut validation);
    }
    check_redirect_urls(input.redirect_urls, &mut validation);
    check_scopes(input.scopes, &mut validation);
    check_user_authorized_scopes(input.scopes, input.user_authorized_scopes, &mut validation);
    if let Some(policy) = input.token_access_policy {
        check_token_access_policy(policy, &mut validation);
        check_refresh_needs_offline_access(policy, input.scopes, &mut validation);
    }
    validation
}

/// The reference makes the name optional; the console requires one, as an unnamed app
/// cannot be told apart in a list.
pub fn check_app_name(name: &str, validation: &mut Validation) {
    check_required_line(NAME, "Name", name, Some(MAX_APP_NAME_CHARS), validation);
}

pub fn check_redirect_urls(urls: &[String], validation: &mut Validation) {
    if urls.is_empty() {
        validation.warn(
            REDIRECT_URLS,
            "No redirect URLs: nobody can sign in through this app until one is added.",
        );
    }
    for (index, text) in urls.iter().enumerate() {
        let number = position(index);
        if blank_entry(REDIRECT_URLS, "Redirect URL", number, text, validation) {
            continue;
        }
        if let Some(first) = earlier_copy(urls, index) {
            validation.error(
                REDIRECT_URLS,
                format!("Redirect URL {number} repeats redirect URL {first}; remove one."),
            );
            continue;
        }
        check_redirect_url(number, text, validation);
    }
}

fn check_redirect_url(number: usize, text: &str, validation: &mut Validation) {
    if let Some(blank) = text.chars().find(|c| c.is_whitespace()) {
        validation.error(
            REDIRECT_URLS,
            format!(
                "Redirect URL {number} contains {}; remove it (a space inside a URL is written %20).",
                describe_char(blank)
            ),
        );
        return;
    }
    if text.contains('*') {
        validation.error(
            REDIRECT_URLS,
            format!(
                "Redirect URL {number} contains '*': redirect URLs are compared exactly, so wildcards do not work; list each URL."
            ),
        );
        return;
    }
    // `localhost:3000/cb` parses as the scheme `localhost`; a port where the path should
    // start gives the missing scheme away.
    if let Some((_, rest)) = text.split_once(':')
        && !text.contains("://")
        && rest.starts_with(|c: char| c.is_ascii_digit())
    {
        validation.error(
            REDIRECT_URLS,
            format!("Redirect URL {number} ('{text}') has no scheme; did you mean http://{text}?"),
        );
        return;
    }
    let url = match Url::parse(text) {
        Ok(url) => url,
        Err(error) => {
            validation.error(
                REDIRECT_URLS,
                format!(
                    "Redirect URL {number} ('{text}') must be an absolute URL such as https://app.example.com/oauth/callback ({error})."
                ),
            );
            return;
        }
    };
    if url.fragment().is_some() {
        validation.error(
            REDIRECT_URLS,
            format!(
                "Redirect URL {number} must not have a fragment ('#…'); OAuth forbids it (RFC 6749 §3.1.2)."
            ),
        );
        return;
    }
    match url.scheme() {
        "https" => {}
        "http" if is_loopback(&url) => {}
        "http" => validation.warn(
            REDIRECT_URLS,
            format!(
                "Redirect URL {number} uses plain http to {}: the authorization code would cross the network unencrypted. Use https, or http only for a loopback address (localhost, 127.0.0.1).",
                url.host_str().unwrap_or_default()
            ),
        ),
        scheme if REFUSED_SCHEMES.contains(&scheme) => validation.error(
            REDIRECT_URLS,
            format!(
                "Redirect URL {number} uses the scheme '{scheme}', which cannot receive an OAuth redirect; use https."
            ),
        ),
        scheme => validation.warn(
            REDIRECT_URLS,
            format!(
                "Redirect URL {number} uses the custom scheme '{scheme}': fine for a native app, but any app on the device can claim it; prefer a loopback http URL (RFC 8252)."
            ),
        ),
    }
}

/// Scope tokens as the server takes them (letters, digits, `-_.:`), one per entry.
pub fn check_scopes(scopes: &[String], validation: &mut Validation) {
    for (index, scope) in scopes.iter().enumerate() {
        let number = position(index);
        if blank_entry(SCOPES, "Scope", number, scope, validation) {
            continue;
        }
        if scope.chars().any(char::is_whitespace) {
            validation.error(
                SCOPES,
                format!("Scope {number} ('{scope}') contains a space; enter each scope as its own entry."),
            );
            continue;
        }
        let well_formed = |c: char| c.is_ascii_alphanumeric() || "-_.:".contains(c);
        if let Some(bad) = scope.chars().find(|c| !well_formed(*c)) {
            validation.error(
                SCOPES,
                format!(
                    "Scope {number} ('{scope}') may contain only letters, digits, '-', '_', '.' and ':'; {} is not allowed.",
                    describe_char(bad)
                ),
            );
            continue;
        }
        if let Some(first) = earlier_copy(scopes, index) {
            validation.warn(SCOPES, format!("Scope {number} repeats scope {first}."));
        } else if !DOCUMENTED_SCOPES.contains(&scope.as_str()) {
            validation.warn(
                SCOPES,
                format!(
                    "Scope '{scope}' is not one the app connection API documents ({}); Databricks may reject it.",
                    DOCUMENTED_SCOPES.join(", ")
                ),
            );
        }
    }
}

/// Scopes the user must consent to have to be scopes of the app (the server refuses others).
pub fn check_user_authorized_scopes(
    scopes: &[String],
    user_authorized: &[String],
    validation: &mut Validation,
) {
    for scope in user_authorized.iter().filter(|s| !scopes.contains(s)) {
        validation.error(
            USER_AUTHORIZED_SCOPES,
            format!(
                "User-authorized scope '{scope}' is not one of the app's scopes; add it to the scopes or remove it here."
            ),
        );
    }
}

#[cfg(test)]
#[path = "app_connection_tests.rs"]
mod tests;
