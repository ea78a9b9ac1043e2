//! SCIM 2.0 identities at account level: Users, Groups and ServicePrincipals.

pub mod collection;
pub mod filter;
pub mod memberships;
pub mod patch;
pub mod projection;
mod read;
mod render;
mod write;

pub(crate) use write::COMPUTED;

use std::sync::Arc;

use axum::Router;
use axum::extract::{Path, State};
use axum::routing::get;

use super::extract::{Json, Query, Scim};
use super::state::{Object, Shared};
use collection::ScimKind;
use read::ListParams;

pub use render::render;

pub fn routes() -> Router<Arc<Shared>> {
    [
        ScimKind::Users,
        ScimKind::Groups,
        ScimKind::ServicePrincipals,
    ]
    .into_iter()
    .fold(Router::new(), |router, kind| {
        let collection_path = format!("/scim/v2/{}", kind.path_segment());
        let item_path = format!("{collection_path}/{{id}}");
        router
            .route(
                &collection_path,
                get(move |s: State<Arc<Shared>>, q: Query<ListParams, Scim>| {
                    read::list(kind, s, q)
                })
                .post(move |s: State<Arc<Shared>>, b: Json<Object, Scim>| {
                    write::create(kind, s, b)
                }),
            )
            .route(
                &item_path,
                get(
                    move |s: State<Arc<Shared>>, p: Path<String>, q: Query<ListParams, Scim>| {
                        read::get_one(kind, s, p, q)
                    },
                )
                .put(
                    move |s: State<Arc<Shared>>, p: Path<String>, b: Json<Object, Scim>| {
                        write::replace(kind, s, p, b)
                    },
                )
                .patch(
                    move |s: State<Arc<Shared>>,
                          p: Path<String>,
                          b: Json<serde_json::Value, Scim>| {
                        write::patch(kind, s, p, b)
                    },
                )
                .delete(move |s: State<Arc<Shared>>, p: Path<String>| write::delete(kind, s, p)),
            )
    })
}
