//! Small snapshot documents and a fixed clock for the rules' tests.

use chrono::{DateTime, Duration, SecondsFormat, Utc};
use serde_json::{Value, json};

use super::{Finding, Thresholds};

/// The tests' "now".
pub fn now() -> DateTime<Utc> {
    DateTime::parse_from_rfc3339("2026-03-01T12:00:00Z")
        .map(|t| t.with_timezone(&Utc))
        .unwrap_or_default()
}

/// An RFC 3339 time `days` from [`now`] (negative: in the past), as the API writes it.
pub fn days_from_now(days: i64) -> String {
    (now() + Duration::days(days)).to_rfc3339_opts(SecondsFormat::Millis, true)
}

/// A snapshot document holding `parts` (an object of snapshot keys).
pub fn snapshot(parts: Value) -> Value {
    let mut document = json!({"format": crate::snapshot::FORMAT});
    if let (Some(document), Value::Object(parts)) = (document.as_object_mut(), parts) {
        document.extend(parts);
    }
    document
}

/// `(rule, resource name)` of every finding of the whole audit with default thresholds.
pub fn audit(parts: Value) -> Vec<(&'static str, String)> {
    pairs(&super::run(&snapshot(parts), &Thresholds::default(), now()))
}

pub fn pairs(findings: &[Finding]) -> Vec<(&'static str, String)> {
    findings
        .iter()
        .map(|f| (f.rule, f.resource_name.clone()))
        .collect()
}

/// Whether the audit of `parts` reports `rule`.
pub fn reports(parts: Value, rule: &str) -> bool {
    audit(parts).iter().any(|(r, _)| *r == rule)
}
