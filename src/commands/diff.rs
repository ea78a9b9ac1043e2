//! `dbx-console diff OLD NEW`: drift between two snapshot files.

use serde_json::json;

use crate::cli::DiffArgs;
use crate::drift::{self, Change, Summary};
use crate::headless::{exit_with, read_snapshot, write_output};
use crate::tabular::{Report, count_line, render};

const HEADERS: [&str; 6] = ["change", "type", "resource", "field", "old", "new"];

pub fn run(args: DiffArgs) {
    let old = read_snapshot(&args.old).unwrap_or_else(|e| exit_with(&e));
    let new = read_snapshot(&args.new).unwrap_or_else(|e| exit_with(&e));
    let changes = drift::diff(&old, &new);
    let summary = Summary::of(&changes);
    let text = render(args.format, &report(&changes, &summary));
    write_output(args.output.as_deref(), text.as_bytes()).unwrap_or_else(|e| exit_with(&e));
}

fn summary_line(summary: &Summary) -> String {
    let parts = [
        (summary.added, "added"),
        (summary.removed, "removed"),
        (summary.changed, "changed"),
    ];
    count_line(summary.total, "change", &parts)
}

fn report<'a>(changes: &[Change], summary: &Summary) -> Report<'a> {
    let rows = changes
        .iter()
        .map(|c| {
            vec![
                c.change.as_str().to_owned(),
                c.resource_type.to_owned(),
                c.resource_name.clone(),
                c.field.unwrap_or_default().to_owned(),
                c.old.clone().unwrap_or_default(),
                c.new.clone().unwrap_or_default(),
            ]
        })
        .collect();
    Report {
        headers: &HEADERS,
        rows,
        notes: None,
        json: json!({"changes": changes, "summary": summary}),
        summary: summary_line(summary),
    }
}
