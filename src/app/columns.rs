//! What each resource's table shows, and turning a server object into a sanitised row.

use serde_json::Value;

use super::msg::Resource;
use super::state::Row;
use crate::ui::sanitize::sanitize;

pub fn headers(resource: Resource) -> &'static [&'static str] {
    match resource {
        Resource::Users => &["USER NAME", "DISPLAY NAME", "ACTIVE"],
        Resource::Groups => &["DISPLAY NAME", "EXTERNAL ID"],
        Resource::ServicePrincipals => &["DISPLAY NAME", "APPLICATION ID", "ACTIVE"],
    }
}

/// Relative column widths (percent), matching `headers`.
pub fn widths(resource: Resource) -> &'static [u16] {
    match resource {
        Resource::Users => &[45, 45, 10],
        Resource::Groups => &[60, 40],
        Resource::ServicePrincipals => &[40, 50, 10],
    }
}

/// The attributes a list needs: no members, roles or groups (big on large accounts).
pub fn list_attributes(resource: Resource) -> &'static str {
    match resource {
        Resource::Users => "id,userName,displayName,active",
        Resource::Groups => "id,displayName,externalId",
        Resource::ServicePrincipals => "id,applicationId,displayName,active",
    }
}

fn text(value: &Value, key: &str) -> String {
    value
        .get(key)
        .and_then(Value::as_str)
        .map(|s| sanitize(s).into_owned())
        .unwrap_or_default()
}

fn active(value: &Value) -> String {
    // Missing `active` means active (SCIM default).
    if value.get("active").and_then(Value::as_bool).unwrap_or(true) {
        "yes".into()
    } else {
        "no".into()
    }
}

pub fn row(resource: Resource, value: &Value) -> Option<Row> {
    let id = value.get("id")?.as_str()?.to_owned();
    let cells = match resource {
        Resource::Users => vec![
            text(value, "userName"),
            text(value, "displayName"),
            active(value),
        ],
        Resource::Groups => vec![text(value, "displayName"), text(value, "externalId")],
        Resource::ServicePrincipals => vec![
            text(value, "displayName"),
            text(value, "applicationId"),
            active(value),
        ],
    };
    // Only what is shown is searched: matching a hidden id would look like a wrong match.
    let haystack = cells.join(" ").to_lowercase();
    Some(Row {
        id: sanitize(&id).into_owned(),
        cells,
        haystack,
    })
}

/// The title of a resource's detail: its most human name.
pub fn title(value: &Value) -> String {
    ["displayName", "userName", "id"]
        .iter()
        .find_map(|key| value.get(*key).and_then(Value::as_str))
        .map(|s| sanitize(s).into_owned())
        .unwrap_or_default()
}
