//! Headless reports as text: an aligned table for terminals, CSV, Markdown or JSON. Every
//! cell of the text forms passes through `sanitize`, so a server string cannot move the
//! cursor, recolour the terminal or break a row; JSON keeps values exact (and escaped).

use serde_json::Value;

use crate::ui::sanitize::{display_width, sanitize, sanitize_to_width};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, clap::ValueEnum)]
pub enum Format {
    /// Aligned columns for reading in a terminal.
    #[default]
    Table,
    /// One JSON document with exact values, for scripts.
    Json,
    /// Comma-separated values for spreadsheets.
    Csv,
    /// A Markdown table, for tickets and pull requests.
    Markdown,
}

/// Columns wider than this are cut with `…` in tables (the last column never is).
const MAX_COLUMN_WIDTH: usize = 64;
const GAP: &str = "  ";

/// What a report holds, ready for any format.
pub struct Report<'a> {
    pub headers: &'a [&'a str],
    pub rows: Vec<Vec<String>>,
    /// Printed under its row in tables (e.g. how to fix a finding), a column elsewhere.
    pub notes: Option<(&'a str, Vec<String>)>,
    pub json: Value,
    /// One line such as `3 findings: 1 high, 2 low`; tables and Markdown end with it.
    pub summary: String,
}

/// `3 findings: 1 high, 2 low`, or `no findings`.
pub fn count_line(total: usize, noun: &str, parts: &[(usize, &str)]) -> String {
    if total == 0 {
        return format!("no {noun}s");
    }
    let parts: Vec<String> = parts
        .iter()
        .map(|(n, what)| format!("{n} {what}"))
        .collect();
    let plural = if total == 1 { "" } else { "s" };
    format!("{total} {noun}{plural}: {}", parts.join(", "))
}

pub fn render(format: Format, report: &Report<'_>) -> String {
    match format {
        Format::Json => {
            let mut text = serde_json::to_string_pretty(&report.json).unwrap_or_default();
            text.push('\n');
            text
        }
        Format::Table => table(report),
        Format::Csv => csv(report),
        Format::Markdown => markdown(report),
    }
}

/// Headers and rows with the notes as a last column, for the formats that have no room
/// for a line under a row.
fn with_notes(report: &Report<'_>) -> (Vec<String>, Vec<Vec<String>>) {
    let mut headers: Vec<String> = report.headers.iter().map(|h| (*h).to_owned()).collect();
    let mut rows = report.rows.clone();
    if let Some((header, notes)) = &report.notes {
        headers.push((*header).to_owned());
        for (row, note) in rows.iter_mut().zip(notes) {
            row.push(note.clone());
        }
    }
    (headers, rows)
}

fn table(report: &Report<'_>) -> String {
    let columns = report.headers.len();
    let mut widths: Vec<usize> = report.headers.iter().map(|h| h.len()).collect();
    for row in &report.rows {
        for (width, cell) in widths.iter_mut().zip(row) {
            *width = (*width).max(display_width(cell).min(MAX_COLUMN_WIDTH));
        }
    }
    let line = |cells: Vec<String>| {
        let mut out = String::new();
        for (i, cell) in cells.iter().enumerate() {
            if i + 1 == columns {
                out.push_str(cell);
            } else {
                let padding = widths[i].saturating_sub(display_width(cell));
                out.push_str(cell);
                out.push_str(&" ".repeat(padding));
                out.push_str(GAP);
            }
        }
        out.trim_end().to_owned()
    };
    let mut out = String::new();
    if !report.rows.is_empty() {
        out.push_str(&line(
            report.headers.iter().map(|h| h.to_uppercase()).collect(),
        ));
        out.push('\n');
    }
    for (index, row) in report.rows.iter().enumerate() {
        let cells = row
            .iter()
            .enumerate()
            .map(|(i, cell)| {
                if i + 1 == columns {
                    sanitize(cell).into_owned()
                } else {
                    sanitize_to_width(cell, MAX_COLUMN_WIDTH)
                }
            })
            .collect();
        out.push_str(&line(cells));
        out.push('\n');
        if let Some(note) = report.notes.as_ref().and_then(|(_, n)| n.get(index)) {
            out.push_str(&format!("{GAP}{GAP}→ {}\n", sanitize(note)));
        }
    }
    out.push_str(&sanitize(&report.summary));
    out.push('\n');
    out
}

/// RFC 4180 quoting, plus a leading `'` on cells a spreadsheet would run as a formula
/// (names come from the server and could be hostile).
fn csv_cell(text: &str) -> String {
    let clean = sanitize(text);
    let guarded = if clean.starts_with(['=', '+', '-', '@']) {
        format!("'{clean}")
    } else {
        clean.into_owned()
    };
    if guarded.contains([',', '"', '\n', '\r']) || guarded.trim() != guarded {
        format!("\"{}\"", guarded.replace('"', "\"\""))
    } else {
        guarded
    }
}

fn csv(report: &Report<'_>) -> String {
    let (headers, rows) = with_notes(report);
    let mut out = String::new();
    for row in std::iter::once(headers).chain(rows) {
        let cells: Vec<String> = row.iter().map(|cell| csv_cell(cell)).collect();
        out.push_str(&cells.join(","));
        out.push_str("\r\n");
    }
    out
}

/// Escapes what Markdown would otherwise turn into links, images, HTML or table breaks.
fn markdown_cell(text: &str) -> String {
    let mut out = String::new();
    for c in sanitize(text).chars() {
        if matches!(
            c,
            '\\' | '`' | '*' | '_' | '[' | ']' | '<' | '>' | '|' | '!' | '#' | '~'
        ) {
            out.push('\\');
        }
        out.push(c);
    }
    out
}

fn markdown(report: &Report<'_>) -> String {
    let (headers, rows) = with_notes(report);
    let mut out = String::new();
    if !rows.is_empty() {
        let row_line = |cells: &[String]| {
            let cells: Vec<String> = cells.iter().map(|c| markdown_cell(c)).collect();
            format!("| {} |\n", cells.join(" | "))
        };
        out.push_str(&row_line(&headers));
        out.push_str(&format!("|{}\n", "---|".repeat(headers.len())));
        for row in &rows {
            out.push_str(&row_line(row));
        }
        out.push('\n');
    }
    out.push_str(&markdown_cell(&report.summary));
    out.push('\n');
    out
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    fn report() -> Report<'static> {
        Report {
            headers: &["severity", "name"],
            rows: vec![
                vec!["high".into(), "evil\x1b[31mred\x07".into()],
                vec!["low".into(), "=cmd|' /C calc'!A0".into()],
            ],
            notes: Some(("fix", vec!["rotate".into(), "a, \"quoted\" fix".into()])),
            json: json!({"k": "\u{1b}"}),
            summary: "2 findings".into(),
        }
    }

    #[test]
    fn tables_align_sanitise_and_put_notes_under_rows() {
        let text = render(Format::Table, &report());
        assert_eq!(
            text,
            "SEVERITY  NAME\nhigh      evilred\n    → rotate\nlow       =cmd|' /C calc'!A0\n    → a, \"quoted\" fix\n2 findings\n"
        );
    }

    #[test]
    fn csv_quotes_and_defuses_formulas() {
        let text = render(Format::Csv, &report());
        assert_eq!(
            text,
            "severity,name,fix\r\nhigh,evilred,rotate\r\nlow,'=cmd|' /C calc'!A0,\"a, \"\"quoted\"\" fix\"\r\n"
        );
    }

    #[test]
    fn markdown_escapes_what_would_render() {
        let text = render(Format::Markdown, &report());
        assert!(
            text.starts_with("| severity | name | fix |\n|---|---|---|\n"),
            "{text}"
        );
        assert!(text.contains("| low | =cmd\\|' /C calc'\\!A0 |"), "{text}");
        assert!(text.ends_with("\n2 findings\n"));
    }

    #[test]
    fn json_keeps_values_exact() {
        let text = render(Format::Json, &report());
        assert_eq!(text, "{\n  \"k\": \"\\u001b\"\n}\n");
    }

    #[test]
    fn counts_read_as_a_sentence() {
        assert_eq!(count_line(0, "change", &[(0, "added")]), "no changes");
        assert_eq!(
            count_line(1, "change", &[(1, "added")]),
            "1 change: 1 added"
        );
        assert_eq!(
            count_line(3, "finding", &[(1, "high"), (2, "low")]),
            "3 findings: 1 high, 2 low"
        );
    }

    #[test]
    fn an_empty_table_is_only_the_summary() {
        let empty = Report {
            headers: &["a"],
            rows: Vec::new(),
            notes: None,
            json: json!(null),
            summary: "no findings".into(),
        };
        assert_eq!(render(Format::Table, &empty), "no findings\n");
    }
}
