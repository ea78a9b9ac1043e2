//! Tests of the diff builder.

use serde_json::json;

use super::*;

fn row(path: &str, kind: ChangeKind, old: Option<&str>, new: Option<&str>) -> Change {
    Change {
        path: path.into(),
        kind,
        old: old.map(str::to_owned),
        new: new.map(str::to_owned),
    }
}

#[test]
fn equal_values_list_nothing() {
    let app = json!({"name": "Tableau", "scopes": ["all-apis", "sql"],
                     "token_access_policy": {"access_token_ttl_in_minutes": 60}});
    assert!(diff(&app, &app.clone()).is_empty());
    let reordered = json!({"token_access_policy": {"access_token_ttl_in_minutes": 60},
                           "scopes": ["sql", "all-apis"], "name": "Tableau"});
    assert!(
        diff(&app, &reordered).is_empty(),
        "order of keys and list items does not count"
    );
}

#[test]
fn missing_null_and_empty_lists_mean_the_same() {
    let before = json!({"scopes": [], "description": null, "token_access_policy": {}});
    assert!(diff(&before, &json!({})).is_empty());
    assert!(diff(&json!({}), &before).is_empty());
}

#[test]
fn scalars_are_changed_added_and_removed() {
    let before = json!({"description": "old", "confidential": true, "gone": 3});
    let after = json!({"description": "new", "confidential": false, "fresh": "x"});
    assert_eq!(
        diff(&before, &after),
        [
            row("description", ChangeKind::Changed, Some("old"), Some("new")),
            row(
                "confidential",
                ChangeKind::Changed,
                Some("true"),
                Some("false")
            ),
            row("gone", ChangeKind::Removed, Some("3"), None),
            row("fresh", ChangeKind::Added, None, Some("x")),
        ]
    );
}

#[test]
fn nested_objects_give_dotted_paths() {
    let before = json!({"token_access_policy": {"access_token_ttl_in_minutes": 60,
                                                 "refresh_token_ttl_in_minutes": 10080}});
    let after = json!({"token_access_policy": {"access_token_ttl_in_minutes": 60,
                                                "refresh_token_ttl_in_minutes": 1440,
                                                "enable_single_use_refresh_tokens": true}});
    assert_eq!(
        diff(&before, &after),
        [
            row(
                "token_access_policy.refresh_token_ttl_in_minutes",
                ChangeKind::Changed,
                Some("10080"),
                Some("1440")
            ),
            row(
                "token_access_policy.enable_single_use_refresh_tokens",
                ChangeKind::Added,
                None,
                Some("true")
            ),
        ]
    );
    let from_nothing = diff(
        &json!({}),
        &json!({"oidc_policy": {"issuer": "https://idp"}}),
    );
    assert_eq!(
        from_nothing,
        [row(
            "oidc_policy.issuer",
            ChangeKind::Added,
            None,
            Some("https://idp")
        )]
    );
}

#[test]
fn scalar_lists_change_per_element() {
    let before = json!({"redirect_urls": ["https://a/cb", "http://localhost:8020"],
                        "scopes": ["all-apis"]});
    let after = json!({"redirect_urls": ["http://localhost:8020", "https://b/cb"],
                       "scopes": ["all-apis", "offline_access"],
                       "oidc_policy": {"audiences": ["databricks"]}});
    assert_eq!(
        diff(&before, &after),
        [
            row(
                "redirect_urls",
                ChangeKind::Removed,
                Some("https://a/cb"),
                None
            ),
            row(
                "redirect_urls",
                ChangeKind::Added,
                None,
                Some("https://b/cb")
            ),
            row("scopes", ChangeKind::Added, None, Some("offline_access")),
            row(
                "oidc_policy.audiences",
                ChangeKind::Added,
                None,
                Some("databricks")
            ),
        ]
    );
    let repeated = diff(&json!(["a"]), &json!(["a", "a"]));
    assert_eq!(repeated, [row("", ChangeKind::Added, None, Some("a"))]);
}

#[test]
fn object_lists_are_matched_by_their_key() {
    let before = json!({"members": [
        {"value": "4187", "display": "Ana Silva", "$ref": "Users/4187"},
        {"value": "7395", "display": "ci-deployer"}]});
    let after = json!({"members": [
        {"value": "7395", "display": "ci-deployer (renamed)"},
        {"value": "5298", "display": "Bo Chen"}]});
    assert_eq!(
        diff(&before, &after),
        [
            row(
                "members",
                ChangeKind::Removed,
                Some("Ana Silva (4187)"),
                None
            ),
            row(
                "members[value=7395].display",
                ChangeKind::Changed,
                Some("ci-deployer"),
                Some("ci-deployer (renamed)")
            ),
            row("members", ChangeKind::Added, None, Some("Bo Chen (5298)")),
        ]
    );
}

#[test]
fn grant_rules_are_matched_by_role_and_their_principals_diffed() {
    let before = json!({"grant_rules": [
        {"role": "roles/servicePrincipal.manager", "principals": ["users/ana@example.com"]},
        {"role": "roles/servicePrincipal.user", "principals": ["groups/data-eng"]}]});
    let after = json!({"grant_rules": [
        {"role": "roles/servicePrincipal.manager",
         "principals": ["users/ana@example.com", "servicePrincipals/5e0f"]}]});
    assert_eq!(
        diff(&before, &after),
        [
            row(
                "grant_rules[role=roles/servicePrincipal.manager].principals",
                ChangeKind::Added,
                None,
                Some("servicePrincipals/5e0f")
            ),
            row(
                "grant_rules",
                ChangeKind::Removed,
                Some(r#"{"role":"roles/servicePrincipal.user","principals":["groups/data-eng"]}"#),
                None
            ),
        ]
    );
}

#[test]
fn objects_without_an_identity_compare_whole() {
    let before = json!([{"kty": "RSA", "n": "a"}]);
    let after = json!([{"kty": "RSA", "n": "b"}]);
    assert_eq!(
        diff(&before, &after),
        [
            row(
                "",
                ChangeKind::Removed,
                Some(r#"{"kty":"RSA","n":"a"}"#),
                None
            ),
            row(
                "",
                ChangeKind::Added,
                None,
                Some(r#"{"kty":"RSA","n":"b"}"#)
            ),
        ]
    );
}

#[test]
fn secrets_are_masked_wherever_they_are() {
    let before = json!({"client_secret": "dose-old", "nested": {"password": "p1"}, "same_token": {"token": "t"}});
    let after = json!({"client_secret": "dose-new", "nested": {}, "same_token": {"token": "t"},
                       "members": [{"value": "1", "access_token": "at-1"}]});
    let changes = diff(&before, &after);
    assert_eq!(
        changes,
        [
            row(
                "client_secret",
                ChangeKind::Changed,
                Some("***"),
                Some("***")
            ),
            row("nested.password", ChangeKind::Removed, Some("***"), None),
            row(
                "members",
                ChangeKind::Added,
                None,
                Some(r#"{"value":"1","access_token":"***"}"#)
            ),
        ]
    );
    let text = format!("{changes:?}");
    for secret in ["dose-old", "dose-new", "p1", "at-1"] {
        assert!(!text.contains(secret), "{secret} leaked: {text}");
    }
}

#[test]
fn a_type_change_shows_both_values() {
    assert_eq!(
        diff(&json!({"x": {"a": 1}}), &json!({"x": "flat"})),
        [row(
            "x",
            ChangeKind::Changed,
            Some(r#"{"a":1}"#),
            Some("flat")
        )]
    );
}
