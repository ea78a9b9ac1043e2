//! Service principal OAuth secrets: create with a lifetime, list, delete; the plaintext is
//! in the create response and nowhere else.

use dbx_console::api::models::{CreateSecretRequest, SecretInfo};
use serde_json::Value;

use crate::support::{DEMO_SP_WITHOUT_SECRETS, admin, demo, service_principal_id};

#[tokio::test]
async fn secret_lifecycle_reveals_the_value_once() {
    let server = demo().await;
    let client = admin(&server);
    let sp = service_principal_id(&server, DEMO_SP_WITHOUT_SECRETS);
    assert!(
        client
            .list_service_principal_secrets::<SecretInfo>(&sp)
            .await
            .unwrap()
            .is_empty()
    );

    let request = CreateSecretRequest::with_lifetime_days(90);
    assert_eq!(request.lifetime.as_deref(), Some("7776000s"));
    let created = client
        .create_service_principal_secret(&sp, &request)
        .await
        .expect("create");
    let plaintext = created
        .secret
        .as_ref()
        .expect("the value")
        .expose()
        .to_owned();
    assert!(plaintext.starts_with("dose"));
    let debug = format!("{created:?}");
    assert!(
        debug.contains("***") && !debug.contains(&plaintext),
        "{debug}"
    );
    assert!(
        !serde_json::to_string(&created)
            .unwrap()
            .contains(&plaintext)
    );
    let info = &created.info;
    let id = info.id.clone().expect("id");
    assert!(info.is_active());
    let lifetime = info.expires_at().unwrap() - info.created_at().unwrap();
    assert_eq!(lifetime.num_days(), 90);
    assert_eq!(lifetime.num_seconds(), 90 * 86_400);

    let second = client
        .create_service_principal_secret(&sp, &CreateSecretRequest::default())
        .await
        .expect("create with the default lifetime");
    let second_plaintext = second.secret.as_ref().unwrap().expose().to_owned();
    let default_lifetime = second.info.expires_at().unwrap() - second.info.created_at().unwrap();
    assert_eq!(default_lifetime.num_days(), 730);

    let listed: Vec<SecretInfo> = client.list_service_principal_secrets(&sp).await.unwrap();
    let listed_ids: Vec<&str> = listed.iter().map(|s| s.id.as_deref().unwrap()).collect();
    assert_eq!(
        listed_ids,
        [id.as_str(), second.info.id.as_deref().unwrap()]
    );
    assert_eq!(
        listed[0], created.info,
        "list shows what create showed, minus the value"
    );
    let raw: Vec<Value> = client.list_service_principal_secrets(&sp).await.unwrap();
    for item in &raw {
        assert!(item.get("secret").is_none(), "{item}");
        let text = item.to_string();
        assert!(!text.contains(&plaintext) && !text.contains(&second_plaintext));
    }
    {
        let account = server.shared().read();
        let stored = &account.secrets[&sp];
        assert_eq!(stored.len(), 2);
        assert!(
            stored
                .iter()
                .all(|s| !format!("{:?}", s.info).contains("dose")),
            "the fake keeps only hashes"
        );
    }

    client
        .delete_service_principal_secret(&sp, &id)
        .await
        .expect("delete");
    let listed: Vec<SecretInfo> = client.list_service_principal_secrets(&sp).await.unwrap();
    assert_eq!(listed, vec![second.info.clone()]);
    assert_eq!(server.shared().read().secrets[&sp].len(), 1);
    let again = client
        .delete_service_principal_secret(&sp, &id)
        .await
        .expect_err("already deleted");
    assert_eq!(again.status(), Some(404));
}

#[tokio::test]
async fn secrets_of_a_seeded_service_principal_match_the_fake() {
    let server = demo().await;
    let client = admin(&server);
    let sp = service_principal_id(&server, "jenkins-legacy");
    let listed: Vec<SecretInfo> = client.list_service_principal_secrets(&sp).await.unwrap();
    let expected: Vec<String> = server.shared().read().secrets[&sp]
        .iter()
        .map(|s| s.info["id"].as_str().unwrap().to_owned())
        .collect();
    assert_eq!(expected.len(), 5);
    assert_eq!(
        listed
            .iter()
            .map(|s| s.id.clone().unwrap())
            .collect::<Vec<_>>(),
        expected
    );
    let full = client
        .create_service_principal_secret(&sp, &CreateSecretRequest::with_lifetime_days(1))
        .await
        .expect_err("five live secrets is the cap");
    assert_eq!(full.status(), Some(400));
    assert_eq!(full.error_code(), Some("INVALID_STATE"));
    assert_eq!(server.shared().read().secrets[&sp].len(), 5);
}
