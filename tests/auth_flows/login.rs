//! Whole U2M sign-ins: the scripted browser through auto-approve, the consent page (allow as a
//! chosen admin, deny), and the pasted redirect for browsers on another machine.

use dbx_console::auth::loopback::LoopbackError;
use dbx_console::auth::u2m::{LoginError, LoginEvent};

use crate::support::{
    CLI_CLIENT, ConsentForm, Fake, browser, browser_without_redirects, get, query_params, read,
    redirect_url,
};

#[tokio::test]
async fn auto_approved_sign_in_returns_tokens_that_list_workspaces() {
    let fake = Fake::start(true).await;
    let mut login = fake.cli_login();
    let (port, url) = login.started().await;

    let params = query_params(&url);
    assert!(url.starts_with(&fake.endpoints.authorization_endpoint));
    assert_eq!(params["client_id"], CLI_CLIENT);
    assert_eq!(params["response_type"], "code");
    assert_eq!(params["redirect_uri"], format!("http://localhost:{port}"));
    assert_eq!(params["code_challenge_method"], "S256");
    assert!(!params["code_challenge"].is_empty());
    assert!(!params["state"].is_empty());
    let mut scopes: Vec<&str> = params["scope"].split(' ').collect();
    scopes.sort_unstable();
    assert_eq!(scopes, ["all-apis", "offline_access"]);

    let page = get(&browser(), &url).await;
    assert_eq!(page.status, 200, "the loopback's page: {}", page.text);
    assert!(
        page.url.starts_with(&format!("http://localhost:{port}")),
        "the browser ended on the loopback, not {}",
        page.url
    );
    assert!(
        page.text.contains("dbx-console is signed in"),
        "{}",
        page.text
    );

    let tokens = login.tokens().await;
    assert_eq!(login.later_events(), [LoginEvent::Exchanging]);
    assert!(
        tokens.refresh_token.as_ref().is_some_and(|t| !t.is_empty()),
        "offline_access grants a refresh token"
    );
    assert!(tokens.scopes.iter().any(|s| s == "offline_access"));
    assert!(tokens.scopes.iter().any(|s| s == "all-apis"));
    assert_eq!(
        fake.subject_of(tokens.access_token.expose()),
        fake.user(&fake.default_admin())
    );
    fake.assert_lists_workspaces(tokens.access_token.expose())
        .await;
}

#[tokio::test]
async fn consent_page_allow_signs_in_as_the_chosen_admin() {
    let fake = Fake::start(false).await;
    let mut login = fake.cli_login();
    let (port, url) = login.started().await;
    let stopping = browser_without_redirects();

    let page = get(&stopping, &url).await;
    assert_eq!(page.status, 200, "the consent page: {}", page.text);
    let form = ConsentForm::parse(&page.text);
    let sent = query_params(&url);
    for key in [
        "response_type",
        "client_id",
        "redirect_uri",
        "scope",
        "state",
        "code_challenge",
        "code_challenge_method",
    ] {
        assert_eq!(form.field(key), Some(sent[key].as_str()), "hidden {key}");
    }
    let chosen = form.other_admin().user_name.clone();
    assert_ne!(chosen, fake.default_admin());

    let action = format!("{}{}", fake.server.host, form.action);
    let decided = read(
        stopping
            .post(&action)
            .form(&form.submission("allow", &chosen)),
    )
    .await;
    assert_eq!(decided.status, 302, "the decision: {}", decided.text);
    let location = decided.location.expect("the decision redirects");
    assert!(location.starts_with(&format!("http://localhost:{port}?")));
    assert_eq!(query_params(&location)["state"], sent["state"]);

    let landed = get(&browser(), &location).await;
    assert_eq!(landed.status, 200, "{}", landed.text);
    let tokens = login.tokens().await;
    assert_eq!(
        fake.subject_of(tokens.access_token.expose()),
        fake.user(&chosen)
    );
    assert!(tokens.refresh_token.is_some());
    fake.assert_lists_workspaces(tokens.access_token.expose())
        .await;
}

#[tokio::test]
async fn consent_page_deny_ends_the_login_with_access_denied() {
    let fake = Fake::start(false).await;
    let mut login = fake.cli_login();
    let (_, url) = login.started().await;
    let stopping = browser_without_redirects();
    let form = ConsentForm::parse(&get(&stopping, &url).await.text);
    let user = fake.default_admin();

    let action = format!("{}{}", fake.server.host, form.action);
    let decided = read(stopping.post(&action).form(&form.submission("deny", &user))).await;
    assert_eq!(decided.status, 302, "the decision: {}", decided.text);
    let location = decided.location.expect("the decision redirects");
    assert_eq!(query_params(&location)["error"], "access_denied");

    let landed = get(&browser(), &location).await;
    assert_eq!(landed.status, 400, "{}", landed.text);
    assert!(landed.text.contains("Sign-in failed"), "{}", landed.text);
    match login.result().await {
        Err(LoginError::Denied { error, description }) => {
            assert_eq!(error, "access_denied");
            assert!(!description.is_empty());
        }
        other => panic!("expected Denied, got {other:?}"),
    }
    assert!(
        login.later_events().is_empty(),
        "nothing is exchanged after a denial"
    );
}

#[tokio::test]
async fn pasted_redirect_completes_the_login() {
    let fake = Fake::start(true).await;
    let mut login = fake.cli_login();
    let (_, url) = login.started().await;
    let location = redirect_url(&fake, &url).await;

    login
        .pasted
        .send(format!("  {location}\n"))
        .await
        .expect("the login reads pastes");
    let tokens = login.tokens().await;
    assert_eq!(login.later_events(), [LoginEvent::Exchanging]);
    assert!(tokens.refresh_token.is_some());
    fake.assert_lists_workspaces(tokens.access_token.expose())
        .await;
}

#[tokio::test]
async fn pasted_redirect_with_another_state_is_refused() {
    let fake = Fake::start(true).await;
    let mut login = fake.cli_login();
    let (_, url) = login.started().await;
    let location = redirect_url(&fake, &url).await;
    let state = query_params(&location)["state"].clone();
    let forged = location.replace(&state, "forged-state");

    login
        .pasted
        .send(forged)
        .await
        .expect("the login reads pastes");
    match login.result().await {
        Err(LoginError::Loopback(LoopbackError::StateMismatch { got })) => {
            assert_eq!(got, "forged-state");
        }
        other => panic!("expected StateMismatch, got {other:?}"),
    }
}

#[tokio::test]
async fn garbage_paste_is_ignored_and_a_later_good_paste_works() {
    let fake = Fake::start(true).await;
    let mut login = fake.cli_login();
    let (_, url) = login.started().await;
    let location = redirect_url(&fake, &url).await;

    login
        .pasted
        .send("hello".to_owned())
        .await
        .expect("the login reads pastes");
    login
        .pasted
        .send(location)
        .await
        .expect("the login reads pastes");
    let tokens = login.tokens().await;
    fake.assert_lists_workspaces(tokens.access_token.expose())
        .await;
}
