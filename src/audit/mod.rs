//! The account audit: pure rules over a snapshot document that return findings, each with
//! a stable rule id, a severity, the resource it is about, what is wrong and how to fix it.
//! Used by `dbx-console audit`, and meant for the console's audit pane.

mod apps;
mod federation;
mod principals;
mod secrets;
mod subjects;
mod thresholds;
mod workspaces;

#[cfg(test)]
mod fixtures;

use std::fmt;

use chrono::{DateTime, Utc};
use serde::Serialize;
use serde_json::Value;

pub use thresholds::{FILE_NAME as THRESHOLDS_FILE, Thresholds};

use crate::snapshot_view::Account;

/// Ordered: `Info < Low < Medium < High`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    Info,
    Low,
    Medium,
    High,
}

impl Severity {
    pub const ALL: [Severity; 4] = [
        Severity::High,
        Severity::Medium,
        Severity::Low,
        Severity::Info,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Info => "info",
            Severity::Low => "low",
            Severity::Medium => "medium",
            Severity::High => "high",
        }
    }
}

impl fmt::Display for Severity {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// One problem (or, at `Info`, one fact worth reviewing) about one resource.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Finding {
    /// Stable id such as `app.all-apis-scope`; safe to match on in scripts.
    pub rule: &'static str,
    pub severity: Severity,
    pub resource_type: &'static str,
    pub resource_id: String,
    pub resource_name: String,
    pub message: String,
    pub fix: String,
}

/// The resource a finding is about.
#[derive(Clone, Copy)]
pub(crate) struct Subject<'a> {
    pub resource_type: &'static str,
    pub id: &'a str,
    pub name: &'a str,
}

impl Finding {
    pub(crate) fn new(
        rule: &'static str,
        severity: Severity,
        subject: Subject<'_>,
        message: String,
        fix: impl Into<String>,
    ) -> Finding {
        Finding {
            rule,
            severity,
            resource_type: subject.resource_type,
            resource_id: subject.id.to_owned(),
            // A nameless resource is still findable by its id.
            resource_name: if subject.name.is_empty() {
                subject.id.to_owned()
            } else {
                subject.name.to_owned()
            },
            message,
            fix: fix.into(),
        }
    }
}

/// How many findings there are at each severity.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct Summary {
    pub high: usize,
    pub medium: usize,
    pub low: usize,
    pub info: usize,
    pub total: usize,
}

impl Summary {
    pub fn of(findings: &[Finding]) -> Summary {
        let mut summary = Summary::default();
        for finding in findings {
            *summary.count_mut(finding.severity) += 1;
            summary.total += 1;
        }
        summary
    }

    pub fn count(&self, severity: Severity) -> usize {
        match severity {
            Severity::High => self.high,
            Severity::Medium => self.medium,
            Severity::Low => self.low,
            Severity::Info => self.info,
        }
    }

    fn count_mut(&mut self, severity: Severity) -> &mut usize {
        match severity {
            Severity::High => &mut self.high,
            Severity::Medium => &mut self.medium,
            Severity::Low => &mut self.low,
            Severity::Info => &mut self.info,
        }
    }

    /// Whether any finding is at `threshold` or above.
    pub fn has_at_least(&self, threshold: Severity) -> bool {
        Severity::ALL
            .into_iter()
            .any(|severity| severity >= threshold && self.count(severity) > 0)
    }
}

/// Every rule over `snapshot`, most severe first, then by resource; `now` is a parameter so
/// expiry and age rules are testable with a fixed clock.
pub fn run(snapshot: &Value, thresholds: &Thresholds, now: DateTime<Utc>) -> Vec<Finding> {
    let account = Account::from_snapshot(snapshot);
    let mut findings = Vec::new();
    findings.extend(apps::check(&account, thresholds));
    findings.extend(secrets::check(&account, thresholds, now));
    findings.extend(federation::check(&account));
    findings.extend(principals::check(&account));
    findings.extend(workspaces::check(&account));
    sort(&mut findings);
    findings
}

fn sort(findings: &mut [Finding]) {
    findings.sort_by(|a, b| {
        b.severity
            .cmp(&a.severity)
            .then_with(|| a.resource_type.cmp(b.resource_type))
            .then_with(|| a.resource_name.cmp(&b.resource_name))
            .then_with(|| a.resource_id.cmp(&b.resource_id))
            .then_with(|| a.rule.cmp(b.rule))
    });
}

#[cfg(test)]
mod tests {
    use super::fixtures::{now, snapshot};
    use super::*;
    use serde_json::json;

    #[test]
    fn severities_are_ordered_and_serialised_in_lowercase() {
        assert!(Severity::High > Severity::Medium);
        assert!(Severity::Medium > Severity::Low);
        assert!(Severity::Low > Severity::Info);
        assert_eq!(serde_json::to_value(Severity::Medium).unwrap(), "medium");
    }

    #[test]
    fn findings_are_sorted_by_severity_then_resource() {
        let document = snapshot(json!({
            "groups": [{"id": "7", "displayName": "zz-empty"}, {"id": "8", "displayName": "aa-empty"}],
            "users": [{"id": "1", "userName": "gone@x", "active": false,
                       "roles": [{"value": "account_admin"}]}]
        }));
        let findings = run(&document, &Thresholds::default(), now());
        let order: Vec<(Severity, &str, &str)> = findings
            .iter()
            .map(|f| (f.severity, f.rule, f.resource_name.as_str()))
            .collect();
        assert_eq!(
            order,
            vec![
                (Severity::High, "admin.inactive", "gone@x"),
                (Severity::Low, "group.empty", "aa-empty"),
                (Severity::Low, "group.empty", "zz-empty"),
                (Severity::Info, "admin.account-admin", "gone@x"),
            ]
        );
    }

    #[test]
    fn the_summary_counts_each_severity() {
        let finding = |severity| {
            Finding::new(
                "r",
                severity,
                Subject {
                    resource_type: "t",
                    id: "1",
                    name: "",
                },
                String::new(),
                "",
            )
        };
        let findings = [
            finding(Severity::High),
            finding(Severity::Low),
            finding(Severity::Low),
        ];
        let summary = Summary::of(&findings);
        assert_eq!((summary.high, summary.low, summary.total), (1, 2, 3));
        assert_eq!(findings[0].resource_name, "1");
        assert!(summary.has_at_least(Severity::High));
        assert!(summary.has_at_least(Severity::Low));
        assert!(!Summary::of(&findings[1..]).has_at_least(Severity::Medium));
        assert_eq!(
            serde_json::to_value(summary).unwrap(),
            json!({"high": 1, "medium": 0, "low": 2, "info": 0, "total": 3})
        );
    }

    #[test]
    fn an_empty_snapshot_has_no_findings() {
        assert!(run(&snapshot(json!({})), &Thresholds::default(), now()).is_empty());
    }
}
