//! Workspaces of the account (reference §8), read-only for the console, and who may use them
//! (`permission_assignments`, §9).

mod permission_assignments;

use std::collections::BTreeMap;

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

pub use permission_assignments::{
    PERMISSION_ADMIN, PERMISSION_USER, PermissionAssignment, PermissionAssignments,
    PermissionLevel, PermissionLevels, Principal, PrincipalKind, UpdateWorkspaceAssignment,
};

/// One workspace as list and get return it. The list endpoint answers with a bare JSON array,
/// so the client reads `Vec<Workspace>` directly; there is no envelope.
///
/// The enum-like fields (`workspace_status`, `pricing_tier`, `compute_mode`, `storage_mode`)
/// are strings: the sets grow, and the console only needs to show them and test a few.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct Workspace {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub workspace_id: Option<i64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub workspace_name: Option<String>,
    /// The URL prefix, e.g. `https://<deployment_name>.cloud.databricks.com` on AWS.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub deployment_name: Option<String>,
    /// `NOT_PROVISIONED`, `PROVISIONING`, `RUNNING`, `FAILED`, `BANNED`, `CANCELLING`, ...
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub workspace_status: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub workspace_status_message: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub expected_workspace_status: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub account_id: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cloud: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub aws_region: Option<String>,
    /// The GCP region.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub location: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub azure_workspace_info: Option<AzureWorkspaceInfo>,
    /// `{"gcp": {"project_id": ...}}`; see [`Workspace::gcp_project_id`].
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cloud_resource_container: Option<Value>,
    /// `STANDARD`, `PREMIUM`, `ENTERPRISE`, `DEDICATED`, `COMMUNITY_EDITION`, `UNKNOWN`, ...
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub pricing_tier: Option<String>,
    /// `HYBRID` or `SERVERLESS`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub compute_mode: Option<String>,
    /// `CUSTOMER_HOSTED` or `DEFAULT_STORAGE`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub storage_mode: Option<String>,
    /// Epoch milliseconds, unlike the RFC 3339 strings of the other APIs.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub creation_time: Option<i64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub custom_tags: Option<BTreeMap<String, String>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub credentials_id: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub storage_configuration_id: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub network_id: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub private_access_settings_id: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub managed_services_customer_managed_key_id: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub storage_customer_managed_key_id: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub network_connectivity_config_id: Option<String>,
    // The rarely needed GCP objects stay untyped: the console only shows them raw.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub gke_config: Option<Value>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub gcp_managed_network_config: Option<Value>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub network: Option<Value>,
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

impl Workspace {
    pub fn created_at(&self) -> Option<DateTime<Utc>> {
        DateTime::from_timestamp_millis(self.creation_time?)
    }

    pub fn is_running(&self) -> bool {
        self.status_is("RUNNING")
    }

    pub fn is_failed(&self) -> bool {
        self.status_is("FAILED")
    }

    /// Not usable yet, but on its way.
    pub fn is_provisioning(&self) -> bool {
        self.status_is("PROVISIONING") || self.status_is("NOT_PROVISIONED")
    }

    pub fn gcp_project_id(&self) -> Option<&str> {
        self.cloud_resource_container
            .as_ref()?
            .pointer("/gcp/project_id")?
            .as_str()
    }

    fn status_is(&self, status: &str) -> bool {
        self.workspace_status.as_deref() == Some(status)
    }
}

#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct AzureWorkspaceInfo {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub subscription_id: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub resource_group: Option<String>,
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    const LIST: &str = r#"[
  {"workspace_id": 1234567890123456, "workspace_name": "analytics-prod",
   "deployment_name": "dbc-1a2b3c4d-5e6f", "account_id": "0d4a3e4c-1b2f-4c5d-9e8f-0123456789ab",
   "cloud": "aws", "aws_region": "us-east-1", "pricing_tier": "ENTERPRISE",
   "workspace_status": "RUNNING", "workspace_status_message": "Workspace is running.",
   "creation_time": 1704067200000, "compute_mode": "HYBRID",
   "credentials_id": "c0a1b2c3-d4e5-4f60-8a7b-9c0d1e2f3a4b",
   "storage_configuration_id": "s0a1b2c3-d4e5-4f60-8a7b-9c0d1e2f3a4b",
   "custom_tags": {"cost-center": "1234"}}
]"#;

    #[test]
    fn reads_the_bare_array_list() {
        let workspaces: Vec<Workspace> = serde_json::from_str(LIST).unwrap();
        let workspace = &workspaces[0];
        assert_eq!(workspace.workspace_id, Some(1234567890123456));
        assert_eq!(workspace.pricing_tier.as_deref(), Some("ENTERPRISE"));
        assert!(workspace.is_running() && !workspace.is_failed());
        assert_eq!(
            workspace.created_at().unwrap().to_rfc3339(),
            "2024-01-01T00:00:00+00:00"
        );
        let tags = workspace.custom_tags.as_ref().unwrap();
        assert_eq!(tags["cost-center"], "1234");
        assert!(workspace.extra.is_empty());
        let original: Value = serde_json::from_str(LIST).unwrap();
        assert_eq!(serde_json::to_value(&workspaces).unwrap(), original);
    }

    #[test]
    fn unknown_fields_and_statuses_survive_a_round_trip() {
        let body = json!({
            "workspace_id": 42,
            "workspace_status": "HIBERNATING",
            "pricing_tier": "PLATINUM",
            "azure_workspace_info": {"subscription_id": "sub", "resource_group": "rg",
                                     "new_knob": 3},
            "cloud_resource_container": {"gcp": {"project_id": "proj-1"}},
            "future_flag": true
        });
        let workspace: Workspace = serde_json::from_value(body.clone()).unwrap();
        assert!(!workspace.is_running() && !workspace.is_provisioning());
        assert_eq!(workspace.gcp_project_id(), Some("proj-1"));
        let azure = workspace.azure_workspace_info.as_ref().unwrap();
        assert_eq!(azure.resource_group.as_deref(), Some("rg"));
        assert_eq!(azure.extra["new_knob"], 3);
        assert_eq!(workspace.extra["future_flag"], true);
        assert_eq!(serde_json::to_value(&workspace).unwrap(), body);
    }

    #[test]
    fn absent_fields_are_omitted() {
        let workspace: Workspace =
            serde_json::from_str(r#"{"workspace_id": 7, "workspace_status": "PROVISIONING"}"#)
                .unwrap();
        assert!(workspace.is_provisioning());
        assert_eq!(workspace.created_at(), None);
        assert_eq!(workspace.gcp_project_id(), None);
        assert_eq!(
            serde_json::to_value(&workspace).unwrap(),
            json!({"workspace_id": 7, "workspace_status": "PROVISIONING"})
        );
    }
}
