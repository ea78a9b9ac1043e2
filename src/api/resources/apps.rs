//! Custom app integrations (app connections), published app integrations and the
//! published-apps catalogue.

use reqwest::Method;
use serde::de::DeserializeOwned;

use super::segment;
use crate::api::client::{AccountClient, Call};
use crate::api::error::ApiError;
use crate::api::models::{
    CreateCustomAppIntegration, CreatePublishedAppIntegration, CreatedCustomAppIntegration,
    CreatedPublishedAppIntegration, UpdateCustomAppIntegration, UpdatePublishedAppIntegration,
};

const CUSTOM: &str = "/oauth2/custom-app-integrations";
const PUBLISHED: &str = "/oauth2/published-app-integrations";

impl AccountClient {
    pub async fn list_custom_app_integrations<T: DeserializeOwned>(
        &self,
    ) -> Result<Vec<T>, ApiError> {
        let call = Call::get(self.account_path(CUSTOM)).query("include_creator_username", true);
        self.list_token_paged(call, "apps").await
    }

    pub async fn get_custom_app_integration<T: DeserializeOwned>(
        &self,
        integration_id: &str,
    ) -> Result<T, ApiError> {
        self.json(Call::get(
            self.account_path(&format!("{CUSTOM}/{}", segment(integration_id))),
        ))
        .await
    }

    /// The client secret of a confidential app is in the answer, and nowhere ever again.
    pub async fn create_custom_app_integration(
        &self,
        request: &CreateCustomAppIntegration,
    ) -> Result<CreatedCustomAppIntegration, ApiError> {
        self.json(Call::with_body(
            Method::POST,
            self.account_path(CUSTOM),
            request,
        ))
        .await
    }

    pub async fn update_custom_app_integration(
        &self,
        integration_id: &str,
        request: &UpdateCustomAppIntegration,
    ) -> Result<(), ApiError> {
        let path = self.account_path(&format!("{CUSTOM}/{}", segment(integration_id)));
        self.send(Call::with_body(Method::PATCH, path, request))
            .await
    }

    pub async fn delete_custom_app_integration(
        &self,
        integration_id: &str,
    ) -> Result<(), ApiError> {
        self.send(Call::delete(
            self.account_path(&format!("{CUSTOM}/{}", segment(integration_id))),
        ))
        .await
    }

    pub async fn list_published_app_integrations<T: DeserializeOwned>(
        &self,
    ) -> Result<Vec<T>, ApiError> {
        self.list_token_paged(Call::get(self.account_path(PUBLISHED)), "apps")
            .await
    }

    pub async fn get_published_app_integration<T: DeserializeOwned>(
        &self,
        integration_id: &str,
    ) -> Result<T, ApiError> {
        self.json(Call::get(self.account_path(&format!(
            "{PUBLISHED}/{}",
            segment(integration_id)
        ))))
        .await
    }

    pub async fn create_published_app_integration(
        &self,
        request: &CreatePublishedAppIntegration,
    ) -> Result<CreatedPublishedAppIntegration, ApiError> {
        self.json(Call::with_body(
            Method::POST,
            self.account_path(PUBLISHED),
            request,
        ))
        .await
    }

    pub async fn update_published_app_integration(
        &self,
        integration_id: &str,
        request: &UpdatePublishedAppIntegration,
    ) -> Result<(), ApiError> {
        let path = self.account_path(&format!("{PUBLISHED}/{}", segment(integration_id)));
        self.send(Call::with_body(Method::PATCH, path, request))
            .await
    }

    pub async fn delete_published_app_integration(
        &self,
        integration_id: &str,
    ) -> Result<(), ApiError> {
        self.send(Call::delete(self.account_path(&format!(
            "{PUBLISHED}/{}",
            segment(integration_id)
        ))))
        .await
    }

    /// The catalogue of Databricks-published apps that can be enabled in the account.
    pub async fn list_published_apps<T: DeserializeOwned>(&self) -> Result<Vec<T>, ApiError> {
        self.list_token_paged(
            Call::get(self.account_path("/oauth2/published-apps")),
            "apps",
        )
        .await
    }
}
