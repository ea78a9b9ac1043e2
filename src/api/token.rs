//! Where the client's bearer token comes from. The sign-in layer plugs U2M, M2M and
//! federation in behind this trait; a static token (DATABRICKS_TOKEN) is the simplest source.

use std::future::Future;
use std::pin::Pin;

use crate::secret::Secret;

pub type TokenFuture<'a> = Pin<Box<dyn Future<Output = Result<Secret, TokenError>> + Send + 'a>>;

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum TokenError {
    /// The session cannot be renewed (refresh token invalid or expired, no refresh possible).
    #[error("sign in again: {0}")]
    SignInRequired(String),
    /// Getting a token failed for a reason worth retrying later (network, server error).
    #[error("could not get an access token: {0}")]
    Unavailable(String),
}

pub trait TokenSource: Send + Sync {
    /// A token valid for at least the next request, refreshed ahead of expiry if needed.
    fn token(&self) -> TokenFuture<'_>;

    /// Called once after a 401 with the token the server refused; returns a new one or says
    /// the user must sign in again.
    fn refresh_after_rejection<'a>(&'a self, rejected: &'a Secret) -> TokenFuture<'a>;

    /// How the token is obtained, for `auth status` (never the token itself).
    fn describe(&self) -> String;

    /// When the current access token expires, if known. Never waits: the console's header
    /// reads it on the draw path.
    fn expires_at(&self) -> Option<chrono::DateTime<chrono::Utc>> {
        None
    }
}

/// A fixed bearer token (`DATABRICKS_TOKEN`, or the fake's pre-issued admin token).
pub struct StaticToken(Secret);

impl StaticToken {
    pub fn new(token: impl Into<Secret>) -> Self {
        Self(token.into())
    }
}

impl TokenSource for StaticToken {
    fn token(&self) -> TokenFuture<'_> {
        let token = self.0.clone();
        Box::pin(async move { Ok(token) })
    }

    fn refresh_after_rejection<'a>(&'a self, _rejected: &'a Secret) -> TokenFuture<'a> {
        Box::pin(async {
            Err(TokenError::SignInRequired(
                "the static bearer token was rejected; it may have expired or been revoked".into(),
            ))
        })
    }

    fn describe(&self) -> String {
        "static bearer token".into()
    }
}
