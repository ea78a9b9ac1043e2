//! Signing in: OAuth U2M in the browser (authorization code + PKCE), the loopback listener
//! that receives the redirect, token persistence, and the token sources the API client uses.

pub mod admin_check;
pub mod cli_cache;
pub mod connect;
pub mod identity;
pub mod loopback;
pub mod machine;
pub mod oauth_http;
pub mod session;
pub mod session_store;
pub mod token_store;
pub mod u2m;
