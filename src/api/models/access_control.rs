//! Account access control (reference §10): rule sets that say who may manage or use a
//! service principal or group, and the names that address them.

use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

use super::null_as_default;

pub const SERVICE_PRINCIPAL_MANAGER: &str = "roles/servicePrincipal.manager";
pub const SERVICE_PRINCIPAL_USER: &str = "roles/servicePrincipal.user";
pub const GROUP_MANAGER: &str = "roles/group.manager";

/// The rule set of a service principal is named by its application id (the UUID), not by its
/// SCIM id.
pub fn rule_set_name_for_service_principal(account_id: &str, application_id: &str) -> String {
    format!("accounts/{account_id}/servicePrincipals/{application_id}/ruleSets/default")
}

pub fn rule_set_name_for_group(account_id: &str, group_id: &str) -> String {
    format!("accounts/{account_id}/groups/{group_id}/ruleSets/default")
}

pub fn rule_set_name_for_account(account_id: &str) -> String {
    format!("accounts/{account_id}/ruleSets/default")
}

/// How rule principals are written: by user name, group display name and application id.
pub fn user_principal(user_name: &str) -> String {
    format!("users/{user_name}")
}

pub fn group_principal(display_name: &str) -> String {
    format!("groups/{display_name}")
}

pub fn service_principal_principal(application_id: &str) -> String {
    format!("servicePrincipals/{application_id}")
}

#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct GrantRule {
    #[serde(default)]
    pub role: String,
    #[serde(
        default,
        deserialize_with = "null_as_default",
        skip_serializing_if = "Vec::is_empty"
    )]
    pub principals: Vec<String>,
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

/// A rule set is edited read-modify-write: GET it, change `grant_rules`, PUT it back with the
/// `etag` just read. The PUT replaces every rule, so keep the ones you did not touch.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct RuleSet {
    #[serde(default)]
    pub name: String,
    /// Always written, even empty: the PUT requires it.
    #[serde(default)]
    pub etag: String,
    #[serde(
        default,
        deserialize_with = "null_as_default",
        skip_serializing_if = "Vec::is_empty"
    )]
    pub grant_rules: Vec<GrantRule>,
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

impl RuleSet {
    pub fn principals_with(&self, role: &str) -> impl Iterator<Item = &str> {
        self.grant_rules
            .iter()
            .filter(move |rule| rule.role == role)
            .flat_map(|rule| rule.principals.iter().map(String::as_str))
    }

    pub fn has_grant(&self, role: &str, principal: &str) -> bool {
        self.principals_with(role)
            .any(|existing| existing == principal)
    }

    /// Adds `principal` to the rule for `role`, creating the rule if needed. Returns false when
    /// the grant was already there.
    pub fn grant(&mut self, role: &str, principal: &str) -> bool {
        if self.has_grant(role, principal) {
            return false;
        }
        match self.grant_rules.iter_mut().find(|rule| rule.role == role) {
            Some(rule) => rule.principals.push(principal.to_owned()),
            None => self.grant_rules.push(GrantRule {
                role: role.to_owned(),
                principals: vec![principal.to_owned()],
                extra: Map::new(),
            }),
        }
        true
    }

    /// Removes `principal` from every rule for `role`, and drops rules left with nobody (a rule
    /// without principals means nothing). Returns false when there was nothing to remove.
    pub fn revoke(&mut self, role: &str, principal: &str) -> bool {
        let mut removed = false;
        for rule in self.grant_rules.iter_mut().filter(|rule| rule.role == role) {
            let before = rule.principals.len();
            rule.principals.retain(|existing| existing != principal);
            removed |= rule.principals.len() != before;
        }
        self.grant_rules
            .retain(|rule| rule.role != role || !rule.principals.is_empty());
        removed
    }
}

/// Body of `PUT .../rule-sets`.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct UpdateRuleSetRequest {
    pub name: String,
    pub rule_set: RuleSet,
}

impl UpdateRuleSetRequest {
    pub fn new(rule_set: RuleSet) -> Self {
        Self {
            name: rule_set.name.clone(),
            rule_set,
        }
    }
}

#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct AssignableRoles {
    #[serde(
        default,
        deserialize_with = "null_as_default",
        skip_serializing_if = "Vec::is_empty"
    )]
    pub roles: Vec<Role>,
}

#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct Role {
    #[serde(default)]
    pub name: String,
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    const ACCOUNT: &str = "0d4a3e4c-1b2f-4c5d-9e8f-0123456789ab";
    const APPLICATION: &str = "5e0f1a7c-2b3d-4e5f-8a9b-0c1d2e3f4a5b";

    const RULE_SET: &str = r#"{"name": "accounts/0d4a3e4c-1b2f-4c5d-9e8f-0123456789ab/servicePrincipals/5e0f1a7c-2b3d-4e5f-8a9b-0c1d2e3f4a5b/ruleSets/default",
 "etag": "RENUAAABjK3a9Q0Z1bmFzdGF0aWNFVGFn",
 "grant_rules": [{"role": "roles/servicePrincipal.manager", "principals": ["users/ana@example.com"]},
                 {"role": "roles/servicePrincipal.user", "principals": ["groups/data-eng"]}]}"#;

    const PUT_BODY: &str = r#"{"name": "accounts/0d4a3e4c-1b2f-4c5d-9e8f-0123456789ab/servicePrincipals/5e0f1a7c-2b3d-4e5f-8a9b-0c1d2e3f4a5b/ruleSets/default",
 "rule_set": {"name": "accounts/0d4a3e4c-1b2f-4c5d-9e8f-0123456789ab/servicePrincipals/5e0f1a7c-2b3d-4e5f-8a9b-0c1d2e3f4a5b/ruleSets/default",
              "etag": "RENUAAABjK3a9Q0Z1bmFzdGF0aWNFVGFn",
              "grant_rules": [{"role": "roles/servicePrincipal.manager",
                               "principals": ["users/ana@example.com", "servicePrincipals/5e0f1a7c-2b3d-4e5f-8a9b-0c1d2e3f4a5b"]}]}}"#;

    #[test]
    fn reads_the_rule_set_example() {
        let rule_set: RuleSet = serde_json::from_str(RULE_SET).unwrap();
        assert_eq!(
            rule_set.name,
            rule_set_name_for_service_principal(ACCOUNT, APPLICATION)
        );
        assert_eq!(rule_set.etag, "RENUAAABjK3a9Q0Z1bmFzdGF0aWNFVGFn");
        assert!(rule_set.has_grant(SERVICE_PRINCIPAL_USER, "groups/data-eng"));
        assert_eq!(
            rule_set
                .principals_with(SERVICE_PRINCIPAL_MANAGER)
                .collect::<Vec<_>>(),
            ["users/ana@example.com"]
        );
        let original: Value = serde_json::from_str(RULE_SET).unwrap();
        assert_eq!(serde_json::to_value(&rule_set).unwrap(), original);
    }

    #[test]
    fn editing_the_example_produces_the_reference_put_body() {
        let mut rule_set: RuleSet = serde_json::from_str(RULE_SET).unwrap();
        assert!(rule_set.grant(
            SERVICE_PRINCIPAL_MANAGER,
            &service_principal_principal(APPLICATION)
        ));
        assert!(!rule_set.grant(
            SERVICE_PRINCIPAL_MANAGER,
            &user_principal("ana@example.com")
        ));
        assert!(rule_set.revoke(SERVICE_PRINCIPAL_USER, &group_principal("data-eng")));
        assert!(!rule_set.revoke(SERVICE_PRINCIPAL_USER, "groups/nobody"));
        let body = UpdateRuleSetRequest::new(rule_set);
        let expected: Value = serde_json::from_str(PUT_BODY).unwrap();
        assert_eq!(serde_json::to_value(&body).unwrap(), expected);
    }

    #[test]
    fn a_new_role_gets_its_own_rule() {
        let mut rule_set = RuleSet {
            name: rule_set_name_for_group(ACCOUNT, "6029384756102938"),
            ..Default::default()
        };
        assert!(rule_set.grant(GROUP_MANAGER, "users/bo@example.com"));
        assert_eq!(
            serde_json::to_value(&rule_set).unwrap(),
            json!({
                "name": "accounts/0d4a3e4c-1b2f-4c5d-9e8f-0123456789ab/groups/6029384756102938/ruleSets/default",
                "etag": "",
                "grant_rules": [{"role": "roles/group.manager", "principals": ["users/bo@example.com"]}]
            })
        );
        assert_eq!(
            rule_set_name_for_account(ACCOUNT),
            "accounts/0d4a3e4c-1b2f-4c5d-9e8f-0123456789ab/ruleSets/default"
        );
    }

    #[test]
    fn unknown_fields_survive_and_missing_rules_read_as_empty() {
        let body = json!({"name": "n", "etag": "e", "future_flag": true,
            "grant_rules": [{"role": "roles/x", "principals": ["users/a"], "condition": "c"}]});
        let rule_set: RuleSet = serde_json::from_value(body.clone()).unwrap();
        assert_eq!(rule_set.grant_rules[0].extra["condition"], "c");
        assert_eq!(serde_json::to_value(&rule_set).unwrap(), body);

        let empty: RuleSet =
            serde_json::from_str(r#"{"name": "n", "etag": "e", "grant_rules": null}"#).unwrap();
        assert!(empty.grant_rules.is_empty());
        assert_eq!(
            serde_json::to_value(&empty).unwrap(),
            json!({"name": "n", "etag": "e"})
        );
    }

    #[test]
    fn reads_assignable_roles() {
        let roles: AssignableRoles = serde_json::from_str(
            r#"{"roles": [{"name": "roles/servicePrincipal.manager"}, {"name": "roles/servicePrincipal.user"}]}"#,
        )
        .unwrap();
        let names: Vec<_> = roles.roles.iter().map(|role| role.name.as_str()).collect();
        assert_eq!(names, [SERVICE_PRINCIPAL_MANAGER, SERVICE_PRINCIPAL_USER]);
        let none: AssignableRoles = serde_json::from_str("{}").unwrap();
        assert!(none.roles.is_empty());
    }
}
