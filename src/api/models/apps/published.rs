//! Databricks-published apps (reference §4.2, §4.3): the integrations that enable them in the
//! account and the read-only catalogue they come from.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

use super::TokenAccessPolicy;
use crate::api::models::{null_as_default, parse_time};

/// A Databricks-published app enabled in the account (§4.2).
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct PublishedAppIntegration {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub integration_id: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub app_id: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub token_access_policy: Option<TokenAccessPolicy>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub create_time: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub created_by: Option<i64>,
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

impl PublishedAppIntegration {
    pub fn created_at(&self) -> Option<DateTime<Utc>> {
        parse_time(self.create_time.as_deref())
    }
}

/// Body of `POST .../published-app-integrations`.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct CreatePublishedAppIntegration {
    pub app_id: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub token_access_policy: Option<TokenAccessPolicy>,
}

#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct CreatedPublishedAppIntegration {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub integration_id: Option<String>,
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

/// Body of `PATCH .../published-app-integrations/{id}`; the policy is the only updatable field.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct UpdatePublishedAppIntegration {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub token_access_policy: Option<TokenAccessPolicy>,
}

/// An entry of the read-only published-app catalogue (§4.3).
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct PublishedApp {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub app_id: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub client_id: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub is_confidential_client: Option<bool>,
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
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::api::models::TokenPage;
    use crate::api::models::apps::AppsPage;
    use serde_json::json;

    const PUBLISHED_LIST: &str = r#"{"apps": [{"integration_id": "8d7e6f5a-4b3c-4d2e-9f10-a1b2c3d4e5f6", "app_id": "power-bi",
           "name": "Power BI", "token_access_policy": {"access_token_ttl_in_minutes": 60,
           "refresh_token_ttl_in_minutes": 129600},
           "create_time": "2024-11-02T16:04:55.000Z", "created_by": 4187365291046583}]}"#;

    const CATALOGUE: &str = r#"{"apps": [{"app_id": "tableau-desktop", "client_id": "tableau-desktop", "name": "Tableau Desktop",
           "description": "Tableau Desktop connector", "is_confidential_client": false,
           "redirect_urls": ["http://localhost:55555/Callback"],
           "scopes": ["all-apis", "offline_access"]}],
 "next_page_token": "eyJvZmZzZXQiOjF9"}"#;

    fn to_value<T: Serialize>(value: &T) -> Value {
        serde_json::to_value(value).unwrap()
    }

    #[test]
    fn reads_published_integrations_and_the_catalogue() {
        let page: AppsPage<PublishedAppIntegration> = serde_json::from_str(PUBLISHED_LIST).unwrap();
        assert_eq!(page.next_page(), None);
        let integration = &page.apps[0];
        assert_eq!(integration.app_id.as_deref(), Some("power-bi"));
        assert_eq!(integration.created_by, Some(4187365291046583));
        let policy = integration.token_access_policy.as_ref().unwrap();
        assert_eq!(policy.refresh_token_ttl_in_minutes, Some(129600));
        assert!(integration.created_at().is_some());

        let catalogue: AppsPage<PublishedApp> = serde_json::from_str(CATALOGUE).unwrap();
        assert_eq!(catalogue.next_page(), Some("eyJvZmZzZXQiOjF9"));
        let app = &catalogue.apps[0];
        assert_eq!(app.is_confidential_client, Some(false));
        assert_eq!(app.redirect_urls, ["http://localhost:55555/Callback"]);
        let original: Value = serde_json::from_str(CATALOGUE).unwrap();
        assert_eq!(to_value(&catalogue), original);
        assert_eq!(catalogue.into_items().len(), 1);
    }

    #[test]
    fn published_requests_have_their_wire_shape() {
        let create = CreatePublishedAppIntegration {
            app_id: "power-bi".into(),
            token_access_policy: None,
        };
        assert_eq!(to_value(&create), json!({"app_id": "power-bi"}));
        let update = UpdatePublishedAppIntegration {
            token_access_policy: Some(TokenAccessPolicy {
                access_token_ttl_in_minutes: Some(15),
                ..Default::default()
            }),
        };
        assert_eq!(
            to_value(&update),
            json!({"token_access_policy": {"access_token_ttl_in_minutes": 15}})
        );
        let created: CreatedPublishedAppIntegration =
            serde_json::from_str(r#"{"integration_id": "8d7e"}"#).unwrap();
        assert_eq!(created.integration_id.as_deref(), Some("8d7e"));
    }
}
