//! SCIM protocol messages: the list page (§5.2) and the PATCH request (§5.5).

use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

use super::{ACCOUNT_ADMIN_ROLE, ComplexValue, LIST_RESPONSE_SCHEMA, PATCH_OP_SCHEMA};
use crate::api::models::null_as_default;

/// One page of a SCIM list. Paging follows the SDK: advance `startIndex` by the number of
/// resources and stop at an empty page; `total_results` is informational only.
// `deserialize_with` hides `T` from serde's bound inference, hence the explicit bound.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(
    rename_all = "camelCase",
    bound(serialize = "T: Serialize", deserialize = "T: Deserialize<'de>")
)]
pub struct ListResponse<T> {
    #[serde(
        default,
        deserialize_with = "null_as_default",
        skip_serializing_if = "Vec::is_empty"
    )]
    pub schemas: Vec<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub total_results: Option<i64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub start_index: Option<i64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub items_per_page: Option<i64>,
    #[serde(
        rename = "Resources",
        default,
        deserialize_with = "null_as_default",
        skip_serializing_if = "Vec::is_empty"
    )]
    pub resources: Vec<T>,
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

impl<T> ListResponse<T> {
    /// A page as the fake server sends it; `start_index` is 1-based.
    pub fn new(resources: Vec<T>, start_index: i64, total_results: i64) -> Self {
        Self {
            schemas: vec![LIST_RESPONSE_SCHEMA.to_owned()],
            total_results: Some(total_results),
            start_index: Some(start_index),
            items_per_page: Some(resources.len() as i64),
            resources,
            extra: Map::new(),
        }
    }
}

/// A SCIM PATCH body. `schemas` and `Operations` are always written: the server requires both.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct PatchOp {
    #[serde(default, deserialize_with = "null_as_default")]
    pub schemas: Vec<String>,
    #[serde(rename = "Operations", default, deserialize_with = "null_as_default")]
    pub operations: Vec<PatchOperation>,
}

impl PatchOp {
    pub fn new(operations: Vec<PatchOperation>) -> Self {
        Self {
            schemas: vec![PATCH_OP_SCHEMA.to_owned()],
            operations,
        }
    }
}

/// One PATCH operation. `op` stays a string (`add`, `remove`, `replace`) so a server-side
/// addition never breaks parsing; use the constructors to write one.
///
/// `value` is written whenever it is `Some`, including `false`, `""` and `[]`: the Python SDK
/// drops falsy values, which turns `replace active=false` into a request without a value.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct PatchOperation {
    pub op: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub path: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub value: Option<Value>,
}

impl PatchOperation {
    pub fn add(path: impl Into<String>, value: impl Into<Value>) -> Self {
        Self::new("add", Some(path.into()), Some(value.into()))
    }

    pub fn remove(path: impl Into<String>) -> Self {
        Self::new("remove", Some(path.into()), None)
    }

    pub fn replace(path: impl Into<String>, value: impl Into<Value>) -> Self {
        Self::new("replace", Some(path.into()), Some(value.into()))
    }

    /// Adds the given ids to a multi-valued attribute (`members`, `roles`, `entitlements`).
    pub fn add_values<I, S>(attribute: &str, ids: I) -> Self
    where
        I: IntoIterator<Item = S>,
        S: Into<String>,
    {
        let elements: Vec<Value> = ids
            .into_iter()
            .map(|id| ComplexValue::new(id).into())
            .collect();
        Self::add(attribute, elements)
    }

    /// Removes the element whose `value` is `id`: path `attribute[value eq "id"]`.
    pub fn remove_value(attribute: &str, id: &str) -> Self {
        let quoted = id.replace('\\', "\\\\").replace('"', "\\\"");
        Self::remove(format!("{attribute}[value eq \"{quoted}\"]"))
    }

    pub fn set_active(active: bool) -> Self {
        Self::replace("active", active)
    }

    pub fn grant_account_admin() -> Self {
        Self::add_values("roles", [ACCOUNT_ADMIN_ROLE])
    }

    pub fn revoke_account_admin() -> Self {
        Self::remove_value("roles", ACCOUNT_ADMIN_ROLE)
    }

    pub fn is_add(&self) -> bool {
        self.op.eq_ignore_ascii_case("add")
    }

    pub fn is_remove(&self) -> bool {
        self.op.eq_ignore_ascii_case("remove")
    }

    pub fn is_replace(&self) -> bool {
        self.op.eq_ignore_ascii_case("replace")
    }

    fn new(op: &str, path: Option<String>, value: Option<Value>) -> Self {
        Self {
            op: op.to_owned(),
            path,
            value,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::api::models::scim::User;
    use serde_json::json;

    const USERS_PAGE: &str = r#"{"schemas": ["urn:ietf:params:scim:api:messages:2.0:ListResponse"],
 "totalResults": 2, "startIndex": 1, "itemsPerPage": 2,
 "Resources": [
   {"id": "4187365291046583", "userName": "ana@example.com", "displayName": "Ana Silva", "active": true},
   {"id": "5298476302157694", "userName": "bo@example.com", "displayName": "Bo Chen", "active": false}]}"#;

    const PATCH: &str = r#"{
  "schemas": ["urn:ietf:params:scim:api:messages:2.0:PatchOp"],
  "Operations": [
    {"op": "add", "path": "members", "value": [{"value": "7395847201938475"}]},
    {"op": "remove", "path": "members[value eq \"7395847201938475\"]"},
    {"op": "replace", "path": "displayName", "value": "data-eng"},
    {"op": "replace", "path": "active", "value": false},
    {"op": "add", "path": "roles", "value": [{"value": "account_admin"}]},
    {"op": "remove", "path": "roles[value eq \"account_admin\"]"}
  ]
}"#;

    #[test]
    fn reads_the_users_page() {
        let page: ListResponse<User> = serde_json::from_str(USERS_PAGE).unwrap();
        assert_eq!(page.schemas, [LIST_RESPONSE_SCHEMA]);
        assert_eq!(
            (page.total_results, page.start_index, page.items_per_page),
            (Some(2), Some(1), Some(2))
        );
        assert_eq!(page.resources.len(), 2);
        assert!(page.resources[0].is_active());
        assert!(!page.resources[1].is_active());
        let original: Value = serde_json::from_str(USERS_PAGE).unwrap();
        assert_eq!(serde_json::to_value(&page).unwrap(), original);
    }

    #[test]
    fn a_page_past_the_end_may_omit_or_null_its_resources() {
        for body in [
            r#"{"schemas": ["urn:ietf:params:scim:api:messages:2.0:ListResponse"], "totalResults": 0}"#,
            r#"{"Resources": null}"#,
            r#"{"Resources": []}"#,
        ] {
            let page: ListResponse<User> = serde_json::from_str(body).unwrap();
            assert!(page.resources.is_empty(), "{body}");
        }
    }

    #[test]
    fn a_built_page_has_the_wire_shape() {
        let page = ListResponse::new(vec![User::new("ana@example.com")], 1, 1);
        let value = serde_json::to_value(&page).unwrap();
        assert_eq!(value["schemas"], json!([LIST_RESPONSE_SCHEMA]));
        assert_eq!(value["itemsPerPage"], 1);
        assert_eq!(value["Resources"][0]["userName"], "ana@example.com");
    }

    #[test]
    fn constructors_build_the_reference_patch_exactly() {
        let patch = PatchOp::new(vec![
            PatchOperation::add_values("members", ["7395847201938475"]),
            PatchOperation::remove_value("members", "7395847201938475"),
            PatchOperation::replace("displayName", "data-eng"),
            PatchOperation::set_active(false),
            PatchOperation::grant_account_admin(),
            PatchOperation::revoke_account_admin(),
        ]);
        let expected: Value = serde_json::from_str(PATCH).unwrap();
        assert_eq!(serde_json::to_value(&patch).unwrap(), expected);

        let parsed: PatchOp = serde_json::from_str(PATCH).unwrap();
        assert_eq!(parsed, patch);
        assert!(parsed.operations[1].is_remove() && parsed.operations[1].value.is_none());
    }

    #[test]
    fn falsy_values_are_still_sent() {
        let operation = PatchOperation::replace("active", false);
        assert_eq!(
            serde_json::to_value(&operation).unwrap(),
            json!({"op": "replace", "path": "active", "value": false})
        );
        let cleared = PatchOperation::replace("members", Vec::<Value>::new());
        assert_eq!(serde_json::to_value(&cleared).unwrap()["value"], json!([]));
        let removal = serde_json::to_value(PatchOperation::remove("members")).unwrap();
        assert!(removal.get("value").is_none());
    }

    #[test]
    fn an_empty_patch_still_names_its_schema_and_operations() {
        assert_eq!(
            serde_json::to_value(PatchOp::new(Vec::new())).unwrap(),
            json!({"schemas": [PATCH_OP_SCHEMA], "Operations": []})
        );
    }

    #[test]
    fn filter_values_are_quoted() {
        let operation = PatchOperation::remove_value("members", r#"a"b\c"#);
        assert_eq!(
            operation.path.as_deref(),
            Some(r#"members[value eq "a\"b\\c"]"#)
        );
        let unknown: PatchOperation = serde_json::from_str(r#"{"op": "Move"}"#).unwrap();
        assert!(!unknown.is_add() && !unknown.is_remove() && !unknown.is_replace());
    }
}
