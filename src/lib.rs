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
pub mod headless;
pub mod logging;
pub mod mock;
pub mod secret;
pub mod snapshot;
pub mod snapshot_view;
pub mod tabular;
pub mod ui;
