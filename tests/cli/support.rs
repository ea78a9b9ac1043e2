//! Running the binary in a sealed environment (its own HOME, data dir and log file, no
//! inherited DATABRICKS_* variables) against a `mock-server` child.

use std::os::unix::fs::PermissionsExt;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Output, Stdio};
use std::time::{Duration, Instant};

use dbx_console::mock::Handshake;

pub const BINARY: &str = env!("CARGO_BIN_EXE_dbx-console");

/// A `mock-server` child, killed on drop.
pub struct FakeAccount {
    child: Child,
    pub host: String,
    pub account_id: String,
    /// An account-admin bearer token, for commands that need no sign-in flow.
    pub token: String,
}

impl FakeAccount {
    pub fn start(extra: &[&str]) -> Self {
        let (
            child,
            Handshake {
                host,
                account_id,
                token,
            },
        ) = Handshake::spawn(
            Command::new(BINARY)
                .args(["mock-server", "--listen", "127.0.0.1:0"])
                .args(extra)
                .stderr(Stdio::null()),
        )
        .unwrap_or_else(|e| panic!("{e}"));
        Self {
            child,
            host,
            account_id,
            token,
        }
    }
}

impl Drop for FakeAccount {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// A sealed home for one test: HOME, data dir, log file and a scripted browser.
pub struct Sandbox {
    pub dir: tempfile::TempDir,
}

impl Sandbox {
    pub fn new() -> Self {
        Self {
            dir: tempfile::tempdir().expect("a temp dir"),
        }
    }

    pub fn data_dir(&self) -> PathBuf {
        self.dir.path().join("data")
    }

    /// The console's config directory (`audit.json`); absent until a test writes to it.
    pub fn config_dir(&self) -> PathBuf {
        self.dir.path().join("config")
    }

    pub fn token_file(&self) -> PathBuf {
        self.data_dir().join("tokens.json")
    }

    pub fn log_file(&self) -> PathBuf {
        self.dir.path().join("dbx-console.log")
    }

    /// A "browser" that follows the authorize URL and its redirects, like a user clicking
    /// through; `extra_query` is appended to the URL (e.g. a login_hint).
    pub fn browser(&self, extra_query: &str) -> PathBuf {
        let path = self.dir.path().join("browser.sh");
        let script = format!(
            "#!/bin/sh\nexec python3 -c 'import sys, urllib.request; urllib.request.urlopen(sys.argv[1] + \"{extra_query}\", timeout=20).read()' \"$1\"\n"
        );
        std::fs::write(&path, script).expect("write the browser script");
        std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o755)).expect("chmod");
        path
    }

    pub fn command(&self, fake: &FakeAccount) -> Command {
        let mut command = self.offline_command();
        command
            .env("DATABRICKS_HOST", &fake.host)
            .env("DATABRICKS_ACCOUNT_ID", &fake.account_id);
        command
    }

    /// The binary in the sandbox with no account configured (for commands on files).
    pub fn offline_command(&self) -> Command {
        let mut command = Command::new(BINARY);
        command
            .env_clear()
            .env("PATH", std::env::var("PATH").unwrap_or_default())
            .env("HOME", self.dir.path())
            .env("DBX_CONSOLE_DATA_DIR", self.data_dir())
            .env("DBX_CONSOLE_CONFIG_DIR", self.config_dir())
            .env("DBX_CONSOLE_LOG", "debug")
            .env("DBX_CONSOLE_LOG_FILE", self.log_file())
            .stdin(Stdio::null());
        command
    }

    /// A snapshot of `fake` written by the binary to `name` in the sandbox.
    pub fn snapshot(&self, fake: &FakeAccount, name: &str) -> PathBuf {
        let path = self.dir.path().join(name);
        let mut snapshot = self.command(fake);
        snapshot
            .args(["snapshot", "--output"])
            .arg(&path)
            .env("DATABRICKS_TOKEN", &fake.token);
        let output = run(snapshot);
        assert!(output.status.success(), "{}", text(&output));
        path
    }

    /// Writes `document` as JSON to `name` in the sandbox.
    pub fn write_json(&self, name: &str, document: &serde_json::Value) -> PathBuf {
        let path = self.dir.path().join(name);
        std::fs::write(&path, serde_json::to_vec_pretty(document).expect("JSON")).expect("write");
        path
    }
}

pub fn run(mut command: Command) -> Output {
    command.output().expect("the binary runs")
}

pub fn text(output: &Output) -> String {
    format!(
        "{}{}",
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    )
}

/// A port that was free a moment ago.
pub fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .map(|a| a.port())
        .expect("a free port")
}

/// Waits until `condition` holds, or fails after `limit`.
pub fn wait_until(limit: Duration, what: &str, mut condition: impl FnMut() -> bool) {
    let deadline = Instant::now() + limit;
    while !condition() {
        assert!(Instant::now() < deadline, "timed out waiting for {what}");
        std::thread::yield_now();
    }
}

pub fn read(path: &Path) -> String {
    std::fs::read_to_string(path).unwrap_or_default()
}
