//! Typed, read-only views of a snapshot document (`dbx-console.snapshot/1`) for the audit
//! and drift engines. Lenient on purpose: a missing or mistyped field reads as absent, so
//! one odd object never hides the rest of the account from an audit.

mod admins;
mod parse;
pub mod read;

use std::collections::HashMap;

use chrono::{DateTime, Utc};
use serde_json::Value;

pub use admins::AdminGrant;

use crate::snapshot::FORMAT;

/// Fails when `document` is not a snapshot this version understands.
pub fn check_format(document: &Value) -> Result<(), String> {
    match document.get("format").and_then(Value::as_str) {
        Some(FORMAT) => Ok(()),
        Some(other) => Err(format!(
            "it has format '{other}', this version reads '{FORMAT}'"
        )),
        None => Err(format!(
            "it is not a dbx-console snapshot (no \"format\": \"{FORMAT}\")"
        )),
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum PrincipalKind {
    User,
    Group,
    ServicePrincipal,
}

impl PrincipalKind {
    pub fn resource_type(self) -> &'static str {
        match self {
            PrincipalKind::User => "user",
            PrincipalKind::Group => "group",
            PrincipalKind::ServicePrincipal => "service_principal",
        }
    }
}

#[derive(Debug, Clone)]
pub struct User {
    pub id: String,
    pub user_name: String,
    pub display_name: String,
    pub is_active: bool,
    pub is_direct_admin: bool,
}

#[derive(Debug, Clone)]
pub struct Group {
    pub id: String,
    pub display_name: String,
    /// Member ids with the kind their `$ref` names, when it names one.
    pub members: Vec<(String, Option<PrincipalKind>)>,
    pub is_direct_admin: bool,
}

#[derive(Debug, Clone)]
pub struct ServicePrincipal {
    pub id: String,
    pub application_id: String,
    pub display_name: String,
    pub is_active: bool,
    pub is_direct_admin: bool,
}

#[derive(Debug, Clone)]
pub struct Secret {
    pub id: String,
    pub service_principal_id: String,
    pub status: Option<String>,
    pub create_time: Option<String>,
    pub expire_time: Option<String>,
}

impl Secret {
    pub fn created_at(&self) -> Option<DateTime<Utc>> {
        parse_time(self.create_time.as_deref())
    }

    pub fn expires_at(&self) -> Option<DateTime<Utc>> {
        parse_time(self.expire_time.as_deref())
    }

    /// Past its expiry, or marked so by the server. Only `ACTIVE` is a confirmed status
    /// value, and the fake keeps it after expiry, so the time decides.
    pub fn is_expired(&self, now: DateTime<Utc>) -> bool {
        self.expires_at().is_some_and(|at| at <= now)
            || self
                .status
                .as_deref()
                .is_some_and(|s| s.eq_ignore_ascii_case("EXPIRED"))
    }

    /// Usable to sign in: not expired and not marked inactive.
    pub fn is_live(&self, now: DateTime<Utc>) -> bool {
        !self.is_expired(now)
            && self
                .status
                .as_deref()
                .is_none_or(|s| s.eq_ignore_ascii_case("ACTIVE"))
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PolicyScope {
    Account,
    ServicePrincipal(String),
}

#[derive(Debug, Clone)]
pub struct FederationPolicy {
    pub scope: PolicyScope,
    pub policy_id: String,
    pub description: Option<String>,
    pub issuer: Option<String>,
    pub audiences: Vec<String>,
    pub subject: Option<String>,
    pub subject_claim: Option<String>,
}

impl FederationPolicy {
    pub fn resource_type(&self) -> &'static str {
        match self.scope {
            PolicyScope::Account => "account_federation_policy",
            PolicyScope::ServicePrincipal(_) => "service_principal_federation_policy",
        }
    }

    /// Unique across the account: policy ids repeat between service principals.
    pub fn key(&self) -> String {
        match &self.scope {
            PolicyScope::Account => format!("account/{}", self.policy_id),
            PolicyScope::ServicePrincipal(id) => {
                format!("servicePrincipals/{id}/{}", self.policy_id)
            }
        }
    }
}

#[derive(Debug, Clone)]
pub struct Workspace {
    pub id: String,
    pub name: String,
    pub status: Option<String>,
}

#[derive(Debug, Clone)]
pub struct Assignment {
    pub workspace_id: String,
    pub principal_id: String,
    pub principal_kind: Option<PrincipalKind>,
    pub principal_name: String,
    pub permissions: Vec<String>,
}

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct TokenPolicy {
    pub access_token_ttl_minutes: Option<i64>,
    pub refresh_token_ttl_minutes: Option<i64>,
    pub is_single_use_refresh: Option<bool>,
    pub absolute_session_lifetime_minutes: Option<i64>,
}

#[derive(Debug, Clone)]
pub struct CustomApp {
    pub integration_id: String,
    pub client_id: String,
    pub name: String,
    pub is_confidential: bool,
    pub redirect_urls: Vec<String>,
    pub scopes: Vec<String>,
    pub user_authorized_scopes: Vec<String>,
    pub token_policy: Option<TokenPolicy>,
}

#[derive(Debug, Clone)]
pub struct PublishedApp {
    pub integration_id: String,
    pub app_id: String,
    pub name: String,
    pub token_policy: Option<TokenPolicy>,
}

/// The account as a snapshot recorded it.
#[derive(Debug, Clone, Default)]
pub struct Account {
    pub users: Vec<User>,
    pub groups: Vec<Group>,
    pub service_principals: Vec<ServicePrincipal>,
    pub secrets: Vec<Secret>,
    pub federation_policies: Vec<FederationPolicy>,
    pub workspaces: Vec<Workspace>,
    pub assignments: Vec<Assignment>,
    pub custom_apps: Vec<CustomApp>,
    pub published_apps: Vec<PublishedApp>,
}

pub fn parse_time(value: Option<&str>) -> Option<DateTime<Utc>> {
    DateTime::parse_from_rfc3339(value?)
        .ok()
        .map(|t| t.with_timezone(&Utc))
}

impl Account {
    /// Principals and workspaces by id, for naming members, owners and assignees.
    pub fn directory(&self) -> Directory<'_> {
        let users = self
            .users
            .iter()
            .map(|u| (u.id.as_str(), (PrincipalKind::User, u.user_name.as_str())));
        let groups = self.groups.iter().map(|g| {
            (
                g.id.as_str(),
                (PrincipalKind::Group, g.display_name.as_str()),
            )
        });
        let service_principals = self.service_principals.iter().map(|s| {
            let entry = (PrincipalKind::ServicePrincipal, s.display_name.as_str());
            (s.id.as_str(), entry)
        });
        Directory {
            principals: users.chain(groups).chain(service_principals).collect(),
            workspaces: self
                .workspaces
                .iter()
                .map(|w| (w.id.as_str(), w.name.as_str()))
                .collect(),
        }
    }
}

/// Kind and name of every principal, and the name of every workspace, by id.
pub struct Directory<'a> {
    principals: HashMap<&'a str, (PrincipalKind, &'a str)>,
    workspaces: HashMap<&'a str, &'a str>,
}

/// The name, or the id when the snapshot does not know one.
fn name_or_id(name: Option<&str>, id: &str) -> String {
    name.filter(|name| !name.is_empty())
        .unwrap_or(id)
        .to_owned()
}

impl Directory<'_> {
    pub fn kind(&self, id: &str) -> Option<PrincipalKind> {
        self.principals.get(id).map(|(kind, _)| *kind)
    }

    pub fn name(&self, id: &str) -> String {
        name_or_id(self.principals.get(id).map(|(_, name)| *name), id)
    }

    pub fn workspace_name(&self, id: &str) -> String {
        name_or_id(self.workspaces.get(id).copied(), id)
    }

    /// `policy-id` for account policies, `owner/policy-id` for a service principal's.
    pub fn policy_name(&self, policy: &FederationPolicy) -> String {
        match &policy.scope {
            PolicyScope::Account => policy.policy_id.clone(),
            PolicyScope::ServicePrincipal(sp_id) => {
                format!("{}/{}", self.name(sp_id), policy.policy_id)
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn only_the_snapshot_format_is_accepted() {
        assert!(check_format(&json!({"format": FORMAT})).is_ok());
        assert!(check_format(&json!({"format": "other/1"})).is_err());
        assert!(check_format(&json!([])).is_err());
    }

    #[test]
    fn secrets_expire_by_time_or_status() {
        let now = parse_time(Some("2026-01-10T00:00:00Z")).unwrap();
        let secret = |expire: Option<&str>, status: Option<&str>| Secret {
            id: "s".into(),
            service_principal_id: "1".into(),
            status: status.map(str::to_owned),
            create_time: None,
            expire_time: expire.map(str::to_owned),
        };
        assert!(secret(Some("2026-01-09T00:00:00Z"), Some("ACTIVE")).is_expired(now));
        assert!(!secret(Some("2026-01-11T00:00:00Z"), Some("ACTIVE")).is_expired(now));
        assert!(secret(None, Some("EXPIRED")).is_expired(now));
        assert!(secret(None, None).is_live(now));
        assert!(!secret(None, Some("INACTIVE")).is_live(now));
    }
}
