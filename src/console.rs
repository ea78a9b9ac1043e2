//! Starting the interactive console: on the configured account (a stored sign-in), or with
//! `--demo` on the built-in fake account, signed in through the real U2M flow.

use std::io::Write;
use std::path::Path;
use std::sync::Arc;

use color_eyre::eyre::{Result, WrapErr, eyre};
use tokio::sync::mpsc;
use tokio_util::sync::CancellationToken;

use crate::api::{AccountClient, ClientConfig, StaticToken, TokenSource};
use crate::app::keymap::Keymap;
use crate::app::state::{AppState, Session, SnapshotOrigin, Status, StatusKind};
use crate::auth::identity::token_subject;
use crate::auth::oauth_http::oauth_client;
use crate::auth::session::{OAuthSession, SessionTokens};
use crate::auth::u2m::{LoginEvent, LoginSettings, OAuthApp, discover, login};
use crate::cli::AccountArgs;
use crate::headless::{connected_client, exit_with, read_snapshot};
use crate::mock::seed::account_from_snapshot;
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
    let path = crate::settings::config_dir().map(|dir| dir.join("keymap.json"));
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

/// How the console was asked to run.
#[derive(Debug, Clone, Copy, Default)]
pub struct ConsoleOptions {
    pub read_only: bool,
}

/// Runs the console; returns the profile the admin switched to, if they did.
async fn open(
    client: AccountClient,
    mut session: Session,
    mut warnings: Vec<String>,
    options: ConsoleOptions,
) -> Result<Option<String>> {
    let (settings, settings_warning) = crate::settings::Settings::load();
    warnings.extend(settings_warning);
    let (mut keymap, keymap_warnings) = keymap();
    warnings.extend(keymap_warnings);
    session.read_only = options.read_only || settings.read_only;
    // Two locks: the keys disappear, and the client refuses writes even if one slipped by.
    let client = if session.read_only {
        keymap = keymap.without_mutations();
        client.read_only()?
    } else {
        client
    };
    let mut state = AppState::new(session);
    state.preload_secrets = true;
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
    let state = crate::app::run(
        &mut terminal,
        crate::app::TerminalHost,
        client,
        state,
        keymap,
        copy,
    )
    .await
    .wrap_err("the console stopped because the terminal failed")?;
    Ok(state.switch_profile)
}

/// `dbx-console` on the configured account.
pub async fn run_configured(account: &AccountArgs, options: ConsoleOptions) -> Result<()> {
    let mut account = account.clone();
    // `:profile` ends one account's console and opens the next one from scratch.
    while let Some(profile) = run_account(&account, options).await? {
        account = AccountArgs {
            profile: Some(profile),
            host: None,
            account_id: None,
        };
    }
    Ok(())
}

async fn run_account(account: &AccountArgs, options: ConsoleOptions) -> Result<Option<String>> {
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
        snapshot: None,
    };
    open(client, session, connected.warnings, options).await
}

/// `dbx-console --demo`: the fake account in-process, signed in as its first admin through
/// the real U2M flow. The fake is local, so the console plays the browser itself.
pub async fn run_demo(options: ConsoleOptions) -> Result<()> {
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
        timeout: std::time::Duration::from_secs(60),
        open_browser: demo_browser_wanted(),
    };
    let (events, mut event_rx) = mpsc::unbounded_channel();
    let (_paste, pasted) = mpsc::channel(1);
    let browser = tokio::spawn(async move {
        while let Some(event) = event_rx.recv().await {
            match event {
                // Follows the authorize redirect to the loopback listener, as a browser would.
                LoginEvent::OpenManually { url, .. } => {
                    let _ = reqwest::get(url).await;
                }
                // A browser that never loads the page (a no-op $BROWSER) must not strand the
                // demo: after a grace period the console completes the sign-in itself.
                LoginEvent::BrowserOpened { url } => {
                    eprintln!("dbx-console demo: signing in through your browser…");
                    tokio::time::sleep(std::time::Duration::from_secs(10)).await;
                    let _ = reqwest::get(url).await;
                }
                _ => {}
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
    browser.abort();
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
        snapshot: None,
    };
    let result = open(client, session, Vec::new(), options).await;
    server.stop().await;
    switch_after(result?, options).await
}

/// `dbx-console --snapshot FILE`: the snapshot replayed by an in-process fake that keeps
/// its ids, browsed through the same panes as a live account; read-only whatever the flags
/// say, since there is no account behind it to change.
pub async fn run_snapshot(path: &Path, options: ConsoleOptions) -> Result<()> {
    eprintln!("dbx-console: opening {}…", path.display());
    let document = read_snapshot(path).unwrap_or_else(|e| exit_with(&e));
    let text = |key: &str| {
        document
            .get(key)
            .and_then(|v| v.as_str())
            .map(str::to_owned)
    };
    let (host, taken_at) = (text("host").unwrap_or_default(), text("taken_at"));
    let account = account_from_snapshot(document, MockConfig::default().random_seed)
        .unwrap_or_else(|e| exit_with(&format!("{} cannot be opened: {e}", path.display())));
    let server = MockServer::start_with(MockConfig::default(), account)
        .await
        .unwrap_or_else(|e| exit_with(&format!("{} cannot be opened: {e}", path.display())));
    let client = AccountClient::new(
        ClientConfig::new(&server.host, &server.account_id),
        Arc::new(StaticToken::new(server.admin_token.clone())),
    )?;
    let session = Session {
        profile: None,
        host,
        account_id: server.account_id.clone(),
        user: None,
        token_expires_at: None,
        read_only: true,
        snapshot: Some(SnapshotOrigin {
            file: path.file_name().map_or_else(
                || path.display().to_string(),
                |n| n.to_string_lossy().into_owned(),
            ),
            taken_at: taken_at
                .and_then(|t| chrono::DateTime::parse_from_rfc3339(&t).ok())
                .map(|t| t.with_timezone(&chrono::Utc)),
        }),
    };
    let result = open(
        client,
        session,
        Vec::new(),
        ConsoleOptions { read_only: true },
    )
    .await;
    server.stop().await;
    // A profile opened from here is a live account again, under the options given.
    switch_after(result?, options).await
}

/// Opens the profile the admin switched to from a console that had no profile of its own.
async fn switch_after(profile: Option<String>, options: ConsoleOptions) -> Result<()> {
    match profile {
        Some(profile) => {
            let account = AccountArgs {
                profile: Some(profile),
                host: None,
                account_id: None,
            };
            run_configured(&account, options).await
        }
        None => Ok(()),
    }
}

/// The demo opens the system browser where there is one to open: a desktop session, not a
/// bare terminal or CI. `DBX_CONSOLE_DEMO_BROWSER=0` keeps it in the terminal.
fn demo_browser_wanted() -> bool {
    match std::env::var("DBX_CONSOLE_DEMO_BROWSER").as_deref() {
        Ok("0") | Ok("false") | Ok("no") => return false,
        Ok("1") | Ok("true") | Ok("yes") => return true,
        _ => {}
    }
    if cfg!(any(target_os = "macos", target_os = "windows")) {
        return true;
    }
    ["DISPLAY", "WAYLAND_DISPLAY"]
        .iter()
        .any(|name| std::env::var_os(name).is_some_and(|v| !v.is_empty()))
}
