//! Custom app integrations (reference §4.1): OAuth clients the account registers itself.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

use super::TokenAccessPolicy;
use crate::api::models::{null_as_default, parse_time};
use crate::secret::Secret;

/// A custom app integration as get/list return it. It never carries the client secret: that
/// is returned once, by create ([`CreatedCustomAppIntegration`]).
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct CustomAppIntegration {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub integration_id: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub client_id: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub confidential: Option<bool>,
    #[serde(
        default,
        deserialize_with = "null_as_default",
        skip_serializing_if = "Vec::is_empty"
    )]
    pub redirect_urls: Vec<String>,
    #[serde(
        default,
        deserialize_with = "null_as_default",
        skip_serializing_if = "Vec::is_empty"
    )]
    pub scopes: Vec<String>,
    #[serde(
        default,
        deserialize_with = "null_as_default",
        skip_serializing_if = "Vec::is_empty"
    )]
    pub user_authorized_scopes: Vec<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub token_access_policy: Option<TokenAccessPolicy>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub create_time: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub created_by: Option<i64>,
    /// Only sent when the list asks for `include_creator_username=true`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub creator_username: Option<String>,
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

impl CustomAppIntegration {
    /// The server defaults `confidential` to false when it was not set on create.
    pub fn is_confidential(&self) -> bool {
        self.confidential.unwrap_or(false)
    }

    pub fn created_at(&self) -> Option<DateTime<Utc>> {
        parse_time(self.create_time.as_deref())
    }
}

/// Body of `POST .../custom-app-integrations`.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct CreateCustomAppIntegration {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub confidential: Option<bool>,
    #[serde(
        default,
        deserialize_with = "null_as_default",
        skip_serializing_if = "Vec::is_empty"
    )]
    pub redirect_urls: Vec<String>,
    #[serde(
        default,
        deserialize_with = "null_as_default",
        skip_serializing_if = "Vec::is_empty"
    )]
    pub scopes: Vec<String>,
    #[serde(
        default,
        deserialize_with = "null_as_default",
        skip_serializing_if = "Vec::is_empty"
    )]
    pub user_authorized_scopes: Vec<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub token_access_policy: Option<TokenAccessPolicy>,
}

/// Create response. `client_secret` is present only for a confidential app and is returned
/// exactly once; it serializes as `***` so this value can be logged or snapshotted safely.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct CreatedCustomAppIntegration {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub integration_id: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub client_id: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub client_secret: Option<Secret>,
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

/// Body of `PATCH .../custom-app-integrations/{id}`: a present field replaces the stored
/// value, an absent one leaves it alone. The lists are `Option` so `Some(vec![])` goes out
/// as `[]` and clears the list, which a skipped empty `Vec` could not express.
/// `name` and `confidential` are immutable, so they are not here.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct UpdateCustomAppIntegration {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub redirect_urls: Option<Vec<String>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub scopes: Option<Vec<String>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub user_authorized_scopes: Option<Vec<String>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub token_access_policy: Option<TokenAccessPolicy>,
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::api::models::TokenPage;
    use crate::api::models::apps::AppsPage;
    use serde_json::json;

    const CREATE_REQUEST: &str = r#"{"name": "Tableau Cloud (prod)", "confidential": true,
 "redirect_urls": ["https://prod-useast-a.online.tableau.com/auth/add_oauth_token"],
 "scopes": ["all-apis", "offline_access"],
 "token_access_policy": {"access_token_ttl_in_minutes": 60, "refresh_token_ttl_in_minutes": 10080}}"#;

    const CREATE_RESPONSE: &str = r#"{"integration_id": "3f9c2a1e-6b7d-4e2f-8a90-1c2d3e4f5a6b",
 "client_id": "a4b5c6d7-e8f9-4a0b-9c1d-2e3f4a5b6c7d",
 "client_secret": "dosec0ffee1234567890abcdef1234567890"}"#;

    const CUSTOM_LIST: &str = r#"{
  "apps": [
    {
      "integration_id": "3f9c2a1e-6b7d-4e2f-8a90-1c2d3e4f5a6b",
      "client_id": "a4b5c6d7-e8f9-4a0b-9c1d-2e3f4a5b6c7d",
      "name": "Tableau Cloud (prod)",
      "confidential": true,
      "redirect_urls": ["https://prod-useast-a.online.tableau.com/auth/add_oauth_token"],
      "scopes": ["all-apis", "offline_access"],
      "user_authorized_scopes": ["all-apis"],
      "token_access_policy": {"access_token_ttl_in_minutes": 60, "refresh_token_ttl_in_minutes": 10080,
                              "enable_single_use_refresh_tokens": true,
                              "absolute_session_lifetime_in_minutes": 43200},
      "create_time": "2025-01-14T09:30:12.000Z",
      "created_by": 4187365291046583,
      "creator_username": "ana@example.com"
    }
  ],
  "next_page_token": "CAEaEgoQM2Y5YzJhMWUtNmI3ZC00ZTJm"
}"#;

    const UPDATE_REQUEST: &str = r#"{"redirect_urls": ["http://localhost:7070/callback"], "token_access_policy": {"access_token_ttl_in_minutes": 30, "refresh_token_ttl_in_minutes": 1440}}"#;

    fn to_value<T: Serialize>(value: &T) -> Value {
        serde_json::to_value(value).unwrap()
    }

    #[test]
    fn reads_the_create_request_and_writes_it_back_unchanged() {
        let request: CreateCustomAppIntegration = serde_json::from_str(CREATE_REQUEST).unwrap();
        assert_eq!(request.name.as_deref(), Some("Tableau Cloud (prod)"));
        assert_eq!(request.scopes, ["all-apis", "offline_access"]);
        let policy = request.token_access_policy.as_ref().unwrap();
        assert_eq!(policy.refresh_token_ttl_in_minutes, Some(10080));
        let original: Value = serde_json::from_str(CREATE_REQUEST).unwrap();
        assert_eq!(to_value(&request), original);
    }

    #[test]
    fn create_response_hides_the_client_secret() {
        let created: CreatedCustomAppIntegration = serde_json::from_str(CREATE_RESPONSE).unwrap();
        let secret = created.client_secret.as_ref().unwrap();
        assert_eq!(secret.expose(), "dosec0ffee1234567890abcdef1234567890");
        assert_eq!(
            created.client_id.as_deref(),
            Some("a4b5c6d7-e8f9-4a0b-9c1d-2e3f4a5b6c7d")
        );
        assert!(!format!("{created:?}").contains("dosec0ffee"));
        assert_eq!(to_value(&created)["client_secret"], "***");
    }

    #[test]
    fn public_app_create_response_has_no_secret() {
        let created: CreatedCustomAppIntegration =
            serde_json::from_str(r#"{"integration_id": "i", "client_id": "c"}"#).unwrap();
        assert!(created.client_secret.is_none());
        assert!(to_value(&created).get("client_secret").is_none());
    }

    #[test]
    fn reads_the_custom_app_list() {
        let page: AppsPage<CustomAppIntegration> = serde_json::from_str(CUSTOM_LIST).unwrap();
        assert_eq!(page.next_page(), Some("CAEaEgoQM2Y5YzJhMWUtNmI3ZC00ZTJm"));
        let app = &page.apps[0];
        assert!(app.is_confidential());
        assert_eq!(app.created_by, Some(4187365291046583));
        assert_eq!(app.user_authorized_scopes, ["all-apis"]);
        assert_eq!(app.creator_username.as_deref(), Some("ana@example.com"));
        let policy = app.token_access_policy.as_ref().unwrap();
        assert_eq!(policy.enable_single_use_refresh_tokens, Some(true));
        assert_eq!(policy.absolute_session_lifetime_in_minutes, Some(43200));
        assert_eq!(
            app.created_at().unwrap().to_rfc3339(),
            "2025-01-14T09:30:12+00:00"
        );
        assert!(app.extra.is_empty());
    }

    #[test]
    fn unknown_fields_survive_a_round_trip() {
        let body = json!({
            "integration_id": "3f9c2a1e",
            "client_id": "a4b5c6d7",
            "name": "Tableau",
            "redirect_urls": ["https://example.com/cb"],
            "token_access_policy": {"access_token_ttl_in_minutes": 60, "new_knob": 3},
            "create_time": "2025-01-14T09:30:12.000Z",
            "future_flag": true,
            "nested_future": {"a": [1, 2]}
        });
        let app: CustomAppIntegration = serde_json::from_value(body.clone()).unwrap();
        assert_eq!(app.extra["future_flag"], true);
        let policy = app.token_access_policy.as_ref().unwrap();
        assert_eq!(policy.extra["new_knob"], 3);
        assert_eq!(to_value(&app), body);
    }

    #[test]
    fn absent_optionals_are_omitted_and_null_lists_read_as_empty() {
        let app: CustomAppIntegration =
            serde_json::from_str(r#"{"integration_id": "i", "redirect_urls": null, "scopes": []}"#)
                .unwrap();
        assert!(app.redirect_urls.is_empty() && app.scopes.is_empty());
        assert!(app.user_authorized_scopes.is_empty());
        assert!(!app.is_confidential());
        assert_eq!(to_value(&app), json!({"integration_id": "i"}));
    }

    #[test]
    fn update_sends_only_present_fields_and_empty_lists_clear() {
        let update: UpdateCustomAppIntegration = serde_json::from_str(UPDATE_REQUEST).unwrap();
        assert_eq!(
            update.redirect_urls.as_deref(),
            Some(&["http://localhost:7070/callback".to_owned()][..])
        );
        assert!(update.scopes.is_none());
        let original: Value = serde_json::from_str(UPDATE_REQUEST).unwrap();
        assert_eq!(to_value(&update), original);

        let clear = UpdateCustomAppIntegration {
            user_authorized_scopes: Some(Vec::new()),
            ..Default::default()
        };
        assert_eq!(to_value(&clear), json!({"user_authorized_scopes": []}));
    }
}
