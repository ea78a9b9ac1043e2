//! Tests of `resolve`: precedence, profile selection, host and account id checks, sources,
//! and that nothing secret reaches `Debug`.

use std::path::PathBuf;

use super::testing::{ACCOUNT_ID, HOST, account_env, env, inputs_with_file, inputs_without_file};
use super::*;

const OTHER_ID: &str = "11111111-2222-3333-4444-555555555555";

fn profile_source(dir: &tempfile::TempDir, profile: &str) -> Source {
    Source::Profile {
        file: dir.path().join(".databrickscfg"),
        profile: profile.to_owned(),
    }
}

#[test]
fn flags_beat_environment_beat_profile() {
    let (dir, mut inputs) = inputs_with_file(&format!(
        "[DEFAULT]\nhost = https://accounts.gcp.databricks.com\naccount_id = {OTHER_ID}\ntoken = file-token\nauth_type = pat\n"
    ));
    inputs.env = env(&[
        ("DATABRICKS_HOST", "https://accounts.azuredatabricks.net"),
        ("DATABRICKS_ACCOUNT_ID", OTHER_ID),
    ]);
    inputs.account_id = Some(ACCOUNT_ID.to_owned());
    let resolved = resolve(&inputs).unwrap();
    assert_eq!(resolved.account_id, ACCOUNT_ID);
    assert_eq!(resolved.host, "https://accounts.azuredatabricks.net");
    assert_eq!(
        resolved.credentials,
        Credentials::StaticToken("file-token".into())
    );
    assert_eq!(resolved.sources[&Field::AccountId], Source::Flag);
    assert_eq!(
        resolved.sources[&Field::Host],
        Source::Env("DATABRICKS_HOST".into())
    );
    assert_eq!(
        resolved.sources[&Field::Token],
        profile_source(&dir, "DEFAULT")
    );
    assert_eq!(resolved.profile.as_deref(), Some("DEFAULT"));
    assert_eq!(resolved.sources[&Field::Profile], Source::Default);
}

#[test]
fn empty_values_do_not_shadow_lower_layers() {
    let (_dir, mut inputs) = inputs_with_file(&format!(
        "[DEFAULT]\nhost = {HOST}\naccount_id = {ACCOUNT_ID}\ntoken = file-token\n"
    ));
    inputs.env = env(&[("DATABRICKS_TOKEN", "  "), ("DATABRICKS_HOST", "")]);
    inputs.host = Some(String::new());
    let resolved = resolve(&inputs).unwrap();
    assert_eq!(
        resolved.credentials,
        Credentials::StaticToken("file-token".into())
    );
    assert_eq!(resolved.host, HOST);
}

#[test]
fn settings_default_profile_is_used_and_default_is_not_inherited() {
    let (dir, mut inputs) = inputs_with_file(&format!(
        "[__settings__]\ndefault_profile = acct\n\n[DEFAULT]\naccount_id = {OTHER_ID}\ntoken = t\n\n[acct]\nhost = {HOST}\n"
    ));
    let err = resolve(&inputs).unwrap_err().to_string();
    assert!(err.starts_with("No account id is configured"), "{err}");
    assert!(err.contains("`account_id` in profile 'acct' in "), "{err}");

    inputs.env = env(&[("DATABRICKS_ACCOUNT_ID", ACCOUNT_ID)]);
    let resolved = resolve(&inputs).unwrap();
    assert_eq!(resolved.profile.as_deref(), Some("acct"));
    assert_eq!(
        resolved.sources[&Field::Profile],
        profile_source(&dir, "__settings__")
    );
    assert!(
        matches!(resolved.credentials, Credentials::U2m { .. }),
        "DEFAULT's token leaked"
    );
}

#[test]
fn explicit_profile_beats_settings_and_is_case_sensitive() {
    let (_dir, mut inputs) = inputs_with_file(&format!(
        "[__settings__]\ndefault_profile = Prod\n[Prod]\nhost = {HOST}\naccount_id = {OTHER_ID}\n[prod]\nhost = {HOST}\naccount_id = {ACCOUNT_ID}\n"
    ));
    assert_eq!(resolve(&inputs).unwrap().account_id, OTHER_ID);
    inputs.env = env(&[("DATABRICKS_CONFIG_PROFILE", "prod")]);
    assert_eq!(resolve(&inputs).unwrap().account_id, ACCOUNT_ID);
    inputs.profile = Some("Prod".into());
    let resolved = resolve(&inputs).unwrap();
    assert_eq!(resolved.account_id, OTHER_ID);
    assert_eq!(
        resolved.describe_source(Field::Profile),
        "profile from the --profile flag"
    );
    inputs.profile = Some("PROD".into());
    let err = resolve(&inputs).unwrap_err().to_string();
    assert!(err.contains("available profiles: Prod, prod."), "{err}");
}

#[test]
fn config_file_env_overrides_the_home_file() {
    let (dir, mut inputs) = inputs_with_file(&format!("[DEFAULT]\nhost = {HOST}\n"));
    let other = dir.path().join("elsewhere.cfg");
    std::fs::write(
        &other,
        format!("[team]\nhost = {HOST}\naccount_id = {ACCOUNT_ID}\ntoken = x;y#z\n"),
    )
    .unwrap();
    inputs.env = env(&[("DATABRICKS_CONFIG_FILE", other.to_str().unwrap())]);
    inputs.profile = Some("team".into());
    let resolved = resolve(&inputs).unwrap();
    assert_eq!(resolved.config_file.as_deref(), Some(other.as_path()));
    assert_eq!(
        resolved.credentials,
        Credentials::StaticToken("x;y#z".into())
    );
    assert_eq!(
        resolved.sources[&Field::ConfigFile],
        Source::Env("DATABRICKS_CONFIG_FILE".into())
    );
}

#[test]
fn missing_file_is_fine_without_a_named_profile() {
    let (dir, mut inputs) = inputs_without_file();
    inputs.env = account_env(&[("DATABRICKS_TOKEN", "t")]);
    let resolved = resolve(&inputs).unwrap();
    assert_eq!((resolved.profile, resolved.config_file), (None, None));

    inputs.profile = Some("prod".into());
    let err = resolve(&inputs).unwrap_err().to_string();
    let path = dir.path().join(".databrickscfg");
    assert!(
        err.starts_with(&format!(
            "Profile 'prod' (from the --profile flag) was requested, but the config file {} does not exist.",
            path.display()
        )),
        "{err}"
    );
}

#[test]
fn missing_host_says_where_it_looked() {
    let (dir, mut inputs) = inputs_without_file();
    inputs.env = env(&[("DATABRICKS_ACCOUNT_ID", ACCOUNT_ID)]);
    let err = resolve(&inputs).unwrap_err().to_string();
    let want = format!(
        "No account host is configured (looked at --host, DATABRICKS_HOST, `host` in no profile ({} does not exist)).",
        dir.path().join(".databrickscfg").display()
    );
    assert!(err.starts_with(&want), "{err}");
}

#[test]
fn workspace_host_in_a_profile_names_the_account_host() {
    let (_dir, mut inputs) = inputs_with_file(&format!(
        "[ws]\nhost = https://adb-123.4.azuredatabricks.net/\naccount_id = {ACCOUNT_ID}\n"
    ));
    inputs.profile = Some("ws".into());
    let err = resolve(&inputs).unwrap_err();
    assert!(matches!(
        err,
        ConfigError::WorkspaceHost {
            account_host: "https://accounts.azuredatabricks.net",
            ..
        }
    ));
    let text = err.to_string();
    assert!(
        text.starts_with("'https://adb-123.4.azuredatabricks.net' (profile 'ws' in "),
        "{text}"
    );
}

#[test]
fn host_is_normalised() {
    let (_dir, mut inputs) = inputs_without_file();
    inputs.env = account_env(&[("DATABRICKS_TOKEN", "t")]);
    inputs.host = Some("accounts.cloud.databricks.com:443/".into());
    assert_eq!(resolve(&inputs).unwrap().host, HOST);
    inputs.host = Some("http://127.0.0.1:41234/".into());
    assert_eq!(resolve(&inputs).unwrap().host, "http://127.0.0.1:41234");
}

#[test]
fn missing_and_malformed_account_ids() {
    let (_dir, mut inputs) = inputs_without_file();
    inputs.env = env(&[("DATABRICKS_HOST", HOST), ("DATABRICKS_TOKEN", "t")]);
    let err = resolve(&inputs).unwrap_err();
    assert!(matches!(err, ConfigError::MissingAccountId { .. }), "{err}");
    assert!(
        err.to_string()
            .contains("--account-id, DATABRICKS_ACCOUNT_ID, `account_id`")
    );

    inputs.account_id = Some("acct-123".into());
    let text = resolve(&inputs).unwrap_err().to_string();
    assert!(
        text.starts_with("Account id 'acct-123' (the --account-id flag) is not a UUID"),
        "{text}"
    );
}

#[test]
fn debug_never_shows_secrets() {
    let (_dir, mut inputs) = inputs_with_file(&format!(
        "[m2m]\nhost = {HOST}\naccount_id = {ACCOUNT_ID}\nclient_id = sp-app-id\nclient_secret = dose-secret-1\n"
    ));
    inputs.profile = Some("m2m".into());
    inputs.env = env(&[("DATABRICKS_TOKEN_AUDIENCE", "aud")]);
    let resolved = resolve(&inputs).unwrap();
    let debug = format!("{resolved:?} {inputs:?}");
    assert!(debug.contains("sp-app-id"), "{debug}");
    assert!(!debug.contains("dose-secret-1"), "{debug}");

    let mut inputs = inputs.clone();
    inputs.profile = None;
    inputs.env = account_env(&[("DATABRICKS_TOKEN", "dapi-token-value")]);
    let resolved = resolve(&inputs).unwrap();
    let debug = format!("{resolved:?} {inputs:?}");
    assert!(!debug.contains("dapi-token-value"), "{debug}");
    assert!(debug.contains("DATABRICKS_TOKEN"), "{debug}");
}

#[test]
fn oidc_root_and_source_descriptions() {
    let (dir, mut inputs) = inputs_with_file(&format!("[DEFAULT]\naccount_id = {ACCOUNT_ID}\n"));
    inputs.host = Some(HOST.into());
    inputs.env = env(&[("DATABRICKS_TOKEN", "t")]);
    let resolved = resolve(&inputs).unwrap();
    assert_eq!(
        resolved.oidc_root(),
        format!("https://accounts.cloud.databricks.com/oidc/accounts/{ACCOUNT_ID}")
    );
    let file = PathBuf::from(dir.path()).join(".databrickscfg");
    for (field, want) in [
        (Field::Host, "host from the --host flag".to_owned()),
        (
            Field::Token,
            "token from environment variable DATABRICKS_TOKEN".to_owned(),
        ),
        (
            Field::AccountId,
            format!("account_id from profile 'DEFAULT' in {}", file.display()),
        ),
        (
            Field::AuthType,
            "auth_type inferred from the credentials that are set".to_owned(),
        ),
        (
            Field::Profile,
            "profile [DEFAULT], the fallback when no profile is named".to_owned(),
        ),
        (
            Field::ConfigFile,
            "config_file from the built-in default".to_owned(),
        ),
        (Field::ClientSecret, "client_secret is not set".to_owned()),
    ] {
        assert_eq!(resolved.describe_source(field), want);
    }
}

#[test]
fn unparsable_file_is_reported_with_its_path() {
    let (dir, inputs) = inputs_with_file("[oops\n");
    let err = resolve(&inputs).unwrap_err().to_string();
    let want = format!(
        "Could not parse the config file {}",
        dir.path().join(".databrickscfg").display()
    );
    assert!(err.starts_with(&want), "{err}");
}

#[test]
fn auth_storage_comes_from_the_environment_over_the_settings_section() {
    let (_dir, mut inputs) = inputs_with_file("[__settings__]\nauth_storage = secure\n");
    inputs.env = account_env(&[]);
    assert_eq!(resolve(&inputs).unwrap().auth_storage, AuthStorage::Secure);
    inputs.env = account_env(&[("DATABRICKS_AUTH_STORAGE", "plaintext")]);
    assert_eq!(resolve(&inputs).unwrap().auth_storage, AuthStorage::File);
    inputs.env = account_env(&[("DATABRICKS_AUTH_STORAGE", "vault")]);
    let error = resolve(&inputs).unwrap_err().to_string();
    assert!(
        error.contains("'vault'") && error.contains("DATABRICKS_AUTH_STORAGE"),
        "{error}"
    );
    let (_dir, mut plain) = inputs_without_file();
    plain.env = account_env(&[]);
    assert_eq!(resolve(&plain).unwrap().auth_storage, AuthStorage::File);
}
