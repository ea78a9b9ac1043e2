//! Configuration resolution: which account host, account id and credentials to use, from
//! flags, `DATABRICKS_*` environment variables and a `~/.databrickscfg` profile, following
//! the Databricks unified-auth rules. Pure apart from reading the config file.

mod credentials;
mod error;
mod file;
mod host;
mod login;
mod profiles;
mod settings;
mod storage;

#[cfg(test)]
mod credentials_tests;
#[cfg(test)]
mod resolve_tests;
#[cfg(test)]
mod testing;

use std::collections::{BTreeMap, HashMap};
use std::fmt;
use std::path::PathBuf;

pub use credentials::{
    AuthType, Credentials, OAUTH_DEFAULT_SCOPE, OFFLINE_ACCESS, OidcToken, U2M_CLIENT_ID,
    parse_scopes,
};
pub use error::ConfigError;
pub use host::{is_account_host, normalize_account_host};
pub use login::{
    DEFAULT_LOGIN_TIMEOUT, DEFAULT_REDIRECT_PORTS, LoginOptions, parse_redirect_ports,
};
pub use profiles::{ProfileSummary, list_profiles};
pub use settings::{Field, Source};
pub use storage::{AUTH_STORAGE_ENV, AuthStorage};

use settings::{ProfileRef, Settings};

/// Overrides the console's own config directory (tests point it at a temporary one).
pub const CONFIG_DIR_ENV: &str = "DBX_CONSOLE_CONFIG_DIR";

/// The console's own config directory, home of `audit.json`: the platform's
/// (`~/.config/dbx-console` on Linux, where the console also reads `keymap.json`) unless
/// `DBX_CONSOLE_CONFIG_DIR` is set.
pub fn console_config_dir() -> Option<PathBuf> {
    match std::env::var_os(CONFIG_DIR_ENV) {
        Some(dir) if !dir.is_empty() => Some(PathBuf::from(dir)),
        _ => directories::ProjectDirs::from("", "", "dbx-console")
            .map(|dirs| dirs.config_dir().to_path_buf()),
    }
}

/// The flags plus a snapshot of the environment: everything `resolve` reads besides the
/// config file, so tests pass their own instead of touching the process environment.
#[derive(Clone, Default)]
pub struct ConfigInputs {
    pub profile: Option<String>,
    pub host: Option<String>,
    pub account_id: Option<String>,
    pub env: HashMap<String, String>,
    /// Where `~/.databrickscfg` lives; `None` when the user has no home directory.
    pub home: Option<PathBuf>,
}

impl ConfigInputs {
    /// The real environment and home directory. Pass flag values only when the user typed
    /// them (not clap's `env =` fallback), or `auth status` will call an env var a flag.
    pub fn from_process(
        profile: Option<String>,
        host: Option<String>,
        account_id: Option<String>,
    ) -> Self {
        Self {
            profile,
            host,
            account_id,
            env: std::env::vars().collect(),
            home: directories::BaseDirs::new().map(|dirs| dirs.home_dir().to_path_buf()),
        }
    }
}

/// Names only: the environment holds tokens and secrets.
impl fmt::Debug for ConfigInputs {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut env_names: Vec<&str> = self.env.keys().map(String::as_str).collect();
        env_names.sort_unstable();
        f.debug_struct("ConfigInputs")
            .field("profile", &self.profile)
            .field("host", &self.host)
            .field("account_id", &self.account_id)
            .field("env_names", &env_names)
            .field("home", &self.home)
            .finish()
    }
}

/// Everything needed to talk to one account. `Debug` is safe to log: secret values are
/// `Secret`s and the sources hold no values.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ResolvedConfig {
    /// Normalised account host, e.g. `https://accounts.cloud.databricks.com`.
    pub host: String,
    /// Lower-case UUID.
    pub account_id: String,
    /// The profile that was read, if any.
    pub profile: Option<String>,
    /// The config file that was read; `None` when there was none.
    pub config_file: Option<PathBuf>,
    /// As configured, or inferred from the credentials that are set (then its source is
    /// `Source::Default`).
    pub auth_type: AuthType,
    pub credentials: Credentials,
    /// Where a U2M session is kept.
    pub auth_storage: AuthStorage,
    /// Where each field that has a value came from, defaults included.
    pub sources: BTreeMap<Field, Source>,
}

impl ResolvedConfig {
    /// The account's OIDC root; `/v1/authorize` and `/v1/token` hang off it, and the
    /// Databricks CLI keys its token cache by it.
    pub fn oidc_root(&self) -> String {
        format!("{}/oidc/accounts/{}", self.host, self.account_id)
    }

    /// One line for `auth status`: "host from environment variable DATABRICKS_HOST".
    pub fn describe_source(&self, field: Field) -> String {
        let key = field.key();
        match (field, self.sources.get(&field)) {
            (_, None) => format!("{key} is not set"),
            (Field::AuthType, Some(Source::Default)) => {
                format!("{key} inferred from the credentials that are set")
            }
            (Field::Profile, Some(Source::Default)) => {
                format!("{key} [DEFAULT], the fallback when no profile is named")
            }
            (_, Some(source)) => format!("{key} from {}", source.describe(field)),
        }
    }
}

/// Applies unified-auth precedence (flags > `DATABRICKS_*` environment > selected profile)
/// and validates the result: an account host, a UUID account id, one kind of credentials.
pub fn resolve(inputs: &ConfigInputs) -> Result<ResolvedConfig, ConfigError> {
    let located = file::locate(inputs);
    let loaded = match &located {
        Some((path, _)) => file::load(path)?,
        None => None,
    };
    let located_path = located.as_ref().map(|(path, _)| path.as_path());
    let explicit = file::explicit_profile(inputs);
    let selected = file::select_profile(loaded.as_ref(), located_path, explicit)?;
    let profile_ref = selected
        .as_ref()
        .zip(loaded.as_ref())
        .and_then(|((name, _), file)| {
            let section = file.section(name)?;
            Some(ProfileRef {
                file: &file.path,
                name,
                section,
            })
        });
    let note = match (located_path, &loaded) {
        (None, _) => "no profile (no home directory, so no ~/.databrickscfg)".to_owned(),
        (Some(path), None) => format!("no profile ({} does not exist)", path.display()),
        (Some(path), Some(_)) => format!(
            "no profile ({} has no default_profile and no [DEFAULT])",
            path.display()
        ),
    };
    let mut settings = Settings::collect(inputs, profile_ref.as_ref(), note);
    if let Some((path, source)) = &located {
        settings.insert(
            Field::ConfigFile,
            path.display().to_string(),
            source.clone(),
        );
    }
    if let Some((name, source)) = &selected {
        settings.insert(Field::Profile, name.clone(), source.clone());
    }

    let host = match settings.value(Field::Host) {
        Some(raw) => host::validate_host(raw, &settings.origin(Field::Host))?,
        None => {
            return Err(ConfigError::MissingHost {
                looked: settings.looked(Field::Host),
            });
        }
    };
    let account_id = match settings.value(Field::AccountId) {
        Some(raw) => host::validate_account_id(raw, &settings.origin(Field::AccountId))?,
        None => {
            return Err(ConfigError::MissingAccountId {
                looked: settings.looked(Field::AccountId),
            });
        }
    };
    let (auth_type, credentials) = credentials::resolve_credentials(&mut settings, &inputs.env)?;

    let auth_storage = match inputs
        .env
        .get(AUTH_STORAGE_ENV)
        .filter(|v| !v.trim().is_empty())
    {
        Some(value) => {
            AuthStorage::parse(value, &format!("environment variable {AUTH_STORAGE_ENV}"))?
        }
        None => match loaded
            .as_ref()
            .and_then(|file| file.auth_storage_setting().map(|v| (v, file.path.clone())))
        {
            Some((value, path)) => {
                AuthStorage::parse(&value, &format!("[__settings__] in {}", path.display()))?
            }
            None => AuthStorage::default(),
        },
    };
    Ok(ResolvedConfig {
        auth_storage,
        host,
        account_id,
        profile: selected.map(|(name, _)| name),
        config_file: loaded.map(|file| file.path),
        auth_type,
        credentials,
        sources: settings.sources(),
    })
}
