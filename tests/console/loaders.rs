//! The list loaders against the fake account (in-process, demo seed): what reaches `update`
//! when every read works, and when one service principal's secrets cannot be read. Two of
//! these record bugs and are ignored until the loader is fixed (see the reasons).

use std::sync::{Arc, Mutex};

use dbx_console::api::retry::RetryPolicy;
use dbx_console::api::{AccountClient, ClientConfig, StaticToken};
use dbx_console::app::columns;
use dbx_console::app::load::lists;
use dbx_console::app::msg::{Resource, TaskOutcome};
use dbx_console::mock::{Fault, MockConfig, MockServer, ScriptedFault};
use serde_json::Value;

use crate::fixtures::now;

/// A client that never retries, so an injected 503 is an error at once.
pub fn client(server: &MockServer) -> AccountClient {
    let mut config = ClientConfig::new(&server.host, &server.account_id);
    config.retry = RetryPolicy::none();
    config.reads_per_second = 0.0;
    AccountClient::new(
        config,
        Arc::new(StaticToken::new(server.admin_token.clone())),
    )
    .expect("the client builds")
}

/// Everything a list task sends, in order.
async fn run(client: &AccountClient, resource: Resource) -> Vec<TaskOutcome> {
    let sent = Mutex::new(Vec::new());
    let send = |outcome| {
        sent.lock().expect("not poisoned").push(outcome);
        true
    };
    lists::run(client, resource, None, &send).await;
    sent.into_inner().expect("not poisoned")
}

/// The rows of every page and update, and whether the list ended with `ListDone`.
fn delivered(outcomes: &[TaskOutcome]) -> (Vec<Value>, Vec<Value>, bool) {
    let mut pages = Vec::new();
    let mut updates = Vec::new();
    for outcome in outcomes {
        match outcome {
            TaskOutcome::Page(page) => pages.extend(page.items.iter().cloned()),
            TaskOutcome::Updated(items) => updates.extend(items.iter().cloned()),
            _ => {}
        }
    }
    let is_done = matches!(outcomes.last(), Some(TaskOutcome::ListDone));
    (pages, updates, is_done)
}

/// The SCIM id of the demo's SP called `name`.
async fn sp_id(client: &AccountClient, name: &str) -> String {
    let (rows, _, _) = delivered(&run(client, Resource::ServicePrincipals).await);
    rows.iter()
        .find(|sp| sp["displayName"] == name)
        .and_then(|sp| sp["id"].as_str())
        .expect("the SP is in the demo seed")
        .to_owned()
}

/// The next read of `sp_id`'s secrets fails with 503.
fn fail_secrets_of(server: &MockServer, sp_id: &str) {
    server.inject(ScriptedFault {
        method: Some("GET".into()),
        path_contains: format!("/servicePrincipals/{sp_id}/credentials/secrets"),
        fault: Fault::Unavailable {
            retry_after_secs: 0,
        },
    });
}

#[tokio::test]
async fn the_secrets_list_carries_each_secret_s_service_principal() {
    let server = MockServer::start(MockConfig::default())
        .await
        .expect("the fake starts");
    let (rows, _, is_done) = delivered(&run(&client(&server), Resource::Secrets).await);
    assert!(is_done);
    assert_eq!(rows.len(), 17, "every secret of the demo's SPs");
    assert!(
        rows.iter().all(|row| row["_sp"]["displayName"].is_string()),
        "each row names its SP"
    );
}

#[tokio::test]
async fn service_principals_arrive_then_their_secrets_counted() {
    let server = MockServer::start(MockConfig::default())
        .await
        .expect("the fake starts");
    let (rows, updates, is_done) =
        delivered(&run(&client(&server), Resource::ServicePrincipals).await);
    assert!(is_done);
    assert_eq!(rows.len(), 15);
    assert!(rows.iter().all(|row| row.get("_secrets").is_none()));
    assert_eq!(updates.len(), 15, "every SP enriched once");
    let jenkins = updates
        .iter()
        .find(|sp| sp["displayName"] == "jenkins-legacy")
        .and_then(|sp| columns::row(Resource::ServicePrincipals, sp, now()))
        .expect("jenkins-legacy enriched");
    assert_eq!(jenkins.cells[3], "5");
}

#[tokio::test]
async fn one_sp_whose_secrets_cannot_be_read_does_not_hide_the_others() {
    let server = MockServer::start(MockConfig::default())
        .await
        .expect("the fake starts");
    let client = client(&server);
    let jenkins = sp_id(&client, "jenkins-legacy").await;
    fail_secrets_of(&server, &jenkins);
    let outcomes = run(&client, Resource::Secrets).await;
    let (rows, _, _) = delivered(&outcomes);
    assert_eq!(rows.len(), 17 - 5, "all but jenkins-legacy's five");
    // The list may end by reporting the failure, as long as it names the SP it was about.
    if let Some(TaskOutcome::Failed(error)) = outcomes.last() {
        assert!(error.to_string().contains(&jenkins), "{error}");
    } else {
        assert!(matches!(outcomes.last(), Some(TaskOutcome::ListDone)));
    }
}

#[tokio::test]
async fn an_sp_whose_secrets_cannot_be_read_is_not_left_pending() {
    let server = MockServer::start(MockConfig::default())
        .await
        .expect("the fake starts");
    let client = client(&server);
    fail_secrets_of(&server, &sp_id(&client, "jenkins-legacy").await);
    let (_, updates, is_done) = delivered(&run(&client, Resource::ServicePrincipals).await);
    assert!(is_done);
    let jenkins = updates
        .iter()
        .find(|sp| sp["displayName"] == "jenkins-legacy")
        .and_then(|sp| columns::row(Resource::ServicePrincipals, sp, now()))
        .expect("jenkins-legacy delivered");
    assert_ne!(
        jenkins.cells[3], "…",
        "the read is over: {:?}",
        jenkins.cells
    );
}
