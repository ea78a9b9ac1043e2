//! Lenient field readers over `serde_json::Value`: absent, `null` and mistyped all read as
//! "not there" (the reference says clients must treat missing, `null` and `[]` alike).

use serde_json::Value;

/// A string, or a number written as one (ids are strings in SCIM, numbers elsewhere).
pub fn text(object: &Value, key: &str) -> Option<String> {
    match object.get(key)? {
        Value::String(s) => Some(s.clone()),
        Value::Number(n) => Some(n.to_string()),
        _ => None,
    }
}

/// The string elements of an array field; other elements are skipped.
pub fn texts(object: &Value, key: &str) -> Vec<String> {
    array(object, key)
        .iter()
        .filter_map(|v| v.as_str().map(str::to_owned))
        .collect()
}

pub fn flag(object: &Value, key: &str) -> Option<bool> {
    object.get(key)?.as_bool()
}

pub fn int(object: &Value, key: &str) -> Option<i64> {
    object.get(key)?.as_i64()
}

pub fn array<'a>(object: &'a Value, key: &str) -> &'a [Value] {
    object
        .get(key)
        .and_then(Value::as_array)
        .map(Vec::as_slice)
        .unwrap_or_default()
}

/// `(key, list)` pairs of an object whose values are arrays, such as secrets by SP id.
pub fn entries<'a>(object: &'a Value, key: &str) -> impl Iterator<Item = (&'a str, &'a [Value])> {
    object
        .get(key)
        .and_then(Value::as_object)
        .into_iter()
        .flatten()
        .filter_map(|(id, list)| Some((id.as_str(), list.as_array()?.as_slice())))
}
