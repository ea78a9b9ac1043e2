//! Filling a fresh account: the demo seed (`assets/demo-seed.json`, times relative to now so
//! the demo never ages), the empty account, and generated accounts for scale.

mod demo;
mod generated;
mod snapshot;

use serde_json::{Value, json};

use super::config::{MockConfig, SeedKind};
use super::scim::collection::ScimKind;
use super::state::{Account, Object};

pub use demo::DemoSeed;

/// The account a `dbx-console snapshot` document describes, ids kept.
pub fn account_from_snapshot(document: Value, random_seed: u64) -> Result<Account, String> {
    let seed = DemoSeed::embedded()?;
    snapshot::account_from_snapshot(document, seed.published_catalog(), random_seed)
}

/// Builds the account the configuration asks for.
pub fn build_account(config: &MockConfig) -> Result<Account, String> {
    let seed = DemoSeed::embedded()?;
    let mut account = match (&config.from_snapshot, config.seed) {
        (Some(path), _) => {
            let document = crate::headless::read_snapshot(path)?;
            snapshot::account_from_snapshot(document, seed.published_catalog(), config.random_seed)
                .map_err(|why| format!("{} cannot be served: {why}", path.display()))?
        }
        (None, SeedKind::Demo) => seed.load(config.random_seed)?,
        (None, SeedKind::Empty) => empty_account(&seed, config.random_seed),
    };
    generated::add(&mut account, config);
    Ok(account)
}

/// One active account admin, and the published-app catalogue (which is Databricks-wide,
/// not account data, so sign-in with `databricks-cli` works).
fn empty_account(seed: &DemoSeed, random_seed: u64) -> Account {
    let mut account = Account::new(seed.account_id.clone(), "Empty Account".into(), random_seed);
    account.published_catalog = seed.published_catalog();
    add_user(
        &mut account,
        "admin@example.com",
        "Account Admin",
        None,
        true,
        true,
    );
    account
}

/// Adds a user directly to the store (seeding bypasses the HTTP layer).
pub fn add_user(
    account: &mut Account,
    user_name: &str,
    display_name: &str,
    name: Option<(&str, &str)>,
    active: bool,
    is_admin: bool,
) -> String {
    let id = account.new_scim_id();
    let mut user = Object::new();
    user.insert("id".into(), json!(id));
    user.insert("userName".into(), json!(user_name));
    user.insert("displayName".into(), json!(display_name));
    if let Some((given, family)) = name {
        user.insert(
            "name".into(),
            json!({"givenName": given, "familyName": family}),
        );
    }
    user.insert(
        "emails".into(),
        json!([{"value": user_name, "type": "work", "primary": true}]),
    );
    user.insert("active".into(), json!(active));
    if is_admin {
        user.insert("roles".into(), admin_role());
    }
    account.users.put(id.clone(), user);
    id
}

pub fn admin_role() -> Value {
    json!([{"value": "account_admin"}])
}

pub fn add_group(account: &mut Account, display_name: &str) -> String {
    let id = account.new_scim_id();
    let mut group = Object::new();
    group.insert("id".into(), json!(id));
    group.insert("displayName".into(), json!(display_name));
    account
        .collection_mut(ScimKind::Groups)
        .put(id.clone(), group);
    id
}

pub fn add_service_principal(
    account: &mut Account,
    display_name: &str,
    application_id: &str,
    active: bool,
) -> String {
    let id = account.new_scim_id();
    let mut sp = Object::new();
    sp.insert("id".into(), json!(id));
    sp.insert("applicationId".into(), json!(application_id));
    sp.insert("displayName".into(), json!(display_name));
    sp.insert("active".into(), json!(active));
    account.service_principals.put(id.clone(), sp);
    id
}
