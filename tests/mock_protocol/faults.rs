//! Injected faults and throttling (reference §11.3): 503/429 with `Retry-After`, a connection
//! dropped after the request was handled, and the token-bucket rate limit.

use dbx_console::mock::{Fault, MockConfig, ScriptedFault};
use reqwest::{Method, header};
use serde_json::json;

use crate::support::*;

fn script(method: &str, path_contains: &str, fault: Fault) -> ScriptedFault {
    ScriptedFault {
        method: Some(method.into()),
        path_contains: path_contains.into(),
        fault,
    }
}

#[tokio::test]
async fn scripted_503_and_429_carry_retry_after_once() {
    let fake = Fake::demo().await;
    fake.server.inject(script(
        "GET",
        "/workspaces",
        Fault::Unavailable {
            retry_after_secs: 7,
        },
    ));
    fake.server.inject(script(
        "GET",
        "/workspaces",
        Fault::TooManyRequests {
            retry_after_secs: 3,
        },
    ));

    let reply = fake.get(&fake.api("/workspaces")).await;
    let message = assert_standard_error(&reply, 503, "TEMPORARILY_UNAVAILABLE");
    assert!(!message.is_empty());
    assert_eq!(reply.header("retry-after"), Some("7"));

    let reply = fake.get(&fake.api("/workspaces")).await;
    let message = assert_standard_error(&reply, 429, "REQUEST_LIMIT_EXCEEDED");
    assert_eq!(
        message,
        "Too many requests. Please retry after a short delay."
    );
    assert_eq!(reply.header("retry-after"), Some("3"));

    fake.get(&fake.api("/workspaces")).await.expect(200);

    fake.server.inject(script(
        "GET",
        "/scim/v2/Users",
        Fault::TooManyRequests {
            retry_after_secs: 2,
        },
    ));
    let reply = fake.get(&fake.scim("/Users")).await;
    assert_scim_error(&reply, 429, None);
    assert_eq!(reply.header("retry-after"), Some("2"));
    fake.get(&fake.scim("/Users")).await.expect(200);
    fake.stop().await;
}

#[tokio::test]
async fn a_fault_applies_only_to_its_method_and_path() {
    let fake = Fake::demo().await;
    fake.server.inject(script(
        "POST",
        "/scim/v2/Users",
        Fault::Unavailable {
            retry_after_secs: 1,
        },
    ));
    fake.get(&fake.scim("/Users")).await.expect(200);
    fake.get(&fake.api("/workspaces")).await.expect(200);
    let before = fake.user_count();
    let body = json!({"schemas": [USER_URN], "userName": "retry.me@example.com"});
    let reply = fake.post(&fake.scim("/Users"), &body).await;
    assert_scim_error(&reply, 503, None);
    assert_eq!(
        fake.user_count(),
        before,
        "faults before handling change nothing"
    );
    fake.post(&fake.scim("/Users"), &body).await.expect(201);
    assert_eq!(fake.user_count(), before + 1);
    fake.stop().await;
}

#[tokio::test]
async fn a_dropped_connection_after_handling_still_creates_the_user() {
    let fake = Fake::demo().await;
    let before = fake.user_count();
    fake.server
        .inject(script("POST", "/scim/v2/Users", Fault::DropAfterHandling));
    let body = json!({"schemas": [USER_URN], "userName": "dropped@example.com"});
    let request = fake
        .request(Method::POST, &fake.scim("/Users"))
        .header(header::CONTENT_TYPE, "application/json")
        .body(body.to_string());
    let outcome = async {
        let response = request.send().await?;
        response.bytes().await
    }
    .await;
    assert!(
        outcome.is_err(),
        "the client must see a transport error, got {outcome:?}"
    );
    assert_eq!(fake.user_count(), before + 1);
    assert!(
        fake.server
            .shared()
            .read()
            .users
            .find_unique("dropped@example.com")
            .is_some()
    );

    // A blind retry of the create meets the user it already made.
    let retry = fake.post(&fake.scim("/Users"), &body).await;
    assert_scim_error(&retry, 409, Some("uniqueness"));
    fake.stop().await;
}

#[tokio::test]
async fn the_rate_limit_answers_429_with_retry_after_after_the_burst() {
    let fake = Fake::start(MockConfig {
        rate_limit: 2.0,
        ..MockConfig::default()
    })
    .await;
    fake.get(&fake.api("/workspaces")).await.expect(200);
    let mut throttled = None;
    for _ in 0..50 {
        let reply = fake.get(&fake.api("/workspaces")).await;
        if reply.status.as_u16() == 429 {
            throttled = Some(reply);
            break;
        }
        assert_eq!(reply.status.as_u16(), 200, "{}", reply.text);
    }
    let reply = throttled.expect("a burst beyond the bucket is throttled");
    let message = assert_standard_error(&reply, 429, "REQUEST_LIMIT_EXCEEDED");
    assert_eq!(
        message,
        "Too many requests. Please retry after a short delay."
    );
    let retry_after: u64 = reply
        .header("retry-after")
        .expect("Retry-After")
        .parse()
        .expect("integer seconds");
    assert!(retry_after >= 1);

    // The OIDC endpoints are not throttled.
    let discovery = fake
        .send(
            fake.http
                .get(fake.oidc("/.well-known/oauth-authorization-server")),
        )
        .await;
    assert_eq!(discovery.status.as_u16(), 200);
    fake.stop().await;
}
