//! Test fixtures: a temporary home with a config file, and an explicit environment, so no
//! test reads the real environment or home directory.

use std::collections::HashMap;

use tempfile::TempDir;

use super::ConfigInputs;

pub(crate) const ACCOUNT_ID: &str = "0d4a3e4c-1b2f-4c5d-9e8f-0123456789ab";
pub(crate) const HOST: &str = "https://accounts.cloud.databricks.com";

pub(crate) fn env(pairs: &[(&str, &str)]) -> HashMap<String, String> {
    pairs
        .iter()
        .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
        .collect()
}

/// A temporary home holding `.databrickscfg` with `text`; keep the `TempDir` alive.
pub(crate) fn inputs_with_file(text: &str) -> (TempDir, ConfigInputs) {
    let (dir, inputs) = inputs_without_file();
    std::fs::write(dir.path().join(".databrickscfg"), text).unwrap();
    (dir, inputs)
}

/// A temporary, empty home.
pub(crate) fn inputs_without_file() -> (TempDir, ConfigInputs) {
    let dir = tempfile::tempdir().unwrap();
    let inputs = ConfigInputs {
        home: Some(dir.path().to_path_buf()),
        ..ConfigInputs::default()
    };
    (dir, inputs)
}

/// Host, account id and a token in the environment: enough to resolve.
pub(crate) fn account_env(extra: &[(&str, &str)]) -> HashMap<String, String> {
    let mut vars = env(&[
        ("DATABRICKS_HOST", HOST),
        ("DATABRICKS_ACCOUNT_ID", ACCOUNT_ID),
    ]);
    vars.extend(env(extra));
    vars
}
