//! Placeholder until the projection module lands.
use serde_json::{Map, Value};
pub fn parse_attribute_list(text: &str) -> Vec<String> {
    text.split(',').map(str::trim).filter(|s| !s.is_empty()).map(str::to_owned).collect()
}
pub fn project(resource: &mut Map<String, Value>, attributes: &[String], excluded: &[String]) {
    if !attributes.is_empty() {
        resource.retain(|k, _| k == "id" || k == "schemas" || attributes.iter().any(|a| a.eq_ignore_ascii_case(k)));
    } else {
        resource.retain(|k, _| k == "id" || k == "schemas" || !excluded.iter().any(|a| a.eq_ignore_ascii_case(k)));
    }
}
pub fn compare_for_sort(a: &Map<String, Value>, b: &Map<String, Value>, sort_by: &str) -> std::cmp::Ordering {
    let key = |m: &Map<String, Value>| m.iter().find(|(k, _)| k.eq_ignore_ascii_case(sort_by)).map(|(_, v)| v.to_string().to_lowercase());
    key(a).cmp(&key(b))
}
