//! Where a U2M session lives: our token file, or the OS keyring when `auth_storage = secure`
//! and both this build (`--features keyring`) and the machine have one. Otherwise the file is
//! used and a warning says why, so a missing keyring never stops a sign-in.

use super::token_store::{Loaded, StoredToken, TokenKey, TokenStore};
use crate::config::AuthStorage;

#[derive(Clone)]
pub enum SessionStore {
    File(TokenStore),
    #[cfg(feature = "keyring")]
    Keyring(keyring_store::KeyringStore),
}

impl SessionStore {
    /// The store `storage` asks for, or the file with a warning when it cannot be had.
    pub fn open(storage: AuthStorage, file: TokenStore) -> (SessionStore, Option<String>) {
        match storage {
            AuthStorage::File => (SessionStore::File(file), None),
            AuthStorage::Secure => secure_or_file(file),
        }
    }

    pub fn load(&self, key: &TokenKey) -> Result<Loaded, String> {
        match self {
            SessionStore::File(store) => store.load(key).map_err(|e| e.to_string()),
            #[cfg(feature = "keyring")]
            SessionStore::Keyring(store) => store.load(key),
        }
    }

    pub fn save(&self, key: &TokenKey, token: &StoredToken) -> Result<(), String> {
        match self {
            SessionStore::File(store) => store.save(key, token).map_err(|e| e.to_string()),
            #[cfg(feature = "keyring")]
            SessionStore::Keyring(store) => store.save(key, token),
        }
    }

    pub fn remove(&self, key: &TokenKey) -> Result<bool, String> {
        match self {
            SessionStore::File(store) => store.remove(key).map_err(|e| e.to_string()),
            #[cfg(feature = "keyring")]
            SessionStore::Keyring(store) => store.remove(key),
        }
    }

    /// Where sessions are, for messages: a path, or "the OS keyring".
    pub fn location(&self) -> String {
        match self {
            SessionStore::File(store) => store.path().display().to_string(),
            #[cfg(feature = "keyring")]
            SessionStore::Keyring(_) => "the OS keyring".to_owned(),
        }
    }
}

#[cfg(not(feature = "keyring"))]
fn secure_or_file(file: TokenStore) -> (SessionStore, Option<String>) {
    let warning = format!(
        "auth_storage is secure, but this build has no OS keyring support (build with --features keyring); \
         the session is kept in {} (mode 0600) instead",
        file.path().display()
    );
    (SessionStore::File(file), Some(warning))
}

#[cfg(feature = "keyring")]
fn secure_or_file(file: TokenStore) -> (SessionStore, Option<String>) {
    match keyring_store::KeyringStore::probe() {
        Ok(store) => (SessionStore::Keyring(store), None),
        Err(reason) => {
            let warning = format!(
                "auth_storage is secure, but no OS keyring is available ({reason}); the session is kept in {} (mode 0600) instead",
                file.path().display()
            );
            (SessionStore::File(file), Some(warning))
        }
    }
}

#[cfg(feature = "keyring")]
mod keyring_store {
    //! Sessions in the OS keyring: one entry per token key, holding the same JSON as one
    //! entry of the token file.

    use super::super::token_store::{Loaded, StoredToken, TokenKey, decode_token, encode_token};

    const SERVICE: &str = "dbx-console";

    #[derive(Clone)]
    pub struct KeyringStore;

    fn entry(key: &str) -> Result<keyring::Entry, String> {
        keyring::Entry::new(SERVICE, key).map_err(|e| e.to_string())
    }

    impl KeyringStore {
        /// Whether a keyring answers: reading a missing entry must say "no entry".
        pub fn probe() -> Result<KeyringStore, String> {
            match entry("availability-probe")?.get_password() {
                Ok(_) | Err(keyring::Error::NoEntry) => Ok(KeyringStore),
                Err(error) => Err(error.to_string()),
            }
        }

        pub fn load(&self, key: &TokenKey) -> Result<Loaded, String> {
            match entry(&key.to_map_key())?.get_password() {
                Ok(text) => match decode_token(&text) {
                    Some(token) => Ok(Loaded {
                        token: Some(token),
                        warning: None,
                    }),
                    None => Ok(Loaded {
                        token: None,
                        warning: Some(
                            "the session in the OS keyring is unreadable; sign in again".into(),
                        ),
                    }),
                },
                Err(keyring::Error::NoEntry) => Ok(Loaded::default()),
                Err(error) => Err(format!("the OS keyring failed: {error}")),
            }
        }

        pub fn save(&self, key: &TokenKey, token: &StoredToken) -> Result<(), String> {
            entry(&key.to_map_key())?
                .set_password(&encode_token(token))
                .map_err(|e| format!("the OS keyring failed: {e}"))
        }

        pub fn remove(&self, key: &TokenKey) -> Result<bool, String> {
            match entry(&key.to_map_key())?.delete_credential() {
                Ok(()) => Ok(true),
                Err(keyring::Error::NoEntry) => Ok(false),
                Err(error) => Err(format!("the OS keyring failed: {error}")),
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn file_storage_needs_no_warning() {
        let dir = tempfile::tempdir().unwrap();
        let (store, warning) =
            SessionStore::open(AuthStorage::File, TokenStore::in_dir(dir.path()));
        assert!(warning.is_none());
        assert!(matches!(store, SessionStore::File(_)));
    }

    /// A build without the feature always uses the file and names the missing feature.
    #[cfg(not(feature = "keyring"))]
    #[test]
    fn secure_storage_in_a_build_without_keyring_falls_back_to_the_file() {
        let dir = tempfile::tempdir().unwrap();
        let (store, warning) =
            SessionStore::open(AuthStorage::Secure, TokenStore::in_dir(dir.path()));
        assert!(matches!(store, SessionStore::File(_)));
        let warning = warning.expect("the fallback is explained");
        assert!(
            warning.contains("--features keyring") && warning.contains("tokens.json"),
            "{warning}"
        );
    }

    /// With the feature, a machine without a keyring (CI: no Secret Service) still falls back
    /// and says why; one with a keyring uses it silently.
    #[cfg(feature = "keyring")]
    #[test]
    fn secure_storage_uses_the_keyring_or_says_why_not() {
        let dir = tempfile::tempdir().unwrap();
        match SessionStore::open(AuthStorage::Secure, TokenStore::in_dir(dir.path())) {
            (SessionStore::File(_), warning) => {
                assert!(warning.is_some_and(|w| w.contains("no OS keyring is available")));
            }
            (SessionStore::Keyring(_), warning) => assert!(warning.is_none()),
        }
    }
}
