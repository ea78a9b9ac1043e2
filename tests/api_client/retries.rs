//! Retries: 429 and 503 are resent (any method, they were not processed), a write whose
//! answer was lost is never resent, a read whose answer was lost is, and read-only mode
//! sends no write at all.

use std::sync::atomic::Ordering;
use std::time::Duration;

use dbx_console::api::models::{
    CreateCustomAppIntegration, CreateSecretRequest, CustomAppIntegration, Group, PatchOp,
    PatchOperation, SecretInfo, User,
};
use dbx_console::api::{AccountClient, ApiErrorKind, RequestClass, ScimQuery};
use dbx_console::mock::{Fault, MockServer, ScriptedFault};

use crate::support::{
    DEMO_NON_ADMIN, DEMO_SP_WITHOUT_SECRETS, DEMO_USER_COUNT, admin, client_with, demo,
    fast_config, group_id, service_principal_id, user_id,
};

fn inject(server: &MockServer, method: &str, path_contains: &str, fault: Fault) {
    server.inject(ScriptedFault {
        method: Some(method.into()),
        path_contains: path_contains.into(),
        fault,
    });
}

/// A 429 with `Retry-After: 1`, then a 503 with `Retry-After: 0`, for the next two matching
/// requests.
fn throttle_then_unavailable(server: &MockServer, method: &str, path_contains: &str) {
    inject(
        server,
        method,
        path_contains,
        Fault::TooManyRequests {
            retry_after_secs: 1,
        },
    );
    inject(
        server,
        method,
        path_contains,
        Fault::Unavailable {
            retry_after_secs: 0,
        },
    );
}

fn faults_served(server: &MockServer) -> u64 {
    server
        .shared()
        .traffic
        .counters
        .faults
        .load(Ordering::SeqCst)
}

#[tokio::test]
async fn a_throttled_get_is_retried_until_it_succeeds() {
    let server = demo().await;
    let client = admin(&server);
    throttle_then_unavailable(&server, "GET", "/oauth2/custom-app-integrations");
    let before = client.attempts();
    let apps: Vec<CustomAppIntegration> = client
        .list_custom_app_integrations()
        .await
        .expect("succeeds after the faults");
    assert_eq!(client.attempts() - before, 3, "two faults + one success");
    assert_eq!(faults_served(&server), 2);
    assert_eq!(apps.len(), server.shared().read().custom_apps.len());
}

#[tokio::test]
async fn a_throttled_scim_page_is_retried() {
    let server = demo().await;
    let client = admin(&server);
    throttle_then_unavailable(&server, "GET", "/scim/v2/Users");
    let before = client.attempts();
    let users: Vec<User> = client
        .list::<User, User>(ScimQuery::minimal::<User>())
        .await
        .expect("list");
    assert_eq!(users.len(), DEMO_USER_COUNT);
    assert_eq!(client.attempts() - before, 2 + 2, "two pages + two faults");
    assert_eq!(client.throttled(), 2, "the 429 and the 503 were counted");
    assert_eq!(client.throttled_of(RequestClass::ScimList), 2);
    assert_eq!(
        client.attempts_of(RequestClass::ScimList),
        4,
        "SCIM pages are charged to the SCIM list budget"
    );
    assert_eq!(client.attempts_of(RequestClass::Read), 0);
}

#[tokio::test]
async fn a_throttled_post_is_retried_and_creates_once() {
    let server = demo().await;
    let client = admin(&server);
    let apps_before = server.shared().read().custom_apps.len();
    throttle_then_unavailable(&server, "POST", "/oauth2/custom-app-integrations");
    let before = client.attempts();
    let created = client
        .create_custom_app_integration(&CreateCustomAppIntegration {
            name: Some("after-throttling".into()),
            ..CreateCustomAppIntegration::default()
        })
        .await
        .expect("succeeds after the faults");
    assert_eq!(client.attempts() - before, 3);
    let account = server.shared().read();
    assert_eq!(account.custom_apps.len(), apps_before + 1);
    assert!(
        account
            .custom_apps
            .contains_key(created.integration_id.as_deref().unwrap())
    );
}

#[tokio::test]
async fn a_throttled_secret_create_is_retried_and_creates_once() {
    let server = demo().await;
    let client = admin(&server);
    let sp = service_principal_id(&server, DEMO_SP_WITHOUT_SECRETS);
    throttle_then_unavailable(&server, "POST", "/credentials/secrets");
    let before = client.attempts();
    let created = client
        .create_service_principal_secret(&sp, &CreateSecretRequest::with_lifetime_days(30))
        .await
        .expect("succeeds after the faults");
    assert_eq!(client.attempts() - before, 3);
    let account = server.shared().read();
    assert_eq!(account.secrets[&sp].len(), 1);
    assert_eq!(
        account.secrets[&sp][0].info["id"],
        created.info.id.clone().unwrap().as_str()
    );
}

#[tokio::test]
async fn a_secret_create_whose_answer_is_lost_is_not_resent() {
    let server = demo().await;
    let client = admin(&server);
    let sp = service_principal_id(&server, DEMO_SP_WITHOUT_SECRETS);
    let secrets_before = server.shared().read().secrets[&sp].len();
    inject(
        &server,
        "POST",
        "/credentials/secrets",
        Fault::DropAfterHandling,
    );
    let before = client.attempts();
    let error = client
        .create_service_principal_secret(&sp, &CreateSecretRequest::with_lifetime_days(30))
        .await
        .expect_err("the answer was lost");
    assert!(
        matches!(error.kind.as_ref(), ApiErrorKind::OutcomeUnknown(_)),
        "{error:?}"
    );
    assert!(error.is_outcome_unknown());
    assert!(error.hint().contains("Refresh"));
    assert_eq!(client.attempts() - before, 1, "sent exactly once");
    assert_eq!(
        server.shared().read().secrets[&sp].len(),
        secrets_before + 1,
        "the fake created exactly one secret"
    );
    let listed: Vec<SecretInfo> = client.list_service_principal_secrets(&sp).await.unwrap();
    assert_eq!(listed.len(), secrets_before + 1, "a re-read finds it");
}

#[tokio::test]
async fn a_user_create_whose_answer_is_lost_is_not_resent() {
    let server = demo().await;
    let client = admin(&server);
    let users_before = server.shared().read().users.len();
    inject(&server, "POST", "/scim/v2/Users", Fault::DropAfterHandling);
    let before = client.attempts();
    let error = client
        .create(&User::new("lost.answer@example.com"))
        .await
        .expect_err("the answer was lost");
    assert!(
        matches!(error.kind.as_ref(), ApiErrorKind::OutcomeUnknown(_)),
        "{error:?}"
    );
    assert_eq!(client.attempts() - before, 1, "sent exactly once");
    let account = server.shared().read();
    assert_eq!(account.users.len(), users_before + 1);
    assert!(
        account
            .users
            .find_unique("lost.answer@example.com")
            .is_some()
    );
}

#[tokio::test]
async fn a_get_whose_answer_is_lost_is_retried() {
    let server = demo().await;
    let client = admin(&server);
    let sp = service_principal_id(&server, "jenkins-legacy");
    inject(
        &server,
        "GET",
        "/credentials/secrets",
        Fault::DropAfterHandling,
    );
    let before = client.attempts();
    let listed: Vec<SecretInfo> = client
        .list_service_principal_secrets(&sp)
        .await
        .expect("a read is safe to resend");
    assert_eq!(client.attempts() - before, 2);
    assert_eq!(listed.len(), server.shared().read().secrets[&sp].len());
}

#[tokio::test]
async fn read_only_refuses_writes_without_sending_them() {
    let server = demo().await;
    let mut config = fast_config(&server);
    config.read_only = true;
    let client = client_with(config, &server.admin_token);
    let apps_before = server.shared().read().custom_apps.len();
    let requests_before = server
        .shared()
        .traffic
        .counters
        .rest_requests
        .load(Ordering::SeqCst);

    let error = client
        .create_custom_app_integration(&CreateCustomAppIntegration::default())
        .await
        .expect_err("read-only");
    assert_eq!(*error.kind, ApiErrorKind::ReadOnly);
    assert_eq!(error.method, "POST");
    assert!(error.hint().contains("read-only"));
    let sp = service_principal_id(&server, DEMO_SP_WITHOUT_SECRETS);
    let user = user_id(&server, DEMO_NON_ADMIN);
    let refusals = [
        client
            .create_service_principal_secret(&sp, &CreateSecretRequest::default())
            .await
            .map(|_| ()),
        client.delete::<User>(&user).await,
        client
            .patch::<User>(
                &user,
                &PatchOp::new(vec![PatchOperation::set_active(false)]),
            )
            .await,
        client.replace(&user, &User::new("x@example.com")).await,
    ];
    for refusal in refusals {
        assert_eq!(
            *refusal.expect_err("read-only").kind,
            ApiErrorKind::ReadOnly
        );
    }
    assert_eq!(client.attempts(), 0, "nothing was sent");
    assert_eq!(
        server
            .shared()
            .traffic
            .counters
            .rest_requests
            .load(Ordering::SeqCst),
        requests_before
    );
    assert_eq!(server.shared().read().custom_apps.len(), apps_before);

    let apps: Vec<CustomAppIntegration> = client
        .list_custom_app_integrations()
        .await
        .expect("reads work");
    assert_eq!(apps.len(), apps_before);
    let got: User = client.get(&user).await.expect("reads work");
    assert!(got.is_active());
    assert_eq!(client.attempts(), 2);
}

/// A client that gives up on an attempt after two seconds, and a fake that holds the
/// answer back for a minute: the attempt times out after the request was handled.
fn impatient(server: &MockServer) -> AccountClient {
    let mut config = fast_config(server);
    config.attempt_timeout = Duration::from_secs(2);
    client_with(config, &server.admin_token)
}

const HELD_BACK: Fault = Fault::SlowResponse { delay_ms: 60_000 };

#[tokio::test]
async fn a_create_that_times_out_is_not_resent() {
    let server = demo().await;
    let client = impatient(&server);
    let apps_before = server.shared().read().custom_apps.len();
    inject(
        &server,
        "POST",
        "/oauth2/custom-app-integrations",
        HELD_BACK,
    );
    let error = client
        .create_custom_app_integration(&CreateCustomAppIntegration {
            name: Some("slow".into()),
            ..CreateCustomAppIntegration::default()
        })
        .await
        .expect_err("the answer never came");
    assert!(error.is_outcome_unknown(), "{error:?}");
    assert_eq!(client.attempts(), 1);
    assert_eq!(server.shared().read().custom_apps.len(), apps_before + 1);
}

#[tokio::test]
async fn a_read_that_times_out_is_resent() {
    let server = demo().await;
    let client = impatient(&server);
    inject(&server, "GET", "/workspaces", HELD_BACK);
    let workspaces: Vec<serde_json::Value> = client
        .list_workspaces()
        .await
        .expect("the resend is answered");
    assert_eq!(workspaces.len(), server.shared().read().workspaces.len());
    assert_eq!(client.attempts(), 2);
}

#[tokio::test]
async fn a_delete_whose_answer_is_lost_is_resent_and_its_404_counts_as_done() {
    let server = demo().await;
    let client = admin(&server);
    let group = group_id(&server, "legacy-etl-2019");
    inject(
        &server,
        "DELETE",
        "/scim/v2/Groups/",
        Fault::DropAfterHandling,
    );
    let before = client.attempts();
    client
        .delete::<Group>(&group)
        .await
        .expect("the first DELETE did the work; the resend's 404 confirms it");
    assert_eq!(
        client.attempts() - before,
        2,
        "resent once after the lost answer"
    );
    assert!(!server.shared().read().groups.contains(&group));
}

#[tokio::test]
async fn a_delete_of_something_missing_is_still_an_error() {
    let server = demo().await;
    let client = admin(&server);
    let error = client
        .delete::<Group>("1234567890123456")
        .await
        .expect_err("nothing was ever deleted");
    assert_eq!(error.status(), Some(404));
}
