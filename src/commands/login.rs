//! `dbx-console login`: browser sign-in for the configured account, with a countdown, the
//! URL to open by hand, a pasted redirect when the browser runs elsewhere, Ctrl-C to cancel,
//! the account-admin check, and the session saved to the token store.

use std::io::{BufRead, IsTerminal, Write};
use std::sync::Arc;
use std::time::Duration;

use chrono::Utc;
use tokio::sync::mpsc;
use tokio_util::sync::CancellationToken;

use crate::api::{AccountClient, ClientConfig, StaticToken};
use crate::auth::admin_check::check_account_admin;
use crate::auth::connect::{StorePersistence, store_key};
use crate::auth::identity::token_subject;
use crate::auth::oauth_http::oauth_client;
use crate::auth::session::{SessionPersistence, SessionTokens};
use crate::auth::u2m::{LoginEvent, LoginSettings, OAuthApp, discover, login};
use crate::cli::LoginArgs;
use crate::config::Credentials;
use crate::headless::{exit_with, resolve_config, session_store};

pub async fn run(args: LoginArgs) {
    let (_, config) = resolve_config(&args.account).unwrap_or_else(|e| exit_with(&e));
    let Credentials::U2m {
        client_id,
        client_secret,
        scopes,
        login: options,
    } = &config.credentials
    else {
        eprintln!(
            "This configuration signs in with {} ({}); no browser sign-in is needed.",
            config.auth_type.as_str(),
            config.describe_source(crate::config::Field::AuthType)
        );
        return;
    };
    let (store, warning) = session_store(&config).unwrap_or_else(|e| exit_with(&e));
    if let Some(warning) = warning {
        eprintln!("warning: {warning}");
    }
    let http = oauth_client();
    let endpoints = discover(&http, &config.oidc_root())
        .await
        .unwrap_or_else(|e| exit_with(&e.to_string()));
    let app = OAuthApp {
        client_id: client_id.clone(),
        client_secret: client_secret.clone(),
        scopes: scopes.clone(),
    };
    let settings = LoginSettings {
        ports: args
            .port
            .map_or_else(|| options.ports.clone(), |port| vec![port]),
        timeout: options.timeout,
        open_browser: !args.no_browser,
    };

    let (events, mut event_rx) = mpsc::unbounded_channel();
    let pasted = paste_reader();
    let cancel = CancellationToken::new();
    let interrupt = cancel.clone();
    tokio::spawn(async move {
        if tokio::signal::ctrl_c().await.is_ok() {
            interrupt.cancel();
        }
    });
    let flow = login(
        &http,
        &endpoints,
        &app,
        &settings,
        &events,
        pasted,
        cancel.clone(),
    );
    tokio::pin!(flow);
    let deadline = tokio::time::Instant::now() + settings.timeout;
    let mut ticker = tokio::time::interval(Duration::from_secs(1));
    let is_terminal = std::io::stderr().is_terminal();
    let mut waiting = false;
    let tokens = loop {
        tokio::select! {
            result = &mut flow => break result,
            Some(event) = event_rx.recv() => { waiting = show(&event, is_terminal) || waiting; }
            _ = ticker.tick(), if waiting && is_terminal => {
                let left = deadline.saturating_duration_since(tokio::time::Instant::now()).as_secs();
                eprint!("\r\x1b[2KWaiting for the sign-in in the browser: {}:{:02} left (Ctrl-C to cancel) ", left / 60, left % 60);
                let _ = std::io::stderr().flush();
            }
        }
    };
    if is_terminal {
        eprint!("\r\x1b[2K");
    }
    let tokens = tokens.unwrap_or_else(|e| exit_with(&e.to_string()));
    tracing::debug!(?tokens, "sign-in completed");
    let who = token_subject(&tokens.access_token).unwrap_or_else(|| "this identity".into());

    let check_client = AccountClient::new(
        ClientConfig::new(&config.host, &config.account_id),
        Arc::new(StaticToken::new(tokens.access_token.clone())),
    )
    .unwrap_or_else(|e| exit_with(&e.to_string()));
    match check_account_admin(&check_client).await {
        Ok(check) => {
            if let Some(explanation) = check.explain(&who, &config.account_id) {
                exit_with(&explanation);
            }
        }
        Err(error) => exit_with(&format!(
            "signed in, but the account API could not be reached to check the role: {error}\n{}",
            error.hint()
        )),
    }

    let session = SessionTokens::from_grant(tokens, Utc::now());
    let persistence = StorePersistence {
        store: store.clone(),
        key: store_key(&config, client_id),
        signed_in_as: Some(who.clone()),
    };
    persistence.save(&session).unwrap_or_else(|e| {
        exit_with(&format!(
            "signed in, but the session could not be saved: {e}"
        ))
    });
    let minutes = (session.expiry - Utc::now()).num_minutes();
    eprintln!(
        "Signed in as {who} to account {} ({}).",
        config.account_id, config.host
    );
    eprintln!(
        "The access token expires at {} (in {minutes} min){}; the session is stored in {}.",
        session.expiry.format("%Y-%m-%d %H:%M UTC"),
        if session.refresh_token.is_some() {
            " and renews itself"
        } else {
            ""
        },
        store.location()
    );
}

/// Shows one event; `true` once the countdown should run.
fn show(event: &LoginEvent, is_terminal: bool) -> bool {
    let clear = if is_terminal { "\r\x1b[2K" } else { "" };
    match event {
        LoginEvent::Listening { port, busy } => {
            if !busy.is_empty() {
                let ports: Vec<String> = busy.iter().map(u16::to_string).collect();
                eprintln!(
                    "{clear}Port {} busy; listening for the sign-in on port {port} instead.",
                    ports.join(", ")
                );
            }
            false
        }
        LoginEvent::BrowserOpened { url } => {
            eprintln!(
                "{clear}Your browser was opened to sign in. If it did not open, visit:\n\n  {url}\n"
            );
            true
        }
        LoginEvent::OpenManually { url, reason } => {
            if let Some(reason) = reason {
                eprintln!("{clear}Could not open a browser ({reason}).");
            }
            eprintln!(
                "{clear}Open this address in a browser and sign in:\n\n  {url}\n\n\
                 If that browser runs on another machine, paste here the address it ends up on \
                 (it starts with http://localhost) and press Enter."
            );
            true
        }
        LoginEvent::Exchanging => {
            eprintln!("{clear}Completing the sign-in…");
            false
        }
    }
}

/// Lines typed on stdin, for the pasted redirect (a thread: stdin reads block).
fn paste_reader() -> mpsc::Receiver<String> {
    let (sender, receiver) = mpsc::channel(4);
    std::thread::spawn(move || {
        let stdin = std::io::stdin();
        for line in stdin.lock().lines() {
            let Ok(line) = line else { break };
            if sender.blocking_send(line).is_err() {
                break;
            }
        }
    });
    receiver
}
