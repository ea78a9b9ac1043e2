//! The two reads and the one write of an edit: looking up a principal by name, and applying
//! a plan — re-reading the object first (a concurrent change stops the write and comes back
//! as the new object), then sending the request exactly once and journaling it.

use reqwest::Method;
use serde_json::Value;

use crate::api::{AccountClient, Call};
use crate::app::edit::Plan;
use crate::app::edit::ops::Principal;
use crate::app::edit::plan::comparable;
use crate::app::msg::TaskOutcome;
use crate::journal::{Actor, Entry, Journal};

/// Finds who a name means: a user by user name, an SP by display name or application id, a
/// group by display name. Exact matches only, so nobody is added by a near miss.
pub async fn resolve(client: &AccountClient, name: &str) -> Result<Principal, String> {
    let quoted = name.trim().replace('\\', "\\\\").replace('"', "\\\"");
    let searches: [(&'static str, String, &str); 4] = [
        ("Users", format!("userName eq \"{quoted}\""), "userName"),
        (
            "ServicePrincipals",
            format!("displayName eq \"{quoted}\""),
            "displayName",
        ),
        (
            "ServicePrincipals",
            format!("applicationId eq \"{quoted}\""),
            "displayName",
        ),
        (
            "Groups",
            format!("displayName eq \"{quoted}\""),
            "displayName",
        ),
    ];
    let mut found = Vec::new();
    for (collection, filter, label) in searches {
        let query = crate::api::ScimQuery {
            filter: Some(filter),
            attributes: Some(format!("id,{label}")),
            ..Default::default()
        };
        let items: Vec<Value> = client
            .list_scim(collection, query)
            .await
            .map_err(|e| format!("looking up '{name}' failed: {}", e.summary()))?;
        for item in items {
            let id = item
                .get("id")
                .and_then(Value::as_str)
                .unwrap_or_default()
                .to_owned();
            if found.iter().any(|p: &Principal| p.id == id) {
                continue;
            }
            let shown = item
                .get(label)
                .and_then(Value::as_str)
                .unwrap_or(name)
                .to_owned();
            found.push(Principal {
                id,
                name: shown,
                collection,
            });
        }
    }
    match found.len() {
        0 => Err(format!(
            "No user, service principal or group is named '{}'. Check the spelling (user names are emails).",
            name.trim()
        )),
        1 => Ok(found.remove(0)),
        _ => Err(format!(
            "'{}' names {} principals; use the user name (email) or the application id.",
            name.trim(),
            found.len()
        )),
    }
}

fn method(name: &str) -> Method {
    Method::from_bytes(name.as_bytes()).unwrap_or(Method::GET)
}

/// Re-reads, writes once, journals. `base` is the object as the edit began.
pub async fn apply(
    client: &AccountClient,
    plan: &Plan,
    base: &Value,
    actor: &Actor,
) -> TaskOutcome {
    if let Some(path) = &plan.reread {
        match client.json::<Value>(Call::get(path.clone())).await {
            Ok(current) if comparable(&current) != comparable(base) => {
                return TaskOutcome::Changed(current);
            }
            Ok(_) => {}
            Err(error) => return TaskOutcome::Failed(error),
        }
    }
    let mut call = match &plan.body {
        Some(body) => Call::with_body(method(&plan.method), plan.path.clone(), body),
        None => Call::new(method(&plan.method), plan.path.clone()),
    };
    for (key, value) in &plan.query {
        call = call.query(key, value);
    }
    let result = client.execute(call).await;
    let entry = Entry::new(
        actor,
        plan.operation,
        plan.resource_type,
        &plan.method,
        &plan.target(),
    )
    .resource(plan.resource_id.clone(), Some(&plan.resource_name))
    .before(plan.before.clone())
    .after(plan.after.clone());
    let (entry, outcome) = match result {
        Ok(bytes) => {
            let response: Value = serde_json::from_slice(&bytes).unwrap_or(Value::Null);
            // What was sent plus what the server assigned (ids); the journal drops secret
            // values itself and keeps only a hash prefix.
            let mut after = plan.after.clone();
            if let (Some(after), Some(response)) = (after.as_object_mut(), response.as_object()) {
                after.extend(response.iter().map(|(k, v)| (k.clone(), v.clone())));
            }
            let entry = entry.after(after);
            (entry, TaskOutcome::Applied(response))
        }
        Err(error) => {
            let entry = if error.is_outcome_unknown() {
                entry.outcome_unknown(error.summary())
            } else {
                entry.failed(error.summary())
            };
            (entry, TaskOutcome::Failed(error))
        }
    };
    journal(&entry);
    outcome
}

/// A journal that cannot be written must not undo a write that happened: it is logged, and
/// the console carries on.
fn journal(entry: &Entry) {
    match Journal::default_location().and_then(|journal| journal.append(entry)) {
        Ok(()) => {}
        Err(error) => tracing::warn!("could not append to the change journal: {error}"),
    }
}
