//! The profile switcher's list: every profile in the config file with its host and account
//! id, and which one is used when no profile is named.

use super::ConfigInputs;
use super::error::ConfigError;
use super::file::{self, Section};
use super::host::{is_account_host, normalize_account_host};
use super::settings::{Field, non_empty};

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ProfileSummary {
    pub name: String,
    /// Normalised.
    pub host: Option<String>,
    pub account_id: Option<String>,
    /// Its host is an account host (workspace profiles cannot be used here).
    pub is_account: bool,
    /// Used when no `--profile` is given: `DATABRICKS_CONFIG_PROFILE`, else
    /// `[__settings__] default_profile`, else `[DEFAULT]`.
    pub is_default: bool,
}

/// Profiles in file order; an absent config file means no profiles, not an error.
pub fn list_profiles(inputs: &ConfigInputs) -> Result<Vec<ProfileSummary>, ConfigError> {
    let Some((path, _)) = file::locate(inputs) else {
        return Ok(Vec::new());
    };
    let Some(config) = file::load(&path)? else {
        return Ok(Vec::new());
    };
    let env_profile = Field::Profile.env_vars()[0];
    let default = non_empty(inputs.env.get(env_profile).map(String::as_str))
        .or_else(|| config.implicit_profile().map(|(name, _)| name));
    let summaries = config
        .profile_names()
        .into_iter()
        .filter_map(|name| {
            let section = config.section(name)?;
            Some(summary(name, section, default.as_deref() == Some(name)))
        })
        .collect();
    Ok(summaries)
}

fn summary(name: &str, section: &Section, is_default: bool) -> ProfileSummary {
    let get = |key: &str| non_empty(section.get(key).and_then(|v| v.as_deref()));
    let host = get(Field::Host.key()).map(|h| normalize_account_host(&h));
    ProfileSummary {
        name: name.to_owned(),
        is_account: host.as_deref().is_some_and(is_account_host),
        host,
        account_id: get(Field::AccountId.key()),
        is_default,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::testing::{ACCOUNT_ID, env, inputs_with_file, inputs_without_file};

    const FILE: &str = "\
[DEFAULT]
host = accounts.cloud.databricks.com/

[__settings__]
default_profile = acct-admin

[dev-ws]
host = https://dbc-1a2b.cloud.databricks.com

[acct-admin]
host = https://accounts.azuredatabricks.net:443
account_id = 0d4a3e4c-1b2f-4c5d-9e8f-0123456789ab
auth_type = databricks-cli
";

    #[test]
    fn lists_profiles_in_file_order_with_the_default_marked() {
        let (_dir, inputs) = inputs_with_file(FILE);
        let profiles = list_profiles(&inputs).unwrap();
        let names: Vec<&str> = profiles.iter().map(|p| p.name.as_str()).collect();
        assert_eq!(names, ["DEFAULT", "dev-ws", "acct-admin"]);
        assert_eq!(
            profiles[2],
            ProfileSummary {
                name: "acct-admin".into(),
                host: Some("https://accounts.azuredatabricks.net".into()),
                account_id: Some(ACCOUNT_ID.into()),
                is_account: true,
                is_default: true,
            }
        );
        assert!(profiles[0].is_account && !profiles[0].is_default);
        assert!(!profiles[1].is_account && profiles[1].account_id.is_none());
    }

    #[test]
    fn the_environment_profile_is_the_default() {
        let (_dir, mut inputs) = inputs_with_file(FILE);
        inputs.env = env(&[("DATABRICKS_CONFIG_PROFILE", "dev-ws")]);
        let profiles = list_profiles(&inputs).unwrap();
        let defaults: Vec<&str> = profiles
            .iter()
            .filter(|p| p.is_default)
            .map(|p| p.name.as_str())
            .collect();
        assert_eq!(defaults, ["dev-ws"]);
    }

    #[test]
    fn no_file_means_no_profiles() {
        let (_dir, inputs) = inputs_without_file();
        assert!(list_profiles(&inputs).unwrap().is_empty());
    }
}
