//! U2M sign-in: discovery from the account's OIDC metadata, authorization code with PKCE
//! S256 and `state`, the system browser (or a printed URL and a pasted redirect), the
//! loopback listener, a timeout, cancellation, and the code exchange. Also the refresh grant.

use std::time::Duration;

use oauth2::basic::{BasicClient, BasicErrorResponseType};
use oauth2::{
    AuthType, AuthUrl, AuthorizationCode, ClientId, ClientSecret, CsrfToken, PkceCodeChallenge,
    RedirectUrl, RefreshToken, RequestTokenError, Scope, TokenResponse, TokenUrl,
};
use serde::Deserialize;
use tokio::sync::mpsc;
use tokio_util::sync::CancellationToken;

use super::loopback::{Callback, LoopbackError, bind_first_free, parse_pasted_redirect};
use super::oauth_http::oauth_http;
use crate::secret::Secret;

/// The two endpoints clients read from the metadata document.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct Endpoints {
    pub authorization_endpoint: String,
    pub token_endpoint: String,
}

/// The OAuth client that signs in: `databricks-cli`, or a custom app connection.
#[derive(Debug, Clone)]
pub struct OAuthApp {
    pub client_id: String,
    /// Only for a confidential custom app.
    pub client_secret: Option<Secret>,
    pub scopes: Vec<String>,
}

#[derive(Debug, Clone)]
pub struct LoginSettings {
    /// Tried in order; the CLI uses 8020 to 8040.
    pub ports: Vec<u16>,
    pub timeout: Duration,
    /// Open the system browser (honours `$BROWSER`); otherwise only show the URL.
    pub open_browser: bool,
}

/// Progress of a sign-in, for the sign-in pane or the `login` command to show.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum LoginEvent {
    Listening {
        port: u16,
        busy: Vec<u16>,
    },
    /// The browser was asked to open this URL.
    BrowserOpened {
        url: String,
    },
    /// No browser could be opened: show the URL and accept the pasted redirect.
    OpenManually {
        url: String,
        reason: Option<String>,
    },
    Exchanging,
}

/// Tokens from a grant.
#[derive(Debug, Clone)]
pub struct Tokens {
    pub access_token: Secret,
    pub refresh_token: Option<Secret>,
    pub expires_in: Duration,
    pub scopes: Vec<String>,
}

#[derive(Debug, thiserror::Error)]
pub enum LoginError {
    #[error("could not read the OAuth metadata at {url}: {reason}. Check the host and account id.")]
    Discovery { url: String, reason: String },
    #[error(transparent)]
    Loopback(#[from] LoopbackError),
    #[error("the account refused the sign-in: {error}: {description}")]
    Denied { error: String, description: String },
    #[error("no sign-in arrived within {} seconds; start the login again", .0.as_secs())]
    TimedOut(Duration),
    #[error("the sign-in was cancelled")]
    Cancelled,
    /// The refresh token is invalid or expired, or the code was refused: sign in again.
    #[error("sign in again: {0}")]
    SignInRequired(String),
    #[error("the token endpoint failed: {0}")]
    TokenEndpoint(String),
    #[error("invalid OAuth configuration: {0}")]
    Configuration(String),
}

/// Reads `{oidc_root}/.well-known/oauth-authorization-server`.
pub async fn discover(http: &reqwest::Client, oidc_root: &str) -> Result<Endpoints, LoginError> {
    let url = format!(
        "{}/.well-known/oauth-authorization-server",
        oidc_root.trim_end_matches('/')
    );
    let failure = |reason: String| LoginError::Discovery {
        url: url.clone(),
        reason,
    };
    let response = http
        .get(&url)
        .send()
        .await
        .map_err(|e| failure(e.to_string()))?;
    if response.status().as_u16() == 404 {
        return Err(failure(
            "404: this host does not serve Databricks OAuth for that account".into(),
        ));
    }
    if !response.status().is_success() {
        return Err(failure(format!("HTTP {}", response.status())));
    }
    response
        .json::<Endpoints>()
        .await
        .map_err(|e| failure(e.to_string()))
}

fn configured_client(
    app: &OAuthApp,
    endpoints: &Endpoints,
    redirect: Option<String>,
) -> Result<
    BasicClient<
        oauth2::EndpointSet,
        oauth2::EndpointNotSet,
        oauth2::EndpointNotSet,
        oauth2::EndpointNotSet,
        oauth2::EndpointSet,
    >,
    LoginError,
> {
    let config = |e: oauth2::url::ParseError| LoginError::Configuration(e.to_string());
    let mut client = BasicClient::new(ClientId::new(app.client_id.clone()))
        .set_auth_uri(AuthUrl::new(endpoints.authorization_endpoint.clone()).map_err(config)?)
        .set_token_uri(TokenUrl::new(endpoints.token_endpoint.clone()).map_err(config)?)
        // The SDKs send client_id (and a confidential app's secret) in the form body.
        .set_auth_type(AuthType::RequestBody);
    if let Some(secret) = &app.client_secret {
        client = client.set_client_secret(ClientSecret::new(secret.expose().to_owned()));
    }
    if let Some(redirect) = redirect {
        client = client.set_redirect_uri(RedirectUrl::new(redirect).map_err(config)?);
    }
    Ok(client)
}

fn tokens_from<T: TokenResponse>(response: &T) -> Tokens {
    Tokens {
        access_token: Secret::new(response.access_token().secret().clone()),
        refresh_token: response
            .refresh_token()
            .map(|t| Secret::new(t.secret().clone())),
        expires_in: response.expires_in().unwrap_or(Duration::from_secs(3600)),
        scopes: response
            .scopes()
            .map(|scopes| scopes.iter().map(|s| s.to_string()).collect())
            .unwrap_or_default(),
    }
}

fn token_failure<RE: std::error::Error + 'static>(
    error: RequestTokenError<RE, oauth2::StandardErrorResponse<BasicErrorResponseType>>,
) -> LoginError {
    match error {
        RequestTokenError::ServerResponse(response) => {
            let description = response.error_description().cloned().unwrap_or_default();
            match response.error() {
                BasicErrorResponseType::InvalidGrant => LoginError::SignInRequired(description),
                other => LoginError::TokenEndpoint(format!("{}: {description}", other.as_ref())),
            }
        }
        other => LoginError::TokenEndpoint(other.to_string()),
    }
}

/// Runs a whole U2M sign-in. `pasted` receives redirect URLs the user pastes when the
/// browser runs elsewhere (SSH); the first valid answer, pasted or received, wins.
pub async fn login(
    http: &reqwest::Client,
    endpoints: &Endpoints,
    app: &OAuthApp,
    settings: &LoginSettings,
    events: &mpsc::UnboundedSender<LoginEvent>,
    mut pasted: mpsc::Receiver<String>,
    cancel: CancellationToken,
) -> Result<Tokens, LoginError> {
    let listener = bind_first_free(&settings.ports).await?;
    let redirect = format!("http://localhost:{}", listener.port);
    let _ = events.send(LoginEvent::Listening {
        port: listener.port,
        busy: listener.busy.clone(),
    });
    let client = configured_client(app, endpoints, Some(redirect))?;
    let (challenge, verifier) = PkceCodeChallenge::new_random_sha256();
    let (url, state) = client
        .authorize_url(CsrfToken::new_random)
        .add_scopes(app.scopes.iter().map(|s| Scope::new(s.clone())))
        .set_pkce_challenge(challenge)
        .url();
    let url = url.to_string();
    let opened = if settings.open_browser {
        webbrowser::open(&url).map_err(|e| e.to_string())
    } else {
        Err(String::new())
    };
    let _ = events.send(match opened {
        Ok(()) => LoginEvent::BrowserOpened { url: url.clone() },
        Err(reason) => LoginEvent::OpenManually {
            url: url.clone(),
            reason: Some(reason).filter(|r| !r.is_empty()),
        },
    });

    let listening = CancellationToken::new();
    let wait = listener.wait_for_callback(state.secret(), listening.clone());
    tokio::pin!(wait);
    let deadline = tokio::time::sleep(settings.timeout);
    tokio::pin!(deadline);
    let callback = loop {
        tokio::select! {
            received = &mut wait => break received.unwrap_or(Err(LoopbackError::Malformed)),
            Some(text) = pasted.recv() => {
                match parse_pasted_redirect(&text, state.secret()) {
                    Ok(callback) => { listening.cancel(); break Ok(callback); }
                    // A mistyped paste should not end the sign-in: ignore and keep waiting.
                    Err(LoopbackError::Malformed) => continue,
                    Err(error) => { listening.cancel(); break Err(error); }
                }
            }
            () = &mut deadline => { listening.cancel(); return Err(LoginError::TimedOut(settings.timeout)); }
            () = cancel.cancelled() => { listening.cancel(); return Err(LoginError::Cancelled); }
        }
    };
    let code = match callback? {
        Callback::Code(code) => code,
        Callback::Denied { error, description } => {
            return Err(LoginError::Denied { error, description });
        }
    };
    let _ = events.send(LoginEvent::Exchanging);
    let response = client
        .exchange_code(AuthorizationCode::new(code))
        .set_pkce_verifier(verifier)
        .request_async(&oauth_http(http))
        .await
        .map_err(token_failure)?;
    Ok(tokens_from(&response))
}

/// The refresh grant; `invalid_grant` becomes `SignInRequired`.
pub async fn refresh(
    http: &reqwest::Client,
    endpoints: &Endpoints,
    app: &OAuthApp,
    refresh_token: &Secret,
) -> Result<Tokens, LoginError> {
    let client = configured_client(app, endpoints, None)?;
    let response = client
        .exchange_refresh_token(&RefreshToken::new(refresh_token.expose().to_owned()))
        .request_async(&oauth_http(http))
        .await
        .map_err(token_failure)?;
    let mut tokens = tokens_from(&response);
    // Without rotation the server may not repeat the refresh token: keep the one we have.
    if tokens.refresh_token.is_none() {
        tokens.refresh_token = Some(refresh_token.clone());
    }
    Ok(tokens)
}
