//! OAuth 2.0 / OIDC (reference §2.3, §3): metadata, U2M with PKCE, the consent page, refresh
//! with and without rotation, client credentials and RFC 8693 token exchange.

use std::collections::BTreeSet;

use dbx_console::mock::MockConfig;
use dbx_console::mock::oidc::jwt::{
    RsaSigningKey, SigningKey, decode_unverified, verify_with_jwks,
};
use dbx_console::mock::oidc::pkce::random_url_safe;
use reqwest::header;
use serde_json::{Map, Value, json};

use crate::support::*;

const IDP_RSA_KEY: &[u8] = include_bytes!(concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/tests/fixtures/idp-rsa-2048-test-only.pk8"
));
const IDP_ISSUER: &str = "https://idp.example.test";
const IDP_AUDIENCE: &str = "https://databricks.example.test";
const IDP_SUBJECT: &str = "repo:example-org/infra:ref:refs/heads/main";

fn auto_approve() -> MockConfig {
    MockConfig {
        auto_approve: true,
        ..MockConfig::default()
    }
}

fn claims_of(token: &str) -> Map<String, Value> {
    decode_unverified(token).expect("token is a JWT").claims
}

fn scope_set(text: &str) -> BTreeSet<String> {
    text.split_whitespace().map(str::to_owned).collect()
}

/// A successful token response (reference §3.4); returns the access token.
fn assert_token_response(reply: &Reply, expect_refresh: bool) -> String {
    assert_eq!(reply.status.as_u16(), 200, "body: {}", reply.text);
    assert_eq!(reply.header("cache-control"), Some("no-store"));
    let body = reply.object();
    assert_eq!(body["token_type"], json!("Bearer"));
    assert!(
        body["expires_in"].as_i64().is_some_and(|s| s > 0),
        "expires_in in {body:?}"
    );
    assert!(body["scope"].is_string());
    assert_eq!(
        body.contains_key("refresh_token"),
        expect_refresh,
        "refresh_token in {body:?}"
    );
    let access = body["access_token"]
        .as_str()
        .expect("access_token")
        .to_owned();
    assert_eq!(access.split('.').count(), 3, "access tokens are JWTs");
    access
}

fn refresh_of(reply: &Reply) -> String {
    reply.json["refresh_token"]
        .as_str()
        .expect("refresh_token")
        .to_owned()
}

async fn refresh(fake: &Fake, client_id: &str, refresh_token: &str) -> Reply {
    fake.token(&[
        ("grant_type", "refresh_token"),
        ("refresh_token", refresh_token),
        ("client_id", client_id),
    ])
    .await
}

#[tokio::test]
async fn host_metadata_points_at_the_account_oidc_root() {
    let fake = Fake::demo().await;
    let reply = fake
        .send(fake.http.get(fake.url("/.well-known/databricks-config")))
        .await
        .expect(200);
    let body = reply.object();
    assert_eq!(
        body["oidc_endpoint"],
        json!(format!("{}/oidc/accounts/{{account_id}}", fake.server.host))
    );
    assert_eq!(body["account_id"], json!(fake.server.account_id));
    assert!(
        !body.contains_key("workspace_id"),
        "account hosts have no workspace_id"
    );
    assert!(
        body["cloud"]
            .as_str()
            .is_some_and(|c| ["AWS", "AZURE", "GCP"].contains(&c.to_uppercase().as_str()))
    );

    // The client's substitution (§2.3) leads to the discovery document.
    let root = body["oidc_endpoint"]
        .as_str()
        .unwrap()
        .replace("{account_id}", &fake.server.account_id);
    let discovery = format!(
        "{}/.well-known/oauth-authorization-server",
        root.trim_end_matches('/')
    );
    fake.send(fake.http.get(discovery)).await.expect(200);
    fake.stop().await;
}

#[tokio::test]
async fn discovery_document_and_jwks_describe_the_server() {
    let fake = Fake::demo().await;
    let root = fake.oidc("");
    for path in [
        "/.well-known/oauth-authorization-server",
        "/.well-known/openid-configuration",
    ] {
        let reply = fake.send(fake.http.get(fake.oidc(path))).await.expect(200);
        let body = reply.object();
        assert_eq!(body["issuer"], json!(root));
        assert_eq!(
            body["authorization_endpoint"],
            json!(format!("{root}/v1/authorize"))
        );
        assert_eq!(body["token_endpoint"], json!(format!("{root}/v1/token")));
        assert_eq!(body["jwks_uri"], json!(format!("{root}/v1/keys")));
        assert_eq!(body["response_types_supported"], json!(["code"]));
        assert_eq!(body["code_challenge_methods_supported"], json!(["S256"]));
        let grants: BTreeSet<String> = strings(&body["grant_types_supported"])
            .into_iter()
            .collect();
        for grant in [
            "authorization_code",
            "refresh_token",
            "client_credentials",
            TOKEN_EXCHANGE,
        ] {
            assert!(grants.contains(grant), "{grant} missing from {grants:?}");
        }
        let methods = strings(&body["token_endpoint_auth_methods_supported"]);
        for method in ["client_secret_basic", "client_secret_post", "none"] {
            assert!(methods.iter().any(|m| m == method), "{method} missing");
        }
    }

    // The admin token is a JWT signed by a key of the published JWKS.
    let jwks = fake
        .send(fake.http.get(fake.oidc("/v1/keys")))
        .await
        .expect(200)
        .json;
    let claims = verify_with_jwks(&fake.server.admin_token, &jwks).expect("admin token verifies");
    assert_eq!(claims["iss"], json!(root));
    assert_eq!(claims["sub"], json!(DEMO_ADMIN));

    // Another account id has no metadata.
    let other = format!(
        "{}/oidc/accounts/00000000-0000-0000-0000-000000000000/.well-known/oauth-authorization-server",
        fake.server.host
    );
    let reply = fake.send(fake.http.get(other)).await;
    assert_standard_error(&reply, 404, "RESOURCE_DOES_NOT_EXIST");
    fake.stop().await;
}

#[tokio::test]
async fn u2m_with_auto_approve_issues_working_tokens() {
    let fake = Fake::start(auto_approve()).await;
    let (verifier, challenge) = pkce_pair();
    let state = random_url_safe(16);
    let params = authorize_params(
        CLI_CLIENT,
        CLI_REDIRECT,
        "offline_access all-apis",
        &state,
        &challenge,
    );
    let reply = fake.authorize(&as_pairs(&params)).await.expect(302);
    let location = reply.header("location").unwrap().to_owned();
    assert!(
        location.starts_with(&format!("{CLI_REDIRECT}?")),
        "{location}"
    );
    let callback = reply.location_params();
    assert_eq!(callback.get("state"), Some(&state));
    assert!(!callback.contains_key("error"), "{callback:?}");
    let code = callback["code"].clone();

    let reply = fake
        .exchange_code(CLI_CLIENT, CLI_REDIRECT, &code, &verifier)
        .await;
    let access = assert_token_response(&reply, true);
    assert_eq!(reply.json["expires_in"], json!(3600));
    assert_eq!(
        scope_set(reply.json["scope"].as_str().unwrap()),
        scope_set("all-apis offline_access")
    );
    assert!(refresh_of(&reply).starts_with("doau"));

    let jwks = fake
        .send(fake.http.get(fake.oidc("/v1/keys")))
        .await
        .expect(200)
        .json;
    let claims = verify_with_jwks(&access, &jwks).expect("access token verifies");
    assert_eq!(
        claims["sub"],
        json!(DEMO_ADMIN),
        "auto-approve signs in as the first admin"
    );
    assert_eq!(
        scope_set(claims["scope"].as_str().unwrap()),
        scope_set("all-apis offline_access")
    );

    let filter = query(&[("filter", &format!("userName eq \"{DEMO_ADMIN}\""))]);
    let me = fake
        .get_as(&access, &format!("{}?{filter}", fake.scim("/Users")))
        .await
        .expect(200);
    assert_eq!(resources(&me).len(), 1);
    fake.stop().await;
}

#[tokio::test]
async fn consent_page_lets_the_user_pick_an_identity_or_deny() {
    let fake = Fake::demo().await;
    let (verifier, challenge) = pkce_pair();
    let state = random_url_safe(16);
    let params = authorize_params(
        CLI_CLIENT,
        CLI_REDIRECT,
        "all-apis offline_access",
        &state,
        &challenge,
    );
    let page = fake.authorize(&as_pairs(&params)).await.expect(200);
    assert!(
        page.header("content-type")
            .is_some_and(|c| c.starts_with("text/html"))
    );
    assert!(
        page.text.contains("<select id=\"user\" name=\"user\">"),
        "user picker"
    );
    assert!(
        page.text
            .contains(&format!("<option value=\"{DEMO_ADMIN}\" selected>")),
        "admin preselected"
    );
    assert!(
        page.text
            .contains(&format!("<option value=\"{DEMO_NON_ADMIN}\">"))
    );
    assert!(
        !page.text.contains("adaeze.obi@northwind.example"),
        "deactivated users are not offered"
    );
    for (key, value) in &params {
        let hidden = format!("<input type=\"hidden\" name=\"{key}\" value=\"{value}\">");
        assert!(page.text.contains(&hidden), "missing {hidden}");
    }
    assert!(page.text.contains(&format!(
        "action=\"/oidc/accounts/{}/v1/authorize\"",
        fake.server.account_id
    )));

    // Allow as another admin.
    let mut pairs = as_pairs(&params);
    pairs.extend([("decision", "allow"), ("user", DEMO_OTHER_ADMIN)]);
    let reply = fake.consent(&pairs).await.expect(302);
    let callback = reply.location_params();
    assert_eq!(callback.get("state"), Some(&state));
    let token = fake
        .exchange_code(CLI_CLIENT, CLI_REDIRECT, &callback["code"], &verifier)
        .await;
    let access = assert_token_response(&token, true);
    assert_eq!(claims_of(&access)["sub"], json!(DEMO_OTHER_ADMIN));
    fake.probe(&access).await.expect(200);

    // Allow as a non-admin: sign-in works, the account API refuses.
    let (code, non_admin_verifier) = fake
        .sign_in(CLI_CLIENT, CLI_REDIRECT, "all-apis", Some(DEMO_NON_ADMIN))
        .await;
    let token = fake
        .exchange_code(CLI_CLIENT, CLI_REDIRECT, &code, &non_admin_verifier)
        .await;
    let access = assert_token_response(&token, false);
    assert_eq!(claims_of(&access)["sub"], json!(DEMO_NON_ADMIN));
    assert_standard_error(&fake.probe(&access).await, 403, "PERMISSION_DENIED");

    // A typed user name wins over the picker; unknown or deactivated users get a page.
    let mut pairs = as_pairs(&params);
    pairs.extend([
        ("decision", "allow"),
        ("user", DEMO_ADMIN),
        ("user_name", DEMO_OTHER_ADMIN),
    ]);
    let reply = fake.consent(&pairs).await.expect(302);
    let token = fake
        .exchange_code(
            CLI_CLIENT,
            CLI_REDIRECT,
            &reply.location_params()["code"],
            &verifier,
        )
        .await;
    assert_eq!(
        claims_of(&assert_token_response(&token, true))["sub"],
        json!(DEMO_OTHER_ADMIN)
    );
    for typed in ["nobody@northwind.example", "adaeze.obi@northwind.example"] {
        let mut pairs = as_pairs(&params);
        pairs.extend([("decision", "allow"), ("user_name", typed)]);
        let reply = fake.consent(&pairs).await.expect(400);
        assert!(reply.header("location").is_none());
        assert!(reply.text.contains(typed), "the page names {typed}");
    }

    // Deny.
    let mut pairs = as_pairs(&params);
    pairs.extend([("decision", "deny"), ("user", DEMO_ADMIN)]);
    let reply = fake.consent(&pairs).await.expect(302);
    assert!(
        reply
            .header("location")
            .unwrap()
            .starts_with(&format!("{CLI_REDIRECT}?"))
    );
    let callback = reply.location_params();
    assert_eq!(
        callback.get("error").map(String::as_str),
        Some("access_denied")
    );
    assert!(
        callback
            .get("error_description")
            .is_some_and(|d| !d.is_empty())
    );
    assert_eq!(callback.get("state"), Some(&state));
    assert!(!callback.contains_key("code"));
    fake.stop().await;
}

#[tokio::test]
async fn code_exchange_rejects_a_wrong_verifier_redirect_or_reuse() {
    let fake = Fake::start(auto_approve()).await;
    let scope = "all-apis offline_access";

    let (code, _) = fake.sign_in(CLI_CLIENT, CLI_REDIRECT, scope, None).await;
    let (other_verifier, _) = pkce_pair();
    let reply = fake
        .exchange_code(CLI_CLIENT, CLI_REDIRECT, &code, &other_verifier)
        .await;
    let description = assert_oauth_error(&reply, 400, "invalid_grant");
    assert!(description.contains("code_verifier"), "{description}");

    let (code, verifier) = fake.sign_in(CLI_CLIENT, CLI_REDIRECT, scope, None).await;
    let reply = fake
        .exchange_code(CLI_CLIENT, "http://localhost:8021", &code, &verifier)
        .await;
    let description = assert_oauth_error(&reply, 400, "invalid_grant");
    assert!(description.contains("redirect_uri"), "{description}");

    let (code, verifier) = fake.sign_in(CLI_CLIENT, CLI_REDIRECT, scope, None).await;
    let first = fake
        .exchange_code(CLI_CLIENT, CLI_REDIRECT, &code, &verifier)
        .await;
    assert_token_response(&first, true);
    let again = fake
        .exchange_code(CLI_CLIENT, CLI_REDIRECT, &code, &verifier)
        .await;
    assert_oauth_error(&again, 400, "invalid_grant");

    let reply = fake
        .exchange_code(CLI_CLIENT, CLI_REDIRECT, "dcod-never-issued", &verifier)
        .await;
    assert_oauth_error(&reply, 400, "invalid_grant");
    fake.stop().await;
}

#[tokio::test]
async fn authorize_refuses_unknown_clients_and_unregistered_redirects_with_a_page() {
    let fake = Fake::start(auto_approve()).await;
    let (_, challenge) = pkce_pair();
    for (client, redirect) in [
        ("no-such-client", CLI_REDIRECT),
        (CLI_CLIENT, "https://evil.example/cb"),
        (CLI_CLIENT, "http://localhost:8020/other"),
    ] {
        let params = authorize_params(client, redirect, "all-apis", "s", &challenge);
        let reply = fake.authorize(&as_pairs(&params)).await.expect(400);
        assert!(
            reply.header("location").is_none(),
            "must not redirect to {redirect}"
        );
        assert!(
            reply
                .header("content-type")
                .is_some_and(|c| c.starts_with("text/html"))
        );
        assert!(reply.text.contains("Sign-in error"), "{}", reply.text);
    }
    fake.stop().await;
}

#[tokio::test]
async fn authorize_without_code_challenge_redirects_with_invalid_request() {
    let fake = Fake::start(auto_approve()).await;
    let pairs = [
        ("response_type", "code"),
        ("client_id", CLI_CLIENT),
        ("redirect_uri", CLI_REDIRECT),
        ("scope", "all-apis"),
        ("state", "st4te"),
    ];
    let reply = fake.authorize(&pairs).await.expect(302);
    let callback = reply.location_params();
    assert_eq!(
        callback.get("error").map(String::as_str),
        Some("invalid_request")
    );
    assert!(
        callback
            .get("error_description")
            .is_some_and(|d| d.contains("code_challenge"))
    );
    assert_eq!(callback.get("state").map(String::as_str), Some("st4te"));
    assert!(!callback.contains_key("code"));
    fake.stop().await;
}

#[tokio::test]
async fn an_invalid_refresh_token_is_invalid_grant_with_the_cli_text() {
    let fake = Fake::demo().await;
    let reply = refresh(&fake, CLI_CLIENT, "doau-not-a-real-refresh-token").await;
    assert_eq!(reply.status.as_u16(), 400);
    assert_eq!(
        reply.json,
        json!({"error": "invalid_grant", "error_description": "Refresh token is invalid"})
    );
    fake.stop().await;
}

#[tokio::test]
async fn single_use_refresh_tokens_rotate_and_the_old_one_dies() {
    let fake = Fake::start(auto_approve()).await;
    let redirect = "http://localhost:7777/cb";
    let app = json!({
        "name": "rotating-app",
        "confidential": false,
        "redirect_urls": [redirect],
        "scopes": ["all-apis", "offline_access"],
        "token_access_policy": {"enable_single_use_refresh_tokens": true},
    });
    let created = fake
        .post(&fake.api("/oauth2/custom-app-integrations"), &app)
        .await
        .expect(200);
    assert!(
        !created.object().contains_key("client_secret"),
        "public apps have no secret"
    );
    let client_id = created.json["client_id"].as_str().unwrap().to_owned();

    let (code, verifier) = fake
        .sign_in(&client_id, redirect, "all-apis offline_access", None)
        .await;
    let reply = fake
        .exchange_code(&client_id, redirect, &code, &verifier)
        .await;
    assert_token_response(&reply, true);
    let first = refresh_of(&reply);

    let rotated = refresh(&fake, &client_id, &first).await;
    let access = assert_token_response(&rotated, true);
    let second = refresh_of(&rotated);
    assert_ne!(second, first, "rotation hands out a new refresh token");
    fake.probe(&access).await.expect(200);

    let replay = refresh(&fake, &client_id, &first).await;
    assert_eq!(
        replay.json,
        json!({"error": "invalid_grant", "error_description": "Refresh token is invalid"})
    );
    assert_eq!(replay.status.as_u16(), 400);

    let next = refresh(&fake, &client_id, &second).await;
    assert_token_response(&next, true);
    assert_ne!(refresh_of(&next), second);
    fake.stop().await;
}

#[tokio::test]
async fn refresh_without_rotation_keeps_working() {
    let fake = Fake::start(auto_approve()).await;
    let (code, verifier) = fake
        .sign_in(CLI_CLIENT, CLI_REDIRECT, "all-apis offline_access", None)
        .await;
    let reply = fake
        .exchange_code(CLI_CLIENT, CLI_REDIRECT, &code, &verifier)
        .await;
    let original_access = assert_token_response(&reply, true);
    let refresh_token = refresh_of(&reply);

    for _ in 0..2 {
        let refreshed = refresh(&fake, CLI_CLIENT, &refresh_token).await;
        let access = assert_token_response(&refreshed, true);
        assert_ne!(access, original_access);
        assert_eq!(
            refresh_of(&refreshed),
            refresh_token,
            "databricks-cli does not rotate"
        );
        fake.probe(&access).await.expect(200);
    }
    fake.stop().await;
}

#[tokio::test]
async fn client_credentials_accept_basic_and_post_and_refuse_a_wrong_secret() {
    let fake = Fake::demo().await;
    let (sp_id, application_id) = fake.create_service_principal("m2m-test", true).await;
    let created = fake.create_secret(&sp_id, &json!({})).await.expect(200);
    let secret = created.json["secret"].as_str().unwrap().to_owned();
    let grant = [("grant_type", "client_credentials"), ("scope", "all-apis")];

    let reply = fake
        .token_with(&grant, Some(&basic(&application_id, &secret)))
        .await;
    let access = assert_token_response(&reply, false);
    assert_eq!(reply.json["scope"], json!("all-apis"));
    assert_eq!(claims_of(&access)["sub"], json!(application_id));
    fake.probe(&access).await.expect(200);

    let mut posted = grant.to_vec();
    posted.extend([
        ("client_id", application_id.as_str()),
        ("client_secret", secret.as_str()),
    ]);
    let reply = fake.token(&posted).await;
    let access = assert_token_response(&reply, false);
    fake.probe(&access).await.expect(200);

    let offline = [
        ("grant_type", "client_credentials"),
        ("scope", "all-apis offline_access"),
    ];
    let reply = fake
        .token_with(&offline, Some(&basic(&application_id, &secret)))
        .await;
    assert_token_response(&reply, false);

    let reply = fake
        .token_with(&grant, Some(&basic(&application_id, "dosewrong")))
        .await;
    assert_oauth_error(&reply, 401, "invalid_client");
    let mut wrong = grant.to_vec();
    wrong.extend([
        ("client_id", application_id.as_str()),
        ("client_secret", "dosewrong"),
    ]);
    assert_oauth_error(&fake.token(&wrong).await, 401, "invalid_client");
    let reply = fake
        .token_with(
            &grant,
            Some(&basic("00000000-0000-0000-0000-000000000000", &secret)),
        )
        .await;
    assert_oauth_error(&reply, 401, "invalid_client");

    // Deleting the service principal ends its tokens and its secrets.
    let issued = fake
        .token_with(&grant, Some(&basic(&application_id, &secret)))
        .await;
    let access = assert_token_response(&issued, false);
    fake.delete(&fake.scim(&format!("/ServicePrincipals/{sp_id}")))
        .await
        .expect(204);
    assert_standard_error(&fake.probe(&access).await, 401, "UNAUTHENTICATED");
    let reply = fake
        .token_with(&grant, Some(&basic(&application_id, &secret)))
        .await;
    assert_oauth_error(&reply, 401, "invalid_client");
    fake.stop().await;
}

#[tokio::test]
async fn a_secret_bound_to_scopes_cannot_mint_other_scopes() {
    let fake = Fake::demo().await;
    let (sp_id, application_id) = fake.create_service_principal("sql-only-sp", true).await;
    let created = fake
        .create_secret(&sp_id, &json!({"scopes": ["sql"]}))
        .await
        .expect(200);
    assert_eq!(created.json["scopes"], json!(["sql"]));
    let secret = created.json["secret"].as_str().unwrap().to_owned();
    let auth = basic(&application_id, &secret);
    let sql = [("grant_type", "client_credentials"), ("scope", "sql")];
    let reply = fake.token_with(&sql, Some(&auth)).await;
    assert_token_response(&reply, false);
    assert_eq!(reply.json["scope"], json!("sql"));
    let all = [("grant_type", "client_credentials"), ("scope", "all-apis")];
    let reply = fake.token_with(&all, Some(&auth)).await;
    assert_oauth_error(&reply, 400, "invalid_scope");
    fake.stop().await;
}

fn idp_claims(subject: &str, audience: &str, expires_in: i64) -> Map<String, Value> {
    let now = now_epoch();
    object(json!({
        "iss": IDP_ISSUER,
        "sub": subject,
        "aud": audience,
        "iat": now - 10,
        "exp": now + expires_in,
    }))
}

async fn exchange(fake: &Fake, subject_token: &str, client_id: Option<&str>) -> Reply {
    let mut pairs = vec![
        ("grant_type", TOKEN_EXCHANGE),
        ("subject_token", subject_token),
        ("subject_token_type", JWT_TOKEN_TYPE),
        ("scope", "all-apis"),
    ];
    if let Some(client_id) = client_id {
        pairs.push(("client_id", client_id));
    }
    fake.token(&pairs).await
}

async fn sp_with_policy(fake: &Fake, jwks: &Value) -> String {
    let (sp_id, application_id) = fake.create_service_principal("federated-sp", true).await;
    let policy = json!({
        "description": "test IdP",
        "oidc_policy": {
            "issuer": IDP_ISSUER,
            "audiences": [IDP_AUDIENCE],
            "subject": IDP_SUBJECT,
            "jwks_json": jwks.to_string(),
        }
    });
    let url = fake.api(&format!(
        "/servicePrincipals/{sp_id}/federationPolicies?policy_id=test-idp"
    ));
    let created = fake.post(&url, &policy).await.expect(200);
    assert_eq!(
        created.json["service_principal_id"],
        json!(sp_id.parse::<i64>().unwrap())
    );
    application_id
}

#[tokio::test]
async fn token_exchange_with_a_service_principal_policy() {
    let fake = Fake::demo().await;
    let idp = SigningKey::generate();
    let application_id = sp_with_policy(&fake, &idp.jwks()).await;

    let good = idp.sign_with_header("JWT", &idp_claims(IDP_SUBJECT, IDP_AUDIENCE, 600));
    let reply = exchange(&fake, &good, Some(&application_id)).await;
    let access = assert_token_response(&reply, false);
    assert!(
        reply.json["expires_in"].as_i64().is_some_and(|s| s <= 600),
        "lifetime follows the IdP token"
    );
    assert_eq!(claims_of(&access)["sub"], json!(application_id));
    fake.probe(&access).await.expect(200);

    let wrong_subject = idp.sign_with_header(
        "JWT",
        &idp_claims("repo:attacker/infra:ref:refs/heads/main", IDP_AUDIENCE, 600),
    );
    let description = assert_oauth_error(
        &exchange(&fake, &wrong_subject, Some(&application_id)).await,
        400,
        "invalid_grant",
    );
    assert!(description.contains("subject"), "{description}");

    let wrong_audience = idp.sign_with_header(
        "JWT",
        &idp_claims(IDP_SUBJECT, "https://elsewhere.example", 600),
    );
    let description = assert_oauth_error(
        &exchange(&fake, &wrong_audience, Some(&application_id)).await,
        400,
        "invalid_grant",
    );
    assert!(description.contains("audience"), "{description}");

    let mut parts: Vec<String> = good.split('.').map(str::to_owned).collect();
    let forged = idp_claims("repo:attacker/infra:ref:refs/heads/main", IDP_AUDIENCE, 600);
    parts[1] = base64_url(&Value::Object(forged).to_string());
    let tampered = parts.join(".");
    let description = assert_oauth_error(
        &exchange(&fake, &tampered, Some(&application_id)).await,
        400,
        "invalid_grant",
    );
    assert!(description.contains("signature"), "{description}");

    let impostor =
        SigningKey::generate().sign_with_header("JWT", &idp_claims(IDP_SUBJECT, IDP_AUDIENCE, 600));
    assert_oauth_error(
        &exchange(&fake, &impostor, Some(&application_id)).await,
        400,
        "invalid_grant",
    );

    let mut expired = idp_claims(IDP_SUBJECT, IDP_AUDIENCE, -3600);
    expired.insert("iat".into(), json!(now_epoch() - 7200));
    let expired = idp.sign_with_header("JWT", &expired);
    let description = assert_oauth_error(
        &exchange(&fake, &expired, Some(&application_id)).await,
        400,
        "invalid_grant",
    );
    assert!(description.contains("expired"), "{description}");
    fake.stop().await;
}

fn base64_url(text: &str) -> String {
    use base64::Engine as _;
    base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(text)
}

#[tokio::test]
async fn token_exchange_with_an_account_policy_maps_the_email_claim_to_a_user() {
    let fake = Fake::demo().await;
    let idp = SigningKey::generate();
    let policy = json!({
        "oidc_policy": {
            "issuer": IDP_ISSUER,
            "audiences": [fake.server.account_id],
            "subject_claim": "email",
            "jwks_json": idp.jwks().to_string(),
        }
    });
    let created = fake
        .post(
            &format!("{}?policy_id=test-idp", fake.api("/federationPolicies")),
            &policy,
        )
        .await
        .expect(200);
    assert!(!created.object().contains_key("service_principal_id"));

    let mut claims = idp_claims("00u-okta-opaque-id", &fake.server.account_id, 600);
    claims.insert("email".into(), json!(DEMO_OTHER_ADMIN));
    let reply = exchange(&fake, &idp.sign_with_header("JWT", &claims), None).await;
    let access = assert_token_response(&reply, false);
    assert_eq!(claims_of(&access)["sub"], json!(DEMO_OTHER_ADMIN));
    fake.probe(&access).await.expect(200);

    claims.insert("email".into(), json!("nobody@northwind.example"));
    let reply = exchange(&fake, &idp.sign_with_header("JWT", &claims), None).await;
    assert_oauth_error(&reply, 400, "invalid_grant");
    fake.stop().await;
}

#[tokio::test]
async fn token_exchange_accepts_rs256_tokens() {
    let fake = Fake::demo().await;
    let idp = RsaSigningKey::from_pkcs8_der(IDP_RSA_KEY).expect("fixture key parses");
    let application_id = sp_with_policy(&fake, &idp.jwks()).await;
    let token = idp.sign(&idp_claims(IDP_SUBJECT, IDP_AUDIENCE, 600));
    assert_eq!(
        decode_unverified(&token).unwrap().header["alg"],
        json!("RS256")
    );
    let reply = exchange(&fake, &token, Some(&application_id)).await;
    let access = assert_token_response(&reply, false);
    fake.probe(&access).await.expect(200);

    let expired = idp.sign(&idp_claims(IDP_SUBJECT, IDP_AUDIENCE, -3600));
    assert_oauth_error(
        &exchange(&fake, &expired, Some(&application_id)).await,
        400,
        "invalid_grant",
    );
    fake.stop().await;
}

#[tokio::test]
async fn token_endpoint_rejects_unknown_grants_and_bad_forms() {
    let fake = Fake::demo().await;
    let exchange = [
        ("grant_type", TOKEN_EXCHANGE),
        ("subject_token", "a.b.c"),
        (
            "subject_token_type",
            "urn:ietf:params:oauth:token-type:access_token",
        ),
    ];
    assert_oauth_error(&fake.token(&exchange).await, 400, "invalid_request");
    let not_a_jwt = [
        ("grant_type", TOKEN_EXCHANGE),
        ("subject_token", "not-a-jwt"),
        ("subject_token_type", JWT_TOKEN_TYPE),
    ];
    assert_oauth_error(&fake.token(&not_a_jwt).await, 400, "invalid_grant");
    let reply = fake
        .token(&[
            ("grant_type", "password"),
            ("username", "a"),
            ("password", "b"),
        ])
        .await;
    assert_oauth_error(&reply, 400, "unsupported_grant_type");
    assert_oauth_error(
        &fake.token(&[("scope", "all-apis")]).await,
        400,
        "invalid_request",
    );
    let raw = fake
        .http
        .post(fake.oidc("/v1/token"))
        .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
        .body(vec![b'g', 0xff, 0xfe, b'=', b'1']);
    assert_oauth_error(&fake.send(raw).await, 400, "invalid_request");
    fake.stop().await;
}

#[tokio::test]
async fn openid_scope_adds_an_id_token_for_the_client() {
    let fake = Fake::start(auto_approve()).await;
    let (code, verifier) = fake
        .sign_in(CLI_CLIENT, CLI_REDIRECT, "openid all-apis", None)
        .await;
    let reply = fake
        .exchange_code(CLI_CLIENT, CLI_REDIRECT, &code, &verifier)
        .await;
    assert_token_response(&reply, false);
    let id_token = reply.json["id_token"]
        .as_str()
        .expect("id_token with openid");
    let claims = claims_of(id_token);
    assert_eq!(claims["aud"], json!(CLI_CLIENT));
    assert_eq!(claims["sub"], json!(DEMO_ADMIN));

    let (code, verifier) = fake
        .sign_in(CLI_CLIENT, CLI_REDIRECT, "all-apis", None)
        .await;
    let reply = fake
        .exchange_code(CLI_CLIENT, CLI_REDIRECT, &code, &verifier)
        .await;
    assert_token_response(&reply, false);
    assert!(
        reply.json.get("id_token").is_none(),
        "no id_token without openid"
    );
    fake.stop().await;
}

#[tokio::test]
async fn loopback_redirects_match_any_port_and_scopes_are_checked() {
    let fake = Fake::start(auto_approve()).await;
    let (code, verifier) = fake
        .sign_in(CLI_CLIENT, "http://localhost:8031", "all-apis", None)
        .await;
    let reply = fake
        .exchange_code(CLI_CLIENT, "http://localhost:8031", &code, &verifier)
        .await;
    assert_token_response(&reply, false);

    let app = json!({"name": "sql-only", "redirect_urls": ["http://localhost:7777/cb"], "scopes": ["sql", "offline_access"]});
    let created = fake
        .post(&fake.api("/oauth2/custom-app-integrations"), &app)
        .await
        .expect(200);
    let client_id = created.json["client_id"].as_str().unwrap().to_owned();
    let (_, challenge) = pkce_pair();
    let params = authorize_params(
        &client_id,
        "http://localhost:7777/cb",
        "all-apis",
        "st",
        &challenge,
    );
    let reply = fake.authorize(&as_pairs(&params)).await.expect(302);
    let callback = reply.location_params();
    assert_eq!(
        callback.get("error").map(String::as_str),
        Some("invalid_scope")
    );
    assert_eq!(callback.get("state").map(String::as_str), Some("st"));
    assert!(!callback.contains_key("code"));
    fake.stop().await;
}

#[tokio::test]
async fn a_confidential_custom_app_must_present_its_secret() {
    let fake = Fake::start(auto_approve()).await;
    let redirect = "https://app.example/cb";
    let app = json!({"name": "confidential-web", "confidential": true, "redirect_urls": [redirect], "scopes": ["all-apis", "offline_access"]});
    let created = fake
        .post(&fake.api("/oauth2/custom-app-integrations"), &app)
        .await
        .expect(200);
    let client_id = created.json["client_id"].as_str().unwrap().to_owned();
    let secret = created.json["client_secret"].as_str().unwrap().to_owned();

    let (code, verifier) = fake
        .sign_in(&client_id, redirect, "all-apis offline_access", None)
        .await;
    let reply = fake
        .exchange_code(&client_id, redirect, &code, &verifier)
        .await;
    assert_oauth_error(&reply, 401, "invalid_client");

    let (code, verifier) = fake
        .sign_in(&client_id, redirect, "all-apis offline_access", None)
        .await;
    let exchange = [
        ("grant_type", "authorization_code"),
        ("code", code.as_str()),
        ("redirect_uri", redirect),
        ("code_verifier", verifier.as_str()),
    ];
    let reply = fake
        .token_with(&exchange, Some(&basic(&client_id, "dosewrong")))
        .await;
    assert_oauth_error(&reply, 401, "invalid_client");

    let (code, verifier) = fake
        .sign_in(&client_id, redirect, "all-apis offline_access", None)
        .await;
    let exchange = [
        ("grant_type", "authorization_code"),
        ("code", code.as_str()),
        ("redirect_uri", redirect),
        ("code_verifier", verifier.as_str()),
        ("client_id", client_id.as_str()),
        ("client_secret", secret.as_str()),
    ];
    let reply = fake.token(&exchange).await;
    assert_token_response(&reply, true);
    let refresh_token = refresh_of(&reply);

    let without_secret = refresh(&fake, &client_id, &refresh_token).await;
    assert_oauth_error(&without_secret, 401, "invalid_client");
    let grant = [
        ("grant_type", "refresh_token"),
        ("refresh_token", refresh_token.as_str()),
    ];
    let reply = fake
        .token_with(&grant, Some(&basic(&client_id, &secret)))
        .await;
    let access = assert_token_response(&reply, true);
    fake.probe(&access).await.expect(200);
    fake.stop().await;
}
