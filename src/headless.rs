//! Headless commands' plumbing: building an account client from flags and the environment,
//! and writing output files atomically.

use std::io::Write;
use std::path::Path;
use std::sync::Arc;

use color_eyre::eyre::{Result, WrapErr, bail};

use crate::api::{AccountClient, ClientConfig, StaticToken};
use crate::cli::AccountArgs;

/// A client for the account named by flags or `DATABRICKS_*` variables, authenticated with
/// `DATABRICKS_TOKEN`. (Profiles and OAuth sign-in plug in here later.)
pub fn client_from_env(account: &AccountArgs, concurrency: usize) -> Result<AccountClient> {
    let Some(host) = account.host.as_deref().filter(|h| !h.trim().is_empty()) else {
        bail!(
            "No account host: pass --host or set DATABRICKS_HOST (e.g. https://accounts.cloud.databricks.com)"
        );
    };
    let Some(account_id) = account
        .account_id
        .as_deref()
        .filter(|a| !a.trim().is_empty())
    else {
        bail!(
            "No account id: pass --account-id or set DATABRICKS_ACCOUNT_ID (the UUID shown in the account console)"
        );
    };
    let token = std::env::var("DATABRICKS_TOKEN")
        .ok()
        .filter(|t| !t.trim().is_empty());
    let Some(token) = token else {
        bail!("No credentials: set DATABRICKS_TOKEN to an account-admin access token");
    };
    let mut config = ClientConfig::new(host, account_id.trim());
    config.scim_concurrency = concurrency.max(1);
    AccountClient::new(config, Arc::new(StaticToken::new(token.trim())))
        .wrap_err("could not set up the HTTP client")
}

/// Writes `bytes` to `path` through a temporary file in the same directory and a rename, so
/// a reader never sees half a file.
pub fn write_atomically(path: &Path, bytes: &[u8]) -> Result<()> {
    let directory = path
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    let mut file = tempfile::NamedTempFile::new_in(directory).wrap_err_with(|| {
        format!(
            "could not create a temporary file in {}",
            directory.display()
        )
    })?;
    file.write_all(bytes)
        .wrap_err("could not write the output")?;
    file.as_file()
        .sync_all()
        .wrap_err("could not flush the output to disk")?;
    file.persist(path)
        .wrap_err_with(|| format!("could not write {}", path.display()))?;
    Ok(())
}
