//! The demo seed file format (`dbx-console.seed/1`) and its loader. References between
//! objects use `user:<userName>`, `sp:<displayName>` and `group:<displayName>`.

use std::collections::HashMap;

use chrono::Duration;
use serde::Deserialize;
use serde_json::{Value, json};

use super::{add_group, add_service_principal, add_user, admin_role};
use crate::mock::clock;
use crate::mock::oidc::pkce::random_hex;
use crate::mock::oidc::tokens::sha256_hex;
use crate::mock::secrets::new_secret_record;
use crate::mock::state::{Account, CustomAppRecord, Object, RuleSetRecord, WorkspaceRecord};

const SEED_JSON: &str = include_str!("../../../assets/demo-seed.json");
const FORMAT: &str = "dbx-console.seed/1";

#[derive(Debug, Clone, Deserialize)]
pub struct DemoSeed {
    pub format: String,
    pub account_id: String,
    pub company: String,
    pub users: Vec<SeedUser>,
    pub groups: Vec<SeedGroup>,
    pub service_principals: Vec<SeedServicePrincipal>,
    pub workspaces: Vec<Object>,
    pub custom_app_integrations: Vec<Object>,
    pub published_apps_catalog: Vec<Object>,
    pub published_app_integrations: Vec<Object>,
    pub account_federation_policies: Vec<Object>,
    pub service_principal_federation_policies: Vec<Object>,
}

#[derive(Debug, Clone, Deserialize)]
pub struct SeedUser {
    pub user_name: String,
    pub display_name: String,
    pub given_name: Option<String>,
    pub family_name: Option<String>,
    pub active: bool,
    pub account_admin: bool,
    pub external_id: Option<String>,
}

#[derive(Debug, Clone, Deserialize)]
pub struct SeedGroup {
    pub display_name: String,
    pub external_id: Option<String>,
    #[serde(default)]
    pub members: Vec<String>,
    #[serde(default)]
    pub roles: Vec<String>,
}

#[derive(Debug, Clone, Deserialize)]
pub struct SeedServicePrincipal {
    pub display_name: String,
    pub application_id: String,
    pub active: bool,
    pub account_admin: bool,
    #[serde(default)]
    pub secrets: Vec<SeedSecret>,
    #[serde(default)]
    pub managers: Vec<String>,
    #[serde(default)]
    pub users: Vec<String>,
}

#[derive(Debug, Clone, Deserialize)]
pub struct SeedSecret {
    pub created_days_ago: i64,
    pub lifetime_days: Option<i64>,
    #[serde(default)]
    pub scopes: Vec<String>,
}

/// Ids of seeded principals by the names the seed uses for them.
#[derive(Default)]
struct Names {
    users: HashMap<String, String>,
    groups: HashMap<String, String>,
    service_principals: HashMap<String, String>,
}

impl Names {
    fn resolve(&self, reference: &str) -> Result<String, String> {
        let (kind, name) = reference
            .split_once(':')
            .ok_or_else(|| format!("seed reference '{reference}' has no kind prefix"))?;
        let table = match kind {
            "user" => &self.users,
            "group" => &self.groups,
            "sp" => &self.service_principals,
            _ => return Err(format!("seed reference '{reference}' has an unknown kind")),
        };
        table
            .get(name)
            .cloned()
            .ok_or_else(|| format!("seed reference '{reference}' does not resolve"))
    }
}

fn days_ago(days: i64) -> chrono::DateTime<chrono::Utc> {
    clock::now() - Duration::days(days)
}

fn int(object: &Object, key: &str) -> i64 {
    object.get(key).and_then(Value::as_i64).unwrap_or_default()
}

impl DemoSeed {
    pub fn embedded() -> Result<DemoSeed, String> {
        let seed: DemoSeed =
            serde_json::from_str(SEED_JSON).map_err(|e| format!("demo seed is invalid: {e}"))?;
        if seed.format != FORMAT {
            return Err(format!(
                "demo seed has format '{}', expected '{FORMAT}'",
                seed.format
            ));
        }
        Ok(seed)
    }

    /// The Databricks-wide catalogue of published apps, as the API lists it.
    pub fn published_catalog(&self) -> Vec<Object> {
        let mut catalog = self.published_apps_catalog.clone();
        for app in &mut catalog {
            // Always false for published apps (reference §4.3), and the API sends it.
            app.entry("is_confidential_client").or_insert(json!(false));
        }
        catalog
    }

    pub fn load(&self, random_seed: u64) -> Result<Account, String> {
        let mut account = Account::new(self.account_id.clone(), self.company.clone(), random_seed);
        account.published_catalog = self.published_catalog();
        let mut names = Names::default();
        for user in &self.users {
            let name = user.given_name.as_deref().zip(user.family_name.as_deref());
            let id = add_user(
                &mut account,
                &user.user_name,
                &user.display_name,
                name,
                user.active,
                user.account_admin,
            );
            if let Some(external) = &user.external_id
                && let Some(stored) = account.users.get(&id).cloned()
            {
                let mut stored = stored;
                stored.insert("externalId".into(), json!(external));
                account.users.put(id.clone(), stored);
            }
            names.users.insert(user.user_name.clone(), id);
        }
        for sp in &self.service_principals {
            let id = add_service_principal(
                &mut account,
                &sp.display_name,
                &sp.application_id,
                sp.active,
            );
            if sp.account_admin
                && let Some(mut stored) = account.service_principals.get(&id).cloned()
            {
                stored.insert("roles".into(), admin_role());
                account.service_principals.put(id.clone(), stored);
            }
            let secrets = sp
                .secrets
                .iter()
                .map(|s| {
                    let created = days_ago(s.created_days_ago);
                    let expires = s.lifetime_days.map(|days| created + Duration::days(days));
                    // Nobody ever saw these plaintexts: seeded secrets cannot sign in.
                    new_secret_record(
                        &format!("dose{}", random_hex(18)),
                        created,
                        expires,
                        s.scopes.clone(),
                    )
                })
                .collect();
            account.secrets.insert(id.clone(), secrets);
            names.service_principals.insert(sp.display_name.clone(), id);
        }
        for group in &self.groups {
            let id = add_group(&mut account, &group.display_name);
            if let Some(mut stored) = account.groups.get(&id).cloned() {
                if let Some(external) = &group.external_id {
                    stored.insert("externalId".into(), json!(external));
                }
                if !group.roles.is_empty() {
                    let roles: Vec<Value> =
                        group.roles.iter().map(|r| json!({"value": r})).collect();
                    stored.insert("roles".into(), json!(roles));
                }
                account.groups.put(id.clone(), stored);
            }
            names.groups.insert(group.display_name.clone(), id);
        }
        for group in &self.groups {
            let group_id = names.resolve(&format!("group:{}", group.display_name))?;
            for member in &group.members {
                let member_id = names.resolve(member)?;
                account.memberships.add(&group_id, &member_id);
            }
        }
        self.load_rule_sets(&mut account, &names)?;
        self.load_workspaces(&mut account, &names)?;
        self.load_apps(&mut account, &names)?;
        self.load_policies(&mut account, &names)?;
        Ok(account)
    }

    fn load_rule_sets(&self, account: &mut Account, names: &Names) -> Result<(), String> {
        for sp in &self.service_principals {
            names.resolve(&format!("sp:{}", sp.display_name))?;
            let mut rules = Vec::new();
            for (role, principals) in [
                ("roles/servicePrincipal.manager", &sp.managers),
                ("roles/servicePrincipal.user", &sp.users),
            ] {
                if !principals.is_empty() {
                    rules.push(json!({"role": role, "principals": principals}));
                }
            }
            if rules.is_empty() {
                continue;
            }
            let name = format!(
                "accounts/{}/servicePrincipals/{}/ruleSets/default",
                account.id, sp.application_id
            );
            let etag = account.next_rule_set_etag();
            account.rule_sets.insert(
                name,
                RuleSetRecord {
                    etag,
                    grant_rules: rules,
                },
            );
        }
        Ok(())
    }

    fn load_workspaces(&self, account: &mut Account, names: &Names) -> Result<(), String> {
        for seed in &self.workspaces {
            let mut info = Object::new();
            let workspace_id = int(seed, "workspace_id");
            for (key, value) in seed {
                if !matches!(
                    key.as_str(),
                    "created_days_ago" | "identity_federation" | "assignments"
                ) {
                    info.insert(key.clone(), value.clone());
                }
            }
            info.insert("account_id".into(), json!(account.id));
            info.insert(
                "creation_time".into(),
                json!(days_ago(int(seed, "created_days_ago")).timestamp_millis()),
            );
            let mut record = WorkspaceRecord {
                info,
                identity_federation: seed
                    .get("identity_federation")
                    .and_then(Value::as_bool)
                    .unwrap_or(true),
                assignments: Default::default(),
            };
            for assignment in seed
                .get("assignments")
                .and_then(Value::as_array)
                .into_iter()
                .flatten()
            {
                let principal = assignment
                    .get("principal")
                    .and_then(Value::as_str)
                    .unwrap_or_default();
                let id: i64 = names
                    .resolve(principal)?
                    .parse()
                    .map_err(|_| "non-numeric id".to_string())?;
                let permissions =
                    crate::mock::oauth_apps::string_list(assignment.get("permissions"));
                record.assignments.insert(id, permissions);
            }
            account.workspaces.insert(workspace_id, record);
        }
        Ok(())
    }

    fn load_apps(&self, account: &mut Account, names: &Names) -> Result<(), String> {
        for seed in &self.custom_app_integrations {
            let integration_id = account.new_uuid();
            let client_id = account.new_uuid();
            let mut info = Object::new();
            info.insert("integration_id".into(), json!(integration_id));
            info.insert("client_id".into(), json!(client_id));
            for key in [
                "name",
                "confidential",
                "redirect_urls",
                "scopes",
                "user_authorized_scopes",
                "token_access_policy",
            ] {
                if let Some(value) = seed.get(key) {
                    info.insert(key.into(), value.clone());
                }
            }
            info.insert(
                "create_time".into(),
                json!(clock::rfc3339(days_ago(int(seed, "created_days_ago")))),
            );
            created_by(&mut info, seed, names)?;
            let is_confidential = seed.get("confidential").and_then(Value::as_bool) == Some(true);
            let client_secret_hash = is_confidential.then(|| sha256_hex(&random_hex(18)));
            account.custom_apps.insert(
                integration_id,
                CustomAppRecord {
                    info,
                    client_secret_hash,
                },
            );
        }
        for seed in &self.published_app_integrations {
            let app_id = seed
                .get("app_id")
                .and_then(Value::as_str)
                .unwrap_or_default();
            let name = self
                .published_apps_catalog
                .iter()
                .find(|app| app.get("app_id").and_then(Value::as_str) == Some(app_id))
                .and_then(|app| app.get("name").cloned())
                .ok_or_else(|| {
                    format!("published integration '{app_id}' is not in the catalogue")
                })?;
            let integration_id = account.new_uuid();
            let mut info = Object::new();
            info.insert("app_id".into(), json!(app_id));
            info.insert("integration_id".into(), json!(integration_id));
            info.insert("name".into(), name);
            if let Some(policy) = seed.get("token_access_policy") {
                info.insert("token_access_policy".into(), policy.clone());
            }
            info.insert(
                "create_time".into(),
                json!(clock::rfc3339(days_ago(int(seed, "created_days_ago")))),
            );
            created_by(&mut info, seed, names)?;
            account.published_integrations.insert(integration_id, info);
        }
        Ok(())
    }

    fn load_policies(&self, account: &mut Account, names: &Names) -> Result<(), String> {
        for seed in &self.account_federation_policies {
            let policy_id = seed
                .get("policy_id")
                .and_then(Value::as_str)
                .unwrap_or_default()
                .to_owned();
            let name = format!("accounts/{}/federationPolicies/{policy_id}", account.id);
            let policy = policy_object(account, seed, name, None);
            account.account_policies.insert(policy_id, policy);
        }
        for seed in &self.service_principal_federation_policies {
            let sp_name = seed
                .get("service_principal")
                .and_then(Value::as_str)
                .unwrap_or_default();
            let sp_id = names.resolve(&format!("sp:{sp_name}"))?;
            let policy_id = seed
                .get("policy_id")
                .and_then(Value::as_str)
                .unwrap_or_default()
                .to_owned();
            let name = format!(
                "accounts/{}/servicePrincipals/{sp_id}/federationPolicies/{policy_id}",
                account.id
            );
            let policy = policy_object(account, seed, name, Some(&sp_id));
            account
                .sp_policies
                .entry(sp_id)
                .or_default()
                .insert(policy_id, policy);
        }
        Ok(())
    }
}

fn created_by(info: &mut Object, seed: &Object, names: &Names) -> Result<(), String> {
    if let Some(reference) = seed.get("created_by").and_then(Value::as_str) {
        let id: i64 = names
            .resolve(reference)?
            .parse()
            .map_err(|_| "non-numeric id".to_string())?;
        info.insert("created_by".into(), json!(id));
    }
    Ok(())
}

fn policy_object(
    account: &mut Account,
    seed: &Object,
    name: String,
    sp_id: Option<&str>,
) -> Object {
    let created = clock::rfc3339(days_ago(int(seed, "created_days_ago")));
    let mut policy = Object::new();
    policy.insert("name".into(), json!(name));
    policy.insert(
        "policy_id".into(),
        seed.get("policy_id").cloned().unwrap_or(Value::Null),
    );
    policy.insert("uid".into(), json!(account.new_uuid()));
    if let Some(sp_id) = sp_id {
        policy.insert(
            "service_principal_id".into(),
            json!(sp_id.parse::<i64>().unwrap_or_default()),
        );
    }
    if let Some(description) = seed.get("description") {
        policy.insert("description".into(), description.clone());
    }
    policy.insert(
        "oidc_policy".into(),
        seed.get("oidc_policy")
            .cloned()
            .unwrap_or_else(|| json!({})),
    );
    policy.insert("create_time".into(), json!(created));
    policy.insert("update_time".into(), json!(created));
    policy
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::mock::oidc::sessions::Subject;

    #[test]
    fn demo_seed_loads_and_every_reference_resolves() {
        let account = DemoSeed::embedded().unwrap().load(1).unwrap();
        assert_eq!(account.users.len(), 200);
        assert_eq!(account.groups.len(), 25);
        assert_eq!(account.service_principals.len(), 15);
        assert_eq!(account.workspaces.len(), 6);
        let admin = account
            .users
            .find_unique("ana.silva@northwind.example")
            .unwrap();
        assert!(account.is_account_admin(&Subject::User(admin.to_owned())));
    }

    #[test]
    fn the_same_random_seed_gives_the_same_ids() {
        let seed = DemoSeed::embedded().unwrap();
        let a = seed.load(3).unwrap();
        let b = seed.load(3).unwrap();
        assert_eq!(
            a.users.find_unique("ana.silva@northwind.example"),
            b.users.find_unique("ana.silva@northwind.example")
        );
    }
}
