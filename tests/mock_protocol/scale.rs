//! A 100,000-user account: a page deep into the Users list is correct.

use dbx_console::mock::MockConfig;
use serde_json::json;

use crate::support::*;

#[tokio::test]
async fn a_deep_users_page_in_a_large_account() {
    let fake = Fake::start(MockConfig {
        users: 100_000,
        ..MockConfig::default()
    })
    .await;
    let total = 100_000 + DEMO_USER_COUNT;
    assert_eq!(fake.user_count(), total);

    let url = format!(
        "{}?{}",
        fake.scim("/Users"),
        query(&[("startIndex", "99901"), ("count", "100")])
    );
    let reply = fake.get(&url).await.expect(200);
    assert_eq!(reply.json["totalResults"], json!(total));
    assert_eq!(reply.json["startIndex"], json!(99_901));
    assert_eq!(reply.json["itemsPerPage"], json!(100));
    let page = resources(&reply);
    assert_eq!(page.len(), 100);
    let expected: Vec<String> = {
        let account = fake.server.shared().read();
        (99_900..100_000)
            .map(|i| account.users.get_index(i).expect("stored").0.clone())
            .collect()
    };
    let got: Vec<String> = page
        .iter()
        .map(|u| u["id"].as_str().unwrap().to_owned())
        .collect();
    assert_eq!(got, expected, "the page holds positions 99,901-100,000");
    assert_eq!(
        page[0]["userName"],
        json!(format!("user{:06}@scale.example", 99_900 - DEMO_USER_COUNT))
    );

    let filter = query(&[("filter", "userName eq \"user099999@scale.example\"")]);
    let one = fake
        .get(&format!("{}?{filter}", fake.scim("/Users")))
        .await
        .expect(200);
    assert_eq!(one.json["totalResults"], json!(1));
    assert_eq!(
        resources(&one)[0]["displayName"],
        json!("Scale User 099999")
    );
    fake.stop().await;
}
