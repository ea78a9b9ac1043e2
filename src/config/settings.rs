//! The configuration attributes dbx-console reads, where each can be set (flag, environment
//! variables, a key of the selected profile), and the lookup that applies unified-auth
//! precedence: flag > environment > profile.

use std::collections::BTreeMap;
use std::fmt;
use std::path::{Path, PathBuf};

use super::ConfigInputs;
use super::file::{SETTINGS_SECTION, Section};

/// One configuration attribute. The names follow the Databricks SDKs' attribute names, so
/// a profile written by `databricks auth login` works unchanged.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Field {
    ConfigFile,
    Profile,
    Host,
    AccountId,
    AuthType,
    Token,
    ClientId,
    ClientSecret,
    Scopes,
    TokenAudience,
    OidcTokenEnv,
    OidcTokenFilepath,
    DisableOauthRefreshToken,
    RedirectPorts,
    LoginTimeout,
}

impl Field {
    pub const ALL: [Field; 15] = [
        Field::ConfigFile,
        Field::Profile,
        Field::Host,
        Field::AccountId,
        Field::AuthType,
        Field::Token,
        Field::ClientId,
        Field::ClientSecret,
        Field::Scopes,
        Field::TokenAudience,
        Field::OidcTokenEnv,
        Field::OidcTokenFilepath,
        Field::DisableOauthRefreshToken,
        Field::RedirectPorts,
        Field::LoginTimeout,
    ];

    /// The key in a `.databrickscfg` profile (and the SDK attribute name).
    pub fn key(self) -> &'static str {
        match self {
            Field::ConfigFile => "config_file",
            Field::Profile => "profile",
            Field::Host => "host",
            Field::AccountId => "account_id",
            Field::AuthType => "auth_type",
            Field::Token => "token",
            Field::ClientId => "client_id",
            Field::ClientSecret => "client_secret",
            Field::Scopes => "scopes",
            Field::TokenAudience => "token_audience",
            Field::OidcTokenEnv => "oidc_token_env",
            Field::OidcTokenFilepath => "oidc_token_filepath",
            Field::DisableOauthRefreshToken => "disable_oauth_refresh_token",
            Field::RedirectPorts => "redirect_port",
            Field::LoginTimeout => "login_timeout_secs",
        }
    }

    /// Environment variables, in the order they are consulted. `scopes` has none, as in the
    /// Python SDK.
    pub fn env_vars(self) -> &'static [&'static str] {
        match self {
            Field::ConfigFile => &["DATABRICKS_CONFIG_FILE"],
            Field::Profile => &["DATABRICKS_CONFIG_PROFILE"],
            Field::Host => &["DATABRICKS_HOST"],
            Field::AccountId => &["DATABRICKS_ACCOUNT_ID"],
            Field::AuthType => &["DATABRICKS_AUTH_TYPE"],
            Field::Token => &["DATABRICKS_TOKEN"],
            Field::ClientId => &["DATABRICKS_CLIENT_ID"],
            Field::ClientSecret => &["DATABRICKS_CLIENT_SECRET"],
            Field::Scopes => &[],
            Field::TokenAudience => &["DATABRICKS_TOKEN_AUDIENCE"],
            Field::OidcTokenEnv => &["DATABRICKS_OIDC_TOKEN_ENV"],
            Field::OidcTokenFilepath => &[
                "DATABRICKS_OIDC_TOKEN_FILEPATH",
                "DATABRICKS_OIDC_TOKEN_FILE",
            ],
            Field::DisableOauthRefreshToken => &["DATABRICKS_DISABLE_OAUTH_REFRESH_TOKEN"],
            Field::RedirectPorts => &["DBX_CONSOLE_REDIRECT_PORTS"],
            Field::LoginTimeout => &["DBX_CONSOLE_LOGIN_TIMEOUT_SECS"],
        }
    }

    /// The command-line flag, for the three attributes that have one.
    pub fn flag(self) -> Option<&'static str> {
        match self {
            Field::Profile => Some("--profile"),
            Field::Host => Some("--host"),
            Field::AccountId => Some("--account-id"),
            _ => None,
        }
    }

    /// The file and the profile are what select a profile, so they cannot come from one.
    fn is_in_profile(self) -> bool {
        !matches!(self, Field::ConfigFile | Field::Profile)
    }

    fn flag_value(self, inputs: &ConfigInputs) -> Option<&str> {
        match self {
            Field::Profile => inputs.profile.as_deref(),
            Field::Host => inputs.host.as_deref(),
            Field::AccountId => inputs.account_id.as_deref(),
            _ => None,
        }
    }
}

/// Where a resolved value came from, so `auth status` can explain it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Source {
    Flag,
    /// The variable actually read (an alias or a custom OIDC variable name included).
    Env(String),
    /// A key of this section of the config file; `[__settings__]` for `default_profile`.
    Profile {
        file: PathBuf,
        profile: String,
    },
    /// A built-in default or rule (e.g. the `[DEFAULT]` fallback, U2M's `databricks-cli`).
    Default,
}

impl Source {
    /// "the --host flag", "environment variable DATABRICKS_HOST", "profile 'prod' in /p".
    pub fn describe(&self, field: Field) -> String {
        match self {
            Source::Flag => format!("the {} flag", field.flag().unwrap_or("command-line")),
            other => other.to_string(),
        }
    }
}

impl fmt::Display for Source {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Source::Flag => f.write_str("a command-line flag"),
            Source::Env(name) => write!(f, "environment variable {name}"),
            Source::Profile { file, profile } if profile == SETTINGS_SECTION => {
                write!(f, "[{SETTINGS_SECTION}] in {}", file.display())
            }
            Source::Profile { file, profile } => {
                write!(f, "profile '{profile}' in {}", file.display())
            }
            Source::Default => f.write_str("the built-in default"),
        }
    }
}

/// A value and its origin. Deliberately not `Debug`: secrets sit here as plain strings until
/// the credential step wraps them in `Secret`.
pub(crate) struct Setting {
    pub value: String,
    pub source: Source,
}

/// The profile whose keys fill in what flags and environment left unset.
pub(crate) struct ProfileRef<'a> {
    pub file: &'a Path,
    pub name: &'a str,
    pub section: &'a Section,
}

/// Every attribute looked up once, in precedence order. Empty values count as unset, as in
/// the Go SDK, so `DATABRICKS_TOKEN=` does not shadow a profile's token.
pub(crate) struct Settings {
    values: BTreeMap<Field, Setting>,
    /// "profile 'x' in /p", or why no profile was read; ends the `looked` lists.
    profile_note: String,
}

impl Settings {
    pub fn collect(inputs: &ConfigInputs, profile: Option<&ProfileRef<'_>>, note: String) -> Self {
        let mut values = BTreeMap::new();
        for field in Field::ALL {
            if let Some(setting) = lookup(inputs, profile, field) {
                values.insert(field, setting);
            }
        }
        let profile_note = match profile {
            Some(p) => format!("profile '{}' in {}", p.name, p.file.display()),
            None => note,
        };
        Self {
            values,
            profile_note,
        }
    }

    pub fn value(&self, field: Field) -> Option<&str> {
        self.values.get(&field).map(|s| s.value.as_str())
    }

    pub fn source(&self, field: Field) -> Option<&Source> {
        self.values.get(&field).map(|s| &s.source)
    }

    pub fn is_set(&self, field: Field) -> bool {
        self.values.contains_key(&field)
    }

    /// For messages: "environment variable DATABRICKS_HOST", or "not set".
    pub fn origin(&self, field: Field) -> String {
        self.source(field)
            .map_or_else(|| "not set".to_owned(), |s| s.describe(field))
    }

    /// Every place a missing value could have come from, for "not configured" messages.
    pub fn looked(&self, field: Field) -> String {
        let mut places: Vec<String> = field.flag().map(|f| f.to_owned()).into_iter().collect();
        places.extend(field.env_vars().iter().map(|v| (*v).to_owned()));
        if field.is_in_profile() {
            places.push(format!("`{}` in {}", field.key(), self.profile_note));
        }
        places.join(", ")
    }

    pub fn insert(&mut self, field: Field, value: String, source: Source) {
        self.values.insert(field, Setting { value, source });
    }

    /// Records a built-in default for a field nothing configured.
    pub fn set_default(&mut self, field: Field, value: String) {
        self.values.entry(field).or_insert(Setting {
            value,
            source: Source::Default,
        });
    }

    pub fn sources(&self) -> BTreeMap<Field, Source> {
        self.values
            .iter()
            .map(|(field, setting)| (*field, setting.source.clone()))
            .collect()
    }
}

fn lookup(
    inputs: &ConfigInputs,
    profile: Option<&ProfileRef<'_>>,
    field: Field,
) -> Option<Setting> {
    if let Some(value) = non_empty(field.flag_value(inputs)) {
        return Some(Setting {
            value,
            source: Source::Flag,
        });
    }
    for name in field.env_vars() {
        if let Some(value) = non_empty(inputs.env.get(*name).map(String::as_str)) {
            return Some(Setting {
                value,
                source: Source::Env((*name).to_owned()),
            });
        }
    }
    let profile = profile.filter(|_| field.is_in_profile())?;
    let value = non_empty(profile.section.get(field.key()).and_then(|v| v.as_deref()))?;
    Some(Setting {
        value,
        source: Source::Profile {
            file: profile.file.to_path_buf(),
            profile: profile.name.to_owned(),
        },
    })
}

pub(crate) fn non_empty(value: Option<&str>) -> Option<String> {
    value
        .map(str::trim)
        .filter(|v| !v.is_empty())
        .map(str::to_owned)
}
