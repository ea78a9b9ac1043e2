//! `ConfigError`: every way resolving the account, host and credentials can fail, each message
//! saying what failed, why, and what to do about it.

use std::path::PathBuf;

/// Fields named `origin` hold a human description of where a value came from ("environment
/// variable DATABRICKS_HOST", "profile 'prod' in /home/x/.databrickscfg"), so the user knows
/// which of the three places to fix.
#[derive(Debug, thiserror::Error)]
pub enum ConfigError {
    #[error("Could not read the config file {}: {reason}. Fix its permissions or point DATABRICKS_CONFIG_FILE at another file.", path.display())]
    ReadFile { path: PathBuf, reason: String },

    #[error("Could not parse the config file {}: {reason}. Fix the INI syntax (sections like [profile-name], lines like key = value).", path.display())]
    ParseFile { path: PathBuf, reason: String },

    #[error("Profile '{profile}' ({selected_by}) not found in {}; {available}. Pass --profile with one of them.", path.display())]
    ProfileNotFound {
        profile: String,
        selected_by: String,
        path: PathBuf,
        /// "available profiles: a, b" or "the file defines no profiles".
        available: String,
    },

    #[error("Profile '{profile}' ({selected_by}) was requested, but the config file {} does not exist. Create the profile with `databricks auth login --profile {profile}`, point DATABRICKS_CONFIG_FILE at your config file, or drop the profile and pass --host and --account-id.", path.display())]
    ConfigFileMissing {
        profile: String,
        selected_by: String,
        path: PathBuf,
    },

    #[error(
        "Profile '{profile}' ({selected_by}) was requested, but no config file can be located: there is no home directory and DATABRICKS_CONFIG_FILE is not set. Set DATABRICKS_CONFIG_FILE to your config file."
    )]
    NoConfigFileLocation {
        profile: String,
        selected_by: String,
    },

    #[error(
        "No account host is configured (looked at {looked}). Pass --host with your cloud's account console host (e.g. https://accounts.cloud.databricks.com), set DATABRICKS_HOST, or add `host` to the profile."
    )]
    MissingHost { looked: String },

    #[error(
        "'{host}' ({origin}) is a workspace host, but dbx-console manages the account and needs the account console host. Use {account_host} instead, and set account_id to your account id."
    )]
    WorkspaceHost {
        host: String,
        origin: String,
        account_host: &'static str,
    },

    #[error(
        "'{host}' ({origin}) is not a Databricks account host: it must start with https://accounts. or https://accounts-dod. Use your cloud's account console host: https://accounts.cloud.databricks.com (AWS), https://accounts.azuredatabricks.net (Azure) or https://accounts.gcp.databricks.com (GCP)."
    )]
    NotAccountHost { host: String, origin: String },

    #[error(
        "No account id is configured (looked at {looked}). Pass --account-id, set DATABRICKS_ACCOUNT_ID, or add `account_id` to the profile; the id (a UUID) is shown in the account console's user menu."
    )]
    MissingAccountId { looked: String },

    #[error(
        "Account id '{value}' ({origin}) is not a UUID (expected 8-4-4-4-12 hex digits, like 0d4a3e4c-1b2f-4c5d-9e8f-0123456789ab). Copy the id from the account console's user menu."
    )]
    InvalidAccountId { value: String, origin: String },

    #[error(
        "auth_type '{value}' ({origin}) is not supported by dbx-console. Use one of: {supported}, or remove auth_type to let dbx-console pick from the credentials that are set."
    )]
    UnsupportedAuthType {
        value: String,
        origin: String,
        supported: String,
    },

    #[error(
        "auth_type {auth_type} ({chosen_by}) needs {missing}, which is not set. Set it, or choose another auth_type."
    )]
    IncompleteCredentials {
        auth_type: &'static str,
        chosen_by: String,
        /// What to set, with its environment variable and profile key.
        missing: String,
    },

    #[error(
        "More than one kind of credential is configured: {kinds}. Set auth_type (DATABRICKS_AUTH_TYPE or `auth_type` in the profile) to {auth_types} to pick one, or remove the others."
    )]
    AmbiguousCredentials {
        /// Each kind with the key that revealed it and where that key was set.
        kinds: String,
        auth_types: String,
    },

    #[error(
        "Invalid redirect ports '{value}' ({origin}): {reason}. Use a comma-separated list (8020,8021) or a range (8020-8030) of ports between 1 and 65535."
    )]
    InvalidRedirectPorts {
        value: String,
        origin: String,
        reason: String,
    },

    #[error(
        "Invalid login timeout '{value}' ({origin}): expected a whole number of seconds greater than 0, e.g. 300."
    )]
    InvalidLoginTimeout { value: String, origin: String },

    #[error(
        "Invalid auth_storage '{value}' ({origin}): use secure (the OS keyring), plaintext or legacy (a file)."
    )]
    InvalidAuthStorage { value: String, origin: String },

    #[error("Invalid value '{value}' for {key} ({origin}): expected true or false.")]
    InvalidBool {
        key: &'static str,
        value: String,
        origin: String,
    },
}
