//! `dbx-console snapshot`: the whole account as one JSON document, every object exactly as
//! the server sent it (unknown fields kept), groups with their members, never a secret value.

mod progress;

use std::collections::BTreeMap;

use futures_util::StreamExt;
use serde_json::{Map, Value, json};

use crate::api::models::{Group, ServicePrincipal, User};
use crate::api::{AccountClient, ApiError, FederationScope, ScimQuery};

pub use progress::{Progress, StderrProgress, progress_line, thousands};

pub const FORMAT: &str = "dbx-console.snapshot/1";

/// Keys that would hold secret values; the API never sends them in reads, and a snapshot
/// drops them should one ever appear.
const SECRET_KEYS: [&str; 4] = ["secret", "client_secret", "access_token", "refresh_token"];

fn scrub(mut value: Value) -> Value {
    if let Value::Object(object) = &mut value {
        for key in SECRET_KEYS {
            object.remove(key);
        }
    }
    value
}

fn id_of(value: &Value, key: &str) -> Option<String> {
    match value.get(key)? {
        Value::String(s) => Some(s.clone()),
        Value::Number(n) => Some(n.to_string()),
        _ => None,
    }
}

/// Reads everything; independent parts run concurrently within the client's budgets.
pub async fn take(client: &AccountClient, progress: &dyn Progress) -> Result<Value, ApiError> {
    let taken_at = chrono::Utc::now().to_rfc3339_opts(chrono::SecondsFormat::Millis, true);
    let (identities, workspaces, apps) = tokio::try_join!(
        identities(client, progress),
        workspaces(client, progress),
        apps(client, progress)
    )?;
    let mut snapshot = Map::new();
    snapshot.insert("format".into(), json!(FORMAT));
    snapshot.insert("taken_at".into(), json!(taken_at));
    snapshot.insert("host".into(), json!(client.host()));
    snapshot.insert("account_id".into(), json!(client.account_id()));
    snapshot.extend(workspaces);
    snapshot.extend(identities);
    snapshot.extend(apps);
    Ok(Value::Object(snapshot))
}

async fn scim_list<T: crate::api::models::ScimResource>(
    client: &AccountClient,
    stage: &str,
    progress: &dyn Progress,
) -> Result<Vec<Value>, ApiError> {
    let mut pages = client.stream::<T, Value>(ScimQuery::default());
    let mut items = Vec::new();
    while let Some(page) = pages.recv().await {
        let page = page?;
        items.extend(page.items);
        progress.update(stage, page.delivered, Some(page.total));
    }
    progress.finish(stage, items.len());
    Ok(items)
}

/// Fetches `work` for every key with bounded concurrency, into a sorted map.
async fn fan_out<F, Fut>(
    client: &AccountClient,
    keys: Vec<String>,
    stage: &str,
    progress: &dyn Progress,
    work: F,
) -> Result<BTreeMap<String, Value>, ApiError>
where
    F: Fn(String) -> Fut,
    Fut: std::future::Future<Output = Result<Option<Value>, ApiError>>,
{
    let total = keys.len();
    let mut results = futures_util::stream::iter(keys)
        .map(|key| {
            let fetched = work(key.clone());
            async move { (key, fetched.await) }
        })
        // Twice the lanes: a read waiting out a 429's `Retry-After` keeps its place here but
        // no lane, so the others still fill the lanes (the client caps what is in flight).
        .buffer_unordered(client.config().scim_concurrency.max(1) * 2);
    let mut out = BTreeMap::new();
    let mut done = 0;
    while let Some((key, result)) = results.next().await {
        if let Some(value) = result? {
            out.insert(key, value);
        }
        // Progress counts keys finished, including those with nothing to keep.
        done += 1;
        progress.update(stage, done, Some(total));
    }
    progress.finish(stage, out.len());
    Ok(out)
}

async fn identities(
    client: &AccountClient,
    progress: &dyn Progress,
) -> Result<Map<String, Value>, ApiError> {
    // Most requests hang off the group and SP lists (a read per group, two per SP), so those
    // two short lists go first; the users list then runs beside the reads they unlock. The
    // client's lanes and budgets bound how much runs at once.
    let (group_list, service_principals) = tokio::try_join!(
        scim_list::<Group>(client, "groups", progress),
        scim_list::<ServicePrincipal>(client, "service principals", progress),
    )?;
    let (users, groups, (secrets, policies)) = tokio::try_join!(
        scim_list::<User>(client, "users", progress),
        group_members(client, &group_list, progress),
        credentials(client, &service_principals, progress),
    )?;
    let mut out = Map::new();
    out.insert(
        "users".into(),
        Value::Array(users.into_iter().map(scrub).collect()),
    );
    out.insert("groups".into(), Value::Array(groups));
    out.insert(
        "service_principals".into(),
        Value::Array(service_principals),
    );
    out.insert("service_principal_secrets".into(), object(secrets));
    out.insert(
        "service_principal_federation_policies".into(),
        object(policies),
    );
    Ok(out)
}

/// A sorted map as a JSON object, moved rather than serialised (it holds thousands of
/// entries).
fn object(map: BTreeMap<String, Value>) -> Value {
    Value::Object(map.into_iter().collect())
}

/// Every group of the list, each read in full: lists omit members.
async fn group_members(
    client: &AccountClient,
    group_list: &[Value],
    progress: &dyn Progress,
) -> Result<Vec<Value>, ApiError> {
    let group_ids: Vec<String> = group_list.iter().filter_map(|g| id_of(g, "id")).collect();
    let mut full_groups = fan_out(
        client,
        group_ids.clone(),
        "group members",
        progress,
        |id| async move { client.get_json::<Group>(&id).await.map(Some) },
    )
    .await?;
    Ok(group_ids
        .iter()
        .filter_map(|id| full_groups.remove(id))
        .collect())
}

/// The secrets (never their values) and the federation policies of every SP of the list.
async fn credentials(
    client: &AccountClient,
    service_principals: &[Value],
    progress: &dyn Progress,
) -> Result<(BTreeMap<String, Value>, BTreeMap<String, Value>), ApiError> {
    let sp_ids: Vec<String> = service_principals
        .iter()
        .filter_map(|sp| id_of(sp, "id"))
        .collect();
    tokio::try_join!(
        fan_out(
            client,
            sp_ids.clone(),
            "service principal secrets",
            progress,
            |id| async move {
                let list: Vec<Value> = client.list_service_principal_secrets(&id).await?;
                Ok(Some(Value::Array(list.into_iter().map(scrub).collect())))
            },
        ),
        fan_out(
            client,
            sp_ids,
            "service principal federation policies",
            progress,
            |id| async move {
                let list: Vec<Value> = client
                    .list_federation_policies(&FederationScope::ServicePrincipal(id))
                    .await?;
                Ok(Some(Value::Array(list)))
            },
        ),
    )
}

async fn workspaces(
    client: &AccountClient,
    progress: &dyn Progress,
) -> Result<Map<String, Value>, ApiError> {
    let workspaces: Vec<Value> = client.list_workspaces().await?;
    progress.finish("workspaces", workspaces.len());
    let ids: Vec<String> = workspaces
        .iter()
        .filter_map(|w| id_of(w, "workspace_id"))
        .collect();
    let assignments = fan_out(
        client,
        ids,
        "workspace assignments",
        progress,
        |id| async move {
            let Ok(workspace_id) = id.parse::<i64>() else {
                return Ok(None);
            };
            match client
                .list_workspace_assignments::<Value>(workspace_id)
                .await
            {
                Ok(list) => Ok(Some(Value::Array(list))),
                // Workspaces without identity federation have no assignments API (400).
                Err(error) if error.status() == Some(400) => Ok(None),
                Err(error) => Err(error),
            }
        },
    )
    .await?;
    let mut out = Map::new();
    out.insert("workspaces".into(), Value::Array(workspaces));
    out.insert("workspace_assignments".into(), object(assignments));
    Ok(out)
}

async fn apps(
    client: &AccountClient,
    progress: &dyn Progress,
) -> Result<Map<String, Value>, ApiError> {
    let (account_policies, custom, published) = tokio::try_join!(
        client.list_federation_policies::<Value>(&FederationScope::Account),
        client.list_custom_app_integrations::<Value>(),
        client.list_published_app_integrations::<Value>(),
    )?;
    progress.finish("account federation policies", account_policies.len());
    progress.finish("custom app integrations", custom.len());
    progress.finish("published app integrations", published.len());
    let mut out = Map::new();
    out.insert(
        "account_federation_policies".into(),
        Value::Array(account_policies),
    );
    out.insert(
        "custom_app_integrations".into(),
        Value::Array(custom.into_iter().map(scrub).collect()),
    );
    out.insert("published_app_integrations".into(), Value::Array(published));
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn secret_keys_are_scrubbed() {
        let value = scrub(json!({"id": "1", "secret": "dose1", "client_secret": "x", "name": "a"}));
        assert_eq!(value, json!({"id": "1", "name": "a"}));
    }
}
