//! Workspaces (read-only here) and their permission assignments.

use reqwest::Method;
use serde::de::DeserializeOwned;

use crate::api::client::{AccountClient, Call};
use crate::api::error::ApiError;
use crate::api::models::{PermissionAssignment, PermissionLevels, UpdateWorkspaceAssignment};

impl AccountClient {
    /// The one list that is a bare JSON array, without paging.
    pub async fn list_workspaces<T: DeserializeOwned>(&self) -> Result<Vec<T>, ApiError> {
        self.json(Call::get(self.account_path("/workspaces"))).await
    }

    pub async fn get_workspace<T: DeserializeOwned>(
        &self,
        workspace_id: i64,
    ) -> Result<T, ApiError> {
        self.json(Call::get(
            self.account_path(&format!("/workspaces/{workspace_id}")),
        ))
        .await
    }

    fn assignments_path(&self, workspace_id: i64) -> String {
        self.account_path(&format!("/workspaces/{workspace_id}/permissionassignments"))
    }

    pub async fn list_workspace_assignments<T: DeserializeOwned>(
        &self,
        workspace_id: i64,
    ) -> Result<Vec<T>, ApiError> {
        #[derive(serde::Deserialize)]
        struct Envelope<T> {
            #[serde(default = "Vec::new")]
            permission_assignments: Vec<T>,
        }
        let envelope: Option<Envelope<T>> = self
            .json(Call::get(self.assignments_path(workspace_id)))
            .await?;
        Ok(envelope
            .map(|e| e.permission_assignments)
            .unwrap_or_default())
    }

    pub async fn workspace_permission_levels(
        &self,
        workspace_id: i64,
    ) -> Result<PermissionLevels, ApiError> {
        self.json(Call::get(format!(
            "{}/permissions",
            self.assignments_path(workspace_id)
        )))
        .await
    }

    /// Replaces the principal's permissions on the workspace; an empty list removes them.
    pub async fn update_workspace_assignment(
        &self,
        workspace_id: i64,
        principal_id: i64,
        request: &UpdateWorkspaceAssignment,
    ) -> Result<PermissionAssignment, ApiError> {
        let path = format!(
            "{}/principals/{principal_id}",
            self.assignments_path(workspace_id)
        );
        self.json(Call::with_body(Method::PUT, path, request)).await
    }

    pub async fn delete_workspace_assignment(
        &self,
        workspace_id: i64,
        principal_id: i64,
    ) -> Result<(), ApiError> {
        self.send(Call::delete(format!(
            "{}/principals/{principal_id}",
            self.assignments_path(workspace_id)
        )))
        .await
    }
}
