//! `login`, `auth status`, `snapshot` and `logout` through the real binary: the scripted
//! browser, paste-back, busy ports, non-admins, configuration errors, and where secrets may
//! and may not appear.

use std::io::{BufRead, BufReader, Write};
use std::os::unix::fs::PermissionsExt;
use std::process::Stdio;
use std::time::Duration;

use serde_json::Value;

use crate::support::{FakeAccount, Sandbox, free_port, read, run, text, wait_until};

fn tokens_in(file: &str) -> Vec<String> {
    let document: Value = serde_json::from_str(file).unwrap_or(Value::Null);
    let mut found = Vec::new();
    if let Some(entries) = document["tokens"].as_object() {
        for entry in entries.values() {
            for key in ["access_token", "refresh_token"] {
                if let Some(token) = entry[key].as_str() {
                    found.push(token.to_owned());
                }
            }
        }
    }
    found
}

#[test]
fn login_status_refresh_snapshot_logout_keep_secrets_where_they_belong() {
    let fake = FakeAccount::start(&["--auto-approve"]);
    let sandbox = Sandbox::new();
    let port = free_port().to_string();

    let mut login = sandbox.command(&fake);
    login
        .args(["login", "--port", &port])
        .env("BROWSER", sandbox.browser(""));
    let output = run(login);
    assert!(output.status.success(), "{}", text(&output));
    assert!(
        text(&output).contains("Signed in as ana.silva@northwind.example"),
        "{}",
        text(&output)
    );

    let data_mode = std::fs::metadata(sandbox.data_dir())
        .unwrap()
        .permissions()
        .mode()
        & 0o777;
    let file_mode = std::fs::metadata(sandbox.token_file())
        .unwrap()
        .permissions()
        .mode()
        & 0o777;
    assert_eq!((data_mode, file_mode), (0o700, 0o600));
    let first_tokens = tokens_in(&read(&sandbox.token_file()));
    assert_eq!(
        first_tokens.len(),
        2,
        "an access and a refresh token were stored"
    );

    // Age the stored token so the next command must refresh it.
    let mut stored: Value = serde_json::from_str(&read(&sandbox.token_file())).unwrap();
    for entry in stored["tokens"].as_object_mut().unwrap().values_mut() {
        entry["expiry"] = Value::String("2000-01-01T00:00:00Z".into());
    }
    std::fs::write(sandbox.token_file(), serde_json::to_vec(&stored).unwrap()).unwrap();

    let mut status = sandbox.command(&fake);
    status.args(["auth", "status"]);
    let status_output = run(status);
    assert!(status_output.status.success(), "{}", text(&status_output));
    assert!(
        text(&status_output).contains("signed in; account admin"),
        "{}",
        text(&status_output)
    );
    assert!(
        read(&sandbox.log_file()).contains("refreshed the session"),
        "the refresh happened"
    );
    let second_tokens = tokens_in(&read(&sandbox.token_file()));
    assert_ne!(
        first_tokens[0], second_tokens[0],
        "a new access token was stored"
    );

    let snapshot_path = sandbox.dir.path().join("snapshot.json");
    let mut snapshot = sandbox.command(&fake);
    snapshot.args(["snapshot", "--output"]).arg(&snapshot_path);
    let snapshot_output = run(snapshot);
    assert!(
        snapshot_output.status.success(),
        "{}",
        text(&snapshot_output)
    );

    // Every token the fake issued: in the token file (current ones) and nowhere else.
    let log = read(&sandbox.log_file());
    assert!(
        log.contains("sign-in completed"),
        "the log was written at debug level"
    );
    let token_file = read(&sandbox.token_file());
    let everything_shown = [
        text(&output),
        text(&status_output),
        text(&snapshot_output),
        read(&snapshot_path),
    ];
    for secret in first_tokens.iter().chain(&second_tokens) {
        assert!(!log.contains(secret.as_str()), "a token reached the log");
        for shown in &everything_shown {
            assert!(
                !shown.contains(secret.as_str()),
                "a token reached the terminal or the snapshot"
            );
        }
    }
    for secret in &second_tokens {
        assert!(
            token_file.contains(secret.as_str()),
            "the current tokens are stored"
        );
    }

    let mut logout = sandbox.command(&fake);
    logout.arg("logout");
    let logout_output = run(logout);
    assert!(
        text(&logout_output).contains("Signed out"),
        "{}",
        text(&logout_output)
    );
    let mut after = sandbox.command(&fake);
    after.args(["auth", "status"]);
    let after_output = run(after);
    assert!(!after_output.status.success());
    assert!(
        text(&after_output).contains("run `dbx-console login`"),
        "{}",
        text(&after_output)
    );
}

#[test]
fn a_non_admin_is_told_plainly_and_nothing_is_stored() {
    let fake = FakeAccount::start(&["--auto-approve"]);
    let sandbox = Sandbox::new();
    let port = free_port().to_string();
    let mut login = sandbox.command(&fake);
    login.args(["login", "--port", &port]).env(
        "BROWSER",
        sandbox.browser("&login_hint=aarav.desai@northwind.example"),
    );
    let output = run(login);
    assert!(!output.status.success());
    let said = text(&output);
    assert!(
        said.contains("aarav.desai@northwind.example is signed in but is not an account admin"),
        "{said}"
    );
    assert!(
        said.contains("403 PERMISSION_DENIED") && said.contains("account_admin role"),
        "{said}"
    );
    assert!(tokens_in(&read(&sandbox.token_file())).is_empty());
}

#[test]
fn a_busy_port_falls_back_to_the_next_one_and_says_so() {
    let fake = FakeAccount::start(&["--auto-approve"]);
    let sandbox = Sandbox::new();
    let busy = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let busy_port = busy.local_addr().unwrap().port();
    let free = free_port();
    let mut login = sandbox.command(&fake);
    login
        .arg("login")
        .env("DBX_CONSOLE_REDIRECT_PORTS", format!("{busy_port},{free}"))
        .env("BROWSER", sandbox.browser(""));
    let output = run(login);
    assert!(output.status.success(), "{}", text(&output));
    assert!(
        text(&output).contains(&format!(
            "Port {busy_port} busy; listening for the sign-in on port {free} instead"
        )),
        "{}",
        text(&output)
    );
}

#[test]
fn without_a_browser_the_pasted_redirect_completes_the_sign_in() {
    let fake = FakeAccount::start(&["--auto-approve"]);
    let sandbox = Sandbox::new();
    let port = free_port().to_string();
    let mut login = sandbox.command(&fake);
    login
        .args(["login", "--no-browser", "--port", &port])
        .stdin(Stdio::piped())
        .stderr(Stdio::piped());
    let mut child = login.spawn().expect("login starts");
    let mut stderr = BufReader::new(child.stderr.take().unwrap());
    let mut url = String::new();
    let mut line = String::new();
    wait_until(Duration::from_secs(20), "the sign-in URL", || {
        line.clear();
        if stderr.read_line(&mut line).unwrap_or(0) == 0 {
            return true;
        }
        if let Some(found) = line
            .split_whitespace()
            .find(|w| w.contains("/v1/authorize?"))
        {
            url = found.to_owned();
        }
        !url.is_empty()
    });
    assert!(!url.is_empty(), "the URL was printed");
    // The browser "runs elsewhere": take the redirect it would land on and paste it.
    let location = redirect_location(&url);
    let mut stdin = child.stdin.take().unwrap();
    writeln!(stdin, "not a url").unwrap();
    writeln!(stdin, "{location}").unwrap();
    let status = child.wait().expect("login ends");
    let mut rest = String::new();
    let _ = std::io::Read::read_to_string(&mut stderr, &mut rest);
    assert!(status.success(), "{rest}");
    assert!(rest.contains("Signed in as"), "{rest}");
}

/// The `Location` the fake answers an authorize request with (no redirect following).
fn redirect_location(url: &str) -> String {
    let script = "import sys, urllib.request\n\
class Stop(urllib.request.HTTPRedirectHandler):\n    def redirect_request(self, *a, **k): return None\n\
try:\n    urllib.request.build_opener(Stop).open(sys.argv[1])\nexcept urllib.error.HTTPError as e:\n    print(e.headers['Location'])\n";
    let output = std::process::Command::new("python3")
        .args(["-c", script, url])
        .output()
        .expect("python3");
    String::from_utf8_lossy(&output.stdout).trim().to_owned()
}

#[test]
fn a_workspace_host_is_refused_with_the_account_host_to_use() {
    let fake = FakeAccount::start(&[]);
    let sandbox = Sandbox::new();
    let mut login = sandbox.command(&fake);
    login.args([
        "login",
        "--host",
        "https://dbc-1a2b3c4d-5e6f.cloud.databricks.com",
    ]);
    let output = run(login);
    assert!(!output.status.success());
    assert!(
        text(&output).contains("https://accounts.cloud.databricks.com"),
        "{}",
        text(&output)
    );
}

#[test]
fn secure_storage_without_a_keyring_signs_in_to_the_file_and_says_why() {
    let fake = FakeAccount::start(&["--auto-approve"]);
    let sandbox = Sandbox::new();
    let port = free_port().to_string();
    let mut login = sandbox.command(&fake);
    login
        .args(["login", "--port", &port])
        .env("DATABRICKS_AUTH_STORAGE", "secure")
        .env("BROWSER", sandbox.browser(""));
    let output = run(login);
    assert!(output.status.success(), "{}", text(&output));
    let said = text(&output);
    assert!(
        said.contains("auth_storage is secure") && said.contains("tokens.json"),
        "{said}"
    );
    assert_eq!(
        tokens_in(&read(&sandbox.token_file())).len(),
        2,
        "the session went to the file"
    );

    let mut status = sandbox.command(&fake);
    status
        .args(["auth", "status"])
        .env("DATABRICKS_AUTH_STORAGE", "vault");
    let refused = run(status);
    assert!(!refused.status.success());
    assert!(
        text(&refused).contains("Invalid auth_storage 'vault'"),
        "{}",
        text(&refused)
    );
}
