//! Account access control: rule sets (who may manage or use an SP or group) with etag
//! read-modify-write, and the roles assignable on each kind of resource.

use std::sync::Arc;

use axum::extract::State;
use axum::routing::get;
use axum::{Json as JsonResponse, Router};
use serde::Deserialize;
use serde_json::{Value, json};

use super::error::{ApiFailure, ApiResult};
use super::extract::{Json, Query};
use super::state::{Account, RuleSetRecord, Shared};

pub fn routes() -> Router<Arc<Shared>> {
    Router::new()
        .route("/access-control/assignable-roles", get(assignable_roles))
        .route(
            "/access-control/rule-sets",
            get(get_rule_set).put(put_rule_set),
        )
}

/// What a resource name (or rule-set name) points at.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Target {
    Account,
    Group,
    ServicePrincipal,
}

impl Target {
    fn roles(self) -> &'static [&'static str] {
        match self {
            Target::Account => &[
                "roles/marketplace.admin",
                "roles/billing.admin",
                "roles/tagPolicy.creator",
            ],
            Target::Group => &["roles/group.manager"],
            Target::ServicePrincipal => &[
                "roles/servicePrincipal.manager",
                "roles/servicePrincipal.user",
            ],
        }
    }
}

/// Resolves `accounts/{id}`, `accounts/{id}/groups/{gid}` or
/// `accounts/{id}/servicePrincipals/{sp}`; for SPs both the SCIM id and the application id
/// are accepted (the reference leaves the resource form unconfirmed).
fn resolve(account: &Account, resource: &str) -> ApiResult<(Target, String)> {
    let unknown =
        || ApiFailure::invalid_parameter(format!("'{resource}' is not a valid resource name"));
    let rest = resource
        .strip_prefix("accounts/")
        .and_then(|r| r.strip_prefix(account.id.as_str()))
        .ok_or_else(unknown)?;
    let parts: Vec<&str> = rest
        .trim_start_matches('/')
        .split('/')
        .filter(|p| !p.is_empty())
        .collect();
    match parts.as_slice() {
        [] => Ok((Target::Account, account.id.clone())),
        ["groups", id] if account.groups.contains(id) => Ok((Target::Group, (*id).to_owned())),
        ["servicePrincipals", id] => {
            let application_id = if let Some(sp) = account.service_principals.get(id) {
                sp.get("applicationId")
                    .and_then(Value::as_str)
                    .map(str::to_owned)
            } else {
                account
                    .service_principal_by_application_id(id)
                    .map(|_| (*id).to_owned())
            };
            application_id
                .map(|app| (Target::ServicePrincipal, app))
                .ok_or_else(|| {
                    ApiFailure::not_found(format!("Service principal '{id}' does not exist"))
                })
        }
        ["groups", id] => Err(ApiFailure::not_found(format!(
            "Group '{id}' does not exist"
        ))),
        _ => Err(unknown()),
    }
}

fn rule_set_resource(name: &str) -> ApiResult<&str> {
    name.strip_suffix("/ruleSets/default").ok_or_else(|| {
        ApiFailure::invalid_parameter(format!(
            "'{name}' is not a rule set name (expected '<resource>/ruleSets/default')"
        ))
    })
}

/// The canonical rule-set name (SP rule sets are named by applicationId).
fn canonical_name(account: &Account, target: Target, key: &str) -> String {
    match target {
        Target::Account => format!("accounts/{}/ruleSets/default", account.id),
        Target::Group => format!("accounts/{}/groups/{key}/ruleSets/default", account.id),
        Target::ServicePrincipal => format!(
            "accounts/{}/servicePrincipals/{key}/ruleSets/default",
            account.id
        ),
    }
}

#[derive(Deserialize)]
struct ResourceParams {
    resource: Option<String>,
}

async fn assignable_roles(
    State(shared): State<Arc<Shared>>,
    Query(params, ..): Query<ResourceParams>,
) -> ApiResult<JsonResponse<Value>> {
    let resource = params
        .resource
        .ok_or_else(|| ApiFailure::invalid_parameter("resource is required"))?;
    let account = shared.read();
    let (target, _) = resolve(&account, &resource)?;
    let roles: Vec<Value> = target.roles().iter().map(|r| json!({"name": r})).collect();
    Ok(JsonResponse(json!({"roles": roles})))
}

#[derive(Deserialize)]
struct GetParams {
    name: Option<String>,
    etag: Option<String>,
}

fn rule_set_json(name: &str, record: &RuleSetRecord) -> Value {
    let mut body = json!({"name": name, "etag": record.etag});
    if !record.grant_rules.is_empty() {
        body["grant_rules"] = json!(record.grant_rules);
    }
    body
}

/// The stored rule set, or an empty one with a fresh etag (every resource has one).
fn current(account: &mut Account, name: &str) -> RuleSetRecord {
    if let Some(record) = account.rule_sets.get(name) {
        return record.clone();
    }
    let record = RuleSetRecord {
        etag: account.next_rule_set_etag(),
        grant_rules: Vec::new(),
    };
    account.rule_sets.insert(name.to_owned(), record.clone());
    record
}

async fn get_rule_set(
    State(shared): State<Arc<Shared>>,
    Query(params, ..): Query<GetParams>,
) -> ApiResult<JsonResponse<Value>> {
    let name = params
        .name
        .ok_or_else(|| ApiFailure::invalid_parameter("name is required"))?;
    let mut account = shared.write();
    if !account.rule_sets_recorded {
        return Err(ApiFailure::not_found(
            "Rule sets are not recorded in a dbx-console snapshot; open the live account to see them",
        ));
    }
    let (target, key) = resolve(&account, rule_set_resource(&name)?)?;
    let canonical = canonical_name(&account, target, &key);
    let record = current(&mut account, &canonical);
    if let Some(etag) = params.etag.filter(|e| !e.is_empty())
        && etag != record.etag
    {
        return Err(stale_etag());
    }
    Ok(JsonResponse(rule_set_json(&name, &record)))
}

fn stale_etag() -> ApiFailure {
    // Unconfirmed status/code for a stale etag; the reference expects 409 RESOURCE_CONFLICT.
    ApiFailure::conflict(
        "The rule set was changed since it was read (etag mismatch). Read it again and re-apply the change.",
    )
}

#[derive(Deserialize)]
struct PutBody {
    name: String,
    rule_set: PutRuleSet,
}

#[derive(Deserialize)]
struct PutRuleSet {
    name: Option<String>,
    etag: Option<String>,
    #[serde(default)]
    grant_rules: Vec<GrantRule>,
}

#[derive(Deserialize, serde::Serialize, Clone)]
struct GrantRule {
    role: String,
    #[serde(default)]
    principals: Vec<String>,
}

fn validate_principal(account: &Account, principal: &str) -> ApiResult<()> {
    let exists = match principal.split_once('/') {
        Some(("users", name)) => account.users.find_unique(name).is_some(),
        Some(("groups", name)) => account.groups.find_unique(name).is_some(),
        Some(("servicePrincipals", app)) => {
            account.service_principal_by_application_id(app).is_some()
        }
        _ => {
            return Err(ApiFailure::invalid_parameter(format!(
                "Principal '{principal}' must be users/<userName>, groups/<displayName> or servicePrincipals/<applicationId>"
            )));
        }
    };
    if exists {
        Ok(())
    } else {
        Err(ApiFailure::invalid_parameter(format!(
            "Principal '{principal}' does not exist in the account"
        )))
    }
}

async fn put_rule_set(
    State(shared): State<Arc<Shared>>,
    Json(body, ..): Json<PutBody>,
) -> ApiResult<JsonResponse<Value>> {
    let mut account = shared.write();
    let (target, key) = resolve(&account, rule_set_resource(&body.name)?)?;
    if let Some(inner) = body.rule_set.name.as_deref()
        && inner != body.name
    {
        return Err(ApiFailure::invalid_parameter(
            "rule_set.name must equal name",
        ));
    }
    let etag = body
        .rule_set
        .etag
        .filter(|e| !e.is_empty())
        .ok_or_else(|| {
            ApiFailure::invalid_parameter("rule_set.etag is required: read the rule set first")
        })?;
    for rule in &body.rule_set.grant_rules {
        if !target.roles().contains(&rule.role.as_str()) {
            return Err(ApiFailure::invalid_parameter(format!(
                "Role '{}' cannot be granted on this resource; assignable roles: {}",
                rule.role,
                target.roles().join(", ")
            )));
        }
        for principal in &rule.principals {
            validate_principal(&account, principal)?;
        }
    }
    let canonical = canonical_name(&account, target, &key);
    if current(&mut account, &canonical).etag != etag {
        return Err(stale_etag());
    }
    let record = RuleSetRecord {
        etag: account.next_rule_set_etag(),
        grant_rules: body
            .rule_set
            .grant_rules
            .into_iter()
            .filter(|r| !r.principals.is_empty())
            .map(|r| json!(r))
            .collect(),
    };
    account.rule_sets.insert(canonical, record.clone());
    Ok(JsonResponse(rule_set_json(&body.name, &record)))
}
