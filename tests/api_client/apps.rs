//! Custom app integrations, published app integrations and the published-apps catalogue,
//! every method against the fake, plus `page_token` paging over more than one page.

use std::collections::BTreeSet;

use dbx_console::api::models::{
    CreateCustomAppIntegration, CreatePublishedAppIntegration, CustomAppIntegration, PublishedApp,
    PublishedAppIntegration, TokenAccessPolicy, UpdateCustomAppIntegration,
    UpdatePublishedAppIntegration,
};
use serde_json::Value;

use crate::support::{admin, admin_user_name, demo, http};

fn policy(access: i32, refresh: i32) -> TokenAccessPolicy {
    TokenAccessPolicy {
        access_token_ttl_in_minutes: Some(access),
        refresh_token_ttl_in_minutes: Some(refresh),
        ..TokenAccessPolicy::default()
    }
}

#[tokio::test]
async fn public_app_is_created_read_listed_and_has_no_secret() {
    let server = demo().await;
    let client = admin(&server);
    let request = CreateCustomAppIntegration {
        name: Some("public-cli".into()),
        confidential: Some(false),
        redirect_urls: vec!["http://localhost:8020".into()],
        scopes: vec!["all-apis".into(), "offline_access".into()],
        ..CreateCustomAppIntegration::default()
    };
    let created = client
        .create_custom_app_integration(&request)
        .await
        .expect("create");
    assert!(
        created.client_secret.is_none(),
        "a public app has no secret"
    );
    let id = created.integration_id.clone().expect("integration_id");
    let client_id = created.client_id.clone().expect("client_id");

    let app: CustomAppIntegration = client.get_custom_app_integration(&id).await.expect("get");
    assert_eq!(app.integration_id.as_deref(), Some(id.as_str()));
    assert_eq!(app.client_id.as_deref(), Some(client_id.as_str()));
    assert_eq!(app.name.as_deref(), Some("public-cli"));
    assert!(!app.is_confidential());
    assert_eq!(app.redirect_urls, ["http://localhost:8020"]);
    assert_eq!(app.scopes, ["all-apis", "offline_access"]);
    assert!(app.created_at().is_some());

    // get returns the stored record, plus the creator's userName.
    let mut expected = Value::Object(server.shared().read().custom_apps[&id].info.clone());
    expected["creator_username"] = Value::from(admin_user_name(&server));
    assert_eq!(serde_json::to_value(&app).unwrap(), expected);
}

#[tokio::test]
async fn confidential_app_secret_is_shown_once_and_masked() {
    let server = demo().await;
    let client = admin(&server);
    let request = CreateCustomAppIntegration {
        name: Some("tableau-test".into()),
        confidential: Some(true),
        redirect_urls: vec!["https://tableau.example.com/callback".into()],
        scopes: vec!["sql".into(), "offline_access".into()],
        user_authorized_scopes: vec!["sql".into()],
        token_access_policy: Some(policy(30, 600)),
    };
    let created = client
        .create_custom_app_integration(&request)
        .await
        .expect("create");
    let secret = created
        .client_secret
        .clone()
        .expect("confidential apps get a secret");
    let plaintext = secret.expose().to_owned();
    assert!(plaintext.starts_with("dose"), "{}", plaintext.len());
    assert_eq!(format!("{secret:?}"), "***");
    let debug = format!("{created:?}");
    assert!(debug.contains("***"), "{debug}");
    assert!(!debug.contains(&plaintext), "Debug leaks the client secret");
    assert!(
        !serde_json::to_string(&created)
            .unwrap()
            .contains(&plaintext),
        "serializing leaks the client secret"
    );
    let id = created.integration_id.expect("integration_id");

    let get: Value = client.get_custom_app_integration(&id).await.expect("get");
    let list: Vec<Value> = client.list_custom_app_integrations().await.expect("list");
    let listed = list
        .iter()
        .find(|app| app["integration_id"] == id.as_str())
        .expect("the new app is listed");
    for (what, value) in [("get", &get), ("list", listed)] {
        assert_eq!(value["confidential"], true, "{what}");
        assert!(value.get("client_secret").is_none(), "{what}: {value}");
        assert!(
            !value.to_string().contains(&plaintext),
            "{what} carries the client secret"
        );
    }
    assert!(!serde_json::to_string(&list).unwrap().contains(&plaintext));
    let typed: CustomAppIntegration = serde_json::from_value(get).unwrap();
    assert_eq!(typed.token_access_policy, Some(policy(30, 600)));
    assert_eq!(typed.user_authorized_scopes, ["sql"]);
}

#[tokio::test]
async fn list_includes_creator_usernames_and_matches_the_fake() {
    let server = demo().await;
    let client = admin(&server);
    let created = client
        .create_custom_app_integration(&CreateCustomAppIntegration {
            name: Some("mine".into()),
            ..CreateCustomAppIntegration::default()
        })
        .await
        .expect("create");
    let id = created.integration_id.expect("integration_id");
    let apps: Vec<CustomAppIntegration> =
        client.list_custom_app_integrations().await.expect("list");

    let account = server.shared().read();
    let ids: Vec<&str> = apps
        .iter()
        .map(|a| a.integration_id.as_deref().unwrap())
        .collect();
    let expected: Vec<&str> = account.custom_apps.keys().map(String::as_str).collect();
    assert_eq!(ids, expected);
    for app in &apps {
        let creator = app.created_by.expect("created_by");
        let user_name = account.users.get(&creator.to_string()).expect("creator")["userName"]
            .as_str()
            .unwrap();
        assert_eq!(
            app.creator_username.as_deref(),
            Some(user_name),
            "include_creator_username=true was asked for"
        );
    }
    drop(account);
    let mine = apps
        .iter()
        .find(|a| a.integration_id.as_deref() == Some(id.as_str()))
        .unwrap();
    assert_eq!(mine.creator_username, Some(admin_user_name(&server)));
}

#[tokio::test]
async fn update_replaces_only_the_present_fields() {
    let server = demo().await;
    let client = admin(&server);
    let original_policy = TokenAccessPolicy {
        enable_single_use_refresh_tokens: Some(true),
        absolute_session_lifetime_in_minutes: Some(1440),
        ..policy(60, 1440)
    };
    let created = client
        .create_custom_app_integration(&CreateCustomAppIntegration {
            name: Some("patch-me".into()),
            confidential: Some(true),
            redirect_urls: vec!["https://a.example.com/cb".into()],
            scopes: vec!["all-apis".into(), "offline_access".into()],
            user_authorized_scopes: vec!["all-apis".into()],
            token_access_policy: Some(original_policy.clone()),
        })
        .await
        .expect("create");
    let id = created.integration_id.expect("integration_id");

    client
        .update_custom_app_integration(
            &id,
            &UpdateCustomAppIntegration {
                redirect_urls: Some(vec![
                    "https://b.example.com/cb".into(),
                    "https://c.example.com/cb".into(),
                ]),
                ..UpdateCustomAppIntegration::default()
            },
        )
        .await
        .expect("update redirect_urls");
    let app: CustomAppIntegration = client.get_custom_app_integration(&id).await.unwrap();
    assert_eq!(
        app.redirect_urls,
        ["https://b.example.com/cb", "https://c.example.com/cb"]
    );
    assert_eq!(app.scopes, ["all-apis", "offline_access"]);
    assert_eq!(app.user_authorized_scopes, ["all-apis"]);
    assert_eq!(app.token_access_policy, Some(original_policy.clone()));
    assert_eq!(app.name.as_deref(), Some("patch-me"));
    assert!(app.is_confidential());

    let new_policy = policy(15, 120);
    client
        .update_custom_app_integration(
            &id,
            &UpdateCustomAppIntegration {
                token_access_policy: Some(new_policy.clone()),
                user_authorized_scopes: Some(Vec::new()),
                ..UpdateCustomAppIntegration::default()
            },
        )
        .await
        .expect("update policy and clear user_authorized_scopes");
    let app: CustomAppIntegration = client.get_custom_app_integration(&id).await.unwrap();
    assert_eq!(
        app.token_access_policy,
        Some(new_policy),
        "the policy object is replaced whole"
    );
    assert!(
        app.user_authorized_scopes.is_empty(),
        "Some(vec![]) clears the list"
    );
    assert_eq!(
        app.redirect_urls,
        ["https://b.example.com/cb", "https://c.example.com/cb"]
    );
    assert_eq!(app.scopes, ["all-apis", "offline_access"]);
}

#[tokio::test]
async fn deleted_app_is_gone() {
    let server = demo().await;
    let client = admin(&server);
    let id = client
        .create_custom_app_integration(&CreateCustomAppIntegration {
            name: Some("short-lived".into()),
            ..CreateCustomAppIntegration::default()
        })
        .await
        .unwrap()
        .integration_id
        .unwrap();
    client
        .delete_custom_app_integration(&id)
        .await
        .expect("delete");
    assert!(!server.shared().read().custom_apps.contains_key(&id));
    let error = client
        .get_custom_app_integration::<CustomAppIntegration>(&id)
        .await
        .expect_err("deleted");
    assert!(error.is_not_found(), "{error}");
    let parts = http(&error);
    assert_eq!(parts.status, 404);
    assert_eq!(parts.error_code, "RESOURCE_DOES_NOT_EXIST");
    assert!(parts.message.contains(&id), "{}", parts.message);
    let again = client
        .delete_custom_app_integration(&id)
        .await
        .expect_err("second delete");
    assert_eq!(again.status(), Some(404));
}

#[tokio::test]
async fn custom_apps_are_followed_across_pages() {
    let server = demo().await;
    let client = admin(&server);
    let seeded = server.shared().read().custom_apps.len();
    for n in seeded..130 {
        client
            .create_custom_app_integration(&CreateCustomAppIntegration {
                name: Some(format!("bulk-{n:03}")),
                ..CreateCustomAppIntegration::default()
            })
            .await
            .expect("create");
    }
    let before = client.attempts();
    let apps: Vec<CustomAppIntegration> =
        client.list_custom_app_integrations().await.expect("list");
    assert_eq!(
        client.attempts() - before,
        2,
        "130 apps at the default page size of 100 take two pages"
    );
    let ids: Vec<String> = apps
        .iter()
        .map(|a| a.integration_id.clone().unwrap())
        .collect();
    let expected: Vec<String> = server.shared().read().custom_apps.keys().cloned().collect();
    assert_eq!(ids.len(), 130);
    assert_eq!(ids, expected);
}

#[tokio::test]
async fn catalogue_lists_every_published_app() {
    let server = demo().await;
    let client = admin(&server);
    let catalogue: Vec<PublishedApp> = client.list_published_apps().await.expect("catalogue");
    let app_ids: Vec<&str> = catalogue
        .iter()
        .map(|a| a.app_id.as_deref().unwrap())
        .collect();
    let expected: Vec<String> = server
        .shared()
        .read()
        .published_catalog
        .iter()
        .map(|a| a["app_id"].as_str().unwrap().to_owned())
        .collect();
    assert_eq!(app_ids, expected);
    assert!(app_ids.contains(&"databricks-cli"));
    let cli = catalogue
        .iter()
        .find(|a| a.app_id.as_deref() == Some("databricks-cli"))
        .unwrap();
    assert_eq!(cli.name.as_deref(), Some("Databricks CLI"));
    assert!(cli.scopes.contains(&"all-apis".to_owned()));
}

#[tokio::test]
async fn published_integration_lifecycle() {
    let server = demo().await;
    let client = admin(&server);
    let catalogue: Vec<PublishedApp> = client.list_published_apps().await.unwrap();
    let existing: Vec<PublishedAppIntegration> =
        client.list_published_app_integrations().await.unwrap();
    let integrated: BTreeSet<String> = existing.iter().filter_map(|i| i.app_id.clone()).collect();
    let app = catalogue
        .iter()
        .find(|a| !integrated.contains(a.app_id.as_deref().unwrap()))
        .expect("a catalogue app that is not integrated yet");
    let app_id = app.app_id.clone().unwrap();

    let created = client
        .create_published_app_integration(&CreatePublishedAppIntegration {
            app_id: app_id.clone(),
            token_access_policy: Some(policy(60, 1440)),
        })
        .await
        .expect("create");
    let id = created.integration_id.expect("integration_id");

    let got: PublishedAppIntegration = client
        .get_published_app_integration(&id)
        .await
        .expect("get");
    assert_eq!(got.app_id.as_deref(), Some(app_id.as_str()));
    assert_eq!(got.name, app.name, "the name comes from the catalogue");
    assert_eq!(got.token_access_policy, Some(policy(60, 1440)));
    assert!(got.created_at().is_some());

    let listed: Vec<PublishedAppIntegration> =
        client.list_published_app_integrations().await.unwrap();
    assert_eq!(listed.len(), existing.len() + 1);
    assert!(listed.contains(&got));

    let duplicate = client
        .create_published_app_integration(&CreatePublishedAppIntegration {
            app_id: app_id.clone(),
            token_access_policy: None,
        })
        .await
        .expect_err("already integrated");
    assert_eq!(duplicate.status(), Some(409));
    assert_eq!(duplicate.error_code(), Some("RESOURCE_ALREADY_EXISTS"));

    client
        .update_published_app_integration(
            &id,
            &UpdatePublishedAppIntegration {
                token_access_policy: Some(policy(120, 2880)),
            },
        )
        .await
        .expect("update TTL");
    let got: PublishedAppIntegration = client.get_published_app_integration(&id).await.unwrap();
    assert_eq!(got.token_access_policy, Some(policy(120, 2880)));
    let stored = server.shared().read().published_integrations[&id].clone();
    assert_eq!(
        stored["token_access_policy"]["access_token_ttl_in_minutes"],
        120
    );

    client
        .delete_published_app_integration(&id)
        .await
        .expect("delete");
    let error = client
        .get_published_app_integration::<PublishedAppIntegration>(&id)
        .await
        .expect_err("deleted");
    assert!(error.is_not_found(), "{error}");
    let after: Vec<PublishedAppIntegration> =
        client.list_published_app_integrations().await.unwrap();
    assert_eq!(after, existing);
}
