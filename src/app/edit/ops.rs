//! Every change the console makes: its form (if it needs one), its validation, and its plan.
//! Pure: the object as it was read (`base`), the form and resolved names in, a `Plan` out.

use serde_json::{Value, json};

use super::form::{Field, Form};
use super::plan::{Confirm, Plan, Refresh};
use crate::api::models::{OidcPolicy, TokenAccessPolicy};
use crate::app::facts::{self, str_field};
use crate::app::msg::Resource;
use crate::edit::validate::{self, Validation};
use crate::journal::{Operation, ResourceType};

/// A change the admin asked for, with what identifies its target.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Op {
    CreateSecret {
        sp_id: String,
        sp_name: String,
    },
    DeleteSecret {
        sp_id: String,
        sp_name: String,
        secret_id: String,
        label: String,
    },
    CreateApp,
    EditApp {
        id: String,
        name: String,
    },
    DeleteApp {
        id: String,
        name: String,
    },
    SetAdmin {
        user_id: String,
        name: String,
        grant: bool,
    },
    SetActive {
        resource: Resource,
        id: String,
        name: String,
        active: bool,
    },
    AddMember {
        group_id: String,
        group_name: String,
    },
    RemoveMember {
        group_id: String,
        group_name: String,
        member_id: String,
        member_name: String,
    },
    /// `sp_id` `None` is an account-wide policy.
    CreatePolicy {
        sp_id: Option<String>,
    },
    EditPolicy {
        sp_id: Option<String>,
        policy_id: String,
    },
    DeletePolicy {
        sp_id: Option<String>,
        policy_id: String,
    },
    /// Assign (or change) a principal's permission on a workspace.
    Assign {
        workspace_id: String,
        workspace_name: String,
        principal: String,
        permission: String,
    },
    Unassign {
        workspace_id: String,
        workspace_name: String,
        principal_id: String,
        principal_name: String,
    },
    CreateUser,
    CreateGroup,
    CreateServicePrincipal,
    RenameGroup {
        id: String,
        name: String,
    },
    /// Delete a user, group or service principal.
    DeletePrincipal {
        resource: Resource,
        id: String,
        name: String,
    },
    /// Grant or revoke a rule-set role (manager/user) on a service principal.
    SetRole {
        sp_name: String,
    },
    /// Enable a catalogue app in the account.
    EnablePublished {
        app_id: String,
        name: String,
    },
    EditPublished {
        id: String,
        name: String,
    },
    DisablePublished {
        id: String,
        name: String,
    },
}

const PATCH_OP: &str = "urn:ietf:params:scim:api:messages:2.0:PatchOp";

fn patch(operations: Value) -> Value {
    json!({"schemas": [PATCH_OP], "Operations": operations})
}

/// Which principal a name typed into a form named, once looked up.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Principal {
    pub id: String,
    pub name: String,
    /// `Users`, `ServicePrincipals` or `Groups`.
    pub collection: &'static str,
}

impl Op {
    pub fn title(&self) -> String {
        match self {
            Op::CreateSecret { sp_name, .. } => format!("New OAuth secret for {sp_name}"),
            Op::DeleteSecret { sp_name, label, .. } => {
                format!("Delete secret {label} of {sp_name}")
            }
            Op::CreateApp => "New app connection".into(),
            Op::EditApp { name, .. } => format!("Edit app connection {name}"),
            Op::DeleteApp { name, .. } => format!("Delete app connection {name}"),
            Op::SetAdmin {
                name, grant: true, ..
            } => format!("Make {name} an account admin"),
            Op::SetAdmin { name, .. } => format!("Revoke account admin from {name}"),
            Op::SetActive {
                name, active: true, ..
            } => format!("Activate {name}"),
            Op::SetActive { name, .. } => format!("Deactivate {name}"),
            Op::AddMember { group_name, .. } => format!("Add a member to {group_name}"),
            Op::RemoveMember {
                group_name,
                member_name,
                ..
            } => {
                format!("Remove {member_name} from {group_name}")
            }
            Op::CreatePolicy { sp_id: None } => "New account federation policy".into(),
            Op::CreatePolicy { .. } => "New federation policy for this service principal".into(),
            Op::EditPolicy { policy_id, .. } => format!("Edit federation policy {policy_id}"),
            Op::DeletePolicy { policy_id, .. } => format!("Delete federation policy {policy_id}"),
            Op::Assign { workspace_name, .. } => format!("Assign a principal to {workspace_name}"),
            Op::Unassign {
                workspace_name,
                principal_name,
                ..
            } => {
                format!("Remove {principal_name} from {workspace_name}")
            }
            Op::SetRole { sp_name } => format!("Who may manage or use {sp_name}"),
            Op::CreateUser => "New user".into(),
            Op::CreateGroup => "New group".into(),
            Op::CreateServicePrincipal => "New service principal".into(),
            Op::RenameGroup { name, .. } => format!("Rename group {name}"),
            Op::DeletePrincipal { name, .. } => format!("Delete {name}"),
            Op::EnablePublished { name, .. } => format!("Enable {name} in this account"),
            Op::EditPublished { name, .. } => format!("Edit the token policy of {name}"),
            Op::DisablePublished { name, .. } => format!("Disable {name}"),
        }
    }

    /// The form this change needs; `None` goes straight to review.
    pub fn form(&self, base: &Value) -> Option<Form> {
        let fields = match self {
            Op::CreateSecret { .. } => vec![Field::text(
                validate::secrets::LIFETIME,
                "Lifetime (days)",
                "365",
                "1 to 730 days. The secret is shown once, right after it is created.",
            )],
            Op::CreateApp => app_fields(&Value::Null, true),
            Op::EditApp { .. } => app_fields(base, false),
            Op::AddMember { .. } => vec![Field::text(
                "member",
                "Member",
                "",
                "A user name (email), a service principal's name or application id, or a group's name.",
            )],
            Op::CreatePolicy { .. } => policy_fields(&Value::Null, true),
            Op::EditPolicy { .. } => policy_fields(base, false),
            Op::Assign {
                principal,
                permission,
                ..
            } => vec![
                Field::text(
                    "principal",
                    "Principal",
                    principal,
                    "A user name (email), a service principal's name or application id, or a group's name.",
                ),
                Field::choice(
                    validate::identity::PERMISSIONS,
                    "Permission",
                    &["USER", "ADMIN"],
                    permission,
                    "ADMIN manages the workspace; prefer granting it to a group.",
                ),
            ],
            Op::SetRole { .. } => vec![
                Field::text(
                    "principal",
                    "Principal",
                    "",
                    "users/<email>, groups/<name> or servicePrincipals/<application id>",
                ),
                Field::choice(
                    "role",
                    "Role",
                    &["manager", "user"],
                    "user",
                    "manager: may change the SP and its secrets; user: may use it (e.g. run jobs as it).",
                ),
                Field::choice("change", "Change", &["grant", "revoke"], "grant", ""),
            ],
            Op::CreateUser => vec![
                Field::text(
                    validate::identity::USER_NAME,
                    "User name (email)",
                    "",
                    "The sign-in email; it cannot be changed later.",
                ),
                Field::text(validate::identity::DISPLAY_NAME, "Display name", "", ""),
            ],
            Op::CreateGroup => vec![Field::text(
                validate::identity::DISPLAY_NAME,
                "Display name",
                "",
                "Unique in the account.",
            )],
            Op::CreateServicePrincipal => vec![Field::text(
                validate::identity::DISPLAY_NAME,
                "Display name",
                "",
                "Its application id (the OAuth client id) is assigned by Databricks.",
            )],
            Op::RenameGroup { name, .. } => vec![Field::text(
                validate::identity::DISPLAY_NAME,
                "Display name",
                name,
                "Unique in the account.",
            )],
            Op::EnablePublished { .. } | Op::EditPublished { .. } => {
                let policy = |key: &str| {
                    facts::policy_minutes(base, key)
                        .map(|m| m.to_string())
                        .unwrap_or_default()
                };
                vec![
                    Field::text(
                        validate::token_policy::ACCESS_TTL,
                        "Access token TTL (min)",
                        &policy("access_token_ttl_in_minutes"),
                        "5 to 1440 minutes; empty uses the Databricks default.",
                    ),
                    Field::text(
                        validate::token_policy::REFRESH_TTL,
                        "Refresh token TTL (min)",
                        &policy("refresh_token_ttl_in_minutes"),
                        "5 to 129600 minutes (90 days), at least the access TTL.",
                    ),
                ]
            }
            _ => return None,
        };
        Some(Form::new(self.title(), fields))
    }

    /// Whether the plan needs a principal looked up by the name in the form first.
    pub fn principal_field(&self) -> Option<&'static str> {
        match self {
            Op::AddMember { .. } => Some("member"),
            Op::Assign { .. } => Some("principal"),
            _ => None,
        }
    }

    /// Checks the form; the messages go beside the fields.
    pub fn validate(&self, form: &Form) -> Validation {
        let mut validation = Validation::new();
        match self {
            Op::CreateSecret { .. } => {
                validate::secrets::check_secret_lifetime_days(
                    &form.text(validate::secrets::LIFETIME),
                    &mut validation,
                );
            }
            Op::CreateApp | Op::EditApp { .. } => {
                if matches!(self, Op::CreateApp) {
                    validate::check_app_name(&form.text("name"), &mut validation);
                }
                let scopes = form.items("scopes");
                validate::check_redirect_urls(&form.items("redirect_urls"), &mut validation);
                validate::check_scopes(&scopes, &mut validation);
                validate::check_user_authorized_scopes(
                    &scopes,
                    &form.items("user_authorized_scopes"),
                    &mut validation,
                );
                let policy = token_policy(form, &mut validation);
                validate::check_token_access_policy(&policy, &mut validation);
                validate::check_refresh_needs_offline_access(&policy, &scopes, &mut validation);
            }
            Op::CreatePolicy { sp_id } | Op::EditPolicy { sp_id, .. } => {
                let scope = if sp_id.is_some() {
                    validate::PolicyScope::ServicePrincipal
                } else {
                    validate::PolicyScope::Account
                };
                let id = form.text("policy_id");
                let id = matches!(self, Op::CreatePolicy { .. }).then_some(id.as_str());
                validation.merge(validate::validate_federation_policy(
                    scope,
                    id,
                    &oidc_policy(form),
                ));
            }
            Op::SetRole { .. } => {
                let principal = form.text("principal");
                let principal = principal.trim();
                let kinds = ["users/", "groups/", "servicePrincipals/"];
                match kinds.iter().find(|k| principal.starts_with(**k)) {
                    None => validation.error(
                        "principal",
                        "Write the principal as users/<email>, groups/<name> or servicePrincipals/<application id>.",
                    ),
                    Some(kind) if principal.len() == kind.len() => validation.error(
                        "principal",
                        format!("Add the name after '{kind}'."),
                    ),
                    Some(_) => {}
                }
            }
            Op::CreateUser => {
                validate::check_user_name(
                    &form.text(validate::identity::USER_NAME),
                    &mut validation,
                );
            }
            Op::CreateGroup | Op::CreateServicePrincipal | Op::RenameGroup { .. } => {
                validate::check_display_name(
                    validate::identity::DISPLAY_NAME,
                    &form.text(validate::identity::DISPLAY_NAME),
                    &mut validation,
                );
            }
            Op::EnablePublished { .. } | Op::EditPublished { .. } => {
                let policy = published_policy(form, &mut validation);
                validate::check_token_access_policy(&policy, &mut validation);
            }
            Op::AddMember { .. } if form.text("member").trim().is_empty() => {
                validation.error("member", "Name the member to add.");
            }
            Op::Assign { .. } => {
                if form.text("principal").trim().is_empty() {
                    validation.error("principal", "Name the user, service principal or group.");
                }
                validate::check_workspace_permission(
                    &form.text(validate::identity::PERMISSIONS),
                    &mut validation,
                );
            }
            _ => {}
        }
        validation
    }

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
                    before: super::plan::comparable(base),
                    // An SP's deletion breaks every automation using it: its name is typed.
                    confirm: if *resource == Resource::ServicePrincipals {
                        Confirm::TypeName(name.clone())
                    } else {
                        Confirm::Yes
                    },
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
                before: super::plan::comparable(base),
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
    let before = super::plan::comparable(base);
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

fn app_fields(base: &Value, create: bool) -> Vec<Field> {
    let policy = |key: &str| {
        facts::policy_minutes(base, key)
            .map(|m| m.to_string())
            .unwrap_or_default()
    };
    let single_use = base
        .get("token_access_policy")
        .and_then(|p| p.get("enable_single_use_refresh_tokens"))
        .and_then(Value::as_bool)
        .unwrap_or(create);
    let mut fields = Vec::new();
    if create {
        fields.push(Field::text(
            "name",
            "Name",
            "",
            "Shown to users when they consent.",
        ));
        fields.push(Field::toggle(
            "confidential",
            "Confidential",
            true,
            "Confidential clients get a client secret, shown once. Space toggles.",
        ));
    }
    fields.extend([
        Field::list(
            "redirect_urls",
            "Redirect URLs",
            facts::strings(base, "redirect_urls"),
            "Enter edits or adds, Delete removes. https, or http only to localhost.",
        ),
        Field::list(
            "scopes",
            "Scopes",
            if create { vec!["sql".into(), "offline_access".into()] } else { facts::strings(base, "scopes") },
            "all-apis, sql, offline_access, openid, profile, email. offline_access allows refresh tokens.",
        ),
        Field::list(
            "user_authorized_scopes",
            "User-authorized scopes",
            facts::strings(base, "user_authorized_scopes"),
            "A subset of the scopes that users consent to.",
        ),
        Field::text(
            validate::token_policy::ACCESS_TTL,
            "Access token TTL (min)",
            &policy("access_token_ttl_in_minutes"),
            "5 to 1440 minutes; empty uses the Databricks default.",
        ),
        Field::text(
            validate::token_policy::REFRESH_TTL,
            "Refresh token TTL (min)",
            &policy("refresh_token_ttl_in_minutes"),
            "5 to 129600 minutes (90 days), at least the access TTL.",
        ),
        Field::toggle(
            validate::token_policy::SINGLE_USE,
            "Single-use refresh tokens",
            single_use,
            "Rotate the refresh token on every use (recommended for confidential apps).",
        ),
        Field::text(
            validate::token_policy::ABSOLUTE_SESSION,
            "Absolute session (min)",
            &policy("absolute_session_lifetime_in_minutes"),
            "A hard cap on a whole session; only effective with single-use refresh tokens.",
        ),
    ]);
    fields
}

fn token_policy(form: &Form, validation: &mut Validation) -> TokenAccessPolicy {
    TokenAccessPolicy {
        access_token_ttl_in_minutes: validate::parse_minutes(
            validate::token_policy::ACCESS_TTL,
            "The access token TTL",
            &form.text(validate::token_policy::ACCESS_TTL),
            validation,
        ),
        refresh_token_ttl_in_minutes: validate::parse_minutes(
            validate::token_policy::REFRESH_TTL,
            "The refresh token TTL",
            &form.text(validate::token_policy::REFRESH_TTL),
            validation,
        ),
        enable_single_use_refresh_tokens: Some(form.toggle(validate::token_policy::SINGLE_USE)),
        absolute_session_lifetime_in_minutes: validate::parse_minutes(
            validate::token_policy::ABSOLUTE_SESSION,
            "The absolute session lifetime",
            &form.text(validate::token_policy::ABSOLUTE_SESSION),
            validation,
        ),
        extra: Default::default(),
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

fn policy_fields(base: &Value, create: bool) -> Vec<Field> {
    let oidc = base.get("oidc_policy").cloned().unwrap_or_default();
    let get = |key: &str| str_field(&oidc, key).unwrap_or_default().to_owned();
    let mut fields = Vec::new();
    if create {
        fields.push(Field::text(
            validate::federation::POLICY_ID,
            "Policy id",
            "",
            "2-63 lower-case letters, digits, hyphens; empty lets Databricks pick one.",
        ));
    }
    fields.extend([
        Field::text(
            "description",
            "Description",
            str_field(base, "description").unwrap_or_default(),
            "",
        ),
        Field::text(
            validate::federation::ISSUER,
            "Issuer",
            &get("issuer"),
            "The https URL in the tokens' iss claim.",
        ),
        Field::list(
            validate::federation::AUDIENCES,
            "Audiences",
            facts::strings(&oidc, "audiences"),
            "Empty means the account id.",
        ),
        Field::text(
            validate::federation::SUBJECT_CLAIM,
            "Subject claim",
            &get("subject_claim"),
            "Empty means sub.",
        ),
        Field::text(
            validate::federation::SUBJECT,
            "Subject",
            &get("subject"),
            "Required for a service principal's policy, absent for an account policy.",
        ),
        Field::text(
            validate::federation::JWKS_URI,
            "JWKS URI",
            &get("jwks_uri"),
            "Optional; keys are discovered from the issuer otherwise.",
        ),
        Field::text(
            validate::federation::JWKS_JSON,
            "Inline JWKS",
            &get("jwks_json"),
            "Optional JSON with a keys array.",
        ),
    ]);
    fields
}

fn oidc_policy(form: &Form) -> OidcPolicy {
    let optional = |key: &str| Some(form.text(key).trim().to_owned()).filter(|s| !s.is_empty());
    OidcPolicy {
        issuer: optional(validate::federation::ISSUER),
        audiences: form.items(validate::federation::AUDIENCES),
        subject_claim: optional(validate::federation::SUBJECT_CLAIM),
        subject: optional(validate::federation::SUBJECT),
        jwks_uri: optional(validate::federation::JWKS_URI),
        jwks_json: optional(validate::federation::JWKS_JSON),
        extra: Default::default(),
    }
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

fn published_policy(form: &Form, validation: &mut Validation) -> TokenAccessPolicy {
    TokenAccessPolicy {
        access_token_ttl_in_minutes: validate::parse_minutes(
            validate::token_policy::ACCESS_TTL,
            "The access token TTL",
            &form.text(validate::token_policy::ACCESS_TTL),
            validation,
        ),
        refresh_token_ttl_in_minutes: validate::parse_minutes(
            validate::token_policy::REFRESH_TTL,
            "The refresh token TTL",
            &form.text(validate::token_policy::REFRESH_TTL),
            validation,
        ),
        enable_single_use_refresh_tokens: None,
        absolute_session_lifetime_in_minutes: None,
        extra: Default::default(),
    }
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
