//! `audit` through the real binary: the risks the demo seed plants, each reported once;
//! `--fail-on` exit statuses; thresholds from `audit.json` and flags; outputs and errors.
//!
//! The demo seed's times are relative to when the fake starts (`created_days_ago`,
//! `lifetime_days`), and the audit runs moments later, so expiry and age findings do not
//! depend on today's date.

use std::collections::BTreeMap;

use chrono::{Duration, SecondsFormat, Utc};
use serde_json::{Value, json};

use crate::support::{FakeAccount, Sandbox, run, text};

/// What `assets/demo-seed.json` plants, as `(rule, resource name)`, at low severity or
/// above. Info findings (admins, SPs without federation) are checked on their own.
const PLANTED: [(&str, &str); 22] = [
    ("admin.inactive", "henrik.lindqvist@northwind.example"),
    ("app.all-apis-scope", "Ops Metrics Bot"),
    ("app.redirect-plain-http", "Internal Reports Server"),
    ("app.redirect-wildcard", "Streamlit Team Apps"),
    ("app.refresh-ttl-long", "Superset (self-hosted)"),
    ("app.refresh-ttl-without-offline-access", "Ops Metrics Bot"),
    ("app.single-use-refresh-off", "Superset (self-hosted)"),
    (
        "federation.broad-subject",
        "terraform-account/github-pr-plan",
    ),
    ("federation.http-issuer", "legacy-idp"),
    ("group.empty", "legacy-etl-2019"),
    ("sp.inactive-with-secrets", "informatica-legacy"),
    ("sp.rotation-unfinished", "hightouch-reverse-etl"),
    ("sp.secret-expired", "fivetran-ingest"),
    ("sp.secret-expiring", "airflow-prod"),
    ("sp.secret-expiring", "dbt-cloud"),
    ("sp.secret-never-expires", "monte-carlo-observability"),
    ("sp.secret-old", "airflow-prod"),
    ("sp.secret-old", "looker-service"),
    ("sp.secrets-at-cap", "jenkins-legacy"),
    (
        "user.inactive-workspace-assignment",
        "priya.raman@northwind.example",
    ),
    (
        "user.inactive-workspace-assignment",
        "tomas.herrera@northwind.example",
    ),
    ("workspace.admin-to-user", "ml-prod"),
];

const DEMO_ADMINS: [&str; 9] = [
    "account-admins",
    "identity-sync",
    "terraform-account",
    "ana.silva@northwind.example",
    "dbx-breakglass@northwind.example",
    "grace.mwangi@northwind.example",
    "henrik.lindqvist@northwind.example",
    "lukas.becker@northwind.example",
    "rahul.mehta@northwind.example",
];

fn json_of(output: &std::process::Output) -> Value {
    serde_json::from_slice(&output.stdout)
        .unwrap_or_else(|e| panic!("stdout is not JSON ({e}): {}", text(output)))
}

/// `(rule, resource name)` → how often, for findings of the given severities.
fn counts(document: &Value, severities: &[&str]) -> BTreeMap<(String, String), usize> {
    let mut counts = BTreeMap::new();
    for finding in document["findings"].as_array().expect("findings") {
        if severities.contains(&finding["severity"].as_str().unwrap_or_default()) {
            let key = (
                finding["rule"].as_str().unwrap_or_default().to_owned(),
                finding["resource_name"]
                    .as_str()
                    .unwrap_or_default()
                    .to_owned(),
            );
            *counts.entry(key).or_default() += 1;
        }
    }
    counts
}

fn names_for(document: &Value, rule: &str) -> Vec<String> {
    document["findings"]
        .as_array()
        .expect("findings")
        .iter()
        .filter(|f| f["rule"] == rule)
        .map(|f| f["resource_name"].as_str().unwrap_or_default().to_owned())
        .collect()
}

#[test]
fn the_demo_accounts_planted_risks_are_each_reported_once() {
    let fake = FakeAccount::start(&[]);
    let sandbox = Sandbox::new();
    let mut audit = sandbox.command(&fake);
    audit
        .args(["audit", "--format", "json"])
        .env("DATABRICKS_TOKEN", &fake.token);
    let output = run(audit);
    // Without --fail-on, findings alone never fail the command.
    assert!(output.status.success(), "{}", text(&output));
    assert!(
        !text(&output).contains(&fake.token),
        "the token was printed"
    );
    let document = json_of(&output);

    let keys: Vec<&str> = document
        .as_object()
        .unwrap()
        .keys()
        .map(String::as_str)
        .collect();
    assert_eq!(keys, ["findings", "summary"]);
    for finding in document["findings"].as_array().unwrap() {
        let keys: Vec<&str> = finding
            .as_object()
            .unwrap()
            .keys()
            .map(String::as_str)
            .collect();
        assert_eq!(
            keys,
            [
                "rule",
                "severity",
                "resource_type",
                "resource_id",
                "resource_name",
                "message",
                "fix"
            ]
        );
    }

    let expected: BTreeMap<(String, String), usize> = PLANTED
        .iter()
        .map(|(rule, name)| (((*rule).to_owned(), (*name).to_owned()), 1))
        .collect();
    assert_eq!(counts(&document, &["high", "medium", "low"]), expected);

    let mut admins = names_for(&document, "admin.account-admin");
    admins.sort();
    let mut expected_admins = DEMO_ADMINS.map(str::to_owned).to_vec();
    expected_admins.sort();
    assert_eq!(admins, expected_admins);

    let unfederated = names_for(&document, "sp.no-federation-policy");
    assert!(
        unfederated.contains(&"jenkins-legacy".to_owned()),
        "{unfederated:?}"
    );
    for federated_or_secretless in ["terraform-account", "ci-deployer", "informatica-legacy"] {
        assert!(!unfederated.contains(&federated_or_secretless.to_owned()));
    }

    let summary = &document["summary"];
    let total = document["findings"].as_array().unwrap().len();
    assert_eq!(summary["total"], total);
    let by_severity: u64 = ["high", "medium", "low", "info"]
        .iter()
        .map(|s| summary[s].as_u64().unwrap())
        .sum();
    assert_eq!(by_severity, total as u64);
}

/// A snapshot whose only problem is an empty group (low).
fn low_only() -> Value {
    json!({"format": "dbx-console.snapshot/1",
           "groups": [{"id": "1", "displayName": "legacy-etl-2019"}]})
}

fn exit_code(sandbox: &Sandbox, args: &[&str]) -> Option<i32> {
    let mut audit = sandbox.offline_command();
    audit.arg("audit").args(args);
    run(audit).status.code()
}

#[test]
fn fail_on_exits_2_at_or_above_the_severity_and_0_below() {
    let sandbox = Sandbox::new();
    let file = sandbox.write_json("low.json", &low_only());
    let file = file.to_str().unwrap();
    assert_eq!(exit_code(&sandbox, &["--snapshot", file]), Some(0));
    assert_eq!(
        exit_code(&sandbox, &["--snapshot", file, "--fail-on", "low"]),
        Some(2)
    );
    assert_eq!(
        exit_code(&sandbox, &["--snapshot", file, "--fail-on", "medium"]),
        Some(0)
    );
    assert_eq!(
        exit_code(&sandbox, &["--snapshot", file, "--fail-on", "high"]),
        Some(0)
    );

    let fake = FakeAccount::start(&[]);
    let demo = sandbox.snapshot(&fake, "demo.json");
    let demo = demo.to_str().unwrap();
    assert_eq!(
        exit_code(&sandbox, &["--snapshot", demo, "--fail-on", "high"]),
        Some(2)
    );
}

#[test]
fn errors_exit_1() {
    let sandbox = Sandbox::new();
    let missing = sandbox.dir.path().join("missing.json");
    assert_eq!(
        exit_code(
            &sandbox,
            &["--snapshot", missing.to_str().unwrap(), "--fail-on", "low"]
        ),
        Some(1)
    );
    let not_a_snapshot = sandbox.write_json("other.json", &json!({"users": []}));
    assert_eq!(
        exit_code(&sandbox, &["--snapshot", not_a_snapshot.to_str().unwrap()]),
        Some(1)
    );
    // A usage error must not look like "findings at --fail-on".
    assert_eq!(exit_code(&sandbox, &["--fail-on", "sometimes"]), Some(1));
}

/// One service principal with one secret created `age_days` ago, expiring in a year, and
/// a federation policy, so the secret's age is the only question.
fn secret_of_age(age_days: i64) -> Value {
    let time = |days: i64| {
        (Utc::now() + Duration::days(days)).to_rfc3339_opts(SecondsFormat::Millis, true)
    };
    json!({
        "format": "dbx-console.snapshot/1",
        "service_principals": [{"id": "5", "displayName": "etl", "active": true}],
        "service_principal_secrets": {"5": [{"id": "abc", "status": "ACTIVE",
            "create_time": time(-age_days), "expire_time": time(365)}]},
        "service_principal_federation_policies": {"5": [{"policy_id": "gh", "oidc_policy": {
            "issuer": "https://token.actions.githubusercontent.com", "audiences": ["a"],
            "subject": "repo:o/r:environment:prod"}}]}
    })
}

#[test]
fn thresholds_come_from_audit_json_and_flags_override_them() {
    let sandbox = Sandbox::new();
    let file = sandbox.write_json("aged.json", &secret_of_age(200));
    let file = file.to_str().unwrap();
    let rules = |extra: &[&str]| {
        let mut audit = sandbox.offline_command();
        audit
            .args(["audit", "--format", "json", "--snapshot", file])
            .args(extra);
        let output = run(audit);
        assert!(output.status.success(), "{}", text(&output));
        counts(&json_of(&output), &["high", "medium", "low", "info"])
            .into_keys()
            .map(|(rule, _)| rule)
            .collect::<Vec<_>>()
    };
    assert_eq!(
        rules(&[]),
        Vec::<String>::new(),
        "200 days is within the default 365"
    );

    std::fs::create_dir_all(sandbox.config_dir()).unwrap();
    std::fs::write(
        sandbox.config_dir().join("audit.json"),
        r#"{"secret_max_age_days": 90}"#,
    )
    .unwrap();
    assert_eq!(rules(&[]), ["sp.secret-old"]);
    assert_eq!(
        rules(&["--secret-max-age-days", "250"]),
        Vec::<String>::new()
    );
    assert_eq!(
        rules(&["--expiring-within-days", "400"]),
        ["sp.secret-expiring", "sp.secret-old"]
    );
}

#[test]
fn tables_are_sanitised_and_output_files_written() {
    let sandbox = Sandbox::new();
    let hostile = json!({"format": "dbx-console.snapshot/1",
        "groups": [{"id": "1", "displayName": "evil\u{1b}]52;c;aGk=\u{7}\u{1b}[2Jgroup\u{9b}31m"}]});
    let file = sandbox.write_json("hostile.json", &hostile);
    let mut audit = sandbox.offline_command();
    audit.args(["audit", "--snapshot"]).arg(&file);
    let output = run(audit);
    assert!(output.status.success(), "{}", text(&output));
    let table = String::from_utf8(output.stdout).unwrap();
    assert!(table.contains("group.empty"), "{table}");
    assert!(table.contains("evilgroup"), "{table}");
    assert!(!table.contains(['\u{1b}', '\u{7}', '\u{9b}']), "{table:?}");

    let report = sandbox.dir.path().join("report.csv");
    let mut audit = sandbox.offline_command();
    audit
        .args(["audit", "--format", "csv", "--fail-on", "low", "--snapshot"])
        .arg(&file)
        .arg("--output")
        .arg(&report);
    let output = run(audit);
    assert_eq!(output.status.code(), Some(2), "{}", text(&output));
    assert!(output.stdout.is_empty());
    let csv = std::fs::read_to_string(&report).unwrap();
    assert!(
        csv.starts_with(
            "severity,rule,type,resource,message,fix\r\nlow,group.empty,group,evilgroup"
        ),
        "{csv:?}"
    );
}
