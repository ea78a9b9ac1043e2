//! Headless sign-in: M2M client credentials with a service principal's OAuth secret, and
//! RFC 8693 token federation against service-principal and account-wide policies.

use std::sync::Arc;

use dbx_console::api::models::{CreateSecretRequest, FederationPolicy, OidcPolicy};
use dbx_console::api::{ApiErrorKind, FederationScope, TokenError, TokenSource};
use dbx_console::auth::machine::{Grant, OidcToken};
use dbx_console::mock::oidc::jwt::SigningKey;
use dbx_console::mock::oidc::sessions::Subject;
use dbx_console::secret::Secret;
use serde_json::{Value, json};

use crate::support::{
    CI_SUBJECT, Fake, admin_service_principal, federated_service_principal, idp_claims,
    lists_workspaces, machine, oidc_policy, token_file,
};

#[tokio::test]
async fn client_credentials_of_an_admin_service_principal_list_workspaces() {
    let fake = Fake::start(false).await;
    let (sp_id, application_id) = admin_service_principal(&fake, "auth-flows-m2m").await;
    let created = fake
        .admin()
        .create_service_principal_secret(&sp_id, &CreateSecretRequest::with_lifetime_days(30))
        .await
        .expect("the secret is created");
    let secret = created.secret.expect("the value comes back once");
    let source = Arc::new(machine(
        &fake,
        Grant::ClientCredentials {
            client_id: application_id,
            client_secret: secret,
        },
    ));

    let token = source.token().await.expect("a token");
    assert_eq!(
        fake.subject_of(token.expose()),
        Subject::ServicePrincipal(sp_id)
    );
    assert_eq!(source.token().await, Ok(token), "cached until near expiry");
    lists_workspaces(&fake, source).await;
}

#[tokio::test]
async fn a_wrong_client_secret_means_sign_in_again() {
    let fake = Fake::start(false).await;
    let (sp_id, application_id) = admin_service_principal(&fake, "auth-flows-m2m-wrong").await;
    fake.admin()
        .create_service_principal_secret(&sp_id, &CreateSecretRequest::with_lifetime_days(30))
        .await
        .expect("the secret is created");
    let source = Arc::new(machine(
        &fake,
        Grant::ClientCredentials {
            client_id: application_id,
            client_secret: Secret::new("dose-not-the-secret"),
        },
    ));

    match source.token().await {
        Err(TokenError::SignInRequired(reason)) => {
            assert!(reason.contains("invalid_client"), "{reason}");
        }
        other => panic!("expected SignInRequired, got {other:?}"),
    }
    let error = fake
        .client(source)
        .list_workspaces::<Value>()
        .await
        .expect_err("no token, no request");
    match error.kind.as_ref() {
        ApiErrorKind::SignInRequired(reason) => assert!(reason.contains("invalid_client")),
        other => panic!("expected SignInRequired, got {other:?}"),
    }
}

#[tokio::test]
async fn service_principal_federation_exchanges_a_file_token() {
    let fake = Fake::start(false).await;
    let key = SigningKey::generate();
    let (sp_id, application_id) = federated_service_principal(&fake, &key).await;
    let file = token_file(&key.sign_with_header(
        "JWT",
        &idp_claims("auth-flows-ci", json!({"sub": CI_SUBJECT})),
    ));
    let source = Arc::new(machine(
        &fake,
        Grant::TokenExchange {
            token: OidcToken::File(file.path().to_owned()),
            client_id: Some(application_id),
        },
    ));

    let token = source.token().await.expect("the exchange succeeds");
    assert_eq!(
        fake.subject_of(token.expose()),
        Subject::ServicePrincipal(sp_id)
    );
    lists_workspaces(&fake, source).await;
}

#[tokio::test]
async fn service_principal_federation_refuses_another_subject() {
    let fake = Fake::start(false).await;
    let key = SigningKey::generate();
    let (_, application_id) = federated_service_principal(&fake, &key).await;
    let file = token_file(&key.sign_with_header(
        "JWT",
        &idp_claims(
            "auth-flows-ci",
            json!({"sub": "repo:northwind/infra:ref:refs/heads/feature"}),
        ),
    ));
    let source = machine(
        &fake,
        Grant::TokenExchange {
            token: OidcToken::File(file.path().to_owned()),
            client_id: Some(application_id),
        },
    );

    match source.token().await {
        Err(TokenError::SignInRequired(reason)) => {
            assert!(reason.contains("invalid_grant"), "{reason}");
            assert!(reason.contains("does not match"), "{reason}");
        }
        other => panic!("expected SignInRequired, got {other:?}"),
    }
}

#[tokio::test]
async fn service_principal_federation_refuses_a_token_signed_by_another_key() {
    let fake = Fake::start(false).await;
    let key = SigningKey::generate();
    let (_, application_id) = federated_service_principal(&fake, &key).await;
    let impostor = SigningKey::generate();
    let file = token_file(&impostor.sign_with_header(
        "JWT",
        &idp_claims("auth-flows-ci", json!({"sub": CI_SUBJECT})),
    ));
    let source = machine(
        &fake,
        Grant::TokenExchange {
            token: OidcToken::File(file.path().to_owned()),
            client_id: Some(application_id),
        },
    );

    assert!(
        matches!(source.token().await, Err(TokenError::SignInRequired(reason)) if reason.contains("invalid_grant")),
        "a token the policy's keys did not sign is refused"
    );
}

#[tokio::test]
async fn account_federation_signs_in_the_user_named_by_the_email_claim() {
    let fake = Fake::start(false).await;
    let key = SigningKey::generate();
    fake.admin()
        .create_federation_policy(
            &FederationScope::Account,
            Some("auth-flows-workforce"),
            &FederationPolicy {
                oidc_policy: Some(OidcPolicy {
                    subject_claim: Some("email".into()),
                    ..oidc_policy(&key, "auth-flows-workforce")
                }),
                ..FederationPolicy::default()
            },
        )
        .await
        .expect("the policy is created");
    let admin = fake.default_admin();
    let file = token_file(&key.sign_with_header(
        "JWT",
        &idp_claims(
            "auth-flows-workforce",
            json!({"sub": "00u-some-idp-id", "email": admin}),
        ),
    ));
    let source = Arc::new(machine(
        &fake,
        Grant::TokenExchange {
            token: OidcToken::File(file.path().to_owned()),
            client_id: None,
        },
    ));

    let token = source.token().await.expect("the exchange succeeds");
    assert_eq!(fake.subject_of(token.expose()), fake.user(&admin));
    lists_workspaces(&fake, source).await;
}
