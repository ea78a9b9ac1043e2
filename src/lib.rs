//! dbx-console: a terminal admin console for Databricks account admins.

pub mod cli;
pub mod mock;
