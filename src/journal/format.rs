//! The journal as text: a JSON array, CSV for spreadsheets, and a compact table for a
//! terminal.

use chrono::SecondsFormat;

use super::entry::{Entry, Outcome};
use crate::ui::sanitize::{display_width, sanitize_to_width};

/// The CSV columns, in order.
pub const CSV_COLUMNS: [&str; 12] = [
    "time",
    "profile",
    "account",
    "user",
    "operation",
    "resource_type",
    "resource_id",
    "resource_name",
    "method",
    "path",
    "result",
    "error",
];

/// Every field of every entry (secrets were removed when the entries were written), as a
/// pretty-printed array ending in a newline.
pub fn to_json(entries: &[Entry]) -> String {
    let mut text = serde_json::to_string_pretty(entries).unwrap_or_else(|_| "[]".to_owned());
    text.push('\n');
    text
}

/// One header row and one row per entry, quoted as RFC 4180 says (fields holding a comma, a
/// quote or a line break are quoted, quotes doubled). `before`/`after` are left out: they
/// are documents, not cells.
pub fn to_csv(entries: &[Entry]) -> String {
    let mut out = String::new();
    push_csv_row(&mut out, CSV_COLUMNS.iter().copied());
    for entry in entries {
        let time = format_time(entry);
        let cells = std::iter::once(time.as_str()).chain(entry.text_columns());
        push_csv_row(&mut out, cells);
    }
    out
}

fn push_csv_row<'a>(out: &mut String, cells: impl Iterator<Item = &'a str>) {
    for (index, cell) in cells.enumerate() {
        if index > 0 {
            out.push(',');
        }
        out.push_str(&csv_cell(cell));
    }
    out.push('\n');
}

/// One cell. Names come from the server and may start with `=`, `+`, `-` or `@`, which a
/// spreadsheet would run as a formula; such cells get a leading `'` (the OWASP advice for
/// CSV injection), which spreadsheets show as text.
fn csv_cell(cell: &str) -> String {
    let guarded = if cell.starts_with(['=', '+', '-', '@', '\t', '\r']) {
        format!("'{cell}")
    } else {
        cell.to_owned()
    };
    if guarded.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", guarded.replace('"', "\"\""))
    } else {
        guarded
    }
}

fn format_time(entry: &Entry) -> String {
    entry.time.to_rfc3339_opts(SecondsFormat::Millis, true)
}

/// Widest a table column may grow, in terminal columns; longer values end in `…`.
const MAX_USER: usize = 32;
const MAX_TYPE: usize = 24;
const MAX_RESOURCE: usize = 48;
const MAX_RESULT: usize = 60;

/// A compact table, one entry per row, every server string sanitized so a hostile name
/// cannot move the cursor or break a row. Empty input gives a one-line message.
pub fn to_table(entries: &[Entry]) -> String {
    if entries.is_empty() {
        return "No journal entries.\n".to_owned();
    }
    let header = [
        "TIME (UTC)",
        "USER",
        "OPERATION",
        "TYPE",
        "RESOURCE",
        "RESULT",
    ]
    .map(str::to_owned);
    let rows: Vec<[String; 6]> = entries.iter().map(table_row).collect();
    let mut widths = header.clone().map(|cell| display_width(&cell));
    for row in &rows {
        for (width, cell) in widths.iter_mut().zip(row) {
            *width = (*width).max(display_width(cell));
        }
    }
    let mut out = String::new();
    for row in std::iter::once(&header).chain(&rows) {
        let mut line = String::new();
        for (index, (cell, width)) in row.iter().zip(widths).enumerate() {
            line.push_str(cell);
            if index + 1 < row.len() {
                line.push_str(&" ".repeat(width - display_width(cell) + 2));
            }
        }
        out.push_str(line.trim_end());
        out.push('\n');
    }
    out
}

fn table_row(entry: &Entry) -> [String; 6] {
    let result = match (entry.result, &entry.error) {
        (Outcome::Ok, _) => "ok".to_owned(),
        (Outcome::Error, Some(error)) => format!("error: {error}"),
        (Outcome::OutcomeUnknown, Some(error)) => format!("unknown: {error}"),
        (Outcome::OutcomeUnknown, None) => "unknown".to_owned(),
        (Outcome::Error, None) => "error".to_owned(),
    };
    [
        entry.time.format("%Y-%m-%d %H:%M:%S").to_string(),
        sanitize_to_width(entry.user.as_deref().unwrap_or("-"), MAX_USER),
        sanitize_to_width(&entry.operation, MAX_TYPE),
        sanitize_to_width(&entry.resource_type, MAX_TYPE),
        sanitize_to_width(&entry.resource_label(), MAX_RESOURCE),
        sanitize_to_width(&result, MAX_RESULT),
    ]
}

#[cfg(test)]
mod tests {
    use chrono::{DateTime, Utc};
    use serde_json::{Value, json};

    use super::*;
    use crate::journal::entry::{Actor, Operation, ResourceType};

    fn entry(name: &str) -> Entry {
        let actor = Actor {
            profile: Some("prod".into()),
            account_id: "0d4a3e4c".into(),
            host: "https://accounts.cloud.databricks.com".into(),
            user: Some("ana@example.com".into()),
        };
        let time = DateTime::parse_from_rfc3339("2025-03-01T10:15:30Z")
            .unwrap()
            .with_timezone(&Utc);
        Entry::new(
            &actor,
            Operation::Update,
            ResourceType::AppConnection,
            "PATCH",
            "/api/2.0/accounts/0d4a3e4c/oauth2/custom-app-integrations/3f9c",
        )
        .at(time)
        .resource("3f9c", Some(name))
        .after(json!({"scopes": ["all-apis"]}))
    }

    #[test]
    fn json_is_an_array_of_whole_entries() {
        let text = to_json(&[entry("Tableau")]);
        let value: Value = serde_json::from_str(&text).unwrap();
        assert_eq!(value[0]["resource_name"], "Tableau");
        assert_eq!(value[0]["after"]["scopes"][0], "all-apis");
        assert_eq!(to_json(&[]), "[]\n");
    }

    #[test]
    fn csv_has_the_documented_columns_and_plain_cells_unquoted() {
        let text = to_csv(&[entry("Tableau")]);
        let mut lines = text.lines();
        assert_eq!(
            lines.next().unwrap(),
            "time,profile,account,user,operation,resource_type,resource_id,resource_name,method,path,result,error"
        );
        assert_eq!(
            lines.next().unwrap(),
            "2025-03-01T10:15:30.000Z,prod,0d4a3e4c,ana@example.com,update,app_connection,3f9c,Tableau,PATCH,/api/2.0/accounts/0d4a3e4c/oauth2/custom-app-integrations/3f9c,ok,"
        );
        assert_eq!(lines.next(), None);
    }

    #[test]
    fn csv_quotes_commas_quotes_and_line_breaks() {
        let tricky = entry("Tableau, \"prod\"\nsecond line").failed("bad\r\nrequest");
        let text = to_csv(&[tricky]);
        let row = text.split_once('\n').unwrap().1;
        assert!(
            row.contains(",\"Tableau, \"\"prod\"\"\nsecond line\","),
            "{row}"
        );
        assert!(row.ends_with(",error,\"bad\r\nrequest\"\n"), "{row}");
    }

    #[test]
    fn csv_defuses_cells_a_spreadsheet_would_run_as_formulas() {
        assert_eq!(csv_cell("=HYPERLINK(\"x\")"), "\"'=HYPERLINK(\"\"x\"\")\"");
        assert_eq!(csv_cell("@SUM(A1)"), "'@SUM(A1)");
        assert_eq!(csv_cell("-1+2"), "'-1+2");
        assert_eq!(csv_cell("data-eng"), "data-eng");
    }

    #[test]
    fn table_aligns_columns_and_sanitizes_server_strings() {
        let rows = [
            entry("Tableau"),
            entry("evil\u{1b}[2J name").failed("PERMISSION_DENIED"),
        ];
        let text = to_table(&rows);
        assert!(!text.contains('\u{1b}'), "{text:?}");
        let lines: Vec<&str> = text.lines().collect();
        assert_eq!(lines.len(), 3);
        assert!(lines[0].starts_with("TIME (UTC)           USER"), "{text}");
        assert!(
            lines[1].starts_with("2025-03-01 10:15:30  ana@example.com"),
            "{text}"
        );
        assert!(lines[1].ends_with("Tableau (3f9c)    ok"), "{text}");
        assert!(lines[2].ends_with("error: PERMISSION_DENIED"), "{text}");
        let result_column = lines[0].find("RESULT").unwrap();
        assert_eq!(lines[1].find(" ok").unwrap() + 1, result_column);
    }

    #[test]
    fn empty_table_says_so() {
        assert_eq!(to_table(&[]), "No journal entries.\n");
    }
}
