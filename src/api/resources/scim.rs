//! SCIM users, groups and service principals: one generic method set over `ScimResource`.

use reqwest::Method;
use serde::de::DeserializeOwned;
use tokio::sync::mpsc;

use super::segment;
use crate::api::client::{AccountClient, Call};
use crate::api::error::ApiError;
use crate::api::models::{Group, PatchOp, ScimResource, ServicePrincipal, User};
use crate::api::paging::{ScimPage, ScimQuery};

/// Attributes a list asks for by default: enough for a table, never `members`, `roles` or
/// `groups`, which make pages of large accounts many times bigger. Details fetch the rest.
pub trait ListAttributes {
    const LIST_ATTRIBUTES: &'static str;
}

impl ListAttributes for User {
    const LIST_ATTRIBUTES: &'static str = "id,userName,displayName,active,externalId";
}

impl ListAttributes for Group {
    const LIST_ATTRIBUTES: &'static str = "id,displayName,externalId";
}

impl ListAttributes for ServicePrincipal {
    const LIST_ATTRIBUTES: &'static str = "id,applicationId,displayName,active,externalId";
}

impl ScimQuery {
    /// The minimal-attribute query for `T`'s list.
    pub fn minimal<T: ListAttributes>() -> Self {
        Self {
            attributes: Some(T::LIST_ATTRIBUTES.to_owned()),
            ..Self::default()
        }
    }
}

impl AccountClient {
    fn scim_path<T: ScimResource>(&self, id: Option<&str>) -> String {
        match id {
            Some(id) => self.account_path(&format!("/scim/v2/{}/{}", T::PATH, segment(id))),
            None => self.account_path(&format!("/scim/v2/{}", T::PATH)),
        }
    }

    /// Streams `T`'s list page by page, as items of type `I` (the model, or raw JSON).
    pub fn stream<T: ScimResource, I: DeserializeOwned + Send + 'static>(
        &self,
        query: ScimQuery,
    ) -> mpsc::Receiver<Result<ScimPage<I>, ApiError>> {
        self.stream_scim(T::PATH, query)
    }

    pub async fn list<T: ScimResource, I: DeserializeOwned + Send + 'static>(
        &self,
        query: ScimQuery,
    ) -> Result<Vec<I>, ApiError> {
        self.list_scim(T::PATH, query).await
    }

    /// One resource with every attribute (members of a group, groups and roles of a user).
    pub async fn get<T: ScimResource>(&self, id: &str) -> Result<T, ApiError> {
        self.json(Call::get(self.scim_path::<T>(Some(id)))).await
    }

    /// One resource exactly as the server sent it.
    pub async fn get_json<T: ScimResource>(&self, id: &str) -> Result<serde_json::Value, ApiError> {
        self.json(Call::get(self.scim_path::<T>(Some(id)))).await
    }

    pub async fn create<T: ScimResource>(&self, resource: &T) -> Result<T, ApiError> {
        self.json(Call::with_body(
            Method::POST,
            self.scim_path::<T>(None),
            resource,
        ))
        .await
    }

    /// Full replace: the resource must carry every attribute the server sent (unknown ones
    /// included), or they are cleared.
    pub async fn replace<T: ScimResource>(&self, id: &str, resource: &T) -> Result<(), ApiError> {
        self.send(Call::with_body(
            Method::PUT,
            self.scim_path::<T>(Some(id)),
            resource,
        ))
        .await
    }

    pub async fn patch<T: ScimResource>(&self, id: &str, patch: &PatchOp) -> Result<(), ApiError> {
        self.send(Call::with_body(
            Method::PATCH,
            self.scim_path::<T>(Some(id)),
            patch,
        ))
        .await
    }

    pub async fn delete<T: ScimResource>(&self, id: &str) -> Result<(), ApiError> {
        self.send(Call::delete(self.scim_path::<T>(Some(id)))).await
    }
}
