//! Integration tests of the typed async account API client against the fake account server
//! (and one end-to-end run of the binary), per `shared/databricks-account-api.md`.

mod access_control;
mod apps;
mod binary;
mod errors;
mod federation;
mod paging;
mod retries;
mod scim;
mod secrets;
mod snapshot;
mod snapshot_replay;
mod support;
mod unknown_fields;
mod workspaces;
