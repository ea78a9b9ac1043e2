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
}
