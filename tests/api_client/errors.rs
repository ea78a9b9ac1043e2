//! Error bodies of both shapes become the right `ApiError`, and authentication failures
//! are told apart from permission failures.

use std::sync::Arc;
use std::sync::atomic::Ordering;

use dbx_console::api::models::{
    CreateCustomAppIntegration, Group, TokenAccessPolicy, UpdatePublishedAppIntegration, User,
};
use dbx_console::api::{AccountClient, ApiErrorKind};
use dbx_console::mock::oidc::sessions::Subject;

use crate::support::{
    CountingToken, DEMO_NON_ADMIN, SwappingToken, admin, demo, fast_config, http, user_id,
};

#[tokio::test]
async fn out_of_range_ttl_is_a_standard_400_naming_the_field() {
    let server = demo().await;
    let client = admin(&server);
    let apps_before = server.shared().read().custom_apps.len();
    let error = client
        .create_custom_app_integration(&CreateCustomAppIntegration {
            name: Some("bad-ttl".into()),
            token_access_policy: Some(TokenAccessPolicy {
                access_token_ttl_in_minutes: Some(4),
                ..TokenAccessPolicy::default()
            }),
            ..CreateCustomAppIntegration::default()
        })
        .await
        .expect_err("TTL below 5 minutes");
    let parts = http(&error);
    assert_eq!(parts.status, 400);
    assert_eq!(parts.error_code, "INVALID_PARAMETER_VALUE");
    assert!(
        parts.message.contains("access_token_ttl_in_minutes"),
        "{}",
        parts.message
    );
    let request_id = parts.request_id.expect("request id from the details");
    assert!(!request_id.is_empty());
    assert!(parts.scim_type.is_none());
    assert_eq!(error.method, "POST");
    assert!(error.path.ends_with("/oauth2/custom-app-integrations"));
    let shown = error.to_string();
    assert!(shown.contains("400 INVALID_PARAMETER_VALUE") && shown.contains(&request_id));
    assert!(error.hint().contains("Correct"));
    assert_eq!(server.shared().read().custom_apps.len(), apps_before);

    let published = server
        .shared()
        .read()
        .published_integrations
        .keys()
        .next()
        .cloned()
        .unwrap();
    let error = client
        .update_published_app_integration(
            &published,
            &UpdatePublishedAppIntegration {
                token_access_policy: Some(TokenAccessPolicy {
                    refresh_token_ttl_in_minutes: Some(129_601),
                    ..TokenAccessPolicy::default()
                }),
            },
        )
        .await
        .expect_err("refresh TTL above 90 days");
    let parts = http(&error);
    assert_eq!(
        (parts.status, parts.error_code.as_str()),
        (400, "INVALID_PARAMETER_VALUE")
    );
    assert!(parts.message.contains("refresh_token_ttl_in_minutes"));
}

#[tokio::test]
async fn duplicate_user_name_is_a_scim_409_uniqueness() {
    let server = demo().await;
    let client = admin(&server);
    let users_before = server.shared().read().users.len();
    let error = client
        .create(&User::new(DEMO_NON_ADMIN))
        .await
        .expect_err("duplicate userName");
    let parts = http(&error);
    assert_eq!(parts.status, 409);
    assert_eq!(parts.error_code, "SCIM_409");
    assert_eq!(parts.scim_type.as_deref(), Some("uniqueness"));
    assert!(parts.message.contains(DEMO_NON_ADMIN), "{}", parts.message);
    assert!(
        parts.request_id.is_some(),
        "the x-request-id header stands in for SCIM bodies"
    );
    assert_eq!(server.shared().read().users.len(), users_before);

    let duplicate_group = client
        .create(&Group::new("data-eng"))
        .await
        .expect_err("duplicate displayName");
    assert_eq!(
        http(&duplicate_group).scim_type.as_deref(),
        Some("uniqueness")
    );
}

#[tokio::test]
async fn unknown_scim_id_is_a_scim_404() {
    let server = demo().await;
    let client = admin(&server);
    let error = client.get::<User>("1234").await.expect_err("no such user");
    let parts = http(&error);
    assert_eq!(parts.status, 404);
    assert_eq!(parts.error_code, "SCIM_404");
    assert!(parts.message.contains("1234"), "{}", parts.message);
    assert!(error.is_not_found());
    assert!(error.hint().contains("deleted"));
    let error = client
        .delete::<Group>("1234")
        .await
        .expect_err("no such group");
    assert_eq!(error.status(), Some(404));
}

#[tokio::test]
async fn a_rejected_static_token_needs_sign_in_after_one_refresh_attempt() {
    let server = demo().await;
    let tokens = Arc::new(CountingToken::new("not-a-valid-token"));
    let client = AccountClient::new(fast_config(&server), tokens.clone()).unwrap();
    let error = client
        .list_workspaces::<serde_json::Value>()
        .await
        .expect_err("401");
    assert!(
        matches!(error.kind.as_ref(), ApiErrorKind::SignInRequired(_)),
        "{error:?}"
    );
    assert_eq!(
        tokens.refreshes.load(Ordering::SeqCst),
        1,
        "one refresh attempt"
    );
    assert_eq!(
        client.attempts(),
        1,
        "nothing is resent without a new token"
    );
    assert!(error.hint().contains("Sign in"));
    assert!(!error.to_string().contains("not-a-valid-token"));
}

#[tokio::test]
async fn a_refreshed_token_is_used_for_the_resend() {
    let server = demo().await;
    let tokens = Arc::new(SwappingToken::new("expired-token", &server.admin_token));
    let client = AccountClient::new(fast_config(&server), tokens.clone()).unwrap();
    let workspaces: Vec<serde_json::Value> = client
        .list_workspaces()
        .await
        .expect("succeeds with the refreshed token");
    assert_eq!(workspaces.len(), server.shared().read().workspaces.len());
    assert_eq!(tokens.refreshes.load(Ordering::SeqCst), 1);
    assert_eq!(client.attempts(), 2);
}

#[tokio::test]
async fn a_refreshed_token_that_is_rejected_again_is_not_refreshed_twice() {
    let server = demo().await;
    let tokens = Arc::new(SwappingToken::new("expired-token", "also-expired"));
    let client = AccountClient::new(fast_config(&server), tokens.clone()).unwrap();
    let error = client
        .list_workspaces::<serde_json::Value>()
        .await
        .expect_err("still 401");
    let parts = http(&error);
    assert_eq!(
        (parts.status, parts.error_code.as_str()),
        (401, "UNAUTHENTICATED")
    );
    assert_eq!(tokens.refreshes.load(Ordering::SeqCst), 1);
    assert_eq!(client.attempts(), 2);
    assert!(error.hint().contains("Sign in"));
}

#[tokio::test]
async fn a_non_admin_is_denied_with_a_hint_about_the_role() {
    let server = demo().await;
    let user = user_id(&server, DEMO_NON_ADMIN);
    let token = server.token_for(Subject::User(user));
    let tokens = Arc::new(CountingToken::new(&token));
    let client = AccountClient::new(fast_config(&server), tokens.clone()).unwrap();
    let error = client
        .list_workspaces::<serde_json::Value>()
        .await
        .expect_err("403");
    let parts = http(&error);
    assert_eq!(parts.status, 403);
    assert_eq!(parts.error_code, "PERMISSION_DENIED");
    assert!(parts.message.contains("account_admin"), "{}", parts.message);
    assert!(error.hint().contains("account_admin"), "{}", error.hint());
    assert_eq!(
        tokens.refreshes.load(Ordering::SeqCst),
        0,
        "403 is not a token problem"
    );
    assert_eq!(client.attempts(), 1);
}
