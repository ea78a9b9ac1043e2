//! The fake Databricks account server: OIDC and REST, in memory, speaking the wire protocol
//! of `shared/databricks-account-api.md`. Tests, benchmarks and `--demo` run against it.

pub mod access_control;
pub mod clock;
pub mod config;
pub mod error;
pub mod extract;
pub mod federation;
pub mod handshake;
pub mod middleware;
pub mod oauth_apps;
pub mod oidc;
pub mod paging;
pub mod request_id;
pub mod scim;
pub mod secrets;
pub mod seed;
pub mod server;
pub mod state;
pub mod token_policy;
pub mod traffic;
pub mod workspaces;

pub use config::{MockConfig, SeedKind};
pub use handshake::Handshake;
pub use server::{MockServer, StartError};
pub use traffic::{Fault, ScriptedFault};
