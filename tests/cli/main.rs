//! End-to-end tests of the real `dbx-console` binary's headless commands against a fake
//! account server run as a child process.

mod audit;
mod console_snapshot;
mod diff;
mod login;
mod mock_from_snapshot;
mod support;
