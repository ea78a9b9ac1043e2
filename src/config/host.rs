//! Account host and account id: normalisation and validation, with errors that point a
//! user who pasted a workspace URL at their cloud's account console host.

use crate::api::client::normalize_host;

use super::error::ConfigError;

/// Workspace host suffixes and the account console host of the same cloud.
const CLOUDS: [(&str, &str); 4] = [
    (
        ".cloud.databricks.com",
        "https://accounts.cloud.databricks.com",
    ),
    (
        ".cloud.databricks.us",
        "https://accounts.cloud.databricks.us",
    ),
    (
        ".azuredatabricks.net",
        "https://accounts.azuredatabricks.net",
    ),
    (".gcp.databricks.com", "https://accounts.gcp.databricks.com"),
];

/// Local hosts the fake account server listens on (tests, `--demo`).
const LOOPBACK: [&str; 3] = ["http://127.0.0.1", "http://localhost", "http://[::1]"];

/// The SDKs' normalisation (`normalize_host`) applied to scheme and authority only: a path,
/// query or fragment copied from the browser (`/login?account_id=...`) is dropped, as the Go
/// SDK keeps only scheme and host.
pub fn normalize_account_host(raw: &str) -> String {
    let raw = raw.trim();
    let authority_start = raw.find("://").map_or(0, |i| i + 3);
    let end = raw[authority_start..]
        .find(['/', '?', '#'])
        .map_or(raw.len(), |i| authority_start + i);
    normalize_host(&raw[..end])
}

/// The SDKs' rule (prefix `https://accounts.` or `https://accounts-dod.`), plus plain-HTTP
/// loopback hosts so the in-process fake can stand in for an account.
pub fn is_account_host(normalized: &str) -> bool {
    normalized.starts_with("https://accounts.")
        || normalized.starts_with("https://accounts-dod.")
        || is_loopback(normalized)
}

fn is_loopback(normalized: &str) -> bool {
    LOOPBACK.iter().any(|prefix| {
        normalized
            .strip_prefix(prefix)
            .is_some_and(|rest| rest.is_empty() || rest.starts_with(':'))
    })
}

/// The account console host for a workspace host of a known cloud.
fn account_host_for_workspace(normalized: &str) -> Option<&'static str> {
    let authority = normalized.split_once("://").map_or(normalized, |(_, a)| a);
    let hostname = authority.split(':').next().unwrap_or(authority);
    CLOUDS
        .iter()
        .find(|(suffix, _)| hostname.ends_with(suffix))
        .map(|(_, account_host)| *account_host)
}

/// Normalises `raw` and accepts only an account host; `origin` says where it was set.
pub(crate) fn validate_host(raw: &str, origin: &str) -> Result<String, ConfigError> {
    let host = normalize_account_host(raw);
    if is_account_host(&host) {
        return Ok(host);
    }
    Err(match account_host_for_workspace(&host) {
        Some(account_host) => ConfigError::WorkspaceHost {
            host,
            origin: origin.to_owned(),
            account_host,
        },
        None => ConfigError::NotAccountHost {
            host,
            origin: origin.to_owned(),
        },
    })
}

/// A UUID in 8-4-4-4-12 hex form, returned trimmed and lower-cased: the account API paths
/// and the CLI's token-cache keys use the lower-case form.
pub(crate) fn validate_account_id(raw: &str, origin: &str) -> Result<String, ConfigError> {
    let id = raw.trim();
    let groups: Vec<&str> = id.split('-').collect();
    let is_uuid = groups.len() == 5
        && groups
            .iter()
            .zip([8, 4, 4, 4, 12])
            .all(|(group, len)| group.len() == len && group.chars().all(|c| c.is_ascii_hexdigit()));
    if is_uuid {
        Ok(id.to_ascii_lowercase())
    } else {
        Err(ConfigError::InvalidAccountId {
            value: id.to_owned(),
            origin: origin.to_owned(),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hosts_are_normalised() {
        for (raw, want) in [
            (
                "accounts.cloud.databricks.com/",
                "https://accounts.cloud.databricks.com",
            ),
            (
                "https://accounts.cloud.databricks.com:443",
                "https://accounts.cloud.databricks.com",
            ),
            (
                " https://accounts.azuredatabricks.net:443/ ",
                "https://accounts.azuredatabricks.net",
            ),
            (
                "https://accounts.cloud.databricks.com/login?account_id=x#top",
                "https://accounts.cloud.databricks.com",
            ),
            (
                "accounts-dod.cloud.databricks.us",
                "https://accounts-dod.cloud.databricks.us",
            ),
            ("http://127.0.0.1:8080/", "http://127.0.0.1:8080"),
        ] {
            assert_eq!(validate_host(raw, "test").unwrap(), want, "{raw}");
        }
    }

    #[test]
    fn loopback_hosts_are_allowed_for_the_fake() {
        for host in [
            "http://127.0.0.1:41234",
            "http://localhost:8080",
            "http://localhost",
        ] {
            assert!(validate_host(host, "test").is_ok(), "{host}");
        }
        assert!(validate_host("http://127.0.0.1.evil.example", "test").is_err());
        assert!(validate_host("http://accounts.cloud.databricks.com", "test").is_err());
    }

    #[test]
    fn workspace_hosts_name_their_cloud_account_host() {
        for (workspace, account) in [
            (
                "dbc-1a2b3c4d-5e6f.cloud.databricks.com",
                "https://accounts.cloud.databricks.com",
            ),
            (
                "https://my-ws.cloud.databricks.us/",
                "https://accounts.cloud.databricks.us",
            ),
            (
                "https://adb-1234567890123456.7.azuredatabricks.net/?o=1234567890123456",
                "https://accounts.azuredatabricks.net",
            ),
            (
                "https://1234567890123456.7.gcp.databricks.com",
                "https://accounts.gcp.databricks.com",
            ),
        ] {
            let err = validate_host(workspace, "environment variable DATABRICKS_HOST").unwrap_err();
            match &err {
                ConfigError::WorkspaceHost { account_host, .. } => {
                    assert_eq!(*account_host, account)
                }
                other => panic!("{workspace}: {other:?}"),
            }
            let text = err.to_string();
            assert!(text.contains(&format!("Use {account} instead")), "{text}");
            assert!(
                text.contains("(environment variable DATABRICKS_HOST)"),
                "{text}"
            );
        }
    }

    #[test]
    fn other_hosts_are_not_account_hosts() {
        let err = validate_host("https://example.com", "the --host flag").unwrap_err();
        assert!(matches!(err, ConfigError::NotAccountHost { .. }));
        assert!(
            err.to_string()
                .starts_with("'https://example.com' (the --host flag) is not")
        );
    }

    #[test]
    fn account_ids_must_be_uuids() {
        let id = validate_account_id(" 0D4A3E4C-1B2F-4C5D-9E8F-0123456789AB\n", "x").unwrap();
        assert_eq!(id, "0d4a3e4c-1b2f-4c5d-9e8f-0123456789ab");
        for bad in [
            "0d4a3e4c1b2f4c5d9e8f0123456789ab",
            "0d4a3e4c-1b2f-4c5d-9e8f-0123456789a",
            "0d4a3e4c-1b2f-4c5d-9e8f-0123456789ag",
            "0d4a3e4c-1b2f-4c5d-9e8f-01234567-89ab",
        ] {
            let err = validate_account_id(bad, "environment variable DATABRICKS_ACCOUNT_ID");
            let text = err.unwrap_err().to_string();
            assert!(
                text.starts_with(&format!(
                    "Account id '{bad}' (environment variable DATABRICKS_ACCOUNT_ID) is not a UUID"
                )),
                "{text}"
            );
        }
    }
}
