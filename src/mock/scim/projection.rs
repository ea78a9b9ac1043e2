//! Shapes SCIM list and get responses: `attributes` / `excludedAttributes` projection
//! (RFC 7644 §3.4.2.5) and the `sortBy` ordering (RFC 7644 §3.4.2.3).

use std::cmp::Ordering;

use serde_json::{Map, Value};

use super::filter::{find_attribute, strip_schema_prefix};

/// Attributes RFC 7643 marks "returned: always"; projection never drops them.
const ALWAYS_RETURNED: [&str; 2] = ["id", "schemas"];

/// Splits an `attributes` / `excludedAttributes` query value: comma-separated, trimmed,
/// empty parts dropped.
pub fn parse_attribute_list(text: &str) -> Vec<String> {
    text.split(',')
        .map(str::trim)
        .filter(|name| !name.is_empty())
        .map(str::to_string)
        .collect()
}

/// Applies `attributes` when it is non-empty (keep only those), else `excludedAttributes`
/// (drop those). RFC 7644 lets a client send only one of them. Names ignore case, may carry a
/// schema URN prefix, and may be dotted (`name.givenName`, `emails.value`) to keep or drop one
/// sub-attribute of a complex value or of every element of a multi-valued one.
pub fn project(resource: &mut Map<String, Value>, attributes: &[String], excluded: &[String]) {
    if attributes.is_empty() {
        exclude(resource, excluded);
    } else {
        keep_only(resource, attributes);
    }
}

fn keep_only(resource: &mut Map<String, Value>, attributes: &[String]) {
    let requested: Vec<(&str, Option<&str>)> =
        attributes.iter().map(|name| split_path(name)).collect();
    resource.retain(|key, value| {
        if is_always_returned(key) {
            return true;
        }
        let mut sub_attributes = Vec::new();
        for (attribute, sub) in &requested {
            if !attribute.eq_ignore_ascii_case(key) {
                continue;
            }
            match sub {
                // The whole attribute was asked for, which covers any of its sub-attributes.
                None => return true,
                Some(sub) => sub_attributes.push(*sub),
            }
        }
        if sub_attributes.is_empty() {
            return false;
        }
        retain_sub_attributes(value, |name| {
            sub_attributes
                .iter()
                .any(|sub| sub.eq_ignore_ascii_case(name))
        });
        // Asking for `name.middleName` of a user without one returns no `name` at all.
        !is_empty(value)
    });
}

fn exclude(resource: &mut Map<String, Value>, excluded: &[String]) {
    for name in excluded {
        let (attribute, sub) = split_path(name);
        if is_always_returned(attribute) {
            continue;
        }
        match sub {
            None => resource.retain(|key, _| !key.eq_ignore_ascii_case(attribute)),
            Some(sub) => {
                for (_, value) in resource
                    .iter_mut()
                    .filter(|(key, _)| key.eq_ignore_ascii_case(attribute))
                {
                    retain_sub_attributes(value, |name| !name.eq_ignore_ascii_case(sub));
                }
            }
        }
    }
}

/// Keeps the members of a complex value (or of each element of a multi-valued attribute)
/// whose names pass `keep`, dropping elements left empty.
fn retain_sub_attributes(value: &mut Value, keep: impl Fn(&str) -> bool) {
    match value {
        Value::Object(members) => members.retain(|name, _| keep(name)),
        Value::Array(elements) => {
            for element in elements.iter_mut() {
                if let Value::Object(members) = element {
                    members.retain(|name, _| keep(name));
                }
            }
            elements.retain(|element| !is_empty(element));
        }
        _ => {}
    }
}

fn is_empty(value: &Value) -> bool {
    match value {
        Value::Object(members) => members.is_empty(),
        Value::Array(elements) => elements.is_empty(),
        _ => false,
    }
}

fn is_always_returned(name: &str) -> bool {
    ALWAYS_RETURNED
        .iter()
        .any(|always| always.eq_ignore_ascii_case(name))
}

/// `urn:...:User:name.givenName` → (`name`, Some(`givenName`)).
fn split_path(path: &str) -> (&str, Option<&str>) {
    let path = strip_schema_prefix(path.trim());
    match path.split_once('.') {
        Some((attribute, sub)) => (attribute, Some(sub)),
        None => (path, None),
    }
}

/// Orders two resources by `sort_by` ascending; the caller reverses it for `descending`.
///
/// Resources without a value sort after all others. RFC 7644 §3.4.2.3 orders them "last if
/// ascending and first if descending", which is exactly what reversing this order gives.
/// Strings compare case-insensitively (caseExact=false), then byte-wise so the order is total.
pub fn compare_for_sort(a: &Map<String, Value>, b: &Map<String, Value>, sort_by: &str) -> Ordering {
    match (sort_key(a, sort_by), sort_key(b, sort_by)) {
        (Some(a), Some(b)) => compare_values(a, b),
        (Some(_), None) => Ordering::Less,
        (None, Some(_)) => Ordering::Greater,
        (None, None) => Ordering::Equal,
    }
}

/// The scalar a resource sorts by. For a multi-valued attribute that is the primary element,
/// else the first (RFC 7644 §3.4.2.3), and of a complex element its `value` unless the path
/// names another sub-attribute.
fn sort_key<'a>(resource: &'a Map<String, Value>, sort_by: &str) -> Option<&'a Value> {
    let (attribute, sub) = split_path(sort_by);
    let value = match find_attribute(resource, attribute)? {
        Value::Array(elements) => elements
            .iter()
            .find(|element| {
                let primary = element
                    .as_object()
                    .and_then(|members| find_attribute(members, "primary"));
                primary == Some(&Value::Bool(true))
            })
            .or_else(|| elements.first())?,
        single => single,
    };
    let key = match (value, sub) {
        (Value::Object(members), sub) => find_attribute(members, sub.unwrap_or("value"))?,
        (_, Some(_)) => return None,
        (scalar, None) => scalar,
    };
    match key {
        Value::Bool(_) | Value::Number(_) | Value::String(_) => Some(key),
        Value::Null | Value::Array(_) | Value::Object(_) => None,
    }
}

fn compare_values(a: &Value, b: &Value) -> Ordering {
    match (a, b) {
        (Value::String(a), Value::String(b)) => compare_ignoring_case(a, b).then_with(|| a.cmp(b)),
        (Value::Number(a), Value::Number(b)) => {
            let (a, b) = (
                a.as_f64().unwrap_or(f64::NAN),
                b.as_f64().unwrap_or(f64::NAN),
            );
            a.total_cmp(&b)
        }
        (Value::Bool(a), Value::Bool(b)) => a.cmp(b),
        // Mixed types only occur in malformed data; rank them so the order stays total.
        _ => type_rank(a).cmp(&type_rank(b)),
    }
}

/// Case-insensitive Unicode order without allocating, as a sort calls it n·log n times.
fn compare_ignoring_case(a: &str, b: &str) -> Ordering {
    if a.is_ascii() && b.is_ascii() {
        let (a, b) = (a.as_bytes(), b.as_bytes());
        for (left, right) in a.iter().zip(b) {
            let ordering = left.to_ascii_lowercase().cmp(&right.to_ascii_lowercase());
            if ordering.is_ne() {
                return ordering;
            }
        }
        return a.len().cmp(&b.len());
    }
    let folded_a = a.chars().flat_map(char::to_lowercase);
    let folded_b = b.chars().flat_map(char::to_lowercase);
    folded_a.cmp(folded_b)
}

fn type_rank(value: &Value) -> u8 {
    match value {
        Value::Bool(_) => 0,
        Value::Number(_) => 1,
        Value::String(_) => 2,
        Value::Null | Value::Array(_) | Value::Object(_) => 3,
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    fn user() -> Map<String, Value> {
        let value = json!({
            "schemas": ["urn:ietf:params:scim:schemas:core:2.0:User"],
            "id": "4187365291046583",
            "userName": "ana@example.com",
            "displayName": "Ana Silva",
            "name": {"givenName": "Ana", "familyName": "Silva"},
            "emails": [
                {"value": "ana@example.com", "type": "work", "primary": true},
                {"value": "ana@home.example", "type": "home"}
            ],
            "active": true,
            "groups": [{"value": "6029384756102938", "display": "data-eng"}]
        });
        match value {
            Value::Object(map) => map,
            _ => unreachable!("the fixture is an object"),
        }
    }

    fn projected(attributes: &str, excluded: &str) -> Value {
        let mut resource = user();
        project(
            &mut resource,
            &parse_attribute_list(attributes),
            &parse_attribute_list(excluded),
        );
        Value::Object(resource)
    }

    fn resource(value: Value) -> Map<String, Value> {
        match value {
            Value::Object(map) => map,
            _ => Map::new(),
        }
    }

    #[test]
    fn attribute_lists_are_split_trimmed_and_compacted() {
        assert_eq!(
            parse_attribute_list(" id, userName ,,displayName ,"),
            ["id", "userName", "displayName"]
        );
        assert!(parse_attribute_list(" , ").is_empty());
        assert!(parse_attribute_list("").is_empty());
    }

    #[test]
    fn attributes_keep_only_the_named_ones_plus_id_and_schemas() {
        assert_eq!(
            projected("USERNAME,displayName", ""),
            json!({
                "schemas": ["urn:ietf:params:scim:schemas:core:2.0:User"],
                "id": "4187365291046583",
                "userName": "ana@example.com",
                "displayName": "Ana Silva"
            })
        );
        assert_eq!(
            projected("nickName", ""),
            json!({"schemas": user()["schemas"], "id": user()["id"]})
        );
    }

    #[test]
    fn dotted_attributes_keep_one_sub_attribute() {
        let projected_name = projected(
            "name.givenName,urn:ietf:params:scim:schemas:core:2.0:User:emails.value",
            "",
        );
        assert_eq!(projected_name["name"], json!({"givenName": "Ana"}));
        assert_eq!(
            projected_name["emails"],
            json!([{"value": "ana@example.com"}, {"value": "ana@home.example"}])
        );
        // The whole attribute wins over one of its sub-attributes.
        assert_eq!(projected("name.givenName,name", "")["name"], user()["name"]);
        // Nothing of `name` is left, so `name` itself is not returned.
        assert!(projected("name.middleName", "").get("name").is_none());
    }

    #[test]
    fn excluded_attributes_are_dropped_but_never_id_or_schemas() {
        let without = projected("", "groups,Emails,id,schemas,name.familyName");
        let keys: Vec<&str> = without
            .as_object()
            .map(|map| map.keys().map(String::as_str).collect())
            .unwrap_or_default();
        assert_eq!(
            keys,
            ["schemas", "id", "userName", "displayName", "name", "active"]
        );
        assert_eq!(without["name"], json!({"givenName": "Ana"}));
        assert_eq!(projected("", ""), Value::Object(user()));
    }

    #[test]
    fn attributes_take_precedence_over_excluded_attributes() {
        assert_eq!(
            projected("userName", "userName")["userName"],
            "ana@example.com"
        );
    }

    #[test]
    fn strings_sort_case_insensitively_with_a_byte_wise_tiebreak() {
        let a = resource(json!({"userName": "alice"}));
        let b = resource(json!({"userName": "Bob"}));
        let b_lower = resource(json!({"userName": "bob"}));
        assert_eq!(compare_for_sort(&a, &b, "userName"), Ordering::Less);
        assert_eq!(compare_for_sort(&b, &a, "USERNAME"), Ordering::Greater);
        assert_eq!(compare_for_sort(&b, &b_lower, "userName"), Ordering::Less);
        assert_eq!(
            compare_for_sort(&b, &b.clone(), "userName"),
            Ordering::Equal
        );
    }

    #[test]
    fn numbers_and_booleans_sort_by_value() {
        let small = resource(json!({"count": 9, "active": false}));
        let large = resource(json!({"count": 10.5, "active": true}));
        assert_eq!(compare_for_sort(&small, &large, "count"), Ordering::Less);
        assert_eq!(compare_for_sort(&small, &large, "active"), Ordering::Less);
    }

    #[test]
    fn dotted_and_multi_valued_paths_use_the_primary_or_first_value() {
        let ana = user();
        let bo = resource(json!({
            "name": {"givenName": "Bo"},
            "emails": [{"value": "zz@example.com"}, {"value": "aa@example.com", "primary": true}]
        }));
        assert_eq!(
            compare_for_sort(&ana, &bo, "name.givenName"),
            Ordering::Less
        );
        // Bo's primary email (aa@) sorts before Ana's primary (ana@).
        assert_eq!(compare_for_sort(&ana, &bo, "emails"), Ordering::Greater);
        assert_eq!(
            compare_for_sort(&ana, &bo, "emails.value"),
            Ordering::Greater
        );
        let first_only = resource(json!({"emails": [{"value": "b@x"}, {"value": "a@x"}]}));
        let c = resource(json!({"emails": [{"value": "ab@x"}]}));
        assert_eq!(compare_for_sort(&c, &first_only, "emails"), Ordering::Less);
    }

    #[test]
    fn missing_values_sort_last_ascending_and_first_once_reversed() {
        let with_name = resource(json!({"id": "1", "displayName": "z"}));
        let without = resource(json!({"id": "2"}));
        let null_name = resource(json!({"id": "3", "displayName": null}));
        assert_eq!(
            compare_for_sort(&with_name, &without, "displayName"),
            Ordering::Less
        );
        assert_eq!(
            compare_for_sort(&without, &null_name, "displayName"),
            Ordering::Equal
        );
        let mut resources = vec![without.clone(), with_name.clone()];
        resources.sort_by(|a, b| compare_for_sort(a, b, "displayName").reverse());
        assert_eq!(resources, [without, with_name]);
        // A complex attribute without a sub-attribute has no sortable value.
        assert_eq!(
            compare_for_sort(&user(), &resource(json!({})), "name"),
            Ordering::Equal
        );
    }
}
