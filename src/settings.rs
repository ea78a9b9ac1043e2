//! The console's own settings (`settings.json` in its config directory): switches that are
//! not about which account to reach, such as read-only mode.

use std::path::PathBuf;

use serde::Deserialize;

#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
#[serde(default)]
pub struct Settings {
    /// Never change anything on the account from this machine.
    pub read_only: bool,
}

/// Where the console keeps its configuration (keymap, settings, audit thresholds).
pub fn config_dir() -> Option<PathBuf> {
    crate::config::console_config_dir()
}

impl Settings {
    /// The settings file, or defaults with a warning when it is unreadable or malformed (a
    /// broken file must not lock anyone out of the console).
    pub fn load() -> (Settings, Option<String>) {
        let Some(path) = config_dir().map(|dir| dir.join("settings.json")) else {
            return (Settings::default(), None);
        };
        match std::fs::read_to_string(&path) {
            Err(error) if error.kind() == std::io::ErrorKind::NotFound => {
                (Settings::default(), None)
            }
            Err(error) => (
                Settings::default(),
                Some(format!("settings.json ignored: {error}")),
            ),
            Ok(text) => Settings::parse(&text),
        }
    }

    pub fn parse(text: &str) -> (Settings, Option<String>) {
        match serde_json::from_str(text) {
            Ok(settings) => (settings, None),
            Err(error) => (
                Settings::default(),
                Some(format!("settings.json ignored: {error}")),
            ),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn read_only_is_off_unless_set_and_bad_files_only_warn() {
        assert_eq!(Settings::parse("{}"), (Settings::default(), None));
        assert!(Settings::parse(r#"{"read_only": true}"#).0.read_only);
        let (settings, warning) = Settings::parse(r#"{"read_only": "yes"}"#);
        assert!(!settings.read_only);
        assert!(warning.is_some_and(|w| w.contains("settings.json ignored")));
    }
}
