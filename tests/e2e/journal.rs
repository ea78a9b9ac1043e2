//! What the console's change journal (`journal.jsonl` in its data directory) holds after a
//! test's writes: one entry per write, and never a secret value the fake issued.

use serde_json::Value;

use crate::support::Pty;

/// The journal's bytes; empty when the console never wrote one.
pub fn bytes(pty: &Pty) -> Vec<u8> {
    std::fs::read(pty.data_dir().join("journal.jsonl")).unwrap_or_default()
}

/// Every entry, in the order the writes finished.
pub fn entries(pty: &Pty) -> Vec<Value> {
    String::from_utf8(bytes(pty))
        .expect("the journal is UTF-8")
        .lines()
        .map(|line| serde_json::from_str(line).expect("each journal line is one JSON entry"))
        .collect()
}

/// The journal holds exactly these writes, in order: `(operation, resource_type, result)`,
/// each with the request that made it.
pub fn assert_writes(pty: &Pty, expected: &[(&str, &str, &str)]) -> Vec<Value> {
    let entries = entries(pty);
    let found: Vec<(String, String, String)> = entries
        .iter()
        .map(|entry| {
            let text = |key: &str| entry[key].as_str().unwrap_or_default().to_owned();
            (text("operation"), text("resource_type"), text("result"))
        })
        .collect();
    let expected: Vec<(String, String, String)> = expected
        .iter()
        .map(|(o, r, s)| ((*o).to_owned(), (*r).to_owned(), (*s).to_owned()))
        .collect();
    assert_eq!(found, expected, "the journal: {entries:#?}");
    for entry in &entries {
        assert!(
            entry["method"].as_str().is_some_and(|m| !m.is_empty())
                && entry["path"]
                    .as_str()
                    .is_some_and(|p| p.starts_with("/api/2.0/accounts/")),
            "each entry names its request: {entry:#}"
        );
    }
    entries
}

/// None of `secrets` is anywhere in the journal file's bytes.
pub fn assert_holds_none_of(pty: &Pty, secrets: &[&str]) {
    let bytes = bytes(pty);
    assert!(!bytes.is_empty(), "the journal was written");
    for secret in secrets {
        assert!(!secret.is_empty());
        assert!(
            !bytes
                .windows(secret.len())
                .any(|window| window == secret.as_bytes()),
            "the secret {secret:?} is in the journal:\n{}",
            String::from_utf8_lossy(&bytes)
        );
    }
}
