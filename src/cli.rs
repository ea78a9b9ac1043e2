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
}

/// Which account to talk to. Credentials come from the environment (`DATABRICKS_TOKEN`),
/// never from a flag, so they stay out of shell history and process lists.
#[derive(Debug, Clone, clap::Args)]
pub struct AccountArgs {
    /// Account console host, e.g. https://accounts.cloud.databricks.com
    #[arg(long, env = "DATABRICKS_HOST")]
    pub host: Option<String>,

    /// Account id (a UUID).
    #[arg(long = "account-id", env = "DATABRICKS_ACCOUNT_ID")]
    pub account_id: Option<String>,
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
