//! Service principal OAuth secrets (by the SP's SCIM id, not its application id).

use reqwest::Method;
use serde::de::DeserializeOwned;

use super::segment;
use crate::api::client::{AccountClient, Call};
use crate::api::error::ApiError;
use crate::api::models::{CreateSecretRequest, CreatedSecret};

impl AccountClient {
    fn secrets_path(&self, service_principal_id: &str) -> String {
        self.account_path(&format!(
            "/servicePrincipals/{}/credentials/secrets",
            segment(service_principal_id)
        ))
    }

    pub async fn list_service_principal_secrets<T: DeserializeOwned>(
        &self,
        service_principal_id: &str,
    ) -> Result<Vec<T>, ApiError> {
        self.list_token_paged(
            Call::get(self.secrets_path(service_principal_id)),
            "secrets",
        )
        .await
    }

    /// Never retried once sent: an unknown outcome is reported as such, because a replay could
    /// leave a second live secret nobody knows about.
    pub async fn create_service_principal_secret(
        &self,
        service_principal_id: &str,
        request: &CreateSecretRequest,
    ) -> Result<CreatedSecret, ApiError> {
        self.json(Call::with_body(
            Method::POST,
            self.secrets_path(service_principal_id),
            request,
        ))
        .await
    }

    pub async fn delete_service_principal_secret(
        &self,
        service_principal_id: &str,
        secret_id: &str,
    ) -> Result<(), ApiError> {
        let path = format!(
            "{}/{}",
            self.secrets_path(service_principal_id),
            segment(secret_id)
        );
        self.send(Call::delete(path)).await
    }
}
