//! Tests of the app connection validators: each bad input gets its own message.

use super::*;
use crate::edit::validate::token_policy::REFRESH_TTL;

fn strings(items: &[&str]) -> Vec<String> {
    items.iter().map(|s| (*s).to_owned()).collect()
}

fn redirect(urls: &[&str]) -> Validation {
    let mut validation = Validation::new();
    check_redirect_urls(&strings(urls), &mut validation);
    validation
}

fn scopes(list: &[&str]) -> Validation {
    let mut validation = Validation::new();
    check_scopes(&strings(list), &mut validation);
    validation
}

#[test]
fn name_is_required_bounded_and_one_line() {
    let check = |name: &str| {
        let mut validation = Validation::new();
        check_app_name(name, &mut validation);
        validation
    };
    assert_eq!(check("Tableau Cloud (prod)"), Validation::new());
    assert_eq!(check("  ").errors_for(NAME), ["Name is required."]);
    assert_eq!(
        check(&"n".repeat(256)).errors_for(NAME),
        ["Name is too long: at most 255 characters are allowed, it has 256."]
    );
    assert_eq!(
        check("Tableau\nprod").errors_for(NAME),
        ["Name must be one line of text; a line break at position 8 is not allowed."]
    );
    let padded = check(" Tableau");
    assert!(padded.is_valid());
    assert_eq!(
        padded.warnings_for(NAME),
        ["Name has spaces at the start or end."]
    );
}

#[test]
fn good_redirect_urls_pass_quietly() {
    let validation = redirect(&[
        "https://prod-useast-a.online.tableau.com/auth/add_oauth_token",
        "http://localhost:8020",
        "http://127.0.0.1:7070/callback",
        "http://[::1]:9000/cb",
    ]);
    assert_eq!(validation, Validation::new());
}

#[test]
fn redirect_url_errors_are_precise() {
    let cases = [
        ("", "Redirect URL 1 is empty; fill it in or remove it."),
        (
            "https://app.example.com/o auth",
            "Redirect URL 1 contains a space; remove it (a space inside a URL is written %20).",
        ),
        (
            "https://*.example.com/callback",
            "Redirect URL 1 contains '*': redirect URLs are compared exactly, so wildcards do not work; list each URL.",
        ),
        (
            "/oauth/callback",
            "Redirect URL 1 ('/oauth/callback') must be an absolute URL such as https://app.example.com/oauth/callback (relative URL without a base).",
        ),
        (
            "localhost:3000/callback",
            "Redirect URL 1 ('localhost:3000/callback') has no scheme; did you mean http://localhost:3000/callback?",
        ),
        (
            "https://app.example.com/cb#done",
            "Redirect URL 1 must not have a fragment ('#…'); OAuth forbids it (RFC 6749 §3.1.2).",
        ),
        (
            "javascript:alert(1)",
            "Redirect URL 1 uses the scheme 'javascript', which cannot receive an OAuth redirect; use https.",
        ),
    ];
    for (url, message) in cases {
        assert_eq!(
            redirect(&[url]).errors_for(REDIRECT_URLS),
            [message],
            "{url}"
        );
    }
}

#[test]
fn duplicate_redirect_urls_are_errors_and_blank_ones_are_not_duplicates() {
    let validation = redirect(&["https://a.example/cb", "", "https://a.example/cb", ""]);
    assert_eq!(
        validation.errors_for(REDIRECT_URLS),
        [
            "Redirect URL 2 is empty; fill it in or remove it.",
            "Redirect URL 3 repeats redirect URL 1; remove one.",
            "Redirect URL 4 is empty; fill it in or remove it."
        ]
    );
}

#[test]
fn plain_http_to_a_remote_host_and_custom_schemes_only_warn() {
    // The demo seed's planted risk.
    let http = redirect(&["http://reports.northwind.example/callback"]);
    assert!(http.is_valid());
    assert_eq!(
        http.warnings_for(REDIRECT_URLS),
        [
            "Redirect URL 1 uses plain http to reports.northwind.example: the authorization code would cross the network unencrypted. Use https, or http only for a loopback address (localhost, 127.0.0.1)."
        ]
    );
    let custom = redirect(&["com.example.app:/oauth2redirect"]);
    assert!(custom.is_valid());
    assert_eq!(
        custom.warnings_for(REDIRECT_URLS),
        [
            "Redirect URL 1 uses the custom scheme 'com.example.app': fine for a native app, but any app on the device can claim it; prefer a loopback http URL (RFC 8252)."
        ]
    );
    assert_eq!(
        redirect(&[]).warnings_for(REDIRECT_URLS),
        ["No redirect URLs: nobody can sign in through this app until one is added."]
    );
}

#[test]
fn documented_scopes_pass_and_unknown_ones_only_warn() {
    assert_eq!(
        scopes(&[
            "all-apis",
            "sql",
            "offline_access",
            "openid",
            "profile",
            "email"
        ]),
        Validation::new()
    );
    let unknown = scopes(&["all-apis", "iam.groups:read"]);
    assert!(unknown.is_valid());
    assert_eq!(
        unknown.warnings_for(SCOPES),
        [
            "Scope 'iam.groups:read' is not one the app connection API documents (all-apis, sql, offline_access, openid, profile, email); Databricks may reject it."
        ]
    );
    assert_eq!(
        scopes(&["sql", "sql"]).warnings_for(SCOPES),
        ["Scope 2 repeats scope 1."]
    );
}

#[test]
fn malformed_scopes_are_errors() {
    assert_eq!(
        scopes(&["all-apis sql"]).errors_for(SCOPES),
        ["Scope 1 ('all-apis sql') contains a space; enter each scope as its own entry."]
    );
    assert_eq!(
        scopes(&["sql", ""]).errors_for(SCOPES),
        ["Scope 2 is empty; fill it in or remove it."]
    );
    assert_eq!(
        scopes(&["all/apis"]).errors_for(SCOPES),
        [
            "Scope 1 ('all/apis') may contain only letters, digits, '-', '_', '.' and ':'; '/' is not allowed."
        ]
    );
}

#[test]
fn user_authorized_scopes_must_be_app_scopes() {
    let mut validation = Validation::new();
    check_user_authorized_scopes(
        &strings(&["all-apis"]),
        &strings(&["all-apis", "sql"]),
        &mut validation,
    );
    assert_eq!(
        validation.errors_for(USER_AUTHORIZED_SCOPES),
        [
            "User-authorized scope 'sql' is not one of the app's scopes; add it to the scopes or remove it here."
        ]
    );
}

#[test]
fn a_whole_create_form_combines_every_check() {
    let body: CreateCustomAppIntegration = serde_json::from_value(serde_json::json!({
        "name": "Tableau Cloud (prod)", "confidential": true,
        "redirect_urls": ["https://prod-useast-a.online.tableau.com/auth/add_oauth_token"],
        "scopes": ["all-apis", "offline_access"],
        "token_access_policy": {"access_token_ttl_in_minutes": 60, "refresh_token_ttl_in_minutes": 10080}
    }))
    .unwrap();
    assert_eq!(
        validate_app_connection(&AppConnectionInput::for_create(&body)),
        Validation::new()
    );
    let mut without_offline = body.clone();
    without_offline.scopes = strings(&["all-apis"]);
    let validation = validate_app_connection(&AppConnectionInput::for_create(&without_offline));
    assert!(validation.is_valid());
    assert_eq!(validation.warnings_for(REFRESH_TTL).len(), 1);
    let mut unnamed = body;
    unnamed.name = None;
    assert_eq!(
        validate_app_connection(&AppConnectionInput::for_create(&unnamed))
            .errors_for(NAME)
            .len(),
        1
    );
}

#[test]
fn an_update_is_checked_against_the_current_values_it_keeps() {
    let current = CustomAppIntegration {
        name: Some("Tableau".into()),
        redirect_urls: strings(&["https://a.example/cb"]),
        scopes: strings(&["all-apis"]),
        ..CustomAppIntegration::default()
    };
    let update = UpdateCustomAppIntegration {
        user_authorized_scopes: Some(strings(&["sql"])),
        ..UpdateCustomAppIntegration::default()
    };
    let validation = validate_app_connection(&AppConnectionInput::for_update(&update, &current));
    assert_eq!(validation.errors.len(), 1);
    assert_eq!(validation.errors[0].field, USER_AUTHORIZED_SCOPES);
    assert!(
        validation.errors_for(NAME).is_empty(),
        "the name is not part of an update"
    );
}
