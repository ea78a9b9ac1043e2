//! Where sessions are kept: `auth_storage` in `[__settings__]` of `~/.databrickscfg`, or
//! `DATABRICKS_AUTH_STORAGE` (the Databricks CLI's own switch, so one setting serves both).

use super::error::ConfigError;

pub const AUTH_STORAGE_ENV: &str = "DATABRICKS_AUTH_STORAGE";

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum AuthStorage {
    /// Our token file (the CLI's `legacy` and `plaintext` modes both mean a file).
    #[default]
    File,
    /// The OS keyring (Keychain, Credential Manager, Secret Service), where one exists.
    Secure,
}

impl AuthStorage {
    pub fn parse(value: &str, origin: &str) -> Result<AuthStorage, ConfigError> {
        match value.trim().to_ascii_lowercase().as_str() {
            "" | "legacy" | "plaintext" => Ok(AuthStorage::File),
            "secure" => Ok(AuthStorage::Secure),
            _ => Err(ConfigError::InvalidAuthStorage {
                value: value.to_owned(),
                origin: origin.to_owned(),
            }),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_cli_values_are_understood_and_others_refused() {
        assert_eq!(
            AuthStorage::parse("secure", "x").unwrap(),
            AuthStorage::Secure
        );
        assert_eq!(
            AuthStorage::parse(" Legacy ", "x").unwrap(),
            AuthStorage::File
        );
        assert_eq!(
            AuthStorage::parse("plaintext", "x").unwrap(),
            AuthStorage::File
        );
        let error = AuthStorage::parse("vault", "DATABRICKS_AUTH_STORAGE")
            .unwrap_err()
            .to_string();
        assert!(
            error.contains("'vault'") && error.contains("secure"),
            "{error}"
        );
    }
}
