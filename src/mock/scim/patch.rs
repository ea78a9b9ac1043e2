//! SCIM PATCH (RFC 7644 §3.5.2): parses a PatchOp request into operations and paths; the
//! child modules hold the attribute schemas and the rules for applying an operation.

mod apply;
mod schema;

use std::fmt;

use serde_json::Value;

pub use apply::{apply, apply_all};
pub use schema::{
    AttributeDef, AttributeSchema, AttributeType, GROUP_SCHEMA, Mutability,
    SERVICE_PRINCIPAL_SCHEMA, USER_SCHEMA,
};

use super::filter::{Filter, FilterError, find_attribute, is_attribute_name, strip_schema_prefix};

pub const PATCH_OP_SCHEMA: &str = "urn:ietf:params:scim:api:messages:2.0:PatchOp";

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PatchOpKind {
    Add,
    Remove,
    Replace,
}

/// One entry of `Operations`. `value` is kept as sent; it is type-checked against the
/// attribute's schema when applied.
#[derive(Debug, Clone, PartialEq)]
pub struct PatchOperation {
    pub op: PatchOpKind,
    pub path: Option<PatchPath>,
    pub value: Option<Value>,
}

/// A PATCH target: `displayName`, `name.givenName`, `members[value eq "123"]` or
/// `emails[type eq "work"].value`. Names are kept as written and resolved against a schema
/// when applied.
#[derive(Debug, Clone, PartialEq)]
pub struct PatchPath {
    pub attribute: String,
    pub value_filter: Option<Filter>,
    pub sub_attribute: Option<String>,
}

/// Why a PATCH was rejected; the Display text is the SCIM error `detail`, and
/// [`PatchError::scim_type`] its `scimType`. All are HTTP 400.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum PatchError {
    #[error("{0}")]
    InvalidSyntax(String),
    #[error("{0}")]
    InvalidPath(String),
    /// scimType `invalidFilter`; positions in the filter message count from just after `[`.
    #[error("In path '{path}': {source}")]
    InvalidFilter { path: String, source: FilterError },
    #[error("{0}")]
    Mutability(String),
    #[error("{0}")]
    InvalidValue(String),
    #[error("{0}")]
    NoTarget(String),
}

impl PatchError {
    pub fn scim_type(&self) -> &'static str {
        match self {
            PatchError::InvalidSyntax(_) => "invalidSyntax",
            PatchError::InvalidPath(_) => "invalidPath",
            PatchError::InvalidFilter { .. } => "invalidFilter",
            PatchError::Mutability(_) => "mutability",
            PatchError::InvalidValue(_) => "invalidValue",
            PatchError::NoTarget(_) => "noTarget",
        }
    }
}

/// Validates a PatchOp request body and returns its operations in order.
pub fn parse_patch(body: &Value) -> Result<Vec<PatchOperation>, PatchError> {
    let Value::Object(request) = body else {
        return Err(PatchError::InvalidSyntax(
            "The PATCH body must be a JSON object".into(),
        ));
    };
    // URNs compare case-insensitively; the list must hold the PatchOp URN and nothing else.
    let is_patch_op = match find_attribute(request, "schemas") {
        Some(Value::Array(schemas)) => match schemas.as_slice() {
            [Value::String(only)] => only.eq_ignore_ascii_case(PATCH_OP_SCHEMA),
            _ => false,
        },
        _ => false,
    };
    if !is_patch_op {
        return Err(PatchError::InvalidSyntax(format!(
            "The 'schemas' attribute must be [\"{PATCH_OP_SCHEMA}\"]"
        )));
    }
    match find_attribute(request, "Operations") {
        Some(Value::Array(operations)) if !operations.is_empty() => operations
            .iter()
            .enumerate()
            .map(|(index, operation)| parse_operation(index + 1, operation))
            .collect(),
        _ => Err(PatchError::InvalidSyntax(
            "The PATCH body must have a non-empty 'Operations' array".into(),
        )),
    }
}

/// Parses the operation numbered `number` (1-based, as people count them in messages).
fn parse_operation(number: usize, operation: &Value) -> Result<PatchOperation, PatchError> {
    let Value::Object(operation) = operation else {
        return Err(PatchError::InvalidSyntax(format!(
            "Operation {number} must be a JSON object"
        )));
    };
    // Entra ID sends "Add"/"Replace"/"Remove", so the op name ignores case.
    let op = match find_attribute(operation, "op") {
        Some(Value::String(name)) => PatchOpKind::from_name(name).ok_or_else(|| {
            PatchError::InvalidSyntax(format!(
                "Operation {number} has op '{name}'; expected add, remove or replace"
            ))
        })?,
        _ => {
            return Err(PatchError::InvalidSyntax(format!(
                "Operation {number} needs an 'op' of add, remove or replace"
            )));
        }
    };
    let path = match find_attribute(operation, "path") {
        None | Some(Value::Null) => None,
        Some(Value::String(text)) => Some(PatchPath::parse(text)?),
        Some(_) => {
            return Err(PatchError::InvalidSyntax(format!(
                "Operation {number} has a 'path' that is not a string"
            )));
        }
    };
    let value = find_attribute(operation, "value").cloned();
    match (op, &path, &value) {
        (PatchOpKind::Remove, None, _) => Err(PatchError::NoTarget(format!(
            "Operation {number}: 'remove' needs a 'path'"
        ))),
        (PatchOpKind::Add | PatchOpKind::Replace, _, None) => Err(PatchError::InvalidValue(
            format!("Operation {number}: '{op}' needs a 'value'"),
        )),
        (PatchOpKind::Add | PatchOpKind::Replace, None, Some(value)) if !value.is_object() => {
            Err(PatchError::InvalidValue(format!(
                "Operation {number}: '{op}' without a 'path' needs an object 'value' of attributes"
            )))
        }
        _ => Ok(PatchOperation { op, path, value }),
    }
}

impl PatchOpKind {
    fn from_name(name: &str) -> Option<PatchOpKind> {
        [PatchOpKind::Add, PatchOpKind::Remove, PatchOpKind::Replace]
            .into_iter()
            .find(|kind| kind.to_string().eq_ignore_ascii_case(name))
    }
}

impl fmt::Display for PatchOpKind {
    fn fmt(&self, formatter: &mut fmt::Formatter<'_>) -> fmt::Result {
        formatter.write_str(match self {
            PatchOpKind::Add => "add",
            PatchOpKind::Remove => "remove",
            PatchOpKind::Replace => "replace",
        })
    }
}

impl PatchPath {
    /// Parses `attr`, `attr.sub`, `attr[filter]` or `attr[filter].sub`, with an optional schema
    /// URN prefix (`urn:ietf:params:scim:schemas:core:2.0:User:name.givenName`).
    pub fn parse(text: &str) -> Result<PatchPath, PatchError> {
        let malformed =
            |reason: String| PatchError::InvalidPath(format!("Invalid path '{text}': {reason}"));
        let trimmed = text.trim();
        if trimmed.is_empty() {
            return Err(malformed("the path is empty".into()));
        }
        let (head, bracketed) = match trimmed.split_once('[') {
            Some((head, rest)) => (head, Some(rest)),
            None => (trimmed, None),
        };
        let head = strip_schema_prefix(head);
        let (attribute, value_filter, sub_attribute) = match bracketed {
            None => match head.split_once('.') {
                Some((attribute, sub)) => (attribute, None, Some(sub)),
                None => (head, None, None),
            },
            Some(rest) => {
                let close = closing_bracket(rest).ok_or_else(|| malformed("missing ']'".into()))?;
                let filter =
                    Filter::parse(&rest[..close]).map_err(|source| PatchError::InvalidFilter {
                        path: text.to_string(),
                        source,
                    })?;
                let sub = match &rest[close + 1..] {
                    "" => None,
                    after => Some(after.strip_prefix('.').ok_or_else(|| {
                        malformed("only '.' and a sub-attribute may follow ']'".into())
                    })?),
                };
                (head, Some(filter), sub)
            }
        };
        for name in std::iter::once(attribute).chain(sub_attribute) {
            if !is_attribute_name(name) {
                return Err(malformed(format!("'{name}' is not an attribute name")));
            }
        }
        Ok(PatchPath {
            attribute: attribute.to_string(),
            value_filter,
            sub_attribute: sub_attribute.map(str::to_string),
        })
    }
}

/// Byte index of the `]` closing a value filter, skipping any inside quoted strings.
fn closing_bracket(filter_and_rest: &str) -> Option<usize> {
    let mut is_in_string = false;
    let mut is_escaped = false;
    for (index, character) in filter_and_rest.char_indices() {
        match character {
            _ if is_escaped => is_escaped = false,
            '\\' if is_in_string => is_escaped = true,
            '"' => is_in_string = !is_in_string,
            ']' if !is_in_string => return Some(index),
            _ => {}
        }
    }
    None
}

impl fmt::Display for PatchPath {
    fn fmt(&self, formatter: &mut fmt::Formatter<'_>) -> fmt::Result {
        formatter.write_str(&self.attribute)?;
        if let Some(filter) = &self.value_filter {
            write!(formatter, "[{filter}]")?;
        }
        if let Some(sub) = &self.sub_attribute {
            write!(formatter, ".{sub}")?;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use serde_json::{Map, json};

    use super::*;

    fn object(value: Value) -> Map<String, Value> {
        match value {
            Value::Object(map) => map,
            other => panic!("fixture must be an object, got {other}"),
        }
    }

    fn group() -> Map<String, Value> {
        object(json!({
            "schemas": ["urn:ietf:params:scim:schemas:core:2.0:Group"],
            "id": "6029384756102938",
            "displayName": "data-eng",
            "externalId": "okta-grp-42",
            "members": [
                {"value": "4187365291046583", "display": "Ana Silva", "$ref": "Users/4187365291046583"},
                {"value": "7395847201938475", "display": "ci-deployer", "$ref": "ServicePrincipals/7395847201938475"}
            ],
            "roles": [],
            "meta": {"resourceType": "Group"}
        }))
    }

    #[test]
    fn op_names_ignore_case_and_optional_members_are_optional() {
        let body = json!({
            "schemas": ["urn:ietf:params:scim:api:messages:2.0:PatchOp"],
            "Operations": [
                {"op": "Replace", "path": "active", "value": "False"},
                {"op": "ADD", "value": {"displayName": "x"}},
                {"op": "remove", "path": "urn:ietf:params:scim:schemas:core:2.0:User:name.givenName", "value": null}
            ]
        });
        let operations = parse_patch(&body);
        assert!(
            operations
                .as_ref()
                .is_ok_and(|operations| operations.len() == 3)
        );
        let operations = operations.unwrap_or_default();
        assert_eq!(operations[1].path, None);
        assert_eq!(
            operations[2]
                .path
                .as_ref()
                .map(PatchPath::to_string)
                .as_deref(),
            Some("name.givenName")
        );
    }

    #[test]
    fn malformed_requests_are_rejected_with_the_matching_scim_type() {
        let schemas = json!(["urn:ietf:params:scim:api:messages:2.0:PatchOp"]);
        let with_operations =
            |operations: Value| json!({"schemas": schemas, "Operations": operations});
        let cases = [
            (
                json!([]),
                "The PATCH body must be a JSON object",
                "invalidSyntax",
            ),
            (
                json!({"Operations": [{"op": "add", "path": "displayName", "value": "x"}]}),
                r#"The 'schemas' attribute must be ["urn:ietf:params:scim:api:messages:2.0:PatchOp"]"#,
                "invalidSyntax",
            ),
            (
                json!({"schemas": ["urn:ietf:params:scim:api:messages:2.0:PatchOp", "x"], "Operations": []}),
                r#"The 'schemas' attribute must be ["urn:ietf:params:scim:api:messages:2.0:PatchOp"]"#,
                "invalidSyntax",
            ),
            (
                json!({"schemas": ["urn:ietf:params:scim:schemas:core:2.0:User"], "Operations": []}),
                r#"The 'schemas' attribute must be ["urn:ietf:params:scim:api:messages:2.0:PatchOp"]"#,
                "invalidSyntax",
            ),
            (
                json!({"schemas": schemas}),
                "The PATCH body must have a non-empty 'Operations' array",
                "invalidSyntax",
            ),
            (
                with_operations(json!([])),
                "The PATCH body must have a non-empty 'Operations' array",
                "invalidSyntax",
            ),
            (
                with_operations(json!({})),
                "The PATCH body must have a non-empty 'Operations' array",
                "invalidSyntax",
            ),
            (
                with_operations(json!(["add"])),
                "Operation 1 must be a JSON object",
                "invalidSyntax",
            ),
            (
                with_operations(
                    json!([{"op": "add", "path": "displayName", "value": "x"}, {"op": "move"}]),
                ),
                "Operation 2 has op 'move'; expected add, remove or replace",
                "invalidSyntax",
            ),
            (
                with_operations(json!([{"path": "displayName"}])),
                "Operation 1 needs an 'op' of add, remove or replace",
                "invalidSyntax",
            ),
            (
                with_operations(json!([{"op": "add", "path": 7, "value": "x"}])),
                "Operation 1 has a 'path' that is not a string",
                "invalidSyntax",
            ),
            (
                with_operations(json!([{"op": "remove"}])),
                "Operation 1: 'remove' needs a 'path'",
                "noTarget",
            ),
            (
                with_operations(json!([{"op": "replace", "path": "displayName"}])),
                "Operation 1: 'replace' needs a 'value'",
                "invalidValue",
            ),
            (
                with_operations(json!([{"op": "add", "value": [1]}])),
                "Operation 1: 'add' without a 'path' needs an object 'value' of attributes",
                "invalidValue",
            ),
            (
                with_operations(
                    json!([{"op": "add", "path": "members[value eq \"1\"", "value": {}}]),
                ),
                "Invalid path 'members[value eq \"1\"': missing ']'",
                "invalidPath",
            ),
            (
                with_operations(json!([{"op": "remove", "path": "members[value eqq \"1\"]"}])),
                "In path 'members[value eqq \"1\"]': Invalid filter: unknown operator 'eqq' at position 6",
                "invalidFilter",
            ),
        ];
        for (body, message, scim_type) in cases {
            let error = parse_patch(&body).err();
            assert_eq!(
                error.as_ref().map(ToString::to_string).as_deref(),
                Some(message),
                "body {body}"
            );
            assert_eq!(
                error.as_ref().map(PatchError::scim_type),
                Some(scim_type),
                "body {body}"
            );
        }
    }

    #[test]
    fn paths_parse_into_attribute_filter_and_sub_attribute() {
        let parse = |text: &str| PatchPath::parse(text);
        let simple = parse("displayName");
        assert!(
            simple
                .as_ref()
                .is_ok_and(|path| path.attribute == "displayName"
                    && path.value_filter.is_none()
                    && path.sub_attribute.is_none())
        );
        let dotted = parse("name.givenName");
        assert!(
            dotted.as_ref().is_ok_and(|path| path.attribute == "name"
                && path.sub_attribute.as_deref() == Some("givenName"))
        );
        let work_email = parse(r#"emails[type eq "work"].value"#);
        assert!(
            work_email
                .as_ref()
                .is_ok_and(|path| path.attribute == "emails"
                    && path.value_filter.is_some()
                    && path.sub_attribute.as_deref() == Some("value"))
        );
        // A `]` inside the filter's string does not close the brackets.
        let tricky = parse(r#"members[display eq "a]\"b"]"#).map(|path| path.to_string());
        assert_eq!(tricky.as_deref(), Ok(r#"members[display eq "a]\"b"]"#));
        for (text, message) in [
            ("", "Invalid path '': the path is empty"),
            (
                r#"members[value eq "1"]x"#,
                r#"Invalid path 'members[value eq "1"]x': only '.' and a sub-attribute may follow ']'"#,
            ),
            (
                "name.given.name",
                "Invalid path 'name.given.name': 'given.name' is not an attribute name",
            ),
            (
                "na me",
                "Invalid path 'na me': 'na me' is not an attribute name",
            ),
            ("name.", "Invalid path 'name.': '' is not an attribute name"),
        ] {
            assert_eq!(
                parse(text)
                    .map_err(|error| error.to_string())
                    .err()
                    .as_deref(),
                Some(message)
            );
        }
    }

    #[test]
    fn garbage_never_panics() {
        let bodies = [
            json!(null),
            json!("PatchOp"),
            json!({"schemas": "urn:ietf:params:scim:api:messages:2.0:PatchOp"}),
            json!({"schemas": [null], "Operations": [null]}),
            json!({"schemas": ["urn:ietf:params:scim:api:messages:2.0:PatchOp"], "Operations": [{"op": null}]}),
            json!({"schemas": ["urn:ietf:params:scim:api:messages:2.0:PatchOp"], "Operations": [{"op": "add", "path": "[", "value": 1}]}),
            json!({"schemas": ["urn:ietf:params:scim:api:messages:2.0:PatchOp"], "Operations": [{"op": "add", "path": "]", "value": 1}]}),
            json!({"schemas": ["urn:ietf:params:scim:api:messages:2.0:PatchOp"], "Operations": [{"op": "add", "path": "a[\"]", "value": 1}]}),
            json!({"schemas": ["urn:ietf:params:scim:api:messages:2.0:PatchOp"], "Operations": [{"op": "add", "path": "€[x pr].€", "value": 1}]}),
            json!({"schemas": ["urn:ietf:params:scim:api:messages:2.0:PatchOp"], "Operations": [{"op": "replace", "path": "members[value pr].", "value": {}}]}),
            json!({"schemas": ["urn:ietf:params:scim:api:messages:2.0:PatchOp"], "Operations": [{"op": "add", "path": "urn:", "value": 1}]}),
        ];
        for body in bodies {
            if let Ok(operations) = parse_patch(&body) {
                let _ = apply_all(&mut group(), &operations, &GROUP_SCHEMA);
            }
        }
        for path in [
            "members[value pr]",
            "members[value pr].value",
            "roles",
            "members.value",
            "displayName",
        ] {
            for value in [
                json!(null),
                json!(1),
                json!("x"),
                json!([1, null, {}]),
                json!({"value": 2}),
                json!([[]]),
            ] {
                for op in ["add", "replace", "remove"] {
                    let operation = PatchOperation {
                        op: PatchOpKind::from_name(op).unwrap_or(PatchOpKind::Add),
                        path: PatchPath::parse(path).ok(),
                        value: Some(value.clone()),
                    };
                    let _ = apply(&mut group(), &operation, &GROUP_SCHEMA);
                }
            }
        }
    }
}
