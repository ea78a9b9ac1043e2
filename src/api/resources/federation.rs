//! Federation policies, account-wide or per service principal (`FederationScope`).

use reqwest::Method;
use serde::de::DeserializeOwned;

use super::segment;
use crate::api::client::{AccountClient, Call};
use crate::api::error::ApiError;
use crate::api::models::FederationPolicy;

/// Which set of federation policies a call addresses.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum FederationScope {
    Account,
    /// By the SP's SCIM id.
    ServicePrincipal(String),
}

impl AccountClient {
    fn policies_path(&self, scope: &FederationScope, policy_id: Option<&str>) -> String {
        let base = match scope {
            FederationScope::Account => self.account_path("/federationPolicies"),
            FederationScope::ServicePrincipal(id) => self.account_path(&format!(
                "/servicePrincipals/{}/federationPolicies",
                segment(id)
            )),
        };
        match policy_id {
            Some(id) => format!("{base}/{}", segment(id)),
            None => base,
        }
    }

    pub async fn list_federation_policies<T: DeserializeOwned>(
        &self,
        scope: &FederationScope,
    ) -> Result<Vec<T>, ApiError> {
        self.list_token_paged(Call::get(self.policies_path(scope, None)), "policies")
            .await
    }

    pub async fn get_federation_policy(
        &self,
        scope: &FederationScope,
        policy_id: &str,
    ) -> Result<FederationPolicy, ApiError> {
        self.json(Call::get(self.policies_path(scope, Some(policy_id))))
            .await
    }

    /// `policy_id` is assigned by Databricks when `None`.
    pub async fn create_federation_policy(
        &self,
        scope: &FederationScope,
        policy_id: Option<&str>,
        policy: &FederationPolicy,
    ) -> Result<FederationPolicy, ApiError> {
        let call = Call::with_body(Method::POST, self.policies_path(scope, None), policy)
            .query_opt("policy_id", policy_id);
        self.json(call).await
    }

    /// `update_mask` lists the fields to change (`description,oidc_policy.audiences`); `None`
    /// changes every field present in `policy`.
    pub async fn update_federation_policy(
        &self,
        scope: &FederationScope,
        policy_id: &str,
        policy: &FederationPolicy,
        update_mask: Option<&str>,
    ) -> Result<FederationPolicy, ApiError> {
        let call = Call::with_body(
            Method::PATCH,
            self.policies_path(scope, Some(policy_id)),
            policy,
        )
        .query_opt("update_mask", update_mask);
        self.json(call).await
    }

    pub async fn delete_federation_policy(
        &self,
        scope: &FederationScope,
        policy_id: &str,
    ) -> Result<(), ApiError> {
        self.send(Call::delete(self.policies_path(scope, Some(policy_id))))
            .await
    }
}
