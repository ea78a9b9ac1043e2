//! `dbx-console audit`: the audit rules over the live account or a snapshot file, as a
//! table, JSON, CSV or Markdown, with an exit status for CI.

use serde_json::json;

use crate::audit::{self, Finding, Summary, Thresholds};
use crate::cli::AuditArgs;
use crate::commands::snapshot::take_live;
use crate::config::console_config_dir;
use crate::headless::{exit_with, read_snapshot, write_output};
use crate::tabular::{Report, count_line, render};

/// The exit status when a finding reaches `--fail-on` (1 is taken by errors).
pub const FAILED_CHECK: i32 = 2;

const HEADERS: [&str; 5] = ["severity", "rule", "type", "resource", "message"];

pub async fn run(args: AuditArgs) {
    let document = match &args.snapshot {
        Some(path) => read_snapshot(path).unwrap_or_else(|e| exit_with(&e)),
        None => take_live(&args.account, args.concurrency).await.document,
    };
    let thresholds = thresholds(&args);
    let findings = audit::run(&document, &thresholds, chrono::Utc::now());
    let summary = Summary::of(&findings);
    let text = render(args.format, &report(&findings, &summary));
    write_output(args.output.as_deref(), text.as_bytes()).unwrap_or_else(|e| exit_with(&e));
    if let Some(fail_on) = args.fail_on
        && summary.has_at_least(fail_on.severity())
    {
        std::process::exit(FAILED_CHECK);
    }
}

/// Defaults, then `audit.json` in the config directory, then flags.
fn thresholds(args: &AuditArgs) -> Thresholds {
    let (mut thresholds, warnings) = Thresholds::load(console_config_dir().as_deref());
    for warning in warnings {
        eprintln!("warning: {warning}");
    }
    if let Some(days) = args.expiring_within_days {
        thresholds.secret_expiring_within_days = days.into();
    }
    if let Some(days) = args.secret_max_age_days {
        thresholds.secret_max_age_days = days.into();
    }
    if let Some(minutes) = args.refresh_ttl_max_minutes {
        thresholds.refresh_token_ttl_max_minutes = minutes.into();
    }
    thresholds
}

fn summary_line(summary: &Summary) -> String {
    let parts = [
        (summary.high, "high"),
        (summary.medium, "medium"),
        (summary.low, "low"),
        (summary.info, "info"),
    ];
    count_line(summary.total, "finding", &parts)
}

fn report<'a>(findings: &[Finding], summary: &Summary) -> Report<'a> {
    let rows = findings
        .iter()
        .map(|f| {
            vec![
                f.severity.to_string(),
                f.rule.to_owned(),
                f.resource_type.to_owned(),
                f.resource_name.clone(),
                f.message.clone(),
            ]
        })
        .collect();
    let fixes = findings.iter().map(|f| f.fix.clone()).collect();
    Report {
        headers: &HEADERS,
        rows,
        notes: Some(("fix", fixes)),
        json: json!({"findings": findings, "summary": summary}),
        summary: summary_line(summary),
    }
}
