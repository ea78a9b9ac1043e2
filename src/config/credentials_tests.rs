//! Tests of credential selection through `resolve`: each kind, `auth_type` forcing one,
//! ambiguity, scopes and the U2M login options.

use std::path::PathBuf;
use std::time::Duration;

use super::testing::{ACCOUNT_ID, HOST, account_env, inputs_with_file, inputs_without_file};
use super::*;
use crate::secret::Secret;

fn resolve_env(extra: &[(&str, &str)]) -> Result<ResolvedConfig, ConfigError> {
    let (_dir, mut inputs) = inputs_without_file();
    inputs.env = account_env(extra);
    resolve(&inputs)
}

fn u2m_scopes(resolved: &ResolvedConfig) -> Vec<&str> {
    match &resolved.credentials {
        Credentials::U2m { scopes, .. } => scopes.iter().map(String::as_str).collect(),
        other => panic!("not U2M: {other:?}"),
    }
}

fn kind(credentials: &Credentials) -> &'static str {
    match credentials {
        Credentials::StaticToken(_) => "pat",
        Credentials::M2m { .. } => "oauth-m2m",
        Credentials::Federation {
            token: OidcToken::Env(_),
            ..
        } => "env-oidc",
        Credentials::Federation {
            token: OidcToken::File(_),
            ..
        } => "file-oidc",
        Credentials::U2m { .. } => "u2m",
    }
}

#[test]
fn token_means_a_static_token() {
    let resolved = resolve_env(&[("DATABRICKS_TOKEN", "dapi1")]).unwrap();
    assert_eq!(
        resolved.credentials,
        Credentials::StaticToken(Secret::new("dapi1"))
    );
    assert_eq!(resolved.auth_type, AuthType::Pat);
    assert_eq!(resolved.sources[&Field::AuthType], Source::Default);
}

#[test]
fn client_id_and_secret_mean_m2m() {
    let resolved = resolve_env(&[
        ("DATABRICKS_CLIENT_ID", "sp-id"),
        ("DATABRICKS_CLIENT_SECRET", "dose1"),
    ])
    .unwrap();
    assert_eq!(
        resolved.credentials,
        Credentials::M2m {
            client_id: "sp-id".into(),
            client_secret: Secret::new("dose1"),
            scopes: vec!["all-apis".into()],
        }
    );
}

#[test]
fn a_secret_without_client_id_is_incomplete() {
    let err = resolve_env(&[("DATABRICKS_CLIENT_SECRET", "dose1")])
        .unwrap_err()
        .to_string();
    assert_eq!(
        err,
        "auth_type oauth-m2m (inferred from an OAuth client secret (client_secret, from \
         environment variable DATABRICKS_CLIENT_SECRET)) needs client_id (DATABRICKS_CLIENT_ID \
         or `client_id` in the profile), which is not set. Set it, or choose another auth_type."
    );
}

#[test]
fn oidc_token_in_the_environment_means_federation() {
    let resolved = resolve_env(&[
        ("DATABRICKS_OIDC_TOKEN", "eyJ.jwt"),
        ("DATABRICKS_CLIENT_ID", "sp-id"),
        ("DATABRICKS_TOKEN_AUDIENCE", ACCOUNT_ID),
    ])
    .unwrap();
    assert_eq!(resolved.auth_type, AuthType::EnvOidc);
    assert_eq!(
        resolved.credentials,
        Credentials::Federation {
            token: OidcToken::Env("DATABRICKS_OIDC_TOKEN".into()),
            client_id: Some("sp-id".into()),
            audience: Some(ACCOUNT_ID.into()),
            scopes: vec!["all-apis".into()],
        }
    );
    assert!(!format!("{resolved:?}").contains("eyJ.jwt"));

    let resolved = resolve_env(&[("DATABRICKS_OIDC_TOKEN_ENV", "CI_JWT"), ("CI_JWT", "eyJ")]);
    let Credentials::Federation {
        token, client_id, ..
    } = resolved.unwrap().credentials
    else {
        panic!("not federation");
    };
    assert_eq!((token, client_id), (OidcToken::Env("CI_JWT".into()), None));
}

#[test]
fn oidc_token_file_means_federation() {
    for var in [
        "DATABRICKS_OIDC_TOKEN_FILEPATH",
        "DATABRICKS_OIDC_TOKEN_FILE",
    ] {
        let resolved = resolve_env(&[(var, "/var/run/token")]).unwrap();
        assert_eq!(resolved.auth_type, AuthType::FileOidc);
        assert_eq!(
            resolved.sources[&Field::OidcTokenFilepath],
            Source::Env(var.into())
        );
        let Credentials::Federation { token, .. } = resolved.credentials else {
            panic!("not federation");
        };
        assert_eq!(token, OidcToken::File(PathBuf::from("/var/run/token")));
    }
}

#[test]
fn nothing_set_means_browser_login_with_cli_defaults() {
    let resolved = resolve_env(&[]).unwrap();
    assert_eq!(resolved.auth_type, AuthType::ExternalBrowser);
    assert_eq!(
        resolved.credentials,
        Credentials::U2m {
            client_id: "databricks-cli".into(),
            client_secret: None,
            scopes: vec!["all-apis".into(), "offline_access".into()],
            login: LoginOptions {
                ports: (8020..=8040).collect(),
                timeout: Duration::from_secs(300),
            },
        }
    );
    assert_eq!(
        resolved.describe_source(Field::ClientId),
        "client_id from the built-in default"
    );
}

#[test]
fn custom_app_connection_with_scopes_and_no_refresh_token() {
    let (_dir, mut inputs) = inputs_with_file(&format!(
        "[app]\nhost = {HOST}\naccount_id = {ACCOUNT_ID}\nauth_type = external-browser\n\
         client_id = my-app\nclient_secret = s3cret\nscopes = sql, all-apis offline_access sql\n\
         disable_oauth_refresh_token = true\n"
    ));
    inputs.profile = Some("app".into());
    let resolved = resolve(&inputs).unwrap();
    assert_eq!(u2m_scopes(&resolved), ["all-apis", "sql"]);
    let Credentials::U2m {
        client_id,
        client_secret,
        ..
    } = &resolved.credentials
    else {
        panic!("not U2M");
    };
    assert_eq!(
        (
            client_id.as_str(),
            client_secret.as_ref().map(Secret::expose)
        ),
        ("my-app", Some("s3cret"))
    );

    let (_dir, mut inputs) = inputs_with_file(&format!(
        "[p]\nhost = {HOST}\naccount_id = {ACCOUNT_ID}\nscopes = sql\n"
    ));
    inputs.profile = Some("p".into());
    assert_eq!(
        u2m_scopes(&resolve(&inputs).unwrap()),
        ["offline_access", "sql"]
    );
}

#[test]
fn bad_boolean_is_reported() {
    let err = resolve_env(&[("DATABRICKS_DISABLE_OAUTH_REFRESH_TOKEN", "maybe")]).unwrap_err();
    assert_eq!(
        err.to_string(),
        "Invalid value 'maybe' for disable_oauth_refresh_token (environment variable \
         DATABRICKS_DISABLE_OAUTH_REFRESH_TOKEN): expected true or false."
    );
}

#[test]
fn auth_type_forces_each_kind() {
    let all = [
        ("DATABRICKS_TOKEN", "dapi1"),
        ("DATABRICKS_CLIENT_ID", "sp-id"),
        ("DATABRICKS_CLIENT_SECRET", "dose1"),
        ("DATABRICKS_OIDC_TOKEN", "eyJ"),
        ("DATABRICKS_OIDC_TOKEN_FILEPATH", "/t"),
    ];
    for auth_type in AuthType::ALL {
        let mut vars = all.to_vec();
        vars.push(("DATABRICKS_AUTH_TYPE", auth_type.as_str()));
        let resolved = resolve_env(&vars).unwrap();
        assert_eq!(resolved.auth_type, auth_type);
        let expected = match auth_type {
            AuthType::ExternalBrowser | AuthType::DatabricksCli => "u2m",
            other => other.as_str(),
        };
        assert_eq!(kind(&resolved.credentials), expected, "{auth_type:?}");
        assert_eq!(
            resolved.sources[&Field::AuthType],
            Source::Env("DATABRICKS_AUTH_TYPE".into())
        );
    }
}

#[test]
fn forced_auth_type_without_its_credential_is_incomplete() {
    let err = resolve_env(&[("DATABRICKS_AUTH_TYPE", "pat")])
        .unwrap_err()
        .to_string();
    assert!(
        err.starts_with(
            "auth_type pat (from environment variable DATABRICKS_AUTH_TYPE) needs token"
        ),
        "{err}"
    );
    let err = resolve_env(&[("DATABRICKS_AUTH_TYPE", "env-oidc")])
        .unwrap_err()
        .to_string();
    assert!(
        err.contains("needs an OIDC token in environment variable DATABRICKS_OIDC_TOKEN"),
        "{err}"
    );
}

#[test]
fn unsupported_auth_type_lists_the_supported_ones() {
    let err = resolve_env(&[("DATABRICKS_AUTH_TYPE", "azure-cli")])
        .unwrap_err()
        .to_string();
    assert!(
        err.starts_with(
            "auth_type 'azure-cli' (environment variable DATABRICKS_AUTH_TYPE) is not supported \
             by dbx-console. Use one of: pat, oauth-m2m, external-browser, databricks-cli, \
             env-oidc, file-oidc,"
        ),
        "{err}"
    );
}

#[test]
fn two_kinds_without_auth_type_are_ambiguous() {
    let err = resolve_env(&[("DATABRICKS_TOKEN", "t"), ("DATABRICKS_CLIENT_SECRET", "s")])
        .unwrap_err()
        .to_string();
    assert_eq!(
        err,
        "More than one kind of credential is configured: a personal access token (token, from \
         environment variable DATABRICKS_TOKEN) and an OAuth client secret (client_secret, from \
         environment variable DATABRICKS_CLIENT_SECRET). Set auth_type (DATABRICKS_AUTH_TYPE or \
         `auth_type` in the profile) to `pat` or `oauth-m2m` to pick one, or remove the others."
    );
    let err =
        resolve_env(&[("DATABRICKS_TOKEN", "t"), ("DATABRICKS_OIDC_TOKEN", "j")]).unwrap_err();
    assert!(matches!(err, ConfigError::AmbiguousCredentials { .. }));
    assert!(resolve_env(&[("DATABRICKS_TOKEN", "t"), ("DATABRICKS_CLIENT_ID", "id")]).is_ok());
}

#[test]
fn redirect_ports_and_timeout_come_from_env_or_profile() {
    let (_dir, mut inputs) = inputs_with_file(&format!(
        "[DEFAULT]\nhost = {HOST}\naccount_id = {ACCOUNT_ID}\nredirect_port = 9001,9003-9004\nlogin_timeout_secs = 60\n"
    ));
    let login = |inputs: &ConfigInputs| match resolve(inputs).unwrap().credentials {
        Credentials::U2m { login, .. } => login,
        other => panic!("not U2M: {other:?}"),
    };
    assert_eq!(
        login(&inputs),
        LoginOptions {
            ports: vec![9001, 9003, 9004],
            timeout: Duration::from_secs(60)
        }
    );
    inputs.env = super::testing::env(&[
        ("DBX_CONSOLE_REDIRECT_PORTS", "8020-8022"),
        ("DBX_CONSOLE_LOGIN_TIMEOUT_SECS", "30"),
    ]);
    assert_eq!(
        login(&inputs),
        LoginOptions {
            ports: vec![8020, 8021, 8022],
            timeout: Duration::from_secs(30)
        }
    );
}

#[test]
fn invalid_redirect_ports_and_timeout_are_precise() {
    let err = resolve_env(&[("DBX_CONSOLE_REDIRECT_PORTS", "8020,80a1")]).unwrap_err();
    assert_eq!(
        err.to_string(),
        "Invalid redirect ports '8020,80a1' (environment variable DBX_CONSOLE_REDIRECT_PORTS): \
         '80a1' is not a port number. Use a comma-separated list (8020,8021) or a range \
         (8020-8030) of ports between 1 and 65535."
    );
    let err = resolve_env(&[("DBX_CONSOLE_LOGIN_TIMEOUT_SECS", "0")]).unwrap_err();
    assert!(
        matches!(err, ConfigError::InvalidLoginTimeout { .. }),
        "{err}"
    );
}
