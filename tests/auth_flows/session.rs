//! The signed-in session as a token source: refresh with single-use refresh tokens (saved
//! before the new access token is handed out), one shared refresh for concurrent callers, and
//! "sign in again" when the refresh token is refused.

use std::sync::Arc;

use chrono::Utc;
use dbx_console::api::{ApiErrorKind, TokenError, TokenSource};
use dbx_console::auth::session::{OAuthSession, SessionTokens};
use dbx_console::auth::u2m::{self, LoginError};
use dbx_console::secret::Secret;
use futures_util::future::join_all;

use crate::support::{
    DEADLINE, Fake, RecordingPersistence, cli_app, expired, rotating_app, session, sign_in,
};

#[tokio::test]
async fn rotated_refresh_token_is_saved_before_the_new_access_token_is_used() {
    let fake = Fake::start(true).await;
    let app = rotating_app(&fake).await;
    let tokens = sign_in(&fake, &app).await;
    let old_access = tokens.access_token.clone();
    let old_refresh = tokens.refresh_token.clone().expect("a refresh token");
    let persistence = Arc::new(RecordingPersistence::default());
    let session = session(
        &fake,
        &app,
        SessionTokens::from_grant(tokens, Utc::now()),
        &persistence,
    );

    assert_eq!(session.token().await, Ok(old_access.clone()), "still fresh");
    assert_eq!(persistence.saves(), 0);

    let renewed = session
        .refresh_after_rejection(&old_access)
        .await
        .expect("the refresh succeeds");
    assert_ne!(renewed, old_access);
    assert_eq!(
        persistence.saves(),
        1,
        "saved exactly once, before returning"
    );
    let saved = persistence.last().expect("saved tokens");
    assert_eq!(saved.access_token, renewed);
    let new_refresh = saved
        .refresh_token
        .clone()
        .expect("a rotated refresh token");
    assert_ne!(new_refresh, old_refresh, "single-use tokens rotate");
    assert!(saved.expiry > Utc::now());
    assert_eq!(session.snapshot().await, saved);

    assert_eq!(session.token().await, Ok(renewed.clone()));
    assert_eq!(
        session.refresh_after_rejection(&old_access).await,
        Ok(renewed.clone()),
        "a stale rejection reuses the refreshed token"
    );
    assert_eq!(persistence.saves(), 1);
    fake.assert_lists_workspaces(renewed.expose()).await;

    match u2m::refresh(&fake.http, &fake.endpoints, &app, &old_refresh).await {
        Err(LoginError::SignInRequired(reason)) => {
            assert!(reason.contains("Refresh token is invalid"), "{reason}");
        }
        other => panic!("expected SignInRequired for the spent token, got {other:?}"),
    }
    let again = u2m::refresh(&fake.http, &fake.endpoints, &app, &new_refresh)
        .await
        .expect("the rotated refresh token works");
    assert!(again.refresh_token.is_some_and(|t| t != new_refresh));
}

#[tokio::test]
async fn a_failed_save_keeps_the_new_access_token_back() {
    let fake = Fake::start(true).await;
    let app = rotating_app(&fake).await;
    let tokens = sign_in(&fake, &app).await;
    let old_access = tokens.access_token.clone();
    let persistence = Arc::new(RecordingPersistence::failing("disk full"));
    let session = session(
        &fake,
        &app,
        SessionTokens::from_grant(tokens, Utc::now()),
        &persistence,
    );

    match session.refresh_after_rejection(&old_access).await {
        Err(TokenError::Unavailable(reason)) => assert!(reason.contains("disk full"), "{reason}"),
        other => panic!("expected Unavailable, got {other:?}"),
    }
    assert_eq!(persistence.saves(), 1);
    assert_eq!(
        session.snapshot().await.access_token,
        old_access,
        "the unsaved tokens are not adopted"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn concurrent_callers_share_one_refresh() {
    let fake = Fake::start(true).await;
    let app = cli_app();
    let tokens = sign_in(&fake, &app).await;
    let old_access = tokens.access_token.clone();
    let persistence = Arc::new(RecordingPersistence::default());
    let session = Arc::new(session(&fake, &app, expired(tokens), &persistence));

    let calls = (0..10).map(|_| {
        let session = session.clone();
        tokio::spawn(async move { session.token().await })
    });
    let results = tokio::time::timeout(DEADLINE, join_all(calls))
        .await
        .expect("the calls finish");
    let tokens: Vec<Secret> = results
        .into_iter()
        .map(|joined| joined.expect("no panic").expect("a token"))
        .collect();

    let first = tokens[0].clone();
    assert_ne!(first, old_access, "the expired token was refreshed");
    assert!(tokens.iter().all(|t| *t == first), "all share one token");
    assert_eq!(persistence.saves(), 1, "one refresh, saved once");
    assert_eq!(persistence.last().expect("saved").access_token, first);
    fake.assert_lists_workspaces(first.expose()).await;
}

#[tokio::test]
async fn an_invalid_refresh_token_means_sign_in_again() {
    let fake = Fake::start(true).await;
    let app = cli_app();
    let tokens = sign_in(&fake, &app).await;
    let mut stale = expired(tokens);
    stale.refresh_token = Some(Secret::new("doau-not-a-refresh-token"));
    let persistence = Arc::new(RecordingPersistence::default());
    let session = Arc::new(session(&fake, &app, stale, &persistence));

    match session.token().await {
        Err(TokenError::SignInRequired(reason)) => {
            assert!(reason.contains("Refresh token is invalid"), "{reason}");
        }
        other => panic!("expected SignInRequired, got {other:?}"),
    }
    let error = fake
        .client(session.clone())
        .list_workspaces::<serde_json::Value>()
        .await
        .expect_err("no request without a token");
    assert!(
        matches!(error.kind.as_ref(), ApiErrorKind::SignInRequired(_)),
        "{error:?}"
    );
    assert_eq!(persistence.saves(), 0);
}

#[tokio::test]
async fn a_rejected_access_token_with_a_dead_refresh_token_means_sign_in_again() {
    let fake = Fake::start(true).await;
    let app = cli_app();
    let tokens = sign_in(&fake, &app).await;
    let mut current = SessionTokens::from_grant(tokens, Utc::now());
    current.access_token = Secret::new("not-an-access-token");
    current.refresh_token = Some(Secret::new("doau-not-a-refresh-token"));
    let session = Arc::new(OAuthSession::new(
        fake.http.clone(),
        fake.endpoints.clone(),
        app,
        current,
        None,
    ));

    let error = fake
        .client(session)
        .list_workspaces::<serde_json::Value>()
        .await
        .expect_err("the 401 cannot be recovered");
    assert!(
        matches!(error.kind.as_ref(), ApiErrorKind::SignInRequired(_)),
        "{error:?}"
    );
}

#[tokio::test]
async fn a_stored_session_reads_nothing_until_a_refresh_needs_it() {
    let fake = Fake::start(true).await;
    let app = cli_app();
    let tokens = sign_in(&fake, &app).await;
    let fresh = SessionTokens::from_grant(tokens, Utc::now());
    let persistence = Arc::new(RecordingPersistence::default());
    // Nothing listens here: a fresh token must not need discovery.
    let nowhere = "http://127.0.0.1:9/oidc/accounts/none".to_owned();
    let session = OAuthSession::stored(
        nowhere.clone(),
        app.clone(),
        fresh.clone(),
        Some(persistence.clone()),
    );
    assert_eq!(session.token().await, Ok(fresh.access_token.clone()));

    // Expired, it discovers the endpoints from the root it was given, then refreshes.
    let mut stale = fresh.clone();
    stale.expiry = Utc::now() - chrono::Duration::minutes(1);
    let unreachable = OAuthSession::stored(nowhere, app.clone(), stale.clone(), None);
    assert!(
        matches!(unreachable.token().await, Err(TokenError::Unavailable(_))),
        "discovery against nothing fails as unavailable"
    );
    let oidc_root = format!(
        "{}/oidc/accounts/{}",
        fake.server.host, fake.server.account_id
    );
    let session = OAuthSession::stored(oidc_root, app, stale, Some(persistence.clone()));
    let renewed = session.token().await.expect("the refresh succeeds");
    assert_ne!(renewed, fresh.access_token);
    assert_eq!(persistence.last().expect("saved").access_token, renewed);
    fake.assert_lists_workspaces(renewed.expose()).await;
}
