//! Facts derived from server objects that several panes show the same way: a secret's
//! state, who is an account admin, what a group's members are, a token policy's TTLs.

use chrono::{DateTime, Utc};
use serde_json::Value;

use super::state::Row;
use super::view::when;

/// The cap of active OAuth secrets per service principal (commonly cited; the fake enforces it).
pub const SECRET_CAP: usize = 5;

/// Within this many days an expiry is flagged as soon.
pub const EXPIRES_SOON_DAYS: i64 = 30;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SecretState {
    /// Days until expiry; `None` never expires.
    pub days_left: Option<i64>,
    /// `ACTIVE` by status and not past its expiry.
    pub is_active: bool,
    pub status: String,
}

impl SecretState {
    pub fn of(secret: &Value, now: DateTime<Utc>) -> Self {
        let days_left =
            when::parse(str_field(secret, "expire_time")).map(|t| when::days_until(t, now));
        let expired = when::parse(str_field(secret, "expire_time")).is_some_and(|t| t <= now);
        let server_status = str_field(secret, "status").unwrap_or("ACTIVE");
        let status = if expired {
            "EXPIRED".to_owned()
        } else {
            server_status.to_owned()
        };
        SecretState {
            days_left,
            is_active: status == "ACTIVE",
            status,
        }
    }

    /// What an admin must notice, if anything.
    pub fn flag(&self) -> Option<&'static str> {
        match self.days_left {
            None if self.is_active => Some("never expires"),
            Some(_) if self.status == "EXPIRED" => Some("expired"),
            Some(days) if self.is_active && days <= EXPIRES_SOON_DAYS => Some("expires soon"),
            _ => None,
        }
    }
}

/// The SP secrets the header warns about. Counted from the secrets list's flag column when
/// it completes, not per frame: the header is on every frame, and counting 15,000 rows
/// there cost a third of one.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct SecretFlags {
    pub expired: usize,
    pub expiring: usize,
}

impl SecretFlags {
    pub fn count(rows: &[Row]) -> Self {
        let mut flags = SecretFlags::default();
        for flag in rows.iter().filter_map(|row| row.cells.last()) {
            if flag.ends_with("expired") {
                flags.expired += 1;
            } else if flag.ends_with("expires soon") {
                flags.expiring += 1;
            }
        }
        flags
    }
}

pub fn str_field<'a>(value: &'a Value, key: &str) -> Option<&'a str> {
    value.get(key).and_then(Value::as_str)
}

/// Missing `active` means active (SCIM default).
pub fn is_active(value: &Value) -> bool {
    value.get("active").and_then(Value::as_bool).unwrap_or(true)
}

fn values<'a>(value: &'a Value, key: &str) -> impl Iterator<Item = &'a Value> {
    value
        .get(key)
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
}

pub fn role_names(value: &Value) -> Vec<String> {
    values(value, "roles")
        .filter_map(|role| str_field(role, "value"))
        .map(str::to_owned)
        .collect()
}

pub fn is_account_admin(value: &Value) -> bool {
    role_names(value).iter().any(|role| role == "account_admin")
}

/// What a SCIM member is, from its `$ref` (`Users/…`, `ServicePrincipals/…`, `Groups/…`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MemberKind {
    User,
    ServicePrincipal,
    Group,
}

impl MemberKind {
    pub fn of(member: &Value) -> Option<MemberKind> {
        let reference = str_field(member, "$ref")?;
        let kind = reference.split('/').next()?;
        match kind {
            "Users" => Some(MemberKind::User),
            "ServicePrincipals" => Some(MemberKind::ServicePrincipal),
            "Groups" => Some(MemberKind::Group),
            _ => None,
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            MemberKind::User => "user",
            MemberKind::ServicePrincipal => "service principal",
            MemberKind::Group => "group",
        }
    }
}

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct MemberCounts {
    pub users: usize,
    pub service_principals: usize,
    pub groups: usize,
    pub other: usize,
}

impl MemberCounts {
    pub fn of(group: &Value) -> Self {
        let mut counts = MemberCounts::default();
        for member in values(group, "members") {
            match MemberKind::of(member) {
                Some(MemberKind::User) => counts.users += 1,
                Some(MemberKind::ServicePrincipal) => counts.service_principals += 1,
                Some(MemberKind::Group) => counts.groups += 1,
                None => counts.other += 1,
            }
        }
        counts
    }

    pub fn total(&self) -> usize {
        self.users + self.service_principals + self.groups + self.other
    }

    /// `12 (8 users, 3 SPs, 1 group)`.
    pub fn describe(&self) -> String {
        let mut parts = Vec::new();
        let mut part = |count: usize, one: &str, many: &str| {
            if count > 0 {
                parts.push(format!("{count} {}", if count == 1 { one } else { many }));
            }
        };
        part(self.users, "user", "users");
        part(self.service_principals, "SP", "SPs");
        part(self.groups, "group", "groups");
        part(self.other, "other", "others");
        if parts.is_empty() {
            "none".into()
        } else {
            format!("{} ({})", self.total(), parts.join(", "))
        }
    }
}

/// A token access policy's field in minutes, if set.
pub fn policy_minutes(app: &Value, key: &str) -> Option<i64> {
    app.get("token_access_policy")?.get(key)?.as_i64()
}

/// A TTL cell: the value, or `default` when the policy leaves it to Databricks.
pub fn ttl_text(app: &Value, key: &str) -> String {
    policy_minutes(app, key).map_or_else(|| "default".into(), when::ttl)
}

pub fn strings(value: &Value, key: &str) -> Vec<String> {
    values(value, key)
        .filter_map(Value::as_str)
        .map(str::to_owned)
        .collect()
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    fn now() -> DateTime<Utc> {
        when::parse(Some("2026-11-22T12:00:00Z")).expect("a time")
    }

    #[test]
    fn secret_states() {
        let never = SecretState::of(&json!({"status": "ACTIVE"}), now());
        assert_eq!(
            (never.days_left, never.flag()),
            (None, Some("never expires"))
        );
        let expired = SecretState::of(
            &json!({"status": "ACTIVE", "expire_time": "2026-11-01T00:00:00Z"}),
            now(),
        );
        assert_eq!(expired.status, "EXPIRED");
        assert!(!expired.is_active);
        assert_eq!(expired.flag(), Some("expired"));
        let soon = SecretState::of(
            &json!({"status": "ACTIVE", "expire_time": "2026-12-02T12:00:00Z"}),
            now(),
        );
        assert_eq!(
            (soon.days_left, soon.flag()),
            (Some(10), Some("expires soon"))
        );
        let fine = SecretState::of(&json!({"expire_time": "2027-12-02T12:00:00Z"}), now());
        assert_eq!(fine.flag(), None);
        assert!(fine.is_active);
    }

    #[test]
    fn member_counts_by_reference() {
        let group = json!({"members": [
            {"value": "1", "$ref": "Users/1"},
            {"value": "2", "$ref": "Users/2"},
            {"value": "3", "$ref": "ServicePrincipals/3"},
            {"value": "4", "$ref": "Groups/4"},
        ]});
        let counts = MemberCounts::of(&group);
        assert_eq!(counts.total(), 4);
        assert_eq!(counts.describe(), "4 (2 users, 1 SP, 1 group)");
        assert_eq!(MemberCounts::of(&json!({})).describe(), "none");
    }

    #[test]
    fn admins_and_ttls() {
        assert!(is_account_admin(
            &json!({"roles": [{"value": "account_admin"}]})
        ));
        assert!(!is_account_admin(&json!({"roles": []})));
        let app = json!({"token_access_policy": {"access_token_ttl_in_minutes": 60}});
        assert_eq!(ttl_text(&app, "access_token_ttl_in_minutes"), "1 h");
        assert_eq!(ttl_text(&app, "refresh_token_ttl_in_minutes"), "default");
    }
}
