//! The first line `mock-server` prints, so whoever runs the fake as a process (tests,
//! benchmarks) finds it: its address, its account and an admin's token.

use std::io::{BufRead, BufReader, Read};

use serde::{Deserialize, Serialize};

use super::MockServer;

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Handshake {
    pub host: String,
    pub account_id: String,
    pub token: String,
}

impl Handshake {
    pub fn of(server: &MockServer) -> Handshake {
        Handshake {
            host: server.host.clone(),
            account_id: server.account_id.clone(),
            token: server.admin_token.clone(),
        }
    }

    /// Reads the handshake from the start of a `mock-server`'s standard output.
    pub fn read(output: impl Read) -> Result<Handshake, String> {
        let mut line = String::new();
        BufReader::new(output)
            .read_line(&mut line)
            .map_err(|e| format!("no handshake line: {e}"))?;
        serde_json::from_str(&line).map_err(|e| format!("not a handshake: {line:?}: {e}"))
    }
}
