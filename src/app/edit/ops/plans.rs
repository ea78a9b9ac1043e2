//! The request and diff of each change.

use serde_json::{Value, json};

use super::fields::{oidc_policy, published_policy, token_policy};
use super::{Op, Principal, patch};
use crate::app::edit::form::Form;
use crate::app::edit::plan::{Confirm, Plan, Refresh};
use crate::app::facts::str_field;
use crate::app::msg::Resource;
use crate::edit::validate::{self, Validation};
use crate::journal::{Operation, ResourceType};

impl Op {
    /// The request and its diff. `principal` is the looked-up name of `principal_field`.
    pub fn plan(
        &self,
        account_id: &str,
        base: &Value,
        form: Option<&Form>,
        principal: Option<&Principal>,
    ) -> Plan {
        let account = format!("/api/2.0/accounts/{account_id}");
        let text = |key: &str| form.map(|f| f.text(key)).unwrap_or_default();
        let blank = Plan {
            title: self.title(),
            method: String::new(),
            path: String::new(),
            query: Vec::new(),
            body: None,
            before: Value::Null,
            after: Value::Null,
            confirm: Confirm::Enter,
            reread: None,
            reveal: None,
            operation: Operation::Update,
            resource_type: ResourceType::User,
            resource_id: String::new(),
            resource_name: String::new(),
            refresh: Refresh::Detail,
        };
        match self {
            Op::CreateSecret { sp_id, sp_name } => {
                let days: u32 = text(validate::secrets::LIFETIME)
                    .trim()
                    .parse()
                    .unwrap_or(365);
                let body = json!({"lifetime": validate::lifetime_for_wire(days)});
                Plan {
                    method: "POST".into(),
                    path: format!("{account}/servicePrincipals/{sp_id}/credentials/secrets"),
                    after: body.clone(),
                    body: Some(body),
                    reveal: Some("secret"),
                    operation: Operation::Create,
                    resource_type: ResourceType::ServicePrincipalSecret,
                    resource_id: sp_id.clone(),
                    resource_name: sp_name.clone(),
                    ..blank
                }
            }
            Op::DeleteSecret {
                sp_id,
                sp_name,
                secret_id,
                label,
            } => Plan {
                method: "DELETE".into(),
                path: format!(
                    "{account}/servicePrincipals/{sp_id}/credentials/secrets/{secret_id}"
                ),
                before: json!({"secret_id": label, "service_principal": sp_name}),
                confirm: Confirm::Yes,
                operation: Operation::Delete,
                resource_type: ResourceType::ServicePrincipalSecret,
                resource_id: secret_id.clone(),
                resource_name: sp_name.clone(),
                ..blank
            },
            Op::CreateApp => {
                let body = app_body(form, true);
                Plan {
                    method: "POST".into(),
                    path: format!("{account}/oauth2/custom-app-integrations"),
                    after: body.clone(),
                    body: Some(body),
                    reveal: Some("client_secret"),
                    operation: Operation::Create,
                    resource_type: ResourceType::AppConnection,
                    resource_name: text("name"),
                    refresh: Refresh::List(Resource::Apps),
                    ..blank
                }
            }
            Op::EditApp { id, name } => {
                let body = app_body(form, false);
                let before = pick(base, &body);
                Plan {
                    method: "PATCH".into(),
                    path: format!("{account}/oauth2/custom-app-integrations/{id}"),
                    before,
                    after: body.clone(),
                    body: Some(body),
                    reread: Some(format!("{account}/oauth2/custom-app-integrations/{id}")),
                    resource_type: ResourceType::AppConnection,
                    resource_id: id.clone(),
                    resource_name: name.clone(),
                    ..blank
                }
            }
            Op::DeleteApp { id, name } => Plan {
                method: "DELETE".into(),
                path: format!("{account}/oauth2/custom-app-integrations/{id}"),
                before: base.clone(),
                confirm: Confirm::TypeName(name.clone()),
                operation: Operation::Delete,
                resource_type: ResourceType::AppConnection,
                resource_id: id.clone(),
                resource_name: name.clone(),
                refresh: Refresh::BackTo(Resource::Apps),
                ..blank
            },
            Op::SetAdmin {
                user_id,
                name,
                grant,
            } => {
                let operation = if *grant {
                    json!({"op": "add", "path": "roles", "value": [{"value": "account_admin"}]})
                } else {
                    json!({"op": "remove", "path": "roles[value eq \"account_admin\"]"})
                };
                scim_patch(
                    blank,
                    &format!("{account}/scim/v2/Users/{user_id}"),
                    base,
                    operation,
                    ResourceType::User,
                    name,
                    if *grant { Confirm::Enter } else { Confirm::Yes },
                    |object| set_admin(object, *grant),
                )
            }
            Op::SetActive {
                resource,
                id,
                name,
                active,
            } => {
                let collection = if *resource == Resource::Users {
                    "Users"
                } else {
                    "ServicePrincipals"
                };
                let kind = if *resource == Resource::Users {
                    ResourceType::User
                } else {
                    ResourceType::ServicePrincipal
                };
                let active = *active;
                scim_patch(
                    blank,
                    &format!("{account}/scim/v2/{collection}/{id}"),
                    base,
                    json!({"op": "replace", "path": "active", "value": active}),
                    kind,
                    name,
                    if active { Confirm::Enter } else { Confirm::Yes },
                    |object| {
                        object.insert("active".into(), json!(active));
                    },
                )
            }
            Op::AddMember {
                group_id,
                group_name,
            } => {
                let member = principal.cloned().unwrap_or(Principal {
                    id: String::new(),
                    name: text("member"),
                    collection: "Users",
                });
                scim_patch(
                    blank,
                    &format!("{account}/scim/v2/Groups/{group_id}"),
                    base,
                    json!({"op": "add", "path": "members", "value": [{"value": member.id}]}),
                    ResourceType::Group,
                    group_name,
                    Confirm::Enter,
                    |object| {
                        let members = object.entry("members").or_insert_with(|| json!([]));
                        if let Some(list) = members.as_array_mut() {
                            list.push(json!({
                                "value": member.id,
                                "display": member.name,
                                "$ref": format!("{}/{}", member.collection, member.id),
                            }));
                        }
                    },
                )
            }
            Op::RemoveMember {
                group_id,
                group_name,
                member_id,
                ..
            } => scim_patch(
                blank,
                &format!("{account}/scim/v2/Groups/{group_id}"),
                base,
                json!({"op": "remove", "path": format!("members[value eq \"{member_id}\"]")}),
                ResourceType::Group,
                group_name,
                Confirm::Yes,
                |object| {
                    if let Some(list) = object.get_mut("members").and_then(Value::as_array_mut) {
                        list.retain(|m| str_field(m, "value") != Some(member_id));
                    }
                },
            ),
            Op::CreatePolicy { sp_id } => {
                let base_path = policies_path(&account, sp_id.as_deref());
                let id = text("policy_id");
                let body = policy_body(form);
                Plan {
                    method: "POST".into(),
                    path: base_path,
                    query: if id.trim().is_empty() {
                        Vec::new()
                    } else {
                        vec![("policy_id".into(), id.trim().to_owned())]
                    },
                    after: body.clone(),
                    body: Some(body),
                    operation: Operation::Create,
                    resource_type: ResourceType::FederationPolicy,
                    resource_id: id.trim().to_owned(),
                    resource_name: id.trim().to_owned(),
                    refresh: if sp_id.is_some() {
                        Refresh::Detail
                    } else {
                        Refresh::List(Resource::FederationPolicies)
                    },
                    ..blank
                }
            }
            Op::EditPolicy { sp_id, policy_id } => {
                let path = format!("{}/{policy_id}", policies_path(&account, sp_id.as_deref()));
                let body = policy_body(form);
                let before = pick(base, &body);
                // Only the fields the form holds change; the mask says which.
                let mask = "description,oidc_policy";
                Plan {
                    method: "PATCH".into(),
                    path: path.clone(),
                    query: vec![("update_mask".into(), mask.into())],
                    before,
                    after: body.clone(),
                    body: Some(body),
                    reread: Some(path),
                    resource_type: ResourceType::FederationPolicy,
                    resource_id: policy_id.clone(),
                    resource_name: policy_id.clone(),
                    ..blank
                }
            }
            Op::DeletePolicy { sp_id, policy_id } => Plan {
                method: "DELETE".into(),
                path: format!("{}/{policy_id}", policies_path(&account, sp_id.as_deref())),
                before: base.clone(),
                confirm: Confirm::Yes,
                operation: Operation::Delete,
                resource_type: ResourceType::FederationPolicy,
                resource_id: policy_id.clone(),
                resource_name: policy_id.clone(),
                refresh: if sp_id.is_some() {
                    Refresh::Detail
                } else {
                    Refresh::BackTo(Resource::FederationPolicies)
                },
                ..blank
            },
            Op::Assign {
                workspace_id,
                workspace_name,
                ..
            } => {
                let who = principal.cloned().unwrap_or(Principal {
                    id: String::new(),
                    name: text("principal"),
                    collection: "Users",
                });
                let permission = text(validate::identity::PERMISSIONS);
                let body = json!({"permissions": [permission]});
                let before = base
                    .get("assignments")
                    .and_then(Value::as_array)
                    .and_then(|list| {
                        list.iter().find(|a| {
                            a.get("principal")
                                .and_then(|p| p.get("principal_id"))
                                .map(|id| id.to_string().trim_matches('"').to_owned())
                                == Some(who.id.clone())
                        })
                    })
                    .map(|a| json!({"principal": who.name, "permissions": a.get("permissions")}))
                    .unwrap_or(Value::Null);
                Plan {
                    method: "PUT".into(),
                    path: format!(
                        "{account}/workspaces/{workspace_id}/permissionassignments/principals/{}",
                        who.id
                    ),
                    before,
                    after: json!({"principal": who.name, "permissions": [permission]}),
                    body: Some(body),
                    confirm: if permission == "ADMIN" {
                        Confirm::Yes
                    } else {
                        Confirm::Enter
                    },
                    operation: Operation::Update,
                    resource_type: ResourceType::WorkspaceAssignment,
                    resource_id: format!("{workspace_id}/{}", who.id),
                    resource_name: format!("{} on {workspace_name}", who.name),
                    ..blank
                }
            }
            Op::JoinGroup {
                member_id,
                member_name,
            } => {
                let group = principal.cloned().unwrap_or(Principal {
                    id: String::new(),
                    name: text("group"),
                    collection: "Groups",
                });
                Plan {
                    method: "PATCH".into(),
                    path: format!("{account}/scim/v2/Groups/{}", group.id),
                    body: Some(patch(json!([
                        {"op": "add", "path": "members", "value": [{"value": member_id}]}
                    ]))),
                    before: json!({"groups": group_names(base)}),
                    after: json!({"groups": group_names(base).into_iter().chain([group.name.clone()]).collect::<Vec<_>>()}),
                    operation: Operation::Patch,
                    resource_type: ResourceType::Group,
                    resource_id: group.id.clone(),
                    resource_name: format!("{} (add {member_name})", group.name),
                    ..blank
                }
            }
            Op::LeaveGroup {
                group_id,
                group_name,
                member_id,
                member_name,
            } => Plan {
                method: "PATCH".into(),
                path: format!("{account}/scim/v2/Groups/{group_id}"),
                body: Some(patch(json!([
                    {"op": "remove", "path": format!("members[value eq \"{member_id}\"]")}
                ]))),
                before: json!({"groups": group_names(base)}),
                after: json!({"groups": group_names(base).into_iter().filter(|g| g != group_name).collect::<Vec<_>>()}),
                confirm: Confirm::Yes,
                operation: Operation::Patch,
                resource_type: ResourceType::Group,
                resource_id: group_id.clone(),
                resource_name: format!("{group_name} (remove {member_name})"),
                ..blank
            },
            Op::SetRole { sp_name } => {
                let principal = text("principal").trim().to_owned();
                let role = format!("roles/servicePrincipal.{}", text("role"));
                let grant = text("change") == "grant";
                let mut after = base.clone();
                set_grant(&mut after, &role, &principal, grant);
                let name = str_field(base, "name").unwrap_or_default().to_owned();
                let body = json!({"name": name, "rule_set": after});
                Plan {
                    method: "PUT".into(),
                    path: format!(
                        "/api/2.0/preview/accounts/{account_id}/access-control/rule-sets"
                    ),
                    before: json!({"grant_rules": base.get("grant_rules")}),
                    after: json!({"grant_rules": after.get("grant_rules")}),
                    body: Some(body),
                    confirm: if grant { Confirm::Enter } else { Confirm::Yes },
                    operation: Operation::Update,
                    resource_type: ResourceType::RuleSet,
                    resource_id: name,
                    resource_name: sp_name.clone(),
                    ..blank
                }
            }
            Op::CreateUser | Op::CreateGroup | Op::CreateServicePrincipal => {
                let (collection, schema, resource_type, list) = match self {
                    Op::CreateUser => ("Users", "User", ResourceType::User, Resource::Users),
                    Op::CreateGroup => ("Groups", "Group", ResourceType::Group, Resource::Groups),
                    _ => (
                        "ServicePrincipals",
                        "ServicePrincipal",
                        ResourceType::ServicePrincipal,
                        Resource::ServicePrincipals,
                    ),
                };
                let mut body = json!({
                    "schemas": [format!("urn:ietf:params:scim:schemas:core:2.0:{schema}")],
                    "displayName": text(validate::identity::DISPLAY_NAME).trim(),
                });
                if matches!(self, Op::CreateUser) {
                    body["userName"] = json!(text(validate::identity::USER_NAME).trim());
                }
                if !matches!(self, Op::CreateGroup) {
                    body["active"] = json!(true);
                }
                let name = body
                    .get("userName")
                    .or_else(|| body.get("displayName"))
                    .and_then(Value::as_str)
                    .unwrap_or_default()
                    .to_owned();
                Plan {
                    method: "POST".into(),
                    path: format!("{account}/scim/v2/{collection}"),
                    after: body.clone(),
                    body: Some(body),
                    operation: Operation::Create,
                    resource_type,
                    resource_name: name,
                    refresh: Refresh::List(list),
                    ..blank
                }
            }
            Op::RenameGroup { id, name } => scim_patch(
                blank,
                &format!("{account}/scim/v2/Groups/{id}"),
                base,
                json!({"op": "replace", "path": "displayName", "value": text(validate::identity::DISPLAY_NAME).trim()}),
                ResourceType::Group,
                name,
                Confirm::Enter,
                |object| {
                    object.insert(
                        "displayName".into(),
                        json!(text(validate::identity::DISPLAY_NAME).trim()),
                    );
                },
            ),
            Op::DeletePrincipal { resource, id, name } => {
                let (collection, resource_type) = match resource {
                    Resource::Users => ("Users", ResourceType::User),
                    Resource::Groups => ("Groups", ResourceType::Group),
                    _ => ("ServicePrincipals", ResourceType::ServicePrincipal),
                };
                Plan {
                    method: "DELETE".into(),
                    path: format!("{account}/scim/v2/{collection}/{id}"),
                    before: crate::app::edit::plan::comparable(base),
                    // Deleting a principal cannot be undone: its name is typed.
                    confirm: Confirm::TypeName(name.clone()),
                    operation: Operation::Delete,
                    resource_type,
                    resource_id: id.clone(),
                    resource_name: name.clone(),
                    refresh: Refresh::BackTo(*resource),
                    ..blank
                }
            }
            Op::EnablePublished { app_id, name } => {
                let mut body = json!({"app_id": app_id});
                let policy = published_policy_value(form);
                if !policy.as_object().is_none_or(|p| p.is_empty()) {
                    body["token_access_policy"] = policy;
                }
                Plan {
                    method: "POST".into(),
                    path: format!("{account}/oauth2/published-app-integrations"),
                    after: body.clone(),
                    body: Some(body),
                    operation: Operation::Create,
                    resource_type: ResourceType::PublishedApp,
                    resource_id: app_id.clone(),
                    resource_name: name.clone(),
                    refresh: Refresh::BackTo(Resource::PublishedApps),
                    ..blank
                }
            }
            Op::EditPublished { id, name } => {
                let path = format!("{account}/oauth2/published-app-integrations/{id}");
                let body = json!({"token_access_policy": published_policy_value(form)});
                Plan {
                    method: "PATCH".into(),
                    path: path.clone(),
                    before: pick(base, &body),
                    after: body.clone(),
                    body: Some(body),
                    reread: Some(path),
                    resource_type: ResourceType::PublishedApp,
                    resource_id: id.clone(),
                    resource_name: name.clone(),
                    ..blank
                }
            }
            Op::DisablePublished { id, name } => Plan {
                method: "DELETE".into(),
                path: format!("{account}/oauth2/published-app-integrations/{id}"),
                before: crate::app::edit::plan::comparable(base),
                confirm: Confirm::Yes,
                operation: Operation::Delete,
                resource_type: ResourceType::PublishedApp,
                resource_id: id.clone(),
                resource_name: name.clone(),
                refresh: Refresh::BackTo(Resource::PublishedApps),
                ..blank
            },
            Op::Unassign {
                workspace_id,
                workspace_name,
                principal_id,
                principal_name,
            } => Plan {
                method: "DELETE".into(),
                path: format!(
                    "{account}/workspaces/{workspace_id}/permissionassignments/principals/{principal_id}"
                ),
                before: json!({"principal": principal_name, "workspace": workspace_name}),
                confirm: Confirm::Yes,
                operation: Operation::Delete,
                resource_type: ResourceType::WorkspaceAssignment,
                resource_id: format!("{workspace_id}/{principal_id}"),
                resource_name: format!("{principal_name} on {workspace_name}"),
                ..blank
            },
        }
    }
}

fn policies_path(account: &str, sp_id: Option<&str>) -> String {
    match sp_id {
        Some(sp) => format!("{account}/servicePrincipals/{sp}/federationPolicies"),
        None => format!("{account}/federationPolicies"),
    }
}

/// A SCIM PATCH plan: `after` is the object with the change applied, for the diff.
#[allow(clippy::too_many_arguments)]
fn scim_patch(
    blank: Plan,
    path: &str,
    base: &Value,
    operation: Value,
    resource_type: ResourceType,
    name: &str,
    confirm: Confirm,
    change: impl FnOnce(&mut serde_json::Map<String, Value>),
) -> Plan {
    let before = crate::app::edit::plan::comparable(base);
    let mut after = before.clone();
    if let Some(object) = after.as_object_mut() {
        change(object);
    }
    Plan {
        method: "PATCH".into(),
        path: path.to_owned(),
        body: Some(patch(json!([operation]))),
        before,
        after,
        confirm,
        reread: Some(path.to_owned()),
        operation: Operation::Patch,
        resource_type,
        resource_id: str_field(base, "id").unwrap_or_default().to_owned(),
        resource_name: name.to_owned(),
        ..blank
    }
}

fn set_admin(object: &mut serde_json::Map<String, Value>, grant: bool) {
    let roles = object.entry("roles").or_insert_with(|| json!([]));
    if let Some(list) = roles.as_array_mut() {
        list.retain(|r| str_field(r, "value") != Some("account_admin"));
        if grant {
            list.push(json!({"value": "account_admin"}));
        }
    }
}

/// The fields of `base` that `body` sets: what the diff compares an update against.
fn pick(base: &Value, body: &Value) -> Value {
    match body {
        Value::Object(fields) => Value::Object(
            fields
                .iter()
                .map(|(key, value)| {
                    let current = base.get(key).cloned().unwrap_or(Value::Null);
                    let current = match (value, &current) {
                        (Value::Object(_), Value::Object(_)) => pick(&current, value),
                        _ => current,
                    };
                    (key.clone(), current)
                })
                .collect(),
        ),
        _ => base.clone(),
    }
}

fn app_body(form: Option<&Form>, create: bool) -> Value {
    let Some(form) = form else {
        return Value::Null;
    };
    let policy = token_policy(form, &mut Validation::new());
    let mut body = json!({
        "redirect_urls": form.items("redirect_urls"),
        "scopes": form.items("scopes"),
        "user_authorized_scopes": form.items("user_authorized_scopes"),
        "token_access_policy": serde_json::to_value(policy).unwrap_or_default(),
    });
    if create && let Some(object) = body.as_object_mut() {
        object.insert("name".into(), json!(form.text("name").trim()));
        object.insert("confidential".into(), json!(form.toggle("confidential")));
    }
    body
}

fn policy_body(form: Option<&Form>) -> Value {
    let Some(form) = form else {
        return Value::Null;
    };
    json!({
        "description": form.text("description").trim(),
        "oidc_policy": serde_json::to_value(oidc_policy(form)).unwrap_or_default(),
    })
}

fn published_policy_value(form: Option<&Form>) -> Value {
    form.map(|form| {
        serde_json::to_value(published_policy(form, &mut Validation::new())).unwrap_or_default()
    })
    .unwrap_or_default()
}

/// Adds or removes `principal` in the grant rule of `role`, keeping every other rule and
/// field (the PUT replaces the whole rule set; its etag guards against lost updates).
fn set_grant(rule_set: &mut Value, role: &str, principal: &str, grant: bool) {
    let Some(object) = rule_set.as_object_mut() else {
        return;
    };
    let rules = object.entry("grant_rules").or_insert_with(|| json!([]));
    let Some(rules) = rules.as_array_mut() else {
        return;
    };
    match rules
        .iter_mut()
        .find(|r| str_field(r, "role") == Some(role))
    {
        Some(rule) => {
            let principals = rule
                .as_object_mut()
                .map(|r| r.entry("principals").or_insert_with(|| json!([])));
            if let Some(Value::Array(list)) = principals {
                list.retain(|p| p.as_str() != Some(principal));
                if grant {
                    list.push(json!(principal));
                }
            }
        }
        None if grant => rules.push(json!({"role": role, "principals": [principal]})),
        None => {}
    }
    // A rule with nobody left is dropped rather than sent empty.
    rules.retain(|r| {
        r.get("principals")
            .and_then(Value::as_array)
            .is_none_or(|p| !p.is_empty())
    });
}

/// The display names of a principal's direct groups, for the diff of a membership change.
fn group_names(principal: &Value) -> Vec<String> {
    principal
        .get("groups")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .filter(|g| str_field(g, "type").is_none_or(|t| t == "direct"))
        .filter_map(|g| str_field(g, "display").map(str::to_owned))
        .collect()
}
