//! Headless token sources: M2M client credentials (a service principal's OAuth secret) and
//! RFC 8693 token federation (an IdP's JWT from an env var or a file). Both cache the access
//! token until shortly before it expires.

use chrono::{DateTime, Duration, Utc};
use serde::Deserialize;
use tokio::sync::Mutex;

use super::session::refresh_slack;
use crate::api::token::{TokenError, TokenFuture, TokenSource};
use crate::secret::Secret;

const TOKEN_EXCHANGE: &str = "urn:ietf:params:oauth:grant-type:token-exchange";
const JWT_TOKEN_TYPE: &str = "urn:ietf:params:oauth:token-type:jwt";

pub use crate::config::OidcToken;

/// Reads the IdP's token freshly for every exchange (CI systems rotate it).
fn read_oidc_token(token: &OidcToken) -> Result<Secret, TokenError> {
    let value = match token {
        OidcToken::Env(name) => std::env::var(name).map_err(|_| {
            TokenError::SignInRequired(format!(
                "the environment variable {name} holds no OIDC token"
            ))
        })?,
        OidcToken::File(path) => std::fs::read_to_string(path).map_err(|e| {
            TokenError::SignInRequired(format!(
                "could not read the OIDC token file {}: {e}",
                path.display()
            ))
        })?,
    };
    Ok(Secret::new(value.trim()))
}

#[derive(Debug, Clone)]
pub enum Grant {
    ClientCredentials {
        client_id: String,
        client_secret: Secret,
    },
    TokenExchange {
        token: OidcToken,
        client_id: Option<String>,
    },
}

pub struct MachineTokenSource {
    http: reqwest::Client,
    token_endpoint: String,
    grant: Grant,
    scopes: Vec<String>,
    cached: Mutex<Option<(Secret, DateTime<Utc>, Duration)>>,
}

#[derive(Deserialize)]
struct TokenBody {
    access_token: String,
    #[serde(default)]
    expires_in: Option<serde_json::Value>,
}

#[derive(Deserialize, Default)]
struct ErrorBody {
    #[serde(default)]
    error: String,
    #[serde(default)]
    error_description: String,
}

impl MachineTokenSource {
    pub fn new(
        http: reqwest::Client,
        token_endpoint: String,
        grant: Grant,
        scopes: Vec<String>,
    ) -> Self {
        Self {
            http,
            token_endpoint,
            grant,
            scopes,
            cached: Mutex::new(None),
        }
    }

    async fn fetch(&self) -> Result<(Secret, Duration), TokenError> {
        let scope = if self.scopes.is_empty() {
            "all-apis".to_owned()
        } else {
            self.scopes.join(" ")
        };
        let mut form: Vec<(&str, String)> = vec![("scope", scope)];
        let mut request = self.http.post(&self.token_endpoint);
        match &self.grant {
            Grant::ClientCredentials {
                client_id,
                client_secret,
            } => {
                form.push(("grant_type", "client_credentials".into()));
                request = request.basic_auth(client_id, Some(client_secret.expose()));
            }
            Grant::TokenExchange { token, client_id } => {
                form.push(("grant_type", TOKEN_EXCHANGE.into()));
                form.push(("subject_token", read_oidc_token(token)?.expose().to_owned()));
                form.push(("subject_token_type", JWT_TOKEN_TYPE.into()));
                if let Some(client_id) = client_id {
                    form.push(("client_id", client_id.clone()));
                }
            }
        }
        let response = request
            .form(&form)
            .send()
            .await
            .map_err(|e| TokenError::Unavailable(format!("token endpoint unreachable: {e}")))?;
        let status = response.status();
        let bytes = response
            .bytes()
            .await
            .map_err(|e| TokenError::Unavailable(e.to_string()))?;
        if !status.is_success() {
            let body: ErrorBody = serde_json::from_slice(&bytes).unwrap_or_default();
            let reason = format!(
                "{} {}: {}",
                status.as_u16(),
                body.error,
                body.error_description
            );
            // Bad credentials will not fix themselves; a 5xx might.
            return Err(if status.is_client_error() {
                TokenError::SignInRequired(reason)
            } else {
                TokenError::Unavailable(reason)
            });
        }
        let body: TokenBody = serde_json::from_slice(&bytes)
            .map_err(|e| TokenError::Unavailable(format!("unexpected token response: {e}")))?;
        // expires_in may be a number or a numeric string (the CLI's own fake sends a string).
        let seconds = match body.expires_in {
            Some(serde_json::Value::Number(n)) => n.as_i64().unwrap_or(3600),
            Some(serde_json::Value::String(s)) => s.parse().unwrap_or(3600),
            _ => 3600,
        };
        Ok((
            Secret::new(body.access_token),
            Duration::seconds(seconds.max(1)),
        ))
    }

    async fn token_or_fetch(&self, rejected: Option<&Secret>) -> Result<Secret, TokenError> {
        let mut cached = self.cached.lock().await;
        let now = Utc::now();
        if let Some((token, expiry, lifetime)) = cached.as_ref() {
            let fresh = *expiry - now > refresh_slack(*lifetime);
            if fresh && rejected != Some(token) {
                return Ok(token.clone());
            }
        }
        let (token, lifetime) = self.fetch().await?;
        *cached = Some((token.clone(), now + lifetime, lifetime));
        Ok(token)
    }
}

impl TokenSource for MachineTokenSource {
    fn token(&self) -> TokenFuture<'_> {
        Box::pin(self.token_or_fetch(None))
    }

    fn refresh_after_rejection<'a>(&'a self, rejected: &'a Secret) -> TokenFuture<'a> {
        Box::pin(self.token_or_fetch(Some(rejected)))
    }

    fn describe(&self) -> String {
        match &self.grant {
            Grant::ClientCredentials { client_id, .. } => {
                format!("OAuth M2M (service principal {client_id})")
            }
            Grant::TokenExchange {
                token: OidcToken::Env(name),
                ..
            } => format!("token federation (OIDC token from ${name})"),
            Grant::TokenExchange {
                token: OidcToken::File(path),
                ..
            } => {
                format!("token federation (OIDC token from {})", path.display())
            }
        }
    }
}
