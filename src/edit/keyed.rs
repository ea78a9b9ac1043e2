//! Telling elements of a JSON list of objects apart by an identifying key, so two versions of
//! the list can be matched element by element (SCIM members by `value`, grant rules by
//! `role`) instead of by position.

use std::collections::HashSet;

use serde_json::Value;

/// Tried in order: SCIM multi-valued attributes (`members`, `groups`, `roles`) use `value`;
/// other lists of resources `id`; rule-set grant rules hold one rule per `role`.
const IDENTITY_KEYS: &[&str] = &["value", "id", "role"];

/// The key that identifies every element of every list in `lists`: each element is an object
/// holding it as a string or number, and no value repeats within a list. `None` when no key
/// does, or when the lists are empty.
pub(crate) fn identity_key(lists: &[&[Value]]) -> Option<&'static str> {
    if lists.iter().all(|list| list.is_empty()) {
        return None;
    }
    IDENTITY_KEYS.iter().copied().find(|key| {
        lists.iter().all(|list| {
            let mut seen = HashSet::new();
            list.iter()
                .all(|item| key_value(item, key).is_some_and(|value| seen.insert(value)))
        })
    })
}

/// The element's value under `key` as text, when it is a string or a number.
pub(crate) fn key_value(item: &Value, key: &str) -> Option<String> {
    match item.get(key)? {
        Value::String(text) => Some(text.clone()),
        Value::Number(number) => Some(number.to_string()),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn list(value: Value) -> Vec<Value> {
        value.as_array().unwrap().clone()
    }

    #[test]
    fn picks_the_first_key_every_element_has_uniquely() {
        let members = list(json!([{"value": "1", "display": "Ana"}, {"value": 2}]));
        assert_eq!(identity_key(&[&members, &[]]), Some("value"));
        let rules = list(json!([{"role": "roles/a", "principals": []}]));
        assert_eq!(identity_key(&[&rules]), Some("role"));
        let by_id = list(json!([{"id": "x", "value": "same"}, {"id": "y", "value": "same"}]));
        assert_eq!(
            identity_key(&[&by_id]),
            Some("id"),
            "value repeats, id does not"
        );
    }

    #[test]
    fn no_key_for_scalars_mixed_lists_or_nothing() {
        assert_eq!(identity_key(&[&list(json!(["a", "b"]))]), None);
        assert_eq!(
            identity_key(&[&list(json!([{"value": "1"}, {"other": 2}]))]),
            None
        );
        assert_eq!(
            identity_key(&[&list(json!([{"value": {"nested": 1}}]))]),
            None
        );
        assert_eq!(identity_key(&[&[], &[]]), None);
        assert_eq!(key_value(&json!({"id": 7}), "id").as_deref(), Some("7"));
    }
}
