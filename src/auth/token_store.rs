//! Our own OAuth token file: one entry per account host, account id and client id in
//! `tokens.json`, mode 0600 in a 0700 directory, written atomically. A damaged file is set
//! aside with a warning and never stops the console.

use std::collections::BTreeMap;
use std::fmt;
use std::fs::{self, File};
use std::io::{self, Read, Write};
use std::path::{Path, PathBuf};

use chrono::{DateTime, TimeDelta, Utc};
use serde::{Deserialize, Serialize};

use crate::api::client::normalize_host;
use crate::private_files::{PrivateDirError, mode_open_to_others, prepare_private_dir, set_mode};
use crate::secret::Secret;

/// Moves the data directory; the caller reads it and passes the directory to
/// [`TokenStore::in_dir`], so this module never looks at the environment.
pub const DATA_DIR_ENV: &str = "DBX_CONSOLE_DATA_DIR";

const FILE_NAME: &str = "tokens.json";
const FORMAT_VERSION: u64 = 1;
/// Separates the client id from the host key in the map key. A normalised host and an
/// account id hold no `#`, so splitting at the first marker gets the key back whatever the
/// client id holds.
const CLIENT_ID_MARKER: &str = "#client_id=";
const ACCOUNT_MARKER: &str = "/oidc/accounts/";

/// Which session a token belongs to: the same user signed in through two app integrations,
/// or to two accounts, holds two independent refresh tokens.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct TokenKey {
    pub host: String,
    pub account_id: String,
    pub client_id: String,
}

impl TokenKey {
    /// Normalises the host like the SDKs (`accounts.cloud.databricks.com/` and
    /// `https://accounts.cloud.databricks.com` are one account) and trims the ids.
    pub fn new(host: &str, account_id: &str, client_id: &str) -> Self {
        Self {
            host: normalize_host(host),
            account_id: account_id.trim().to_owned(),
            client_id: client_id.trim().to_owned(),
        }
    }

    /// The key in the file: the CLI's host key plus the client id, e.g.
    /// `https://accounts.cloud.databricks.com/oidc/accounts/<id>#client_id=databricks-cli`.
    pub fn to_map_key(&self) -> String {
        format!(
            "{}{ACCOUNT_MARKER}{}{CLIENT_ID_MARKER}{}",
            self.host, self.account_id, self.client_id
        )
    }

    /// The inverse of [`TokenKey::to_map_key`]; `None` for a key this console did not write.
    pub fn parse(map_key: &str) -> Option<Self> {
        let (host_key, client_id) = map_key.split_once(CLIENT_ID_MARKER)?;
        let (host, account_id) = host_key.rsplit_once(ACCOUNT_MARKER)?;
        (!host.is_empty() && !account_id.is_empty() && !client_id.is_empty()).then(|| Self {
            host: host.to_owned(),
            account_id: account_id.to_owned(),
            client_id: client_id.to_owned(),
        })
    }
}

impl fmt::Display for TokenKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.to_map_key())
    }
}

/// A signed-in session as kept between runs. Debug masks both tokens (they are [`Secret`]s).
#[derive(Debug, Clone, PartialEq)]
pub struct StoredToken {
    pub access_token: Secret,
    pub refresh_token: Option<Secret>,
    pub token_type: String,
    pub expiry: DateTime<Utc>,
    pub scopes: Vec<String>,
    /// The SCIM `userName` seen at sign-in, for `auth status`.
    pub signed_in_as: Option<String>,
    pub saved_at: DateTime<Utc>,
}

impl StoredToken {
    /// True when the access token is expired or expires within `slack` of `now`, so the
    /// caller refreshes before a request fails with 401 (the CLI uses five minutes).
    pub fn expires_within(&self, slack: TimeDelta, now: DateTime<Utc>) -> bool {
        now.checked_add_signed(slack)
            .is_none_or(|deadline| self.expiry <= deadline)
    }

    pub fn summary(&self) -> StoredTokenSummary {
        StoredTokenSummary {
            expiry: self.expiry,
            scopes: self.scopes.clone(),
            signed_in_as: self.signed_in_as.clone(),
            saved_at: self.saved_at,
            has_refresh_token: self.refresh_token.is_some(),
        }
    }
}

/// What `auth status` may show about a stored session: no token values.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct StoredTokenSummary {
    pub expiry: DateTime<Utc>,
    pub scopes: Vec<String>,
    pub signed_in_as: Option<String>,
    pub saved_at: DateTime<Utc>,
    pub has_refresh_token: bool,
}

/// The result of [`TokenStore::load`]: a damaged or too-open file is reported, not fatal.
#[derive(Debug, Default)]
pub struct Loaded {
    pub token: Option<StoredToken>,
    /// For the status line: what was wrong with the file and what was done about it.
    pub warning: Option<String>,
}

/// Messages say what failed (with the path), why, and what to do.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error(
        "could not find a data directory for dbx-console (no home directory?); set DBX_CONSOLE_DATA_DIR to a writable directory"
    )]
    NoDataDir,
    #[error(
        "could not read the token file {}: {source}; check that you own it and may read it, or move it away and sign in again",
        .path.display()
    )]
    Read { path: PathBuf, source: io::Error },
    #[error(
        "could not create the token directory {}: {source}; check the permissions of its parent, or set DBX_CONSOLE_DATA_DIR to a writable directory",
        .path.display()
    )]
    CreateDir { path: PathBuf, source: io::Error },
    #[error(
        "could not restrict the token directory {} to its owner (mode 0700): {source}; check that you own it, or set DBX_CONSOLE_DATA_DIR to a directory you own",
        .path.display()
    )]
    RestrictDir { path: PathBuf, source: io::Error },
    #[error(
        "could not write the token file {}: {source}; check free disk space and that you may write to its directory",
        .path.display()
    )]
    Write { path: PathBuf, source: io::Error },
    #[error(
        "the token file {} is damaged and could not be moved aside: {source}; move or delete it by hand, then sign in again",
        .path.display()
    )]
    SetAside { path: PathBuf, source: io::Error },
}

/// The token file. Every change reads the whole map, changes one entry and writes the whole
/// map back, so other accounts' sessions survive.
///
/// Two console processes saving at the same moment can still lose one update (the last
/// rename wins). There is no lock on purpose: one console per user is the normal case, and
/// the loss costs a sign-in, never a corrupt file, because every write is a rename.
#[derive(Debug, Clone)]
pub struct TokenStore {
    path: PathBuf,
    /// The default data directory is ours, so an existing one made by someone else's umask
    /// is tightened to 0700. A directory named by the user may be shared (their home, a
    /// project folder): it is only tightened when this store created it; the file's own
    /// 0600 protects the tokens either way.
    owns_dir: bool,
}

/// What reading the file found.
#[derive(Default)]
struct Contents {
    tokens: BTreeMap<String, DiskToken>,
    /// The file was damaged and moved aside: what happened and where it went.
    set_aside: Option<String>,
    /// The file is open to other users.
    loose_permissions: Option<String>,
}

impl TokenStore {
    pub fn at(path: impl Into<PathBuf>) -> Self {
        Self {
            path: path.into(),
            owns_dir: false,
        }
    }

    /// `tokens.json` in `dir`, for the `DBX_CONSOLE_DATA_DIR` override and for tests.
    pub fn in_dir(dir: impl AsRef<Path>) -> Self {
        Self::at(dir.as_ref().join(FILE_NAME))
    }

    /// `tokens.json` in the platform data directory (`~/.local/share/dbx-console` on Linux).
    pub fn default_location() -> Result<Self, StoreError> {
        let dirs =
            directories::ProjectDirs::from("", "", "dbx-console").ok_or(StoreError::NoDataDir)?;
        Ok(Self {
            path: dirs.data_dir().join(FILE_NAME),
            owns_dir: true,
        })
    }

    pub fn path(&self) -> &Path {
        &self.path
    }

    pub fn load(&self, key: &TokenKey) -> Result<Loaded, StoreError> {
        let mut contents = self.read()?;
        let token = contents
            .tokens
            .remove(&key.to_map_key())
            .map(StoredToken::from);
        Ok(Loaded {
            token,
            warning: contents.set_aside.or(contents.loose_permissions),
        })
    }

    /// Adds or replaces `key`'s entry. A damaged file is set aside first (and logged, as
    /// there is no status line to report it here); a too-open one is replaced by a 0600 file.
    pub fn save(&self, key: &TokenKey, token: &StoredToken) -> Result<(), StoreError> {
        let mut contents = self.read_for_change()?;
        contents
            .tokens
            .insert(key.to_map_key(), DiskToken::from(token));
        self.write(&contents.tokens)
    }

    /// Forgets `key`'s session; `false` when there was none (and then nothing is written).
    pub fn remove(&self, key: &TokenKey) -> Result<bool, StoreError> {
        let mut contents = self.read_for_change()?;
        if contents.tokens.remove(&key.to_map_key()).is_none() {
            return Ok(false);
        }
        self.write(&contents.tokens)?;
        Ok(true)
    }

    /// Every stored session, without token values, in key order. Entries under a key this
    /// console did not write are skipped here but kept in the file.
    pub fn entries(&self) -> Result<Vec<(TokenKey, StoredTokenSummary)>, StoreError> {
        let contents = self.read_for_change()?;
        Ok(contents
            .tokens
            .into_iter()
            .filter_map(|(map_key, disk)| {
                let key = TokenKey::parse(&map_key)?;
                Some((key, StoredToken::from(disk).summary()))
            })
            .collect())
    }

    fn directory(&self) -> &Path {
        self.path
            .parent()
            .filter(|p| !p.as_os_str().is_empty())
            .unwrap_or(Path::new("."))
    }

    /// Like [`TokenStore::read`] for callers without a status line: a set-aside file is
    /// logged instead of shown.
    fn read_for_change(&self) -> Result<Contents, StoreError> {
        let contents = self.read()?;
        if let Some(warning) = &contents.set_aside {
            tracing::warn!("{warning}");
        }
        Ok(contents)
    }

    fn read(&self) -> Result<Contents, StoreError> {
        let read_error = |source| StoreError::Read {
            path: self.path.clone(),
            source,
        };
        let mut file = match File::open(&self.path) {
            Ok(file) => file,
            Err(error) if error.kind() == io::ErrorKind::NotFound => return Ok(Contents::default()),
            Err(error) => return Err(read_error(error)),
        };
        // Mode from the open handle, so it is the mode of the bytes that were read.
        let metadata = file.metadata().map_err(read_error)?;
        let mut bytes = Vec::new();
        file.read_to_end(&mut bytes).map_err(read_error)?;
        drop(file);
        match parse(&bytes) {
            Ok(tokens) => Ok(Contents {
                tokens,
                set_aside: None,
                loose_permissions: loose_permissions_warning(&self.path, &metadata),
            }),
            Err(problem) => {
                let aside = self.set_aside()?;
                let warning = format!(
                    "The token file {} {problem}; it was moved to {} for inspection and you need to sign in again.",
                    self.path.display(),
                    aside.display()
                );
                Ok(Contents {
                    set_aside: Some(warning),
                    ..Contents::default()
                })
            }
        }
    }

    /// Renames the damaged file to `tokens.json.corrupt-<UTC time>` next to it. A rename
    /// keeps the file's mode, so a set-aside copy is no more readable than the original.
    fn set_aside(&self) -> Result<PathBuf, StoreError> {
        let file_name = self
            .path
            .file_name()
            .map(|name| name.to_string_lossy().into_owned())
            .unwrap_or_else(|| FILE_NAME.to_owned());
        let stamp = Utc::now().format("%Y%m%dT%H%M%SZ");
        let base = format!("{file_name}.corrupt-{stamp}");
        // Two damaged files within one second must not overwrite each other.
        let mut aside = self.path.with_file_name(&base);
        let mut counter = 1;
        while aside.exists() {
            counter += 1;
            aside = self.path.with_file_name(format!("{base}-{counter}"));
        }
        fs::rename(&self.path, &aside).map_err(|source| StoreError::SetAside {
            path: self.path.clone(),
            source,
        })?;
        Ok(aside)
    }

    /// Temp file in the same directory (so the rename stays on one file system), mode 0600
    /// before any byte is written, fsync, then rename over the old file: a reader sees the
    /// old file or the new one, never half of one, and a crash leaves the old file intact.
    fn write(&self, tokens: &BTreeMap<String, DiskToken>) -> Result<(), StoreError> {
        let directory = self.directory();
        self.prepare_directory(directory)?;
        let write_error = |source| StoreError::Write {
            path: self.path.clone(),
            source,
        };
        let file = DiskFileOut {
            version: FORMAT_VERSION,
            tokens,
        };
        let mut bytes = serde_json::to_vec_pretty(&file).map_err(|e| write_error(e.into()))?;
        bytes.push(b'\n');
        // A recognisable name, so a leftover from a crash explains itself.
        let mut temp = tempfile::Builder::new()
            .prefix(".tokens-")
            .suffix(".tmp")
            .tempfile_in(directory)
            .map_err(write_error)?;
        set_mode(temp.path(), 0o600).map_err(write_error)?;
        temp.write_all(&bytes).map_err(write_error)?;
        temp.as_file().sync_all().map_err(write_error)?;
        temp.persist(&self.path)
            .map_err(|error| write_error(error.error))?;
        sync_directory(directory);
        Ok(())
    }

    fn prepare_directory(&self, directory: &Path) -> Result<(), StoreError> {
        prepare_private_dir(directory, self.owns_dir).map_err(|error| match error {
            PrivateDirError::Create(source) => StoreError::CreateDir {
                path: directory.to_owned(),
                source,
            },
            PrivateDirError::Restrict(source) => StoreError::RestrictDir {
                path: directory.to_owned(),
                source,
            },
        })
    }
}

/// The file's problem, phrased to follow "The token file <path> ...". Serde's own messages
/// are left out: they quote the offending value, which could be a token.
fn parse(bytes: &[u8]) -> Result<BTreeMap<String, DiskToken>, String> {
    let header: Header = serde_json::from_slice(bytes).map_err(|error| match error.classify() {
        serde_json::error::Category::Data => "is not a JSON object".to_owned(),
        _ => format!(
            "is not valid JSON (line {}, column {})",
            error.line(),
            error.column()
        ),
    })?;
    match header.version {
        Some(serde_json::Value::Number(n)) if n.as_u64() == Some(FORMAT_VERSION) => {}
        Some(other) => {
            // Shortened: the field could hold anything, even a pasted token.
            let shown: String = other.to_string().chars().take(20).collect();
            return Err(format!(
                "has version {shown}, but this console reads version {FORMAT_VERSION}"
            ));
        }
        None => return Err("has no version".to_owned()),
    }
    serde_json::from_slice::<DiskFile>(bytes)
        .map(|file| file.tokens)
        .map_err(|error| {
            format!(
                "does not have the expected shape (line {}, column {})",
                error.line(),
                error.column()
            )
        })
}

fn loose_permissions_warning(path: &Path, metadata: &fs::Metadata) -> Option<String> {
    let mode = mode_open_to_others(metadata)?;
    Some(format!(
        "The token file {} is open to other users (mode {mode:04o}); it will be tightened to 0600 at the next save, or run `chmod 600 {}` now.",
        path.display(),
        path.display()
    ))
}

/// Makes the rename itself durable. Best effort: the new file is already complete, and a
/// failure here (or on Windows, where a directory cannot be opened this way) only means a
/// crash in the next moments could bring back the old file.
fn sync_directory(directory: &Path) {
    if let Ok(handle) = File::open(directory) {
        let _ = handle.sync_all();
    }
}

#[derive(Deserialize)]
struct Header {
    version: Option<serde_json::Value>,
}

/// The version was checked through [`Header`] already.
#[derive(Deserialize)]
struct DiskFile {
    #[serde(default)]
    tokens: BTreeMap<String, DiskToken>,
}

/// [`DiskFile`] for writing, borrowing the map so the tokens are not copied once more.
#[derive(Serialize)]
struct DiskFileOut<'a> {
    version: u64,
    tokens: &'a BTreeMap<String, DiskToken>,
}

/// One token in the file's JSON form, for another store (the OS keyring) to keep.
#[cfg(any(feature = "keyring", test))]
pub(crate) fn encode_token(token: &StoredToken) -> String {
    serde_json::to_string(&DiskToken::from(token)).unwrap_or_default()
}

/// The inverse of [`encode_token`]; `None` for anything that is not such a token.
#[cfg(any(feature = "keyring", test))]
pub(crate) fn decode_token(text: &str) -> Option<StoredToken> {
    serde_json::from_str::<DiskToken>(text)
        .ok()
        .map(StoredToken::from)
}

/// The on-disk form of [`StoredToken`], with the tokens in plain text: `Secret` serializes
/// as `***`, which would make the file useless. No `Debug`, so it cannot reach a log.
#[derive(Serialize, Deserialize)]
struct DiskToken {
    access_token: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    refresh_token: Option<String>,
    token_type: String,
    expiry: DateTime<Utc>,
    #[serde(default)]
    scopes: Vec<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    signed_in_as: Option<String>,
    saved_at: DateTime<Utc>,
}

impl From<DiskToken> for StoredToken {
    fn from(disk: DiskToken) -> Self {
        Self {
            access_token: Secret::new(disk.access_token),
            refresh_token: disk.refresh_token.map(Secret::new),
            token_type: disk.token_type,
            expiry: disk.expiry,
            scopes: disk.scopes,
            signed_in_as: disk.signed_in_as,
            saved_at: disk.saved_at,
        }
    }
}

impl From<&StoredToken> for DiskToken {
    fn from(token: &StoredToken) -> Self {
        Self {
            access_token: token.access_token.expose().to_owned(),
            refresh_token: token
                .refresh_token
                .as_ref()
                .map(|secret| secret.expose().to_owned()),
            token_type: token.token_type.clone(),
            expiry: token.expiry,
            scopes: token.scopes.clone(),
            signed_in_as: token.signed_in_as.clone(),
            saved_at: token.saved_at,
        }
    }
}

#[cfg(test)]
mod tests {
    use chrono::TimeZone;

    use super::*;

    #[test]
    fn one_token_round_trips_through_its_json_form() {
        let token = StoredToken {
            access_token: Secret::new("access-1"),
            refresh_token: Some(Secret::new("refresh-1")),
            token_type: "Bearer".into(),
            expiry: Utc.with_ymd_and_hms(2030, 1, 2, 3, 4, 5).unwrap(),
            scopes: vec!["all-apis".into()],
            signed_in_as: Some("ana@example.com".into()),
            saved_at: Utc.with_ymd_and_hms(2030, 1, 1, 0, 0, 0).unwrap(),
        };
        let text = encode_token(&token);
        assert!(
            text.contains("access-1"),
            "the stored form must hold the real token"
        );
        assert_eq!(decode_token(&text), Some(token));
        assert_eq!(decode_token("not json"), None);
    }

    fn key(account_id: &str) -> TokenKey {
        TokenKey::new(
            "https://accounts.cloud.databricks.com",
            account_id,
            "databricks-cli",
        )
    }

    fn token(access: &str, refresh: &str) -> StoredToken {
        StoredToken {
            access_token: Secret::new(access),
            refresh_token: Some(Secret::new(refresh)),
            token_type: "Bearer".to_owned(),
            expiry: Utc.with_ymd_and_hms(2025, 3, 1, 10, 15, 30).unwrap()
                + TimeDelta::nanoseconds(123_456_789),
            scopes: vec!["all-apis".to_owned(), "offline_access".to_owned()],
            signed_in_as: Some("admin@example.com".to_owned()),
            saved_at: Utc.with_ymd_and_hms(2025, 3, 1, 9, 15, 30).unwrap(),
        }
    }

    fn file_names(dir: &Path) -> Vec<String> {
        let mut names: Vec<String> = fs::read_dir(dir)
            .unwrap()
            .map(|entry| entry.unwrap().file_name().to_string_lossy().into_owned())
            .collect();
        names.sort();
        names
    }

    #[cfg(unix)]
    fn mode(path: &Path) -> u32 {
        use std::os::unix::fs::PermissionsExt;
        fs::metadata(path).unwrap().permissions().mode() & 0o777
    }

    #[cfg(unix)]
    fn set_mode(path: &Path, mode: u32) {
        use std::os::unix::fs::PermissionsExt;
        fs::set_permissions(path, fs::Permissions::from_mode(mode)).unwrap();
    }

    #[test]
    fn saves_and_loads_two_keys_without_losing_either() {
        let dir = tempfile::tempdir().unwrap();
        let store = TokenStore::in_dir(dir.path());
        store
            .save(&key("acct-1"), &token("access-1", "refresh-1"))
            .unwrap();
        store
            .save(&key("acct-2"), &token("access-2", "refresh-2"))
            .unwrap();

        let first = store.load(&key("acct-1")).unwrap();
        assert_eq!(first.token, Some(token("access-1", "refresh-1")));
        assert_eq!(first.warning, None);
        let second = store.load(&key("acct-2")).unwrap();
        assert_eq!(second.token, Some(token("access-2", "refresh-2")));
        let other_client = TokenKey::new("accounts.cloud.databricks.com", "acct-1", "custom-app");
        assert_eq!(store.load(&other_client).unwrap().token, None);
    }

    #[test]
    fn missing_file_loads_nothing_and_creates_nothing() {
        let dir = tempfile::tempdir().unwrap();
        let store = TokenStore::in_dir(dir.path().join("data"));
        let loaded = store.load(&key("acct-1")).unwrap();
        assert!(loaded.token.is_none() && loaded.warning.is_none());
        assert!(store.entries().unwrap().is_empty());
        assert!(!dir.path().join("data").exists());
    }

    #[test]
    fn key_normalises_the_host_and_round_trips_through_its_map_key() {
        let key = TokenKey::new(" accounts.cloud.databricks.com:443/ ", " acct-1 ", "app");
        assert_eq!(key.host, "https://accounts.cloud.databricks.com");
        assert_eq!(
            key.to_map_key(),
            "https://accounts.cloud.databricks.com/oidc/accounts/acct-1#client_id=app"
        );
        assert_eq!(TokenKey::parse(&key.to_map_key()), Some(key));
        let odd_client = TokenKey::new("accounts.cloud.databricks.com", "acct-1", "a#client_id=b");
        assert_eq!(TokenKey::parse(&odd_client.to_map_key()), Some(odd_client));
        assert_eq!(TokenKey::parse("acct-admin"), None);
    }

    #[test]
    fn expires_within_counts_the_slack() {
        let stored = token("a", "r");
        let five_minutes = TimeDelta::minutes(5);
        assert!(stored.expires_within(five_minutes, stored.expiry - TimeDelta::minutes(4)));
        assert!(!stored.expires_within(five_minutes, stored.expiry - TimeDelta::minutes(10)));
        assert!(stored.expires_within(TimeDelta::zero(), stored.expiry + TimeDelta::seconds(1)));
        assert!(stored.expires_within(TimeDelta::MAX, stored.expiry - TimeDelta::days(1)));
    }

    #[cfg(unix)]
    #[test]
    fn file_is_0600_and_a_new_directory_0700() {
        let dir = tempfile::tempdir().unwrap();
        let data = dir.path().join("nested").join("data");
        let store = TokenStore::in_dir(&data);
        store.save(&key("acct-1"), &token("a", "r")).unwrap();
        assert_eq!(mode(store.path()), 0o600);
        assert_eq!(mode(&data), 0o700);
    }

    #[cfg(unix)]
    #[test]
    fn an_existing_directory_given_by_the_user_keeps_its_mode() {
        let dir = tempfile::tempdir().unwrap();
        set_mode(dir.path(), 0o755);
        TokenStore::in_dir(dir.path())
            .save(&key("acct-1"), &token("a", "r"))
            .unwrap();
        assert_eq!(mode(dir.path()), 0o755);
    }

    #[cfg(unix)]
    #[test]
    fn our_own_data_directory_is_tightened_even_when_it_exists() {
        let dir = tempfile::tempdir().unwrap();
        set_mode(dir.path(), 0o755);
        let store = TokenStore {
            path: dir.path().join(FILE_NAME),
            owns_dir: true,
        };
        store.save(&key("acct-1"), &token("a", "r")).unwrap();
        assert_eq!(mode(dir.path()), 0o700);
    }

    #[test]
    fn saves_leave_no_temporary_files_behind() {
        let dir = tempfile::tempdir().unwrap();
        let store = TokenStore::in_dir(dir.path());
        store.save(&key("acct-1"), &token("a1", "r1")).unwrap();
        store.save(&key("acct-1"), &token("a2", "r2")).unwrap();
        store.remove(&key("acct-1")).unwrap();
        assert_eq!(file_names(dir.path()), ["tokens.json"]);
    }

    #[test]
    fn a_file_that_is_not_json_is_set_aside_and_saving_starts_afresh() {
        let dir = tempfile::tempdir().unwrap();
        let store = TokenStore::in_dir(dir.path());
        fs::write(store.path(), "{ not json").unwrap();
        #[cfg(unix)]
        set_mode(store.path(), 0o640);

        let loaded = store.load(&key("acct-1")).unwrap();
        assert!(loaded.token.is_none());
        let warning = loaded.warning.unwrap();
        assert!(warning.contains("is not valid JSON"), "{warning}");
        let names = file_names(dir.path());
        assert_eq!(names.len(), 1);
        assert!(names[0].starts_with("tokens.json.corrupt-"), "{names:?}");
        assert!(warning.contains(&names[0]), "{warning}");
        let aside = dir.path().join(&names[0]);
        assert_eq!(fs::read_to_string(&aside).unwrap(), "{ not json");
        #[cfg(unix)]
        assert_eq!(mode(&aside), 0o640);

        store.save(&key("acct-1"), &token("a", "r")).unwrap();
        let loaded = store.load(&key("acct-1")).unwrap();
        assert_eq!(loaded.token, Some(token("a", "r")));
        assert_eq!(loaded.warning, None);
    }

    #[test]
    fn a_wrong_version_is_set_aside() {
        let dir = tempfile::tempdir().unwrap();
        let store = TokenStore::in_dir(dir.path());
        fs::write(store.path(), r#"{"version": 2, "tokens": {}}"#).unwrap();
        let warning = store.load(&key("acct-1")).unwrap().warning.unwrap();
        assert!(warning.contains("has version 2"), "{warning}");
        assert!(!store.path().exists());
        fs::write(
            store.path(),
            format!(r#"{{"version": "{}"}}"#, "é".repeat(40)),
        )
        .unwrap();
        let warning = store.load(&key("acct-1")).unwrap().warning.unwrap();
        assert!(warning.contains("has version \"ééé"), "{warning}");
    }

    #[test]
    fn a_wrong_shape_is_set_aside_without_quoting_the_value() {
        let dir = tempfile::tempdir().unwrap();
        let store = TokenStore::in_dir(dir.path());
        let body =
            r#"{"version": 1, "tokens": {"k": {"access_token": "a", "scopes": "leaked-token"}}}"#;
        fs::write(store.path(), body).unwrap();
        let warning = store.load(&key("acct-1")).unwrap().warning.unwrap();
        assert!(warning.contains("expected shape"), "{warning}");
        assert!(!warning.contains("leaked-token"), "{warning}");
    }

    #[test]
    fn save_sets_a_damaged_file_aside_by_itself() {
        let dir = tempfile::tempdir().unwrap();
        let store = TokenStore::in_dir(dir.path());
        fs::write(store.path(), "[]").unwrap();
        store.save(&key("acct-1"), &token("a", "r")).unwrap();
        fs::write(store.path(), "[]").unwrap();
        store.save(&key("acct-1"), &token("a", "r")).unwrap();
        let names = file_names(dir.path());
        assert_eq!(
            names.len(),
            3,
            "two set-aside files and the new one: {names:?}"
        );
        assert_eq!(
            store.load(&key("acct-1")).unwrap().token,
            Some(token("a", "r"))
        );
    }

    #[cfg(unix)]
    #[test]
    fn a_too_open_file_is_read_with_a_warning_and_tightened_at_the_next_save() {
        let dir = tempfile::tempdir().unwrap();
        let store = TokenStore::in_dir(dir.path());
        store.save(&key("acct-1"), &token("a", "r")).unwrap();
        set_mode(store.path(), 0o644);

        let loaded = store.load(&key("acct-1")).unwrap();
        assert_eq!(loaded.token, Some(token("a", "r")));
        let warning = loaded.warning.unwrap();
        assert!(warning.contains("mode 0644"), "{warning}");

        store.save(&key("acct-2"), &token("b", "s")).unwrap();
        assert_eq!(mode(store.path()), 0o600);
        assert_eq!(store.load(&key("acct-1")).unwrap().warning, None);
    }

    #[test]
    fn remove_forgets_one_key_and_reports_whether_it_was_there() {
        let dir = tempfile::tempdir().unwrap();
        let store = TokenStore::in_dir(dir.path());
        assert!(!store.remove(&key("acct-1")).unwrap());
        assert!(!store.path().exists(), "removing nothing writes nothing");
        store.save(&key("acct-1"), &token("a1", "r1")).unwrap();
        store.save(&key("acct-2"), &token("a2", "r2")).unwrap();

        assert!(store.remove(&key("acct-1")).unwrap());
        assert!(!store.remove(&key("acct-1")).unwrap());
        assert_eq!(store.load(&key("acct-1")).unwrap().token, None);
        assert_eq!(
            store.load(&key("acct-2")).unwrap().token,
            Some(token("a2", "r2"))
        );
    }

    #[test]
    fn entries_list_sessions_without_token_values() {
        let dir = tempfile::tempdir().unwrap();
        let store = TokenStore::in_dir(dir.path());
        store
            .save(&key("acct-2"), &token("access-two", "refresh-two"))
            .unwrap();
        store
            .save(&key("acct-1"), &token("access-one", "refresh-one"))
            .unwrap();

        let entries = store.entries().unwrap();
        let keys: Vec<&TokenKey> = entries.iter().map(|(key, _)| key).collect();
        assert_eq!(keys, [&key("acct-1"), &key("acct-2")]);
        let summary = &entries[0].1;
        assert_eq!(summary.signed_in_as.as_deref(), Some("admin@example.com"));
        assert!(summary.has_refresh_token);
        let debug = format!("{entries:?}");
        let summaries: Vec<&StoredTokenSummary> = entries.iter().map(|(_, s)| s).collect();
        let json = serde_json::to_string(&summaries).unwrap();
        for text in [debug, json] {
            assert!(
                !text.contains("access-") && !text.contains("refresh-"),
                "{text}"
            );
        }
    }

    #[test]
    fn entries_written_by_someone_else_are_kept_but_not_listed() {
        let dir = tempfile::tempdir().unwrap();
        let store = TokenStore::in_dir(dir.path());
        let foreign = r#"{"version": 1, "tokens": {"hand-edited": {"access_token": "x",
            "token_type": "Bearer", "expiry": "2025-03-01T10:00:00Z", "saved_at": "2025-03-01T09:00:00Z"}}}"#;
        fs::write(store.path(), foreign).unwrap();
        store.save(&key("acct-1"), &token("a", "r")).unwrap();
        assert_eq!(store.entries().unwrap().len(), 1);
        let file: serde_json::Value =
            serde_json::from_str(&fs::read_to_string(store.path()).unwrap()).unwrap();
        assert!(file["tokens"].get("hand-edited").is_some());
    }

    #[test]
    fn the_file_holds_the_real_tokens_but_debug_does_not() {
        let dir = tempfile::tempdir().unwrap();
        let store = TokenStore::in_dir(dir.path());
        let stored = token("access-plain", "refresh-plain");
        store.save(&key("acct-1"), &stored).unwrap();

        let text = fs::read_to_string(store.path()).unwrap();
        let file: serde_json::Value = serde_json::from_str(&text).unwrap();
        assert_eq!(file["version"], 1);
        let entry = &file["tokens"][key("acct-1").to_map_key()];
        assert_eq!(entry["access_token"], "access-plain");
        assert_eq!(entry["refresh_token"], "refresh-plain");
        let expiry = DateTime::parse_from_rfc3339(entry["expiry"].as_str().unwrap()).unwrap();
        assert_eq!(expiry, stored.expiry);

        let debug = format!("{stored:?} {:?}", store.load(&key("acct-1")).unwrap());
        assert!(!debug.contains("plain"), "{debug}");
    }
}
