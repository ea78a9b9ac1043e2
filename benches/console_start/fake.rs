//! The generated account as its own `mock-server` process, so its memory and CPU are not
//! the console's.

use std::net::TcpListener;
use std::os::unix::fs::PermissionsExt;
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use dbx_console::mock::Handshake;

use crate::common::AccountKnobs;

pub const BINARY: &str = env!("CARGO_BIN_EXE_dbx-console");

/// `dbx-console mock-server` with the generated account; killed on drop.
pub struct Fake {
    child: Child,
    pub host: String,
    pub account_id: String,
    token: String,
}

impl Fake {
    pub fn start(knobs: &AccountKnobs) -> Fake {
        let number = |n: usize| n.to_string();
        let (child, handshake) = Handshake::spawn(
            Command::new(BINARY)
                .args(["mock-server", "--listen", "127.0.0.1:0", "--seed", "empty"])
                // Sign-in redirects at once, so `login` can store a session for the bench.
                .arg("--auto-approve")
                .args(["--users", &number(knobs.users)])
                .args(["--groups", &number(knobs.groups)])
                .args(["--service-principals", &number(knobs.service_principals)])
                .args(["--workspaces", &number(knobs.workspaces)])
                .args(["--latency-ms", &knobs.latency_ms.to_string()])
                .args(["--page-cap", &number(knobs.page_cap)])
                .env_clear()
                .stdin(Stdio::null())
                .stderr(Stdio::null()),
        )
        .unwrap_or_else(|e| panic!("{e}"));
        Fake {
            child,
            host: handshake.host,
            account_id: handshake.account_id,
            token: handshake.token,
        }
    }

    /// The console's environment with a token in `DATABRICKS_TOKEN` (the fake's admin's).
    pub fn token_env(&self) -> Vec<(&'static str, String)> {
        vec![
            ("DATABRICKS_HOST", self.host.clone()),
            ("DATABRICKS_ACCOUNT_ID", self.account_id.clone()),
            ("DATABRICKS_TOKEN", self.token.clone()),
        ]
    }

    /// `dbx-console login` (U2M, a scripted browser) into a data directory of `dir`; returns
    /// the console's environment that opens on that stored session, as an admin's second
    /// start of the day does.
    pub fn stored_sign_in(&self, dir: &Path) -> Vec<(&'static str, String)> {
        let data = dir.join("data");
        let browser = dir.join("browser.sh");
        std::fs::write(
            &browser,
            "#!/bin/sh\nexec python3 -c 'import sys, urllib.request; \
             urllib.request.urlopen(sys.argv[1], timeout=20).read()' \"$1\"\n",
        )
        .expect("the browser script is written");
        std::fs::set_permissions(&browser, std::fs::Permissions::from_mode(0o755))
            .expect("the browser script is executable");
        let port = TcpListener::bind("127.0.0.1:0")
            .and_then(|listener| listener.local_addr())
            .expect("a free port")
            .port();
        let output = Command::new(BINARY)
            .args(["login", "--port", &port.to_string()])
            .env_clear()
            .env("PATH", std::env::var_os("PATH").unwrap_or_default())
            .env("HOME", dir)
            .env("DBX_CONSOLE_DATA_DIR", &data)
            .env("DATABRICKS_HOST", &self.host)
            .env("DATABRICKS_ACCOUNT_ID", &self.account_id)
            .env("BROWSER", &browser)
            .stdin(Stdio::null())
            .output()
            .expect("login runs");
        assert!(
            output.status.success(),
            "login failed: {}",
            String::from_utf8_lossy(&output.stderr)
        );
        vec![
            ("DATABRICKS_HOST", self.host.clone()),
            ("DATABRICKS_ACCOUNT_ID", self.account_id.clone()),
            ("DBX_CONSOLE_DATA_DIR", data.display().to_string()),
        ]
    }
}

impl Fake {
    /// Waits until the fake stops using CPU (it may still be answering a console that was
    /// closed), so that it does not compete with the next measurement.
    pub fn wait_until_idle(&self) {
        let cpu_ticks = || -> u64 {
            let stat = std::fs::read_to_string(format!("/proc/{}/stat", self.child.id()))
                .unwrap_or_default();
            // utime and stime: fields 14 and 15, counted after the command's closing paren.
            let after_command = stat.rsplit(')').next().unwrap_or_default();
            let fields: Vec<&str> = after_command.split_whitespace().collect();
            let field = |n: usize| fields.get(n).and_then(|f| f.parse::<u64>().ok());
            field(11).unwrap_or(0) + field(12).unwrap_or(0)
        };
        let until = Instant::now() + Duration::from_secs(30);
        let mut before = cpu_ticks();
        while Instant::now() < until {
            std::thread::sleep(Duration::from_millis(100));
            let now = cpu_ticks();
            if now == before {
                return;
            }
            before = now;
        }
    }
}

impl Drop for Fake {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}
