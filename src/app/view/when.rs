//! Dates, ages and lifetimes as an admin reads them: days left, short dates, TTLs.

use chrono::{DateTime, Utc};

/// Parses an RFC 3339 time from the server; anything else is treated as absent.
pub fn parse(text: Option<&str>) -> Option<DateTime<Utc>> {
    DateTime::parse_from_rfc3339(text?)
        .ok()
        .map(|t| t.with_timezone(&Utc))
}

/// Whole days from `now` until `then`, negative once past (rounded towards the past, so an
/// expiry later today is 0 days left, not 1).
pub fn days_until(then: DateTime<Utc>, now: DateTime<Utc>) -> i64 {
    (then - now).num_seconds().div_euclid(86_400)
}

pub fn days_since(then: DateTime<Utc>, now: DateTime<Utc>) -> i64 {
    (now - then).num_seconds().div_euclid(86_400)
}

/// `2025-03-01`.
pub fn date(time: DateTime<Utc>) -> String {
    time.format("%Y-%m-%d").to_string()
}

/// A date from the server, or what it was when it does not parse (sanitised by the caller).
pub fn date_text(text: Option<&str>) -> String {
    match (parse(text), text) {
        (Some(time), _) => date(time),
        (None, Some(raw)) => raw.to_owned(),
        (None, None) => String::new(),
    }
}

/// `in 12 d`, `today`, `3 d ago`: relative expiry for tables.
pub fn relative_days(days: i64) -> String {
    match days {
        0 => "today".into(),
        d if d > 0 => format!("in {d} d"),
        d => format!("{} d ago", -d),
    }
}

/// A token lifetime in minutes: `60 min`, `12 h`, `7 d`, `90 d`.
pub fn ttl(minutes: i64) -> String {
    if minutes >= 1440 && minutes % 1440 == 0 {
        format!("{} d", minutes / 1440)
    } else if minutes >= 60 && minutes % 60 == 0 {
        format!("{} h", minutes / 60)
    } else {
        format!("{minutes} min")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(text: &str) -> DateTime<Utc> {
        parse(Some(text)).expect("a valid time")
    }

    #[test]
    fn days_round_towards_the_past() {
        let now = at("2026-11-22T12:00:00Z");
        assert_eq!(days_until(at("2026-11-22T18:00:00Z"), now), 0);
        assert_eq!(days_until(at("2026-11-24T12:00:00Z"), now), 2);
        assert_eq!(days_until(at("2026-11-22T11:00:00Z"), now), -1);
        assert_eq!(days_since(at("2025-11-22T12:00:00Z"), now), 365);
    }

    #[test]
    fn texts_read_naturally() {
        assert_eq!(relative_days(0), "today");
        assert_eq!(relative_days(12), "in 12 d");
        assert_eq!(relative_days(-3), "3 d ago");
        assert_eq!(ttl(60), "1 h");
        assert_eq!(ttl(45), "45 min");
        assert_eq!(ttl(10080), "7 d");
        assert_eq!(ttl(90), "90 min");
        assert_eq!(date_text(Some("2025-03-01T10:15:30.000Z")), "2025-03-01");
        assert_eq!(date_text(Some("soon")), "soon");
        assert_eq!(date_text(None), "");
    }
}
