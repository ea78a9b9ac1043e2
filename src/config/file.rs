//! Finding, reading and parsing `~/.databrickscfg`, and choosing which of its profiles to
//! read: explicit profile, else `[__settings__] default_profile`, else a non-empty `[DEFAULT]`.

use std::path::{Path, PathBuf};

use indexmap::IndexMap;

use super::ConfigInputs;
use super::error::ConfigError;
use super::settings::{Field, Source, non_empty};

/// Keys of one profile, lower-cased (as Python's configparser does), values as written.
pub(crate) type Section = IndexMap<String, Option<String>>;

/// Reserved by the CLI for `default_profile` and `auth_storage`; never a profile.
pub(crate) const SETTINGS_SECTION: &str = "__settings__";
/// An ordinary section here: named profiles do not inherit from it (Go SDK behaviour, which
/// the Python SDK mimics), it is only the fallback when nothing else selects a profile.
pub(crate) const DEFAULT_SECTION: &str = "DEFAULT";

/// Deliberately not `Debug`: profiles hold tokens and client secrets as plain strings.
pub(crate) struct ConfigFile {
    pub path: PathBuf,
    pub sections: IndexMap<String, Section>,
}

impl ConfigFile {
    pub fn parse(path: &Path, text: &str) -> Result<Self, ConfigError> {
        let mut defaults = configparser::ini::Ini::new_cs().defaults();
        // Inline comments are on by default and would cut `token = a;b` to `a`; Python's
        // configparser (used by the SDK and CLI-written files) has none.
        defaults.enable_inline_comments = false;
        // Keys above the first header land here, which is where the Go SDK's ini reader puts them.
        defaults.default_section = DEFAULT_SECTION.to_owned();
        let mut ini = configparser::ini::Ini::new_from_defaults(defaults);
        let map = ini
            .read(text.to_owned())
            .map_err(|reason| ConfigError::ParseFile {
                path: path.to_path_buf(),
                reason,
            })?;
        let sections = map
            .into_iter()
            .map(|(name, keys)| {
                let keys = keys
                    .into_iter()
                    .map(|(key, value)| (key.to_lowercase(), value))
                    .collect();
                (name, keys)
            })
            .collect();
        Ok(Self {
            path: path.to_path_buf(),
            sections,
        })
    }

    /// Profiles a user can select, in file order: every section but `[__settings__]`, and
    /// `[DEFAULT]` only when it holds something.
    pub fn profile_names(&self) -> Vec<&str> {
        self.sections
            .keys()
            .map(String::as_str)
            .filter(|name| *name != SETTINGS_SECTION)
            .filter(|name| *name != DEFAULT_SECTION || self.has_default_section())
            .collect()
    }

    pub fn section(&self, name: &str) -> Option<&Section> {
        self.sections.get(name).filter(|_| name != SETTINGS_SECTION)
    }

    fn has_default_section(&self) -> bool {
        self.sections
            .get(DEFAULT_SECTION)
            .is_some_and(|keys| keys.values().any(|v| non_empty(v.as_deref()).is_some()))
    }

    fn default_profile_setting(&self) -> Option<String> {
        let settings = self.sections.get(SETTINGS_SECTION)?;
        non_empty(settings.get("default_profile")?.as_deref())
    }

    /// `[__settings__] auth_storage`, where the CLI keeps its storage mode.
    pub fn auth_storage_setting(&self) -> Option<String> {
        let settings = self.sections.get(SETTINGS_SECTION)?;
        non_empty(settings.get("auth_storage")?.as_deref())
    }

    /// The profile used when none is named explicitly, and the rule that chose it.
    pub fn implicit_profile(&self) -> Option<(String, Source)> {
        if let Some(name) = self.default_profile_setting() {
            let source = Source::Profile {
                file: self.path.clone(),
                profile: SETTINGS_SECTION.to_owned(),
            };
            return Some((name, source));
        }
        self.has_default_section()
            .then(|| (DEFAULT_SECTION.to_owned(), Source::Default))
    }
}

/// `DATABRICKS_CONFIG_FILE` (a leading `~` expanded, as the Go SDK does), else
/// `~/.databrickscfg`; `None` when neither is known.
pub(crate) fn locate(inputs: &ConfigInputs) -> Option<(PathBuf, Source)> {
    let var = Field::ConfigFile.env_vars()[0];
    if let Some(raw) = non_empty(inputs.env.get(var).map(String::as_str)) {
        let path = match (raw.strip_prefix('~'), &inputs.home) {
            (Some(rest), Some(home)) if rest.is_empty() || rest.starts_with(['/', '\\']) => {
                home.join(rest.trim_start_matches(['/', '\\']))
            }
            _ => PathBuf::from(raw),
        };
        return Some((path, Source::Env(var.to_owned())));
    }
    let home = inputs.home.as_ref()?;
    Some((home.join(".databrickscfg"), Source::Default))
}

/// Reads and parses the file; a missing file is `Ok(None)` (only an explicit profile needs it).
pub(crate) fn load(path: &Path) -> Result<Option<ConfigFile>, ConfigError> {
    match std::fs::read_to_string(path) {
        Ok(text) => ConfigFile::parse(path, &text).map(Some),
        Err(err) if err.kind() == std::io::ErrorKind::NotFound => Ok(None),
        Err(err) => Err(ConfigError::ReadFile {
            path: path.to_path_buf(),
            reason: err.to_string(),
        }),
    }
}

/// `--profile`, else `DATABRICKS_CONFIG_PROFILE`.
pub(crate) fn explicit_profile(inputs: &ConfigInputs) -> Option<(String, Source)> {
    if let Some(name) = non_empty(inputs.profile.as_deref()) {
        return Some((name, Source::Flag));
    }
    let var = Field::Profile.env_vars()[0];
    non_empty(inputs.env.get(var).map(String::as_str)).map(|name| (name, Source::Env(var.into())))
}

/// The profile to read, if any. A profile named explicitly or by `default_profile` must
/// exist; the `[DEFAULT]` fallback and "no profile" are both fine.
pub(crate) fn select_profile(
    file: Option<&ConfigFile>,
    located: Option<&Path>,
    explicit: Option<(String, Source)>,
) -> Result<Option<(String, Source)>, ConfigError> {
    let chosen = match (explicit, file) {
        (Some(chosen), _) => chosen,
        (None, None) => return Ok(None),
        (None, Some(file)) => match file.implicit_profile() {
            Some(chosen) => chosen,
            None => return Ok(None),
        },
    };
    let (profile, source) = chosen;
    let selected_by = match &source {
        Source::Profile { .. } => format!("the default_profile in [{SETTINGS_SECTION}]"),
        other => format!("from {}", other.describe(Field::Profile)),
    };
    match (file, located) {
        (Some(file), _) if file.section(&profile).is_some() => Ok(Some((profile, source))),
        (Some(file), _) => {
            let names = file.profile_names();
            let available = if names.is_empty() {
                "the file defines no profiles".to_owned()
            } else {
                format!("available profiles: {}", names.join(", "))
            };
            Err(ConfigError::ProfileNotFound {
                profile,
                selected_by,
                path: file.path.clone(),
                available,
            })
        }
        (None, Some(path)) => Err(ConfigError::ConfigFileMissing {
            profile,
            selected_by,
            path: path.to_path_buf(),
        }),
        (None, None) => Err(ConfigError::NoConfigFileLocation {
            profile,
            selected_by,
        }),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::testing::{env, inputs_with_file};

    fn parse(text: &str) -> ConfigFile {
        ConfigFile::parse(Path::new("/cfg"), text).unwrap()
    }

    fn value<'a>(file: &'a ConfigFile, profile: &str, key: &str) -> Option<&'a str> {
        file.sections.get(profile)?.get(key)?.as_deref()
    }

    #[test]
    fn hash_and_semicolon_inside_values_are_kept() {
        let file =
            parse("# a comment\n; another\n[p]\nhost = https://x.example/#frag\ntoken=a;b#c\n");
        assert_eq!(value(&file, "p", "host"), Some("https://x.example/#frag"));
        assert_eq!(value(&file, "p", "token"), Some("a;b#c"));
    }

    #[test]
    fn profile_names_are_case_sensitive_and_keys_are_not() {
        let file = parse("[Prod]\nHOST = a\n[prod]\nhost = b\n");
        assert_eq!(value(&file, "Prod", "host"), Some("a"));
        assert_eq!(value(&file, "prod", "host"), Some("b"));
        assert!(file.section("PROD").is_none());
    }

    #[test]
    fn settings_default_profile_wins_over_default_section() {
        let file = parse("[DEFAULT]\nhost = d\n[__settings__]\ndefault_profile = acct\n[acct]\n");
        let (name, source) = file.implicit_profile().unwrap();
        assert_eq!(name, "acct");
        assert!(matches!(source, Source::Profile { profile, .. } if profile == SETTINGS_SECTION));
    }

    #[test]
    fn empty_default_section_selects_nothing() {
        assert!(
            parse("[DEFAULT]\n[acct]\nhost = a\n")
                .implicit_profile()
                .is_none()
        );
        let (name, source) = parse("[DEFAULT]\nhost = d\n").implicit_profile().unwrap();
        assert_eq!((name.as_str(), source), ("DEFAULT", Source::Default));
        assert_eq!(
            parse("[DEFAULT]\n[a]\n[__settings__]\n").profile_names(),
            ["a"]
        );
    }

    #[test]
    fn unknown_profile_lists_the_available_ones() {
        let file = parse("[acct-admin]\nhost = a\n[dev]\nhost = b\n[__settings__]\nx = 1\n");
        let explicit = Some(("prod".to_owned(), Source::Flag));
        let err = select_profile(Some(&file), None, explicit).unwrap_err();
        assert_eq!(
            err.to_string(),
            "Profile 'prod' (from the --profile flag) not found in /cfg; available profiles: \
             acct-admin, dev. Pass --profile with one of them."
        );
        let explicit = Some(("__settings__".to_owned(), Source::Flag));
        assert!(select_profile(Some(&file), None, explicit).is_err());
    }

    #[test]
    fn dangling_default_profile_is_an_error() {
        let file = parse("[__settings__]\ndefault_profile = gone\n");
        let err = select_profile(Some(&file), None, None)
            .unwrap_err()
            .to_string();
        assert!(
            err.contains("'gone' (the default_profile in [__settings__])"),
            "{err}"
        );
        assert!(err.contains("the file defines no profiles"), "{err}");
    }

    #[test]
    fn missing_file_is_fine_unless_a_profile_is_named() {
        assert!(
            select_profile(None, Some(Path::new("/nope")), None)
                .unwrap()
                .is_none()
        );
        let explicit = Some((
            "p".to_owned(),
            Source::Env("DATABRICKS_CONFIG_PROFILE".into()),
        ));
        let err = select_profile(None, Some(Path::new("/nope")), explicit.clone()).unwrap_err();
        let text = err.to_string();
        assert!(
            text.contains("environment variable DATABRICKS_CONFIG_PROFILE"),
            "{text}"
        );
        assert!(text.contains("/nope does not exist"), "{text}");
        let err = select_profile(None, None, explicit).unwrap_err();
        assert!(matches!(err, ConfigError::NoConfigFileLocation { .. }));
    }

    #[test]
    fn config_file_env_overrides_home_and_expands_tilde() {
        let (_dir, mut inputs) = inputs_with_file("");
        let home = inputs.home.clone().unwrap();
        assert_eq!(locate(&inputs).unwrap().0, home.join(".databrickscfg"));
        inputs.env = env(&[("DATABRICKS_CONFIG_FILE", "~/other.cfg")]);
        let (path, source) = locate(&inputs).unwrap();
        assert_eq!(path, home.join("other.cfg"));
        assert_eq!(source, Source::Env("DATABRICKS_CONFIG_FILE".into()));
        inputs.home = None;
        inputs.env = env(&[]);
        assert!(locate(&inputs).is_none());
    }

    #[test]
    fn unreadable_syntax_is_a_parse_error() {
        // ConfigFile is deliberately not Debug (it holds secrets), so no unwrap_err here.
        let Err(err) = ConfigFile::parse(Path::new("/cfg"), "[broken\nhost = x\n") else {
            panic!("parsed a broken file");
        };
        let text = err.to_string();
        assert!(
            text.starts_with("Could not parse the config file /cfg: line 1"),
            "{text}"
        );
    }
}
