//! The JSON a client sees for a stored SCIM resource: `schemas`, `id`, the stored
//! attributes, and the computed ones (`members` with display names and `$ref`, `groups`
//! direct and indirect, `meta`).

use serde_json::{Value, json};

use super::collection::{Resource, ScimKind};
use crate::mock::state::Account;

/// Whether the rendered resource carries group `members` (lists omit them, as accounts
/// created after 2025-08-22 do).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Members {
    Include,
    Omit,
}

pub fn render(account: &Account, kind: ScimKind, stored: &Resource, members: Members) -> Resource {
    let id = stored.get("id").and_then(Value::as_str).unwrap_or_default();
    let mut out = Resource::new();
    out.insert("schemas".into(), json!([kind.schema_urn()]));
    for (key, value) in stored {
        out.insert(key.clone(), value.clone());
    }
    if kind == ScimKind::Groups && members == Members::Include {
        let list: Vec<Value> = account
            .memberships
            .members_of(id)
            .filter_map(|member| member_ref(account, member))
            .collect();
        if !list.is_empty() {
            out.insert("members".into(), Value::Array(list));
        }
    }
    let groups = parent_groups(account, id);
    if !groups.is_empty() {
        out.insert("groups".into(), Value::Array(groups));
    }
    out.insert("meta".into(), json!({"resourceType": kind.resource_type()}));
    out
}

fn display_of(resource: &Resource) -> Option<Value> {
    resource
        .get("displayName")
        .or_else(|| resource.get("userName"))
        .cloned()
}

fn member_ref(account: &Account, member_id: &str) -> Option<Value> {
    let kind = account.kind_of(member_id)?;
    let resource = account.collection(kind).get(member_id)?;
    let mut entry = json!({"value": member_id});
    if let Some(display) = display_of(resource) {
        entry["display"] = display;
    }
    entry["$ref"] = json!(format!("{}/{member_id}", kind.path_segment()));
    Some(entry)
}

fn parent_groups(account: &Account, id: &str) -> Vec<Value> {
    let group_entry = |group_id: &str, relation: &str| {
        let mut entry =
            json!({"value": group_id, "$ref": format!("Groups/{group_id}"), "type": relation});
        if let Some(display) = account.groups.get(group_id).and_then(display_of) {
            entry["display"] = display;
        }
        entry
    };
    account
        .memberships
        .direct_parents(id)
        .map(|g| group_entry(g, "direct"))
        .chain(
            account
                .memberships
                .indirect_parents(id)
                .iter()
                .map(|g| group_entry(g, "indirect")),
        )
        .collect()
}
