//! What each resource's table shows, and turning a server object into a sanitised row.
//! Keys starting with `_` are facts the console added to the object (secrets of an SP,
//! member counts, a workspace's identity federation), never sent back to the server.

use chrono::{DateTime, Utc};
use serde_json::Value;

use super::facts::{self, MemberCounts, SecretState, str_field};
use super::msg::Resource;
use super::state::{Row, Sort};
use super::view::when;
use crate::ui::sanitize::sanitize;

pub fn headers(resource: Resource) -> &'static [&'static str] {
    match resource {
        Resource::Workspaces => &[
            "NAME",
            "STATUS",
            "CLOUD / REGION",
            "TIER",
            "ID FEDERATION",
            "ASSIGNED",
        ],
        Resource::Users => &["USER NAME", "DISPLAY NAME", "ACTIVE", "ADMIN"],
        Resource::Groups => &["DISPLAY NAME", "EXTERNAL ID", "MEMBERS"],
        Resource::ServicePrincipals => &[
            "DISPLAY NAME",
            "APPLICATION ID",
            "ACTIVE",
            "SECRETS",
            "NEAREST EXPIRY",
        ],
        Resource::Secrets => &[
            "SERVICE PRINCIPAL",
            "SECRET",
            "STATUS",
            "EXPIRES",
            "DAYS LEFT",
            "FLAG",
        ],
        Resource::Apps => &[
            "NAME",
            "CLIENT ID",
            "CONF",
            "SCOPES",
            "REDIRECTS",
            "ACCESS",
            "REFRESH",
        ],
        Resource::PublishedApps => &["NAME", "APP ID", "STATUS", "ACCESS TTL", "REFRESH TTL"],
        Resource::FederationPolicies => &[
            "POLICY",
            "ISSUER",
            "AUDIENCES",
            "SUBJECT CLAIM",
            "DESCRIPTION",
        ],
        Resource::Journal => &["TIME (UTC)", "USER", "OP", "RESOURCE", "NAME", "RESULT"],
        Resource::Profiles => &["PROFILE", "HOST", "ACCOUNT ID", "KIND", "DEFAULT"],
        Resource::Audit => &["SEVERITY", "RULE", "RESOURCE", "NAME", "FINDING"],
    }
}

/// Relative column widths (percent), matching `headers`.
pub fn widths(resource: Resource) -> &'static [u16] {
    match resource {
        Resource::Workspaces => &[30, 12, 20, 13, 14, 11],
        Resource::Users => &[42, 38, 8, 8],
        Resource::Groups => &[50, 30, 20],
        Resource::ServicePrincipals => &[28, 38, 8, 9, 17],
        Resource::Secrets => &[24, 17, 10, 14, 15, 20],
        Resource::Apps => &[24, 18, 6, 22, 10, 10, 10],
        Resource::PublishedApps => &[30, 26, 14, 15, 15],
        Resource::FederationPolicies => &[18, 36, 20, 12, 14],
        Resource::Journal => &[20, 26, 8, 22, 16, 8],
        Resource::Profiles => &[18, 34, 30, 10, 8],
        Resource::Audit => &[9, 24, 14, 19, 34],
    }
}

/// The order a list starts in: secrets by days to expiry, the journal newest first,
/// everything else as the server sends.
pub fn default_sort(resource: Resource) -> Option<Sort> {
    match resource {
        Resource::Secrets => Some(Sort {
            column: 4,
            descending: false,
        }),
        Resource::Journal => Some(Sort {
            column: 0,
            descending: true,
        }),
        _ => None,
    }
}

/// The attributes a SCIM list needs: no members or groups (big on large accounts).
pub fn list_attributes(resource: Resource) -> &'static str {
    match resource {
        Resource::Users => "id,userName,displayName,active,roles",
        Resource::Groups => "id,displayName,externalId",
        _ => "id,applicationId,displayName,active",
    }
}

fn text(value: &Value, key: &str) -> String {
    str_field(value, key)
        .map(|s| sanitize(s).into_owned())
        .unwrap_or_default()
}

fn yes_no(flag: bool) -> String {
    if flag { "yes" } else { "no" }.into()
}

/// A fact the console is still loading shows as `…`, never as a guess.
const PENDING: &str = "…";

pub fn row(resource: Resource, value: &Value, now: DateTime<Utc>) -> Option<Row> {
    let id = row_id(resource, value)?;
    let cells = match resource {
        Resource::Workspaces => workspace_cells(value),
        Resource::Users => vec![
            text(value, "userName"),
            text(value, "displayName"),
            yes_no(facts::is_active(value)),
            yes_no(facts::is_account_admin(value)),
        ],
        Resource::Groups => vec![
            text(value, "displayName"),
            text(value, "externalId"),
            match value.get("_member_counts") {
                Some(counts) => serde_json::from_value::<MemberCounts>(counts.clone())
                    .map_or_else(|_| "?".into(), |c| c.total().to_string()),
                None => "m to count".into(),
            },
        ],
        Resource::ServicePrincipals => sp_cells(value, now),
        Resource::Secrets => secret_cells(value, now),
        Resource::Apps => vec![
            text(value, "name"),
            text(value, "client_id"),
            yes_no(value.get("confidential").and_then(Value::as_bool) == Some(true)),
            sanitize(&facts::strings(value, "scopes").join(" ")).into_owned(),
            facts::strings(value, "redirect_urls").len().to_string(),
            facts::ttl_text(value, "access_token_ttl_in_minutes"),
            facts::ttl_text(value, "refresh_token_ttl_in_minutes"),
        ],
        Resource::PublishedApps => {
            let available = value.get("_available").and_then(Value::as_bool) == Some(true);
            let (access, refresh) = if available {
                (String::new(), String::new())
            } else {
                (
                    facts::ttl_text(value, "access_token_ttl_in_minutes"),
                    facts::ttl_text(value, "refresh_token_ttl_in_minutes"),
                )
            };
            vec![
                text(value, "name"),
                text(value, "app_id"),
                if available { "available" } else { "enabled" }.into(),
                access,
                refresh,
            ]
        }
        Resource::Journal => vec![
            sanitize(
                &str_field(value, "time")
                    .unwrap_or_default()
                    .replace('T', " "),
            )
            .chars()
            .take(19)
            .collect(),
            text(value, "user"),
            text(value, "operation"),
            text(value, "resource_type"),
            text(value, "resource_name"),
            text(value, "result"),
        ],
        Resource::Audit => vec![
            text(value, "severity").to_uppercase(),
            text(value, "rule"),
            text(value, "resource_type").replace('_', " "),
            text(value, "resource_name"),
            text(value, "message"),
        ],
        Resource::Profiles => vec![
            text(value, "name"),
            text(value, "host"),
            text(value, "account_id"),
            if value.get("is_account").and_then(Value::as_bool) == Some(true) {
                "account".into()
            } else {
                "workspace".into()
            },
            yes_no(value.get("is_default").and_then(Value::as_bool) == Some(true)),
        ],
        Resource::FederationPolicies => {
            let oidc = value.get("oidc_policy").cloned().unwrap_or_default();
            vec![
                text(value, "policy_id"),
                text(&oidc, "issuer"),
                sanitize(&facts::strings(&oidc, "audiences").join(", ")).into_owned(),
                str_field(&oidc, "subject_claim")
                    .map_or_else(|| "sub".into(), |s| sanitize(s).into_owned()),
                text(value, "description"),
            ]
        }
    };
    Some(Row {
        id: sanitize(&id).into_owned(),
        cells,
    })
}

/// The id a row is opened, copied and updated by.
pub fn row_id(resource: Resource, value: &Value) -> Option<String> {
    match resource {
        Resource::Workspaces => value.get("workspace_id").map(|id| match id {
            Value::String(s) => s.clone(),
            other => other.to_string(),
        }),
        Resource::Users | Resource::Groups | Resource::ServicePrincipals => {
            str_field(value, "id").map(str::to_owned)
        }
        // `<sp id>/<secret id>`: a secret is only addressable through its SP.
        Resource::Secrets => Some(format!(
            "{}/{}",
            str_field(value.get("_sp")?, "id")?,
            str_field(value, "id")?
        )),
        Resource::Apps => str_field(value, "integration_id").map(str::to_owned),
        Resource::PublishedApps => match str_field(value, "integration_id") {
            Some(id) => Some(id.to_owned()),
            None => str_field(value, "app_id").map(|app| format!("catalog:{app}")),
        },
        Resource::FederationPolicies => str_field(value, "policy_id").map(str::to_owned),
        // The line number in the journal file: entries have no id of their own.
        Resource::Journal => value.get("_line").map(|line| line.to_string()),
        Resource::Profiles => str_field(value, "name").map(str::to_owned),
        // `<target alias>:<target id>#<n>`: Enter opens the resource the finding is about.
        Resource::Audit => Some(format!(
            "{}#{}",
            str_field(value, "_target").unwrap_or_default(),
            value
                .get("_index")
                .map(|n| n.to_string())
                .unwrap_or_default()
        )),
    }
}

fn workspace_cells(value: &Value) -> Vec<String> {
    let region = str_field(value, "aws_region")
        .or_else(|| str_field(value, "location"))
        .unwrap_or_default();
    let cloud = str_field(value, "cloud").unwrap_or_default();
    let federation = match value.get("_identity_federation") {
        Some(Value::Bool(on)) => yes_no(*on),
        Some(_) => "?".into(),
        None => PENDING.into(),
    };
    let assigned = match value.get("_assignment_count").and_then(Value::as_u64) {
        Some(count) => count.to_string(),
        None if value.get("_identity_federation") == Some(&Value::Bool(false)) => "–".into(),
        None => PENDING.into(),
    };
    vec![
        text(value, "workspace_name"),
        text(value, "workspace_status"),
        sanitize(format!("{cloud} {region}").trim()).into_owned(),
        text(value, "pricing_tier"),
        federation,
        assigned,
    ]
}

fn sp_cells(value: &Value, now: DateTime<Utc>) -> Vec<String> {
    let (count, nearest) = match value.get("_secrets") {
        None => (PENDING.to_owned(), PENDING.to_owned()),
        Some(Value::Array(secrets)) => {
            let states: Vec<SecretState> = secrets
                .iter()
                .map(|secret| SecretState::of(secret, now))
                .filter(|state| state.is_active)
                .collect();
            let nearest = match states.iter().filter_map(|s| s.days_left).min() {
                Some(days) => when::relative_days(days),
                None if !states.is_empty() => "never".into(),
                None => "–".into(),
            };
            (states.len().to_string(), nearest)
        }
        // The read failed.
        Some(_) => ("?".to_owned(), "?".to_owned()),
    };
    vec![
        text(value, "displayName"),
        text(value, "applicationId"),
        yes_no(facts::is_active(value)),
        count,
        nearest,
    ]
}

fn secret_cells(value: &Value, now: DateTime<Utc>) -> Vec<String> {
    let state = SecretState::of(value, now);
    let sp = value.get("_sp").cloned().unwrap_or_default();
    let id = str_field(value, "id").unwrap_or_default();
    // The first 12 hex characters tell secrets apart; the whole id is one `c` away.
    let short: String = id.chars().take(12).collect();
    vec![
        text(&sp, "displayName"),
        sanitize(&short).into_owned(),
        sanitize(&state.status).into_owned(),
        match str_field(value, "expire_time") {
            Some(_) => sanitize(&when::date_text(str_field(value, "expire_time"))).into_owned(),
            None => "never".into(),
        },
        state
            .days_left
            .map_or_else(|| "never".into(), |days| days.to_string()),
        state.flag().map(|f| format!("⚠ {f}")).unwrap_or_default(),
    ]
}

/// The title of a resource's detail: its most human name.
pub fn title(value: &Value) -> String {
    [
        "displayName",
        "userName",
        "workspace_name",
        "name",
        "policy_id",
        "id",
    ]
    .iter()
    .find_map(|key| str_field(value, key))
    .map(|s| sanitize(s).into_owned())
    .unwrap_or_default()
}
