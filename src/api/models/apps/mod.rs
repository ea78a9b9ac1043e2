//! OAuth app integrations (reference §4): custom apps the account registers (`custom`),
//! Databricks-published apps it enables and their catalogue (`published`), and what they
//! share: the token access policy and the list envelope.

mod custom;
mod published;

use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

use super::{TokenPage, non_empty, null_as_default};

pub use custom::{
    CreateCustomAppIntegration, CreatedCustomAppIntegration, CustomAppIntegration,
    UpdateCustomAppIntegration,
};
pub use published::{
    CreatePublishedAppIntegration, CreatedPublishedAppIntegration, PublishedApp,
    PublishedAppIntegration, UpdatePublishedAppIntegration,
};

/// Token lifetimes of one app (§4.4). Absent fields mean the Databricks defaults.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct TokenAccessPolicy {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub access_token_ttl_in_minutes: Option<i32>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub refresh_token_ttl_in_minutes: Option<i32>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub enable_single_use_refresh_tokens: Option<bool>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub absolute_session_lifetime_in_minutes: Option<i32>,
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

/// The list envelope shared by custom apps, published integrations and the catalogue.
// `deserialize_with` hides `T` from serde's bound inference, hence the explicit bound.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(bound(serialize = "T: Serialize", deserialize = "T: Deserialize<'de>"))]
pub struct AppsPage<T> {
    #[serde(
        default,
        deserialize_with = "null_as_default",
        skip_serializing_if = "Vec::is_empty"
    )]
    pub apps: Vec<T>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub next_page_token: Option<String>,
}

impl<T> TokenPage for AppsPage<T> {
    type Item = T;

    fn next_page(&self) -> Option<&str> {
        non_empty(&self.next_page_token)
    }

    fn into_items(self) -> Vec<T> {
        self.apps
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn policy_keeps_unknown_knobs_and_omits_unset_lifetimes() {
        let body = json!({"access_token_ttl_in_minutes": 60, "new_knob": 3});
        let policy: TokenAccessPolicy = serde_json::from_value(body.clone()).unwrap();
        assert_eq!(policy.access_token_ttl_in_minutes, Some(60));
        assert_eq!(policy.extra["new_knob"], 3);
        assert_eq!(serde_json::to_value(&policy).unwrap(), body);
        assert_eq!(
            serde_json::to_value(TokenAccessPolicy::default()).unwrap(),
            json!({})
        );
    }

    #[test]
    fn empty_pages_read_from_missing_or_null_apps() {
        for body in [r#"{}"#, r#"{"apps": null, "next_page_token": ""}"#] {
            let page: AppsPage<Value> = serde_json::from_str(body).unwrap();
            assert!(page.apps.is_empty());
            assert_eq!(page.next_page(), None);
        }
    }

    #[test]
    fn a_page_with_a_token_goes_on() {
        let page: AppsPage<Value> =
            serde_json::from_str(r#"{"apps": [{"app_id": "x"}], "next_page_token": "t"}"#).unwrap();
        assert_eq!(page.next_page(), Some("t"));
        assert_eq!(page.into_items(), [json!({"app_id": "x"})]);
    }
}
