//! Options for the U2M browser login: which loopback ports to try for the redirect and how
//! long to wait for the user to finish in the browser.

use std::time::Duration;

use super::error::ConfigError;
use super::settings::{Field, Settings};

/// The Databricks CLI tries 8020 through 8040 until one binds; the `databricks-cli` published
/// app accepts `http://localhost:<port>` redirects on those ports.
pub const DEFAULT_REDIRECT_PORTS: std::ops::RangeInclusive<u16> = 8020..=8040;

pub const DEFAULT_LOGIN_TIMEOUT: Duration = Duration::from_secs(5 * 60);

/// How the browser login listens for the redirect.
///
/// Two knobs, each settable in the environment or as a key of the selected profile
/// (environment wins):
///
/// * ports: `DBX_CONSOLE_REDIRECT_PORTS` or `redirect_port` — a comma-separated list
///   (`8020,8021`), a range (`8020-8030`), or both (`8020,8030-8032`). Tried in order until
///   one binds. Default 8020–8040, like the Databricks CLI. A custom app connection must
///   list `http://localhost:<port>` for each of them as a redirect URL.
/// * timeout: `DBX_CONSOLE_LOGIN_TIMEOUT_SECS` or `login_timeout_secs` — whole seconds to
///   wait for the browser to come back before giving up. Default 300 (5 minutes).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LoginOptions {
    pub ports: Vec<u16>,
    pub timeout: Duration,
}

impl Default for LoginOptions {
    fn default() -> Self {
        Self {
            ports: DEFAULT_REDIRECT_PORTS.collect(),
            timeout: DEFAULT_LOGIN_TIMEOUT,
        }
    }
}

/// Reads both knobs, recording a default source for the ones nothing set.
pub(crate) fn login_options(settings: &mut Settings) -> Result<LoginOptions, ConfigError> {
    let defaults = LoginOptions::default();
    let ports = match settings.value(Field::RedirectPorts) {
        Some(raw) => {
            parse_redirect_ports(raw).map_err(|reason| ConfigError::InvalidRedirectPorts {
                value: raw.to_owned(),
                origin: settings.origin(Field::RedirectPorts),
                reason,
            })?
        }
        None => defaults.ports,
    };
    let timeout = match settings.value(Field::LoginTimeout) {
        Some(raw) => match raw.parse::<u64>() {
            Ok(secs) if secs > 0 => Duration::from_secs(secs),
            _ => {
                return Err(ConfigError::InvalidLoginTimeout {
                    value: raw.to_owned(),
                    origin: settings.origin(Field::LoginTimeout),
                });
            }
        },
        None => defaults.timeout,
    };
    settings.set_default(
        Field::RedirectPorts,
        format!(
            "{}-{}",
            DEFAULT_REDIRECT_PORTS.start(),
            DEFAULT_REDIRECT_PORTS.end()
        ),
    );
    settings.set_default(
        Field::LoginTimeout,
        DEFAULT_LOGIN_TIMEOUT.as_secs().to_string(),
    );
    Ok(LoginOptions { ports, timeout })
}

/// `8020,8021`, `8020-8030`, or a mix; duplicates dropped, first occurrence kept (the order
/// is the order ports are tried). The error is the reason, for the caller's message.
pub fn parse_redirect_ports(raw: &str) -> Result<Vec<u16>, String> {
    let mut ports = Vec::new();
    for item in raw.split(',').map(str::trim) {
        if item.is_empty() {
            return Err("an entry is empty".to_owned());
        }
        let (first, last) = match item.split_once('-') {
            Some((start, end)) => (parse_port(start)?, parse_port(end)?),
            None => {
                let port = parse_port(item)?;
                (port, port)
            }
        };
        if first > last {
            return Err(format!("the range {item} runs backwards"));
        }
        for port in first..=last {
            if !ports.contains(&port) {
                ports.push(port);
            }
        }
    }
    Ok(ports)
}

fn parse_port(text: &str) -> Result<u16, String> {
    let text = text.trim();
    match text.parse::<u16>() {
        Ok(port) if port > 0 => Ok(port),
        _ => Err(format!("'{text}' is not a port number")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lists_ranges_and_mixes() {
        assert_eq!(parse_redirect_ports("8020").unwrap(), [8020]);
        assert_eq!(
            parse_redirect_ports("9000, 8020,9000").unwrap(),
            [9000, 8020]
        );
        assert_eq!(
            parse_redirect_ports("8020-8023").unwrap(),
            [8020, 8021, 8022, 8023]
        );
        assert_eq!(
            parse_redirect_ports("7000,8020 - 8021").unwrap(),
            [7000, 8020, 8021]
        );
    }

    #[test]
    fn bad_ports_say_which_part_is_wrong() {
        for (raw, reason) in [
            ("80x0", "'80x0' is not a port number"),
            ("0", "'0' is not a port number"),
            ("70000", "'70000' is not a port number"),
            ("8030-8020", "the range 8030-8020 runs backwards"),
            ("8020,", "an entry is empty"),
            ("8020-", "'' is not a port number"),
        ] {
            assert_eq!(parse_redirect_ports(raw).unwrap_err(), reason, "{raw}");
        }
    }

    #[test]
    fn defaults_follow_the_cli() {
        let options = LoginOptions::default();
        assert_eq!(options.ports.len(), 21);
        assert_eq!((options.ports[0], options.ports[20]), (8020, 8040));
        assert_eq!(options.timeout, Duration::from_secs(300));
    }
}
