//! The lifetime of a new service principal OAuth secret (reference §6): typed in days,
//! sent as a protobuf Duration string in seconds (`"7776000s"` for 90 days).

use super::{Validation, parse_whole_number};
use crate::api::models::CreateSecretRequest;
use crate::api::models::secrets::DEFAULT_LIFETIME_DAYS;

pub const LIFETIME: &str = "lifetime";

/// The server's default is also its maximum (the maximum is unconfirmed in the reference;
/// the fake server refuses more).
pub const MAX_SECRET_LIFETIME_DAYS: u32 = DEFAULT_LIFETIME_DAYS;

const SECONDS_PER_DAY: u64 = 86_400;

/// Reads the lifetime field: empty is `None` (the server default, 730 days); otherwise a whole
/// number of days from 1 to 730.
pub fn check_secret_lifetime_days(text: &str, validation: &mut Validation) -> Option<u32> {
    let days = parse_whole_number(LIFETIME, "Secret lifetime", "days", text, validation)?;
    match u32::try_from(days) {
        Ok(days) if (1..=MAX_SECRET_LIFETIME_DAYS).contains(&days) => Some(days),
        _ => {
            validation.error(
                LIFETIME,
                format!(
                    "Secret lifetime must be between 1 and {MAX_SECRET_LIFETIME_DAYS} days (2 years); got {days}."
                ),
            );
            None
        }
    }
}

/// Days as the wire wants them: `90` → `"7776000s"`.
pub fn lifetime_for_wire(days: u32) -> String {
    CreateSecretRequest::with_lifetime_days(days)
        .lifetime
        .unwrap_or_default()
}

/// The inverse of [`lifetime_for_wire`]: `"7776000s"` → `Some(90)`; `None` for anything that is
/// not a whole number of days in that form.
pub fn lifetime_days_from_wire(text: &str) -> Option<u32> {
    let seconds: u64 = text.strip_suffix('s')?.parse().ok()?;
    seconds
        .is_multiple_of(SECONDS_PER_DAY)
        .then(|| u32::try_from(seconds / SECONDS_PER_DAY).ok())
        .flatten()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn errors(text: &str) -> Vec<String> {
        let mut validation = Validation::new();
        check_secret_lifetime_days(text, &mut validation);
        validation.errors.into_iter().map(|m| m.message).collect()
    }

    #[test]
    fn lifetimes_from_one_day_to_two_years_pass() {
        let mut validation = Validation::new();
        assert_eq!(check_secret_lifetime_days("1", &mut validation), Some(1));
        assert_eq!(
            check_secret_lifetime_days(" 730 ", &mut validation),
            Some(730)
        );
        assert_eq!(check_secret_lifetime_days("", &mut validation), None);
        assert!(validation.is_valid());
    }

    #[test]
    fn out_of_range_and_non_numbers_are_named() {
        let range = "Secret lifetime must be between 1 and 730 days (2 years); got";
        assert_eq!(errors("0"), [format!("{range} 0.")]);
        assert_eq!(errors("731"), [format!("{range} 731.")]);
        assert_eq!(errors("-5"), [format!("{range} -5.")]);
        assert_eq!(
            errors("90d"),
            ["Secret lifetime must be a whole number of days; '90d' is not one."]
        );
    }

    #[test]
    fn lifetime_converts_to_and_from_the_wire_form() {
        assert_eq!(lifetime_for_wire(90), "7776000s");
        assert_eq!(lifetime_for_wire(730), "63072000s");
        assert_eq!(lifetime_days_from_wire("63072000s"), Some(730));
        assert_eq!(lifetime_days_from_wire("7776000s"), Some(90));
        assert_eq!(lifetime_days_from_wire("3600s"), None, "not whole days");
        assert_eq!(lifetime_days_from_wire("7776000"), None);
        assert_eq!(lifetime_days_from_wire("soon"), None);
    }
}
