//! Users, groups and service principals: their fields, then the related objects (groups,
//! members, workspaces, secrets, policies, rule-set roles), each line opening its object.

use chrono::{DateTime, Utc};
use serde_json::Value;

use super::{Item, Tone, ViewLine, cell, none_line, related_error, section, when};
use crate::app::facts::{self, MemberCounts, MemberKind, SECRET_CAP, SecretState, str_field};
use crate::app::msg::Resource;

fn items<'a>(value: &'a Value, key: &str) -> &'a [Value] {
    value
        .get(key)
        .and_then(Value::as_array)
        .map_or(&[], Vec::as_slice)
}

fn yes_no(flag: bool) -> &'static str {
    if flag { "yes" } else { "no" }
}

fn active_line(object: &Value) -> ViewLine {
    let active = facts::is_active(object);
    ViewLine::field_toned(
        "Active",
        yes_no(active),
        if active { Tone::Good } else { Tone::Bad },
    )
}

fn common_fields(object: &Value, lines: &mut Vec<ViewLine>) {
    if let Some(external) = str_field(object, "externalId") {
        lines.push(ViewLine::field("External id", external));
    }
    lines.push(ViewLine::field(
        "Id",
        str_field(object, "id").unwrap_or_default(),
    ));
}

fn roles(object: &Value, lines: &mut Vec<ViewLine>) {
    let roles = facts::role_names(object);
    lines.push(ViewLine::blank());
    lines.push(section("Account roles", roles.len()));
    if roles.is_empty() {
        lines.push(none_line("none"));
    }
    for role in roles {
        lines.push(ViewLine::text(Tone::Normal, &format!("  {role}")));
    }
}

/// The groups a principal is in, direct ones first.
fn groups(object: &Value, lines: &mut Vec<ViewLine>) {
    let mut groups: Vec<&Value> = items(object, "groups").iter().collect();
    groups.sort_by_key(|g| str_field(g, "type") == Some("indirect"));
    lines.push(ViewLine::blank());
    lines.push(section("Groups", groups.len()));
    if groups.is_empty() {
        lines.push(none_line("in no group"));
    }
    for group in groups {
        let id = str_field(group, "value").unwrap_or_default();
        let name = str_field(group, "display").unwrap_or(id);
        let kind = str_field(group, "type").unwrap_or("direct");
        let line = ViewLine::text(Tone::Accent, &format!("  {}", cell(name, 40)))
            .push(Tone::Muted, kind)
            .linked(Resource::Groups, id, name);
        // Only a direct membership can be ended from here; an indirect one comes with a group.
        lines.push(if kind == "direct" {
            line.item(Item::Membership {
                group_id: id.to_owned(),
                group_name: name.to_owned(),
            })
        } else {
            line
        });
    }
}

/// Workspace assignments across every workspace, directly or through a group.
pub fn workspaces(data: &Value, lines: &mut Vec<ViewLine>) {
    let assignments = items(data, "workspaces");
    lines.push(ViewLine::blank());
    lines.push(section("Workspaces", assignments.len()));
    if let Some(error) = related_error(data, "workspaces") {
        lines.push(error);
    } else if assignments.is_empty() {
        lines.push(none_line("assigned to no workspace"));
    }
    for assignment in assignments {
        let id = assignment
            .get("workspace_id")
            .map(|id| id.to_string())
            .unwrap_or_default();
        let name = str_field(assignment, "workspace_name").unwrap_or(&id);
        let permissions = facts::strings(assignment, "permissions").join(", ");
        let via = match assignment.get("via").and_then(|v| str_field(v, "name")) {
            Some(group) => format!("via group {group}"),
            None => "direct".into(),
        };
        let tone = if permissions.contains("ADMIN") {
            Tone::Warn
        } else {
            Tone::Normal
        };
        lines.push(
            ViewLine::text(Tone::Accent, &format!("  {}", cell(name, 28)))
                .push(tone, &format!("{} ", cell(&permissions, 8)))
                .push(Tone::Muted, &via)
                .linked(Resource::Workspaces, &id, name),
        );
    }
}

pub fn user(object: &Value, data: &Value) -> Vec<ViewLine> {
    let admin = facts::is_account_admin(object);
    let mut lines = vec![
        ViewLine::field(
            "User name",
            str_field(object, "userName").unwrap_or_default(),
        ),
        ViewLine::field(
            "Display name",
            str_field(object, "displayName").unwrap_or_default(),
        ),
        active_line(object),
        ViewLine::field_toned(
            "Account admin",
            yes_no(admin),
            if admin { Tone::Warn } else { Tone::Normal },
        ),
    ];
    common_fields(object, &mut lines);
    roles(object, &mut lines);
    groups(object, &mut lines);
    workspaces(data, &mut lines);
    lines
}

pub fn group(object: &Value, data: &Value) -> Vec<ViewLine> {
    let members = items(object, "members");
    let counts = MemberCounts::of(object);
    let mut lines = vec![
        ViewLine::field(
            "Display name",
            str_field(object, "displayName").unwrap_or_default(),
        ),
        ViewLine::field("Members", &counts.describe()),
    ];
    common_fields(object, &mut lines);
    lines.push(ViewLine::blank());
    lines.push(section("Members", members.len()));
    if members.is_empty() {
        lines.push(ViewLine::text(Tone::Warn, "  no members: an empty group"));
    }
    let mut sorted: Vec<&Value> = members.iter().collect();
    sorted.sort_by_key(|m| {
        (
            MemberKind::of(m).map(|k| k as u8),
            str_field(m, "display").map(str::to_lowercase),
        )
    });
    for member in sorted {
        let id = str_field(member, "value").unwrap_or_default();
        let name = str_field(member, "display").unwrap_or(id);
        let kind = MemberKind::of(member);
        let line = ViewLine::text(Tone::Accent, &format!("  {}", cell(name, 40)))
            .push(Tone::Muted, kind.map_or("member", MemberKind::label));
        let line = line.item(Item::Member {
            id: id.to_owned(),
            name: name.to_owned(),
        });
        lines.push(match kind {
            Some(MemberKind::User) => line.linked(Resource::Users, id, name),
            Some(MemberKind::ServicePrincipal) => {
                line.linked(Resource::ServicePrincipals, id, name)
            }
            Some(MemberKind::Group) => line.linked(Resource::Groups, id, name),
            None => line,
        });
    }
    let parents = items(object, "groups");
    lines.push(ViewLine::blank());
    lines.push(section("Parent groups", parents.len()));
    if parents.is_empty() {
        lines.push(none_line("nested in no group"));
    }
    for parent in parents {
        let id = str_field(parent, "value").unwrap_or_default();
        let name = str_field(parent, "display").unwrap_or(id);
        lines.push(
            ViewLine::text(Tone::Accent, &format!("  {}", cell(name, 40)))
                .push(Tone::Muted, str_field(parent, "type").unwrap_or("direct"))
                .linked(Resource::Groups, id, name),
        );
    }
    roles(object, &mut lines);
    workspaces(data, &mut lines);
    lines
}

pub fn secret_lines(data: &Value, now: DateTime<Utc>) -> Vec<ViewLine> {
    let secrets = items(data, "secrets");
    let states: Vec<SecretState> = secrets.iter().map(|s| SecretState::of(s, now)).collect();
    let active = states.iter().filter(|s| s.is_active).count();
    let mut lines = vec![ViewLine::heading(&format!(
        "OAuth secrets ({active} active of the cap of {SECRET_CAP}, {} listed)",
        secrets.len()
    ))];
    if let Some(error) = related_error(data, "secrets") {
        lines.push(error);
    } else if secrets.is_empty() {
        lines.push(none_line("no secrets"));
    } else {
        lines.push(ViewLine::text(
            Tone::Muted,
            &format!(
                "  {}{}{}{}{}",
                cell("SECRET", 14),
                cell("CREATED", 12),
                cell("EXPIRES", 12),
                cell("DAYS LEFT", 11),
                "STATUS"
            ),
        ));
    }
    for (secret, state) in secrets.iter().zip(&states) {
        let id = str_field(secret, "id").unwrap_or_default();
        let short: String = id.chars().take(12).collect();
        let expires = match str_field(secret, "expire_time") {
            Some(text) => when::date_text(Some(text)),
            None => "never".into(),
        };
        let days = state
            .days_left
            .map_or_else(|| "never".into(), |d| d.to_string());
        let tone = match state.flag() {
            Some("expired") => Tone::Bad,
            Some(_) => Tone::Warn,
            None => Tone::Normal,
        };
        let status = match state.flag() {
            Some(flag) => format!("{} ⚠ {flag}", state.status),
            None => state.status.clone(),
        };
        lines.push(
            ViewLine::text(Tone::Normal, &format!("  {}", cell(&short, 14)))
                .push(
                    Tone::Muted,
                    &cell(&when::date_text(str_field(secret, "create_time")), 12),
                )
                .push(Tone::Normal, &cell(&expires, 12))
                .push(tone, &cell(&days, 11))
                .push(tone, &status)
                .item(Item::Secret {
                    id: id.to_owned(),
                    label: format!("{short}… (expires {expires})"),
                }),
        );
    }
    lines
}

pub fn service_principal(object: &Value, data: &Value, now: DateTime<Utc>) -> Vec<ViewLine> {
    let mut lines = vec![
        ViewLine::field(
            "Display name",
            str_field(object, "displayName").unwrap_or_default(),
        ),
        ViewLine::field(
            "Application id",
            str_field(object, "applicationId").unwrap_or_default(),
        ),
        active_line(object),
    ];
    common_fields(object, &mut lines);
    lines.push(ViewLine::blank());
    lines.extend(secret_lines(data, now));
    policies(data, object, &mut lines);
    groups(object, &mut lines);
    rule_set(data, &mut lines);
    roles(object, &mut lines);
    workspaces(data, &mut lines);
    lines
}

fn policies(data: &Value, object: &Value, lines: &mut Vec<ViewLine>) {
    let policies = items(data, "policies");
    lines.push(ViewLine::blank());
    lines.push(section("Federation policies", policies.len()));
    if let Some(error) = related_error(data, "policies") {
        lines.push(error);
    } else if policies.is_empty() {
        lines.push(none_line("none: workloads sign in with secrets only"));
    }
    let sp_id = str_field(object, "id").unwrap_or_default();
    for policy in policies {
        let id = str_field(policy, "policy_id").unwrap_or_default();
        let oidc = policy.get("oidc_policy").cloned().unwrap_or_default();
        lines.push(
            ViewLine::text(Tone::Accent, &format!("  {}", cell(id, 22)))
                .push(
                    Tone::Normal,
                    &cell(str_field(&oidc, "issuer").unwrap_or_default(), 44),
                )
                .push(Tone::Muted, str_field(&oidc, "subject").unwrap_or_default())
                .linked(
                    Resource::FederationPolicies,
                    &format!("sp:{sp_id}/{id}"),
                    id,
                )
                // So `e` and `d` on this line act on the policy, not on the SP.
                .item(Item::Policy { id: id.to_owned() }),
        );
    }
}

/// Who may manage or use the SP: the grant rules of its rule set.
fn rule_set(data: &Value, lines: &mut Vec<ViewLine>) {
    let rules = data
        .get("rule_set")
        .map_or(&[][..], |r| items(r, "grant_rules"));
    lines.push(ViewLine::blank());
    lines.push(section("Rule-set roles", rules.len()));
    if let Some(error) = related_error(data, "rule_set") {
        lines.push(error);
    } else if rules.is_empty() {
        lines.push(none_line("no grants: only account admins manage it"));
    }
    for rule in rules {
        let role = str_field(rule, "role").unwrap_or_default();
        let short = role.rsplit('.').next().unwrap_or(role);
        let principals = facts::strings(rule, "principals").join(", ");
        lines.push(
            ViewLine::text(Tone::Normal, &format!("  {}", cell(short, 10)))
                .push(Tone::Muted, &principals),
        );
    }
}
