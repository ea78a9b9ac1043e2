//! Tests of the federation policy validators: every bad input gets its own message.

use super::*;

fn id_errors(id: &str) -> Vec<String> {
    let mut validation = Validation::new();
    check_policy_id(id, &mut validation);
    validation.errors.into_iter().map(|m| m.message).collect()
}

fn issuer(text: &str) -> Validation {
    let mut validation = Validation::new();
    check_issuer(text, &mut validation);
    validation
}

fn messages(list: &[super::super::FieldMessage]) -> Vec<&str> {
    list.iter().map(|m| m.message.as_str()).collect()
}

fn sp_policy(issuer: &str, subject: Option<&str>) -> OidcPolicy {
    OidcPolicy {
        issuer: Some(issuer.into()),
        audiences: vec!["databricks".into()],
        subject: subject.map(str::to_owned),
        ..OidcPolicy::default()
    }
}

#[test]
fn good_policy_ids_pass() {
    for id in ["github-prod", "ab", "team/ci-2", &"a".repeat(63), "7d"] {
        assert!(id_errors(id).is_empty(), "{id}");
    }
}

#[test]
fn policy_id_length_problems_are_named() {
    assert_eq!(
        id_errors("a"),
        ["Policy id is too short: it needs at least 2 characters, 'a' has 1."]
    );
    assert_eq!(
        id_errors(&"a".repeat(64)),
        ["Policy id is too long: at most 63 characters are allowed, it has 64."]
    );
}

#[test]
fn policy_id_upper_case_suggests_the_lower_case_form() {
    assert_eq!(
        id_errors("GitHub-prod"),
        ["Policy id must be lower case: 'G' at position 1 is upper case. Use 'github-prod'."]
    );
    // No suggestion when lower-casing alone would not make it valid.
    assert_eq!(
        id_errors("Git_hub"),
        [
            "Policy id must be lower case: 'G' at position 1 is upper case.",
            "Policy id may contain only lower-case letters, digits, hyphens (-) and slashes (/); '_' at position 4 is not allowed."
        ]
    );
}

#[test]
fn policy_id_invalid_characters_are_named_with_their_position() {
    assert_eq!(
        id_errors("github_prod"),
        [
            "Policy id may contain only lower-case letters, digits, hyphens (-) and slashes (/); '_' at position 7 is not allowed."
        ]
    );
    assert_eq!(
        id_errors("ci prod"),
        [
            "Policy id may contain only lower-case letters, digits, hyphens (-) and slashes (/); a space at position 3 is not allowed."
        ]
    );
    assert_eq!(
        id_errors("café"),
        [
            "Policy id may contain only lower-case letters, digits, hyphens (-) and slashes (/); 'é' at position 4 is not allowed."
        ]
    );
}

#[test]
fn policy_id_start_and_end_rules() {
    let slash =
        "Policy id must not start or end with a slash: it becomes part of the request path.";
    assert_eq!(id_errors("/ci"), [slash]);
    assert_eq!(id_errors("ci/"), [slash]);
    assert_eq!(
        id_errors("team//ci"),
        [
            "Policy id must not contain two slashes in a row ('//' at position 5): it becomes part of the request path."
        ]
    );
    let mut validation = Validation::new();
    check_policy_id("-ci", &mut validation);
    assert!(validation.is_valid(), "a leading hyphen is only a warning");
    assert_eq!(
        validation.warnings_for(POLICY_ID),
        [
            "Policy id starts with a hyphen: allowed, but command-line tools such as the databricks CLI would read it as an option."
        ]
    );
}

#[test]
fn issuer_must_be_present_and_https() {
    assert_eq!(
        messages(&issuer("").errors),
        [
            "Issuer is required: the https URL your identity provider puts in the token's iss claim, e.g. https://token.actions.githubusercontent.com."
        ]
    );
    // The demo seed's planted risk.
    assert_eq!(
        messages(&issuer("http://idp.northwind.example").errors),
        [
            "Issuer must be an https URL; http://idp.northwind.example uses plain http, so anyone on the network path could swap the signing keys Databricks fetches. Use https://idp.northwind.example if the provider serves it."
        ]
    );
    assert_eq!(
        messages(&issuer("http://localhost:8080").errors),
        [
            "Issuer must be an https URL; http is refused even for a loopback host such as localhost, because Databricks runs in the cloud and cannot reach your machine."
        ]
    );
    assert!(issuer("https://token.actions.githubusercontent.com") == Validation::new());
}

#[test]
fn issuer_query_fragment_and_trailing_slash() {
    assert_eq!(
        messages(&issuer("https://idp.example.com/oauth2?tenant=1").errors),
        [
            "Issuer must not have a query ('?…'): the token's iss must equal it exactly, and providers publish it without one."
        ]
    );
    assert_eq!(
        messages(&issuer("https://idp.example.com/#x").errors),
        ["Issuer must not have a fragment ('#x')."]
    );
    let slash = issuer("https://gitlab.com/");
    assert!(slash.is_valid());
    assert_eq!(
        slash.warnings_for(ISSUER),
        [
            "Issuer ends with '/': the token's iss must match it character for character, and most providers (GitHub, GitLab, Okta) publish it without the slash."
        ]
    );
}

#[test]
fn issuer_placeholder_is_a_warning_not_a_url_error() {
    let validation = issuer("https://vstoken.dev.azure.com/<organization_id>");
    assert!(validation.is_valid());
    assert_eq!(
        validation.warnings_for(ISSUER),
        ["Issuer still holds the placeholder <organization_id>; replace it with your value."]
    );
}

#[test]
fn audiences_must_be_non_empty_exact_strings() {
    let mut validation = Validation::new();
    check_audiences(&[], &mut validation);
    assert_eq!(validation, Validation::new(), "empty means the account id");
    let list: Vec<String> = ["databricks", "", " api ", "databricks", "<account_id>"]
        .map(str::to_owned)
        .to_vec();
    check_audiences(&list, &mut validation);
    assert_eq!(
        validation.errors_for(AUDIENCES),
        [
            "Audience 2 is empty; fill it in or remove it.",
            "Audience 3 (' api ') has spaces at the start or end; remove them, audiences are compared exactly."
        ]
    );
    assert_eq!(
        validation.warnings_for(AUDIENCES),
        [
            "Audience 4 repeats audience 1.",
            "Audience 5 still holds the placeholder <account_id>; replace it with your value."
        ]
    );
}

#[test]
fn subject_claim_must_be_a_claim_name() {
    let mut validation = Validation::new();
    check_subject_claim(None, &mut validation);
    check_subject_claim(Some(""), &mut validation);
    check_subject_claim(Some("email"), &mut validation);
    assert!(validation.errors.is_empty());
    check_subject_claim(Some("preferred username"), &mut validation);
    assert_eq!(
        validation.errors_for(SUBJECT_CLAIM),
        [
            "Subject claim must be a claim name such as sub or email, without spaces; 'preferred username' has one."
        ]
    );
}

#[test]
fn subject_is_required_for_service_principals_and_absent_for_the_account() {
    let sp = validate_federation_policy(
        PolicyScope::ServicePrincipal,
        None,
        &sp_policy("https://token.actions.githubusercontent.com", None),
    );
    assert_eq!(
        sp.errors_for(SUBJECT),
        [
            "Subject is required for a service principal policy: the exact value of the token's sub claim, e.g. repo:my-org/my-repo:environment:prod."
        ]
    );
    let mut account_policy = sp_policy("https://example.okta.com/oauth2/default", Some("ana"));
    account_policy.subject_claim = Some("email".into());
    let account = validate_federation_policy(PolicyScope::Account, Some("okta"), &account_policy);
    assert_eq!(
        account.errors_for(SUBJECT),
        [
            "Subject must be left empty on an account policy: there the token's email claim itself names the Databricks user or service principal."
        ]
    );
    account_policy.subject = None;
    let fixed = validate_federation_policy(PolicyScope::Account, Some("okta"), &account_policy);
    assert_eq!(fixed, Validation::new());
}

#[test]
fn subject_spaces_placeholders_and_wildcards() {
    let check = |subject: &str| {
        let mut validation = Validation::new();
        check_subject(
            PolicyScope::ServicePrincipal,
            Some(subject),
            "sub",
            &mut validation,
        );
        validation
    };
    assert_eq!(
        check("repo:a/b:pull_request ").errors_for(SUBJECT),
        ["Subject has spaces at the start or end; remove them, it is compared exactly."]
    );
    assert_eq!(
        check("repo:<org>/<repo>:pull_request").warnings_for(SUBJECT),
        ["Subject still holds the placeholders <org>, <repo>; replace them with your values."]
    );
    let wildcard = check("repo:acme/*:pull_request");
    assert!(wildcard.is_valid());
    assert_eq!(
        wildcard.warnings_for(SUBJECT),
        ["Subject is compared exactly: '*' is not a wildcard and only matches a literal '*'."]
    );
}

#[test]
fn jwks_uri_and_inline_jwks_are_checked_and_both_together_warned() {
    let mut policy = sp_policy("https://idp.example.com", Some("svc"));
    policy.jwks_uri = Some("http://idp.example.com/keys".into());
    policy.jwks_json = Some(r#"{"keys": [{"kty": "RSA", "n": "a", "e": "AQAB"}]}"#.into());
    let validation = validate_federation_policy(PolicyScope::ServicePrincipal, None, &policy);
    assert_eq!(validation.errors.len(), 1);
    assert!(validation.errors_for(JWKS_URI)[0].starts_with("JWKS URI must be an https URL;"));
    assert_eq!(
        validation.warnings_for(JWKS_JSON),
        [
            "Both a JWKS URI and an inline JWKS are set; keep only one, so it is clear which keys Databricks trusts."
        ]
    );
    policy.jwks_uri = None;
    policy.jwks_json = Some("{\"keys\": [}".into());
    let broken = validate_federation_policy(PolicyScope::ServicePrincipal, None, &policy);
    assert_eq!(
        broken.errors_for(JWKS_JSON),
        ["JWKS JSON is not valid JSON: expected value at line 1, column 11."]
    );
}

#[test]
fn the_demo_seed_policies_pass_except_the_planted_http_issuer() {
    let good = sp_policy(
        "https://token.actions.githubusercontent.com",
        Some("repo:northwind-analytics/infra:environment:prod"),
    );
    let validation =
        validate_federation_policy(PolicyScope::ServicePrincipal, Some("github-prod"), &good);
    assert_eq!(validation, Validation::new());
    let mut legacy = sp_policy("http://idp.northwind.example", None);
    legacy.subject_claim = Some("email".into());
    let validation = validate_federation_policy(PolicyScope::Account, Some("legacy-idp"), &legacy);
    assert_eq!(validation.errors.len(), 1);
    assert_eq!(validation.errors[0].field, ISSUER);
}
