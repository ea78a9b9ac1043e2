//! The fake account's in-memory state and the handle every route shares.

use std::collections::HashMap;
use std::sync::{Mutex, RwLock, RwLockReadGuard, RwLockWriteGuard};

use indexmap::IndexMap;
use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};
use serde_json::{Map, Value};

use super::config::MockConfig;
use super::oidc::jwt::SigningKey;
use super::oidc::sessions::{Sessions, Subject};
use super::scim::collection::{ScimCollection, ScimKind};
use super::scim::memberships::Memberships;
use super::traffic::Traffic;

pub type Object = Map<String, Value>;

/// An SP OAuth secret as stored: the list view plus what the server alone knows.
#[derive(Debug, Clone)]
pub struct SecretRecord {
    /// Exactly what list returns (id, secret_hash, times, status, scopes).
    pub info: Object,
    /// SHA-256 (hex) of the plaintext, to check client-credentials logins.
    pub secret_hash: String,
    pub expires_at: Option<chrono::DateTime<chrono::Utc>>,
}

#[derive(Debug, Clone)]
pub struct CustomAppRecord {
    /// What get/list return (never the client secret).
    pub info: Object,
    /// SHA-256 (hex) of the client secret of a confidential app.
    pub client_secret_hash: Option<String>,
}

#[derive(Debug, Clone)]
pub struct WorkspaceRecord {
    pub info: Object,
    /// Permission assignments need identity federation; the API has no field for it.
    pub identity_federation: bool,
    /// principal id → permissions, in assignment order.
    pub assignments: IndexMap<i64, Vec<String>>,
}

#[derive(Debug, Clone)]
pub struct RuleSetRecord {
    pub etag: String,
    pub grant_rules: Vec<Value>,
}

pub struct Account {
    pub id: String,
    /// Shown on the sign-in page.
    pub company: String,
    pub users: ScimCollection,
    pub groups: ScimCollection,
    pub service_principals: ScimCollection,
    pub memberships: Memberships,
    /// SP SCIM id → its secrets in creation order.
    pub secrets: HashMap<String, Vec<SecretRecord>>,
    pub custom_apps: IndexMap<String, CustomAppRecord>,
    pub published_catalog: Vec<Object>,
    pub published_integrations: IndexMap<String, Object>,
    pub account_policies: IndexMap<String, Object>,
    /// SP SCIM id → policy id → policy.
    pub sp_policies: HashMap<String, IndexMap<String, Object>>,
    pub workspaces: IndexMap<i64, WorkspaceRecord>,
    /// rule-set name → rule set.
    pub rule_sets: HashMap<String, RuleSetRecord>,
    /// False for an account replayed from a snapshot, which holds no rule sets: reads of
    /// one then fail rather than show an empty one as if it were true.
    pub rule_sets_recorded: bool,
    rule_set_version: u64,
    rng: StdRng,
}

impl Account {
    pub fn new(id: String, company: String, random_seed: u64) -> Self {
        Self {
            id,
            company,
            users: ScimCollection::new(ScimKind::Users),
            groups: ScimCollection::new(ScimKind::Groups),
            service_principals: ScimCollection::new(ScimKind::ServicePrincipals),
            memberships: Memberships::default(),
            secrets: HashMap::new(),
            custom_apps: IndexMap::new(),
            published_catalog: Vec::new(),
            published_integrations: IndexMap::new(),
            account_policies: IndexMap::new(),
            sp_policies: HashMap::new(),
            workspaces: IndexMap::new(),
            rule_sets: HashMap::new(),
            rule_sets_recorded: true,
            rule_set_version: 0,
            rng: StdRng::seed_from_u64(random_seed),
        }
    }

    pub fn collection(&self, kind: ScimKind) -> &ScimCollection {
        match kind {
            ScimKind::Users => &self.users,
            ScimKind::Groups => &self.groups,
            ScimKind::ServicePrincipals => &self.service_principals,
        }
    }

    pub fn collection_mut(&mut self, kind: ScimKind) -> &mut ScimCollection {
        match kind {
            ScimKind::Users => &mut self.users,
            ScimKind::Groups => &mut self.groups,
            ScimKind::ServicePrincipals => &mut self.service_principals,
        }
    }

    /// Which SCIM collection holds this id (ids are unique across the three).
    pub fn kind_of(&self, id: &str) -> Option<ScimKind> {
        [
            ScimKind::Users,
            ScimKind::ServicePrincipals,
            ScimKind::Groups,
        ]
        .into_iter()
        .find(|kind| self.collection(*kind).contains(id))
    }

    /// A fresh 16-digit SCIM id, unique across users, groups and SPs.
    pub fn new_scim_id(&mut self) -> String {
        loop {
            let id = self
                .rng
                .gen_range(1_000_000_000_000_000u64..9_999_999_999_999_999)
                .to_string();
            if self.kind_of(&id).is_none() {
                return id;
            }
        }
    }

    pub fn new_workspace_id(&mut self) -> i64 {
        loop {
            let id = self
                .rng
                .gen_range(1_000_000_000_000_000i64..9_000_000_000_000_000);
            if !self.workspaces.contains_key(&id) {
                return id;
            }
        }
    }

    /// A UUID v4 drawn from the account's seeded generator (reproducible demo ids).
    pub fn new_uuid(&mut self) -> String {
        let bytes: [u8; 16] = self.rng.r#gen();
        uuid::Builder::from_random_bytes(bytes)
            .into_uuid()
            .to_string()
    }

    pub fn next_rule_set_etag(&mut self) -> String {
        use base64::Engine;
        self.rule_set_version += 1;
        base64::engine::general_purpose::URL_SAFE_NO_PAD
            .encode(format!("ruleset-{}", self.rule_set_version))
    }

    /// Whether a principal holds `account_admin`, directly or through any of its groups.
    pub fn is_account_admin(&self, subject: &Subject) -> bool {
        let (kind, id) = match subject {
            Subject::User(id) => (ScimKind::Users, id),
            Subject::ServicePrincipal(id) => (ScimKind::ServicePrincipals, id),
        };
        let Some(resource) = self.collection(kind).get(id) else {
            return false;
        };
        if has_role(resource, "account_admin") {
            return true;
        }
        self.memberships
            .direct_parents(id)
            .cloned()
            .chain(self.memberships.indirect_parents(id))
            .any(|group| {
                self.groups
                    .get(&group)
                    .is_some_and(|g| has_role(g, "account_admin"))
            })
    }

    pub fn is_active(&self, subject: &Subject) -> bool {
        let resource = match subject {
            Subject::User(id) => self.users.get(id),
            Subject::ServicePrincipal(id) => self.service_principals.get(id),
        };
        resource.is_some_and(|r| r.get("active").and_then(Value::as_bool) != Some(false))
    }

    pub fn first_active_admin_service_principal(&self) -> Option<Subject> {
        self.service_principals
            .iter()
            .map(|(id, _)| Subject::ServicePrincipal(id.clone()))
            .find(|s| self.is_active(s) && self.is_account_admin(s))
    }

    /// The SP SCIM id of an application id.
    pub fn service_principal_by_application_id(&self, application_id: &str) -> Option<String> {
        self.service_principals
            .find_unique(application_id)
            .map(str::to_owned)
    }
}

pub fn has_role(resource: &Object, role: &str) -> bool {
    resource
        .get("roles")
        .and_then(Value::as_array)
        .is_some_and(|roles| {
            roles
                .iter()
                .any(|r| r.get("value").and_then(Value::as_str) == Some(role))
        })
}

/// Everything the routes share.
pub struct Shared {
    pub config: MockConfig,
    /// `http://127.0.0.1:PORT`, known once the listener is bound.
    pub host: String,
    pub account_id: String,
    account: RwLock<Account>,
    sessions: Mutex<Sessions>,
    pub signing_key: SigningKey,
    pub traffic: Traffic,
}

impl Shared {
    pub fn new(config: MockConfig, host: String, account: Account) -> Self {
        let traffic = Traffic::new(config.fault_rate, config.rate_limit, config.random_seed)
            .with_rate_burst(config.rate_burst);
        Self {
            host,
            account_id: account.id.clone(),
            account: RwLock::new(account),
            sessions: Mutex::new(Sessions::default()),
            signing_key: SigningKey::generate(),
            traffic,
            config,
        }
    }

    // Poisoning is ignored: handlers validate before they mutate, so a panic mid-request
    // (a bug) leaves no half-applied change worth refusing every later request over.
    pub fn read(&self) -> RwLockReadGuard<'_, Account> {
        self.account
            .read()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
    }

    pub fn write(&self) -> RwLockWriteGuard<'_, Account> {
        self.account
            .write()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
    }

    pub fn sessions(&self) -> std::sync::MutexGuard<'_, Sessions> {
        self.sessions
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
    }

    /// `https://host/oidc/accounts/{id}` for this server.
    pub fn oidc_root(&self) -> String {
        format!("{}/oidc/accounts/{}", self.host, self.account_id)
    }
}
