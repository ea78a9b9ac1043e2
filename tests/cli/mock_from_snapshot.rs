//! `mock-server --from-snapshot FILE` serves the account a snapshot recorded, so tests can
//! run against a copy of a real account: a snapshot of the copy equals the original, a write
//! to the copy stays in it, and a file it cannot serve is refused with the reason.

use std::sync::Arc;

use dbx_console::api::models::Group;
use dbx_console::api::{AccountClient, ClientConfig, StaticToken};
use serde_json::{Value, json};

use crate::support::{BINARY, FakeAccount, Sandbox, run, text};

/// What a snapshot says about the account (not when, nor through which host).
fn account_part(path: &std::path::Path) -> Value {
    let mut document: Value =
        serde_json::from_slice(&std::fs::read(path).expect("the snapshot")).expect("JSON");
    let object = document.as_object_mut().expect("an object");
    object.remove("taken_at");
    object.remove("host");
    document
}

#[test]
fn a_copy_served_from_a_snapshot_reads_back_identically_and_keeps_its_changes() {
    let sandbox = Sandbox::new();
    let original = FakeAccount::start(&[]);
    let first = sandbox.snapshot(&original, "first.json");

    let copy = FakeAccount::start(&["--from-snapshot", &first.to_string_lossy()]);
    assert_eq!(
        copy.account_id, original.account_id,
        "the account keeps its id"
    );
    let second = sandbox.snapshot(&copy, "second.json");
    assert_eq!(account_part(&second), account_part(&first));

    // The copy is writable, and what is written there is not in the original.
    let client = AccountClient::new(
        ClientConfig::new(&copy.host, &copy.account_id),
        Arc::new(StaticToken::new(copy.token.as_str())),
    )
    .expect("a client of the copy");
    let group = Group {
        display_name: Some("only-in-the-copy".into()),
        ..Group::default()
    };
    let created = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("a runtime")
        .block_on(client.create(&group))
        .expect("a group is created in the copy");
    assert_eq!(created.display_name.as_deref(), Some("only-in-the-copy"));
    let names = |path: &std::path::Path| -> Vec<String> {
        account_part(path)["groups"]
            .as_array()
            .expect("groups")
            .iter()
            .filter_map(|g| g["displayName"].as_str().map(str::to_owned))
            .collect()
    };
    let third = sandbox.snapshot(&copy, "third.json");
    assert!(names(&third).contains(&"only-in-the-copy".to_owned()));
    let again = sandbox.snapshot(&original, "again.json");
    assert!(!names(&again).contains(&"only-in-the-copy".to_owned()));
}

#[test]
fn a_file_it_cannot_serve_is_refused_with_the_reason() {
    let sandbox = Sandbox::new();
    let missing = sandbox.dir.path().join("nowhere.json");
    let not_a_snapshot = sandbox.write_json("seed.json", &json!({"format": "dbx-console.seed/1"}));
    for (file, reason) in [
        (&missing, "could not read"),
        (&not_a_snapshot, "dbx-console.snapshot/1"),
    ] {
        let mut server = sandbox.offline_command();
        // Even with backtraces asked for, an expected failure is one line.
        server.env("RUST_BACKTRACE", "1");
        server.args(["mock-server", "--listen", "127.0.0.1:0", "--from-snapshot"]);
        server.arg(file);
        let output = run(server);
        assert!(!output.status.success(), "{}", text(&output));
        assert!(output.stdout.is_empty(), "no handshake: {}", text(&output));
        let said = text(&output);
        assert!(said.contains(reason), "{said}");
        assert!(
            said.starts_with("error: the fake account server did not start"),
            "told plainly, not as a crash report: {said}"
        );
    }
    // A seed and a snapshot at once is a usage error.
    let output = run({
        let mut both = std::process::Command::new(BINARY);
        both.args(["mock-server", "--seed", "empty", "--from-snapshot"])
            .arg(&missing);
        both
    });
    assert_eq!(output.status.code(), Some(1), "{}", text(&output));
    assert!(
        text(&output).contains("cannot be used with"),
        "{}",
        text(&output)
    );
}
