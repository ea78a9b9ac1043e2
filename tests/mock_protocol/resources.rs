//! The non-SCIM REST resources (reference §4, §6–§10): app integrations, SP secrets,
//! federation policies, workspaces, permission assignments and rule sets.

use std::collections::BTreeSet;

use chrono::{DateTime, Utc};
use dbx_console::mock::MockConfig;
use serde_json::{Value, json};

use crate::support::*;

const CUSTOM_APPS: &str = "/oauth2/custom-app-integrations";
const PUBLISHED: &str = "/oauth2/published-app-integrations";

fn time(value: &Value) -> DateTime<Utc> {
    let text = value
        .as_str()
        .unwrap_or_else(|| panic!("{value} is not a timestamp"));
    assert!(text.ends_with('Z'), "UTC with Z: {text}");
    DateTime::parse_from_rfc3339(text)
        .expect("RFC 3339")
        .with_timezone(&Utc)
}

fn custom_app_count(fake: &Fake) -> usize {
    fake.server.shared().read().custom_apps.len()
}

#[tokio::test]
async fn custom_app_token_ttls_out_of_range_are_invalid_parameter_value() {
    let fake = Fake::demo().await;
    let before = custom_app_count(&fake);
    let cases = [
        (
            json!({"access_token_ttl_in_minutes": 4}),
            "access_token_ttl_in_minutes must be between 5 and 1440",
        ),
        (
            json!({"access_token_ttl_in_minutes": 1441}),
            "access_token_ttl_in_minutes must be between 5 and 1440",
        ),
        (
            json!({"refresh_token_ttl_in_minutes": 129_601}),
            "refresh_token_ttl_in_minutes must be between 5 and 129600",
        ),
        (
            json!({"refresh_token_ttl_in_minutes": 4}),
            "refresh_token_ttl_in_minutes must be between 5 and 129600",
        ),
        (
            json!({"access_token_ttl_in_minutes": 120, "refresh_token_ttl_in_minutes": 60}),
            "refresh_token_ttl_in_minutes (60) must be greater than or equal to access_token_ttl_in_minutes (120)",
        ),
    ];
    for (policy, expected) in cases {
        let body = json!({"name": "ttl", "redirect_urls": ["http://localhost:7777/cb"], "token_access_policy": policy});
        let reply = fake.post(&fake.api(CUSTOM_APPS), &body).await;
        let message = assert_standard_error(&reply, 400, "INVALID_PARAMETER_VALUE");
        assert!(
            message.contains(expected),
            "{message:?} should contain {expected:?}"
        );
    }
    let edge = json!({"name": "edges", "token_access_policy": {"access_token_ttl_in_minutes": 5, "refresh_token_ttl_in_minutes": 129_600}});
    fake.post(&fake.api(CUSTOM_APPS), &edge).await.expect(200);
    assert_eq!(
        custom_app_count(&fake),
        before + 1,
        "only the valid app was created"
    );
    fake.stop().await;
}

#[tokio::test]
async fn user_authorized_scopes_must_be_a_subset_of_scopes() {
    let fake = Fake::demo().await;
    let body =
        json!({"name": "subset", "scopes": ["sql"], "user_authorized_scopes": ["sql", "all-apis"]});
    let reply = fake.post(&fake.api(CUSTOM_APPS), &body).await;
    let message = assert_standard_error(&reply, 400, "INVALID_PARAMETER_VALUE");
    assert!(
        message.contains("user_authorized_scopes") && message.contains("all-apis"),
        "{message}"
    );

    for urls in [json!(["not a url"]), json!(["/relative/cb"])] {
        let reply = fake
            .post(
                &fake.api(CUSTOM_APPS),
                &json!({"name": "bad-redirect", "redirect_urls": urls}),
            )
            .await;
        let message = assert_standard_error(&reply, 400, "INVALID_PARAMETER_VALUE");
        assert!(message.contains("redirect_urls"), "{message}");
    }

    let ok = json!({"name": "subset", "scopes": ["sql", "offline_access"], "user_authorized_scopes": ["sql"]});
    let created = fake.post(&fake.api(CUSTOM_APPS), &ok).await.expect(200);
    let id = created.json["integration_id"].as_str().unwrap().to_owned();
    let url = fake.api(&format!("{CUSTOM_APPS}/{id}"));
    let reply = fake
        .patch(&url, &json!({"scopes": ["offline_access"]}))
        .await;
    assert_standard_error(&reply, 400, "INVALID_PARAMETER_VALUE");
    assert_eq!(
        fake.get(&url).await.expect(200).json["scopes"],
        json!(["sql", "offline_access"])
    );
    fake.stop().await;
}

#[tokio::test]
async fn a_confidential_app_secret_is_returned_once_only() {
    let fake = Fake::demo().await;
    let body = json!({"name": "confidential", "confidential": true, "redirect_urls": ["https://app.example/cb"], "scopes": ["all-apis"]});
    let created = fake.post(&fake.api(CUSTOM_APPS), &body).await.expect(200);
    assert_eq!(
        keys(created.object()),
        ["client_id", "client_secret", "integration_id"].into()
    );
    let secret = created.json["client_secret"].as_str().unwrap().to_owned();
    assert!(secret.starts_with("dose") && secret.len() > 8, "{secret}");
    let id = created.json["integration_id"].as_str().unwrap().to_owned();

    let got = fake
        .get(&fake.api(&format!("{CUSTOM_APPS}/{id}")))
        .await
        .expect(200);
    assert!(!got.object().contains_key("client_secret"));
    assert!(!got.text.contains(&secret));
    assert_eq!(got.json["confidential"], json!(true));
    assert_eq!(got.json["client_id"], created.json["client_id"]);
    assert_eq!(
        got.json["created_by"],
        json!(fake.scim_id(DEMO_ADMIN).parse::<i64>().unwrap())
    );
    time(&got.json["create_time"]);

    let list = fake
        .get(&format!(
            "{}?include_creator_username=true",
            fake.api(CUSTOM_APPS)
        ))
        .await
        .expect(200);
    assert!(!list.text.contains(&secret));
    let apps = list.json["apps"].as_array().unwrap();
    assert!(apps.iter().all(|app| app.get("client_secret").is_none()));
    let mine = apps
        .iter()
        .find(|app| app["integration_id"] == json!(id))
        .expect("listed");
    assert_eq!(mine["creator_username"], json!(DEMO_ADMIN));
    let plain = fake.get(&fake.api(CUSTOM_APPS)).await.expect(200);
    let apps = plain.json["apps"].as_array().unwrap();
    assert!(
        apps.iter().all(|app| app.get("creator_username").is_none()),
        "creator_username only when asked for"
    );

    let public = fake
        .post(&fake.api(CUSTOM_APPS), &json!({"name": "public"}))
        .await
        .expect(200);
    assert_eq!(
        keys(public.object()),
        ["client_id", "integration_id"].into()
    );
    fake.stop().await;
}

#[tokio::test]
async fn custom_app_patch_replaces_only_the_fields_present() {
    let fake = Fake::demo().await;
    let body = json!({
        "name": "patch-me",
        "redirect_urls": ["http://localhost:7777/cb"],
        "scopes": ["all-apis", "offline_access"],
        "user_authorized_scopes": ["all-apis"],
        "token_access_policy": {"access_token_ttl_in_minutes": 30, "refresh_token_ttl_in_minutes": 60},
    });
    let created = fake.post(&fake.api(CUSTOM_APPS), &body).await.expect(200);
    let url = fake.api(&format!(
        "{CUSTOM_APPS}/{}",
        created.json["integration_id"].as_str().unwrap()
    ));
    let before = fake.get(&url).await.expect(200).json;

    let reply = fake
        .patch(&url, &json!({"redirect_urls": ["https://new.example/cb"]}))
        .await
        .expect(200);
    assert_eq!(reply.json, json!({}));
    let after = fake.get(&url).await.expect(200).json;
    assert_eq!(after["redirect_urls"], json!(["https://new.example/cb"]));
    for key in [
        "name",
        "scopes",
        "user_authorized_scopes",
        "token_access_policy",
        "client_id",
        "confidential",
        "create_time",
    ] {
        assert_eq!(after[key], before[key], "{key} must be untouched");
    }

    fake.patch(
        &url,
        &json!({"token_access_policy": {"access_token_ttl_in_minutes": 10}}),
    )
    .await
    .expect(200);
    let after = fake.get(&url).await.expect(200).json;
    assert_eq!(
        after["token_access_policy"],
        json!({"access_token_ttl_in_minutes": 10}),
        "the object is replaced whole"
    );
    assert_eq!(after["redirect_urls"], json!(["https://new.example/cb"]));

    fake.patch(
        &url,
        &json!({"name": "renamed", "confidential": true, "scopes": ["all-apis"]}),
    )
    .await
    .expect(200);
    let after = fake.get(&url).await.expect(200).json;
    assert_eq!(after["name"], json!("patch-me"), "name is immutable");
    assert_eq!(
        after["confidential"],
        json!(false),
        "confidential is immutable"
    );
    assert_eq!(after["scopes"], json!(["all-apis"]));

    let missing = fake.api(&format!(
        "{CUSTOM_APPS}/00000000-0000-0000-0000-000000000000"
    ));
    assert_standard_error(
        &fake.patch(&missing, &json!({"scopes": ["sql"]})).await,
        404,
        "RESOURCE_DOES_NOT_EXIST",
    );
    fake.delete(&url).await.expect(200);
    assert_standard_error(&fake.get(&url).await, 404, "RESOURCE_DOES_NOT_EXIST");
    fake.stop().await;
}

#[tokio::test]
async fn published_app_integrations_come_from_the_catalogue_once() {
    let fake = Fake::demo().await;
    let catalogue = fake
        .get(&fake.api("/oauth2/published-apps"))
        .await
        .expect(200);
    let dbt = catalogue.json["apps"]
        .as_array()
        .unwrap()
        .iter()
        .find(|app| app["app_id"] == json!("databricks-dbt-adapter"))
        .expect("dbt adapter in the catalogue")
        .clone();

    let created = fake
        .post(
            &fake.api(PUBLISHED),
            &json!({"app_id": "databricks-dbt-adapter"}),
        )
        .await
        .expect(200);
    assert_eq!(keys(created.object()), ["integration_id"].into());
    let id = created.json["integration_id"].as_str().unwrap();
    let got = fake
        .get(&fake.api(&format!("{PUBLISHED}/{id}")))
        .await
        .expect(200);
    assert_eq!(got.json["app_id"], json!("databricks-dbt-adapter"));
    assert_eq!(got.json["name"], dbt["name"]);
    assert_eq!(got.json["integration_id"], json!(id));
    assert_eq!(
        got.json["created_by"],
        json!(fake.scim_id(DEMO_ADMIN).parse::<i64>().unwrap())
    );
    time(&got.json["create_time"]);

    let duplicate = fake
        .post(
            &fake.api(PUBLISHED),
            &json!({"app_id": "databricks-dbt-adapter"}),
        )
        .await;
    assert_standard_error(&duplicate, 409, "RESOURCE_ALREADY_EXISTS");
    let unknown = fake
        .post(&fake.api(PUBLISHED), &json!({"app_id": "no-such-app"}))
        .await;
    let message = assert_standard_error(&unknown, 400, "INVALID_PARAMETER_VALUE");
    assert!(message.contains("no-such-app"), "{message}");
    let bad_policy = json!({"app_id": "databricks-vscode", "token_access_policy": {"access_token_ttl_in_minutes": 2000}});
    assert_standard_error(
        &fake.post(&fake.api(PUBLISHED), &bad_policy).await,
        400,
        "INVALID_PARAMETER_VALUE",
    );
    fake.stop().await;
}

#[tokio::test]
async fn service_principal_secrets_are_limited_and_never_listed() {
    let fake = Fake::demo().await;
    let (sp_id, _) = fake.create_service_principal("secret-holder", false).await;
    let mut plaintexts = Vec::new();

    let created = fake
        .create_secret(&sp_id, &json!({"lifetime": "7776000s"}))
        .await
        .expect(200);
    let body = created.object();
    for key in [
        "id",
        "secret",
        "secret_hash",
        "create_time",
        "update_time",
        "expire_time",
        "status",
    ] {
        assert!(body.contains_key(key), "{key} missing from {body:?}");
    }
    assert_eq!(body["status"], json!("ACTIVE"));
    assert!(body["secret"].as_str().unwrap().starts_with("dose"));
    let lifetime = time(&body["expire_time"]) - time(&body["create_time"]);
    assert_eq!(lifetime.num_seconds(), 7_776_000);
    plaintexts.push(body["secret"].as_str().unwrap().to_owned());

    let default = fake.create_secret(&sp_id, &json!({})).await.expect(200);
    let lifetime = time(&default.json["expire_time"]) - time(&default.json["create_time"]);
    assert_eq!(lifetime.num_days(), 730, "default lifetime is 730 days");
    plaintexts.push(default.json["secret"].as_str().unwrap().to_owned());

    let too_long = fake
        .create_secret(&sp_id, &json!({"lifetime": "63072001s"}))
        .await;
    assert_standard_error(&too_long, 400, "INVALID_PARAMETER_VALUE");
    let not_a_duration = fake
        .create_secret(&sp_id, &json!({"lifetime": "90 days"}))
        .await;
    assert_standard_error(&not_a_duration, 400, "INVALID_PARAMETER_VALUE");

    for _ in 0..3 {
        let created = fake
            .create_secret(&sp_id, &json!({"lifetime": "63072000s"}))
            .await
            .expect(200);
        plaintexts.push(created.json["secret"].as_str().unwrap().to_owned());
    }
    let sixth = fake.create_secret(&sp_id, &json!({})).await;
    let message = assert_standard_error(&sixth, 400, "INVALID_STATE");
    assert!(message.contains('5'), "{message}");

    let list = fake
        .get(&fake.api(&format!("/servicePrincipals/{sp_id}/credentials/secrets")))
        .await
        .expect(200);
    let secrets = list.json["secrets"].as_array().unwrap();
    assert_eq!(secrets.len(), 5);
    for secret in secrets {
        assert!(
            secret.get("secret").is_none(),
            "list must not carry the plaintext: {secret}"
        );
    }
    for plaintext in &plaintexts {
        assert!(!list.text.contains(plaintext.as_str()));
    }

    let first_id = secrets[0]["id"].as_str().unwrap();
    fake.delete(&fake.api(&format!(
        "/servicePrincipals/{sp_id}/credentials/secrets/{first_id}"
    )))
    .await
    .expect(200);
    fake.create_secret(&sp_id, &json!({})).await.expect(200);

    let unknown = fake.create_secret("1234", &json!({})).await;
    assert_standard_error(&unknown, 404, "RESOURCE_DOES_NOT_EXIST");
    fake.stop().await;
}

fn sp_policy(subject: Option<&str>) -> Value {
    let mut oidc = json!({"issuer": "https://token.actions.githubusercontent.com", "audiences": ["https://github.com/example-org"]});
    if let Some(subject) = subject {
        oidc["subject"] = json!(subject);
    }
    json!({"description": "GitHub Actions", "oidc_policy": oidc})
}

#[tokio::test]
async fn federation_policy_ids_and_subject_rules_are_enforced() {
    let fake = Fake::demo().await;
    let (sp_id, _) = fake.create_service_principal("policy-holder", false).await;
    let base = fake.api(&format!("/servicePrincipals/{sp_id}/federationPolicies"));
    let good = sp_policy(Some("repo:example-org/infra:ref:refs/heads/main"));

    for (policy_id, expected) in [
        ("GitHub", "'G'"),
        ("a", "got 1"),
        (&"a".repeat(64)[..], "got 64"),
        ("under_score", "'_'"),
    ] {
        let reply = fake
            .post(&format!("{base}?policy_id={policy_id}"), &good)
            .await;
        let message = assert_standard_error(&reply, 400, "INVALID_PARAMETER_VALUE");
        assert!(
            message.contains("policy_id") && message.contains(expected),
            "{message}"
        );
    }

    let created = fake
        .post(&format!("{base}?policy_id=github-prod"), &good)
        .await
        .expect(200);
    let policy = created.object();
    assert_eq!(policy["policy_id"], json!("github-prod"));
    assert_eq!(
        policy["name"],
        json!(format!(
            "accounts/{}/servicePrincipals/{sp_id}/federationPolicies/github-prod",
            fake.server.account_id
        ))
    );
    assert_eq!(
        policy["service_principal_id"],
        json!(sp_id.parse::<i64>().unwrap())
    );
    assert_eq!(policy["oidc_policy"], good["oidc_policy"]);
    assert!(policy["uid"].as_str().is_some_and(|u| !u.is_empty()));
    assert_eq!(time(&policy["create_time"]), time(&policy["update_time"]));

    let duplicate = fake
        .post(&format!("{base}?policy_id=github-prod"), &good)
        .await;
    assert_standard_error(&duplicate, 409, "RESOURCE_ALREADY_EXISTS");

    let generated = fake.post(&base, &good).await.expect(200);
    assert!(
        generated.json["policy_id"]
            .as_str()
            .is_some_and(|id| id.len() >= 2)
    );

    let reply = fake
        .post(&format!("{base}?policy_id=no-subject"), &sp_policy(None))
        .await;
    let message = assert_standard_error(&reply, 400, "INVALID_PARAMETER_VALUE");
    assert!(message.contains("subject"), "{message}");

    let account = fake.api("/federationPolicies");
    let reply = fake
        .post(
            &format!("{account}?policy_id=with-subject"),
            &sp_policy(Some("someone")),
        )
        .await;
    let message = assert_standard_error(&reply, 400, "INVALID_PARAMETER_VALUE");
    assert!(message.contains("subject"), "{message}");
    fake.post(
        &format!("{account}?policy_id=without-subject"),
        &sp_policy(None),
    )
    .await
    .expect(200);

    let list = fake.get(&base).await.expect(200);
    assert_eq!(list.json["policies"].as_array().unwrap().len(), 2);
    fake.stop().await;
}

#[tokio::test]
async fn federation_policy_update_mask_sets_and_clears_leaves() {
    let fake = Fake::demo().await;
    let base = fake.api("/federationPolicies");
    let body = json!({
        "description": "Okta",
        "oidc_policy": {"issuer": "https://example.okta.com/oauth2/default", "audiences": ["databricks"], "subject_claim": "email"},
    });
    fake.post(&format!("{base}?policy_id=okta-test"), &body)
        .await
        .expect(200);
    let url = format!("{base}/okta-test");

    let update = json!({"oidc_policy": {"audiences": ["databricks", fake.server.account_id]}});
    let reply = fake
        .patch(&format!("{url}?update_mask=oidc_policy.audiences"), &update)
        .await
        .expect(200);
    assert_eq!(
        reply.json["oidc_policy"],
        json!({"issuer": "https://example.okta.com/oauth2/default", "audiences": ["databricks", fake.server.account_id], "subject_claim": "email"})
    );
    assert_eq!(reply.json["description"], json!("Okta"));
    assert_eq!(fake.get(&url).await.expect(200).json, reply.json);

    let reply = fake
        .patch(
            &format!("{url}?update_mask=oidc_policy.subject_claim,description"),
            &json!({}),
        )
        .await
        .expect(200);
    assert!(
        reply.json["oidc_policy"].get("subject_claim").is_none(),
        "cleared: {}",
        reply.text
    );
    assert!(
        reply.json.get("description").is_none(),
        "cleared: {}",
        reply.text
    );
    assert_eq!(
        reply.json["oidc_policy"]["audiences"],
        json!(["databricks", fake.server.account_id])
    );

    let stored = fake.get(&url).await.expect(200).json;
    for mask in ["oidc_policy.nope", "bogus", "policy_id"] {
        let reply = fake
            .patch(
                &format!("{url}?update_mask={mask}"),
                &json!({"description": "x"}),
            )
            .await;
        let message = assert_standard_error(&reply, 400, "INVALID_PARAMETER_VALUE");
        assert!(message.contains(mask), "{message}");
    }
    assert_eq!(
        fake.get(&url).await.expect(200).json,
        stored,
        "failed updates change nothing"
    );

    let missing = fake
        .patch(
            &format!("{base}/nope-nope?update_mask=description"),
            &json!({}),
        )
        .await;
    assert_standard_error(&missing, 404, "RESOURCE_DOES_NOT_EXIST");
    fake.stop().await;
}

#[tokio::test]
async fn workspaces_list_is_a_bare_array() {
    let fake = Fake::demo().await;
    let reply = fake.get(&fake.api("/workspaces")).await.expect(200);
    let list = reply.json.as_array().expect("a bare JSON array");
    assert_eq!(list.len(), 6);
    for workspace in list {
        assert!(
            workspace["workspace_id"].is_i64(),
            "workspace_id is a number: {workspace}"
        );
        assert!(
            workspace["creation_time"].is_i64(),
            "creation_time is epoch ms"
        );
        assert_eq!(workspace["account_id"], json!(fake.server.account_id));
    }
    let names: BTreeSet<&str> = list
        .iter()
        .filter_map(|w| w["workspace_name"].as_str())
        .collect();
    assert!(names.contains("research-sandbox") && names.contains("analytics-dev"));
    let one = fake
        .get(&fake.api(&format!("/workspaces/{ANALYTICS_DEV}")))
        .await
        .expect(200);
    assert_eq!(one.json["workspace_name"], json!("analytics-dev"));
    assert_standard_error(
        &fake.get(&fake.api("/workspaces/123")).await,
        404,
        "RESOURCE_DOES_NOT_EXIST",
    );
    fake.stop().await;
}

#[tokio::test]
async fn permission_assignments_put_replace_and_remove() {
    let fake = Fake::demo().await;
    let user_id = fake.scim_id(DEMO_NON_ADMIN);
    let principal: i64 = user_id.parse().unwrap();
    let base = fake.api(&format!(
        "/workspaces/{ANALYTICS_DEV}/permissionassignments"
    ));
    let url = format!("{base}/principals/{user_id}");

    let reply = fake
        .put(&url, &json!({"permissions": ["USER", "ADMIN"]}))
        .await
        .expect(200);
    assert_eq!(
        reply.json,
        json!({
            "principal": {"principal_id": principal, "display_name": "Aarav Desai", "user_name": DEMO_NON_ADMIN},
            "permissions": ["ADMIN"],
        })
    );
    let list = fake.get(&base).await.expect(200);
    let mine: Vec<&Value> = list.json["permission_assignments"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|a| a["principal"]["principal_id"] == json!(principal))
        .collect();
    assert_eq!(mine.len(), 1);
    assert_eq!(mine[0]["permissions"], json!(["ADMIN"]));

    let reply = fake
        .put(&url, &json!({"permissions": ["USER"]}))
        .await
        .expect(200);
    assert_eq!(reply.json["permissions"], json!(["USER"]));

    fake.put(&url, &json!({"permissions": []}))
        .await
        .expect(200);
    let list = fake.get(&base).await.expect(200);
    assert!(
        list.json["permission_assignments"]
            .as_array()
            .unwrap()
            .iter()
            .all(|a| a["principal"]["principal_id"] != json!(principal)),
        "[] removes the assignment"
    );

    let group = fake
        .server
        .shared()
        .read()
        .groups
        .find_unique("data-eng")
        .unwrap()
        .to_owned();
    let reply = fake
        .put(
            &format!("{base}/principals/{group}"),
            &json!({"permissions": ["USER"]}),
        )
        .await
        .expect(200);
    assert_eq!(reply.json["principal"]["group_name"], json!("data-eng"));
    assert!(reply.json["principal"].get("user_name").is_none());

    let unknown = fake
        .put(
            &format!("{base}/principals/1234567890"),
            &json!({"permissions": ["USER"]}),
        )
        .await;
    assert_standard_error(&unknown, 404, "RESOURCE_DOES_NOT_EXIST");

    let sandbox = fake.api(&format!(
        "/workspaces/{RESEARCH_SANDBOX}/permissionassignments/principals/{user_id}"
    ));
    let reply = fake.put(&sandbox, &json!({"permissions": ["USER"]})).await;
    let message = assert_standard_error(&reply, 400, "INVALID_PARAMETER_VALUE");
    assert!(message.contains("identity federation"), "{message}");

    let levels = fake.get(&format!("{base}/permissions")).await.expect(200);
    let levels: Vec<&str> = levels.json["permissions"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|p| p["permission_level"].as_str())
        .collect();
    assert_eq!(levels, ["USER", "ADMIN"]);
    fake.stop().await;
}

#[tokio::test]
async fn rule_sets_use_etags_for_read_modify_write() {
    let fake = Fake::start(MockConfig::default()).await;
    let (_, application_id) = fake
        .create_service_principal("rule-set-target", false)
        .await;
    let name = format!(
        "accounts/{}/servicePrincipals/{application_id}/ruleSets/default",
        fake.server.account_id
    );
    let rule_sets = fake.preview("/access-control/rule-sets");

    let read = fake
        .get(&format!(
            "{rule_sets}?{}",
            query(&[("name", &name), ("etag", "")])
        ))
        .await
        .expect(200);
    assert_eq!(read.json["name"], json!(name));
    let etag = read.json["etag"].as_str().expect("etag").to_owned();
    assert!(!etag.is_empty());
    assert!(
        read.json.get("grant_rules").is_none(),
        "empty rules are omitted"
    );

    let rules = json!([{"role": "roles/servicePrincipal.manager", "principals": [format!("users/{DEMO_NON_ADMIN}"), "groups/data-eng"]}]);
    let put = |etag: &str, rules: &Value| json!({"name": name, "rule_set": {"name": name, "etag": etag, "grant_rules": rules}});
    let written = fake.put(&rule_sets, &put(&etag, &rules)).await.expect(200);
    let new_etag = written.json["etag"].as_str().unwrap().to_owned();
    assert_ne!(new_etag, etag);
    assert_eq!(written.json["grant_rules"], rules);
    assert_eq!(written.json["name"], json!(name));

    let stale = fake.put(&rule_sets, &put(&etag, &json!([]))).await;
    assert_standard_error(&stale, 409, "RESOURCE_CONFLICT");
    let read = fake
        .get(&format!(
            "{rule_sets}?{}",
            query(&[("name", &name), ("etag", "")])
        ))
        .await
        .expect(200);
    assert_eq!(read.json["etag"], json!(new_etag));
    assert_eq!(
        read.json["grant_rules"], rules,
        "the stale write changed nothing"
    );

    let unknown = json!([{"role": "roles/servicePrincipal.user", "principals": ["users/nobody@northwind.example"]}]);
    let reply = fake.put(&rule_sets, &put(&new_etag, &unknown)).await;
    let message = assert_standard_error(&reply, 400, "INVALID_PARAMETER_VALUE");
    assert!(
        message.contains("users/nobody@northwind.example"),
        "{message}"
    );

    let cleared = fake
        .put(&rule_sets, &put(&new_etag, &json!([])))
        .await
        .expect(200);
    assert!(cleared.json.get("grant_rules").is_none());
    fake.stop().await;
}

/// Follows `next_page_token` until it is absent or empty; returns every item's `key`.
async fn page_through(
    fake: &Fake,
    url: &str,
    list_key: &str,
    id_key: &str,
    page_size: usize,
    limit: usize,
) -> Vec<String> {
    let mut seen = Vec::new();
    let mut token: Option<String> = None;
    loop {
        let size = page_size.to_string();
        let mut pairs = vec![("page_size", size.as_str())];
        if let Some(token) = &token {
            pairs.push(("page_token", token.as_str()));
        }
        let reply = fake
            .get(&format!("{url}?{}", query(&pairs)))
            .await
            .expect(200);
        let items = reply.json[list_key]
            .as_array()
            .unwrap_or_else(|| panic!("no {list_key} in {}", reply.text))
            .clone();
        assert!(items.len() <= page_size);
        seen.extend(
            items
                .iter()
                .map(|item| item[id_key].as_str().unwrap().to_owned()),
        );
        match reply
            .json
            .get("next_page_token")
            .and_then(Value::as_str)
            .filter(|t| !t.is_empty())
        {
            Some(next) => token = Some(next.to_owned()),
            None => break,
        }
        assert!(seen.len() <= limit, "paging must end");
    }
    seen
}

#[tokio::test]
async fn custom_app_list_pages_with_page_size() {
    let fake = Fake::demo().await;
    let total = custom_app_count(&fake);
    assert!(total > 3, "the demo has several custom apps");
    let seen = page_through(
        &fake,
        &fake.api(CUSTOM_APPS),
        "apps",
        "integration_id",
        3,
        total,
    )
    .await;
    assert_eq!(seen.len(), total);
    assert_eq!(
        seen.iter().collect::<BTreeSet<_>>().len(),
        total,
        "no app twice"
    );
    fake.stop().await;
}

#[tokio::test]
async fn catalogue_and_secret_lists_page_with_tokens() {
    let fake = Fake::demo().await;
    let catalogue = page_through(
        &fake,
        &fake.api("/oauth2/published-apps"),
        "apps",
        "app_id",
        2,
        100,
    )
    .await;
    let expected: BTreeSet<String> = fake
        .server
        .shared()
        .read()
        .published_catalog
        .iter()
        .filter_map(|app| app["app_id"].as_str().map(str::to_owned))
        .collect();
    assert_eq!(catalogue.len(), expected.len());
    assert_eq!(catalogue.into_iter().collect::<BTreeSet<_>>(), expected);
    let first = fake
        .get(&format!(
            "{}?page_size=2",
            fake.api("/oauth2/published-apps")
        ))
        .await
        .expect(200);
    for app in first.json["apps"].as_array().unwrap() {
        let confidential = app.get("is_confidential_client");
        assert!(
            confidential.is_none() || confidential == Some(&json!(false)),
            "published apps are public: {app}"
        );
        for key in ["app_id", "client_id", "name", "redirect_urls", "scopes"] {
            assert!(app.get(key).is_some(), "{key} missing from {app}");
        }
    }

    let (sp_id, _) = fake.create_service_principal("paged-secrets", false).await;
    for _ in 0..5 {
        fake.create_secret(&sp_id, &json!({})).await.expect(200);
    }
    let url = fake.api(&format!("/servicePrincipals/{sp_id}/credentials/secrets"));
    let secrets = page_through(&fake, &url, "secrets", "id", 2, 5).await;
    assert_eq!(secrets.iter().collect::<BTreeSet<_>>().len(), 5);
    fake.stop().await;
}

#[tokio::test]
async fn published_app_integration_update_and_delete() {
    let fake = Fake::demo().await;
    let created = fake
        .post(
            &fake.api(PUBLISHED),
            &json!({"app_id": "databricks-vscode"}),
        )
        .await
        .expect(200);
    let url = fake.api(&format!(
        "{PUBLISHED}/{}",
        created.json["integration_id"].as_str().unwrap()
    ));
    let policy = json!({"access_token_ttl_in_minutes": 15, "refresh_token_ttl_in_minutes": 600});
    let reply = fake
        .patch(&url, &json!({"token_access_policy": policy}))
        .await
        .expect(200);
    assert_eq!(reply.json, json!({}));
    assert_eq!(
        fake.get(&url).await.expect(200).json["token_access_policy"],
        policy
    );
    let bad = json!({"token_access_policy": {"refresh_token_ttl_in_minutes": 200_000}});
    assert_standard_error(
        &fake.patch(&url, &bad).await,
        400,
        "INVALID_PARAMETER_VALUE",
    );
    assert_eq!(fake.delete(&url).await.expect(200).json, json!({}));
    assert_standard_error(&fake.get(&url).await, 404, "RESOURCE_DOES_NOT_EXIST");
    fake.post(
        &fake.api(PUBLISHED),
        &json!({"app_id": "databricks-vscode"}),
    )
    .await
    .expect(200);
    fake.stop().await;
}

#[tokio::test]
async fn federation_policy_crud_without_mask_and_with_star() {
    let fake = Fake::demo().await;
    let (sp_id, _) = fake.create_service_principal("crud-sp", false).await;
    let base = fake.api(&format!("/servicePrincipals/{sp_id}/federationPolicies"));
    let good = sp_policy(Some("repo:example-org/infra:ref:refs/heads/main"));

    let wrong_name =
        json!({"name": "accounts/other/federationPolicies/x", "oidc_policy": good["oidc_policy"]});
    let reply = fake
        .post(&format!("{base}?policy_id=named"), &wrong_name)
        .await;
    let message = assert_standard_error(&reply, 400, "INVALID_PARAMETER_VALUE");
    assert!(message.contains("name"), "{message}");

    fake.post(&format!("{base}?policy_id=crud"), &good)
        .await
        .expect(200);
    let url = format!("{base}/crud");
    let reply = fake
        .patch(&url, &json!({"description": "changed"}))
        .await
        .expect(200);
    assert_eq!(reply.json["description"], json!("changed"));
    assert_eq!(
        reply.json["oidc_policy"], good["oidc_policy"],
        "no mask: absent fields are kept"
    );

    let replacement = json!({"oidc_policy": {"issuer": "https://gitlab.com", "subject": "project_path:x/y:ref_type:branch:ref:main"}});
    let reply = fake
        .patch(&format!("{url}?update_mask=*"), &replacement)
        .await
        .expect(200);
    assert_eq!(reply.json["oidc_policy"], replacement["oidc_policy"]);
    assert!(
        reply.json.get("description").is_none(),
        "'*' clears unset fields: {}",
        reply.text
    );

    let cleared_subject = fake
        .patch(
            &format!("{url}?update_mask=oidc_policy.subject"),
            &json!({}),
        )
        .await;
    assert_standard_error(&cleared_subject, 400, "INVALID_PARAMETER_VALUE");

    let listed = fake.get(&base).await.expect(200);
    assert_eq!(listed.json["policies"].as_array().unwrap().len(), 1);
    assert_eq!(
        listed.json["policies"][0],
        fake.get(&url).await.expect(200).json
    );
    fake.delete(&url).await.expect(200);
    assert_standard_error(&fake.get(&url).await, 404, "RESOURCE_DOES_NOT_EXIST");
    assert_standard_error(&fake.delete(&url).await, 404, "RESOURCE_DOES_NOT_EXIST");

    for i in 0..20 {
        fake.post(&format!("{base}?policy_id=p-{i}"), &good)
            .await
            .expect(200);
    }
    let reply = fake.post(&format!("{base}?policy_id=p-20"), &good).await;
    let message = assert_standard_error(&reply, 400, "INVALID_STATE");
    assert!(message.contains("20"), "{message}");

    let unknown_sp = fake
        .get(&fake.api("/servicePrincipals/1234/federationPolicies"))
        .await;
    assert_standard_error(&unknown_sp, 404, "RESOURCE_DOES_NOT_EXIST");
    fake.stop().await;
}

#[tokio::test]
async fn permission_assignment_unsupported_values_remove_and_delete_works() {
    let fake = Fake::demo().await;
    let user_id = fake.scim_id(DEMO_NON_ADMIN);
    let base = fake.api(&format!(
        "/workspaces/{ANALYTICS_DEV}/permissionassignments"
    ));
    let url = format!("{base}/principals/{user_id}");
    let assigned = |reply: &Reply| {
        reply.json["permission_assignments"]
            .as_array()
            .unwrap()
            .iter()
            .any(|a| a["principal"]["principal_id"] == json!(user_id.parse::<i64>().unwrap()))
    };
    for removal in [json!({"permissions": ["OWNER", "admin"]}), json!({})] {
        fake.put(&url, &json!({"permissions": ["USER"]}))
            .await
            .expect(200);
        assert!(assigned(&fake.get(&base).await.expect(200)));
        fake.put(&url, &removal).await.expect(200);
        assert!(
            !assigned(&fake.get(&base).await.expect(200)),
            "{removal} removes"
        );
    }
    fake.put(&url, &json!({"permissions": ["ADMIN"]}))
        .await
        .expect(200);
    assert_eq!(fake.delete(&url).await.expect(200).json, json!({}));
    assert!(!assigned(&fake.get(&base).await.expect(200)));
    assert_standard_error(&fake.delete(&url).await, 404, "RESOURCE_DOES_NOT_EXIST");
    fake.stop().await;
}

#[tokio::test]
async fn assignable_roles_and_group_rule_sets() {
    let fake = Fake::demo().await;
    let (sp_id, application_id) = fake.create_service_principal("roles-sp", false).await;
    let roles = fake.preview("/access-control/assignable-roles");
    for id in [&sp_id, &application_id] {
        let resource = format!("accounts/{}/servicePrincipals/{id}", fake.server.account_id);
        let reply = fake
            .get(&format!("{roles}?{}", query(&[("resource", &resource)])))
            .await
            .expect(200);
        let names: BTreeSet<&str> = reply.json["roles"]
            .as_array()
            .unwrap()
            .iter()
            .filter_map(|r| r["name"].as_str())
            .collect();
        assert_eq!(
            names,
            [
                "roles/servicePrincipal.manager",
                "roles/servicePrincipal.user"
            ]
            .into()
        );
    }

    let group = fake
        .server
        .shared()
        .read()
        .groups
        .find_unique("data-eng")
        .unwrap()
        .to_owned();
    let name = format!(
        "accounts/{}/groups/{group}/ruleSets/default",
        fake.server.account_id
    );
    let rule_sets = fake.preview("/access-control/rule-sets");
    let read = fake
        .get(&format!(
            "{rule_sets}?{}",
            query(&[("name", &name), ("etag", "")])
        ))
        .await
        .expect(200);
    let etag = read.json["etag"].as_str().unwrap().to_owned();
    let rules =
        json!([{"role": "roles/group.manager", "principals": [format!("users/{DEMO_NON_ADMIN}")]}]);
    let body =
        json!({"name": name, "rule_set": {"name": name, "etag": etag, "grant_rules": rules}});
    let written = fake.put(&rule_sets, &body).await.expect(200);
    assert_eq!(written.json["grant_rules"], rules);

    let wrong_role = json!([{"role": "roles/servicePrincipal.user", "principals": [format!("users/{DEMO_NON_ADMIN}")]}]);
    let etag = written.json["etag"].as_str().unwrap();
    let body =
        json!({"name": name, "rule_set": {"name": name, "etag": etag, "grant_rules": wrong_role}});
    assert_standard_error(
        &fake.put(&rule_sets, &body).await,
        400,
        "INVALID_PARAMETER_VALUE",
    );
    fake.stop().await;
}
