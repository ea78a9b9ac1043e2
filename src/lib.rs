//! dbx-console: a terminal admin console for Databricks account admins.

pub mod api;
pub mod app;
pub mod audit;
pub mod auth;
pub mod cli;
pub mod commands;
pub mod config;
pub mod console;
pub mod drift;
pub mod edit;
pub mod headless;
pub mod journal;
pub mod logging;
pub mod mock;
pub mod private_files;
pub mod redact;
pub mod secret;
pub mod settings;
pub mod snapshot;
pub mod snapshot_view;
pub mod tabular;
pub mod ui;
