//! The signed-in U2M session as a `TokenSource`: refreshes ahead of expiry, lets concurrent
//! requests share one refresh, persists a rotated refresh token before the new access token
//! is used, and turns an invalid refresh token into "sign in again".

use std::sync::{Arc, OnceLock};

use chrono::{DateTime, Duration, Utc};
use tokio::sync::{Mutex, OnceCell};

use super::oauth_http::oauth_client;
use super::u2m::{Endpoints, LoginError, OAuthApp, Tokens, discover, refresh};
use crate::api::token::{TokenError, TokenFuture, TokenSource};
use crate::secret::Secret;

/// What a session holds between requests.
#[derive(Debug, Clone, PartialEq)]
pub struct SessionTokens {
    pub access_token: Secret,
    pub refresh_token: Option<Secret>,
    pub expiry: DateTime<Utc>,
    pub scopes: Vec<String>,
}

impl SessionTokens {
    pub fn from_grant(tokens: Tokens, now: DateTime<Utc>) -> Self {
        let lifetime = Duration::from_std(tokens.expires_in).unwrap_or(Duration::hours(1));
        Self {
            access_token: tokens.access_token,
            refresh_token: tokens.refresh_token,
            expiry: now + lifetime,
            scopes: tokens.scopes,
        }
    }
}

/// Where a session's tokens are kept between runs.
pub trait SessionPersistence: Send + Sync {
    fn save(&self, tokens: &SessionTokens) -> Result<(), String>;
}

/// Refresh this long before expiry: the CLI's five minutes, or half the lifetime of
/// short-lived tokens so a 5-minute token is not refreshed on every request.
pub fn refresh_slack(lifetime: Duration) -> Duration {
    (lifetime / 2).min(Duration::minutes(5))
}

pub struct OAuthSession {
    /// Built when a refresh first needs it (a client loads the system's root certificates).
    http: OnceLock<reqwest::Client>,
    /// Discovered from `oidc_root` when a refresh first needs them.
    endpoints: OnceCell<Endpoints>,
    oidc_root: String,
    app: OAuthApp,
    persistence: Option<Arc<dyn SessionPersistence>>,
    /// Held across a refresh, so concurrent callers wait for it and share its result.
    tokens: Mutex<SessionTokens>,
    lifetime: Mutex<Duration>,
}

impl OAuthSession {
    pub fn new(
        http: reqwest::Client,
        endpoints: Endpoints,
        app: OAuthApp,
        tokens: SessionTokens,
        persistence: Option<Arc<dyn SessionPersistence>>,
    ) -> Self {
        let session = Self::stored(String::new(), app, tokens, persistence);
        let _ = session.http.set(http);
        let _ = session.endpoints.set(endpoints);
        session
    }

    /// A stored sign-in: the HTTP client and the endpoints (from `oidc_root`) wait until a
    /// refresh needs them, so the console opens without a network round trip.
    pub fn stored(
        oidc_root: String,
        app: OAuthApp,
        tokens: SessionTokens,
        persistence: Option<Arc<dyn SessionPersistence>>,
    ) -> Self {
        let lifetime = (tokens.expiry - Utc::now()).max(Duration::minutes(5));
        Self {
            http: OnceLock::new(),
            endpoints: OnceCell::new(),
            oidc_root,
            app,
            persistence,
            tokens: Mutex::new(tokens),
            lifetime: Mutex::new(lifetime),
        }
    }

    fn http(&self) -> &reqwest::Client {
        self.http.get_or_init(oauth_client)
    }

    async fn endpoints(&self) -> Result<&Endpoints, LoginError> {
        self.endpoints
            .get_or_try_init(|| discover(self.http(), &self.oidc_root))
            .await
    }

    /// The current tokens (for `auth status`: expiry and scopes, never shown values).
    pub async fn snapshot(&self) -> SessionTokens {
        self.tokens.lock().await.clone()
    }

    async fn token_or_refresh(&self, rejected: Option<&Secret>) -> Result<Secret, TokenError> {
        let mut tokens = self.tokens.lock().await;
        let now = Utc::now();
        let stale = match rejected {
            // Someone else may have refreshed since this token was sent: use theirs.
            Some(rejected) => tokens.access_token == *rejected,
            None => tokens.expiry - now <= refresh_slack(*self.lifetime.lock().await),
        };
        if !stale {
            return Ok(tokens.access_token.clone());
        }
        let refresh_token = tokens.refresh_token.clone().ok_or_else(|| {
            TokenError::SignInRequired(
                "the session has no refresh token (offline_access was not granted)".into(),
            )
        })?;
        let endpoints = self
            .endpoints()
            .await
            .map_err(|error| TokenError::Unavailable(error.to_string()))?;
        let grant = refresh(self.http(), endpoints, &self.app, &refresh_token)
            .await
            .map_err(|error| match error {
                LoginError::SignInRequired(reason) => {
                    TokenError::SignInRequired(format!("the refresh token was refused ({reason})"))
                }
                other => TokenError::Unavailable(other.to_string()),
            })?;
        let renewed = SessionTokens::from_grant(grant, now);
        // With single-use refresh tokens the old one is already dead: keep the new one on
        // disk before anything uses the new access token, or a crash would lose the session.
        if let Some(persistence) = &self.persistence {
            persistence.save(&renewed).map_err(|reason| {
                TokenError::Unavailable(format!("could not save the refreshed session: {reason}"))
            })?;
        }
        tracing::debug!(expiry = %renewed.expiry, rotated = renewed.refresh_token != Some(refresh_token.clone()), access_token = ?renewed.access_token, "refreshed the session");
        *self.lifetime.lock().await = (renewed.expiry - now).max(Duration::minutes(1));
        *tokens = renewed;
        Ok(tokens.access_token.clone())
    }
}

impl TokenSource for OAuthSession {
    fn token(&self) -> TokenFuture<'_> {
        Box::pin(self.token_or_refresh(None))
    }

    fn refresh_after_rejection<'a>(&'a self, rejected: &'a Secret) -> TokenFuture<'a> {
        Box::pin(self.token_or_refresh(Some(rejected)))
    }

    fn describe(&self) -> String {
        format!("OAuth user sign-in (client {})", self.app.client_id)
    }

    fn expires_at(&self) -> Option<DateTime<Utc>> {
        // Busy means a refresh is under way: the header keeps what it showed.
        self.tokens.try_lock().ok().map(|tokens| tokens.expiry)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn slack_is_five_minutes_or_half_a_short_lifetime() {
        assert_eq!(refresh_slack(Duration::hours(1)), Duration::minutes(5));
        assert_eq!(refresh_slack(Duration::minutes(6)), Duration::minutes(3));
    }
}
