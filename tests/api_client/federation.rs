//! Federation policies, account-wide and per service principal: create with a policy id,
//! get, list, update with and without `update_mask`, delete; and `page_token` paging over
//! more than one page.

use dbx_console::api::FederationScope;
use dbx_console::api::models::{FederationPolicy, OidcPolicy};

use crate::support::{DEMO_SP_WITHOUT_SECRETS, admin, demo, http, service_principal_id};

fn oidc(issuer: &str, audiences: &[&str]) -> OidcPolicy {
    OidcPolicy {
        issuer: Some(issuer.into()),
        audiences: audiences.iter().map(|a| (*a).to_owned()).collect(),
        ..OidcPolicy::default()
    }
}

fn body(description: Option<&str>, oidc_policy: Option<OidcPolicy>) -> FederationPolicy {
    FederationPolicy {
        description: description.map(str::to_owned),
        oidc_policy,
        ..FederationPolicy::default()
    }
}

#[tokio::test]
async fn account_policy_lifecycle() {
    let server = demo().await;
    let client = admin(&server);
    let scope = FederationScope::Account;
    let before: Vec<FederationPolicy> = client.list_federation_policies(&scope).await.unwrap();
    assert_eq!(before.len(), server.shared().read().account_policies.len());

    let mut initial = oidc("https://idp.example.com", &["databricks"]);
    initial.subject_claim = Some("email".into());
    let created = client
        .create_federation_policy(
            &scope,
            Some("corp-idp"),
            &body(Some("Corporate IdP"), Some(initial.clone())),
        )
        .await
        .expect("create");
    assert_eq!(created.policy_id.as_deref(), Some("corp-idp"));
    assert_eq!(
        created.name,
        Some(format!(
            "accounts/{}/federationPolicies/corp-idp",
            server.account_id
        ))
    );
    assert!(!created.is_service_principal_policy());
    assert!(created.uid.is_some() && created.created_at().is_some());
    assert_eq!(created.oidc_policy, Some(initial.clone()));

    let got = client
        .get_federation_policy(&scope, "corp-idp")
        .await
        .expect("get");
    assert_eq!(got, created);
    let listed: Vec<FederationPolicy> = client.list_federation_policies(&scope).await.unwrap();
    assert_eq!(listed.len(), before.len() + 1);
    assert!(listed.contains(&created));

    // With a mask, only the named field changes even though the body carries more.
    let masked = client
        .update_federation_policy(
            &scope,
            "corp-idp",
            &body(
                Some("Corporate IdP (new)"),
                Some(oidc("https://ignored.example.com", &["ignored"])),
            ),
            Some("description"),
        )
        .await
        .expect("update description");
    assert_eq!(masked.description.as_deref(), Some("Corporate IdP (new)"));
    assert_eq!(masked.oidc_policy, Some(initial.clone()));

    let leaf = client
        .update_federation_policy(
            &scope,
            "corp-idp",
            &body(
                None,
                Some(OidcPolicy {
                    audiences: vec!["databricks".into(), server.account_id.clone()],
                    ..OidcPolicy::default()
                }),
            ),
            Some("oidc_policy.audiences"),
        )
        .await
        .expect("update audiences");
    let leaf_oidc = leaf.oidc_policy.clone().unwrap();
    assert_eq!(
        leaf_oidc.audiences,
        ["databricks", server.account_id.as_str()]
    );
    assert_eq!(leaf_oidc.issuer.as_deref(), Some("https://idp.example.com"));
    assert_eq!(leaf_oidc.subject_claim.as_deref(), Some("email"));
    assert_eq!(leaf.description.as_deref(), Some("Corporate IdP (new)"));

    // Without a mask, every field present in the body overwrites; absent ones are kept.
    let unmasked = client
        .update_federation_policy(&scope, "corp-idp", &body(Some("third"), None), None)
        .await
        .expect("update without mask");
    assert_eq!(unmasked.description.as_deref(), Some("third"));
    assert_eq!(unmasked.oidc_policy, Some(leaf_oidc));
    let replaced = client
        .update_federation_policy(
            &scope,
            "corp-idp",
            &body(None, Some(oidc("https://other.example.com", &["x"]))),
            None,
        )
        .await
        .expect("replace oidc_policy");
    assert_eq!(
        replaced.oidc_policy,
        Some(oidc("https://other.example.com", &["x"]))
    );
    assert_eq!(replaced.description.as_deref(), Some("third"));
    assert_eq!(
        client
            .get_federation_policy(&scope, "corp-idp")
            .await
            .unwrap(),
        replaced
    );
    assert_eq!(
        server.shared().read().account_policies["corp-idp"]["description"],
        "third"
    );

    client
        .delete_federation_policy(&scope, "corp-idp")
        .await
        .expect("delete");
    let error = client
        .get_federation_policy(&scope, "corp-idp")
        .await
        .expect_err("deleted");
    assert!(error.is_not_found(), "{error}");
    assert_eq!(http(&error).error_code, "RESOURCE_DOES_NOT_EXIST");
    assert_eq!(
        client
            .list_federation_policies::<FederationPolicy>(&scope)
            .await
            .unwrap(),
        before
    );
}

#[tokio::test]
async fn service_principal_policy_lifecycle() {
    let server = demo().await;
    let client = admin(&server);
    let sp = service_principal_id(&server, DEMO_SP_WITHOUT_SECRETS);
    let scope = FederationScope::ServicePrincipal(sp.clone());
    let before: Vec<FederationPolicy> = client.list_federation_policies(&scope).await.unwrap();

    let mut policy = oidc(
        "https://token.actions.githubusercontent.com",
        &["https://github.com/example"],
    );
    policy.subject = Some("repo:example/infra:ref:refs/heads/main".into());
    let created = client
        .create_federation_policy(&scope, Some("gh/main"), &body(None, Some(policy.clone())))
        .await
        .expect("create");
    assert_eq!(created.policy_id.as_deref(), Some("gh/main"));
    assert_eq!(created.service_principal_id, Some(sp.parse().unwrap()));
    assert!(created.is_service_principal_policy());
    assert_eq!(
        client
            .get_federation_policy(&scope, "gh/main")
            .await
            .unwrap(),
        created,
        "a policy id with a slash is addressed as is"
    );
    let listed: Vec<FederationPolicy> = client.list_federation_policies(&scope).await.unwrap();
    assert_eq!(listed.len(), before.len() + 1);

    let updated = client
        .update_federation_policy(
            &scope,
            "gh/main",
            &body(
                None,
                Some(OidcPolicy {
                    subject: Some("repo:example/infra:environment:prod".into()),
                    ..OidcPolicy::default()
                }),
            ),
            Some("oidc_policy.subject"),
        )
        .await
        .expect("update subject");
    assert_eq!(
        updated.oidc_policy.as_ref().unwrap().subject.as_deref(),
        Some("repo:example/infra:environment:prod")
    );
    assert_eq!(updated.oidc_policy.as_ref().unwrap().issuer, policy.issuer);
    let described = client
        .update_federation_policy(&scope, "gh/main", &body(Some("deploys"), None), None)
        .await
        .expect("update without mask");
    assert_eq!(described.description.as_deref(), Some("deploys"));
    assert_eq!(described.oidc_policy, updated.oidc_policy);

    let generated = client
        .create_federation_policy(&scope, None, &body(None, Some(policy.clone())))
        .await
        .expect("create without policy_id");
    let generated_id = generated.policy_id.clone().expect("assigned");
    assert!(!generated_id.is_empty());

    client
        .delete_federation_policy(&scope, "gh/main")
        .await
        .expect("delete");
    client
        .delete_federation_policy(&scope, &generated_id)
        .await
        .expect("delete generated");
    let error = client
        .get_federation_policy(&scope, "gh/main")
        .await
        .expect_err("deleted");
    assert_eq!(error.status(), Some(404));
    assert_eq!(
        client
            .list_federation_policies::<FederationPolicy>(&scope)
            .await
            .unwrap(),
        before
    );
}

#[tokio::test]
async fn account_policies_are_followed_across_pages() {
    let server = demo().await;
    let client = admin(&server);
    let scope = FederationScope::Account;
    for n in 0..110 {
        client
            .create_federation_policy(
                &scope,
                Some(&format!("bulk-{n:03}")),
                &body(None, Some(oidc("https://idp.example.com", &["databricks"]))),
            )
            .await
            .expect("create");
    }
    let expected: Vec<String> = server
        .shared()
        .read()
        .account_policies
        .keys()
        .cloned()
        .collect();
    assert!(expected.len() > 100);
    let before = client.attempts();
    let listed: Vec<FederationPolicy> = client.list_federation_policies(&scope).await.unwrap();
    assert_eq!(client.attempts() - before, 2, "two pages of at most 100");
    let ids: Vec<String> = listed.into_iter().map(|p| p.policy_id.unwrap()).collect();
    assert_eq!(ids, expected);
}
