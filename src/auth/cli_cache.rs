//! Read-only reuse of a `databricks auth login` session from the Databricks CLI's token
//! cache (`~/.databricks/token-cache.json`). This module never writes that file: the CLI
//! owns it, and a refreshed token is kept in our own store instead.

use std::fs::File;
use std::io::{self, Read};
use std::path::{Path, PathBuf};

use chrono::{DateTime, Datelike, TimeDelta, Utc};
use serde::Deserialize;

use crate::api::client::normalize_host;
use crate::secret::Secret;

/// The only cache layout the CLI itself accepts.
const SUPPORTED_VERSION: u64 = 1;

/// A session found in the CLI's cache. Refresh it with client id `databricks-cli`.
#[derive(Debug, Clone, PartialEq)]
pub struct CliToken {
    pub access_token: Secret,
    pub refresh_token: Option<Secret>,
    /// `None` when the cache gives no usable expiry; see [`CliToken::expires_within`].
    pub expiry: Option<DateTime<Utc>>,
    /// The cache key the token came from (a profile name or a host key), for the status line.
    pub source_key: String,
}

impl CliToken {
    /// True when the token is expired, expires within `slack` of `now`, or has no known
    /// expiry: an unknown expiry is treated as expired, so a token that has a refresh token
    /// is refreshed before use instead of failing with 401 mid-way.
    pub fn expires_within(&self, slack: TimeDelta, now: DateTime<Utc>) -> bool {
        match (self.expiry, now.checked_add_signed(slack)) {
            (Some(expiry), Some(deadline)) => expiry <= deadline,
            _ => true,
        }
    }
}

/// Messages say what failed (with the path), why, and what to do.
#[derive(Debug, thiserror::Error)]
pub enum CliCacheError {
    #[error(
        "could not read the Databricks CLI token cache {}: {source}; check that you may read it, or sign in here instead",
        .path.display()
    )]
    Read { path: PathBuf, source: io::Error },
    #[error(
        "the Databricks CLI token cache {} is not a valid JSON object (line {line}, column {column}); run `databricks auth login` to rewrite it, or sign in here instead",
        .path.display()
    )]
    Malformed {
        path: PathBuf,
        line: usize,
        column: usize,
    },
    /// The CLI refuses any version but 1 as well; a newer CLI may have changed the layout.
    #[error(
        "the Databricks CLI token cache {} has version {version}, but this console reads version 1; sign in here instead",
        .path.display()
    )]
    UnsupportedVersion { path: PathBuf, version: String },
    #[error(
        "the entry {key:?} in the Databricks CLI token cache {} is not an OAuth token; run `databricks auth login` again, or sign in here instead",
        .path.display()
    )]
    MalformedEntry { path: PathBuf, key: String },
}

/// The CLI's session for `profile`, or for `host` and `account_id`, from
/// `<home>/.databricks/token-cache.json`. `Ok(None)` when there is no file or no entry
/// (the CLI may keep its tokens in the OS keyring instead).
///
/// The profile-name key is tried first (current CLIs), then the host key
/// `<host>/oidc/accounts/<account_id>` (older CLIs, and the default dual write). The caller
/// passes a profile only if it names this host and account: a profile's entry is taken as is.
pub fn read_cli_token(
    home: &Path,
    profile: Option<&str>,
    host: &str,
    account_id: &str,
) -> Result<Option<CliToken>, CliCacheError> {
    let path = home.join(".databricks").join("token-cache.json");
    let read_error = |source| CliCacheError::Read {
        path: path.clone(),
        source,
    };
    // Opened read-only: reading changes neither the bytes nor the modification time.
    let mut file = match File::open(&path) {
        Ok(file) => file,
        Err(error) if error.kind() == io::ErrorKind::NotFound => return Ok(None),
        Err(error) => return Err(read_error(error)),
    };
    let mut bytes = Vec::new();
    file.read_to_end(&mut bytes).map_err(read_error)?;
    drop(file);

    let cache: CacheFile =
        serde_json::from_slice(&bytes).map_err(|error| CliCacheError::Malformed {
            path: path.clone(),
            line: error.line(),
            column: error.column(),
        })?;
    match &cache.version {
        Some(serde_json::Value::Number(n)) if n.as_u64() == Some(SUPPORTED_VERSION) => {}
        other => {
            // Shortened: the field could hold anything, even a pasted token.
            let version = other
                .as_ref()
                .map_or_else(|| "(none)".to_owned(), ToString::to_string)
                .chars()
                .take(20)
                .collect();
            return Err(CliCacheError::UnsupportedVersion { path, version });
        }
    }
    let host_key = format!(
        "{}/oidc/accounts/{}",
        normalize_host(host),
        account_id.trim()
    );
    let candidates = profile
        .map(str::trim)
        .filter(|p| !p.is_empty())
        .into_iter()
        .chain([host_key.as_str()]);
    for key in candidates {
        let Some(entry) = cache.tokens.get(key) else {
            continue;
        };
        // Serde's message is not kept: it would quote the value, which may be a token.
        let token = GoToken::deserialize(entry).map_err(|_| CliCacheError::MalformedEntry {
            path: path.clone(),
            key: key.to_owned(),
        })?;
        if token.access_token.is_empty() {
            continue;
        }
        let expiry = token.expiry().map_err(|_| CliCacheError::MalformedEntry {
            path: path.clone(),
            key: key.to_owned(),
        })?;
        return Ok(Some(CliToken {
            access_token: Secret::new(token.access_token),
            refresh_token: token
                .refresh_token
                .filter(|r| !r.is_empty())
                .map(Secret::new),
            expiry,
            source_key: key.to_owned(),
        }));
    }
    Ok(None)
}

/// The cache file. `tokens` stays untyped until the version is checked and one entry is
/// picked, so another version's layout is reported as such and a damaged entry for another
/// profile does not hide a good one.
#[derive(Deserialize)]
struct CacheFile {
    version: Option<serde_json::Value>,
    #[serde(default)]
    tokens: serde_json::Value,
}

/// Go's `oauth2.Token` JSON. No `Debug`: it holds the tokens in plain text.
///
/// `expires_in` (written by some library versions, unconfirmed which) is ignored on purpose:
/// it counts from an issue time the file does not record. The file's modification time is
/// no stand-in, since writing another profile's entry later moves it, and an expiry guessed
/// too late means using an expired token; an unknown expiry is the safe answer.
#[derive(Deserialize)]
struct GoToken {
    access_token: String,
    #[serde(default)]
    refresh_token: Option<String>,
    #[serde(default)]
    expiry: Option<String>,
}

impl GoToken {
    /// `expiry` is RFC 3339 with nanoseconds and the writer's local offset. Go writes its
    /// zero time (`0001-01-01T00:00:00Z`, "no expiry") because `omitempty` does not omit
    /// structs: that, like a missing field, gives `None`, which
    /// [`CliToken::expires_within`] treats as expired.
    fn expiry(&self) -> Result<Option<DateTime<Utc>>, chrono::ParseError> {
        let Some(text) = self.expiry.as_deref().filter(|t| !t.is_empty()) else {
            return Ok(None);
        };
        let parsed = DateTime::parse_from_rfc3339(text)?;
        Ok((parsed.year() > 1).then(|| parsed.with_timezone(&Utc)))
    }
}

#[cfg(test)]
mod tests {
    use std::fs;

    use chrono::TimeZone;

    use super::*;

    const HOST: &str = "https://accounts.cloud.databricks.com";
    const ACCOUNT: &str = "0d4a3e4c-1b2f-4c5d-9e8f-0123456789ab";

    fn host_key() -> String {
        format!("{HOST}/oidc/accounts/{ACCOUNT}")
    }

    /// A home directory holding `.databricks/token-cache.json` with `body`.
    fn home_with(body: &str) -> tempfile::TempDir {
        let home = tempfile::tempdir().unwrap();
        fs::create_dir(home.path().join(".databricks")).unwrap();
        fs::write(cache_path(home.path()), body).unwrap();
        home
    }

    fn cache_path(home: &Path) -> PathBuf {
        home.join(".databricks").join("token-cache.json")
    }

    fn cache(entries: &[(&str, serde_json::Value)]) -> String {
        let tokens: serde_json::Map<String, serde_json::Value> = entries
            .iter()
            .map(|(key, value)| ((*key).to_owned(), value.clone()))
            .collect();
        serde_json::json!({ "version": 1, "tokens": tokens }).to_string()
    }

    fn go_token(access: &str) -> serde_json::Value {
        serde_json::json!({
            "access_token": access,
            "token_type": "Bearer",
            "refresh_token": format!("refresh-of-{access}"),
            "expiry": "2025-03-01T11:15:30.123456789+01:00",
        })
    }

    #[test]
    fn the_profile_key_wins_over_the_host_key() {
        let home = home_with(&cache(&[
            ("acct-admin", go_token("from-profile")),
            (&host_key(), go_token("from-host")),
        ]));
        let token = read_cli_token(home.path(), Some("acct-admin"), HOST, ACCOUNT)
            .unwrap()
            .unwrap();
        assert_eq!(token.access_token.expose(), "from-profile");
        assert_eq!(
            token.refresh_token.as_ref().map(Secret::expose),
            Some("refresh-of-from-profile")
        );
        assert_eq!(token.source_key, "acct-admin");
    }

    #[test]
    fn the_host_key_is_used_without_a_profile_or_when_the_profile_has_no_entry() {
        let home = home_with(&cache(&[(&host_key(), go_token("from-host"))]));
        for profile in [None, Some("other-profile")] {
            let token = read_cli_token(home.path(), profile, HOST, ACCOUNT)
                .unwrap()
                .unwrap();
            assert_eq!(token.access_token.expose(), "from-host");
            assert_eq!(token.source_key, host_key());
        }
        let unnormalised = "accounts.cloud.databricks.com/";
        let token = read_cli_token(home.path(), None, unnormalised, ACCOUNT).unwrap();
        assert_eq!(token.unwrap().source_key, host_key());
    }

    #[test]
    fn no_file_or_no_entry_is_none() {
        let empty_home = tempfile::tempdir().unwrap();
        assert!(
            read_cli_token(empty_home.path(), None, HOST, ACCOUNT)
                .unwrap()
                .is_none()
        );
        let home = home_with(&cache(&[("acct-admin", go_token("a"))]));
        assert!(
            read_cli_token(home.path(), None, HOST, "another-account")
                .unwrap()
                .is_none()
        );
        let blank = serde_json::json!({ "access_token": "", "token_type": "Bearer" });
        let home = home_with(&cache(&[
            ("acct-admin", blank),
            (&host_key(), go_token("h")),
        ]));
        let token = read_cli_token(home.path(), Some("acct-admin"), HOST, ACCOUNT).unwrap();
        assert_eq!(
            token.unwrap().source_key,
            host_key(),
            "a blank entry is skipped"
        );
    }

    #[test]
    fn another_version_is_unsupported() {
        let home = home_with(r#"{"version": 2, "tokens": []}"#);
        match read_cli_token(home.path(), None, HOST, ACCOUNT) {
            Err(CliCacheError::UnsupportedVersion { version, .. }) => assert_eq!(version, "2"),
            other => panic!("expected UnsupportedVersion, got {other:?}"),
        }
        let home = home_with(r#"{"tokens": {}}"#);
        let error = read_cli_token(home.path(), None, HOST, ACCOUNT).unwrap_err();
        assert!(error.to_string().contains("version (none)"), "{error}");
        let home = home_with(&format!(r#"{{"version": "{}"}}"#, "é".repeat(40)));
        let error = read_cli_token(home.path(), None, HOST, ACCOUNT).unwrap_err();
        assert!(error.to_string().contains("version \"ééé"), "{error}");
    }

    #[test]
    fn go_expiry_with_nanoseconds_and_an_offset_is_the_right_instant() {
        let home = home_with(&cache(&[(&host_key(), go_token("a"))]));
        let token = read_cli_token(home.path(), None, HOST, ACCOUNT)
            .unwrap()
            .unwrap();
        let expected = Utc.with_ymd_and_hms(2025, 3, 1, 10, 15, 30).unwrap()
            + TimeDelta::nanoseconds(123_456_789);
        assert_eq!(token.expiry, Some(expected));
        assert!(!token.expires_within(TimeDelta::minutes(5), expected - TimeDelta::minutes(6)));
        assert!(token.expires_within(TimeDelta::minutes(5), expected - TimeDelta::minutes(4)));
    }

    #[test]
    fn a_missing_or_go_zero_expiry_is_unknown_and_counts_as_expired() {
        let missing = serde_json::json!({ "access_token": "a", "expires_in": 3600 });
        let zero = serde_json::json!({ "access_token": "a", "expiry": "0001-01-01T00:00:00Z" });
        for entry in [missing, zero] {
            let home = home_with(&cache(&[(&host_key(), entry)]));
            let token = read_cli_token(home.path(), None, HOST, ACCOUNT)
                .unwrap()
                .unwrap();
            assert_eq!(token.expiry, None);
            assert_eq!(token.refresh_token, None);
            let long_ago = Utc.with_ymd_and_hms(2000, 1, 1, 0, 0, 0).unwrap();
            assert!(token.expires_within(TimeDelta::zero(), long_ago));
        }
    }

    #[test]
    fn malformed_files_and_entries_are_errors_that_never_quote_tokens() {
        let home = home_with("{\"version\": 1, \"tokens\": {");
        let error = read_cli_token(home.path(), None, HOST, ACCOUNT).unwrap_err();
        assert!(
            matches!(error, CliCacheError::Malformed { line: 1, .. }),
            "{error:?}"
        );

        let bad_entry = serde_json::json!({ "access_token": 5, "refresh_token": "leaked" });
        let bad_expiry = serde_json::json!({ "access_token": "leaked", "expiry": "soon" });
        for entry in [bad_entry, bad_expiry] {
            let home = home_with(&cache(&[(&host_key(), entry)]));
            let error = read_cli_token(home.path(), None, HOST, ACCOUNT).unwrap_err();
            assert!(
                matches!(error, CliCacheError::MalformedEntry { .. }),
                "{error:?}"
            );
            assert!(!format!("{error} {error:?}").contains("leaked"));
        }
    }

    #[test]
    fn debug_masks_the_tokens() {
        let home = home_with(&cache(&[(&host_key(), go_token("access-plain"))]));
        let token = read_cli_token(home.path(), None, HOST, ACCOUNT).unwrap();
        let debug = format!("{token:?}");
        assert!(!debug.contains("plain"), "{debug}");
    }

    #[test]
    fn reading_never_changes_the_file() {
        let body = cache(&[("acct-admin", go_token("a")), (&host_key(), go_token("b"))]);
        let home = home_with(&body);
        let path = cache_path(home.path());
        let before = fs::metadata(&path).unwrap();

        for profile in [Some("acct-admin"), None, Some("missing")] {
            read_cli_token(home.path(), profile, HOST, ACCOUNT).unwrap();
        }
        read_cli_token(home.path(), None, HOST, "no-such-account").unwrap();

        let after = fs::metadata(&path).unwrap();
        assert_eq!(fs::read_to_string(&path).unwrap(), body);
        assert_eq!(after.modified().unwrap(), before.modified().unwrap());
        assert_eq!(after.len(), before.len());
        assert_eq!(
            fs::read_dir(home.path().join(".databricks"))
                .unwrap()
                .count(),
            1,
            "no temporary or lock files"
        );
    }
}
