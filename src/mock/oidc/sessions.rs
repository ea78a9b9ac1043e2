//! What the fake's OAuth server remembers: authorization codes, access tokens and refresh
//! tokens, with the principal and client each was issued to.

use std::collections::HashMap;

use chrono::{DateTime, Utc};

/// Who a token acts as.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Subject {
    /// SCIM id of a user.
    User(String),
    /// SCIM id of a service principal.
    ServicePrincipal(String),
}

impl Subject {
    pub fn scim_id(&self) -> &str {
        match self {
            Subject::User(id) | Subject::ServicePrincipal(id) => id,
        }
    }
}

#[derive(Debug, Clone)]
pub struct AccessGrant {
    pub subject: Subject,
    pub client_id: String,
    pub scopes: Vec<String>,
    /// `None` for the token `mock-server` prints, valid for the server's life.
    pub expires_at: Option<DateTime<Utc>>,
}

#[derive(Debug, Clone)]
pub struct RefreshGrant {
    pub subject: Subject,
    pub client_id: String,
    pub scopes: Vec<String>,
    pub expires_at: DateTime<Utc>,
    /// Hard end of the whole session (absolute session lifetime), if the app sets one.
    pub session_expires_at: Option<DateTime<Utc>>,
}

#[derive(Debug, Clone)]
pub struct CodeGrant {
    pub subject: Subject,
    pub client_id: String,
    pub redirect_uri: String,
    pub code_challenge: String,
    pub scopes: Vec<String>,
    pub expires_at: DateTime<Utc>,
}

#[derive(Default)]
pub struct Sessions {
    pub access: HashMap<String, AccessGrant>,
    pub refresh: HashMap<String, RefreshGrant>,
    pub codes: HashMap<String, CodeGrant>,
    /// Codes already exchanged: a second use is `invalid_grant` with a precise message.
    pub used_codes: HashMap<String, DateTime<Utc>>,
}

/// Above this many entries, expired ones are dropped on the next insert.
const PRUNE_ABOVE: usize = 10_000;

impl Sessions {
    pub fn insert_access(&mut self, token: String, grant: AccessGrant, now: DateTime<Utc>) {
        if self.access.len() > PRUNE_ABOVE {
            self.access
                .retain(|_, g| g.expires_at.is_none_or(|expires| expires > now));
        }
        self.access.insert(token, grant);
    }

    pub fn insert_refresh(&mut self, token: String, grant: RefreshGrant, now: DateTime<Utc>) {
        if self.refresh.len() > PRUNE_ABOVE {
            self.refresh.retain(|_, g| g.expires_at > now);
        }
        self.refresh.insert(token, grant);
    }

    /// The live grant behind an access token, if it exists and has not expired.
    pub fn access_grant(&self, token: &str, now: DateTime<Utc>) -> Option<&AccessGrant> {
        self.access
            .get(token)
            .filter(|grant| grant.expires_at.is_none_or(|expires| expires > now))
    }
}
