//! Command-line interface: the console itself and its headless subcommands.

use std::path::PathBuf;

use clap::{Parser, Subcommand};

use crate::audit::Severity;
use crate::mock::MockConfig;
use crate::tabular::Format;

#[derive(Debug, Parser)]
#[command(
    name = "dbx-console",
    version,
    about = "A terminal admin console for Databricks account admins"
)]
pub struct Cli {
    /// Run against a built-in fake account (no Databricks account or network needed).
    #[arg(long)]
    pub demo: bool,

    /// Browse without changing anything: mutating keys disappear and the API client refuses
    /// every write (also `"read_only": true` in the console's settings.json).
    // Boolish: the variable may be 1/0, yes/no, on/off or true/false, as such switches are.
    #[arg(
        long,
        env = "DBX_CONSOLE_READ_ONLY",
        value_parser = clap::builder::BoolishValueParser::new()
    )]
    pub read_only: bool,

    /// Browse a file written by `dbx-console snapshot` instead of a live account (always
    /// read-only).
    #[arg(long, value_name = "FILE", conflicts_with_all = ["demo", "profile", "host", "account_id"])]
    pub snapshot: Option<PathBuf>,

    #[command(flatten)]
    pub account: AccountArgs,

    #[command(subcommand)]
    pub command: Option<Command>,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Run the fake Databricks account server until interrupted. Its first line on stdout is
    /// a JSON object with `host`, `account_id` and an account-admin `token`.
    MockServer(MockConfig),
    /// Read the whole account and write it as one JSON document (never any secret value).
    Snapshot(SnapshotArgs),
    /// Check the account, or a snapshot file, for risky settings: exit status 2 when a
    /// finding reaches --fail-on.
    Audit(AuditArgs),
    /// Show what changed between two snapshot files (principals, memberships, admins,
    /// secrets, federation policies, apps, workspace assignments).
    Diff(DiffArgs),
    /// Sign in with your browser (OAuth U2M with PKCE) and keep the session.
    Login(LoginArgs),
    /// Forget the stored session for an account.
    Logout(AccountArgs),
    /// Print the change journal: every write this console made from this machine.
    Journal(crate::commands::journal::JournalArgs),
    /// Inspect the sign-in.
    Auth {
        #[command(subcommand)]
        command: AuthCommand,
    },
}

/// Which account to talk to. Flags win over `DATABRICKS_*` variables, which win over the
/// profile in `~/.databrickscfg`. Credentials never come from a flag, so they stay out of
/// shell history and process lists.
#[derive(Debug, Clone, Default, clap::Args)]
pub struct AccountArgs {
    /// Profile in ~/.databrickscfg (or DATABRICKS_CONFIG_FILE).
    #[arg(long)]
    pub profile: Option<String>,

    /// Account console host, e.g. https://accounts.cloud.databricks.com
    #[arg(long)]
    pub host: Option<String>,

    /// Account id (a UUID).
    #[arg(long = "account-id")]
    pub account_id: Option<String>,
}

#[derive(Debug, Clone, clap::Args)]
pub struct LoginArgs {
    #[command(flatten)]
    pub account: AccountArgs,

    /// Do not open a browser: print the URL and accept the pasted redirect address.
    #[arg(long = "no-browser")]
    pub no_browser: bool,

    /// Listen for the redirect on this port only (default: 8020, then up to 8040 if busy).
    #[arg(long)]
    pub port: Option<u16>,
}

#[derive(Debug, Subcommand)]
pub enum AuthCommand {
    /// Who is signed in to which account, token expiry, and where the token lives (never
    /// the token itself).
    Status(AccountArgs),
}

/// Lanes for headless reads. The client's per-kind rate budgets (240/s each) are what keep
/// a snapshot under the account's limits; the lanes only have to keep two such budgets busy
/// (group reads beside per-SP reads) at ~50 ms a request, which takes 24.
pub const DEFAULT_CONCURRENCY: usize = 24;

#[derive(Debug, Clone, clap::Args)]
pub struct SnapshotArgs {
    #[command(flatten)]
    pub account: AccountArgs,

    /// Write to this file (atomically) instead of stdout.
    #[arg(long, short)]
    pub output: Option<PathBuf>,

    /// Requests in flight at once while reading (SCIM pages, groups, per-SP lists).
    #[arg(long, default_value_t = DEFAULT_CONCURRENCY)]
    pub concurrency: usize,
}

#[derive(Debug, Clone, clap::Args)]
pub struct AuditArgs {
    #[command(flatten)]
    pub account: AccountArgs,

    /// Audit this file written by `dbx-console snapshot` instead of the live account.
    #[arg(long, value_name = "FILE", conflicts_with_all = ["profile", "host", "account_id"])]
    pub snapshot: Option<PathBuf>,

    /// How to write the report.
    #[arg(long, value_enum, default_value_t = Format::Table)]
    pub format: Format,

    /// Write to this file (atomically) instead of stdout.
    #[arg(long, short, value_name = "FILE")]
    pub output: Option<PathBuf>,

    /// Exit with status 2 when there is a finding at this severity or above.
    #[arg(long = "fail-on", value_enum, value_name = "SEVERITY")]
    pub fail_on: Option<FailOn>,

    /// Report secrets that expire within this many days [audit.json; default 30].
    #[arg(long = "expiring-within-days", value_name = "DAYS")]
    pub expiring_within_days: Option<u32>,

    /// Report secrets older than this many days [audit.json; default 365].
    #[arg(long = "secret-max-age-days", value_name = "DAYS")]
    pub secret_max_age_days: Option<u32>,

    /// Report refresh-token lifetimes above this many minutes [audit.json; default 43200].
    #[arg(long = "refresh-ttl-max-minutes", value_name = "MINUTES")]
    pub refresh_ttl_max_minutes: Option<u32>,

    /// Requests in flight at once while reading the live account.
    #[arg(long, default_value_t = DEFAULT_CONCURRENCY)]
    pub concurrency: usize,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum FailOn {
    High,
    Medium,
    Low,
}

impl FailOn {
    pub fn severity(self) -> Severity {
        match self {
            FailOn::High => Severity::High,
            FailOn::Medium => Severity::Medium,
            FailOn::Low => Severity::Low,
        }
    }
}

#[derive(Debug, Clone, clap::Args)]
pub struct DiffArgs {
    /// The earlier snapshot file.
    pub old: PathBuf,

    /// The later snapshot file.
    pub new: PathBuf,

    /// How to write the report.
    #[arg(long, value_enum, default_value_t = Format::Table)]
    pub format: Format,

    /// Write to this file (atomically) instead of stdout.
    #[arg(long, short, value_name = "FILE")]
    pub output: Option<PathBuf>,
}
