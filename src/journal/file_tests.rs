//! Tests of the journal file: round trip, modes, corrupt lines, secrets, concurrent appends.

use std::fs;
use std::sync::Arc;

use serde_json::json;

use super::*;
use crate::journal::entry::{Actor, Operation, Outcome, ResourceType};

fn actor() -> Actor {
    Actor {
        profile: Some("acct-admin".into()),
        account_id: "0d4a3e4c-1b2f-4c5d-9e8f-0123456789ab".into(),
        host: "https://accounts.cloud.databricks.com".into(),
        user: Some("ana@example.com".into()),
    }
}

fn entry(name: &str) -> Entry {
    Entry::new(
        &actor(),
        Operation::Update,
        ResourceType::Group,
        "PATCH",
        "/api/2.0/accounts/0d4a3e4c/scim/v2/Groups/6029",
    )
    .resource("6029", Some(name))
    .before(json!({"displayName": "data-eng"}))
    .after(json!({"displayName": name}))
}

#[cfg(unix)]
fn mode(path: &Path) -> u32 {
    use std::os::unix::fs::PermissionsExt;
    fs::metadata(path).unwrap().permissions().mode() & 0o777
}

#[test]
fn entries_round_trip_in_order() {
    let dir = tempfile::tempdir().unwrap();
    let journal = Journal::open(dir.path().join("data"));
    assert!(journal.read_all().unwrap().entries.is_empty());
    assert!(!journal.path().exists(), "reading creates nothing");

    let first = entry("data-eng-1");
    let second = entry("data-eng-2").failed("SCIM_409: duplicate displayName");
    journal.append(&first).unwrap();
    journal.append(&second).unwrap();

    let contents = journal.read_all().unwrap();
    assert_eq!(contents.entries, [first, second]);
    assert_eq!(contents.skipped_corrupt_lines, 0);
    assert_eq!(contents.entries[1].result, Outcome::Error);
    let text = fs::read_to_string(journal.path()).unwrap();
    assert_eq!(text.lines().count(), 2);
    assert!(text.ends_with('\n'));
}

#[cfg(unix)]
#[test]
fn file_is_0600_and_a_new_directory_0700() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("nested").join("data");
    let journal = Journal::open(&data);
    journal.append(&entry("x")).unwrap();
    assert_eq!(mode(journal.path()), 0o600);
    assert_eq!(mode(&data), 0o700);
}

#[cfg(unix)]
#[test]
fn a_too_open_file_is_tightened_and_a_users_directory_keeps_its_mode() {
    use std::os::unix::fs::PermissionsExt;
    let dir = tempfile::tempdir().unwrap();
    fs::set_permissions(dir.path(), fs::Permissions::from_mode(0o755)).unwrap();
    let journal = Journal::open(dir.path());
    fs::write(journal.path(), "").unwrap();
    fs::set_permissions(journal.path(), fs::Permissions::from_mode(0o644)).unwrap();
    journal.append(&entry("x")).unwrap();
    assert_eq!(mode(journal.path()), 0o600);
    assert_eq!(mode(dir.path()), 0o755);
}

#[test]
fn corrupt_lines_are_skipped_and_counted() {
    let dir = tempfile::tempdir().unwrap();
    let journal = Journal::open(dir.path());
    journal.append(&entry("one")).unwrap();
    let mut file = OpenOptions::new()
        .append(true)
        .open(journal.path())
        .unwrap();
    file.write_all(b"{ not json\n\n   \n{\"time\": 5}\n")
        .unwrap();
    // A torn line cut inside a UTF-8 sequence.
    file.write_all(&[b'{', b'"', 0xC3, b'\n']).unwrap();
    drop(file);
    journal.append(&entry("two")).unwrap();

    let contents = journal.read_all().unwrap();
    let names: Vec<_> = contents
        .entries
        .iter()
        .map(|e| e.resource_name.as_deref().unwrap())
        .collect();
    assert_eq!(names, ["one", "two"]);
    assert_eq!(
        contents.skipped_corrupt_lines, 3,
        "blank lines are not corrupt"
    );
}

#[test]
fn secrets_never_reach_the_file() {
    let dir = tempfile::tempdir().unwrap();
    let journal = Journal::open(dir.path());
    let secret = "dose4c3b2a1908f7e6d5c4b3a2918f7e6d5c4";
    let created = Entry::new(
        &actor(),
        Operation::Create,
        ResourceType::ServicePrincipalSecret,
        "POST",
        "/api/2.0/accounts/0d4a3e4c/servicePrincipals/7/credentials/secrets",
    )
    .resource("9f86d081", None)
    .before(json!({"lifetime": "7776000s", "client_secret": secret}))
    .after(
        json!({"id": "9f86d081", "secret": secret, "status": "ACTIVE",
                  "nested": [{"refresh_token": secret, "access_token": secret}]}),
    );
    journal.append(&created).unwrap();

    let bytes = fs::read(journal.path()).unwrap();
    let text = String::from_utf8(bytes).unwrap();
    assert!(!text.contains(secret), "{text}");
    assert!(!text.contains("dose4c3b"), "not even a prefix of the value");
    let stored = &journal.read_all().unwrap().entries[0];
    let after = stored.after.as_ref().unwrap();
    assert_eq!(
        after["secret_sha256_prefix"],
        crate::redact::sha256_prefix(secret)
    );
    assert!(after.get("secret").is_none());
    assert_eq!(after["status"], "ACTIVE");
    assert!(
        stored
            .before
            .as_ref()
            .unwrap()
            .get("client_secret")
            .is_none()
    );
}

#[test]
fn concurrent_appends_from_threads_produce_whole_lines() {
    let dir = tempfile::tempdir().unwrap();
    let path = Arc::new(dir.path().to_owned());
    // Large entries (about 20 KB) so a torn or interleaved write would show.
    let filler = "x".repeat(20_000);
    let threads: Vec<_> = (0..8)
        .map(|thread| {
            let path = Arc::clone(&path);
            let filler = filler.clone();
            std::thread::spawn(move || {
                // A journal per thread, as separate console processes would have.
                let journal = Journal::open(path.as_path());
                for index in 0..25 {
                    let name = format!("t{thread}-{index}");
                    let entry = entry(&name).after(json!({"displayName": name, "pad": filler}));
                    journal.append(&entry).unwrap();
                }
            })
        })
        .collect();
    for thread in threads {
        thread.join().unwrap();
    }
    let contents = Journal::open(path.as_path()).read_all().unwrap();
    assert_eq!(contents.skipped_corrupt_lines, 0);
    assert_eq!(contents.entries.len(), 200);
    let mut names: Vec<_> = contents
        .entries
        .iter()
        .map(|e| e.resource_name.clone().unwrap())
        .collect();
    names.sort();
    names.dedup();
    assert_eq!(names.len(), 200, "every entry exactly once");
}

#[test]
fn the_data_dir_override_wins_and_blank_means_unset() {
    let overridden = Journal::locate(Some(" custom-data ".into())).unwrap();
    assert_eq!(overridden.path(), Path::new("custom-data").join(FILE_NAME));
    assert!(!overridden.owns_dir);
    if let Ok(default) = Journal::locate(Some("  ".into())) {
        assert!(default.owns_dir);
        assert!(
            default
                .path()
                .ends_with(Path::new("dbx-console").join(FILE_NAME))
        );
    }
}
