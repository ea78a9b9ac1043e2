//! Choosing journal entries: since a time, and containing a text.

use chrono::{DateTime, NaiveDate, TimeDelta, Utc};

use super::entry::Entry;

/// Which entries to show; the default shows all.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct JournalQuery {
    /// Entries at or after this time.
    pub since: Option<DateTime<Utc>>,
    /// Entries holding this text, without regard to case, in any column (before/after
    /// included, so a changed value can be searched for).
    pub text: Option<String>,
}

impl JournalQuery {
    pub fn matches(&self, entry: &Entry) -> bool {
        if self.since.is_some_and(|since| entry.time < since) {
            return false;
        }
        let Some(text) = self.text.as_deref().filter(|t| !t.is_empty()) else {
            return true;
        };
        let needle = text.to_lowercase();
        let documents = [&entry.before, &entry.after]
            .map(|doc| doc.as_ref().map(ToString::to_string).unwrap_or_default());
        let host_and_documents = [entry.host.as_str(), &documents[0], &documents[1]];
        entry
            .text_columns()
            .iter()
            .chain(&host_and_documents)
            .any(|field| field.to_lowercase().contains(&needle))
    }

    pub fn apply(&self, entries: Vec<Entry>) -> Vec<Entry> {
        entries.into_iter().filter(|e| self.matches(e)).collect()
    }
}

/// Reads `--since`: an RFC 3339 time (`2025-03-01T10:00:00Z`), a UTC date (`2025-03-01`), or
/// an age before `now` (`30m`, `12h`, `7d`, `2w`).
pub fn parse_since(text: &str, now: DateTime<Utc>) -> Result<DateTime<Utc>, String> {
    let text = text.trim();
    if let Ok(time) = DateTime::parse_from_rfc3339(text) {
        return Ok(time.with_timezone(&Utc));
    }
    if let Ok(date) = NaiveDate::parse_from_str(text, "%Y-%m-%d") {
        return Ok(date.and_time(chrono::NaiveTime::MIN).and_utc());
    }
    let invalid = || {
        format!(
            "--since '{text}' is not a time: use an RFC 3339 time (2025-03-01T10:00:00Z), a UTC date (2025-03-01) or an age such as 30m, 12h, 7d or 2w"
        )
    };
    let split = text.len().checked_sub(1).ok_or_else(invalid)?;
    let (number, unit) = text.split_at_checked(split).ok_or_else(invalid)?;
    let amount: i64 = number.parse().map_err(|_| invalid())?;
    let age = match unit {
        "m" => TimeDelta::try_minutes(amount),
        "h" => TimeDelta::try_hours(amount),
        "d" => TimeDelta::try_days(amount),
        "w" => TimeDelta::try_weeks(amount),
        _ => None,
    }
    .filter(|_| amount >= 0)
    .ok_or_else(invalid)?;
    now.checked_sub_signed(age).ok_or_else(invalid)
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;
    use crate::journal::entry::{Actor, Operation, ResourceType};

    fn time(text: &str) -> DateTime<Utc> {
        DateTime::parse_from_rfc3339(text)
            .unwrap()
            .with_timezone(&Utc)
    }

    fn entry(at: &str, name: &str) -> Entry {
        Entry::new(
            &Actor::default(),
            Operation::Update,
            ResourceType::FederationPolicy,
            "PATCH",
            "/api/2.0/accounts/a/federationPolicies/okta",
        )
        .at(time(at))
        .resource("okta", Some(name))
        .after(json!({"oidc_policy": {"issuer": "https://Example.okta.com"}}))
    }

    #[test]
    fn since_and_text_both_narrow() {
        let entries = vec![
            entry("2025-03-01T10:00:00Z", "Okta SSO"),
            entry("2025-03-02T10:00:00Z", "Legacy IdP"),
        ];
        let query = JournalQuery {
            since: Some(time("2025-03-01T12:00:00Z")),
            text: None,
        };
        assert_eq!(query.apply(entries.clone()).len(), 1);
        let by_name = JournalQuery {
            since: None,
            text: Some("okta sso".into()),
        };
        assert_eq!(
            by_name.apply(entries.clone())[0].resource_name.as_deref(),
            Some("Okta SSO")
        );
        let in_document = JournalQuery {
            since: None,
            text: Some("EXAMPLE.OKTA".into()),
        };
        assert_eq!(in_document.apply(entries.clone()).len(), 2);
        assert_eq!(JournalQuery::default().apply(entries).len(), 2);
    }

    #[test]
    fn since_reads_times_dates_and_ages() {
        let now = time("2025-03-10T12:00:00Z");
        assert_eq!(
            parse_since("2025-03-01T10:00:00+01:00", now).unwrap(),
            time("2025-03-01T09:00:00Z")
        );
        assert_eq!(
            parse_since("2025-03-01", now).unwrap(),
            time("2025-03-01T00:00:00Z")
        );
        assert_eq!(
            parse_since("30m", now).unwrap(),
            time("2025-03-10T11:30:00Z")
        );
        assert_eq!(
            parse_since("12h", now).unwrap(),
            time("2025-03-10T00:00:00Z")
        );
        assert_eq!(
            parse_since(" 7d ", now).unwrap(),
            time("2025-03-03T12:00:00Z")
        );
        assert_eq!(
            parse_since("2w", now).unwrap(),
            time("2025-02-24T12:00:00Z")
        );
    }

    #[test]
    fn since_explains_what_it_accepts() {
        let now = time("2025-03-10T12:00:00Z");
        for bad in ["", "yesterday", "7y", "-3d", "d", "é"] {
            let message = parse_since(bad, now).unwrap_err();
            assert!(
                message.contains("an age such as 30m, 12h, 7d or 2w"),
                "{bad}: {message}"
            );
        }
    }
}
