//! Workspaces (with permission assignments), app connections, published apps and federation
//! policies: every field an admin audits, with the related principals one key away.

use chrono::{TimeZone, Utc};
use serde_json::Value;

use super::{Item, Tone, ViewLine, cell, none_line, section, when};
use crate::app::facts::{self, str_field};
use crate::app::msg::Resource;

fn number(value: &Value, key: &str) -> String {
    value
        .get(key)
        .map(|v| match v {
            Value::String(s) => s.clone(),
            other => other.to_string(),
        })
        .unwrap_or_default()
}

fn optional(lines: &mut Vec<ViewLine>, label: &str, value: Option<&str>) {
    if let Some(value) = value.filter(|v| !v.is_empty()) {
        lines.push(ViewLine::field(label, value));
    }
}

pub fn workspace(object: &Value, data: &Value) -> Vec<ViewLine> {
    let mut lines = vec![
        ViewLine::field(
            "Name",
            str_field(object, "workspace_name").unwrap_or_default(),
        ),
        ViewLine::field("Workspace id", &number(object, "workspace_id")),
    ];
    let status = str_field(object, "workspace_status").unwrap_or_default();
    lines.push(ViewLine::field_toned(
        "Status",
        status,
        if status == "RUNNING" {
            Tone::Good
        } else {
            Tone::Warn
        },
    ));
    optional(
        &mut lines,
        "Status message",
        str_field(object, "workspace_status_message"),
    );
    optional(&mut lines, "Cloud", str_field(object, "cloud"));
    optional(
        &mut lines,
        "Region",
        str_field(object, "aws_region").or_else(|| str_field(object, "location")),
    );
    optional(
        &mut lines,
        "Pricing tier",
        str_field(object, "pricing_tier"),
    );
    optional(
        &mut lines,
        "Compute mode",
        str_field(object, "compute_mode"),
    );
    if let Some(deployment) = str_field(object, "deployment_name") {
        // The workspace URL's domain depends on the cloud.
        let domain = match str_field(object, "cloud") {
            Some("azure") => "azuredatabricks.net",
            Some("gcp") => "gcp.databricks.com",
            _ => "cloud.databricks.com",
        };
        lines.push(ViewLine::field(
            "URL",
            &format!("https://{deployment}.{domain}"),
        ));
    }
    if let Some(created) = object
        .get("creation_time")
        .and_then(Value::as_i64)
        .and_then(|ms| Utc.timestamp_millis_opt(ms).single())
    {
        lines.push(ViewLine::field("Created", &when::date(created)));
    }
    let federation = data.get("identity_federation").and_then(Value::as_bool);
    lines.push(match federation {
        Some(true) => ViewLine::field_toned("Identity federation", "on", Tone::Good),
        Some(false) => ViewLine::field_toned(
            "Identity federation",
            "off: account principals cannot be assigned here",
            Tone::Warn,
        ),
        None => ViewLine::field_toned("Identity federation", "unknown", Tone::Muted),
    });
    if let Some(tags) = object.get("custom_tags").and_then(Value::as_object) {
        let text: Vec<String> = tags
            .iter()
            .map(|(k, v)| format!("{k}={}", v.as_str().unwrap_or_default()))
            .collect();
        lines.push(ViewLine::field("Tags", &text.join(", ")));
    }
    assignments(data, &mut lines);
    lines
}

fn assignments(data: &Value, lines: &mut Vec<ViewLine>) {
    let assignments = data
        .get("assignments")
        .and_then(Value::as_array)
        .map_or(&[][..], Vec::as_slice);
    lines.push(ViewLine::blank());
    if let Some(error) = data.get("assignments_error").and_then(Value::as_str) {
        // Not "(0)": nobody knows how many there are.
        lines.push(ViewLine::heading("Permission assignments"));
        let tone = if data.get("identity_federation") == Some(&Value::Bool(false)) {
            Tone::Muted
        } else {
            Tone::Bad
        };
        let text = if tone == Tone::Bad {
            format!("  could not load: {error}")
        } else {
            format!("  {error}")
        };
        lines.push(ViewLine::text(tone, &text));
        return;
    }
    lines.push(section("Permission assignments", assignments.len()));
    if assignments.is_empty() {
        lines.push(none_line("no principal is assigned"));
        return;
    }
    lines.push(ViewLine::text(
        Tone::Muted,
        &format!("  {}{}PERMISSION", cell("PRINCIPAL", 36), cell("KIND", 20)),
    ));
    for assignment in assignments {
        let principal = assignment.get("principal").cloned().unwrap_or_default();
        let id = number(&principal, "principal_id");
        let (kind, resource, login) = if let Some(user) = str_field(&principal, "user_name") {
            ("user", Resource::Users, user)
        } else if let Some(group) = str_field(&principal, "group_name") {
            ("group", Resource::Groups, group)
        } else {
            (
                "service principal",
                Resource::ServicePrincipals,
                str_field(&principal, "service_principal_name").unwrap_or_default(),
            )
        };
        let name = str_field(&principal, "display_name").unwrap_or(login);
        let permissions = facts::strings(assignment, "permissions").join(", ");
        // ADMIN to an individual rather than a group is worth a second look.
        let tone = if permissions.contains("ADMIN") && kind != "group" {
            Tone::Warn
        } else {
            Tone::Normal
        };
        lines.push(
            ViewLine::text(Tone::Accent, &format!("  {}", cell(name, 36)))
                .push(Tone::Muted, &cell(kind, 20))
                .push(tone, &permissions)
                .linked(resource, &id, name)
                .item(Item::Assignment {
                    principal_id: id.clone(),
                    name: login.to_owned(),
                    permission: permissions.clone(),
                }),
        );
    }
}

fn token_policy(object: &Value, lines: &mut Vec<ViewLine>) {
    lines.push(ViewLine::blank());
    lines.push(ViewLine::heading("Token access policy"));
    let policy = object.get("token_access_policy");
    if policy.is_none() {
        lines.push(none_line("not set: Databricks defaults apply"));
        return;
    }
    let minutes = |key: &str| facts::ttl_text(object, key);
    lines.push(ViewLine::field(
        "  Access token TTL",
        &minutes("access_token_ttl_in_minutes"),
    ));
    lines.push(ViewLine::field(
        "  Refresh token TTL",
        &minutes("refresh_token_ttl_in_minutes"),
    ));
    let single_use = policy
        .and_then(|p| p.get("enable_single_use_refresh_tokens"))
        .and_then(Value::as_bool);
    lines.push(ViewLine::field(
        "  Single-use refresh",
        match single_use {
            Some(true) => "on (rotated on every use)",
            Some(false) => "off",
            None => "not set",
        },
    ));
    if facts::policy_minutes(object, "absolute_session_lifetime_in_minutes").is_some() {
        lines.push(ViewLine::field(
            "  Absolute session",
            &minutes("absolute_session_lifetime_in_minutes"),
        ));
    }
}

fn list(lines: &mut Vec<ViewLine>, title: &str, values: &[String], empty: &str) {
    lines.push(ViewLine::blank());
    lines.push(section(title, values.len()));
    if values.is_empty() {
        lines.push(none_line(empty));
    }
    for value in values {
        lines.push(ViewLine::text(Tone::Normal, &format!("  {value}")));
    }
}

pub fn app(object: &Value) -> Vec<ViewLine> {
    let confidential = object.get("confidential").and_then(Value::as_bool) == Some(true);
    let mut lines = vec![
        ViewLine::field("Name", str_field(object, "name").unwrap_or_default()),
        ViewLine::field(
            "Client id",
            str_field(object, "client_id").unwrap_or_default(),
        ),
        ViewLine::field(
            "Integration id",
            str_field(object, "integration_id").unwrap_or_default(),
        ),
        ViewLine::field(
            "Confidential",
            if confidential {
                "yes (has a client secret)"
            } else {
                "no (public client, PKCE)"
            },
        ),
    ];
    optional(
        &mut lines,
        "Created",
        Some(&when::date_text(str_field(object, "create_time"))),
    );
    optional(
        &mut lines,
        "Created by",
        str_field(object, "creator_username"),
    );
    let scopes = facts::strings(object, "scopes");
    list(&mut lines, "Scopes", &scopes, "none");
    list(
        &mut lines,
        "User-authorized scopes",
        &facts::strings(object, "user_authorized_scopes"),
        "none",
    );
    list(
        &mut lines,
        "Redirect URLs",
        &facts::strings(object, "redirect_urls"),
        "none",
    );
    token_policy(object, &mut lines);
    if confidential {
        lines.push(ViewLine::blank());
        lines.push(ViewLine::text(
            Tone::Muted,
            "The client secret was shown once, at creation; no API regenerates it.",
        ));
        lines.push(ViewLine::text(
            Tone::Muted,
            "To rotate it, create a replacement connection and delete this one.",
        ));
    }
    lines
}

pub fn published_app(object: &Value, data: &Value) -> Vec<ViewLine> {
    let catalog = data.get("catalog").unwrap_or(object);
    let enabled = str_field(object, "integration_id").is_some();
    let mut lines = vec![
        ViewLine::field(
            "Name",
            str_field(catalog, "name")
                .or_else(|| str_field(object, "name"))
                .unwrap_or_default(),
        ),
        ViewLine::field("App id", str_field(object, "app_id").unwrap_or_default()),
        ViewLine::field_toned(
            "Status",
            if enabled {
                "enabled in this account"
            } else {
                "available in the catalogue"
            },
            if enabled { Tone::Good } else { Tone::Muted },
        ),
    ];
    optional(
        &mut lines,
        "Integration id",
        str_field(object, "integration_id"),
    );
    optional(&mut lines, "Description", str_field(catalog, "description"));
    optional(&mut lines, "Client id", str_field(catalog, "client_id"));
    if enabled {
        optional(
            &mut lines,
            "Enabled on",
            Some(&when::date_text(str_field(object, "create_time"))),
        );
        token_policy(object, &mut lines);
    }
    list(
        &mut lines,
        "Scopes",
        &facts::strings(catalog, "scopes"),
        "none",
    );
    list(
        &mut lines,
        "Redirect URLs",
        &facts::strings(catalog, "redirect_urls"),
        "none",
    );
    lines
}

pub fn policy(object: &Value) -> Vec<ViewLine> {
    let oidc = object.get("oidc_policy").cloned().unwrap_or_default();
    let issuer = str_field(&oidc, "issuer").unwrap_or_default();
    let mut lines = vec![
        ViewLine::field(
            "Policy id",
            str_field(object, "policy_id").unwrap_or_default(),
        ),
        ViewLine::field(
            "Scope",
            if object.get("service_principal_id").is_some() {
                "service principal"
            } else {
                "account-wide"
            },
        ),
    ];
    if let Some(sp) = object.get("service_principal_id") {
        let id = match sp {
            Value::String(s) => s.clone(),
            other => other.to_string(),
        };
        lines.push(ViewLine::field("Service principal", &id).linked(
            Resource::ServicePrincipals,
            &id,
            &id,
        ));
    }
    optional(&mut lines, "Description", str_field(object, "description"));
    lines.push(ViewLine::field_toned(
        "Issuer",
        issuer,
        if issuer.starts_with("https://") {
            Tone::Normal
        } else {
            Tone::Bad
        },
    ));
    let audiences = facts::strings(&oidc, "audiences");
    lines.push(ViewLine::field(
        "Audiences",
        &if audiences.is_empty() {
            "(default: the account id)".to_owned()
        } else {
            audiences.join(", ")
        },
    ));
    lines.push(ViewLine::field(
        "Subject claim",
        str_field(&oidc, "subject_claim").unwrap_or("sub (default)"),
    ));
    optional(&mut lines, "Subject", str_field(&oidc, "subject"));
    optional(&mut lines, "JWKS URI", str_field(&oidc, "jwks_uri"));
    if str_field(&oidc, "jwks_json").is_some() {
        lines.push(ViewLine::field("JWKS", "inline (y shows it)"));
    }
    optional(&mut lines, "Name", str_field(object, "name"));
    optional(&mut lines, "Uid", str_field(object, "uid"));
    optional(
        &mut lines,
        "Created",
        Some(&when::date_text(str_field(object, "create_time"))),
    );
    optional(
        &mut lines,
        "Updated",
        Some(&when::date_text(str_field(object, "update_time"))),
    );
    lines
}
