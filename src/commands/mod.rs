//! The headless subcommands.

pub mod auth_status;
pub mod journal;
pub mod login;
pub mod snapshot;
