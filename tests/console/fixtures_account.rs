//! Workspaces in the shapes the loaders produce (`_identity_federation`,
//! `_assignment_count`, a detail as `{"object": …, "assignments": […]}`), and states with a
//! list, or a detail open over its list.

use dbx_console::app::msg::Resource;
use dbx_console::app::state::{AppState, DetailMode, Remote, Route};
use serde_json::{Value, json};

use crate::fixtures::{ACCOUNT_ID, detail, loaded, now, state_on, user_id};
use crate::fixtures_apps::{app_detail, apps};
use crate::fixtures_principals::{
    service_principal_detail, service_principals_with_secrets, sp_id,
};

/// The console on `resource`'s list, loaded with `items`.
pub fn on_list(resource: Resource, items: &[Value]) -> AppState {
    let mut state = state_on(resource);
    state.lists.insert(resource, loaded(resource, items));
    state
}

/// `resource`'s list loaded with `items`, and the detail of `id` open over it.
pub fn on_detail(
    resource: Resource,
    items: &[Value],
    id: &str,
    title: &str,
    data: Value,
    mode: DetailMode,
) -> AppState {
    let mut state = on_list(resource, items);
    state.routes.push(Route::Detail {
        resource,
        id: id.into(),
        title: title.into(),
    });
    state.detail = Some(detail(resource, id, Remote::Ready(data), mode));
    state
}

fn workspace(
    id: u64,
    name: &str,
    status: &str,
    (cloud, region): (&str, &str),
    tier: &str,
    created_days_ago: i64,
) -> Value {
    let region_key = if cloud == "aws" {
        "aws_region"
    } else {
        "location"
    };
    let created = now() - chrono::Duration::days(created_days_ago);
    json!({
        "workspace_id": id,
        "workspace_name": name,
        "deployment_name": format!("northwind-{name}"),
        "cloud": cloud,
        region_key: region,
        "pricing_tier": tier,
        "workspace_status": status,
        "workspace_status_message": "Workspace is running.",
        "creation_time": created.timestamp_millis(),
        "account_id": ACCOUNT_ID,
    })
}

/// Six workspaces with every state of the enrichment: federation on (counted), off, not read
/// yet (`…`) and a read that failed (`?`).
pub fn workspaces() -> Vec<Value> {
    let mut list = vec![
        workspace(
            3_184_729_561_047_283,
            "analytics-prod",
            "RUNNING",
            ("aws", "us-east-1"),
            "ENTERPRISE",
            912,
        ),
        workspace(
            3_184_729_561_047_911,
            "analytics-dev",
            "RUNNING",
            ("aws", "us-west-2"),
            "PREMIUM",
            705,
        ),
        workspace(
            5_520_918_374_650_132,
            "ml-prod",
            "RUNNING",
            ("azure", "westeurope"),
            "PREMIUM",
            540,
        ),
        workspace(
            7_741_203_958_126_604,
            "research-sandbox",
            "RUNNING",
            ("gcp", "us-central1"),
            "STANDARD",
            1_130,
        ),
        workspace(
            2_093_847_561_928_374,
            "finance-emea",
            "PROVISIONING",
            ("aws", "eu-west-1"),
            "ENTERPRISE",
            0,
        ),
        workspace(
            2_093_847_561_930_118,
            "marketing-sandbox",
            "FAILED",
            ("aws", "eu-central-1"),
            "PREMIUM",
            3,
        ),
    ];
    let facts = [
        json!({"_identity_federation": true, "_assignment_count": 14}),
        json!({"_identity_federation": true, "_assignment_count": 10}),
        json!({"_identity_federation": true, "_assignment_count": 0}),
        json!({"_identity_federation": false}),
        json!({}),
        json!({"_identity_federation": null}),
    ];
    for (workspace, facts) in list.iter_mut().zip(facts) {
        if let (Some(object), Some(facts)) = (workspace.as_object_mut(), facts.as_object()) {
            object.extend(facts.clone());
        }
    }
    list
}

/// `airflow-prod`'s detail over the SP list, shown in `mode`.
pub fn on_service_principal_detail(mode: DetailMode) -> AppState {
    on_detail(
        Resource::ServicePrincipals,
        &service_principals_with_secrets(),
        &sp_id(1),
        "airflow-prod",
        service_principal_detail(),
        mode,
    )
}

/// Tableau Cloud's detail over the app connections list, shown in `mode`.
pub fn on_app_connection_detail(mode: DetailMode) -> AppState {
    let id = apps()[0]["integration_id"]
        .as_str()
        .unwrap_or_default()
        .to_owned();
    on_detail(
        Resource::Apps,
        &apps(),
        &id,
        "Tableau Cloud (prod)",
        app_detail(),
        mode,
    )
}

/// A permission assignment as the workspace assignments API returns it.
fn permission(principal: Value, permission: &str) -> Value {
    json!({"principal": principal, "permissions": [permission]})
}

/// `analytics-prod` in full with its permission assignments: groups, an SP, a user with
/// ADMIN (flagged) and a user.
pub fn workspace_detail() -> Value {
    let mut object = workspaces()[0].clone();
    if let Some(map) = object.as_object_mut() {
        map.retain(|key, _| !key.starts_with('_'));
    }
    object["compute_mode"] = json!("HYBRID");
    object["custom_tags"] = json!({"cost-center": "4100", "env": "prod", "owner": "platform-eng"});
    json!({
        "object": object,
        "identity_federation": true,
        "assignments": [
            permission(json!({"principal_id": 812_000_000_104_729_u64, "display_name": "admins", "group_name": "admins"}), "ADMIN"),
            permission(json!({"principal_id": 812_000_000_314_187_u64, "display_name": "data-engineering", "group_name": "data-engineering"}), "USER"),
            permission(json!({"principal_id": sp_id(1).parse::<u64>().unwrap_or_default(), "display_name": "airflow-prod", "service_principal_name": "5e1d9a3b-0c2f-4b8e-a6d4-7f9c1e3a5b20"}), "USER"),
            permission(json!({"principal_id": user_id(6).parse::<u64>().unwrap_or_default(), "display_name": "Priya Raman", "user_name": "priya.raman@northwind.example"}), "ADMIN"),
            permission(json!({"principal_id": user_id(1).parse::<u64>().unwrap_or_default(), "display_name": "Kenji Nakamura", "user_name": "kenji.nakamura@northwind.example"}), "USER"),
        ],
    })
}

/// The same workspace when reading its assignments failed: the loader keeps the error
/// beside the object (`assignments_error`).
pub fn workspace_detail_assignments_failed() -> Value {
    let mut data = workspace_detail();
    if let Some(map) = data.as_object_mut() {
        map.remove("assignments");
        map.remove("identity_federation");
        map.insert(
            "assignments_error".into(),
            json!(crate::fixtures::permission_denied().summary()),
        );
    }
    data
}
