//! The first line `mock-server` prints, so whoever runs the fake as a process (tests,
//! benchmarks) finds it: its address, its account and an admin's token.

use std::io::{BufRead, BufReader, Read};
use std::process::{Child, Command, Stdio};

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

    /// Starts `command` (a `dbx-console mock-server …`, its stdout taken here) and reads its
    /// handshake; a child that prints none is killed.
    pub fn spawn(command: &mut Command) -> Result<(Child, Handshake), String> {
        let mut child = command
            .stdout(Stdio::piped())
            .spawn()
            .map_err(|e| format!("mock-server did not start: {e}"))?;
        let read = child
            .stdout
            .take()
            .ok_or_else(|| "mock-server's stdout is not piped".to_owned())
            .and_then(Handshake::read);
        match read {
            Ok(handshake) => Ok((child, handshake)),
            Err(error) => {
                let _ = child.kill();
                let _ = child.wait();
                Err(error)
            }
        }
    }
}
