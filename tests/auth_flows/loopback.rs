//! The loopback listener inside a login: a redirect with another `state`, stray requests,
//! busy ports, the timeout, cancellation, and the port being free again afterwards.

use std::time::{Duration, Instant};

use dbx_console::auth::loopback::LoopbackError;
use dbx_console::auth::u2m::{LoginError, LoginEvent};

use crate::support::{
    DEADLINE, Fake, assert_port_released, browser, browser_without_redirects, cli_app, free_port,
    get, occupy_port, settings, unanswered,
};

#[tokio::test]
async fn redirect_with_another_state_is_rejected_with_a_400_page() {
    let fake = Fake::start(true).await;
    let mut login = fake.cli_login();
    let (port, _) = login.started().await;

    let page = get(
        &browser(),
        &format!("http://127.0.0.1:{port}/?code=x&state=wrong"),
    )
    .await;
    assert_eq!(page.status, 400, "{}", page.text);
    assert!(page.text.contains("Sign-in rejected"), "{}", page.text);
    assert!(page.text.contains("wrong"), "{}", page.text);
    match login.result().await {
        Err(LoginError::Loopback(LoopbackError::StateMismatch { got })) => {
            assert_eq!(got, "wrong");
        }
        other => panic!("expected StateMismatch, got {other:?}"),
    }
    assert!(login.later_events().is_empty(), "no code was exchanged");
}

#[tokio::test]
async fn stray_requests_get_404_and_the_login_still_completes() {
    let fake = Fake::start(true).await;
    let mut login = fake.cli_login();
    let (port, url) = login.started().await;
    let client = browser();

    for path in ["/favicon.ico", "/", "/?state=only-a-state"] {
        let page = get(&client, &format!("http://127.0.0.1:{port}{path}")).await;
        assert_eq!(page.status, 404, "GET {path}: {}", page.text);
    }
    let page = get(&client, &url).await;
    assert_eq!(page.status, 200, "{}", page.text);
    let tokens = login.tokens().await;
    fake.assert_lists_workspaces(tokens.access_token.expose())
        .await;
}

#[tokio::test]
async fn a_busy_port_falls_back_to_the_next() {
    let fake = Fake::start(true).await;
    let (_held, busy) = occupy_port();
    let next = free_port();
    let mut login = fake.login(cli_app(), settings(vec![busy, next], DEADLINE));

    assert_eq!(
        login.listening().await,
        (next, vec![busy]),
        "the busy port is reported and the next one used"
    );
    let url = login.manual_url().await;
    assert!(url.contains(&format!("localhost%3A{next}")), "{url}");
    let page = get(&browser(), &url).await;
    assert_eq!(page.status, 200, "{}", page.text);
    let tokens = login.tokens().await;
    fake.assert_lists_workspaces(tokens.access_token.expose())
        .await;
}

#[tokio::test]
async fn all_ports_busy_is_no_free_port() {
    let fake = Fake::start(true).await;
    let (_first, a) = occupy_port();
    let (_second, b) = occupy_port();
    let mut login = fake.login(cli_app(), settings(vec![a, b], DEADLINE));

    match login.result().await {
        Err(LoginError::Loopback(LoopbackError::NoFreePort { ports })) => {
            assert_eq!(ports, [a, b]);
        }
        other => panic!("expected NoFreePort, got {other:?}"),
    }
    assert!(login.later_events().is_empty(), "nothing was listening");
}

#[tokio::test]
async fn nobody_answering_times_out() {
    let fake = Fake::start(true).await;
    let started = Instant::now();
    let (mut login, _) = unanswered(&fake, Duration::from_millis(300)).await;

    match login.result().await {
        Err(LoginError::TimedOut(after)) => assert_eq!(after, Duration::from_millis(300)),
        other => panic!("expected TimedOut, got {other:?}"),
    }
    assert!(started.elapsed() >= Duration::from_millis(300));
    assert!(login.later_events().is_empty());
}

#[tokio::test]
async fn cancelling_after_listening_ends_the_login() {
    let fake = Fake::start(true).await;
    let (mut login, _) = unanswered(&fake, DEADLINE).await;

    login.cancel.cancel();
    match login.result().await {
        Err(LoginError::Cancelled) => {}
        other => panic!("expected Cancelled, got {other:?}"),
    }
    assert!(login.later_events().is_empty());
}

#[tokio::test]
async fn the_port_is_released_after_a_timeout() {
    let fake = Fake::start(true).await;
    let (mut login, port) = unanswered(&fake, Duration::from_millis(300)).await;

    assert!(matches!(login.result().await, Err(LoginError::TimedOut(_))));
    assert_port_released(port).await;
}

#[tokio::test]
async fn the_port_is_released_after_a_cancel() {
    let fake = Fake::start(true).await;
    let (mut login, port) = unanswered(&fake, DEADLINE).await;

    login.cancel.cancel();
    assert!(matches!(login.result().await, Err(LoginError::Cancelled)));
    assert_port_released(port).await;
}

#[tokio::test]
async fn the_port_is_released_after_a_completed_login() {
    let fake = Fake::start(true).await;
    let mut login = fake.cli_login();
    let (port, url) = login.started().await;
    assert_eq!(get(&browser(), &url).await.status, 200);
    login.tokens().await;
    assert_eq!(login.later_events(), [LoginEvent::Exchanging]);
    assert_port_released(port).await;
}

#[tokio::test]
async fn the_port_is_released_after_a_pasted_redirect() {
    let fake = Fake::start(true).await;
    let mut login = fake.cli_login();
    let (port, url) = login.started().await;
    let page = get(&browser_without_redirects(), &url).await;
    let location = page.location.expect("auto-approve redirects");

    login
        .pasted
        .send(location)
        .await
        .expect("the login reads pastes");
    login.tokens().await;
    assert_port_released(port).await;
}
