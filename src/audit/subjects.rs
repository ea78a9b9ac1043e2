//! Whether a service principal federation policy pins one workload or lets many through,
//! judged by the subject conventions of the CI system or cluster that issues the tokens.

use url::Url;

use super::Severity;

/// `Some((severity, why))` when the policy accepts more workloads than one.
pub fn breadth(
    issuer: Option<&str>,
    subject_claim: Option<&str>,
    subject: Option<&str>,
) -> Option<(Severity, String)> {
    let subject = subject.map(str::trim).unwrap_or_default();
    if subject.is_empty() {
        return Some((
            Severity::High,
            "has no subject, so any token of the issuer with a matching audience is accepted"
                .into(),
        ));
    }
    if subject.contains('*') {
        return Some((
            Severity::High,
            format!("subject '{subject}' is a wildcard pattern"),
        ));
    }
    let claim = subject_claim.unwrap_or("sub");
    let issuer = issuer.and_then(|i| Url::parse(i).ok());
    let host = issuer
        .as_ref()
        .and_then(|u| u.host_str())
        .unwrap_or_default()
        .to_ascii_lowercase();
    let path = issuer.as_ref().map(Url::path).unwrap_or_default();
    if host == "token.actions.githubusercontent.com" || path.ends_with("/_services/token") {
        github(claim, subject)
    } else if host.contains("gitlab") {
        gitlab(claim, subject)
    } else if subject.starts_with("sc://") {
        azure_devops(subject)
    } else if let Some(rest) = subject.strip_prefix("system:serviceaccount:") {
        kubernetes(rest)
    } else {
        None
    }
}

fn github(claim: &str, subject: &str) -> Option<(Severity, String)> {
    match claim {
        "repository_owner" | "repository_owner_id" => {
            return Some((
                Severity::High,
                format!("matches the {claim} claim: every repository of '{subject}' can sign in"),
            ));
        }
        "repository" | "repository_id" => {
            return Some((
                Severity::Medium,
                format!(
                    "matches the {claim} claim: any branch, pull request or environment of '{subject}' can sign in"
                ),
            ));
        }
        "sub" => {}
        _ => return None,
    }
    let repository = subject
        .strip_prefix("repo:")
        .and_then(|rest| rest.split(':').next())
        .filter(|repo| {
            repo.split_once('/')
                .is_some_and(|(o, r)| !o.is_empty() && !r.is_empty())
        });
    let Some(repository) = repository else {
        return Some((
            Severity::High,
            format!("GitHub Actions subject '{subject}' names no repository"),
        ));
    };
    let qualifier = &subject["repo:".len() + repository.len()..];
    if qualifier.contains(":environment:") || qualifier.contains(":ref:") {
        None
    } else if qualifier == ":pull_request" {
        Some((
            Severity::Medium,
            format!(
                "subject '{subject}' accepts the workflow of any pull request, unreviewed code included"
            ),
        ))
    } else {
        Some((
            Severity::Medium,
            format!("subject '{subject}' pins no environment or branch of {repository}"),
        ))
    }
}

fn gitlab(claim: &str, subject: &str) -> Option<(Severity, String)> {
    match claim {
        "namespace_path" | "namespace_id" => Some((
            Severity::High,
            format!("matches the {claim} claim: every project of '{subject}' can sign in"),
        )),
        "project_path" | "project_id" => Some((
            Severity::Medium,
            format!("matches the {claim} claim: any branch of '{subject}' can sign in"),
        )),
        "sub" if !subject.starts_with("project_path:") => Some((
            Severity::High,
            format!("GitLab subject '{subject}' names no project"),
        )),
        "sub" if !subject.contains(":ref:") => Some((
            Severity::Medium,
            format!("GitLab subject '{subject}' pins no branch or tag"),
        )),
        _ => None,
    }
}

fn azure_devops(subject: &str) -> Option<(Severity, String)> {
    let parts: Vec<&str> = subject["sc://".len()..].split('/').collect();
    let is_pinned = parts.len() == 3 && parts.iter().all(|p| !p.is_empty());
    (!is_pinned).then(|| {
        (
            Severity::Medium,
            format!("Azure DevOps subject '{subject}' does not name organisation, project and service connection"),
        )
    })
}

fn kubernetes(rest: &str) -> Option<(Severity, String)> {
    let is_pinned = rest
        .split_once(':')
        .is_some_and(|(namespace, account)| !namespace.is_empty() && !account.is_empty());
    (!is_pinned).then(|| {
        (
            Severity::Medium,
            format!("Kubernetes subject 'system:serviceaccount:{rest}' does not name a namespace and service account"),
        )
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    const GITHUB: Option<&str> = Some("https://token.actions.githubusercontent.com");
    const GITLAB: Option<&str> = Some("https://gitlab.com");

    fn severity(issuer: Option<&str>, claim: Option<&str>, subject: &str) -> Option<Severity> {
        breadth(issuer, claim, Some(subject)).map(|(severity, _)| severity)
    }

    #[test]
    fn github_subjects() {
        let narrow = [
            "repo:org/infra:environment:prod",
            "repo:org/infra:ref:refs/heads/main",
            "repo:org/infra:ref:refs/tags/v1",
        ];
        for subject in narrow {
            assert_eq!(severity(GITHUB, None, subject), None, "{subject}");
        }
        assert_eq!(severity(GITHUB, None, "repo:org/*"), Some(Severity::High));
        assert_eq!(severity(GITHUB, None, "*"), Some(Severity::High));
        assert_eq!(severity(GITHUB, None, "org"), Some(Severity::High));
        assert_eq!(
            severity(GITHUB, None, "repo:org/infra:pull_request"),
            Some(Severity::Medium)
        );
        assert_eq!(
            severity(GITHUB, None, "repo:org/infra"),
            Some(Severity::Medium)
        );
        assert_eq!(
            severity(GITHUB, Some("repository_owner"), "org"),
            Some(Severity::High)
        );
        assert_eq!(
            severity(GITHUB, Some("repository"), "org/infra"),
            Some(Severity::Medium)
        );
        assert_eq!(severity(GITHUB, Some("job_workflow_ref"), "x"), None);
        let enterprise = Some("https://github.example.com/_services/token");
        assert_eq!(
            severity(enterprise, None, "repo:org/infra"),
            Some(Severity::Medium)
        );
    }

    #[test]
    fn gitlab_subjects() {
        assert_eq!(
            severity(
                GITLAB,
                None,
                "project_path:grp/etl:ref_type:branch:ref:main"
            ),
            None
        );
        assert_eq!(
            severity(GITLAB, None, "project_path:grp/etl"),
            Some(Severity::Medium)
        );
        assert_eq!(severity(GITLAB, None, "grp"), Some(Severity::High));
        assert_eq!(
            severity(GITLAB, Some("namespace_path"), "grp"),
            Some(Severity::High)
        );
    }

    #[test]
    fn azure_devops_and_kubernetes_subjects() {
        let azure = Some("https://vstoken.dev.azure.com/5f2d8c1e");
        assert_eq!(
            severity(azure, None, "sc://org/infra/prod-connection"),
            None
        );
        assert_eq!(
            severity(azure, None, "sc://org/infra"),
            Some(Severity::Medium)
        );
        let cluster = Some("https://oidc.cluster.example");
        assert_eq!(
            severity(cluster, None, "system:serviceaccount:ml:scorer"),
            None
        );
        assert_eq!(
            severity(cluster, None, "system:serviceaccount:ml:"),
            Some(Severity::Medium)
        );
    }

    #[test]
    fn missing_subjects_and_unknown_issuers() {
        assert_eq!(
            breadth(GITHUB, None, None).map(|(s, _)| s),
            Some(Severity::High)
        );
        assert_eq!(severity(Some("https://idp.example"), None, "svc-42"), None);
        assert_eq!(
            severity(Some("https://idp.example"), None, "svc-*"),
            Some(Severity::High)
        );
    }
}
