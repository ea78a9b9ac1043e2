//! From a resolved configuration to the token source the API client uses: a static token,
//! M2M, token federation, or a U2M session restored from our token store (or reused from a
//! Databricks CLI login, refreshed into our store; the CLI's file is never written).

use std::sync::Arc;

use chrono::Utc;

use super::cli_cache::read_cli_token;
use super::machine::{Grant, MachineTokenSource};
use super::oauth_http::oauth_client;
use super::session::{OAuthSession, SessionPersistence, SessionTokens};
use super::session_store::SessionStore;
use super::token_store::{StoredToken, TokenKey};
use super::u2m::{Endpoints, LoginError, OAuthApp, discover};
use crate::api::token::{StaticToken, TokenSource};
use crate::config::{Credentials, ResolvedConfig, U2M_CLIENT_ID};

/// Where a token came from, for `auth status` and the header.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Origin {
    StaticToken,
    Machine,
    /// Our own store (a file path, or the OS keyring).
    Store(String),
    /// A Databricks CLI session (cache key named), copied into our store from now on.
    DatabricksCli(String),
}

pub struct Connected {
    pub source: Arc<dyn TokenSource>,
    pub origin: Origin,
    /// Warnings worth a status-line note (a corrupt store set aside, loose permissions).
    pub warnings: Vec<String>,
}

#[derive(Debug, thiserror::Error)]
pub enum ConnectError {
    #[error("not signed in to {host} (account {account_id}): run `dbx-console login`")]
    NotSignedIn { host: String, account_id: String },
    #[error(transparent)]
    Login(#[from] LoginError),
    #[error("the token store failed: {0}")]
    Store(String),
}

/// Persists a U2M session into our token store under its key.
pub struct StorePersistence {
    pub store: SessionStore,
    pub key: TokenKey,
    pub signed_in_as: Option<String>,
}

impl SessionPersistence for StorePersistence {
    fn save(&self, tokens: &SessionTokens) -> Result<(), String> {
        let stored = StoredToken {
            access_token: tokens.access_token.clone(),
            refresh_token: tokens.refresh_token.clone(),
            token_type: "Bearer".into(),
            expiry: tokens.expiry,
            scopes: tokens.scopes.clone(),
            signed_in_as: self.signed_in_as.clone(),
            saved_at: Utc::now(),
        };
        self.store
            .save(&self.key, &stored)
            .map_err(|e| e.to_string())
    }
}

pub fn store_key(config: &ResolvedConfig, client_id: &str) -> TokenKey {
    TokenKey::new(&config.host, &config.account_id, client_id)
}

/// Builds the token source for `config`. U2M needs an earlier sign-in (ours or the CLI's).
pub async fn connect(
    config: &ResolvedConfig,
    store: &SessionStore,
    home: Option<&std::path::Path>,
) -> Result<Connected, ConnectError> {
    // An HTTP client is built only where a token is exchanged now: building one loads the
    // system's root certificates, milliseconds the first frame need not wait for.
    match &config.credentials {
        Credentials::StaticToken(token) => Ok(Connected {
            source: Arc::new(StaticToken::new(token.clone())),
            origin: Origin::StaticToken,
            warnings: Vec::new(),
        }),
        Credentials::M2m {
            client_id,
            client_secret,
            scopes,
        } => {
            let http = oauth_client();
            let endpoints = discover(&http, &config.oidc_root()).await?;
            let grant = Grant::ClientCredentials {
                client_id: client_id.clone(),
                client_secret: client_secret.clone(),
            };
            machine(http, endpoints, grant, scopes)
        }
        Credentials::Federation {
            token,
            client_id,
            scopes,
            ..
        } => {
            let http = oauth_client();
            let endpoints = discover(&http, &config.oidc_root()).await?;
            let grant = Grant::TokenExchange {
                token: token.clone(),
                client_id: client_id.clone(),
            };
            machine(http, endpoints, grant, scopes)
        }
        Credentials::U2m {
            client_id,
            client_secret,
            scopes,
            ..
        } => {
            let app = OAuthApp {
                client_id: client_id.clone(),
                client_secret: client_secret.clone(),
                scopes: scopes.clone(),
            };
            let key = store_key(config, client_id);
            let loaded = store
                .load(&key)
                .map_err(|e| ConnectError::Store(e.to_string()))?;
            let warnings: Vec<String> = loaded.warning.into_iter().collect();
            let (tokens, origin, signed_in_as) = match loaded.token {
                Some(stored) => (
                    SessionTokens {
                        access_token: stored.access_token,
                        refresh_token: stored.refresh_token,
                        expiry: stored.expiry,
                        scopes: stored.scopes,
                    },
                    Origin::Store(store.location()),
                    stored.signed_in_as,
                ),
                None => {
                    let reused = (client_id == U2M_CLIENT_ID)
                        .then(|| {
                            home.and_then(|home| {
                                read_cli_token(
                                    home,
                                    config.profile.as_deref(),
                                    &config.host,
                                    &config.account_id,
                                )
                                .ok()
                                .flatten()
                            })
                        })
                        .flatten();
                    let Some(cli) = reused else {
                        return Err(ConnectError::NotSignedIn {
                            host: config.host.clone(),
                            account_id: config.account_id.clone(),
                        });
                    };
                    let tokens = SessionTokens {
                        access_token: cli.access_token,
                        refresh_token: cli.refresh_token,
                        // A CLI entry without expiry is treated as expired: refresh first.
                        expiry: cli.expiry.unwrap_or_else(Utc::now),
                        scopes: app.scopes.clone(),
                    };
                    (tokens, Origin::DatabricksCli(cli.source_key), None)
                }
            };
            let persistence = StorePersistence {
                store: store.clone(),
                key,
                signed_in_as,
            };
            // The endpoints are read when a refresh needs them: a stored sign-in opens the
            // console without waiting for a round trip to the identity provider.
            let session =
                OAuthSession::stored(config.oidc_root(), app, tokens, Some(Arc::new(persistence)));
            Ok(Connected {
                source: Arc::new(session),
                origin,
                warnings,
            })
        }
    }
}

fn machine(
    http: reqwest::Client,
    endpoints: Endpoints,
    grant: Grant,
    scopes: &[String],
) -> Result<Connected, ConnectError> {
    let source = MachineTokenSource::new(http, endpoints.token_endpoint, grant, scopes.to_vec());
    Ok(Connected {
        source: Arc::new(source),
        origin: Origin::Machine,
        warnings: Vec::new(),
    })
}
