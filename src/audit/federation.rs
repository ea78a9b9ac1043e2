//! Federation policies, account-wide and per service principal: the issuer, the audiences
//! and, for service principals, how many workloads the subject lets in.

use super::{Finding, Severity, Subject, subjects};
use crate::snapshot_view::{Account, FederationPolicy, PolicyScope};

pub const HTTP_ISSUER: &str = "federation.http-issuer";
pub const NO_AUDIENCES: &str = "federation.no-audiences";
pub const BROAD_SUBJECT: &str = "federation.broad-subject";

pub fn check(account: &Account) -> Vec<Finding> {
    let directory = account.directory();
    let mut findings = Vec::new();
    for policy in &account.federation_policies {
        let (key, name) = (policy.key(), directory.policy_name(policy));
        let subject = Subject {
            resource_type: policy.resource_type(),
            id: &key,
            name: &name,
        };
        policy_findings(policy, subject, &mut findings);
    }
    findings
}

fn policy_findings(policy: &FederationPolicy, subject: Subject<'_>, findings: &mut Vec<Finding>) {
    let issuer = policy.issuer.as_deref().unwrap_or_default();
    if issuer.trim().to_ascii_lowercase().starts_with("http://") {
        findings.push(Finding::new(
            HTTP_ISSUER,
            Severity::High,
            subject,
            format!(
                "trusts issuer {issuer} over plain http: whoever can tamper with that traffic can swap the signing keys and mint accepted tokens"
            ),
            "Serve the identity provider's discovery and keys over https and update the issuer, or delete the policy.",
        ));
    }
    if policy.audiences.is_empty() {
        findings.push(Finding::new(
            NO_AUDIENCES,
            Severity::Medium,
            subject,
            "lists no audiences, so it accepts the default (the account id) rather than an audience minted for Databricks alone".into(),
            "Set audiences to a value your identity provider issues only for this integration.",
        ));
    }
    if matches!(policy.scope, PolicyScope::ServicePrincipal(_))
        && let Some((severity, why)) = subjects::breadth(
            policy.issuer.as_deref(),
            policy.subject_claim.as_deref(),
            policy.subject.as_deref(),
        )
    {
        findings.push(Finding::new(
            BROAD_SUBJECT,
            severity,
            subject,
            why,
            "Pin the subject to one workload: for GitHub Actions repo:<org>/<repo>:environment:<name> or :ref:refs/heads/<branch>.",
        ));
    }
}

#[cfg(test)]
mod tests {
    use serde_json::{Value, json};

    use super::super::fixtures::audit;
    use super::*;

    fn account_policy(oidc: Value) -> Value {
        json!({"account_federation_policies": [{"policy_id": "okta", "oidc_policy": oidc}]})
    }

    fn sp_policy(oidc: Value) -> Value {
        json!({
            "service_principals": [{"id": "5", "displayName": "deployer"}],
            "service_principal_federation_policies": {"5": [{"policy_id": "gh", "oidc_policy": oidc}]}
        })
    }

    #[test]
    fn http_issuers() {
        let http = json!({"issuer": "http://idp.example", "audiences": ["databricks"], "subject_claim": "email"});
        assert_eq!(
            audit(account_policy(http)),
            vec![(HTTP_ISSUER, "okta".to_owned())]
        );
        let https = json!({"issuer": "https://idp.example", "audiences": ["databricks"]});
        assert!(audit(account_policy(https)).is_empty());
    }

    #[test]
    fn missing_audiences() {
        let none = json!({"issuer": "https://idp.example"});
        assert_eq!(
            audit(account_policy(none)),
            vec![(NO_AUDIENCES, "okta".to_owned())]
        );
        let empty = json!({"issuer": "https://idp.example", "audiences": []});
        assert_eq!(audit(account_policy(empty)).len(), 1);
    }

    #[test]
    fn broad_subjects_of_service_principal_policies() {
        let broad = json!({"issuer": "https://token.actions.githubusercontent.com",
                           "audiences": ["https://github.com/org"], "subject": "repo:org/*"});
        assert_eq!(
            audit(sp_policy(broad)),
            vec![(BROAD_SUBJECT, "deployer/gh".to_owned())]
        );
        let pinned = json!({"issuer": "https://token.actions.githubusercontent.com",
                            "audiences": ["https://github.com/org"],
                            "subject": "repo:org/infra:environment:prod"});
        assert!(audit(sp_policy(pinned)).is_empty());
    }

    #[test]
    fn account_policies_have_no_subject_to_judge() {
        let account_wide = json!({"issuer": "https://idp.example", "audiences": ["databricks"],
                                  "subject_claim": "email"});
        assert!(audit(account_policy(account_wide)).is_empty());
    }
}
