//! Fields the models do not type survive a get → modify → write round trip: a SCIM
//! extension schema on a user, nested unknown attributes, and the app policy fields a
//! partial edit does not touch.

use dbx_console::api::models::{
    CreateCustomAppIntegration, CustomAppIntegration, Name, ServicePrincipal, TokenAccessPolicy,
    UpdateCustomAppIntegration, User, scim::USER_SCHEMA,
};
use serde_json::{Map, Value, json};

use crate::support::{admin, demo};

const EXTENSION: &str = "urn:example:params:scim:schemas:extension:test:2.0:User";

#[tokio::test]
async fn a_user_extension_survives_get_modify_replace() {
    let server = demo().await;
    let client = admin(&server);
    let mut user = User::new("extended.person@example.com");
    user.schemas = vec![USER_SCHEMA.to_owned(), EXTENSION.to_owned()];
    user.display_name = Some("Extended Person".into());
    let mut name_extra = Map::new();
    name_extra.insert("honorificPrefix".into(), json!("Dr."));
    user.name = Some(Name {
        given_name: Some("Extended".into()),
        family_name: Some("Person".into()),
        extra: name_extra,
    });
    user.extra
        .insert(EXTENSION.into(), json!({"costCenter": "42"}));
    let id = client.create(&user).await.expect("create").id.expect("id");
    assert_eq!(
        server.shared().read().users.get(&id).unwrap()[EXTENSION],
        json!({"costCenter": "42"}),
        "the fake stored the extension"
    );

    let mut read: User = client.get(&id).await.expect("get");
    assert_eq!(read.extra[EXTENSION], json!({"costCenter": "42"}));
    assert_eq!(read.name.as_ref().unwrap().extra["honorificPrefix"], "Dr.");
    read.display_name = Some("Renamed Person".into());
    client.replace(&id, &read).await.expect("replace");

    let again: User = client.get(&id).await.expect("get again");
    assert_eq!(again.display_name.as_deref(), Some("Renamed Person"));
    assert_eq!(
        again.extra.get(EXTENSION),
        Some(&json!({"costCenter": "42"})),
        "the extension attribute is still there"
    );
    assert_eq!(again.name.as_ref().unwrap().extra["honorificPrefix"], "Dr.");
    let raw = client.get_json::<User>(&id).await.unwrap();
    assert_eq!(raw[EXTENSION]["costCenter"], "42");
    assert_eq!(raw["name"]["honorificPrefix"], "Dr.");
}

#[tokio::test]
async fn an_unknown_service_principal_attribute_survives_replace() {
    let server = demo().await;
    let client = admin(&server);
    let mut sp = ServicePrincipal::new("extended-sp");
    sp.extra.insert(
        "futureAttribute".into(),
        json!({"nested": [1, 2, {"deep": true}]}),
    );
    let id = client.create(&sp).await.expect("create").id.expect("id");
    let mut read: ServicePrincipal = client.get(&id).await.unwrap();
    read.display_name = Some("extended-sp-renamed".into());
    client.replace(&id, &read).await.expect("replace");
    let again: ServicePrincipal = client.get(&id).await.unwrap();
    assert_eq!(again.display_name.as_deref(), Some("extended-sp-renamed"));
    assert_eq!(
        again.extra["futureAttribute"],
        json!({"nested": [1, 2, {"deep": true}]})
    );
}

/// The fake types `token_access_policy` and drops fields it does not know, so a nested
/// unknown field cannot make the trip through it. What is checked instead: editing one
/// field of the policy read from the server keeps every other field the server sent.
#[tokio::test]
async fn a_policy_edit_keeps_the_fields_it_does_not_touch() {
    let server = demo().await;
    let client = admin(&server);
    let original = TokenAccessPolicy {
        access_token_ttl_in_minutes: Some(60),
        refresh_token_ttl_in_minutes: Some(10_080),
        enable_single_use_refresh_tokens: Some(true),
        absolute_session_lifetime_in_minutes: Some(43_200),
        extra: Map::new(),
    };
    let id = client
        .create_custom_app_integration(&CreateCustomAppIntegration {
            name: Some("policy-roundtrip".into()),
            scopes: vec!["sql".into()],
            token_access_policy: Some(original.clone()),
            ..CreateCustomAppIntegration::default()
        })
        .await
        .unwrap()
        .integration_id
        .unwrap();

    let read: CustomAppIntegration = client.get_custom_app_integration(&id).await.unwrap();
    let mut policy = read.token_access_policy.clone().expect("policy");
    assert_eq!(policy, original);
    policy.access_token_ttl_in_minutes = Some(30);
    client
        .update_custom_app_integration(
            &id,
            &UpdateCustomAppIntegration {
                token_access_policy: Some(policy),
                ..UpdateCustomAppIntegration::default()
            },
        )
        .await
        .expect("update");
    let after: CustomAppIntegration = client.get_custom_app_integration(&id).await.unwrap();
    assert_eq!(
        after.token_access_policy,
        Some(TokenAccessPolicy {
            access_token_ttl_in_minutes: Some(30),
            ..original
        })
    );
    assert_eq!(after.scopes, read.scopes);
    let stored: Value = Value::Object(server.shared().read().custom_apps[&id].info.clone());
    assert_eq!(
        stored["token_access_policy"]["absolute_session_lifetime_in_minutes"],
        43_200
    );
}

#[test]
fn the_update_body_carries_unknown_policy_fields_read_from_the_server() {
    let read: CustomAppIntegration = serde_json::from_value(json!({
        "integration_id": "i-1",
        "token_access_policy": {
            "access_token_ttl_in_minutes": 60,
            "future_knob": {"mode": "strict", "levels": [1, 2]}
        },
        "future_top_level": true
    }))
    .unwrap();
    assert_eq!(read.extra["future_top_level"], true);
    let mut policy = read.token_access_policy.expect("policy");
    policy.access_token_ttl_in_minutes = Some(30);
    let body = serde_json::to_value(UpdateCustomAppIntegration {
        token_access_policy: Some(policy),
        ..UpdateCustomAppIntegration::default()
    })
    .unwrap();
    assert_eq!(
        body,
        json!({"token_access_policy": {
            "access_token_ttl_in_minutes": 30,
            "future_knob": {"mode": "strict", "levels": [1, 2]}
        }})
    );
}
