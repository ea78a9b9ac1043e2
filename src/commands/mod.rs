//! The headless subcommands.

pub mod audit;
pub mod auth_status;
pub mod diff;
pub mod journal;
pub mod login;
pub mod snapshot;
