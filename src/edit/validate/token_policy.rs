//! `token_access_policy` of app connections and published apps (reference §4.4, §12).

use super::{Validation, parse_whole_number};
use crate::api::models::TokenAccessPolicy;

pub const ACCESS_TTL: &str = "token_access_policy.access_token_ttl_in_minutes";
pub const REFRESH_TTL: &str = "token_access_policy.refresh_token_ttl_in_minutes";
pub const SINGLE_USE: &str = "token_access_policy.enable_single_use_refresh_tokens";
pub const ABSOLUTE_SESSION: &str = "token_access_policy.absolute_session_lifetime_in_minutes";

const ACCESS_RANGE: (i32, i32) = (5, 1440);
const REFRESH_RANGE: (i32, i32) = (5, 129_600);
/// The reference leaves this range unconfirmed; these are the fake server's bounds (up to a
/// year), so the console refuses what the fake would.
const ABSOLUTE_SESSION_RANGE: (i32, i32) = (5, 525_600);
/// What Databricks uses when the access lifetime is left empty ("commonly cited", §4.4); the
/// refresh lifetime must not be shorter than it either.
const DEFAULT_ACCESS_TTL: i32 = 60;

/// A minutes field typed into a form; see [`parse_whole_number`]. Numbers beyond `i32` are
/// outside every range here, so they saturate and the range check names them.
pub fn parse_minutes(
    field: &'static str,
    label: &str,
    text: &str,
    validation: &mut Validation,
) -> Option<i32> {
    parse_whole_number(field, label, "minutes", text, validation)
        .map(|n| i32::try_from(n).unwrap_or(if n < 0 { i32::MIN } else { i32::MAX }))
}

/// A published app's form holds only the token policy.
pub fn validate_published_app(policy: Option<&TokenAccessPolicy>) -> Validation {
    let mut validation = Validation::new();
    if let Some(policy) = policy {
        check_token_access_policy(policy, &mut validation);
    }
    validation
}

/// Ranges and relations of the lifetimes. Empty fields mean the Databricks defaults.
pub fn check_token_access_policy(policy: &TokenAccessPolicy, validation: &mut Validation) {
    let access = policy.access_token_ttl_in_minutes;
    let refresh = policy.refresh_token_ttl_in_minutes;
    let absolute = policy.absolute_session_lifetime_in_minutes;
    let access_ok = check_range(
        ACCESS_TTL,
        "Access token lifetime",
        access,
        ACCESS_RANGE,
        validation,
    );
    let refresh_ok = check_range(
        REFRESH_TTL,
        "Refresh token lifetime",
        refresh,
        REFRESH_RANGE,
        validation,
    );
    let absolute_ok = check_range(
        ABSOLUTE_SESSION,
        "Absolute session lifetime",
        absolute,
        ABSOLUTE_SESSION_RANGE,
        validation,
    );
    if let Some(refresh) = refresh.filter(|_| access_ok && refresh_ok) {
        let (effective_access, default_note) = match access {
            Some(access) => (access, ""),
            None => (DEFAULT_ACCESS_TTL, ", the default"),
        };
        if refresh < effective_access {
            validation.error(
                REFRESH_TTL,
                format!(
                    "Refresh token lifetime ({refresh} minutes) must be at least the access token lifetime ({effective_access} minutes{default_note})."
                ),
            );
        }
    }
    let Some(absolute) = absolute.filter(|_| absolute_ok) else {
        return;
    };
    if policy.enable_single_use_refresh_tokens != Some(true) {
        validation.warn(
            ABSOLUTE_SESSION,
            "Absolute session lifetime only takes effect with single-use refresh tokens turned on; turn them on or leave it empty.",
        );
    }
    if let Some(refresh) = refresh.filter(|refresh| refresh_ok && absolute < *refresh) {
        validation.warn(
            ABSOLUTE_SESSION,
            format!(
                "Absolute session lifetime ({absolute} minutes) is shorter than the refresh token lifetime ({refresh} minutes), so every session ends before its refresh token would expire."
            ),
        );
    }
}

/// Refresh settings do nothing without `offline_access`: without it no refresh token is
/// ever issued (§3.4).
pub fn check_refresh_needs_offline_access(
    policy: &TokenAccessPolicy,
    scopes: &[String],
    validation: &mut Validation,
) {
    if scopes.iter().any(|scope| scope == "offline_access") {
        return;
    }
    let (field, setting) = if policy.refresh_token_ttl_in_minutes.is_some() {
        (REFRESH_TTL, "A refresh token lifetime is set")
    } else if policy.enable_single_use_refresh_tokens == Some(true) {
        (SINGLE_USE, "Single-use refresh tokens are turned on")
    } else if policy.absolute_session_lifetime_in_minutes.is_some() {
        (ABSOLUTE_SESSION, "An absolute session lifetime is set")
    } else {
        return;
    };
    validation.warn(
        field,
        format!(
            "{setting}, but the scopes do not include offline_access, so the app never receives a refresh token; add offline_access or leave the refresh settings empty."
        ),
    );
}

/// True when `value` is absent or within `(min, max)`; otherwise records the error.
fn check_range(
    field: &'static str,
    label: &str,
    value: Option<i32>,
    (min, max): (i32, i32),
    validation: &mut Validation,
) -> bool {
    match value {
        Some(value) if !(min..=max).contains(&value) => {
            validation.error(
                field,
                format!(
                    "{label} must be between {min} and {max} minutes ({}); got {value}.",
                    describe_minutes(max)
                ),
            );
            false
        }
        _ => true,
    }
}

/// The upper bound in the unit people think in: 1440 → "24 hours", 129600 → "90 days".
fn describe_minutes(minutes: i32) -> String {
    match minutes {
        m if m % 1440 == 0 && m > 1440 => format!("{} days", m / 1440),
        m if m % 60 == 0 => format!("{} hours", m / 60),
        m => format!("{m} minutes"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn policy(access: Option<i32>, refresh: Option<i32>) -> TokenAccessPolicy {
        TokenAccessPolicy {
            access_token_ttl_in_minutes: access,
            refresh_token_ttl_in_minutes: refresh,
            ..TokenAccessPolicy::default()
        }
    }

    fn check(policy: &TokenAccessPolicy) -> Validation {
        let mut validation = Validation::new();
        check_token_access_policy(policy, &mut validation);
        validation
    }

    #[test]
    fn documented_bounds_pass() {
        for (access, refresh) in [
            (Some(5), Some(5)),
            (Some(1440), Some(129_600)),
            (None, None),
            (None, Some(60)),
        ] {
            assert_eq!(
                check(&policy(access, refresh)),
                Validation::new(),
                "{access:?} {refresh:?}"
            );
        }
    }

    #[test]
    fn out_of_range_lifetimes_name_the_range() {
        assert_eq!(
            check(&policy(Some(4), None)).errors_for(ACCESS_TTL),
            ["Access token lifetime must be between 5 and 1440 minutes (24 hours); got 4."]
        );
        assert_eq!(
            check(&policy(Some(1441), None)).errors_for(ACCESS_TTL),
            ["Access token lifetime must be between 5 and 1440 minutes (24 hours); got 1441."]
        );
        assert_eq!(
            check(&policy(None, Some(129_601))).errors_for(REFRESH_TTL),
            ["Refresh token lifetime must be between 5 and 129600 minutes (90 days); got 129601."]
        );
        let mut absolute = policy(None, None);
        absolute.absolute_session_lifetime_in_minutes = Some(1);
        absolute.enable_single_use_refresh_tokens = Some(true);
        assert_eq!(
            check(&absolute).errors_for(ABSOLUTE_SESSION),
            ["Absolute session lifetime must be between 5 and 525600 minutes (365 days); got 1."]
        );
    }

    #[test]
    fn refresh_must_not_be_shorter_than_access() {
        assert_eq!(
            check(&policy(Some(120), Some(60))).errors_for(REFRESH_TTL),
            [
                "Refresh token lifetime (60 minutes) must be at least the access token lifetime (120 minutes)."
            ]
        );
        assert_eq!(
            check(&policy(None, Some(30))).errors_for(REFRESH_TTL),
            [
                "Refresh token lifetime (30 minutes) must be at least the access token lifetime (60 minutes, the default)."
            ]
        );
        // Only the range error when a value is out of range, not a second message.
        assert_eq!(check(&policy(Some(2000), Some(60))).errors.len(), 1);
    }

    #[test]
    fn absolute_session_needs_rotation_and_should_outlast_refresh() {
        let mut session = policy(Some(60), Some(10_080));
        session.absolute_session_lifetime_in_minutes = Some(1440);
        let validation = check(&session);
        assert!(validation.is_valid());
        assert_eq!(
            validation.warnings_for(ABSOLUTE_SESSION),
            [
                "Absolute session lifetime only takes effect with single-use refresh tokens turned on; turn them on or leave it empty.",
                "Absolute session lifetime (1440 minutes) is shorter than the refresh token lifetime (10080 minutes), so every session ends before its refresh token would expire."
            ]
        );
        session.enable_single_use_refresh_tokens = Some(true);
        session.absolute_session_lifetime_in_minutes = Some(43_200);
        assert_eq!(check(&session), Validation::new());
    }

    #[test]
    fn refresh_settings_without_offline_access_warn() {
        let scopes = vec!["all-apis".to_owned()];
        let mut validation = Validation::new();
        check_refresh_needs_offline_access(&policy(Some(60), Some(1440)), &scopes, &mut validation);
        assert_eq!(
            validation.warnings_for(REFRESH_TTL),
            [
                "A refresh token lifetime is set, but the scopes do not include offline_access, so the app never receives a refresh token; add offline_access or leave the refresh settings empty."
            ]
        );
        let mut rotation = policy(None, None);
        rotation.enable_single_use_refresh_tokens = Some(true);
        let mut validation = Validation::new();
        check_refresh_needs_offline_access(&rotation, &scopes, &mut validation);
        assert_eq!(validation.warnings_for(SINGLE_USE).len(), 1);
        let with_offline = vec!["all-apis".to_owned(), "offline_access".to_owned()];
        let mut validation = Validation::new();
        check_refresh_needs_offline_access(
            &policy(Some(60), Some(1440)),
            &with_offline,
            &mut validation,
        );
        check_refresh_needs_offline_access(&policy(Some(60), None), &scopes, &mut validation);
        assert_eq!(validation, Validation::new());
    }

    #[test]
    fn minutes_parse_from_text_and_saturate() {
        let mut validation = Validation::new();
        assert_eq!(
            parse_minutes(ACCESS_TTL, "Access token lifetime", "90", &mut validation),
            Some(90)
        );
        assert_eq!(
            parse_minutes(
                ACCESS_TTL,
                "Access token lifetime",
                "99999999999",
                &mut validation
            ),
            Some(i32::MAX)
        );
        assert_eq!(
            parse_minutes(ACCESS_TTL, "Access token lifetime", "", &mut validation),
            None
        );
        assert!(validation.is_valid());
        assert_eq!(
            validate_published_app(Some(&policy(Some(3), None)))
                .errors
                .len(),
            1
        );
        assert_eq!(validate_published_app(None), Validation::new());
    }
}
