//! Command-line interface: the console itself and its headless subcommands.

use clap::{Parser, Subcommand};

use crate::mock::MockConfig;

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
    #[arg(long, env = "DBX_CONSOLE_READ_ONLY")]
    pub read_only: bool,

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

#[derive(Debug, Clone, clap::Args)]
pub struct SnapshotArgs {
    #[command(flatten)]
    pub account: AccountArgs,

    /// Write to this file (atomically) instead of stdout.
    #[arg(long, short)]
    pub output: Option<std::path::PathBuf>,

    /// Concurrent requests while reading (SCIM pages, groups, per-SP lists).
    #[arg(long, default_value_t = 6)]
    pub concurrency: usize,
}
