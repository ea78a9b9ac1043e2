//! `--snapshot FILE`: the console browses a file written by `dbx-console snapshot` (not the
//! live account it came from), says so in the header, and offers no change.

use std::process::{Command, Stdio};

use reqwest::Method;
use serde_json::json;

use crate::fake::FakeAccount;
use crate::read_only::{help_descriptions, mutating_in};
use crate::screen::lines;
use crate::steps::open;
use crate::support::{BINARY, LARGE, Pty};

/// `dbx-console snapshot --output FILE` of `fake`, through the binary.
fn take_snapshot(fake: &FakeAccount, file: &std::path::Path) {
    let status = Command::new(BINARY)
        .args(["snapshot", "--output"])
        .arg(file)
        .env_clear()
        .envs(fake.environment())
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status()
        .expect("the snapshot command runs");
    assert!(status.success(), "the snapshot was written");
}

#[test]
fn a_snapshot_file_is_browsed_as_it_was_taken_and_offers_no_change() {
    let fake = FakeAccount::start();
    let dir = tempfile::tempdir().expect("a directory for the file");
    let file = dir.path().join("northwind-2026.json");
    take_snapshot(&fake, &file);
    // The live account moves on; the snapshot does not.
    fake.write(
        Method::POST,
        "/scim/v2/Users",
        &json!({
            "schemas": ["urn:ietf:params:scim:schemas:core:2.0:User"],
            "userName": "joined.later@northwind.example",
        }),
    );
    assert_eq!(fake.total("Users"), 201);

    let path = file.to_string_lossy().into_owned();
    let mut pty = Pty::spawn(&["--snapshot", &path], LARGE, &[]);
    let screen = pty.wait_for("Users 200 ");
    let header = &lines(&screen)[0];
    for expected in [" SNAPSHOT ", "northwind-2026.json", "taken "] {
        assert!(header.contains(expected), "{expected:?} in {header:?}");
    }
    assert!(
        !header.contains("token "),
        "no sign-in to count down: {header:?}"
    );
    pty.filter("joined.later", "Users 0 of 200 /joined.later");

    let in_list = help_descriptions(&mut pty);
    assert!(in_list.iter().any(|d| d == "filter"), "{in_list:?}");
    assert_eq!(mutating_in(&in_list), Vec::<&str>::new(), "{in_list:?}");

    // Objects open with what the snapshot holds; what it does not hold is said plainly.
    pty.go_to("sp");
    pty.wait_for("Service principals 15 ");
    open(&mut pty, "airflow-prod", "airflow-prod", "OAuth secrets");
    pty.wait_for("not recorded in a dbx-console snapshot");
    // `n` would add a secret on a live account; here it does nothing.
    pty.send("n");
    pty.send("y");
    pty.wait_for("· raw JSON");
    assert!(
        !pty.data_dir().join("journal.jsonl").exists(),
        "nothing was written, so nothing journalled"
    );
}
