//! Which credential to use: forced by `auth_type`, or inferred from what is set, refusing to
//! guess when two kinds are set (as the SDKs do).

use std::collections::HashMap;
use std::path::PathBuf;

use super::error::ConfigError;
use super::login::{LoginOptions, login_options};
use super::settings::{Field, Settings, non_empty};
use crate::secret::Secret;

/// The `auth_type` values dbx-console supports (a subset of the SDKs').
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum AuthType {
    Pat,
    OauthM2m,
    ExternalBrowser,
    /// U2M whose session the Databricks CLI may already hold in its token cache.
    DatabricksCli,
    EnvOidc,
    FileOidc,
}

impl AuthType {
    pub const ALL: [AuthType; 6] = [
        AuthType::Pat,
        AuthType::OauthM2m,
        AuthType::ExternalBrowser,
        AuthType::DatabricksCli,
        AuthType::EnvOidc,
        AuthType::FileOidc,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            AuthType::Pat => "pat",
            AuthType::OauthM2m => "oauth-m2m",
            AuthType::ExternalBrowser => "external-browser",
            AuthType::DatabricksCli => "databricks-cli",
            AuthType::EnvOidc => "env-oidc",
            AuthType::FileOidc => "file-oidc",
        }
    }

    pub fn parse(value: &str) -> Option<Self> {
        let value = value.trim();
        Self::ALL
            .into_iter()
            .find(|t| t.as_str().eq_ignore_ascii_case(value))
    }
}

/// Where the IdP-issued JWT for token federation is read, each time one is needed (a
/// workload's token rotates, so it is never copied into the config).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum OidcToken {
    /// The name of the environment variable holding the token.
    Env(String),
    File(PathBuf),
}

pub const U2M_CLIENT_ID: &str = "databricks-cli";
pub const OAUTH_DEFAULT_SCOPE: &str = "all-apis";
pub const OFFLINE_ACCESS: &str = "offline_access";
const DEFAULT_OIDC_TOKEN_ENV: &str = "DATABRICKS_OIDC_TOKEN";

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Credentials {
    /// A bearer token used as is (`pat`; also the fake server's admin token).
    StaticToken(Secret),
    /// Client credentials of a service principal.
    M2m {
        client_id: String,
        client_secret: Secret,
        scopes: Vec<String>,
    },
    /// RFC 8693 exchange of an IdP JWT. `client_id` set: service-principal federation;
    /// unset: account-wide federation.
    Federation {
        token: OidcToken,
        client_id: Option<String>,
        audience: Option<String>,
        scopes: Vec<String>,
    },
    /// Browser login with PKCE: the `databricks-cli` public client, or a custom app
    /// connection (`client_id`, plus `client_secret` when it is confidential).
    U2m {
        client_id: String,
        client_secret: Option<Secret>,
        scopes: Vec<String>,
        login: LoginOptions,
    },
}

/// Chooses and builds the credentials, recording defaults it fills in on `settings`.
pub(crate) fn resolve_credentials(
    settings: &mut Settings,
    env: &HashMap<String, String>,
) -> Result<(AuthType, Credentials), ConfigError> {
    let (auth_type, chosen_by) = match settings.value(Field::AuthType) {
        Some(raw) => match AuthType::parse(raw) {
            Some(auth_type) => (
                auth_type,
                format!("from {}", settings.origin(Field::AuthType)),
            ),
            None => {
                let supported = AuthType::ALL.map(AuthType::as_str).join(", ");
                return Err(ConfigError::UnsupportedAuthType {
                    value: raw.to_owned(),
                    origin: settings.origin(Field::AuthType),
                    supported,
                });
            }
        },
        None => infer(settings, env)?,
    };
    settings.set_default(Field::AuthType, auth_type.as_str().to_owned());
    let incomplete = |missing: String| ConfigError::IncompleteCredentials {
        auth_type: auth_type.as_str(),
        chosen_by: chosen_by.clone(),
        missing,
    };
    let credentials = match auth_type {
        AuthType::Pat => {
            let token = settings
                .value(Field::Token)
                .ok_or_else(|| incomplete(needs(Field::Token)))?;
            Credentials::StaticToken(Secret::new(token))
        }
        AuthType::OauthM2m => {
            let client_id = settings.value(Field::ClientId);
            let client_secret = settings.value(Field::ClientSecret);
            let (client_id, client_secret) = match (client_id, client_secret) {
                (Some(id), Some(secret)) => (id.to_owned(), Secret::new(secret)),
                (None, _) => return Err(incomplete(needs(Field::ClientId))),
                (_, None) => return Err(incomplete(needs(Field::ClientSecret))),
            };
            let scopes = scopes(settings, false)?;
            Credentials::M2m {
                client_id,
                client_secret,
                scopes,
            }
        }
        AuthType::EnvOidc | AuthType::FileOidc => {
            let token = if auth_type == AuthType::EnvOidc {
                let name = oidc_token_env(settings);
                if !has_env(env, &name) {
                    return Err(incomplete(format!(
                        "an OIDC token in environment variable {name}"
                    )));
                }
                settings.set_default(Field::OidcTokenEnv, name.clone());
                OidcToken::Env(name)
            } else {
                let path = settings
                    .value(Field::OidcTokenFilepath)
                    .ok_or_else(|| incomplete(needs(Field::OidcTokenFilepath)))?;
                OidcToken::File(PathBuf::from(path))
            };
            Credentials::Federation {
                token,
                client_id: settings.value(Field::ClientId).map(str::to_owned),
                audience: settings.value(Field::TokenAudience).map(str::to_owned),
                scopes: scopes(settings, false)?,
            }
        }
        AuthType::ExternalBrowser | AuthType::DatabricksCli => {
            settings.set_default(Field::ClientId, U2M_CLIENT_ID.to_owned());
            let client_id = settings
                .value(Field::ClientId)
                .unwrap_or(U2M_CLIENT_ID)
                .to_owned();
            let client_secret = settings.value(Field::ClientSecret).map(Secret::new);
            let scopes = scopes(settings, true)?;
            Credentials::U2m {
                client_id,
                client_secret,
                scopes,
                login: login_options(settings)?,
            }
        }
    };
    Ok((auth_type, credentials))
}

/// Without `auth_type`: the one kind of credential that is set, else browser login.
/// `client_id` alone is no kind: U2M custom apps and federation use it too.
fn infer(
    settings: &Settings,
    env: &HashMap<String, String>,
) -> Result<(AuthType, String), ConfigError> {
    let found = |field: Field| format!("{}, from {}", field.key(), settings.origin(field));
    let mut kinds: Vec<(AuthType, String)> = Vec::new();
    if settings.is_set(Field::Token) {
        kinds.push((
            AuthType::Pat,
            format!("a personal access token ({})", found(Field::Token)),
        ));
    }
    if settings.is_set(Field::ClientSecret) {
        let what = format!("an OAuth client secret ({})", found(Field::ClientSecret));
        kinds.push((AuthType::OauthM2m, what));
    }
    let oidc_env = oidc_token_env(settings);
    if has_env(env, &oidc_env) {
        let what = format!("an OIDC token (in environment variable {oidc_env})");
        kinds.push((AuthType::EnvOidc, what));
    } else if settings.is_set(Field::OidcTokenFilepath) {
        let what = format!("an OIDC token file ({})", found(Field::OidcTokenFilepath));
        kinds.push((AuthType::FileOidc, what));
    }
    match kinds.as_slice() {
        [] => Ok((
            AuthType::ExternalBrowser,
            "chosen because no token, client secret or OIDC token is set".to_owned(),
        )),
        [(auth_type, what)] => Ok((*auth_type, format!("inferred from {what}"))),
        several => {
            let names: Vec<&str> = several.iter().map(|(_, what)| what.as_str()).collect();
            let types: Vec<String> = several
                .iter()
                .map(|(t, _)| format!("`{}`", t.as_str()))
                .collect();
            Err(ConfigError::AmbiguousCredentials {
                kinds: join_and(&names, "and"),
                auth_types: join_and(&types, "or"),
            })
        }
    }
}

/// `scopes` split on spaces and commas, de-duplicated and sorted; `all-apis` when unset.
/// U2M adds `offline_access` (for a refresh token) unless `disable_oauth_refresh_token`,
/// which then also removes a configured one: the knob means "no refresh token".
fn scopes(settings: &mut Settings, is_u2m: bool) -> Result<Vec<String>, ConfigError> {
    let mut scopes = parse_scopes(settings.value(Field::Scopes).unwrap_or(""));
    if scopes.is_empty() {
        scopes.push(OAUTH_DEFAULT_SCOPE.to_owned());
    }
    if is_u2m {
        scopes.retain(|s| s != OFFLINE_ACCESS);
        if !disable_refresh_token(settings)? {
            scopes.push(OFFLINE_ACCESS.to_owned());
        }
        scopes.sort();
    }
    settings.set_default(Field::Scopes, scopes.join(" "));
    Ok(scopes)
}

pub fn parse_scopes(raw: &str) -> Vec<String> {
    let mut scopes: Vec<String> = raw
        .split(|c: char| c == ',' || c.is_whitespace())
        .filter(|s| !s.is_empty())
        .map(str::to_owned)
        .collect();
    scopes.sort();
    scopes.dedup();
    scopes
}

/// Go's `strconv.ParseBool` spellings, case-insensitively.
fn disable_refresh_token(settings: &Settings) -> Result<bool, ConfigError> {
    let field = Field::DisableOauthRefreshToken;
    let Some(raw) = settings.value(field) else {
        return Ok(false);
    };
    match raw.to_ascii_lowercase().as_str() {
        "1" | "t" | "true" => Ok(true),
        "0" | "f" | "false" => Ok(false),
        _ => Err(ConfigError::InvalidBool {
            key: field.key(),
            value: raw.to_owned(),
            origin: settings.origin(field),
        }),
    }
}

fn oidc_token_env(settings: &Settings) -> String {
    settings
        .value(Field::OidcTokenEnv)
        .unwrap_or(DEFAULT_OIDC_TOKEN_ENV)
        .to_owned()
}

fn has_env(env: &HashMap<String, String>, name: &str) -> bool {
    non_empty(env.get(name).map(String::as_str)).is_some()
}

/// "token (DATABRICKS_TOKEN or `token` in the profile)".
fn needs(field: Field) -> String {
    let envs = field.env_vars().join(" or ");
    format!(
        "{key} ({envs} or `{key}` in the profile)",
        key = field.key()
    )
}

fn join_and<S: AsRef<str>>(items: &[S], word: &str) -> String {
    match items {
        [] => String::new(),
        [one] => one.as_ref().to_owned(),
        [init @ .., last] => {
            let init: Vec<&str> = init.iter().map(AsRef::as_ref).collect();
            format!("{} {word} {}", init.join(", "), last.as_ref())
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn scopes_split_on_spaces_and_commas_sorted_and_unique() {
        let scopes = parse_scopes(" sql,all-apis  offline_access,,sql\tall-apis ");
        assert_eq!(scopes, ["all-apis", "offline_access", "sql"]);
        assert!(parse_scopes(" , ").is_empty());
    }

    #[test]
    fn auth_types_parse_case_insensitively() {
        for auth_type in AuthType::ALL {
            assert_eq!(AuthType::parse(auth_type.as_str()), Some(auth_type));
        }
        assert_eq!(AuthType::parse(" OAuth-M2M "), Some(AuthType::OauthM2m));
        assert_eq!(AuthType::parse("azure-cli"), None);
    }

    #[test]
    fn lists_read_as_prose() {
        assert_eq!(join_and(&["a"], "or"), "a");
        assert_eq!(join_and(&["a", "b"], "or"), "a or b");
        assert_eq!(join_and(&["a", "b", "c"], "and"), "a, b and c");
    }
}
