//! Hostile and malformed requests: every one gets the right 4xx in the right shape, and the
//! server keeps answering normal requests afterwards.

use reqwest::{Method, header};
use serde_json::json;

use crate::support::*;

const CUSTOM_APPS: &str = "/oauth2/custom-app-integrations";
const TWO_MIB: usize = 2 * 1024 * 1024;

/// A normal request still works and nothing half-created is left behind.
async fn assert_alive(fake: &Fake, users_before: usize) {
    let reply = fake.get(&fake.api("/workspaces")).await.expect(200);
    assert_eq!(reply.json.as_array().map(Vec::len), Some(6));
    let filter = query(&[("filter", &format!("userName eq \"{DEMO_ADMIN}\""))]);
    let me = fake
        .get(&format!("{}?{filter}", fake.scim("/Users")))
        .await
        .expect(200);
    assert_eq!(resources(&me).len(), 1);
    assert_eq!(
        fake.user_count(),
        users_before,
        "no user was created by a rejected request"
    );
}

/// A SCIM error whose scimType is one of `allowed`.
fn assert_scim_error_typed(reply: &Reply, status: u16, allowed: &[&str]) -> String {
    let scim_type = reply.json["scimType"]
        .as_str()
        .unwrap_or_else(|| panic!("no scimType in {}", reply.text))
        .to_owned();
    assert!(
        allowed.contains(&scim_type.as_str()),
        "scimType {scim_type} not in {allowed:?}"
    );
    assert_scim_error(reply, status, Some(&scim_type))
}

#[tokio::test]
async fn malformed_json_is_a_400_in_each_shape() {
    let fake = Fake::demo().await;
    let before = fake.user_count();
    for body in [
        &b"{\"name\": "[..],
        b"{name: 1}",
        b"nul",
        b"{\"name\": \"x\",}",
        b"{\"name\" \"x\"}",
    ] {
        let reply = fake
            .raw(Method::POST, &fake.api(CUSTOM_APPS), body.to_vec())
            .await;
        let message = assert_standard_error(&reply, 400, "MALFORMED_REQUEST");
        assert!(message.contains("JSON"), "{message}");
        let reply = fake
            .raw(Method::POST, &fake.scim("/Users"), body.to_vec())
            .await;
        assert_scim_error(&reply, 400, Some("invalidSyntax"));
        let reply = fake
            .raw(
                Method::PUT,
                &fake.preview("/access-control/rule-sets"),
                body.to_vec(),
            )
            .await;
        assert_standard_error(&reply, 400, "MALFORMED_REQUEST");
    }
    let reply = fake
        .raw(
            Method::PATCH,
            &fake.scim(&format!("/Users/{}", fake.scim_id(DEMO_ADMIN))),
            b"{\"schemas\":".to_vec(),
        )
        .await;
    assert_scim_error(&reply, 400, Some("invalidSyntax"));
    assert_alive(&fake, before).await;
    fake.stop().await;
}

#[tokio::test]
async fn a_syntactically_invalid_body_is_always_malformed() {
    let fake = Fake::demo().await;
    let cases = [
        (Method::POST, fake.api(CUSTOM_APPS), &b"[1, 2"[..]),
        (
            Method::POST,
            fake.api(CUSTOM_APPS),
            b"{\"confidential\": \"yes\"",
        ),
        (
            Method::PUT,
            fake.preview("/access-control/rule-sets"),
            b"{\"a\":1}}",
        ),
    ];
    for (method, url, body) in cases {
        let reply = fake.raw(method, &url, body.to_vec()).await;
        assert_standard_error(&reply, 400, "MALFORMED_REQUEST");
    }
    fake.stop().await;
}

#[tokio::test]
async fn wrong_types_are_invalid_values() {
    let fake = Fake::demo().await;
    let before = fake.user_count();
    let apps_before = fake.server.shared().read().custom_apps.len();
    for body in [
        json!({"name": "typed", "confidential": "yes"}),
        json!({"name": 7}),
        json!({"redirect_urls": "http://localhost:7777/cb"}),
        json!({"token_access_policy": {"access_token_ttl_in_minutes": "sixty"}}),
    ] {
        let reply = fake.post(&fake.api(CUSTOM_APPS), &body).await;
        assert_standard_error(&reply, 400, "INVALID_PARAMETER_VALUE");
    }
    assert_eq!(fake.server.shared().read().custom_apps.len(), apps_before);

    let reply = fake
        .post(
            &fake.scim("/Users"),
            &json!({"schemas": [USER_URN], "userName": "typed@example.com", "active": "no"}),
        )
        .await;
    let detail = assert_scim_error(&reply, 400, Some("invalidValue"));
    assert!(detail.contains("active"), "{detail}");
    let reply = fake
        .post(
            &fake.scim("/Users"),
            &json!({"schemas": [USER_URN], "userName": 42}),
        )
        .await;
    assert_scim_error(&reply, 400, Some("invalidValue"));
    let admin_url = fake.scim(&format!("/Users/{}", fake.scim_id(DEMO_ADMIN)));
    let patch = json!({"schemas": [PATCH_OP_URN], "Operations": [{"op": "replace", "path": "active", "value": "no"}]});
    assert_scim_error(
        &fake.patch(&admin_url, &patch).await,
        400,
        Some("invalidValue"),
    );
    assert_eq!(
        fake.get(&admin_url).await.expect(200).json["active"],
        json!(true)
    );

    let url = fake.api(&format!(
        "/workspaces/{ANALYTICS_DEV}/permissionassignments/principals/{}",
        fake.scim_id(DEMO_NON_ADMIN)
    ));
    assert_standard_error(
        &fake.put(&url, &json!({"permissions": "ADMIN"})).await,
        400,
        "INVALID_PARAMETER_VALUE",
    );
    let reply = fake
        .post(
            &fake.api("/federationPolicies?policy_id=typed"),
            &json!({"oidc_policy": "okta"}),
        )
        .await;
    assert_standard_error(&reply, 400, "INVALID_PARAMETER_VALUE");
    assert_alive(&fake, before).await;
    fake.stop().await;
}

#[tokio::test]
async fn a_two_mib_body_is_413() {
    let fake = Fake::demo().await;
    let before = fake.user_count();
    let huge = format!("{{\"name\": \"{}\"}}", "x".repeat(TWO_MIB));
    let reply = fake
        .raw(
            Method::POST,
            &fake.api(CUSTOM_APPS),
            huge.clone().into_bytes(),
        )
        .await;
    assert_standard_error(&reply, 413, "BAD_REQUEST");
    let user = format!(
        "{{\"userName\": \"big@example.com\", \"displayName\": \"{}\"}}",
        "x".repeat(TWO_MIB)
    );
    let reply = fake
        .raw(Method::POST, &fake.scim("/Users"), user.into_bytes())
        .await;
    assert_eq!(reply.status.as_u16(), 413, "{}", reply.text);
    assert_eq!(reply.json["schemas"], json!([SCIM_ERROR_URN]));
    assert_eq!(reply.json["status"], json!("413"));
    assert_alive(&fake, before).await;
    fake.stop().await;
}

#[tokio::test]
async fn a_two_mib_form_on_the_token_endpoint_is_413_in_oauth_shape() {
    let fake = Fake::demo().await;
    let form = format!(
        "grant_type=client_credentials&scope={}",
        "a".repeat(TWO_MIB)
    );
    let request = fake
        .http
        .post(fake.oidc("/v1/token"))
        .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
        .body(form);
    let reply = fake.send(request).await;
    assert_oauth_error(&reply, 413, "invalid_request");
    assert_alive(&fake, fake.user_count()).await;
    fake.stop().await;
}

#[tokio::test]
async fn invalid_utf8_and_empty_bodies_are_400() {
    let fake = Fake::demo().await;
    let before = fake.user_count();
    let invalid = b"{\"name\": \"\xff\xfe\xfd\"}".to_vec();
    assert_standard_error(
        &fake
            .raw(Method::POST, &fake.api(CUSTOM_APPS), invalid.clone())
            .await,
        400,
        "MALFORMED_REQUEST",
    );
    let user = b"{\"userName\": \"\xc3\x28@example.com\"}".to_vec();
    assert_scim_error(
        &fake.raw(Method::POST, &fake.scim("/Users"), user).await,
        400,
        Some("invalidSyntax"),
    );

    for body in [Vec::new(), b"   \n".to_vec()] {
        let reply = fake
            .raw(Method::POST, &fake.api(CUSTOM_APPS), body.clone())
            .await;
        let message = assert_standard_error(&reply, 400, "MALFORMED_REQUEST");
        assert!(message.contains("empty"), "{message}");
        let reply = fake
            .raw(Method::POST, &fake.scim("/Users"), body.clone())
            .await;
        assert_scim_error(&reply, 400, Some("invalidSyntax"));
        let url = fake.api(&format!(
            "/workspaces/{ANALYTICS_DEV}/permissionassignments/principals/{}",
            fake.scim_id(DEMO_NON_ADMIN)
        ));
        assert_standard_error(
            &fake.raw(Method::PUT, &url, body).await,
            400,
            "MALFORMED_REQUEST",
        );
    }
    assert_alive(&fake, before).await;
    fake.stop().await;
}

#[tokio::test]
async fn bad_paging_and_ids_are_400() {
    let fake = Fake::demo().await;
    let before = fake.user_count();
    for params in [
        "page_token=%25%25%25",
        "page_token=bm90LWFuLW9mZnNldA",
        "page_size=-1",
        "page_size=abc",
    ] {
        let reply = fake
            .get(&format!("{}?{params}", fake.api(CUSTOM_APPS)))
            .await;
        let message = assert_standard_error(&reply, 400, "INVALID_PARAMETER_VALUE");
        if params.starts_with("page_token") {
            assert!(message.contains("page_token"), "{params}: {message}");
        }
    }
    let negative = fake
        .get(&format!("{}?page_size=-1", fake.api(CUSTOM_APPS)))
        .await;
    let message = assert_standard_error(&negative, 400, "INVALID_PARAMETER_VALUE");
    assert!(message.contains("negative"), "{message}");
    for params in ["page_token=%25%25%25", "page_size=-1", "page_size=abc"] {
        let reply = fake
            .get(&format!("{}?{params}", fake.api("/oauth2/published-apps")))
            .await;
        assert_standard_error(&reply, 400, "INVALID_PARAMETER_VALUE");
    }
    let sp = fake
        .server
        .shared()
        .read()
        .service_principals
        .iter()
        .next()
        .map(|(id, _)| id.clone())
        .unwrap();
    let reply = fake
        .get(&format!(
            "{}?page_token=garbage!",
            fake.api(&format!("/servicePrincipals/{sp}/credentials/secrets"))
        ))
        .await;
    assert_standard_error(&reply, 400, "INVALID_PARAMETER_VALUE");

    for params in ["startIndex=abc", "count=ten"] {
        let reply = fake.get(&format!("{}?{params}", fake.scim("/Users"))).await;
        assert_scim_error_typed(&reply, 400, &["invalidSyntax", "invalidValue"]);
    }
    let reply = fake
        .get(&format!(
            "{}?sortBy=userName&sortOrder=sideways",
            fake.scim("/Users")
        ))
        .await;
    assert_scim_error(&reply, 400, Some("invalidValue"));

    let message = assert_standard_error(
        &fake.get(&fake.api("/workspaces/abc")).await,
        400,
        "INVALID_PARAMETER_VALUE",
    );
    assert!(message.contains("abc"), "{message}");
    let reply = fake
        .put(
            &fake.api(&format!(
                "/workspaces/{ANALYTICS_DEV}/permissionassignments/principals/xyz"
            )),
            &json!({"permissions": ["USER"]}),
        )
        .await;
    assert_standard_error(&reply, 400, "INVALID_PARAMETER_VALUE");
    let reply = fake
        .get(&fake.api("/workspaces/99999999999999999999999"))
        .await;
    assert_standard_error(&reply, 400, "INVALID_PARAMETER_VALUE");
    assert_alive(&fake, before).await;
    fake.stop().await;
}

#[tokio::test]
async fn unknown_routes_are_404_endpoint_not_found() {
    let fake = Fake::demo().await;
    let before = fake.user_count();
    for url in [
        fake.api("/nope"),
        fake.url("/nope"),
        fake.url("/api/2.0/clusters/list"),
        fake.api("/workspaces/1/nope/deeper"),
    ] {
        let reply = fake.get(&url).await;
        let message = assert_standard_error(&reply, 404, "ENDPOINT_NOT_FOUND");
        assert!(message.contains("GET"), "{message}");
    }
    let reply = fake.get(&fake.scim("/Nope")).await;
    assert_scim_error(&reply, 404, None);
    assert_alive(&fake, before).await;
    fake.stop().await;
}

#[tokio::test]
async fn wrong_methods_are_405() {
    let fake = Fake::demo().await;
    let before = fake.user_count();
    let reply = fake
        .send(fake.request(Method::DELETE, &fake.api("/workspaces")))
        .await;
    assert_standard_error(&reply, 405, "BAD_REQUEST");
    let reply = fake
        .send(fake.request(
            Method::POST,
            &fake.api(&format!("/workspaces/{ANALYTICS_DEV}")),
        ))
        .await;
    assert_standard_error(&reply, 405, "BAD_REQUEST");
    let reply = fake
        .send(fake.request(
            Method::PUT,
            &fake.preview("/access-control/assignable-roles"),
        ))
        .await;
    assert_standard_error(&reply, 405, "BAD_REQUEST");
    let reply = fake.send(fake.http.get(fake.oidc("/v1/token"))).await;
    assert_eq!(reply.status.as_u16(), 405);
    assert_alive(&fake, before).await;
    fake.stop().await;
}

#[tokio::test]
async fn wrong_method_on_a_scim_path_is_405_in_scim_shape() {
    let fake = Fake::demo().await;
    let url = fake.scim(&format!("/Users/{}", fake.scim_id(DEMO_ADMIN)));
    let reply = fake.post(&url, &json!({"schemas": [USER_URN]})).await;
    assert_scim_error(&reply, 405, None);
    let reply = fake
        .send(fake.request(Method::DELETE, &fake.scim("/Users")))
        .await;
    assert_scim_error(&reply, 405, None);
    fake.stop().await;
}

#[tokio::test]
async fn a_405_names_the_allowed_methods() {
    let fake = Fake::demo().await;
    let reply = fake
        .send(fake.request(Method::DELETE, &fake.api("/workspaces")))
        .await
        .expect(405);
    let allow = reply
        .header("allow")
        .unwrap_or_else(|| panic!("RFC 9110 §15.5.6: a 405 must carry Allow: {reply:?}"));
    assert!(allow.contains("GET"), "{allow}");
    fake.stop().await;
}
