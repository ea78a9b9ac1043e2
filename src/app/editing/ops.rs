//! Which change a mutating key asks for, given where the admin is and what is selected.

use serde_json::Value;

use super::{detail_object, selected_item};
use crate::app::edit::Op;
use crate::app::facts::{self, str_field};
use crate::app::msg::{Action, Resource};
use crate::app::state::{AppState, Route};
use crate::app::view::Item;

/// The change a mutating key asks for here, or why there is none.
pub fn op_for(state: &AppState, action: Action) -> Result<(Op, Value), String> {
    let object = detail_object(state);
    let name = |keys: &[&str]| {
        keys.iter()
            .find_map(|key| str_field(&object, key))
            .unwrap_or_default()
            .to_owned()
    };
    let id = name(&["id"]);
    let route = state.route().clone();
    let item = selected_item(state);
    let nothing = |what: &str| Err(format!("Nothing to {what} here"));
    match (&route, action) {
        (Route::List(Resource::Apps), Action::New) => Ok((Op::CreateApp, Value::Null)),
        (Route::List(Resource::FederationPolicies), Action::New) => {
            Ok((Op::CreatePolicy { sp_id: None }, Value::Null))
        }
        (Route::List(Resource::Users), Action::New) => Ok((Op::CreateUser, Value::Null)),
        (Route::List(Resource::Groups), Action::New) => Ok((Op::CreateGroup, Value::Null)),
        (Route::List(Resource::ServicePrincipals), Action::New) => {
            Ok((Op::CreateServicePrincipal, Value::Null))
        }
        (Route::List(Resource::PublishedApps), Action::New) => {
            let row = state
                .list(Resource::PublishedApps)
                .and_then(|l| l.selected_row())
                .cloned();
            match row {
                Some(row) if row.id.starts_with("catalog:") => Ok((
                    Op::EnablePublished {
                        app_id: row.id.trim_start_matches("catalog:").to_owned(),
                        name: row.cells.first().cloned().unwrap_or_default(),
                    },
                    Value::Null,
                )),
                _ => Err("Select an available app from the catalogue to enable it".into()),
            }
        }
        (Route::List(_), _) => nothing("create"),
        (
            Route::Detail {
                resource,
                id: route_id,
                title,
            },
            action,
        ) => {
            let resource = *resource;
            match (resource, action, item) {
                (Resource::ServicePrincipals, Action::New, _) => Ok((
                    Op::CreateSecret {
                        sp_id: id,
                        sp_name: name(&["displayName"]),
                    },
                    Value::Null,
                )),
                (Resource::ServicePrincipals, Action::EditRoles, _) => {
                    let rule_set = state
                        .detail
                        .as_ref()
                        .and_then(|d| d.data.value())
                        .and_then(|data| data.get("rule_set"))
                        .cloned();
                    match rule_set {
                        Some(rule_set) => Ok((
                            Op::SetRole {
                                sp_name: name(&["displayName"]),
                            },
                            rule_set,
                        )),
                        None => Err("The rule set of this SP could not be read: r reloads".into()),
                    }
                }
                (Resource::ServicePrincipals, Action::NewPolicy, _) => {
                    Ok((Op::CreatePolicy { sp_id: Some(id) }, Value::Null))
                }
                (
                    Resource::ServicePrincipals,
                    Action::Delete,
                    Some(Item::Secret {
                        id: secret_id,
                        label,
                    }),
                ) => Ok((
                    Op::DeleteSecret {
                        sp_id: id,
                        sp_name: name(&["displayName"]),
                        secret_id,
                        label,
                    },
                    Value::Null,
                )),
                (
                    Resource::ServicePrincipals,
                    Action::Edit | Action::Delete,
                    Some(Item::Policy { id: policy_id }),
                ) => {
                    let policy = state
                        .detail
                        .as_ref()
                        .and_then(|d| d.data.value())
                        .and_then(|data| data.get("policies"))
                        .and_then(Value::as_array)
                        .and_then(|list| {
                            list.iter()
                                .find(|p| str_field(p, "policy_id") == Some(&policy_id))
                        })
                        .cloned()
                        .unwrap_or(Value::Null);
                    let op = if action == Action::Edit {
                        Op::EditPolicy {
                            sp_id: Some(id),
                            policy_id,
                        }
                    } else {
                        Op::DeletePolicy {
                            sp_id: Some(id),
                            policy_id,
                        }
                    };
                    Ok((op, policy))
                }
                (Resource::Groups, Action::New, _) => Ok((
                    Op::AddMember {
                        group_id: id,
                        group_name: name(&["displayName"]),
                    },
                    object,
                )),
                (
                    Resource::Groups,
                    Action::Delete,
                    Some(Item::Member {
                        id: member_id,
                        name: member_name,
                    }),
                ) => Ok((
                    Op::RemoveMember {
                        group_id: id,
                        group_name: name(&["displayName"]),
                        member_id,
                        member_name,
                    },
                    object,
                )),
                (Resource::Workspaces, Action::New | Action::Edit | Action::Delete, item) => {
                    let workspace_id = route_id.clone();
                    let workspace_name = name(&["workspace_name"]);
                    let data = state
                        .detail
                        .as_ref()
                        .and_then(|d| d.data.value())
                        .cloned()
                        .unwrap_or_default();
                    match (action, item) {
                        (Action::New, _) => Ok((
                            Op::Assign {
                                workspace_id,
                                workspace_name,
                                principal: String::new(),
                                permission: "USER".into(),
                            },
                            data,
                        )),
                        (
                            Action::Edit,
                            Some(Item::Assignment {
                                name, permission, ..
                            }),
                        ) => Ok((
                            Op::Assign {
                                workspace_id,
                                workspace_name,
                                principal: name,
                                permission: if permission.contains("ADMIN") {
                                    "ADMIN"
                                } else {
                                    "USER"
                                }
                                .into(),
                            },
                            data,
                        )),
                        (
                            Action::Delete,
                            Some(Item::Assignment {
                                principal_id, name, ..
                            }),
                        ) => Ok((
                            Op::Unassign {
                                workspace_id,
                                workspace_name,
                                principal_id,
                                principal_name: name,
                            },
                            data,
                        )),
                        _ => Err(
                            "Select an assignment first (j/k), then e changes it or d removes it"
                                .into(),
                        ),
                    }
                }
                (Resource::Apps, Action::Edit, _) => Ok((
                    Op::EditApp {
                        id: name(&["integration_id"]),
                        name: name(&["name"]),
                    },
                    object,
                )),
                (Resource::Apps, Action::Delete, _) => Ok((
                    Op::DeleteApp {
                        id: name(&["integration_id"]),
                        name: name(&["name"]),
                    },
                    object,
                )),
                (Resource::FederationPolicies, Action::Edit | Action::Delete, _) => {
                    let sp_id = route_id
                        .strip_prefix("sp:")
                        .and_then(|rest| rest.split_once('/'))
                        .map(|(sp, _)| sp.to_owned());
                    let policy_id = name(&["policy_id"]);
                    let op = if action == Action::Edit {
                        Op::EditPolicy { sp_id, policy_id }
                    } else {
                        Op::DeletePolicy { sp_id, policy_id }
                    };
                    Ok((op, object))
                }
                (Resource::PublishedApps, Action::Edit | Action::Delete, _)
                    if route_id.starts_with("catalog:") =>
                {
                    Err("This app is not enabled yet: n on its row in the list enables it".into())
                }
                (Resource::PublishedApps, Action::Edit, _) => Ok((
                    Op::EditPublished {
                        id: route_id.clone(),
                        name: title.clone(),
                    },
                    object,
                )),
                (Resource::PublishedApps, Action::Delete, _) => Ok((
                    Op::DisablePublished {
                        id: route_id.clone(),
                        name: title.clone(),
                    },
                    object,
                )),
                (Resource::Groups, Action::Edit, _) => Ok((
                    Op::RenameGroup {
                        id,
                        name: name(&["displayName"]),
                    },
                    object,
                )),
                (
                    Resource::Users | Resource::Groups | Resource::ServicePrincipals,
                    Action::Delete,
                    None,
                ) => Ok((
                    Op::DeletePrincipal {
                        resource,
                        id,
                        name: name(&["userName", "displayName"]),
                    },
                    object,
                )),
                (Resource::Users, Action::New, _) => Ok((
                    Op::JoinGroup {
                        member_id: id,
                        member_name: name(&["userName"]),
                    },
                    object,
                )),
                (
                    Resource::Users | Resource::ServicePrincipals,
                    Action::Delete,
                    Some(Item::Membership {
                        group_id,
                        group_name,
                    }),
                ) => Ok((
                    Op::LeaveGroup {
                        group_id,
                        group_name,
                        member_id: id,
                        member_name: name(&["userName", "displayName"]),
                    },
                    object,
                )),
                (Resource::Users, Action::ToggleAdmin, _) => Ok((
                    Op::SetAdmin {
                        user_id: id,
                        name: name(&["userName"]),
                        grant: !facts::is_account_admin(&object),
                    },
                    object,
                )),
                (Resource::Users | Resource::ServicePrincipals, Action::ToggleActive, _) => Ok((
                    Op::SetActive {
                        resource,
                        id,
                        name: title.clone(),
                        active: !facts::is_active(&object),
                    },
                    object,
                )),
                (_, Action::Delete, _) => Err(
                    "Select what to remove first (a secret, member, policy or assignment line)"
                        .into(),
                ),
                _ => nothing("change"),
            }
        }
    }
}
