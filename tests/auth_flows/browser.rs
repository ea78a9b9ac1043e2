//! A real browser end to end: headless Chromium, driven through chromedriver, opens the fake's
//! consent page and clicks Allow; the in-process login receives the redirect and signs in.

use std::time::Duration;

use crate::support::{Fake, within};
use crate::webdriver::{ChromeDriver, chromium_installed};

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn headless_chromium_clicks_allow_and_the_login_completes() {
    if !chromium_installed("headless_chromium_clicks_allow_and_the_login_completes") {
        return;
    }
    let fake = Fake::start(false).await;
    let mut login = fake.cli_login();
    let (port, url) = login.started().await;
    let profile = tempfile::tempdir().expect("a profile directory");
    let driver = ChromeDriver::start().await;
    let session = driver.session(profile.path()).await;
    session.set_implicit_wait(Duration::from_secs(10)).await;

    session.navigate(&url).await;
    assert!(
        session.title().await.starts_with("Sign in to"),
        "the consent page: {}",
        session.source().await
    );
    let allow = session.find("#allow").await;
    session.click(&allow).await;

    let tokens = login.tokens().await;
    let message = session.find("#message").await;
    let text = session.text(&message).await;
    assert!(
        text.contains("signed in"),
        "the loopback page says {text:?}"
    );
    let landed = session.current_url().await;
    assert!(
        landed.starts_with(&format!("http://localhost:{port}/?code=")),
        "Chromium ended on {landed}"
    );
    assert!(
        within("the page source", session.source())
            .await
            .contains("Signed in")
    );
    session.delete().await;

    assert_eq!(
        fake.subject_of(tokens.access_token.expose()),
        fake.user(&fake.default_admin()),
        "the preselected user signed in"
    );
    assert!(tokens.refresh_token.is_some());
    fake.assert_lists_workspaces(tokens.access_token.expose())
        .await;
}
