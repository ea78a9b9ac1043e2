//! The exact request an edit will send, as lines of text for the preview pane: the request
//! line, then the JSON body pretty-printed with secrets masked.

use serde_json::Value;

use crate::redact::mask_secrets;

/// Shown in place of a body for requests that carry none (DELETE, a body-less POST).
pub const NO_BODY: &str = "(no body)";

/// `path` with its query string, encoded as the client will send it:
/// `.../federationPolicies/okta?update_mask=oidc_policy.audiences`.
pub fn request_target(path: &str, query: &[(&str, &str)]) -> String {
    if query.is_empty() {
        return path.to_owned();
    }
    // Encoding a list of string pairs cannot fail.
    let encoded = serde_urlencoded::to_string(query).unwrap_or_default();
    format!("{path}?{encoded}")
}

/// `PATCH /api/2.0/...`, a blank line, and the body (or [`NO_BODY`]). The body's secret-like
/// keys show `***`, so a preview can be shown, logged or snapshotted safely.
pub fn preview_lines(method: &str, target: &str, body: Option<&Value>) -> Vec<String> {
    let mut lines = vec![format!("{method} {target}"), String::new()];
    match body {
        None => lines.push(NO_BODY.to_owned()),
        Some(body) => {
            let pretty = serde_json::to_string_pretty(&mask_secrets(body)).unwrap_or_default();
            lines.extend(pretty.lines().map(str::to_owned));
        }
    }
    lines
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    #[test]
    fn a_patch_preview_shows_the_target_and_the_pretty_body() {
        let target = request_target(
            "/api/2.0/accounts/0d4a3e4c/federationPolicies/okta",
            &[("update_mask", "oidc_policy.audiences")],
        );
        let body = json!({"oidc_policy": {"audiences": ["databricks", "0d4a3e4c"]}});
        assert_eq!(
            preview_lines("PATCH", &target, Some(&body)),
            [
                "PATCH /api/2.0/accounts/0d4a3e4c/federationPolicies/okta?update_mask=oidc_policy.audiences",
                "",
                "{",
                "  \"oidc_policy\": {",
                "    \"audiences\": [",
                "      \"databricks\",",
                "      \"0d4a3e4c\"",
                "    ]",
                "  }",
                "}",
            ]
        );
    }

    #[test]
    fn secrets_in_the_body_are_masked() {
        let body = json!({"client_id": "c1", "client_secret": "dose-real", "inner": {"refresh_token": "r"}});
        let lines = preview_lines("POST", "/oidc/token", Some(&body));
        let text = lines.join("\n");
        assert!(text.contains("\"client_secret\": \"***\""), "{text}");
        assert!(text.contains("\"refresh_token\": \"***\""), "{text}");
        assert!(!text.contains("dose-real"));
    }

    #[test]
    fn a_delete_has_no_body_and_query_values_are_encoded() {
        assert_eq!(
            preview_lines(
                "DELETE",
                "/api/2.0/accounts/a/workspaces/1/permissionassignments/principals/2",
                None
            ),
            [
                "DELETE /api/2.0/accounts/a/workspaces/1/permissionassignments/principals/2",
                "",
                "(no body)",
            ]
        );
        assert_eq!(
            request_target(
                "/rule-sets",
                &[("name", "accounts/a/ruleSets/default"), ("etag", "")]
            ),
            "/rule-sets?name=accounts%2Fa%2FruleSets%2Fdefault&etag="
        );
        assert_eq!(request_target("/p", &[]), "/p");
    }
}
