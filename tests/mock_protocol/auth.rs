//! Authentication and authorisation of the REST API (reference §1, §11): 401 and 403 in the
//! shape of the path, and the request id in headers and error details.

use std::collections::BTreeSet;

use reqwest::Method;
use serde_json::json;

use crate::support::*;

#[tokio::test]
async fn missing_token_is_401_in_the_shape_of_the_path() {
    let fake = Fake::demo().await;
    let reply = fake.send(fake.http.get(fake.api("/workspaces"))).await;
    assert_standard_error(&reply, 401, "UNAUTHENTICATED");

    let reply = fake.send(fake.http.get(fake.scim("/Users"))).await;
    assert_scim_error(&reply, 401, None);
    assert!(
        reply
            .header("content-type")
            .is_some_and(|c| c.contains("json"))
    );

    let reply = fake
        .send(
            fake.http
                .get(fake.preview("/access-control/assignable-roles")),
        )
        .await;
    assert_standard_error(&reply, 401, "UNAUTHENTICATED");
    fake.stop().await;
}

#[tokio::test]
async fn garbage_or_non_bearer_tokens_are_401() {
    let fake = Fake::demo().await;
    for token in ["garbage", "eyJhbGciOiJub25lIn0.e30.", ""] {
        let reply = fake
            .get_as(token, &fake.api("/oauth2/custom-app-integrations"))
            .await;
        assert_standard_error(&reply, 401, "UNAUTHENTICATED");
        let reply = fake.get_as(token, &fake.scim("/Groups")).await;
        assert_scim_error(&reply, 401, None);
    }
    let basic_auth = fake
        .http
        .get(fake.api("/workspaces"))
        .header("authorization", basic("user", "password"));
    assert_standard_error(&fake.send(basic_auth).await, 401, "UNAUTHENTICATED");
    fake.stop().await;
}

#[tokio::test]
async fn a_non_admin_token_is_403_permission_denied() {
    let fake = Fake::demo().await;
    let token = fake.token_for_user(DEMO_NON_ADMIN);
    let reply = fake.get_as(&token, &fake.api("/workspaces")).await;
    assert_standard_error(&reply, 403, "PERMISSION_DENIED");
    let reply = fake.get_as(&token, &fake.scim("/Users")).await;
    assert_scim_error(&reply, 403, None);
    let body = json!({"schemas": [USER_URN], "userName": "sneaky@example.com"});
    let create = fake
        .request_as(&token, Method::POST, &fake.scim("/Users"))
        .header("content-type", "application/json")
        .body(body.to_string());
    assert_scim_error(&fake.send(create).await, 403, None);
    assert!(
        fake.server
            .shared()
            .read()
            .users
            .find_unique("sneaky@example.com")
            .is_none()
    );

    // A member of the account-admins group is an admin through the group's role.
    let token = fake.token_for_user("dbx-breakglass@northwind.example");
    fake.get_as(&token, &fake.api("/workspaces"))
        .await
        .expect(200);
    fake.stop().await;
}

#[tokio::test]
async fn another_account_id_in_the_path_is_refused() {
    let fake = Fake::demo().await;
    let url = format!(
        "{}/api/2.0/accounts/00000000-0000-0000-0000-000000000000/workspaces",
        fake.server.host
    );
    let reply = fake.get(&url).await;
    assert_standard_error(&reply, 403, "PERMISSION_DENIED");
    fake.stop().await;
}

#[tokio::test]
async fn request_id_header_matches_the_error_details() {
    let fake = Fake::demo().await;
    let mut seen = BTreeSet::new();
    for reply in [
        fake.send(fake.http.get(fake.api("/workspaces"))).await,
        fake.get(&fake.api("/workspaces/1")).await,
        fake.post(
            &fake.api("/oauth2/published-app-integrations"),
            &json!({"app_id": "nope"}),
        )
        .await,
    ] {
        let header = reply
            .header("x-request-id")
            .expect("x-request-id header")
            .to_owned();
        assert!(!header.is_empty());
        let details = reply.json["details"].as_array().expect("details");
        let info: Vec<_> = details
            .iter()
            .filter(|d| d["@type"] == json!("type.googleapis.com/google.rpc.RequestInfo"))
            .collect();
        assert_eq!(info.len(), 1, "one RequestInfo in {}", reply.text);
        assert_eq!(info[0]["request_id"], json!(header));
        assert!(seen.insert(header), "request ids are unique");
    }
    let ok = fake.get(&fake.api("/workspaces")).await.expect(200);
    assert!(
        ok.header("x-request-id")
            .is_some_and(|id| !seen.contains(id))
    );
    let discovery = fake
        .send(fake.http.get(fake.url("/.well-known/databricks-config")))
        .await;
    assert!(discovery.header("x-request-id").is_some());
    fake.stop().await;
}
