//! The typed async client of the Databricks account API.

pub mod budget;
pub mod client;
pub mod error;
pub mod models;
pub mod paging;
pub mod rate;
pub mod resources;
pub mod retry;
pub mod token;

pub use budget::RequestClass;
pub use client::{AccountClient, Call, ClientConfig};
pub use error::{ApiError, ApiErrorKind};
pub use paging::{ScimPage, ScimQuery};
pub use resources::FederationScope;
pub use token::{StaticToken, TokenError, TokenSource};
