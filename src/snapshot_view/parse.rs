//! Reading the snapshot document into the typed views, leniently (see `read`).

use serde_json::Value;

use super::read::{array, entries, flag, int, text, texts};
use super::{
    Account, Assignment, CustomApp, FederationPolicy, Group, PolicyScope, PrincipalKind,
    PublishedApp, Secret, ServicePrincipal, TokenPolicy, User, Workspace,
};

fn has_admin_role(object: &Value) -> bool {
    array(object, "roles")
        .iter()
        .any(|role| text(role, "value").as_deref() == Some("account_admin"))
}

fn kind_of_ref(reference: &str) -> Option<PrincipalKind> {
    let (collection, _) = reference.split_once('/')?;
    match collection {
        "Users" => Some(PrincipalKind::User),
        "Groups" => Some(PrincipalKind::Group),
        "ServicePrincipals" => Some(PrincipalKind::ServicePrincipal),
        _ => None,
    }
}

fn token_policy(object: &Value) -> Option<TokenPolicy> {
    let policy = object
        .get("token_access_policy")
        .filter(|p| p.is_object())?;
    Some(TokenPolicy {
        access_token_ttl_minutes: int(policy, "access_token_ttl_in_minutes"),
        refresh_token_ttl_minutes: int(policy, "refresh_token_ttl_in_minutes"),
        is_single_use_refresh: flag(policy, "enable_single_use_refresh_tokens"),
        absolute_session_lifetime_minutes: int(policy, "absolute_session_lifetime_in_minutes"),
    })
}

fn federation_policy(value: &Value, scope: PolicyScope) -> FederationPolicy {
    let oidc = value.get("oidc_policy").unwrap_or(&Value::Null);
    FederationPolicy {
        scope,
        policy_id: text(value, "policy_id").unwrap_or_default(),
        description: text(value, "description"),
        issuer: text(oidc, "issuer"),
        audiences: texts(oidc, "audiences"),
        subject: text(oidc, "subject"),
        subject_claim: text(oidc, "subject_claim"),
    }
}

fn user(user: &Value) -> User {
    User {
        id: text(user, "id").unwrap_or_default(),
        user_name: text(user, "userName").unwrap_or_default(),
        display_name: text(user, "displayName").unwrap_or_default(),
        // SCIM's default for an absent `active` is true.
        is_active: flag(user, "active").unwrap_or(true),
        is_direct_admin: has_admin_role(user),
    }
}

fn group(group: &Value) -> Group {
    let members = array(group, "members")
        .iter()
        .filter_map(|member| {
            let kind = text(member, "$ref").as_deref().and_then(kind_of_ref);
            Some((text(member, "value")?, kind))
        })
        .collect();
    Group {
        id: text(group, "id").unwrap_or_default(),
        display_name: text(group, "displayName").unwrap_or_default(),
        members,
        is_direct_admin: has_admin_role(group),
    }
}

fn service_principal(sp: &Value) -> ServicePrincipal {
    ServicePrincipal {
        id: text(sp, "id").unwrap_or_default(),
        application_id: text(sp, "applicationId").unwrap_or_default(),
        display_name: text(sp, "displayName").unwrap_or_default(),
        is_active: flag(sp, "active").unwrap_or(true),
        is_direct_admin: has_admin_role(sp),
    }
}

fn secret(sp_id: &str, secret: &Value) -> Secret {
    Secret {
        id: text(secret, "id").unwrap_or_default(),
        service_principal_id: sp_id.to_owned(),
        status: text(secret, "status"),
        create_time: text(secret, "create_time"),
        expire_time: text(secret, "expire_time"),
    }
}

fn workspace(workspace: &Value) -> Workspace {
    Workspace {
        id: text(workspace, "workspace_id").unwrap_or_default(),
        name: text(workspace, "workspace_name").unwrap_or_default(),
        status: text(workspace, "workspace_status"),
    }
}

/// The principal's kind comes from which name field it carries (exactly one, per the
/// reference).
fn assignment(workspace_id: &str, assignment: &Value) -> Assignment {
    let principal = assignment.get("principal").unwrap_or(&Value::Null);
    let (kind, name) = [
        ("user_name", PrincipalKind::User),
        ("group_name", PrincipalKind::Group),
        ("service_principal_name", PrincipalKind::ServicePrincipal),
    ]
    .into_iter()
    .find_map(|(key, kind)| Some((Some(kind), text(principal, key)?)))
    .unwrap_or_default();
    Assignment {
        workspace_id: workspace_id.to_owned(),
        principal_id: text(principal, "principal_id").unwrap_or_default(),
        principal_kind: kind,
        principal_name: text(principal, "display_name").unwrap_or(name),
        permissions: texts(assignment, "permissions"),
    }
}

fn custom_app(app: &Value) -> CustomApp {
    CustomApp {
        integration_id: text(app, "integration_id").unwrap_or_default(),
        client_id: text(app, "client_id").unwrap_or_default(),
        name: text(app, "name").unwrap_or_default(),
        is_confidential: flag(app, "confidential").unwrap_or(false),
        redirect_urls: texts(app, "redirect_urls"),
        scopes: texts(app, "scopes"),
        user_authorized_scopes: texts(app, "user_authorized_scopes"),
        token_policy: token_policy(app),
    }
}

fn published_app(app: &Value) -> PublishedApp {
    PublishedApp {
        integration_id: text(app, "integration_id").unwrap_or_default(),
        app_id: text(app, "app_id").unwrap_or_default(),
        name: text(app, "name").unwrap_or_default(),
        token_policy: token_policy(app),
    }
}

/// Each item of the array at `key`, read by `read`.
fn list<T>(document: &Value, key: &str, read: impl Fn(&Value) -> T) -> Vec<T> {
    array(document, key).iter().map(read).collect()
}

/// Each item of the arrays in the object at `key` (lists by SP or workspace id).
fn keyed<T>(document: &Value, key: &str, read: impl Fn(&str, &Value) -> T) -> Vec<T> {
    entries(document, key)
        .flat_map(|(id, items)| items.iter().map(move |item| (id, item)))
        .map(|(id, item)| read(id, item))
        .collect()
}

impl Account {
    pub fn from_snapshot(document: &Value) -> Account {
        let mut federation_policies = list(document, "account_federation_policies", |p| {
            federation_policy(p, PolicyScope::Account)
        });
        federation_policies.extend(keyed(
            document,
            "service_principal_federation_policies",
            |sp_id, p| federation_policy(p, PolicyScope::ServicePrincipal(sp_id.to_owned())),
        ));
        Account {
            users: list(document, "users", user),
            groups: list(document, "groups", group),
            service_principals: list(document, "service_principals", service_principal),
            secrets: keyed(document, "service_principal_secrets", secret),
            federation_policies,
            workspaces: list(document, "workspaces", workspace),
            assignments: keyed(document, "workspace_assignments", assignment),
            custom_apps: list(document, "custom_app_integrations", custom_app),
            published_apps: list(document, "published_app_integrations", published_app),
        }
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    #[test]
    fn mistyped_fields_read_as_absent() {
        let account = Account::from_snapshot(&json!({
            "users": [{"id": 17, "userName": ["x"], "active": "yes"}],
            "service_principal_secrets": {"5": [{"id": "s", "expire_time": "not a time"}]},
            "custom_app_integrations": [{"name": "a", "token_access_policy": 3}],
            "workspace_assignments": "nope"
        }));
        assert_eq!(account.users[0].id, "17");
        assert_eq!(account.users[0].user_name, "");
        assert!(account.users[0].is_active);
        assert_eq!(account.secrets[0].service_principal_id, "5");
        assert_eq!(account.secrets[0].expires_at(), None);
        assert_eq!(account.custom_apps[0].token_policy, None);
        assert!(account.assignments.is_empty());
    }
}
