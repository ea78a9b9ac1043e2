//! Every change the console makes: its form (if it needs one), its validation, and its plan.
//! Pure: the object as it was read (`base`), the form and resolved names in, a `Plan` out.

mod fields;
mod plans;

use serde_json::{Value, json};

use super::form::{Field, Form};
use crate::app::msg::Resource;
use crate::edit::validate::{self, Validation};
use fields::{app_fields, oidc_policy, policy_fields, published_policy, token_policy, ttl_fields};

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
    /// Add the user on screen to a group (named in the form).
    JoinGroup {
        member_id: String,
        member_name: String,
    },
    /// Take the principal on screen out of one of its groups.
    LeaveGroup {
        group_id: String,
        group_name: String,
        member_id: String,
        member_name: String,
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
            Op::JoinGroup { member_name, .. } => format!("Add {member_name} to a group"),
            Op::LeaveGroup {
                group_name,
                member_name,
                ..
            } => format!("Remove {member_name} from {group_name}"),
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
            Op::JoinGroup { .. } => vec![Field::text(
                "group",
                "Group",
                "",
                "The group's display name, exactly.",
            )],
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
            Op::EnablePublished { .. } | Op::EditPublished { .. } => ttl_fields(base).to_vec(),
            _ => return None,
        };
        Some(Form::new(self.title(), fields))
    }

    /// Whether the plan needs a principal looked up by the name in the form first.
    pub fn principal_field(&self) -> Option<&'static str> {
        match self {
            Op::AddMember { .. } => Some("member"),
            Op::Assign { .. } => Some("principal"),
            Op::JoinGroup { .. } => Some("group"),
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
            Op::JoinGroup { .. } if form.text("group").trim().is_empty() => {
                validation.error("group", "Name the group to add to.");
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
}
