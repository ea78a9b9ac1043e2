//! The audit's tunable limits: defaults in code, overrides from `audit.json` in the
//! console's config directory, then from flags. A bad entry is a warning, never a crash.

use std::path::Path;

use serde::Serialize;
use serde_json::Value;

pub const FILE_NAME: &str = "audit.json";

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Thresholds {
    /// A live secret expiring within this many days is reported (rotate before it breaks).
    pub secret_expiring_within_days: i64,
    /// A live secret created longer ago than this is reported (rotate it).
    pub secret_max_age_days: i64,
    /// A refresh-token lifetime above this many minutes is reported.
    pub refresh_token_ttl_max_minutes: i64,
}

impl Default for Thresholds {
    fn default() -> Self {
        Self {
            secret_expiring_within_days: 30,
            secret_max_age_days: 365,
            // 30 days: a month of unattended access per stolen refresh token is already a
            // lot; the API allows up to 90.
            refresh_token_ttl_max_minutes: 30 * 24 * 60,
        }
    }
}

const KEYS: [&str; 3] = [
    "secret_expiring_within_days",
    "secret_max_age_days",
    "refresh_token_ttl_max_minutes",
];

impl Thresholds {
    /// Defaults overridden by the entries of an `audit.json` text, with a warning for each
    /// entry that was ignored.
    pub fn from_json(text: &str) -> (Thresholds, Vec<String>) {
        let mut thresholds = Thresholds::default();
        let mut warnings = Vec::new();
        let document: Value = match serde_json::from_str(text) {
            Ok(document) => document,
            Err(error) => {
                warnings.push(format!("not valid JSON ({error}); using the defaults"));
                return (thresholds, warnings);
            }
        };
        let Some(entries) = document.as_object() else {
            warnings.push("expected a JSON object; using the defaults".into());
            return (thresholds, warnings);
        };
        for (key, value) in entries {
            let Some(slot) = thresholds.slot(key) else {
                warnings.push(format!(
                    "unknown key '{key}' ignored (known: {})",
                    KEYS.join(", ")
                ));
                continue;
            };
            match value.as_i64().filter(|n| *n >= 0) {
                Some(number) => *slot = number,
                None => warnings.push(format!(
                    "'{key}' must be a whole number of zero or more, got {value}; using {}",
                    *slot
                )),
            }
        }
        (thresholds, warnings)
    }

    /// Reads `audit.json` in `config_dir`; no file means the defaults, without a warning.
    pub fn load(config_dir: Option<&Path>) -> (Thresholds, Vec<String>) {
        let Some(path) = config_dir.map(|dir| dir.join(FILE_NAME)) else {
            return (Thresholds::default(), Vec::new());
        };
        match std::fs::read_to_string(&path) {
            Ok(text) => {
                let (thresholds, warnings) = Thresholds::from_json(&text);
                let warnings = warnings
                    .into_iter()
                    .map(|w| format!("{}: {w}", path.display()))
                    .collect();
                (thresholds, warnings)
            }
            Err(error) if error.kind() == std::io::ErrorKind::NotFound => {
                (Thresholds::default(), Vec::new())
            }
            Err(error) => (
                Thresholds::default(),
                vec![format!(
                    "{}: could not be read ({error}); using the defaults",
                    path.display()
                )],
            ),
        }
    }

    fn slot(&mut self, key: &str) -> Option<&mut i64> {
        match key {
            "secret_expiring_within_days" => Some(&mut self.secret_expiring_within_days),
            "secret_max_age_days" => Some(&mut self.secret_max_age_days),
            "refresh_token_ttl_max_minutes" => Some(&mut self.refresh_token_ttl_max_minutes),
            _ => None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn entries_override_the_defaults() {
        let (thresholds, warnings) = Thresholds::from_json(
            r#"{"secret_max_age_days": 90, "secret_expiring_within_days": 7}"#,
        );
        assert!(warnings.is_empty(), "{warnings:?}");
        assert_eq!(thresholds.secret_max_age_days, 90);
        assert_eq!(thresholds.secret_expiring_within_days, 7);
        assert_eq!(
            thresholds.refresh_token_ttl_max_minutes,
            Thresholds::default().refresh_token_ttl_max_minutes
        );
    }

    #[test]
    fn bad_entries_are_warnings_and_keep_the_default() {
        let (thresholds, warnings) = Thresholds::from_json(
            r#"{"secret_max_age_days": -1, "refresh_token_ttl_max_minutes": "long", "colour": 1}"#,
        );
        assert_eq!(thresholds, Thresholds::default());
        assert_eq!(warnings.len(), 3, "{warnings:?}");
        assert!(warnings.iter().any(|w| w.contains("unknown key 'colour'")));
        let (_, warnings) = Thresholds::from_json("[1]");
        assert_eq!(warnings.len(), 1);
        let (_, warnings) = Thresholds::from_json("{");
        assert!(warnings[0].contains("not valid JSON"));
    }

    #[test]
    fn a_missing_file_means_the_defaults_silently() {
        let dir = tempfile::tempdir().unwrap();
        assert_eq!(
            Thresholds::load(Some(dir.path())),
            (Thresholds::default(), Vec::new())
        );
        std::fs::write(
            dir.path().join(FILE_NAME),
            r#"{"secret_max_age_days": 180}"#,
        )
        .unwrap();
        assert_eq!(
            Thresholds::load(Some(dir.path())).0.secret_max_age_days,
            180
        );
        assert_eq!(Thresholds::load(None).0, Thresholds::default());
    }
}
