//! Service principal OAuth secrets: expiry, age, how many are live, secrets of inactive
//! service principals, and secrets where workload identity federation would do.

use std::collections::{HashMap, HashSet};

use chrono::{DateTime, Duration, Utc};

use super::{Finding, Severity, Subject, Thresholds};
use crate::snapshot_view::{Account, PolicyScope, Secret, ServicePrincipal};

pub const EXPIRED: &str = "sp.secret-expired";
pub const EXPIRING: &str = "sp.secret-expiring";
pub const NEVER_EXPIRES: &str = "sp.secret-never-expires";
pub const OLD: &str = "sp.secret-old";
pub const AT_CAP: &str = "sp.secrets-at-cap";
pub const ROTATION_UNFINISHED: &str = "sp.rotation-unfinished";
pub const INACTIVE_WITH_SECRETS: &str = "sp.inactive-with-secrets";
pub const NO_FEDERATION: &str = "sp.no-federation-policy";

/// Live secrets per service principal; commonly cited, unconfirmed in the API reference
/// (the fake enforces the same number).
pub const MAX_LIVE_SECRETS: usize = 5;

const SECRET: &str = "service_principal_secret";
const SERVICE_PRINCIPAL: &str = "service_principal";

pub fn check(account: &Account, thresholds: &Thresholds, now: DateTime<Utc>) -> Vec<Finding> {
    let mut by_owner: HashMap<&str, Vec<&Secret>> = HashMap::new();
    for secret in &account.secrets {
        by_owner
            .entry(secret.service_principal_id.as_str())
            .or_default()
            .push(secret);
    }
    let federated: HashSet<&str> = account
        .federation_policies
        .iter()
        .filter_map(|policy| match &policy.scope {
            PolicyScope::ServicePrincipal(id) => Some(id.as_str()),
            PolicyScope::Account => None,
        })
        .collect();
    let service_principals: HashMap<&str, &ServicePrincipal> = account
        .service_principals
        .iter()
        .map(|sp| (sp.id.as_str(), sp))
        .collect();
    let mut findings = Vec::new();
    for (owner_id, secrets) in by_owner {
        let owner = service_principals.get(owner_id).copied();
        let name = owner.map_or(owner_id, |sp| sp.display_name.as_str());
        for secret in &secrets {
            secret_findings(secret, name, thresholds, now, &mut findings);
        }
        let live = secrets.iter().filter(|s| s.is_live(now)).count();
        if live == 0 {
            continue;
        }
        let subject = Subject {
            resource_type: SERVICE_PRINCIPAL,
            id: owner_id,
            name,
        };
        let is_active = owner.is_none_or(|sp: &ServicePrincipal| sp.is_active);
        owner_findings(
            subject,
            live,
            is_active,
            federated.contains(owner_id),
            &mut findings,
        );
    }
    findings
}

fn owner_findings(
    subject: Subject<'_>,
    live: usize,
    is_active: bool,
    is_federated: bool,
    findings: &mut Vec<Finding>,
) {
    if live >= MAX_LIVE_SECRETS {
        findings.push(Finding::new(
            AT_CAP,
            Severity::Medium,
            subject,
            format!("has {live} live secrets, the most allowed: no room to rotate, and every one is a working credential"),
            "Find which secret is in use, delete the others, then rotate.",
        ));
    } else if live > 1 {
        findings.push(Finding::new(
            ROTATION_UNFINISHED,
            Severity::Low,
            subject,
            format!("has {live} live secrets: a rotation looks unfinished"),
            "Once every client uses the newest secret, delete the older ones.",
        ));
    }
    if !is_active {
        findings.push(Finding::new(
            INACTIVE_WITH_SECRETS,
            Severity::Medium,
            subject,
            format!("is deactivated but still has {live} live secret(s), which work again if it is reactivated"),
            "Delete its secrets, or the service principal if it is no longer needed.",
        ));
    } else if !is_federated {
        findings.push(Finding::new(
            NO_FEDERATION,
            Severity::Info,
            subject,
            "signs in with long-lived secrets and has no federation policy".into(),
            "Where its workload runs in GitHub Actions, GitLab, Azure DevOps or Kubernetes, add a federation policy (workload identity federation) and retire the secrets.",
        ));
    }
}

fn secret_findings(
    secret: &Secret,
    owner_name: &str,
    thresholds: &Thresholds,
    now: DateTime<Utc>,
    findings: &mut Vec<Finding>,
) {
    let subject = Subject {
        resource_type: SECRET,
        id: &secret.id,
        name: owner_name,
    };
    let short_id: String = secret.id.chars().take(8).collect();
    let date = |time: DateTime<Utc>| time.format("%Y-%m-%d").to_string();
    if secret.is_expired(now) {
        let when = secret
            .expires_at()
            .map(|at| format!(" on {}", date(at)))
            .unwrap_or_default();
        findings.push(Finding::new(
            EXPIRED,
            Severity::Low,
            subject,
            format!("secret {short_id} expired{when} but was never deleted"),
            "Delete the expired secret; check that nothing still tries to use it.",
        ));
        return;
    }
    if !secret.is_live(now) {
        return;
    }
    match secret.expires_at() {
        None => findings.push(Finding::new(
            NEVER_EXPIRES,
            Severity::High,
            subject,
            format!("secret {short_id} never expires: if it leaks, it works forever"),
            "Create a secret with a lifetime, move clients to it, and delete this one.",
        )),
        Some(at) if at <= now + Duration::days(thresholds.secret_expiring_within_days) => {
            let days = (at - now).num_days();
            findings.push(Finding::new(
                EXPIRING,
                Severity::Medium,
                subject,
                format!(
                    "secret {short_id} expires on {} (in {days} day{})",
                    date(at),
                    if days == 1 { "" } else { "s" }
                ),
                "Rotate now: create a new secret, move clients to it, delete the old one.",
            ));
        }
        Some(_) => {}
    }
    if let Some(created) = secret.created_at() {
        let age = (now - created).num_days();
        if age > thresholds.secret_max_age_days {
            findings.push(Finding::new(
                OLD,
                Severity::Medium,
                subject,
                format!(
                    "secret {short_id} was created {age} days ago, more than the {} days allowed by the audit thresholds",
                    thresholds.secret_max_age_days
                ),
                "Rotate it: create a new secret, move clients to it, delete this one.",
            ));
        }
    }
}

#[cfg(test)]
mod tests {
    use serde_json::{Value, json};

    use super::super::fixtures::{audit, days_from_now};
    use super::*;

    /// One SP, `active`, with secrets made of `(created days ago, expires in days)`.
    fn sp_with(active: bool, secrets: &[(i64, Option<i64>)], federated: bool) -> Value {
        let secrets: Vec<Value> = secrets
            .iter()
            .enumerate()
            .map(|(n, (created, expires))| {
                let mut secret = json!({"id": format!("secret{n}"), "status": "ACTIVE",
                                        "create_time": days_from_now(-created)});
                if let Some(expires) = expires {
                    secret["expire_time"] = json!(days_from_now(*expires));
                }
                secret
            })
            .collect();
        let policies = if federated {
            json!([{"policy_id": "gh", "oidc_policy": {"issuer": "https://token.actions.githubusercontent.com",
                "audiences": ["a"], "subject": "repo:o/r:environment:prod"}}])
        } else {
            json!([])
        };
        json!({
            "service_principals": [{"id": "5", "displayName": "etl", "active": active}],
            "service_principal_secrets": {"5": secrets},
            "service_principal_federation_policies": {"5": policies}
        })
    }

    fn rules(parts: Value) -> Vec<&'static str> {
        audit(parts).into_iter().map(|(rule, _)| rule).collect()
    }

    #[test]
    fn a_fresh_secret_of_a_federated_sp_is_fine() {
        assert!(rules(sp_with(true, &[(10, Some(300))], true)).is_empty());
    }

    #[test]
    fn expired_secrets() {
        assert_eq!(
            rules(sp_with(true, &[(800, Some(-70))], true)),
            vec![EXPIRED]
        );
        assert!(!rules(sp_with(true, &[(10, Some(1))], true)).contains(&EXPIRED));
    }

    #[test]
    fn expiring_secrets() {
        assert_eq!(
            rules(sp_with(true, &[(80, Some(10))], true)),
            vec![EXPIRING]
        );
        assert_eq!(
            rules(sp_with(true, &[(80, Some(31))], true)),
            Vec::<&str>::new()
        );
    }

    #[test]
    fn never_expiring_secrets() {
        assert_eq!(
            rules(sp_with(true, &[(200, None)], true)),
            vec![NEVER_EXPIRES]
        );
        assert!(!rules(sp_with(true, &[(200, Some(200))], true)).contains(&NEVER_EXPIRES));
    }

    #[test]
    fn old_secrets() {
        assert_eq!(rules(sp_with(true, &[(450, Some(280))], true)), vec![OLD]);
        assert!(rules(sp_with(true, &[(365, Some(365))], true)).is_empty());
        let all = audit(sp_with(true, &[(720, Some(10))], true));
        assert_eq!(
            all,
            vec![(EXPIRING, "etl".to_owned()), (OLD, "etl".to_owned())]
        );
    }

    #[test]
    fn several_live_secrets_mean_an_unfinished_rotation() {
        assert_eq!(
            rules(sp_with(true, &[(340, Some(390)), (3, Some(727))], true)),
            vec![ROTATION_UNFINISHED]
        );
        // An expired secret does not count as live.
        assert_eq!(
            rules(sp_with(true, &[(800, Some(-70)), (12, Some(718))], true)),
            vec![EXPIRED]
        );
    }

    #[test]
    fn five_live_secrets_are_at_the_cap() {
        let five = [
            (340, Some(390)),
            (270, Some(460)),
            (180, Some(550)),
            (95, Some(635)),
            (21, Some(709)),
        ];
        assert_eq!(rules(sp_with(true, &five, true)), vec![AT_CAP]);
        assert!(!rules(sp_with(true, &five[..4], true)).contains(&AT_CAP));
    }

    #[test]
    fn inactive_service_principals_with_live_secrets() {
        assert_eq!(
            rules(sp_with(false, &[(150, Some(580))], false)),
            vec![INACTIVE_WITH_SECRETS]
        );
        assert!(rules(sp_with(false, &[(800, Some(-70))], false)) == vec![EXPIRED]);
    }

    #[test]
    fn secrets_without_a_federation_policy() {
        assert_eq!(
            audit(sp_with(true, &[(10, Some(300))], false)),
            vec![(NO_FEDERATION, "etl".to_owned())]
        );
        assert!(rules(sp_with(true, &[], false)).is_empty());
    }
}
