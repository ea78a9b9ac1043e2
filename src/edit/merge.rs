//! Bodies for full-replace updates (SCIM PUT, rule-set PUT, permission-assignment PUT): the
//! server replaces the whole resource with what it is sent, so every field it sent us, the
//! ones this console does not know included, must go back with the edit applied.

use serde_json::{Map, Value};

use super::keyed::{identity_key, key_value};

/// `server_object` with `edited_known_fields` laid over it:
///
/// * an edited field replaces the server's; objects are merged key by key, so unknown
///   fields nested in a known object (`name.pronunciation`) survive too;
/// * an edited list replaces the server's list (it is the new membership, say), but an
///   element matched by its identifying key (`value`, `id`, `role`) keeps the server's
///   unknown fields (a member's `$ref`);
/// * an edited `null` removes the field. Typed models leave empty fields out, so a form that
///   clears a field must say so with `null` (or `[]` for a list): a field that is simply
///   absent keeps the server's value.
pub fn merge_for_replace(server_object: &Value, edited_known_fields: &Value) -> Value {
    match (server_object, edited_known_fields) {
        (Value::Object(server), Value::Object(edited)) => {
            Value::Object(merge_objects(server, edited))
        }
        (Value::Array(server), Value::Array(edited)) => Value::Array(merge_lists(server, edited)),
        (_, edited) => edited.clone(),
    }
}

fn merge_objects(server: &Map<String, Value>, edited: &Map<String, Value>) -> Map<String, Value> {
    let mut merged = server.clone();
    for (key, value) in edited {
        if value.is_null() {
            merged.remove(key);
            continue;
        }
        let combined = match server.get(key) {
            Some(current) => merge_for_replace(current, value),
            None => value.clone(),
        };
        merged.insert(key.clone(), combined);
    }
    merged
}

fn merge_lists(server: &[Value], edited: &[Value]) -> Vec<Value> {
    let Some(key) = identity_key(&[server, edited]) else {
        return edited.to_vec();
    };
    edited
        .iter()
        .map(|item| {
            let id = key_value(item, key);
            server
                .iter()
                .find(|current| key_value(current, key) == id)
                .map_or_else(|| item.clone(), |current| merge_for_replace(current, item))
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    #[test]
    fn unknown_fields_at_every_level_survive_an_edit() {
        let server = json!({
            "schemas": ["urn:ietf:params:scim:schemas:core:2.0:Group"],
            "id": "6029", "displayName": "data-eng", "externalId": "okta-grp-42",
            "futureFlag": true,
            "meta": {"resourceType": "Group", "created": "2025-01-01"},
            "members": [
                {"value": "4187", "display": "Ana Silva", "$ref": "Users/4187", "futureMember": 1},
                {"value": "7395", "display": "ci-deployer", "$ref": "ServicePrincipals/7395"}
            ]
        });
        let edited = json!({
            "displayName": "data-engineering",
            "members": [{"value": "4187"}, {"value": "5298", "display": "Bo Chen"}]
        });
        assert_eq!(
            merge_for_replace(&server, &edited),
            json!({
                "schemas": ["urn:ietf:params:scim:schemas:core:2.0:Group"],
                "id": "6029", "displayName": "data-engineering", "externalId": "okta-grp-42",
                "futureFlag": true,
                "meta": {"resourceType": "Group", "created": "2025-01-01"},
                "members": [
                    {"value": "4187", "display": "Ana Silva", "$ref": "Users/4187", "futureMember": 1},
                    {"value": "5298", "display": "Bo Chen"}
                ]
            })
        );
    }

    #[test]
    fn nested_known_objects_keep_their_unknown_fields() {
        let server = json!({"userName": "ana@example.com",
                            "name": {"givenName": "Ana", "familyName": "Silva", "pronunciation": "AH-na"},
                            "active": true});
        let edited = json!({"name": {"familyName": "Silva-Chen"}, "active": false});
        assert_eq!(
            merge_for_replace(&server, &edited),
            json!({"userName": "ana@example.com",
                   "name": {"givenName": "Ana", "familyName": "Silva-Chen", "pronunciation": "AH-na"},
                   "active": false})
        );
    }

    #[test]
    fn null_removes_and_an_empty_list_clears() {
        let server =
            json!({"displayName": "g", "externalId": "x", "roles": [{"value": "account_admin"}]});
        let edited = json!({"externalId": null, "roles": []});
        assert_eq!(
            merge_for_replace(&server, &edited),
            json!({"displayName": "g", "roles": []})
        );
    }

    #[test]
    fn a_rule_set_keeps_its_etag_and_unknown_rule_fields() {
        let server = json!({
            "name": "accounts/a/servicePrincipals/5e0f/ruleSets/default",
            "etag": "RENUAAAB",
            "grant_rules": [{"role": "roles/servicePrincipal.manager",
                             "principals": ["users/ana@example.com"], "condition": "future"}]
        });
        let edited = json!({"grant_rules": [
            {"role": "roles/servicePrincipal.manager", "principals": ["users/ana@example.com", "groups/ops"]},
            {"role": "roles/servicePrincipal.user", "principals": ["groups/data-eng"]}]});
        let merged = merge_for_replace(&server, &edited);
        assert_eq!(merged["etag"], "RENUAAAB");
        assert_eq!(
            merged["grant_rules"],
            json!([
                {"role": "roles/servicePrincipal.manager",
                 "principals": ["users/ana@example.com", "groups/ops"], "condition": "future"},
                {"role": "roles/servicePrincipal.user", "principals": ["groups/data-eng"]}
            ])
        );
    }

    #[test]
    fn permission_assignment_principal_extras_survive() {
        let server = json!({"principal": {"principal_id": 6029, "display_name": "data-eng",
                                          "group_name": "data-eng", "future": "kept"},
                            "permissions": ["USER"], "error": null});
        let edited = json!({"permissions": ["ADMIN"]});
        let merged = merge_for_replace(&server, &edited);
        assert_eq!(merged["principal"]["future"], "kept");
        assert_eq!(merged["permissions"], json!(["ADMIN"]));
    }

    #[test]
    fn lists_without_identity_and_scalars_are_replaced() {
        let server = json!({"schemas": ["a", "b"], "active": true});
        let edited = json!({"schemas": ["c"], "active": false});
        assert_eq!(
            merge_for_replace(&server, &edited),
            json!({"schemas": ["c"], "active": false})
        );
        assert_eq!(
            merge_for_replace(&json!(1), &json!({"a": 1})),
            json!({"a": 1})
        );
    }
}
