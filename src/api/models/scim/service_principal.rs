//! A SCIM service principal (reference §5.4): a non-human identity with OAuth credentials.

use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

use super::{
    ComplexValue, Meta, SERVICE_PRINCIPAL_SCHEMA, ScimResource, has_account_admin_role, values,
};
use crate::api::models::null_as_default;

/// `id` is the numeric SCIM id used in the secret and federation paths; `application_id` is the
/// OAuth client id and the name used in rule sets.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ServicePrincipal {
    #[serde(
        default,
        deserialize_with = "null_as_default",
        skip_serializing_if = "Vec::is_empty"
    )]
    pub schemas: Vec<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub id: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub application_id: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub display_name: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub active: Option<bool>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub external_id: Option<String>,
    #[serde(
        default,
        deserialize_with = "null_as_default",
        skip_serializing_if = "Vec::is_empty"
    )]
    pub groups: Vec<ComplexValue>,
    #[serde(
        default,
        deserialize_with = "null_as_default",
        skip_serializing_if = "Vec::is_empty"
    )]
    pub roles: Vec<ComplexValue>,
    #[serde(
        default,
        deserialize_with = "null_as_default",
        skip_serializing_if = "Vec::is_empty"
    )]
    pub entitlements: Vec<ComplexValue>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub meta: Option<Meta>,
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

impl ServicePrincipal {
    /// A create body as the reference shows it (§13.3); the server generates the
    /// application id on AWS and GCP.
    pub fn new(display_name: impl Into<String>) -> Self {
        Self {
            schemas: vec![SERVICE_PRINCIPAL_SCHEMA.to_owned()],
            display_name: Some(display_name.into()),
            active: Some(true),
            ..Self::default()
        }
    }

    pub fn is_account_admin(&self) -> bool {
        has_account_admin_role(&self.roles)
    }

    pub fn is_active(&self) -> bool {
        self.active.unwrap_or(true)
    }

    pub fn group_ids(&self) -> impl Iterator<Item = &str> {
        values(&self.groups)
    }
}

impl ScimResource for ServicePrincipal {
    const PATH: &'static str = "ServicePrincipals";
    const SCHEMA: &'static str = SERVICE_PRINCIPAL_SCHEMA;

    fn id(&self) -> Option<&str> {
        self.id.as_deref()
    }

    fn display_name(&self) -> Option<&str> {
        self.display_name.as_deref()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    const SERVICE_PRINCIPAL: &str = r#"{"schemas": ["urn:ietf:params:scim:schemas:core:2.0:ServicePrincipal"],
 "id": "7395847201938475", "applicationId": "5e0f1a7c-2b3d-4e5f-8a9b-0c1d2e3f4a5b",
 "displayName": "ci-deployer", "active": true,
 "groups": [{"value": "6029384756102938", "display": "data-eng"}], "roles": []}"#;

    const CREATE_SERVICE_PRINCIPAL: &str = r#"{"schemas":["urn:ietf:params:scim:schemas:core:2.0:ServicePrincipal"],"displayName":"ci-deployer","active":true}"#;

    fn to_value<T: Serialize>(value: &T) -> Value {
        serde_json::to_value(value).unwrap()
    }

    #[test]
    fn reads_the_service_principal_example_and_builds_the_create_body() {
        let sp: ServicePrincipal = serde_json::from_str(SERVICE_PRINCIPAL).unwrap();
        assert_eq!(ScimResource::id(&sp), Some("7395847201938475"));
        assert_eq!(
            sp.application_id.as_deref(),
            Some("5e0f1a7c-2b3d-4e5f-8a9b-0c1d2e3f4a5b")
        );
        assert_eq!(sp.group_ids().collect::<Vec<_>>(), ["6029384756102938"]);
        assert!(sp.is_active() && !sp.is_account_admin());

        let expected: Value = serde_json::from_str(CREATE_SERVICE_PRINCIPAL).unwrap();
        assert_eq!(to_value(&ServicePrincipal::new("ci-deployer")), expected);
        let parsed: ServicePrincipal = serde_json::from_str(CREATE_SERVICE_PRINCIPAL).unwrap();
        assert_eq!(parsed, ServicePrincipal::new("ci-deployer"));
    }

    #[test]
    fn unknown_fields_survive_a_round_trip() {
        let body = json!({
            "schemas": [SERVICE_PRINCIPAL_SCHEMA],
            "id": "7395847201938475",
            "displayName": "ci-deployer",
            "account_id": "0d4a3e4c",
            "roles": [{"value": "account_admin", "origin": "idp"}],
            "meta": {"resourceType": "ServicePrincipal", "created": "2025-01-01"},
            "futureFlag": true
        });
        let sp: ServicePrincipal = serde_json::from_value(body.clone()).unwrap();
        assert!(sp.is_account_admin());
        assert_eq!(sp.extra["futureFlag"], true);
        assert_eq!(sp.roles[0].extra["origin"], "idp");
        assert_eq!(to_value(&sp), body);
    }
}
