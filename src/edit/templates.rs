//! Starting points for service-principal federation policies of common workload issuers
//! (GitHub Actions, Azure DevOps, GitLab, Kubernetes). A template fills issuer, audiences,
//! subject claim and a subject with `<placeholders>` the admin replaces; validation warns
//! while any remain.

use crate::api::models::OidcPolicy;

/// Stands for the account id in audiences; [`IssuerTemplate::to_oidc_policy`] fills it in.
pub const ACCOUNT_ID_PLACEHOLDER: &str = "<account_id>";

/// One shape of subject a workload presents, e.g. "a deployment environment".
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SubjectPattern {
    pub label: &'static str,
    pub pattern: &'static str,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct IssuerTemplate {
    /// Stable key for menus and tests.
    pub key: &'static str,
    pub label: &'static str,
    pub issuer: &'static str,
    pub audiences: &'static [&'static str],
    /// `None` keeps the server default, `sub`.
    pub subject_claim: Option<&'static str>,
    /// The first is what the form starts with; the others are offered as alternatives.
    pub subject_patterns: &'static [SubjectPattern],
    /// Where to find the values, shown under the form.
    pub hint: &'static str,
}

impl IssuerTemplate {
    /// The policy a form starts from: the first subject pattern, and the account id in the
    /// audiences when known (the SDKs request the account id as audience by default).
    pub fn to_oidc_policy(&self, account_id: Option<&str>) -> OidcPolicy {
        let audiences = self
            .audiences
            .iter()
            .map(|audience| match account_id {
                Some(id) if !id.is_empty() => audience.replace(ACCOUNT_ID_PLACEHOLDER, id),
                _ => (*audience).to_owned(),
            })
            .collect();
        OidcPolicy {
            issuer: Some(self.issuer.to_owned()),
            audiences,
            subject_claim: self.subject_claim.map(str::to_owned),
            subject: self.subject_patterns.first().map(|p| p.pattern.to_owned()),
            ..OidcPolicy::default()
        }
    }
}

pub const TEMPLATES: &[IssuerTemplate] = &[
    IssuerTemplate {
        key: "github-actions",
        label: "GitHub Actions",
        issuer: "https://token.actions.githubusercontent.com",
        audiences: &[ACCOUNT_ID_PLACEHOLDER],
        subject_claim: None,
        subject_patterns: &[
            SubjectPattern {
                label: "deployment environment",
                pattern: "repo:<org>/<repo>:environment:<environment>",
            },
            SubjectPattern {
                label: "branch",
                pattern: "repo:<org>/<repo>:ref:refs/heads/<branch>",
            },
            SubjectPattern {
                label: "tag",
                pattern: "repo:<org>/<repo>:ref:refs/tags/<tag>",
            },
            SubjectPattern {
                label: "pull requests",
                pattern: "repo:<org>/<repo>:pull_request",
            },
        ],
        hint: "The workflow needs `permissions: id-token: write`. A workflow that requests no audience gets GitHub's default, https://github.com/<org>; use that as the audience then.",
    },
    IssuerTemplate {
        key: "azure-devops",
        label: "Azure DevOps",
        issuer: "https://vstoken.dev.azure.com/<organization_id>",
        audiences: &["api://AzureADTokenExchange"],
        subject_claim: None,
        subject_patterns: &[SubjectPattern {
            label: "service connection",
            pattern: "sc://<organization>/<project>/<service_connection>",
        }],
        hint: "The organization id (a GUID) and the exact subject are shown on the service connection's workload identity federation details.",
    },
    IssuerTemplate {
        key: "gitlab",
        label: "GitLab CI/CD",
        issuer: "https://gitlab.com",
        audiences: &[ACCOUNT_ID_PLACEHOLDER],
        subject_claim: None,
        subject_patterns: &[
            SubjectPattern {
                label: "branch",
                pattern: "project_path:<group>/<project>:ref_type:branch:ref:<branch>",
            },
            SubjectPattern {
                label: "tag",
                pattern: "project_path:<group>/<project>:ref_type:tag:ref:<tag>",
            },
        ],
        hint: "For self-managed GitLab use its own URL as the issuer. The audience is the `aud` of the job's `id_tokens` entry in .gitlab-ci.yml.",
    },
    IssuerTemplate {
        key: "kubernetes",
        label: "Kubernetes service account",
        issuer: "<cluster_issuer_url>",
        audiences: &[ACCOUNT_ID_PLACEHOLDER],
        subject_claim: None,
        subject_patterns: &[SubjectPattern {
            label: "service account",
            pattern: "system:serviceaccount:<namespace>:<service_account>",
        }],
        hint: "The issuer is the `issuer` of the cluster's /.well-known/openid-configuration; it must be reachable over https. The audience is the one set on the projected service account token.",
    },
];

pub fn template(key: &str) -> Option<&'static IssuerTemplate> {
    TEMPLATES.iter().find(|t| t.key == key)
}

/// The `<placeholders>` still in `text` (`<org>`, `<account_id>`...): a `<`, lower-case
/// letters, digits or `_`, and a `>`. Other uses of `<` are left alone.
pub fn placeholders(text: &str) -> Vec<&str> {
    let mut found = Vec::new();
    let mut rest = text;
    while let Some(start) = rest.find('<') {
        let after = &rest[start + 1..];
        let name_len = after
            .find(|c: char| !(c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_'))
            .unwrap_or(after.len());
        if name_len > 0 && after[name_len..].starts_with('>') {
            found.push(&rest[start..start + name_len + 2]);
            rest = &after[name_len + 1..];
        } else {
            rest = after;
        }
    }
    found
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::edit::validate::{PolicyScope, validate_federation_policy};

    #[test]
    fn finds_placeholders_and_ignores_other_angle_brackets() {
        assert_eq!(
            placeholders("repo:<org>/<repo>:environment:<environment>"),
            ["<org>", "<repo>", "<environment>"]
        );
        assert_eq!(
            placeholders("a < b > c, <Upper>, <>, <x"),
            Vec::<&str>::new()
        );
        assert_eq!(placeholders("<<account_id>>"), ["<account_id>"]);
        assert!(placeholders("repo:acme/infra:environment:prod").is_empty());
    }

    #[test]
    fn every_template_starts_a_policy_that_warns_until_placeholders_are_replaced() {
        for template in TEMPLATES {
            let policy = template.to_oidc_policy(Some("0d4a3e4c-1b2f-4c5d-9e8f-0123456789ab"));
            let validation =
                validate_federation_policy(PolicyScope::ServicePrincipal, Some("ci-prod"), &policy);
            assert!(
                validation.is_valid(),
                "{}: {:?}",
                template.key,
                validation.errors
            );
            let subject_warnings = validation.warnings_for("oidc_policy.subject");
            assert!(
                subject_warnings.iter().any(|w| w.contains("placeholder")),
                "{}: {subject_warnings:?}",
                template.key
            );
            assert!(
                policy
                    .audiences
                    .iter()
                    .all(|a| !a.contains(ACCOUNT_ID_PLACEHOLDER)),
                "{}",
                template.key
            );
        }
    }

    #[test]
    fn github_template_fills_the_documented_values() {
        let github = template("github-actions").unwrap();
        let policy = github.to_oidc_policy(Some("acct-1"));
        assert_eq!(
            policy.issuer.as_deref(),
            Some("https://token.actions.githubusercontent.com")
        );
        assert_eq!(policy.audiences, ["acct-1"]);
        assert_eq!(policy.subject_claim, None);
        assert_eq!(
            policy.subject.as_deref(),
            Some("repo:<org>/<repo>:environment:<environment>")
        );
        let unknown_account = github.to_oidc_policy(None);
        assert_eq!(unknown_account.audiences, [ACCOUNT_ID_PLACEHOLDER]);
        assert!(template("jenkins").is_none());
    }

    #[test]
    fn a_filled_in_template_validates_cleanly() {
        let mut policy = template("azure-devops").unwrap().to_oidc_policy(None);
        policy.issuer =
            Some("https://vstoken.dev.azure.com/5f2d8c1e-4a7b-4e9d-9c3f-1b6a0e8d7f24".into());
        policy.subject = Some("sc://northwind/infra/prod-connection".into());
        let validation =
            validate_federation_policy(PolicyScope::ServicePrincipal, Some("azdo-prod"), &policy);
        assert_eq!(validation, Default::default());
    }
}
