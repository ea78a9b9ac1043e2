//! Federation policies (reference §7): which external OIDC tokens the account, or one service
//! principal, accepts in a token exchange.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

use super::{TokenPage, non_empty, null_as_default, parse_time};

#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct OidcPolicy {
    /// Must equal the token's `iss`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub issuer: Option<String>,
    /// The token's `aud` must match one; empty means the account id.
    #[serde(
        default,
        deserialize_with = "null_as_default",
        skip_serializing_if = "Vec::is_empty"
    )]
    pub audiences: Vec<String>,
    /// The claim holding the subject; absent means `sub`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub subject_claim: Option<String>,
    /// Required on service-principal policies, absent on account policies.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub subject: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub jwks_uri: Option<String>,
    /// An inline JWKS: a JSON document carried as a string.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub jwks_json: Option<String>,
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

impl OidcPolicy {
    /// The claim that names the subject, with the server's default filled in.
    pub fn subject_claim_or_default(&self) -> &str {
        self.subject_claim.as_deref().unwrap_or("sub")
    }
}

/// One policy; the same shape is the create body (output fields left out) and a partial
/// update body (only the fields named in `update_mask`).
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct FederationPolicy {
    /// `accounts/<acct>/federationPolicies/<id>` or
    /// `accounts/<acct>/servicePrincipals/<sp>/federationPolicies/<id>`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub policy_id: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub uid: Option<String>,
    /// Only on service-principal policies: the SP's SCIM id.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub service_principal_id: Option<i64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub oidc_policy: Option<OidcPolicy>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub create_time: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub update_time: Option<String>,
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

impl FederationPolicy {
    pub fn is_service_principal_policy(&self) -> bool {
        self.service_principal_id.is_some()
    }

    pub fn created_at(&self) -> Option<DateTime<Utc>> {
        parse_time(self.create_time.as_deref())
    }

    pub fn updated_at(&self) -> Option<DateTime<Utc>> {
        parse_time(self.update_time.as_deref())
    }
}

#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct PoliciesPage {
    #[serde(
        default,
        deserialize_with = "null_as_default",
        skip_serializing_if = "Vec::is_empty"
    )]
    pub policies: Vec<FederationPolicy>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub next_page_token: Option<String>,
}

impl TokenPage for PoliciesPage {
    type Item = FederationPolicy;

    fn next_page(&self) -> Option<&str> {
        non_empty(&self.next_page_token)
    }

    fn into_items(self) -> Vec<FederationPolicy> {
        self.policies
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    const SP_POLICY: &str = r#"{"name": "accounts/0d4a3e4c-1b2f-4c5d-9e8f-0123456789ab/servicePrincipals/7395847201938475/federationPolicies/github-prod",
 "policy_id": "github-prod", "uid": "b1c2d3e4-f5a6-4b7c-8d9e-0f1a2b3c4d5e",
 "service_principal_id": 7395847201938475,
 "description": "GitHub Actions deploys from main",
 "oidc_policy": {"issuer": "https://token.actions.githubusercontent.com",
                 "audiences": ["https://github.com/example-org"],
                 "subject": "repo:example-org/infra:ref:refs/heads/main"},
 "create_time": "2025-02-10T08:00:00.000Z", "update_time": "2025-02-10T08:00:00.000Z"}"#;

    const ACCOUNT_LIST: &str = r#"{"policies": [{"name": "accounts/0d4a3e4c-1b2f-4c5d-9e8f-0123456789ab/federationPolicies/okta",
               "policy_id": "okta", "uid": "c2d3e4f5-a6b7-4c8d-9e0f-1a2b3c4d5e6f",
               "oidc_policy": {"issuer": "https://example.okta.com/oauth2/default",
                               "audiences": ["databricks"], "subject_claim": "email"},
               "create_time": "2025-01-05T12:00:00.000Z", "update_time": "2025-01-06T12:00:00.000Z"}],
 "next_page_token": ""}"#;

    const UPDATE_BODY: &str =
        r#"{"oidc_policy": {"audiences": ["databricks", "0d4a3e4c-1b2f-4c5d-9e8f-0123456789ab"]}}"#;

    #[test]
    fn reads_the_service_principal_policy() {
        let policy: FederationPolicy = serde_json::from_str(SP_POLICY).unwrap();
        assert_eq!(policy.policy_id.as_deref(), Some("github-prod"));
        assert_eq!(policy.service_principal_id, Some(7395847201938475));
        assert!(policy.is_service_principal_policy());
        let oidc = policy.oidc_policy.as_ref().unwrap();
        assert_eq!(
            oidc.subject.as_deref(),
            Some("repo:example-org/infra:ref:refs/heads/main")
        );
        assert_eq!(oidc.subject_claim_or_default(), "sub");
        assert_eq!(policy.created_at(), policy.updated_at());
        assert!(policy.created_at().is_some());
        let original: Value = serde_json::from_str(SP_POLICY).unwrap();
        assert_eq!(serde_json::to_value(&policy).unwrap(), original);
    }

    #[test]
    fn reads_the_account_policy_list_whose_last_token_is_empty() {
        let page: PoliciesPage = serde_json::from_str(ACCOUNT_LIST).unwrap();
        assert_eq!(page.next_page(), None);
        let policy = &page.policies[0];
        assert!(!policy.is_service_principal_policy());
        let oidc = policy.oidc_policy.as_ref().unwrap();
        assert_eq!(oidc.subject_claim_or_default(), "email");
        assert_eq!(oidc.audiences, ["databricks"]);
        assert!(oidc.subject.is_none());
        let original: Value = serde_json::from_str(ACCOUNT_LIST).unwrap();
        assert_eq!(serde_json::to_value(&page).unwrap(), original);
    }

    #[test]
    fn a_partial_update_body_carries_only_what_is_set() {
        let update = FederationPolicy {
            oidc_policy: Some(OidcPolicy {
                audiences: vec![
                    "databricks".into(),
                    "0d4a3e4c-1b2f-4c5d-9e8f-0123456789ab".into(),
                ],
                ..Default::default()
            }),
            ..Default::default()
        };
        let expected: Value = serde_json::from_str(UPDATE_BODY).unwrap();
        assert_eq!(serde_json::to_value(&update).unwrap(), expected);
    }

    #[test]
    fn unknown_fields_survive_a_round_trip() {
        let body = json!({
            "policy_id": "okta",
            "oidc_policy": {"issuer": "https://idp", "jwks_json": "{\"keys\":[]}",
                            "new_knob": 3},
            "future_flag": true
        });
        let policy: FederationPolicy = serde_json::from_value(body.clone()).unwrap();
        assert_eq!(policy.extra["future_flag"], true);
        assert_eq!(policy.oidc_policy.as_ref().unwrap().extra["new_knob"], 3);
        assert_eq!(serde_json::to_value(&policy).unwrap(), body);
    }

    #[test]
    fn null_audiences_and_missing_policies_read_as_empty() {
        let oidc: OidcPolicy =
            serde_json::from_str(r#"{"issuer": "https://idp", "audiences": null}"#).unwrap();
        assert!(oidc.audiences.is_empty());
        assert_eq!(
            serde_json::to_value(&oidc).unwrap(),
            json!({"issuer": "https://idp"})
        );
        let page: PoliciesPage = serde_json::from_str(r#"{"policies": null}"#).unwrap();
        assert!(page.policies.is_empty());
    }
}
