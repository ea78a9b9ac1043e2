//! `dbx-console --snapshot FILE` refuses what it cannot open before it takes the terminal:
//! a missing file, a file that is not JSON, JSON that is not a snapshot, and flags that
//! would name a live account at the same time. Each says what is wrong and exits 1.

use serde_json::json;

use crate::support::{Sandbox, run, text};

fn refused(sandbox: &Sandbox, args: &[&str]) -> String {
    let mut console = sandbox.offline_command();
    console.args(args);
    let output = run(console);
    assert_eq!(output.status.code(), Some(1), "{}", text(&output));
    text(&output)
}

#[test]
fn a_missing_file_is_named() {
    let sandbox = Sandbox::new();
    let missing = sandbox.data_dir().join("nowhere.json");
    let said = refused(&sandbox, &["--snapshot", &missing.to_string_lossy()]);
    assert!(said.contains("error: could not read"), "{said}");
    assert!(said.contains("nowhere.json"), "{said}");
}

#[test]
fn a_file_that_is_not_json_is_refused() {
    let sandbox = Sandbox::new();
    let file = sandbox.data_dir().join("notes.json");
    std::fs::create_dir_all(sandbox.data_dir()).expect("data dir");
    std::fs::write(&file, "users: everyone").expect("write");
    let said = refused(&sandbox, &["--snapshot", &file.to_string_lossy()]);
    assert!(said.contains("is not JSON"), "{said}");
}

#[test]
fn json_that_is_not_a_snapshot_is_refused_with_the_format_it_wants() {
    let sandbox = Sandbox::new();
    let file = sandbox.write_json("seed.json", &json!({"format": "dbx-console.seed/1"}));
    let said = refused(&sandbox, &["--snapshot", &file.to_string_lossy()]);
    assert!(said.contains("format 'dbx-console.seed/1'"), "{said}");
    assert!(said.contains("dbx-console.snapshot/1"), "{said}");
}

#[test]
fn a_snapshot_with_no_account_admin_cannot_be_served() {
    let sandbox = Sandbox::new();
    let file = sandbox.write_json(
        "no-admin.json",
        &json!({
            "format": "dbx-console.snapshot/1",
            "account_id": "0d5e6f7a-1b2c-4d3e-8f90-a1b2c3d4e5f6",
            "users": [{"id": "11", "userName": "someone@example.com", "active": true}],
        }),
    );
    let said = refused(&sandbox, &["--snapshot", &file.to_string_lossy()]);
    assert!(said.contains("no active account admin"), "{said}");
}

#[test]
fn a_snapshot_and_a_live_account_cannot_both_be_asked_for() {
    let sandbox = Sandbox::new();
    for other in [&["--demo"][..], &["--profile", "prod"][..]] {
        let mut args = vec!["--snapshot", "a.json"];
        args.extend_from_slice(other);
        let said = refused(&sandbox, &args);
        assert!(said.contains("cannot be used with"), "{said}");
    }
}
