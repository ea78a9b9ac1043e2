//! End to end through the real binary: `dbx-console mock-server` in one process, `dbx-console
//! snapshot` in another, talking over HTTP.

use std::io::{BufRead, BufReader};
use std::process::{Child, Command, Output, Stdio};
use std::sync::mpsc;
use std::time::Duration;

use serde_json::Value;

const BINARY: &str = env!("CARGO_BIN_EXE_dbx-console");
/// Generous: the machine may be busy compiling; a healthy run takes well under a second.
const DEADLINE: Duration = Duration::from_secs(120);

/// Kills the child when dropped, so a failing assertion never leaves the server running.
struct KillOnDrop(Child);

impl Drop for KillOnDrop {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

/// Runs a command to completion on another thread, failing the test after [`DEADLINE`].
fn output_within_deadline(mut command: Command) -> Output {
    let (sender, receiver) = mpsc::channel();
    std::thread::spawn(move || {
        let _ = sender.send(command.output());
    });
    receiver
        .recv_timeout(DEADLINE)
        .expect("the command finished before the deadline")
        .expect("the command ran")
}

#[test]
fn snapshot_of_a_mock_server_through_the_binary() {
    let mut child = Command::new(BINARY)
        .args(["mock-server", "--listen", "127.0.0.1:0"])
        .env_remove("DBX_CONSOLE_LOG")
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .expect("mock-server starts");
    let stdout = child.stdout.take().expect("stdout is piped");
    let server = KillOnDrop(child);

    let (sender, receiver) = mpsc::channel();
    std::thread::spawn(move || {
        let mut line = String::new();
        let read = BufReader::new(stdout).read_line(&mut line).map(|_| line);
        let _ = sender.send(read);
    });
    let line = receiver
        .recv_timeout(DEADLINE)
        .expect("mock-server printed its first line before the deadline")
        .expect("stdout is readable");
    let hello: Value = serde_json::from_str(line.trim()).expect("the first line is JSON");
    let host = hello["host"].as_str().expect("host").to_owned();
    let account_id = hello["account_id"].as_str().expect("account_id").to_owned();
    let token = hello["token"].as_str().expect("token").to_owned();
    assert!(host.starts_with("http://127.0.0.1:"), "{host}");

    let directory = tempfile::tempdir().expect("temp dir");
    let path = directory.path().join("s.json");
    let mut snapshot = Command::new(BINARY);
    snapshot
        .arg("snapshot")
        .arg("--output")
        .arg(&path)
        .env("DATABRICKS_HOST", &host)
        .env("DATABRICKS_ACCOUNT_ID", &account_id)
        .env("DATABRICKS_TOKEN", &token)
        .env_remove("DBX_CONSOLE_LOG")
        .stdin(Stdio::null());
    let output = output_within_deadline(snapshot);
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(output.status.success(), "snapshot failed: {stderr}");
    assert!(!stderr.contains(&token), "the token was printed");

    let document: Value =
        serde_json::from_slice(&std::fs::read(&path).expect("the output file exists"))
            .expect("the output is JSON");
    assert_eq!(document["format"], "dbx-console.snapshot/1");
    assert_eq!(document["account_id"], account_id.as_str());
    assert_eq!(document["users"].as_array().map(Vec::len), Some(200));
    assert!(!String::from_utf8_lossy(&std::fs::read(&path).unwrap()).contains(&token));
    drop(server);
}
