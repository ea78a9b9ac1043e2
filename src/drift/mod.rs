//! Drift between two snapshots: what was added, removed or changed among principals,
//! group memberships, account-admin grants, SP secrets, federation policies, apps,
//! workspaces and workspace assignments. Pure; `dbx-console diff` renders the result.

mod records;

#[cfg(test)]
mod tests;

use std::collections::BTreeMap;

use serde::Serialize;
use serde_json::Value;

use crate::snapshot_view::Account;
use records::{Record, records};

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum ChangeKind {
    Added,
    Removed,
    Changed,
}

impl ChangeKind {
    pub fn as_str(self) -> &'static str {
        match self {
            ChangeKind::Added => "added",
            ChangeKind::Removed => "removed",
            ChangeKind::Changed => "changed",
        }
    }
}

/// One difference. Added and removed resources carry their fields in `new` / `old` as
/// `field: value` pairs; a changed field has its own entry with both values.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Change {
    pub change: ChangeKind,
    pub resource_type: &'static str,
    pub resource_id: String,
    pub resource_name: String,
    pub field: Option<&'static str>,
    pub old: Option<String>,
    pub new: Option<String>,
}

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct Summary {
    pub added: usize,
    pub removed: usize,
    pub changed: usize,
    pub total: usize,
}

impl Summary {
    pub fn of(changes: &[Change]) -> Summary {
        let mut summary = Summary::default();
        for change in changes {
            match change.change {
                ChangeKind::Added => summary.added += 1,
                ChangeKind::Removed => summary.removed += 1,
                ChangeKind::Changed => summary.changed += 1,
            }
            summary.total += 1;
        }
        summary
    }
}

type Index = BTreeMap<(&'static str, String), Record>;

fn index(snapshot: &Value) -> Index {
    records(&Account::from_snapshot(snapshot))
        .into_iter()
        .map(|r| ((r.resource_type, r.id.clone()), r))
        .collect()
}

/// `field: value; field: value` of the fields that are set.
fn describe(record: &Record) -> Option<String> {
    let parts: Vec<String> = record
        .fields
        .iter()
        .filter_map(|(field, value)| Some(format!("{field}: {}", value.as_deref()?)))
        .collect();
    (!parts.is_empty()).then(|| parts.join("; "))
}

fn whole(change: ChangeKind, record: &Record) -> Change {
    let description = describe(record);
    let (old, new) = match change {
        ChangeKind::Removed => (description, None),
        _ => (None, description),
    };
    Change {
        change,
        resource_type: record.resource_type,
        resource_id: record.id.clone(),
        resource_name: record.name.clone(),
        field: None,
        old,
        new,
    }
}

/// Every difference from `old` to `new`, ordered by resource type, name and id.
pub fn diff(old: &Value, new: &Value) -> Vec<Change> {
    let mut old = index(old);
    let new = index(new);
    let mut changes = Vec::new();
    for (key, after) in new {
        let Some(before) = old.remove(&key) else {
            changes.push(whole(ChangeKind::Added, &after));
            continue;
        };
        for (field, value) in &after.fields {
            let previous = before
                .fields
                .iter()
                .find(|(name, _)| name == field)
                .and_then(|(_, v)| v.clone());
            if previous != *value {
                changes.push(Change {
                    change: ChangeKind::Changed,
                    resource_type: after.resource_type,
                    resource_id: after.id.clone(),
                    resource_name: after.name.clone(),
                    field: Some(field),
                    old: previous,
                    new: value.clone(),
                });
            }
        }
    }
    changes.extend(
        old.values()
            .map(|before| whole(ChangeKind::Removed, before)),
    );
    changes.sort_by(|a, b| {
        (
            a.resource_type,
            &a.resource_name,
            &a.resource_id,
            a.change,
            a.field,
        )
            .cmp(&(
                b.resource_type,
                &b.resource_name,
                &b.resource_id,
                b.change,
                b.field,
            ))
    });
    changes
}
