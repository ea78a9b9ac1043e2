//! A snapshot replayed by the fake (`--snapshot FILE` in the console) serves the account the
//! snapshot recorded: a snapshot of the replay equals the original, ids and unknown fields
//! included, and the replay says plainly what a snapshot does not hold.

use dbx_console::api::{ClientConfig, ScimQuery};
use dbx_console::mock::seed::account_from_snapshot;
use dbx_console::mock::{MockConfig, MockServer};
use dbx_console::snapshot;
use serde_json::{Value, json};

use crate::support::{RecordingProgress, admin, client_with, demo};

/// The parts of a snapshot that describe the account (not when or through which host).
fn account_part(mut document: Value) -> Value {
    let object = document.as_object_mut().expect("an object");
    object.remove("taken_at");
    object.remove("host");
    document
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_replayed_snapshot_reads_back_identically() {
    let server = demo().await;
    let original = snapshot::take(&admin(&server), &RecordingProgress::default())
        .await
        .expect("the snapshot of the demo");
    server.stop().await;

    let account = account_from_snapshot(original.clone(), 7).expect("the demo snapshot replays");
    let replay = MockServer::start_with(MockConfig::default(), account)
        .await
        .expect("the replay starts");
    let client = client_with(
        ClientConfig::new(&replay.host, &replay.account_id),
        &replay.admin_token,
    );
    let again = snapshot::take(&client, &RecordingProgress::default())
        .await
        .expect("the snapshot of the replay");
    assert_eq!(account_part(again), account_part(original));

    // Rule sets are not in a snapshot: the replay refuses to make one up.
    let error = client
        .get_rule_set("accounts/x/servicePrincipals/y/ruleSets/default", "")
        .await
        .expect_err("no rule set in a replay");
    assert_eq!(error.status(), Some(404));
    assert!(
        error
            .to_string()
            .contains("not recorded in a dbx-console snapshot")
    );
    replay.stop().await;
}

#[test]
fn a_document_that_is_not_a_snapshot_is_refused_with_the_reason() {
    let wrong = account_from_snapshot(json!({"format": "something/2"}), 7)
        .err()
        .expect("refused");
    assert!(
        wrong.contains("this version reads 'dbx-console.snapshot/1'"),
        "{wrong}"
    );
    let nameless = account_from_snapshot(json!({"format": snapshot::FORMAT}), 7)
        .err()
        .expect("refused");
    assert!(nameless.contains("no account_id"), "{nameless}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_snapshot_without_an_admin_user_is_served_as_its_admin_service_principal() {
    let document = json!({
        "format": snapshot::FORMAT,
        "account_id": "0d5e6f7a-1b2c-4d3e-8f90-a1b2c3d4e5f6",
        "users": [{"id": "11", "userName": "someone@example.com", "active": true}],
        "service_principals": [{
            "id": "22", "applicationId": "app-22", "displayName": "automation",
            "active": true, "roles": [{"value": "account_admin"}]
        }],
    });
    let account = account_from_snapshot(document, 7).expect("it replays");
    let replay = MockServer::start_with(MockConfig::default(), account)
        .await
        .expect("the replay starts with an SP as its admin");
    let client = client_with(
        ClientConfig::new(&replay.host, &replay.account_id),
        &replay.admin_token,
    );
    let users: Vec<Value> = client
        .list_scim("Users", ScimQuery::default())
        .await
        .expect("users, read as the SP");
    assert_eq!(users.len(), 1);
    replay.stop().await;
}
