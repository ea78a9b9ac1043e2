//! Headless commands' plumbing: resolving the configuration, the token store, an account
//! client for it, reading snapshot files and writing outputs (files atomically).

use std::io::Write;
use std::path::Path;

use crate::api::{AccountClient, ClientConfig};
use crate::auth::connect::{Connected, connect};
use crate::auth::session_store::SessionStore;
use crate::auth::token_store::{DATA_DIR_ENV, TokenStore};
use crate::cli::AccountArgs;
use crate::config::{ConfigInputs, ResolvedConfig, resolve};
use crate::snapshot_view::check_format;

pub fn config_inputs(account: &AccountArgs) -> ConfigInputs {
    ConfigInputs::from_process(
        account.profile.clone(),
        account.host.clone(),
        account.account_id.clone(),
    )
}

pub fn resolve_config(account: &AccountArgs) -> Result<(ConfigInputs, ResolvedConfig), String> {
    let inputs = config_inputs(account);
    let config = resolve(&inputs).map_err(|e| e.to_string())?;
    Ok((inputs, config))
}

pub fn token_store() -> Result<TokenStore, String> {
    // The data directory can be overridden (tests point it at a temporary directory).
    match std::env::var(DATA_DIR_ENV) {
        Ok(dir) if !dir.trim().is_empty() => Ok(TokenStore::in_dir(dir.trim())),
        _ => TokenStore::default_location().map_err(|e| e.to_string()),
    }
}

/// The session store `auth_storage` asks for, and a warning when it fell back to the file.
pub fn session_store(config: &ResolvedConfig) -> Result<(SessionStore, Option<String>), String> {
    Ok(SessionStore::open(config.auth_storage, token_store()?))
}

/// An account client for the configured account, signed in as configured.
pub async fn connected_client(
    account: &AccountArgs,
    concurrency: usize,
) -> Result<(AccountClient, ResolvedConfig, Connected), String> {
    let (inputs, config) = resolve_config(account)?;
    let (store, store_warning) = session_store(&config)?;
    let mut connected = connect(&config, &store, inputs.home.as_deref())
        .await
        .map_err(|e| e.to_string())?;
    connected.warnings.extend(store_warning);
    let mut client_config = ClientConfig::new(&config.host, &config.account_id);
    client_config.scim_concurrency = concurrency.max(1);
    client_config.max_in_flight = concurrency.max(1);
    let client =
        AccountClient::new(client_config, connected.source.clone()).map_err(|e| e.to_string())?;
    Ok((client, config, connected))
}

/// Writes `bytes` to `path` through a temporary file in the same directory and a rename, so
/// a reader never sees half a file.
pub fn write_atomically(path: &Path, bytes: &[u8]) -> Result<(), String> {
    let directory = path
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    let fail =
        |what: &str, e: std::io::Error| format!("could not write {}: {what}: {e}", path.display());
    let mut file =
        tempfile::NamedTempFile::new_in(directory).map_err(|e| fail("temporary file", e))?;
    file.write_all(bytes).map_err(|e| fail("write", e))?;
    file.as_file().sync_all().map_err(|e| fail("flush", e))?;
    file.persist(path).map_err(|e| fail("rename", e.error))?;
    Ok(())
}

/// Writes `bytes` to `path` atomically, or to stdout when there is no path.
pub fn write_output(path: Option<&Path>, bytes: &[u8]) -> Result<(), String> {
    match path {
        Some(path) => write_atomically(path, bytes),
        None => {
            let mut stdout = std::io::stdout().lock();
            stdout
                .write_all(bytes)
                .and_then(|()| stdout.flush())
                .map_err(|e| format!("could not write to stdout: {e}"))
        }
    }
}

/// Reads a file written by `dbx-console snapshot`.
pub fn read_snapshot(path: &Path) -> Result<serde_json::Value, String> {
    let bytes =
        std::fs::read(path).map_err(|e| format!("could not read {}: {e}", path.display()))?;
    let document: serde_json::Value = serde_json::from_slice(&bytes)
        .map_err(|e| format!("{} is not JSON: {e}", path.display()))?;
    check_format(&document).map_err(|why| format!("{} cannot be read: {why}", path.display()))?;
    Ok(document)
}

/// Expected failures are told plainly, with what to do, and exit 1; color-eyre's full
/// report is kept for bugs.
pub fn exit_with(message: &str) -> ! {
    eprintln!("error: {message}");
    std::process::exit(1);
}
