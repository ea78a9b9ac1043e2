//! Access-control rule sets (who may manage or use an SP or group), read-modify-write
//! with etags, and the roles assignable on a resource.

use reqwest::Method;

use crate::api::client::{AccountClient, Call};
use crate::api::error::ApiError;
use crate::api::models::{AssignableRoles, RuleSet, UpdateRuleSetRequest};

impl AccountClient {
    /// `etag` empty means "no freshness requirement".
    pub async fn get_rule_set(&self, name: &str, etag: &str) -> Result<RuleSet, ApiError> {
        let call = Call::get(self.preview_path("/access-control/rule-sets"))
            .query("name", name)
            .query("etag", etag);
        self.json(call).await
    }

    /// Replaces every grant rule; a stale etag is refused with 409 (read again, re-apply).
    pub async fn update_rule_set(
        &self,
        request: &UpdateRuleSetRequest,
    ) -> Result<RuleSet, ApiError> {
        self.json(Call::with_body(
            Method::PUT,
            self.preview_path("/access-control/rule-sets"),
            request,
        ))
        .await
    }

    pub async fn assignable_roles(&self, resource: &str) -> Result<AssignableRoles, ApiError> {
        let call = Call::get(self.preview_path("/access-control/assignable-roles"))
            .query("resource", resource);
        self.json(call).await
    }
}
