//! `dbx-console auth status` and `dbx-console logout`: who is signed in to which account,
//! when the token expires and where it lives (never the token), and forgetting a session.

use chrono::Utc;

use crate::api::{AccountClient, ClientConfig};
use crate::auth::admin_check::{AdminCheck, check_account_admin};
use crate::auth::connect::{Origin, connect, store_key};
use crate::cli::AccountArgs;
use crate::config::{Credentials, Field};
use crate::headless::{exit_with, resolve_config, session_store};

pub async fn status(args: AccountArgs) {
    let (inputs, config) = resolve_config(&args).unwrap_or_else(|e| exit_with(&e));
    let (store, warning) = session_store(&config).unwrap_or_else(|e| exit_with(&e));
    if let Some(warning) = warning {
        println!("Warning:   {warning}");
    }
    println!(
        "Account:   {} ({})",
        config.account_id,
        config.describe_source(Field::AccountId)
    );
    println!(
        "Host:      {} ({})",
        config.host,
        config.describe_source(Field::Host)
    );
    if let Some(profile) = &config.profile {
        println!("Profile:   {profile}");
    }
    println!(
        "Sign-in:   {} ({})",
        config.auth_type.as_str(),
        config.describe_source(Field::AuthType)
    );
    if let Credentials::U2m { client_id, .. } = &config.credentials {
        let loaded = store
            .load(&store_key(&config, client_id))
            .unwrap_or_else(|e| exit_with(&e));
        if let Some(warning) = &loaded.warning {
            println!("Warning:   {warning}");
        }
        match loaded.token {
            Some(token) => {
                let summary = token.summary();
                let left = (summary.expiry - Utc::now()).num_minutes();
                let state = if left > 0 {
                    format!("expires in {left} min")
                } else {
                    format!("expired {} min ago", -left)
                };
                println!(
                    "User:      {}",
                    summary.signed_in_as.as_deref().unwrap_or("(unknown)")
                );
                println!(
                    "Token:     {state} ({}), {}",
                    summary.expiry.format("%Y-%m-%d %H:%M UTC"),
                    if token.refresh_token.is_some() {
                        "renews itself"
                    } else {
                        "no refresh token"
                    }
                );
                println!("Stored in: {}", store.location());
            }
            None => println!("Session:   none stored in {}", store.location()),
        }
    }
    match connect(&config, &store, inputs.home.as_deref()).await {
        Err(error) => {
            println!("Status:    {error}");
            std::process::exit(1);
        }
        Ok(connected) => {
            if let Origin::DatabricksCli(key) = &connected.origin {
                println!(
                    "Session:   reusing the Databricks CLI's login ({key}); it is never written back"
                );
            }
            let client = AccountClient::new(
                ClientConfig::new(&config.host, &config.account_id),
                connected.source,
            )
            .unwrap_or_else(|e| exit_with(&e.to_string()));
            match check_account_admin(&client).await {
                Ok(AdminCheck::Admin) => println!("Status:    signed in; account admin"),
                Ok(AdminCheck::NotAdmin { message }) => {
                    println!("Status:    signed in, but not an account admin: {message}");
                    std::process::exit(1);
                }
                Err(error) => {
                    println!("Status:    {error}\n           {}", error.hint());
                    std::process::exit(1);
                }
            }
        }
    }
}

pub fn logout(args: AccountArgs) {
    let (_, config) = resolve_config(&args).unwrap_or_else(|e| exit_with(&e));
    let Credentials::U2m { client_id, .. } = &config.credentials else {
        println!(
            "This configuration signs in with {}; there is no stored session to forget.",
            config.auth_type.as_str()
        );
        return;
    };
    let (store, warning) = session_store(&config).unwrap_or_else(|e| exit_with(&e));
    if let Some(warning) = warning {
        println!("Warning:   {warning}");
    }
    match store.remove(&store_key(&config, client_id)) {
        Ok(true) => println!(
            "Signed out of account {} ({}).",
            config.account_id, config.host
        ),
        Ok(false) => println!(
            "No session was stored for account {} ({}).",
            config.account_id, config.host
        ),
        Err(error) => exit_with(&error.to_string()),
    }
}
