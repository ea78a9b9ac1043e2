//! What each task reads: lists (streamed, then enriched with facts such as an SP's secrets
//! or a workspace's identity federation) and details (the object plus its related objects).
//! Everything reports through `send`, which returns false once nobody listens any more.

pub mod details;
pub mod edits;
pub mod lists;

use serde_json::Value;

use crate::api::{AccountClient, Call};

/// Concurrent reads per enrichment; the client's rate budget still applies on top.
pub const FAN_OUT: usize = 6;

/// The SCIM collection of a resource.
pub fn scim_path(resource: crate::app::msg::Resource) -> &'static str {
    use crate::app::msg::Resource;
    match resource {
        Resource::Groups => "Groups",
        Resource::ServicePrincipals | Resource::Secrets => "ServicePrincipals",
        _ => "Users",
    }
}

/// One SCIM object with the attributes asked for (all when `None`).
pub async fn scim_object(
    client: &AccountClient,
    collection: &str,
    id: &str,
    attributes: Option<&str>,
) -> Result<Value, crate::api::ApiError> {
    let path = client.account_path(&format!(
        "/scim/v2/{collection}/{}",
        crate::api::resources::segment(id)
    ));
    client
        .json(Call::get(path).query_opt("attributes", attributes))
        .await
}
