//! Protocol tests of the fake Databricks account server, driven over HTTP with reqwest
//! against `shared/databricks-account-api.md`.

mod auth;
mod faults;
mod oauth;
mod resources;
mod robustness;
mod scale;
mod scim;
mod support;
