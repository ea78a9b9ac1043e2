//! OAuth secrets of a service principal (reference §6). The plaintext comes back once, in the
//! create response, and is a [`Secret`] so it cannot leak through Debug or a snapshot.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

use super::{TokenPage, non_empty, null_as_default, parse_time};
use crate::secret::Secret;

/// The only status the reference confirms; others (expired, inactive) are unconfirmed, hence
/// `status` stays a string.
pub const ACTIVE: &str = "ACTIVE";

/// What the server uses when the create request has no lifetime (730 days).
pub const DEFAULT_LIFETIME_DAYS: u32 = 730;

const SECONDS_PER_DAY: i64 = 86_400;

/// A secret as listed: everything but the value.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct SecretInfo {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub id: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub secret_hash: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub create_time: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub update_time: Option<String>,
    /// Absent when the secret never expires.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub expire_time: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub status: Option<String>,
    /// Empty means unrestricted (`all-apis`).
    #[serde(
        default,
        deserialize_with = "null_as_default",
        skip_serializing_if = "Vec::is_empty"
    )]
    pub scopes: Vec<String>,
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

impl SecretInfo {
    /// `None` means the secret never expires (or the server sent a time we cannot read).
    pub fn expires_at(&self) -> Option<DateTime<Utc>> {
        parse_time(self.expire_time.as_deref())
    }

    pub fn created_at(&self) -> Option<DateTime<Utc>> {
        parse_time(self.create_time.as_deref())
    }

    /// Whole days until expiry, rounded down: 0 is "expires within a day", negative is
    /// expired. `None` when it never expires.
    pub fn days_left(&self, now: DateTime<Utc>) -> Option<i64> {
        let seconds = (self.expires_at()? - now).num_seconds();
        Some(seconds.div_euclid(SECONDS_PER_DAY))
    }

    pub fn is_expired(&self, now: DateTime<Utc>) -> bool {
        self.expires_at().is_some_and(|expiry| expiry <= now)
    }

    pub fn is_active(&self) -> bool {
        self.status.as_deref() == Some(ACTIVE)
    }
}

/// Body of `POST .../credentials/secrets`.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct CreateSecretRequest {
    /// A protobuf Duration in seconds with an `s` suffix, e.g. `"7776000s"` for 90 days.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub lifetime: Option<String>,
    #[serde(
        default,
        deserialize_with = "null_as_default",
        skip_serializing_if = "Vec::is_empty"
    )]
    pub scopes: Vec<String>,
}

impl CreateSecretRequest {
    pub fn with_lifetime_days(days: u32) -> Self {
        Self {
            lifetime: Some(format!("{}s", i64::from(days) * SECONDS_PER_DAY)),
            scopes: Vec::new(),
        }
    }
}

/// Create response: the listed fields plus the plaintext, shown to the user once. The value
/// serializes as `***`.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct CreatedSecret {
    #[serde(flatten)]
    pub info: SecretInfo,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub secret: Option<Secret>,
}

#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct SecretsPage {
    #[serde(
        default,
        deserialize_with = "null_as_default",
        skip_serializing_if = "Vec::is_empty"
    )]
    pub secrets: Vec<SecretInfo>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub next_page_token: Option<String>,
}

impl TokenPage for SecretsPage {
    type Item = SecretInfo;

    fn next_page(&self) -> Option<&str> {
        non_empty(&self.next_page_token)
    }

    fn into_items(self) -> Vec<SecretInfo> {
        self.secrets
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    const CREATE_RESPONSE: &str = r#"{"id": "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08",
 "secret": "dose4c3b2a1908f7e6d5c4b3a2918f7e6d5c4",
 "secret_hash": "2c26b46b68ffc68ff99b453c1d30413413422d706483bfa0f98a5e886266e7ae",
 "create_time": "2025-03-01T10:15:30.000Z", "update_time": "2025-03-01T10:15:30.000Z",
 "expire_time": "2025-05-30T10:15:30.000Z", "status": "ACTIVE"}"#;

    const LIST: &str = r#"{"secrets": [{"id": "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08",
              "secret_hash": "2c26b46b68ffc68ff99b453c1d30413413422d706483bfa0f98a5e886266e7ae",
              "create_time": "2025-03-01T10:15:30.000Z", "update_time": "2025-03-01T10:15:30.000Z",
              "expire_time": "2025-05-30T10:15:30.000Z", "status": "ACTIVE"}]}"#;

    fn at(time: &str) -> DateTime<Utc> {
        parse_time(Some(time)).unwrap()
    }

    #[test]
    fn the_create_request_matches_the_reference() {
        let request = CreateSecretRequest::with_lifetime_days(90);
        assert_eq!(
            serde_json::to_value(&request).unwrap(),
            json!({"lifetime": "7776000s"})
        );
        assert_eq!(
            CreateSecretRequest::with_lifetime_days(DEFAULT_LIFETIME_DAYS).lifetime,
            Some("63072000s".to_owned())
        );
        assert_eq!(
            serde_json::to_value(CreateSecretRequest::default()).unwrap(),
            json!({})
        );
    }

    #[test]
    fn the_create_response_keeps_the_value_out_of_debug_and_json() {
        let created: CreatedSecret = serde_json::from_str(CREATE_RESPONSE).unwrap();
        let secret = created.secret.as_ref().unwrap();
        assert_eq!(secret.expose(), "dose4c3b2a1908f7e6d5c4b3a2918f7e6d5c4");
        assert!(created.info.is_active());
        assert!(
            created.info.extra.is_empty(),
            "the value must not leak into extra"
        );
        assert!(!format!("{created:?}").contains("dose4c3b"));

        let written = serde_json::to_value(&created).unwrap();
        assert_eq!(written["secret"], "***");
        let mut original: Value = serde_json::from_str(CREATE_RESPONSE).unwrap();
        original["secret"] = json!("***");
        assert_eq!(written, original);
    }

    #[test]
    fn reads_the_list_and_its_expiry() {
        let page: SecretsPage = serde_json::from_str(LIST).unwrap();
        assert_eq!(page.next_page(), None);
        let info = &page.secrets[0];
        assert_eq!(
            info.secret_hash.as_deref(),
            Some("2c26b46b68ffc68ff99b453c1d30413413422d706483bfa0f98a5e886266e7ae")
        );
        assert_eq!(info.expires_at(), Some(at("2025-05-30T10:15:30Z")));
        assert_eq!(info.created_at(), Some(at("2025-03-01T10:15:30Z")));
        assert!(info.scopes.is_empty());
        let original: Value = serde_json::from_str(LIST).unwrap();
        assert_eq!(serde_json::to_value(&page).unwrap(), original);
    }

    #[test]
    fn days_left_rounds_down_and_goes_negative_once_expired() {
        let info: SecretInfo =
            serde_json::from_str(r#"{"expire_time": "2025-05-30T10:15:30.000Z"}"#).unwrap();
        assert_eq!(info.days_left(at("2025-03-01T10:15:30Z")), Some(90));
        assert_eq!(info.days_left(at("2025-05-29T10:15:31Z")), Some(0));
        assert_eq!(info.days_left(at("2025-05-30T10:15:31Z")), Some(-1));
        assert!(!info.is_expired(at("2025-05-30T10:15:29Z")));
        assert!(info.is_expired(at("2025-05-30T10:15:30Z")));
    }

    #[test]
    fn a_secret_without_expiry_never_expires() {
        let info: SecretInfo =
            serde_json::from_str(r#"{"id": "a", "status": "ACTIVE", "scopes": null}"#).unwrap();
        assert_eq!(info.expires_at(), None);
        assert_eq!(info.days_left(at("2030-01-01T00:00:00Z")), None);
        assert!(!info.is_expired(at("2030-01-01T00:00:00Z")));
        assert_eq!(
            serde_json::to_value(&info).unwrap(),
            json!({"id": "a", "status": "ACTIVE"})
        );
    }

    #[test]
    fn unknown_fields_and_statuses_survive_a_round_trip() {
        let body = json!({"id": "a", "status": "ROTATING", "scopes": ["sql"],
            "future_flag": true, "labels": {"team": "data"}});
        let info: SecretInfo = serde_json::from_value(body.clone()).unwrap();
        assert!(!info.is_active());
        assert_eq!(info.extra["future_flag"], true);
        assert_eq!(serde_json::to_value(&info).unwrap(), body);
    }

    #[test]
    fn missing_or_null_secrets_list_is_empty() {
        for body in [r#"{}"#, r#"{"secrets": null, "next_page_token": ""}"#] {
            let page: SecretsPage = serde_json::from_str(body).unwrap();
            assert!(page.secrets.is_empty());
            assert_eq!(page.next_page(), None);
        }
    }
}
