//! SCIM PATCH (RFC 7644 §3.5.2): parses a PatchOp request and applies its operations to a
//! resource, following each attribute's schema (multi-valued or not, mutability, type).

use std::collections::HashSet;
use std::fmt;

use serde_json::{Map, Value};

use super::filter::{Filter, FilterError, find_attribute, is_attribute_name, strip_schema_prefix};

pub const PATCH_OP_SCHEMA: &str = "urn:ietf:params:scim:api:messages:2.0:PatchOp";

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mutability {
    ReadWrite,
    /// Accepted but silently ignored, as Databricks does for `userName`, `emails` and
    /// `applicationId`.
    Immutable,
    /// Rejected with scimType `mutability` (`id`, `meta`, `groups`).
    ReadOnly,
}

/// The SCIM type of an attribute, or of each element of a multi-valued one.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AttributeType {
    String,
    Boolean,
    Complex,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct AttributeDef {
    /// Canonical spelling, used as the stored key whatever case the client wrote.
    pub name: &'static str,
    pub attribute_type: AttributeType,
    pub multi_valued: bool,
    pub mutability: Mutability,
    pub sub_attributes: &'static [&'static str],
}

/// The attributes a resource type accepts in PATCH; anything else is an `invalidPath`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct AttributeSchema {
    pub attributes: &'static [AttributeDef],
}

impl AttributeSchema {
    /// Finds an attribute by name, ignoring case as SCIM requires.
    pub fn attribute(&self, name: &str) -> Option<&'static AttributeDef> {
        self.attributes
            .iter()
            .find(|attribute| attribute.name.eq_ignore_ascii_case(name))
    }
}

/// Sub-attributes of a multi-valued "ComplexValue" (reference §5.4).
const COMPLEX_VALUE: &[&str] = &["value", "display", "type", "primary", "$ref"];

const fn single(
    name: &'static str,
    attribute_type: AttributeType,
    mutability: Mutability,
) -> AttributeDef {
    AttributeDef {
        name,
        attribute_type,
        multi_valued: false,
        mutability,
        sub_attributes: &[],
    }
}

const fn complex_values(name: &'static str, mutability: Mutability) -> AttributeDef {
    AttributeDef {
        name,
        attribute_type: AttributeType::Complex,
        multi_valued: true,
        mutability,
        sub_attributes: COMPLEX_VALUE,
    }
}

const ID: AttributeDef = single("id", AttributeType::String, Mutability::ReadOnly);
const SCHEMAS: AttributeDef = AttributeDef {
    multi_valued: true,
    ..single("schemas", AttributeType::String, Mutability::ReadOnly)
};
const META: AttributeDef = AttributeDef {
    sub_attributes: &[
        "resourceType",
        "created",
        "lastModified",
        "location",
        "version",
    ],
    ..single("meta", AttributeType::Complex, Mutability::ReadOnly)
};
const DISPLAY_NAME: AttributeDef =
    single("displayName", AttributeType::String, Mutability::ReadWrite);
const ACTIVE: AttributeDef = single("active", AttributeType::Boolean, Mutability::ReadWrite);
const EXTERNAL_ID: AttributeDef =
    single("externalId", AttributeType::String, Mutability::ReadWrite);
/// Membership is changed on the group, never on the member.
const GROUPS: AttributeDef = complex_values("groups", Mutability::ReadOnly);
const ROLES: AttributeDef = complex_values("roles", Mutability::ReadWrite);
const ENTITLEMENTS: AttributeDef = complex_values("entitlements", Mutability::ReadWrite);

pub const USER_SCHEMA: AttributeSchema = AttributeSchema {
    attributes: &[
        ID,
        SCHEMAS,
        META,
        single("userName", AttributeType::String, Mutability::Immutable),
        DISPLAY_NAME,
        AttributeDef {
            sub_attributes: &["givenName", "familyName"],
            ..single("name", AttributeType::Complex, Mutability::ReadWrite)
        },
        // The reference (§5.4): email changes through PUT/PATCH are ignored.
        complex_values("emails", Mutability::Immutable),
        ACTIVE,
        EXTERNAL_ID,
        GROUPS,
        ROLES,
        ENTITLEMENTS,
    ],
};

pub const GROUP_SCHEMA: AttributeSchema = AttributeSchema {
    attributes: &[
        ID,
        SCHEMAS,
        META,
        DISPLAY_NAME,
        EXTERNAL_ID,
        complex_values("members", Mutability::ReadWrite),
        GROUPS,
        ROLES,
        ENTITLEMENTS,
    ],
};

pub const SERVICE_PRINCIPAL_SCHEMA: AttributeSchema = AttributeSchema {
    attributes: &[
        ID,
        SCHEMAS,
        META,
        single(
            "applicationId",
            AttributeType::String,
            Mutability::Immutable,
        ),
        DISPLAY_NAME,
        ACTIVE,
        EXTERNAL_ID,
        GROUPS,
        ROLES,
        ENTITLEMENTS,
    ],
};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PatchOpKind {
    Add,
    Remove,
    Replace,
}

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

/// Applies all operations or none: RFC 7644 §3.5.2 makes a PATCH request atomic.
pub fn apply_all(
    resource: &mut Map<String, Value>,
    operations: &[PatchOperation],
    schema: &AttributeSchema,
) -> Result<(), PatchError> {
    let mut patched = resource.clone();
    for operation in operations {
        apply(&mut patched, operation, schema)?;
    }
    *resource = patched;
    Ok(())
}

/// Applies one operation. On error the resource may be partly changed (a path-less value
/// with a badly typed attribute after good ones); use [`apply_all`] for all-or-nothing.
pub fn apply(
    resource: &mut Map<String, Value>,
    operation: &PatchOperation,
    schema: &AttributeSchema,
) -> Result<(), PatchError> {
    let kind = operation.op;
    let value = operation.value.as_ref();
    let Some(path) = &operation.path else {
        return apply_without_path(resource, kind, value, schema);
    };
    let attribute = schema.attribute(&path.attribute).ok_or_else(|| {
        PatchError::InvalidPath(format!(
            "Unknown attribute '{}' in path '{path}'",
            path.attribute
        ))
    })?;
    let sub_attribute = match &path.sub_attribute {
        None => None,
        Some(sub) => Some(canonical_sub_attribute(attribute, sub).ok_or_else(|| {
            PatchError::InvalidPath(format!(
                "Unknown sub-attribute '{sub}' of '{}' in path '{path}'",
                attribute.name
            ))
        })?),
    };
    if path.value_filter.is_some() && !attribute.multi_valued {
        return Err(PatchError::InvalidPath(format!(
            "Attribute '{}' is single-valued, so path '{path}' cannot have a value filter",
            attribute.name
        )));
    }
    if !is_writable(attribute)? {
        return Ok(());
    }
    rename_to_canonical(resource, attribute.name);
    let filter = path.value_filter.as_ref();
    if kind == PatchOpKind::Remove {
        return remove(resource, attribute, filter, sub_attribute, value);
    }
    let value = value
        .ok_or_else(|| PatchError::InvalidValue(format!("'{kind}' of '{path}' needs a 'value'")))?;
    match (filter, sub_attribute) {
        (None, None) => set_attribute(resource, attribute, kind, value),
        (None, Some(sub)) => {
            let member = sub_attribute_value(attribute, sub, value)?;
            if !attribute.multi_valued
                && !matches!(resource.get(attribute.name), Some(Value::Object(_)))
            {
                resource.insert(attribute.name.to_string(), Value::Object(Map::new()));
            }
            for target in complex_targets(resource, attribute, None) {
                set_member(target, sub, member.clone());
            }
            Ok(())
        }
        (Some(filter), sub) => {
            let members = match sub {
                Some(sub) => {
                    Map::from_iter([(sub.to_string(), sub_attribute_value(attribute, sub, value)?)])
                }
                None => complex_value(attribute, value, false)?,
            };
            let targets = complex_targets(resource, attribute, Some(filter));
            if targets.is_empty() {
                return Err(PatchError::NoTarget(format!(
                    "No value of '{}' matches the filter in path '{path}'",
                    attribute.name
                )));
            }
            for target in targets {
                for (name, member) in &members {
                    set_member(target, name, member.clone());
                }
            }
            // A changed `value` may now repeat another element's.
            let elements = take_array(resource, attribute.name);
            resource.insert(
                attribute.name.to_string(),
                Value::Array(without_repeats(elements)),
            );
            Ok(())
        }
    }
}

/// A path-less add/replace: each attribute of the value object is set as if it were the path.
fn apply_without_path(
    resource: &mut Map<String, Value>,
    kind: PatchOpKind,
    value: Option<&Value>,
    schema: &AttributeSchema,
) -> Result<(), PatchError> {
    if kind == PatchOpKind::Remove {
        return Err(PatchError::NoTarget("'remove' needs a 'path'".into()));
    }
    let Some(Value::Object(attributes)) = value else {
        return Err(PatchError::InvalidValue(format!(
            "'{kind}' without a 'path' needs an object 'value' of attributes"
        )));
    };
    // Resolve every name before changing anything, so an unknown or read-only attribute
    // rejects the whole operation.
    let mut targets = Vec::with_capacity(attributes.len());
    for (name, value) in attributes {
        let attribute = schema.attribute(strip_schema_prefix(name)).ok_or_else(|| {
            PatchError::InvalidPath(format!(
                "Unknown attribute '{name}' in the value of a path-less '{kind}'"
            ))
        })?;
        if is_writable(attribute)? {
            targets.push((attribute, value));
        }
    }
    for (attribute, value) in targets {
        rename_to_canonical(resource, attribute.name);
        set_attribute(resource, attribute, kind, value)?;
    }
    Ok(())
}

/// Ok(false) for an immutable attribute, whose changes are dropped without an error.
fn is_writable(attribute: &AttributeDef) -> Result<bool, PatchError> {
    match attribute.mutability {
        Mutability::ReadWrite => Ok(true),
        Mutability::Immutable => Ok(false),
        Mutability::ReadOnly if attribute.name == "groups" => Err(PatchError::Mutability(
            "Attribute 'groups' is read-only; change membership on the group".into(),
        )),
        Mutability::ReadOnly => Err(PatchError::Mutability(format!(
            "Attribute '{}' is read-only",
            attribute.name
        ))),
    }
}

/// Add or replace of a whole attribute (RFC 7644 §3.5.2.1 and §3.5.2.3).
fn set_attribute(
    resource: &mut Map<String, Value>,
    attribute: &AttributeDef,
    kind: PatchOpKind,
    value: &Value,
) -> Result<(), PatchError> {
    // RFC 7643 §2.5: null and unassigned are the same state.
    if value.is_null() {
        if kind == PatchOpKind::Replace || !attribute.multi_valued {
            resource.shift_remove(attribute.name);
        }
        return Ok(());
    }
    let name = attribute.name.to_string();
    if attribute.multi_valued {
        let additions = elements(attribute, value)?;
        let mut list = match kind {
            PatchOpKind::Add => take_array(resource, attribute.name),
            _ => Vec::new(),
        };
        list.extend(additions);
        resource.insert(name, Value::Array(without_repeats(list)));
        return Ok(());
    }
    match attribute.attribute_type {
        // A complex value merges: sub-attributes not given are left as they are.
        AttributeType::Complex => {
            let members = complex_value(attribute, value, false)?;
            let mut object = match resource.get_mut(attribute.name).map(Value::take) {
                Some(Value::Object(object)) => object,
                _ => Map::new(),
            };
            for (member_name, member) in members {
                set_member(&mut object, &member_name, member);
            }
            resource.insert(name, Value::Object(object));
        }
        scalar_type => {
            let scalar = scalar_value(attribute.name, scalar_type, value)?;
            resource.insert(name, scalar);
        }
    }
    Ok(())
}

fn remove(
    resource: &mut Map<String, Value>,
    attribute: &AttributeDef,
    filter: Option<&Filter>,
    sub_attribute: Option<&str>,
    value: Option<&Value>,
) -> Result<(), PatchError> {
    match (filter, sub_attribute) {
        (None, None) => match value.filter(|value| attribute.multi_valued && !value.is_null()) {
            // Entra ID removes members as `"path": "members", "value": [{"value": id}]` rather
            // than with a value filter; dropping the whole list there would lose every member.
            Some(value) => {
                let doomed: HashSet<String> = elements(attribute, value)?
                    .iter()
                    .filter_map(element_key)
                    .collect();
                let mut list = take_array(resource, attribute.name);
                list.retain(|element| {
                    element_key(element).is_none_or(|key| !doomed.contains(&key))
                });
                resource.insert(attribute.name.to_string(), Value::Array(list));
            }
            None => {
                resource.shift_remove(attribute.name);
            }
        },
        (filter, Some(sub)) => {
            for target in complex_targets(resource, attribute, filter) {
                set_member(target, sub, Value::Null);
            }
        }
        // Removing elements that are not there is a no-op (reference §5.5).
        (Some(filter), None) => {
            if let Some(Value::Array(list)) = resource.get_mut(attribute.name) {
                list.retain(|element| {
                    !element
                        .as_object()
                        .is_some_and(|element| filter.matches(element))
                });
            }
        }
    }
    Ok(())
}

/// The complex values an operation acts on: the object of a single-valued attribute, or the
/// elements of a multi-valued one that pass the filter (all of them without a filter).
fn complex_targets<'a>(
    resource: &'a mut Map<String, Value>,
    attribute: &AttributeDef,
    filter: Option<&Filter>,
) -> Vec<&'a mut Map<String, Value>> {
    match resource.get_mut(attribute.name) {
        Some(Value::Array(list)) => list
            .iter_mut()
            .filter_map(Value::as_object_mut)
            .filter(|element| filter.is_none_or(|filter| filter.matches(element)))
            .collect(),
        Some(Value::Object(object)) if filter.is_none() => vec![object],
        _ => Vec::new(),
    }
}

/// Sets a member of a complex value under its canonical name; null removes it.
fn set_member(object: &mut Map<String, Value>, name: &str, value: Value) {
    rename_to_canonical(object, name);
    if value.is_null() {
        object.shift_remove(name);
    } else {
        object.insert(name.to_string(), value);
    }
}

/// Validated elements for a multi-valued attribute; a lone object counts as a one-element
/// array, since clients send `"value": {"value": "123"}` for a single member.
fn elements(attribute: &AttributeDef, value: &Value) -> Result<Vec<Value>, PatchError> {
    let items = match value {
        Value::Array(items) => items.as_slice(),
        Value::Object(_) if attribute.attribute_type == AttributeType::Complex => {
            std::slice::from_ref(value)
        }
        _ => {
            return Err(PatchError::InvalidValue(format!(
                "Attribute '{}' is multi-valued and needs an array",
                attribute.name
            )));
        }
    };
    items
        .iter()
        .map(|item| match attribute.attribute_type {
            AttributeType::Complex => {
                let mut element = complex_value(attribute, item, true)?;
                element.retain(|_, member| !member.is_null());
                Ok(Value::Object(element))
            }
            scalar_type => scalar_value(attribute.name, scalar_type, item),
        })
        .collect()
}

/// A complex value with known sub-attributes renamed to their canonical spelling and type
/// checked; unknown members are kept, as they are on the resource itself.
fn complex_value(
    attribute: &AttributeDef,
    value: &Value,
    needs_value: bool,
) -> Result<Map<String, Value>, PatchError> {
    let Value::Object(members) = value else {
        return Err(PatchError::InvalidValue(format!(
            "Attribute '{}' needs an object with its sub-attributes",
            attribute.name
        )));
    };
    let mut canonical = Map::new();
    for (name, member) in members {
        match canonical_sub_attribute(attribute, name) {
            Some(sub) => canonical.insert(
                sub.to_string(),
                sub_attribute_value(attribute, sub, member)?,
            ),
            None => canonical.insert(name.clone(), member.clone()),
        };
    }
    if needs_value && !matches!(canonical.get("value"), Some(Value::String(_))) {
        return Err(PatchError::InvalidValue(format!(
            "Each element of '{}' needs a string 'value'",
            attribute.name
        )));
    }
    Ok(canonical)
}

fn canonical_sub_attribute(attribute: &AttributeDef, name: &str) -> Option<&'static str> {
    attribute
        .sub_attributes
        .iter()
        .copied()
        .find(|sub| sub.eq_ignore_ascii_case(name))
}

/// Every sub-attribute in our schemas is a string except `primary`.
fn sub_attribute_value(
    attribute: &AttributeDef,
    sub: &str,
    value: &Value,
) -> Result<Value, PatchError> {
    if value.is_null() {
        return Ok(Value::Null);
    }
    let sub_type = if sub == "primary" {
        AttributeType::Boolean
    } else {
        AttributeType::String
    };
    scalar_value(&format!("{}.{sub}", attribute.name), sub_type, value)
}

fn scalar_value(
    name: &str,
    attribute_type: AttributeType,
    value: &Value,
) -> Result<Value, PatchError> {
    match (attribute_type, value) {
        (AttributeType::String, Value::String(_)) | (AttributeType::Boolean, Value::Bool(_)) => {
            Ok(value.clone())
        }
        // Entra ID sends booleans as strings: `{"op": "Replace", "path": "active", "value": "False"}`.
        (AttributeType::Boolean, Value::String(text)) if text.eq_ignore_ascii_case("true") => {
            Ok(Value::Bool(true))
        }
        (AttributeType::Boolean, Value::String(text)) if text.eq_ignore_ascii_case("false") => {
            Ok(Value::Bool(false))
        }
        (AttributeType::Boolean, _) => Err(PatchError::InvalidValue(format!(
            "Attribute '{name}' needs a boolean"
        ))),
        _ => Err(PatchError::InvalidValue(format!(
            "Attribute '{name}' needs a string"
        ))),
    }
}

/// Identity of a multi-valued element: its `value` (the element itself for plain strings).
fn element_key(element: &Value) -> Option<String> {
    match element {
        Value::Object(members) => find_attribute(members, "value").map(Value::to_string),
        other => Some(other.to_string()),
    }
}

/// Keeps the first element for each `value`, so adding an existing member is a no-op.
fn without_repeats(list: Vec<Value>) -> Vec<Value> {
    let mut seen = HashSet::new();
    list.into_iter()
        .filter(|element| element_key(element).is_none_or(|key| seen.insert(key)))
        .collect()
}

/// Takes a multi-valued attribute's elements out (leaving null, so its position is kept).
fn take_array(resource: &mut Map<String, Value>, name: &str) -> Vec<Value> {
    match resource.get_mut(name).map(Value::take) {
        Some(Value::Array(list)) => list,
        _ => Vec::new(),
    }
}

/// Renames a key written in another letter case (`DisplayName`) to `canonical` in place,
/// keeping key order, so the exact-name lookups that follow find it.
fn rename_to_canonical(object: &mut Map<String, Value>, canonical: &str) {
    let is_variant = |key: &String| key != canonical && key.eq_ignore_ascii_case(canonical);
    if !object.keys().any(is_variant) {
        return;
    }
    if object.contains_key(canonical) {
        // Two spellings of one attribute: the canonical one wins.
        object.retain(|key, _| !is_variant(key));
        return;
    }
    let entries = std::mem::take(object);
    for (key, value) in entries {
        let key = if is_variant(&key) {
            canonical.to_string()
        } else {
            key
        };
        object.insert(key, value);
    }
}
