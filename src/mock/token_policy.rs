//! The `token_access_policy` object of app integrations and its documented ranges.

use serde::{Deserialize, Serialize};
use serde_json::Value;

use super::error::{ApiFailure, ApiResult};

#[derive(Debug, Clone, Default, Deserialize, Serialize, PartialEq, Eq)]
pub struct TokenAccessPolicy {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub access_token_ttl_in_minutes: Option<i64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub refresh_token_ttl_in_minutes: Option<i64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub enable_single_use_refresh_tokens: Option<bool>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub absolute_session_lifetime_in_minutes: Option<i64>,
}

pub const DEFAULT_ACCESS_TTL_MINUTES: i64 = 60;
/// Unconfirmed default refresh lifetime; 90 days is the documented maximum and a common default.
pub const DEFAULT_REFRESH_TTL_MINUTES: i64 = 129_600;
/// Unconfirmed range for the absolute session lifetime; we allow up to one year.
pub const MAX_ABSOLUTE_SESSION_MINUTES: i64 = 525_600;

impl TokenAccessPolicy {
    pub fn from_value(value: Option<&Value>) -> TokenAccessPolicy {
        value
            .and_then(|v| serde_json::from_value(v.clone()).ok())
            .unwrap_or_default()
    }

    pub fn validate(&self) -> ApiResult<()> {
        check_range(
            "access_token_ttl_in_minutes",
            self.access_token_ttl_in_minutes,
            5,
            1440,
        )?;
        check_range(
            "refresh_token_ttl_in_minutes",
            self.refresh_token_ttl_in_minutes,
            5,
            129_600,
        )?;
        check_range(
            "absolute_session_lifetime_in_minutes",
            self.absolute_session_lifetime_in_minutes,
            5,
            MAX_ABSOLUTE_SESSION_MINUTES,
        )?;
        let access = self.access_token_minutes();
        if let Some(refresh) = self.refresh_token_ttl_in_minutes
            && refresh < access
        {
            return Err(ApiFailure::invalid_parameter(format!(
                "refresh_token_ttl_in_minutes ({refresh}) must be greater than or equal to access_token_ttl_in_minutes ({access})"
            )));
        }
        Ok(())
    }

    pub fn access_token_minutes(&self) -> i64 {
        self.access_token_ttl_in_minutes
            .unwrap_or(DEFAULT_ACCESS_TTL_MINUTES)
    }

    pub fn refresh_token_minutes(&self) -> i64 {
        self.refresh_token_ttl_in_minutes
            .unwrap_or(DEFAULT_REFRESH_TTL_MINUTES)
    }

    pub fn rotates_refresh_tokens(&self) -> bool {
        self.enable_single_use_refresh_tokens == Some(true)
    }

    /// Only effective with rotation on (reference §4.4).
    pub fn absolute_session_minutes(&self) -> Option<i64> {
        self.absolute_session_lifetime_in_minutes
            .filter(|_| self.rotates_refresh_tokens())
    }
}

fn check_range(name: &str, value: Option<i64>, min: i64, max: i64) -> ApiResult<()> {
    match value {
        Some(v) if !(min..=max).contains(&v) => Err(ApiFailure::invalid_parameter(format!(
            "{name} must be between {min} and {max}, got {v}"
        ))),
        _ => Ok(()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn policy(access: Option<i64>, refresh: Option<i64>) -> TokenAccessPolicy {
        TokenAccessPolicy {
            access_token_ttl_in_minutes: access,
            refresh_token_ttl_in_minutes: refresh,
            ..Default::default()
        }
    }

    #[test]
    fn ranges_are_enforced_with_precise_messages() {
        assert!(policy(Some(5), Some(129_600)).validate().is_ok());
        let low = policy(Some(4), None).validate().unwrap_err();
        assert_eq!(
            low.message,
            "access_token_ttl_in_minutes must be between 5 and 1440, got 4"
        );
        let high = policy(None, Some(129_601)).validate().unwrap_err();
        assert_eq!(
            high.message,
            "refresh_token_ttl_in_minutes must be between 5 and 129600, got 129601"
        );
        let inverted = policy(Some(120), Some(60)).validate().unwrap_err();
        assert!(inverted.message.contains("greater than or equal"));
    }

    #[test]
    fn absolute_lifetime_needs_rotation() {
        let mut p = policy(None, None);
        p.absolute_session_lifetime_in_minutes = Some(100);
        assert_eq!(p.absolute_session_minutes(), None);
        p.enable_single_use_refresh_tokens = Some(true);
        assert_eq!(p.absolute_session_minutes(), Some(100));
    }
}
