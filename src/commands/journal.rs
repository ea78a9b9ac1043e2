//! `dbx-console journal`: print the change journal as a table, JSON or CSV.

use std::io::Write;
use std::path::PathBuf;

use chrono::{DateTime, Utc};

use crate::headless::{exit_with, write_atomically};
use crate::journal::{Journal, JournalQuery, format, parse_since};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, clap::ValueEnum)]
pub enum JournalFormat {
    /// A compact table for the terminal.
    #[default]
    Table,
    /// A JSON array of whole entries, before/after included (secrets removed).
    Json,
    /// One row per entry, for spreadsheets.
    Csv,
}

#[derive(Debug, Clone, Default, clap::Args)]
pub struct JournalArgs {
    /// Output format.
    #[arg(long, value_enum, default_value_t = JournalFormat::Table)]
    pub format: JournalFormat,

    /// Write to this file (atomically) instead of stdout.
    #[arg(long, short)]
    pub output: Option<PathBuf>,

    /// Only entries at or after this time: 2025-03-01T10:00:00Z, a UTC date (2025-03-01) or
    /// an age (30m, 12h, 7d, 2w).
    #[arg(long)]
    pub since: Option<String>,

    /// Only entries containing this text (any case) in any field.
    #[arg(long)]
    pub filter: Option<String>,
}

/// What [`render`] produced: the text to print and how many lines could not be read.
#[derive(Debug)]
pub struct Rendered {
    pub text: String,
    pub shown: usize,
    pub skipped_corrupt_lines: usize,
}

/// Runs the command; an error is printed with what to do and exits 1.
pub fn run(args: JournalArgs) {
    let journal = Journal::default_location().unwrap_or_else(|e| exit_with(&e.to_string()));
    let rendered = render(&args, &journal, Utc::now()).unwrap_or_else(|e| exit_with(&e));
    if rendered.skipped_corrupt_lines > 0 {
        eprintln!(
            "warning: {} line(s) of {} could not be read and were skipped",
            rendered.skipped_corrupt_lines,
            journal.path().display()
        );
    }
    match &args.output {
        Some(path) => {
            write_atomically(path, rendered.text.as_bytes()).unwrap_or_else(|e| exit_with(&e));
            eprintln!("{} entries written to {}", rendered.shown, path.display());
        }
        None => {
            let mut stdout = std::io::stdout().lock();
            if let Err(error) = stdout
                .write_all(rendered.text.as_bytes())
                .and_then(|()| stdout.flush())
            {
                exit_with(&format!("could not write the journal to stdout: {error}"));
            }
        }
    }
}

/// Reads `journal`, keeps what `args` asks for and formats it; `now` anchors ages such as
/// `--since 7d`.
pub fn render(
    args: &JournalArgs,
    journal: &Journal,
    now: DateTime<Utc>,
) -> Result<Rendered, String> {
    let since = args
        .since
        .as_deref()
        .map(|text| parse_since(text, now))
        .transpose()?;
    let query = JournalQuery {
        since,
        text: args.filter.clone(),
    };
    let contents = journal.read_all().map_err(|e| e.to_string())?;
    let entries = query.apply(contents.entries);
    let text = match args.format {
        JournalFormat::Table => format::to_table(&entries),
        JournalFormat::Json => format::to_json(&entries),
        JournalFormat::Csv => format::to_csv(&entries),
    };
    Ok(Rendered {
        text,
        shown: entries.len(),
        skipped_corrupt_lines: contents.skipped_corrupt_lines,
    })
}

#[cfg(test)]
mod tests {
    use clap::Parser;
    use serde_json::json;

    use super::*;
    use crate::journal::{Actor, Entry, Operation, ResourceType};

    #[derive(Parser)]
    struct Command {
        #[command(flatten)]
        args: JournalArgs,
    }

    fn parse(argv: &[&str]) -> JournalArgs {
        Command::try_parse_from(std::iter::once("journal").chain(argv.iter().copied()))
            .unwrap()
            .args
    }

    fn time(text: &str) -> DateTime<Utc> {
        DateTime::parse_from_rfc3339(text)
            .unwrap()
            .with_timezone(&Utc)
    }

    fn journal_with_two_entries(dir: &std::path::Path) -> Journal {
        let journal = Journal::open(dir);
        let actor = Actor {
            user: Some("ana@example.com".into()),
            ..Actor::default()
        };
        for (at, name) in [
            ("2025-03-01T10:00:00Z", "okta"),
            ("2025-03-05T10:00:00Z", "github"),
        ] {
            let entry = Entry::new(
                &actor,
                Operation::Create,
                ResourceType::FederationPolicy,
                "POST",
                "/api/2.0/accounts/a/federationPolicies",
            )
            .at(time(at))
            .resource(name, None)
            .after(json!({"policy_id": name}));
            journal.append(&entry).unwrap();
        }
        journal
    }

    #[test]
    fn flags_parse_with_table_as_the_default() {
        let defaults = parse(&[]);
        assert_eq!(defaults.format, JournalFormat::Table);
        assert!(defaults.output.is_none() && defaults.since.is_none());
        let all = parse(&[
            "--format", "csv", "-o", "out.csv", "--since", "7d", "--filter", "okta",
        ]);
        assert_eq!(all.format, JournalFormat::Csv);
        assert_eq!(all.output, Some(PathBuf::from("out.csv")));
        assert_eq!(all.since.as_deref(), Some("7d"));
        assert_eq!(all.filter.as_deref(), Some("okta"));
        assert!(Command::try_parse_from(["journal", "--format", "xml"]).is_err());
    }

    #[test]
    fn renders_each_format_with_since_and_filter_applied() {
        let dir = tempfile::tempdir().unwrap();
        let journal = journal_with_two_entries(dir.path());
        let now = time("2025-03-06T10:00:00Z");

        let recent = render(&parse(&["--since", "3d"]), &journal, now).unwrap();
        assert_eq!(recent.shown, 1);
        assert!(recent.text.contains("github") && !recent.text.contains("okta"));

        let json = render(
            &parse(&["--format", "json", "--filter", "OKTA"]),
            &journal,
            now,
        )
        .unwrap();
        let value: serde_json::Value = serde_json::from_str(&json.text).unwrap();
        assert_eq!(value.as_array().unwrap().len(), 1);
        assert_eq!(value[0]["resource_id"], "okta");

        let csv = render(&parse(&["--format", "csv"]), &journal, now).unwrap();
        assert_eq!(csv.text.lines().count(), 3);
        assert_eq!(csv.skipped_corrupt_lines, 0);
    }

    #[test]
    fn a_bad_since_is_reported_before_reading() {
        let dir = tempfile::tempdir().unwrap();
        let journal = Journal::open(dir.path());
        let error = render(&parse(&["--since", "soon"]), &journal, Utc::now()).unwrap_err();
        assert!(error.starts_with("--since 'soon' is not a time"), "{error}");
    }
}
