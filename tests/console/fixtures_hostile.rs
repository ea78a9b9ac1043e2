//! Account objects carrying the hostile strings of `hostile_users` where a server could put
//! them: a workspace name, an app connection's redirect URLs and scopes, a federation
//! policy's issuer, and the display names of a group's members.

use serde_json::{Value, json};

use crate::fixtures::hostile_users;
use crate::fixtures_account::workspaces;
use crate::fixtures_apps::{app, federation_policies};
use crate::fixtures_principals::group_detail;

/// The hostile display names: escapes, OSC 52, controls, 10 KB, emoji, RTL, CJK, breaks.
pub fn hostile_names() -> Vec<String> {
    hostile_users()
        .iter()
        .filter_map(|user| user["displayName"].as_str().map(str::to_owned))
        .collect()
}

/// The fixture workspaces followed by one per hostile name.
pub fn hostile_workspaces() -> Vec<Value> {
    let mut list = workspaces();
    let template = list[0].clone();
    for (index, name) in hostile_names().into_iter().enumerate() {
        let mut workspace = template.clone();
        workspace["workspace_id"] = json!(4_000_000_000_000_000_u64 + index as u64);
        workspace["workspace_name"] = json!(name);
        list.push(workspace);
    }
    list
}

/// An app connection whose redirect URLs and scopes are the hostile names.
pub fn hostile_app() -> Value {
    let names = hostile_names();
    let names: Vec<&str> = names.iter().map(String::as_str).collect();
    app(9, "Hostile Connector", true, &names, &names, None)
}

/// The account policies followed by one per hostile issuer.
pub fn hostile_policies() -> Vec<Value> {
    let mut list = federation_policies();
    let template = list[0].clone();
    for (index, issuer) in hostile_names().into_iter().enumerate() {
        let mut policy = template.clone();
        policy["policy_id"] = json!(format!("hostile-{index}"));
        policy["oidc_policy"]["issuer"] = json!(issuer);
        list.push(policy);
    }
    list
}

/// `data-platform-admins` whose members are users with the hostile names.
pub fn hostile_group_detail() -> Value {
    let mut data = group_detail();
    data["object"]["members"] = hostile_users()
        .iter()
        .map(|user| {
            let id = user["id"].as_str().unwrap_or_default();
            json!({"value": id, "display": user["displayName"], "$ref": format!("Users/{id}")})
        })
        .collect();
    data
}
