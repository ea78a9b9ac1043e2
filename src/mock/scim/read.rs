//! SCIM reads: paged, filtered, sorted lists and single gets, with attribute projection.

use std::borrow::Cow;
use std::sync::Arc;

use axum::Json as JsonResponse;
use axum::extract::{Path, State};
use serde::Deserialize;
use serde_json::{Value, json};

use super::collection::{Resource, ScimKind, Selection};
use super::filter::Filter;
use super::projection::{parse_attribute_list, project};
use super::render::{Members, render};
use crate::mock::error::{ApiFailure, ApiResult};
use crate::mock::extract::{Query, Scim};
use crate::mock::state::Shared;

#[derive(Debug, Default, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ListParams {
    start_index: Option<i64>,
    count: Option<i64>,
    filter: Option<String>,
    attributes: Option<String>,
    excluded_attributes: Option<String>,
    sort_by: Option<String>,
    sort_order: Option<String>,
}

impl ListParams {
    /// `attributes` and `excludedAttributes` as lists.
    fn projection(&self) -> (Vec<String>, Vec<String>) {
        let list = |text: &Option<String>| {
            text.as_deref()
                .map(parse_attribute_list)
                .unwrap_or_default()
        };
        (list(&self.attributes), list(&self.excluded_attributes))
    }
}

pub fn scim_not_found(kind: ScimKind, id: &str) -> ApiFailure {
    ApiFailure::not_found(format!("{} with id {id} not found.", kind.resource_type())).scim(None)
}

fn invalid_value(message: String) -> ApiFailure {
    ApiFailure::invalid_parameter(message).scim(Some("invalidValue"))
}

fn descending(sort_order: Option<&str>) -> ApiResult<bool> {
    match sort_order.map(str::to_ascii_lowercase).as_deref() {
        None | Some("") | Some("ascending") => Ok(false),
        Some("descending") => Ok(true),
        Some(other) => Err(invalid_value(format!(
            "sortOrder must be 'ascending' or 'descending', got '{other}'"
        ))),
    }
}

pub async fn list(
    kind: ScimKind,
    State(shared): State<Arc<Shared>>,
    Query(params, ..): Query<ListParams, Scim>,
) -> ApiResult<JsonResponse<Value>> {
    let filter = match params
        .filter
        .as_deref()
        .map(str::trim)
        .filter(|f| !f.is_empty())
    {
        Some(text) => Some((
            text,
            Filter::parse(text).map_err(|e| {
                ApiFailure::new(
                    axum::http::StatusCode::BAD_REQUEST,
                    "INVALID_FILTER",
                    e.to_string(),
                )
                .scim(Some("invalidFilter"))
            })?,
        )),
        None => None,
    };
    let descending = descending(params.sort_order.as_deref())?;
    let sort_by = params.sort_by.as_deref().filter(|s| !s.is_empty());
    let (attributes, excluded) = params.projection();

    let account = shared.read();
    let collection = account.collection(kind);
    // Filters on computed attributes need the rendered resource; others read the store.
    let needs_render = filter.as_ref().is_some_and(|(text, _)| {
        let lower = text.to_ascii_lowercase();
        lower.contains("groups") || lower.contains("members") || lower.contains("meta")
    });
    let selection = collection.select(
        filter.as_ref().map(|(text, f)| (*text, f)),
        sort_by,
        descending,
        |_, stored: &Resource| {
            if needs_render {
                Cow::Owned(render(&account, kind, stored, Members::Include))
            } else {
                Cow::Borrowed(stored)
            }
        },
    );

    let total = selection.len();
    let start_index = params.start_index.unwrap_or(1).max(1) as usize;
    let page_cap = shared.config.page_cap.max(1);
    let count = params
        .count
        .map_or(page_cap, |c| (c.max(0) as usize).min(page_cap));
    let first = (start_index - 1).min(total);
    let last = (first + count).min(total);
    let resources: Vec<Value> = (first..last)
        .filter_map(|position| {
            let stored = match &selection {
                Selection::All(_) => collection.get_index(position).map(|(_, r)| r),
                Selection::Ids(ids) => ids.get(position).and_then(|id| collection.get(id)),
            }?;
            let mut resource = render(&account, kind, stored, Members::Omit);
            project(&mut resource, &attributes, &excluded);
            Some(Value::Object(resource))
        })
        .collect();

    let mut body = json!({
        "schemas": ["urn:ietf:params:scim:api:messages:2.0:ListResponse"],
        "totalResults": total,
        "startIndex": start_index,
        "itemsPerPage": resources.len(),
    });
    // Past the end the SDK expects no Resources; the fake omits empty lists.
    if !resources.is_empty() {
        body["Resources"] = Value::Array(resources);
    }
    Ok(JsonResponse(body))
}

pub async fn get_one(
    kind: ScimKind,
    State(shared): State<Arc<Shared>>,
    Path(id): Path<String>,
    Query(params, ..): Query<ListParams, Scim>,
) -> ApiResult<JsonResponse<Resource>> {
    let account = shared.read();
    let stored = account
        .collection(kind)
        .get(&id)
        .ok_or_else(|| scim_not_found(kind, &id))?;
    let mut resource = render(&account, kind, stored, Members::Include);
    let (attributes, excluded) = params.projection();
    project(&mut resource, &attributes, &excluded);
    Ok(JsonResponse(resource))
}
