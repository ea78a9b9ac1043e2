//! SCIM paging against a fake whose page cap is far below the page size asked for: every
//! item exactly once, pages streamed as they arrive, at any concurrency, with and without a
//! filter, and with a cap that does not divide the total.

use std::collections::BTreeSet;

use dbx_console::api::models::User;
use dbx_console::api::{AccountClient, ScimPage, ScimQuery};
use dbx_console::mock::{MockConfig, MockServer};

use crate::support::{DEMO_USER_COUNT, client_with, fast_config, start, unique, user_ids};

const GENERATED_USERS: usize = 500;

async fn capped(page_cap: usize) -> MockServer {
    start(MockConfig {
        page_cap,
        users: GENERATED_USERS,
        ..MockConfig::default()
    })
    .await
}

fn client_with_concurrency(server: &MockServer, concurrency: usize) -> AccountClient {
    let mut config = fast_config(server);
    config.scim_concurrency = concurrency;
    client_with(config, &server.admin_token)
}

fn ids(users: &[User]) -> Vec<String> {
    users.iter().map(|u| u.id.clone().expect("id")).collect()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_user_exactly_once_with_minimal_and_default_queries() {
    let server = capped(7).await;
    let client = client_with_concurrency(&server, 6);
    let expected = user_ids(&server);
    assert_eq!(expected.len(), DEMO_USER_COUNT + GENERATED_USERS);

    let before = client.attempts();
    let minimal: Vec<User> = client
        .list::<User, User>(ScimQuery::minimal::<User>())
        .await
        .expect("minimal list");
    let pages = client.attempts() - before;
    assert!(
        pages >= expected.len().div_ceil(7) as u64,
        "{pages} requests cannot cover {} users at 7 per page",
        expected.len()
    );
    assert_eq!(unique(&ids(&minimal)), expected.iter().cloned().collect());
    assert_eq!(ids(&minimal), expected, "pages are delivered in order");
    assert!(
        minimal
            .iter()
            .all(|u| u.emails.is_empty() && u.user_name.is_some()),
        "the minimal attributes were asked for"
    );

    let full: Vec<User> = client
        .list::<User, User>(ScimQuery::default())
        .await
        .expect("default list");
    assert_eq!(ids(&full), expected);
    assert!(full.iter().all(|u| !u.emails.is_empty()));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn pages_are_streamed_as_they_arrive() {
    let server = capped(7).await;
    let client = client_with_concurrency(&server, 6);
    let expected = user_ids(&server);
    let mut receiver = client.stream::<User, User>(ScimQuery::minimal::<User>());
    let mut pages: Vec<ScimPage<User>> = Vec::new();
    while let Some(page) = receiver.recv().await {
        pages.push(page.expect("page"));
    }
    assert!(pages.len() > 1, "more than one page message");
    assert_eq!(pages.len(), expected.len().div_ceil(7));
    let mut delivered = 0;
    for page in &pages {
        assert!(!page.items.is_empty());
        assert!(page.items.len() <= 7, "the fake's cap is 7");
        assert!(page.delivered > delivered, "delivered increases");
        assert_eq!(page.delivered, delivered + page.items.len());
        delivered = page.delivered;
        assert_eq!(page.total, expected.len(), "total is the count");
    }
    assert_eq!(delivered, expected.len());
    let streamed: Vec<User> = pages.into_iter().flat_map(|p| p.items).collect();
    assert_eq!(ids(&streamed), expected);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sequential_and_wide_concurrency_give_the_same_result() {
    let server = capped(7).await;
    let expected = user_ids(&server);
    for concurrency in [1, 8] {
        let client = client_with_concurrency(&server, concurrency);
        assert_eq!(client.config().scim_concurrency, concurrency);
        let minimal: Vec<User> = client
            .list::<User, User>(ScimQuery::minimal::<User>())
            .await
            .expect("minimal list");
        assert_eq!(ids(&minimal), expected, "concurrency {concurrency}");
        let full: Vec<User> = client
            .list::<User, User>(ScimQuery::default())
            .await
            .expect("default list");
        assert_eq!(ids(&full), expected, "concurrency {concurrency}");
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn lists_sharing_fewer_lanes_than_their_concurrency_lose_nothing() {
    let server = capped(7).await;
    let expected = user_ids(&server);
    let mut config = fast_config(&server);
    config.scim_concurrency = 8;
    config.max_in_flight = 2;
    let client = client_with(config, &server.admin_token);
    let (minimal, full) = tokio::join!(
        client.list::<User, User>(ScimQuery::minimal::<User>()),
        client.list::<User, User>(ScimQuery::default()),
    );
    assert_eq!(ids(&minimal.expect("minimal list")), expected);
    assert_eq!(ids(&full.expect("default list")), expected);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_cap_that_does_not_divide_the_total_loses_nothing() {
    let server = capped(13).await;
    let expected = user_ids(&server);
    assert_ne!(expected.len() % 13, 0, "13 must not divide the total");
    for concurrency in [1, 6, 8] {
        let client = client_with_concurrency(&server, concurrency);
        let users: Vec<User> = client
            .list::<User, User>(ScimQuery::minimal::<User>())
            .await
            .expect("list");
        assert_eq!(ids(&users), expected, "concurrency {concurrency}");
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn filtered_concurrent_paging_returns_each_match_once() {
    let server = capped(13).await;
    let expected: Vec<String> = server
        .shared()
        .read()
        .users
        .iter()
        .filter(|(_, u)| {
            u["userName"]
                .as_str()
                .is_some_and(|n| n.to_ascii_lowercase().starts_with("user00"))
        })
        .map(|(id, _)| id.clone())
        .collect();
    assert_eq!(expected.len(), GENERATED_USERS);
    assert_ne!(expected.len() % 13, 0);
    let client = client_with_concurrency(&server, 6);
    let mut receiver = client.stream::<User, User>(ScimQuery {
        filter: Some("userName sw \"user00\"".into()),
        ..ScimQuery::minimal::<User>()
    });
    let mut users = Vec::new();
    let mut messages = 0;
    while let Some(page) = receiver.recv().await {
        let page = page.expect("page");
        assert_eq!(page.total, expected.len());
        messages += 1;
        users.extend(page.items);
    }
    assert_eq!(messages, expected.len().div_ceil(13));
    let got = ids(&users);
    assert_eq!(
        unique(&got),
        expected.iter().cloned().collect::<BTreeSet<_>>()
    );
    assert_eq!(got, expected);
}

/// A list nobody is reading must not hold the client's request lanes: the console streams
/// users while it reads secrets, and a full page channel used to park page fetches that kept
/// their lanes, so every other request waited (seconds per SP on a large account).
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_unread_list_leaves_the_lanes_to_other_requests() {
    let server = capped(10).await;
    let mut config = fast_config(&server);
    // One lane and four pages at a time: the pages after the ones delivered queue for it.
    config.max_in_flight = 1;
    config.scim_concurrency = 4;
    let client = client_with(config, &server.admin_token);
    let user = user_ids(&server)[0].clone();
    let mut pages = client.stream_scim::<User>("Users", ScimQuery::default());
    // The timeout only turns a hang into a failure; it measures nothing. Before the fix this
    // hung: with the channel full, the lane went to a page fetch that nobody polled any
    // more, and the request below waited behind it forever.
    let other = tokio::time::timeout(std::time::Duration::from_secs(60), async {
        while pages.capacity() > 0 {
            tokio::task::yield_now().await;
        }
        client.get_json::<User>(&user).await
    })
    .await
    .expect("a request while a list waits for its reader is not stuck behind it")
    .expect("the user");
    assert!(other.get("userName").is_some(), "{other}");
    assert_eq!(
        pages.capacity(),
        0,
        "the list was still waiting for its reader"
    );

    let mut streamed = Vec::new();
    while let Some(page) = pages.recv().await {
        streamed.extend(page.expect("a page").items);
    }
    assert_eq!(ids(&streamed), user_ids(&server), "every user, in order");
}
