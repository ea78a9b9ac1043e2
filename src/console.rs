//! Starting the interactive console: on the configured account (a stored sign-in), or with
//! `--demo` on the built-in fake account, signed in through the real U2M flow.

use std::io::Write;
use std::sync::Arc;

use color_eyre::eyre::{Result, WrapErr, eyre};
use tokio::sync::mpsc;
use tokio_util::sync::CancellationToken;

use crate::api::{AccountClient, ClientConfig, TokenSource};
use crate::app::keymap::Keymap;
use crate::app::state::{AppState, Session, Status, StatusKind};
use crate::auth::identity::token_subject;
use crate::auth::oauth_http::oauth_client;
use crate::auth::session::{OAuthSession, SessionTokens};
use crate::auth::u2m::{LoginEvent, LoginSettings, OAuthApp, discover, login};
use crate::cli::AccountArgs;
use crate::headless::{connected_client, exit_with};
use crate::mock::{MockConfig, MockServer};

/// Leaves the alternate screen and raw mode on every exit path, early returns included
/// (ratatui's own panic hook covers panics).
struct RestoreTerminal;

impl Drop for RestoreTerminal {
    fn drop(&mut self) {
        ratatui::restore();
    }
}

/// The default keymap plus the user's `keymap.json` from the config directory, if any.
fn keymap() -> (Keymap, Vec<String>) {
    let path = directories::ProjectDirs::from("", "", "dbx-console")
        .map(|dirs| dirs.config_dir().join("keymap.json"));
    match path.and_then(|p| std::fs::read_to_string(&p).ok().map(|text| (p, text))) {
        Some((path, text)) => {
            let (keymap, warnings) = Keymap::with_overrides(&text);
            (
                keymap,
                warnings
                    .into_iter()
                    .map(|w| format!("{}: {w}", path.display()))
                    .collect(),
            )
        }
        None => (Keymap::defaults(), Vec::new()),
    }
}

async fn open(client: AccountClient, session: Session, mut warnings: Vec<String>) -> Result<()> {
    let (keymap, keymap_warnings) = keymap();
    warnings.extend(keymap_warnings);
    let mut state = AppState::new(session);
    if let Some(first) = warnings.first() {
        state.status = Some(Status {
            kind: StatusKind::Error,
            text: first.clone(),
        });
    }
    let mut terminal = ratatui::init();
    let _restore = RestoreTerminal;
    let copy = |text: &str| {
        // OSC 52: works locally, over SSH and inside tmux (set-clipboard on).
        let mut stdout = std::io::stdout();
        let _ = crossterm::execute!(
            stdout,
            crossterm::clipboard::CopyToClipboard::to_clipboard_from(text)
        );
        let _ = stdout.flush();
    };
    crate::app::run(
        &mut terminal,
        crate::app::terminal_events(),
        client,
        state,
        keymap,
        copy,
    )
    .await
    .wrap_err("the console stopped because the terminal failed")?;
    Ok(())
}

/// `dbx-console` on the configured account.
pub async fn run_configured(account: &AccountArgs) -> Result<()> {
    let (client, config, connected) = connected_client(account, 6)
        .await
        .unwrap_or_else(|e| exit_with(&e));
    let user = connected
        .source
        .token()
        .await
        .ok()
        .and_then(|t| token_subject(&t));
    let session = Session {
        profile: config.profile.clone(),
        host: config.host.clone(),
        account_id: config.account_id.clone(),
        user,
        token_expires_at: connected.source.expires_at(),
        read_only: false,
    };
    open(client, session, connected.warnings).await
}

/// `dbx-console --demo`: the fake account in-process, signed in as its first admin through
/// the real U2M flow. The fake is local, so the console plays the browser itself.
pub async fn run_demo() -> Result<()> {
    let server = MockServer::start(MockConfig {
        auto_approve: true,
        ..MockConfig::default()
    })
    .await
    .wrap_err("the demo account server did not start")?;
    let http = oauth_client();
    let endpoints = discover(
        &http,
        &format!("{}/oidc/accounts/{}", server.host, server.account_id),
    )
    .await?;
    let app = OAuthApp {
        client_id: "databricks-cli".into(),
        client_secret: None,
        scopes: vec!["all-apis".into(), "offline_access".into()],
    };
    // Any free loopback port: the fake accepts loopback redirects on every port.
    let settings = LoginSettings {
        ports: vec![0],
        timeout: std::time::Duration::from_secs(30),
        open_browser: false,
    };
    let (events, mut event_rx) = mpsc::unbounded_channel();
    let (_paste, pasted) = mpsc::channel(1);
    let browser = tokio::spawn(async move {
        while let Some(event) = event_rx.recv().await {
            if let LoginEvent::OpenManually { url, .. } = event {
                // Follows the authorize redirect to the loopback listener, as a browser would.
                let _ = reqwest::get(url).await;
            }
        }
    });
    let tokens = login(
        &http,
        &endpoints,
        &app,
        &settings,
        &events,
        pasted,
        CancellationToken::new(),
    )
    .await
    .map_err(|e| eyre!("the demo sign-in failed: {e}"))?;
    drop(events);
    let _ = browser.await;
    let user = token_subject(&tokens.access_token);
    // A real session: refreshed ahead of expiry like any signed-in account, kept in memory.
    let session_tokens = SessionTokens::from_grant(tokens, chrono::Utc::now());
    let source = Arc::new(OAuthSession::new(
        http,
        endpoints,
        app,
        session_tokens,
        None,
    ));
    let client = AccountClient::new(
        ClientConfig::new(&server.host, &server.account_id),
        source.clone(),
    )?;
    let session = Session {
        profile: Some("demo".into()),
        host: server.host.clone(),
        account_id: server.account_id.clone(),
        user,
        token_expires_at: source.expires_at(),
        read_only: false,
    };
    let result = open(client, session, Vec::new()).await;
    server.stop().await;
    result
}
