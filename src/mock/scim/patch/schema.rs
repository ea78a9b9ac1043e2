//! The attributes PATCH may touch on Users, Groups and Service principals (reference §5.4),
//! and the type checks a value must pass before it is stored.

use serde_json::{Map, Value};

use super::PatchError;

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

/// One attribute of a resource type, as PATCH needs to know it.
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

/// Validated elements for a multi-valued attribute; a lone object counts as a one-element
/// array, since clients send `"value": {"value": "123"}` for a single member.
pub(super) fn elements(attribute: &AttributeDef, value: &Value) -> Result<Vec<Value>, PatchError> {
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
pub(super) fn complex_value(
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

pub(super) fn canonical_sub_attribute(
    attribute: &AttributeDef,
    name: &str,
) -> Option<&'static str> {
    attribute
        .sub_attributes
        .iter()
        .copied()
        .find(|sub| sub.eq_ignore_ascii_case(name))
}

/// Every sub-attribute in our schemas is a string except `primary`.
pub(super) fn sub_attribute_value(
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

pub(super) fn scalar_value(
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

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    #[test]
    fn attributes_are_found_whatever_their_case() {
        let found = USER_SCHEMA
            .attribute("USERNAME")
            .map(|attribute| attribute.mutability);
        assert_eq!(found, Some(Mutability::Immutable));
        assert_eq!(
            GROUP_SCHEMA
                .attribute("members")
                .map(|attribute| attribute.multi_valued),
            Some(true)
        );
        assert!(USER_SCHEMA.attribute("members").is_none());
        assert!(
            SERVICE_PRINCIPAL_SCHEMA
                .attribute("applicationId")
                .is_some()
        );
    }

    #[test]
    fn elements_are_canonicalised_and_a_lone_object_is_wrapped() {
        let Some(roles) = USER_SCHEMA.attribute("roles") else {
            panic!("users have roles");
        };
        let wrapped = elements(
            roles,
            &json!({"VALUE": "account_admin", "Primary": "TRUE", "note": 1}),
        );
        assert_eq!(
            wrapped,
            Ok(vec![
                json!({"value": "account_admin", "primary": true, "note": 1})
            ])
        );
        let nulls_dropped = elements(roles, &json!([{"value": "a", "display": null}]));
        assert_eq!(nulls_dropped, Ok(vec![json!({"value": "a"})]));
    }
}
