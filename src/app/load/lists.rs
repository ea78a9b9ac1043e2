//! Lists: rows first (a first page on screen at once), then the facts that need one read per
//! row (an SP's secrets, a workspace's assignments), delivered as row updates.

use futures_util::StreamExt;
use serde_json::{Map, Value, json};

use super::{FAN_OUT, scim_path};
use crate::api::{AccountClient, ApiError, FederationScope, ScimPage, ScimQuery};
use crate::app::columns::list_attributes;
use crate::app::msg::{Resource, TaskOutcome};

/// How many enriched rows travel together (fewer redraws, still visibly progressing).
const BATCH: usize = 25;

pub async fn run(
    client: &AccountClient,
    resource: Resource,
    filter: Option<String>,
    send: &impl Fn(TaskOutcome) -> bool,
) {
    let result = match resource {
        Resource::Users | Resource::Groups => stream_scim(client, resource, filter, send)
            .await
            .map(|_| ()),
        Resource::ServicePrincipals => service_principals(client, filter, send).await,
        Resource::Secrets => secrets(client, send).await,
        Resource::Workspaces => workspaces(client, send).await,
        Resource::Apps => whole(client.list_custom_app_integrations().await, send),
        Resource::PublishedApps => published_apps(client, send).await,
        Resource::Journal => whole(journal_entries().map_err(journal_error), send),
        Resource::Profiles => whole(profiles().map_err(journal_error), send),
        Resource::Audit => audit(client, send).await,
        Resource::FederationPolicies => whole(
            client
                .list_federation_policies(&FederationScope::Account)
                .await,
            send,
        ),
    };
    match result {
        Ok(()) => {
            send(TaskOutcome::ListDone);
        }
        Err(Stop::Failed(error)) => {
            send(TaskOutcome::Failed(error));
        }
        Err(Stop::Closed) => {}
    }
}

/// Why a list stopped early.
enum Stop {
    Failed(ApiError),
    /// The receiver is gone: the user left the pane.
    Closed,
}

impl From<ApiError> for Stop {
    fn from(error: ApiError) -> Self {
        Stop::Failed(error)
    }
}

fn deliver(send: &impl Fn(TaskOutcome) -> bool, outcome: TaskOutcome) -> Result<(), Stop> {
    if send(outcome) {
        Ok(())
    } else {
        Err(Stop::Closed)
    }
}

/// A list read in one go, delivered as one page.
fn whole(
    items: Result<Vec<Value>, ApiError>,
    send: &impl Fn(TaskOutcome) -> bool,
) -> Result<(), Stop> {
    let items = items?;
    let total = items.len();
    deliver(
        send,
        TaskOutcome::Page(ScimPage {
            items,
            total,
            delivered: total,
        }),
    )
}

/// Streams a SCIM list to the screen page by page and returns what it delivered.
async fn stream_scim(
    client: &AccountClient,
    resource: Resource,
    filter: Option<String>,
    send: &impl Fn(TaskOutcome) -> bool,
) -> Result<Vec<Value>, Stop> {
    let query = ScimQuery {
        attributes: Some(list_attributes(resource).to_owned()),
        filter,
        ..ScimQuery::default()
    };
    let keep = resource == Resource::ServicePrincipals;
    let mut kept = Vec::new();
    // Dropping the receiver (on cancel) stops the paging task behind it.
    let mut pages = client.stream_scim::<Value>(scim_path(resource), query);
    while let Some(page) = pages.recv().await {
        let page = page?;
        if keep {
            kept.extend(page.items.iter().cloned());
        }
        deliver(send, TaskOutcome::Page(page))?;
    }
    Ok(kept)
}

fn sp_id(sp: &Value) -> String {
    sp.get("id")
        .and_then(Value::as_str)
        .unwrap_or_default()
        .to_owned()
}

/// Secrets of one SP, or the error as a value (one SP's failure does not hide the others).
async fn secrets_of(client: &AccountClient, sp: &Value) -> Result<Vec<Value>, ApiError> {
    client
        .list_service_principal_secrets::<Value>(&sp_id(sp))
        .await
}

/// SPs, then each SP's secrets counted into its row (`_secrets`).
async fn service_principals(
    client: &AccountClient,
    filter: Option<String>,
    send: &impl Fn(TaskOutcome) -> bool,
) -> Result<(), Stop> {
    let sps = stream_scim(client, Resource::ServicePrincipals, filter, send).await?;
    let mut enriched = futures_util::stream::iter(sps)
        .map(|sp| async move {
            let secrets = secrets_of(client, &sp).await;
            let mut sp = sp;
            if let Some(object) = sp.as_object_mut() {
                // A failed read is unknown (`null`), not pending: the row must not say "…".
                object.insert("_secrets".into(), secrets.map_or(Value::Null, Value::Array));
            }
            sp
        })
        .buffer_unordered(FAN_OUT)
        .ready_chunks(BATCH);
    while let Some(batch) = enriched.next().await {
        deliver(send, TaskOutcome::Updated(batch))?;
    }
    Ok(())
}

/// Every SP secret of the account, each row carrying its SP (`_sp`).
async fn secrets(client: &AccountClient, send: &impl Fn(TaskOutcome) -> bool) -> Result<(), Stop> {
    let query = ScimQuery {
        attributes: Some(list_attributes(Resource::ServicePrincipals).to_owned()),
        ..ScimQuery::default()
    };
    let mut pages = client.stream_scim::<Value>("ServicePrincipals", query);
    let mut delivered = 0;
    // One SP's failed read must not hide the others' secrets: it is reported at the end.
    let mut first_error = None;
    while let Some(page) = pages.recv().await {
        let sps = page?.items;
        let mut per_sp = futures_util::stream::iter(sps)
            .map(|sp| async move { (secrets_of(client, &sp).await, sp) })
            .buffer_unordered(FAN_OUT);
        while let Some((secrets, sp)) = per_sp.next().await {
            let secrets = match secrets {
                Ok(secrets) => secrets,
                Err(error) => {
                    first_error.get_or_insert(error);
                    continue;
                }
            };
            let items: Vec<Value> = secrets
                .into_iter()
                .map(|mut secret| {
                    if let Some(object) = secret.as_object_mut() {
                        object.insert("_sp".into(), sp.clone());
                    }
                    secret
                })
                .collect();
            if items.is_empty() {
                continue;
            }
            delivered += items.len();
            deliver(
                send,
                TaskOutcome::Page(ScimPage {
                    items,
                    total: delivered,
                    delivered,
                }),
            )?;
        }
    }
    match first_error {
        Some(error) => Err(Stop::Failed(error)),
        None => Ok(()),
    }
}

/// Assignments of a workspace, `None` when identity federation is off (the API refuses).
pub async fn assignments_of(
    client: &AccountClient,
    workspace_id: i64,
) -> Result<Option<Vec<Value>>, ApiError> {
    match client
        .list_workspace_assignments::<Value>(workspace_id)
        .await
    {
        Ok(list) => Ok(Some(list)),
        // Permission assignments need identity federation; without it the API answers 400.
        Err(error) if error.status() == Some(400) => Ok(None),
        Err(error) => Err(error),
    }
}

pub fn workspace_id(workspace: &Value) -> Option<i64> {
    match workspace.get("workspace_id")? {
        Value::Number(n) => n.as_i64(),
        Value::String(s) => s.parse().ok(),
        _ => None,
    }
}

/// Workspaces, then each one's identity federation and assignment count.
async fn workspaces(
    client: &AccountClient,
    send: &impl Fn(TaskOutcome) -> bool,
) -> Result<(), Stop> {
    let list: Vec<Value> = client.list_workspaces().await?;
    whole(Ok(list.clone()), send)?;
    let mut enriched = futures_util::stream::iter(list)
        .map(|workspace| async move {
            let facts = match workspace_id(&workspace) {
                Some(id) => assignments_of(client, id).await,
                None => Ok(None),
            };
            let mut workspace = workspace;
            if let Some(object) = workspace.as_object_mut() {
                let (federation, count) = match facts {
                    Ok(Some(list)) => (json!(true), json!(list.len())),
                    Ok(None) => (json!(false), Value::Null),
                    // Unknown, not "off": the read failed for another reason.
                    Err(_) => (Value::Null, Value::Null),
                };
                object.insert("_identity_federation".into(), federation);
                if !count.is_null() {
                    object.insert("_assignment_count".into(), count);
                }
            }
            workspace
        })
        .buffer_unordered(FAN_OUT)
        .ready_chunks(BATCH);
    while let Some(batch) = enriched.next().await {
        deliver(send, TaskOutcome::Updated(batch))?;
    }
    Ok(())
}

/// Enabled integrations first, then the catalogue apps not enabled yet (`_available`).
async fn published_apps(
    client: &AccountClient,
    send: &impl Fn(TaskOutcome) -> bool,
) -> Result<(), Stop> {
    let (enabled, catalog) = tokio::join!(
        client.list_published_app_integrations::<Value>(),
        client.list_published_apps::<Value>()
    );
    let enabled = enabled?;
    let catalog = catalog?;
    let enabled_ids: Vec<&str> = enabled
        .iter()
        .filter_map(|app| app.get("app_id").and_then(Value::as_str))
        .collect();
    let available: Vec<Value> = catalog
        .iter()
        .filter(|app| {
            app.get("app_id")
                .and_then(Value::as_str)
                .is_none_or(|id| !enabled_ids.contains(&id))
        })
        .map(|app| {
            let mut app = app.as_object().cloned().unwrap_or_else(Map::new);
            app.insert("_available".into(), json!(true));
            Value::Object(app)
        })
        .collect();
    let items = enabled.iter().cloned().chain(available).collect();
    whole(Ok(items), send)
}

/// Member counts of some groups (the list never carries members; counts are read on demand).
pub async fn count_members(
    client: &AccountClient,
    ids: Vec<String>,
    send: &impl Fn(TaskOutcome) -> bool,
) {
    let mut counted = futures_util::stream::iter(ids)
        .map(|id| async move {
            let group = super::scim_object(
                client,
                "Groups",
                &id,
                Some("id,displayName,externalId,members"),
            )
            .await?;
            Ok::<Value, ApiError>(with_counts(group))
        })
        .buffer_unordered(FAN_OUT)
        .ready_chunks(BATCH);
    while let Some(batch) = counted.next().await {
        let mut groups = Vec::new();
        for result in batch {
            match result {
                Ok(group) => groups.push(group),
                Err(error) => {
                    send(TaskOutcome::Failed(error));
                    return;
                }
            }
        }
        if !send(TaskOutcome::Updated(groups)) {
            return;
        }
    }
    send(TaskOutcome::ListDone);
}

/// The group with its members replaced by their counts (rows keep no member lists).
pub fn with_counts(mut group: Value) -> Value {
    let counts = crate::app::facts::MemberCounts::of(&group);
    if let Some(object) = group.as_object_mut() {
        object.remove("members");
        object.insert(
            "_member_counts".into(),
            serde_json::to_value(counts).unwrap_or_default(),
        );
    }
    group
}

/// The journal's entries as rows; each carries its line (`_line`) so a detail finds it again.
pub fn journal_entries() -> Result<Vec<Value>, String> {
    let journal = crate::journal::Journal::default_location().map_err(|e| e.to_string())?;
    let contents = journal.read_all().map_err(|e| e.to_string())?;
    Ok(contents
        .entries
        .iter()
        .enumerate()
        .map(|(line, entry)| {
            let mut value = serde_json::to_value(entry).unwrap_or_default();
            if let Some(object) = value.as_object_mut() {
                object.insert("_line".into(), json!(line));
            }
            value
        })
        .collect())
}

/// A local file that cannot be read (journal, config), as an error the list pane can show.
fn journal_error(message: String) -> ApiError {
    ApiError::new(
        "READ",
        "journal",
        crate::api::ApiErrorKind::Http {
            status: 0,
            error_code: "JOURNAL_UNREADABLE".into(),
            message,
            request_id: None,
            scim_type: None,
        },
    )
}

/// The profiles of the Databricks config file, as the `:profile` pane lists them.
fn profiles() -> Result<Vec<Value>, String> {
    let inputs = crate::config::ConfigInputs::from_process(None, None, None);
    let profiles = crate::config::list_profiles(&inputs).map_err(|e| e.to_string())?;
    Ok(profiles
        .into_iter()
        .map(|p| {
            json!({
                "name": p.name,
                "host": p.host,
                "account_id": p.account_id,
                "is_account": p.is_account,
                "is_default": p.is_default,
            })
        })
        .collect())
}

/// Snapshot progress nobody watches: the pane's spinner says it is working.
struct Quiet;

impl crate::snapshot::Progress for Quiet {
    fn update(&self, _stage: &str, _done: usize, _total: Option<usize>) {}
    fn finish(&self, _stage: &str, _count: usize) {}
}

/// The audit of the whole account (a snapshot, then the rules), each finding carrying the
/// resource Enter should open (`_target`).
async fn audit(client: &AccountClient, send: &impl Fn(TaskOutcome) -> bool) -> Result<(), Stop> {
    let snapshot = crate::snapshot::take(client, &Quiet).await?;
    let config_dir = crate::config::console_config_dir();
    let (thresholds, _) = crate::audit::Thresholds::load(config_dir.as_deref());
    let findings = crate::audit::run(&snapshot, &thresholds, chrono::Utc::now());
    let items = findings
        .iter()
        .enumerate()
        .map(|(index, finding)| {
            let mut value = serde_json::to_value(finding).unwrap_or_default();
            if let Some(object) = value.as_object_mut() {
                object.insert("_index".into(), json!(index));
                object.insert("_target".into(), json!(audit_target(&snapshot, finding)));
            }
            value
        })
        .collect();
    whole(Ok(items), send)
}

/// `<resource alias>:<id>` of the object a finding is about.
fn audit_target(snapshot: &Value, finding: &crate::audit::Finding) -> String {
    let id = finding.resource_id.as_str();
    match finding.resource_type {
        "user" => format!("users:{id}"),
        "group" => format!("groups:{id}"),
        "service_principal" => format!("sp:{id}"),
        "workspace" => format!("ws:{id}"),
        "custom_app_integration" => format!("apps:{id}"),
        "published_app_integration" => format!("pub:{id}"),
        "account_federation_policy" => format!("fed:{}", id.trim_start_matches("account/")),
        "service_principal_federation_policy" => {
            let rest = id.trim_start_matches("servicePrincipals/");
            format!("fed:sp:{rest}")
        }
        // A secret opens its service principal.
        "service_principal_secret" => {
            let owner = snapshot
                .get("service_principal_secrets")
                .and_then(Value::as_object)
                .and_then(|by_sp| {
                    by_sp.iter().find_map(|(sp, secrets)| {
                        secrets
                            .as_array()?
                            .iter()
                            .any(|s| s.get("id").and_then(Value::as_str) == Some(id))
                            .then(|| sp.clone())
                    })
                })
                .unwrap_or_default();
            format!("sp:{owner}")
        }
        _ => String::new(),
    }
}
