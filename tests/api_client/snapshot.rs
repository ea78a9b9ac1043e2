//! `snapshot::take` against the demo account: object for object what the fake holds,
//! group members and secrets included, never a secret value, every stage reported.

use std::collections::{BTreeMap, BTreeSet};

use dbx_console::api::models::{CreateCustomAppIntegration, CreateSecretRequest};
use dbx_console::mock::scim::collection::ScimCollection;
use dbx_console::snapshot::{self, FORMAT};
use serde_json::Value;

use crate::support::{
    DEMO_GROUP_COUNT, DEMO_SP_COUNT, DEMO_SP_WITHOUT_SECRETS, DEMO_USER_COUNT, ProgressEvent,
    RecordingProgress, admin, demo, service_principal_id,
};

const STAGES: [&str; 11] = [
    "users",
    "groups",
    "service principals",
    "group members",
    "service principal secrets",
    "service principal federation policies",
    "workspaces",
    "workspace assignments",
    "account federation policies",
    "custom app integrations",
    "published app integrations",
];

fn ids(list: &Value, key: &str) -> Vec<String> {
    list.as_array()
        .expect("an array")
        .iter()
        .map(|item| match &item[key] {
            Value::String(s) => s.clone(),
            Value::Number(n) => n.to_string(),
            other => panic!("{key} is {other}"),
        })
        .collect()
}

/// Every key anywhere in the document.
fn all_keys(value: &Value, out: &mut BTreeSet<String>) {
    match value {
        Value::Object(map) => {
            for (key, child) in map {
                out.insert(key.clone());
                all_keys(child, out);
            }
        }
        Value::Array(items) => items.iter().for_each(|item| all_keys(item, out)),
        _ => {}
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn snapshot_matches_the_fake_and_holds_no_secret() {
    let server = demo().await;
    let client = admin(&server);
    let sp = service_principal_id(&server, DEMO_SP_WITHOUT_SECRETS);
    let secret = client
        .create_service_principal_secret(&sp, &CreateSecretRequest::with_lifetime_days(7))
        .await
        .unwrap();
    let secret_plaintext = secret.secret.unwrap().expose().to_owned();
    let app = client
        .create_custom_app_integration(&CreateCustomAppIntegration {
            name: Some("snapshot-confidential".into()),
            confidential: Some(true),
            ..CreateCustomAppIntegration::default()
        })
        .await
        .unwrap();
    let client_secret = app.client_secret.unwrap().expose().to_owned();

    let progress = RecordingProgress::default();
    let document = snapshot::take(&client, &progress).await.expect("snapshot");

    assert_eq!(document["format"], FORMAT);
    assert_eq!(document["account_id"], server.account_id.as_str());
    assert_eq!(document["host"], server.host.as_str());
    assert!(document["taken_at"].is_string());

    let account = server.shared().read();
    let collection_ids =
        |kind: &ScimCollection| kind.iter().map(|(id, _)| id.clone()).collect::<Vec<_>>();
    let users = ids(&document["users"], "id");
    let groups = ids(&document["groups"], "id");
    let sps = ids(&document["service_principals"], "id");
    assert_eq!(users, collection_ids(&account.users));
    assert_eq!(groups, collection_ids(&account.groups));
    assert_eq!(sps, collection_ids(&account.service_principals));
    assert_eq!(
        (users.len(), groups.len(), sps.len()),
        (DEMO_USER_COUNT, DEMO_GROUP_COUNT, DEMO_SP_COUNT)
    );

    for group in document["groups"].as_array().unwrap() {
        let id = group["id"].as_str().unwrap();
        let members: BTreeSet<String> = group
            .get("members")
            .map(|m| ids(m, "value").into_iter().collect())
            .unwrap_or_default();
        let expected: BTreeSet<String> = account.memberships.members_of(id).cloned().collect();
        assert_eq!(members, expected, "members of group {id}");
    }
    assert!(
        document["groups"]
            .as_array()
            .unwrap()
            .iter()
            .any(|g| g.get("members").is_some())
    );

    let secrets = document["service_principal_secrets"].as_object().unwrap();
    assert_eq!(
        secrets.keys().cloned().collect::<BTreeSet<_>>(),
        sps.iter().cloned().collect::<BTreeSet<_>>()
    );
    for (sp_id, listed) in secrets {
        let expected: Vec<String> = account
            .secrets
            .get(sp_id)
            .map(|records| {
                records
                    .iter()
                    .map(|r| r.info["id"].as_str().unwrap().to_owned())
                    .collect()
            })
            .unwrap_or_default();
        assert_eq!(ids(listed, "id"), expected, "secrets of {sp_id}");
    }
    assert_eq!(secrets[&sp].as_array().unwrap().len(), 1);

    let policies = document["service_principal_federation_policies"]
        .as_object()
        .unwrap();
    for (sp_id, listed) in policies {
        let expected: Vec<String> = account
            .sp_policies
            .get(sp_id)
            .map(|p| p.keys().cloned().collect())
            .unwrap_or_default();
        assert_eq!(ids(listed, "policy_id"), expected);
    }
    assert_eq!(
        ids(&document["account_federation_policies"], "policy_id"),
        account.account_policies.keys().cloned().collect::<Vec<_>>()
    );
    assert_eq!(
        ids(&document["custom_app_integrations"], "integration_id"),
        account.custom_apps.keys().cloned().collect::<Vec<_>>()
    );
    assert_eq!(
        ids(&document["published_app_integrations"], "integration_id"),
        account
            .published_integrations
            .keys()
            .cloned()
            .collect::<Vec<_>>()
    );

    let workspaces = ids(&document["workspaces"], "workspace_id");
    assert_eq!(
        workspaces,
        account
            .workspaces
            .keys()
            .map(i64::to_string)
            .collect::<Vec<_>>()
    );
    let assignments = document["workspace_assignments"].as_object().unwrap();
    let federated: BTreeSet<String> = account
        .workspaces
        .iter()
        .filter(|(_, w)| w.identity_federation)
        .map(|(id, _)| id.to_string())
        .collect();
    assert!(
        federated.len() < account.workspaces.len(),
        "the seed has one without"
    );
    assert_eq!(
        assignments.keys().cloned().collect::<BTreeSet<_>>(),
        federated
    );
    for (workspace, listed) in assignments {
        let principals: Vec<String> = listed
            .as_array()
            .unwrap()
            .iter()
            .map(|a| a["principal"]["principal_id"].to_string())
            .collect();
        let expected: Vec<String> = account.workspaces[&workspace.parse::<i64>().unwrap()]
            .assignments
            .keys()
            .map(i64::to_string)
            .collect();
        assert_eq!(principals, expected, "assignments of {workspace}");
    }
    drop(account);

    let text = serde_json::to_string(&document).unwrap();
    assert!(
        !text.contains(&secret_plaintext),
        "an SP secret value leaked"
    );
    assert!(!text.contains(&client_secret), "a client secret leaked");
    let mut keys = BTreeSet::new();
    all_keys(&document, &mut keys);
    for forbidden in ["secret", "client_secret", "access_token", "refresh_token"] {
        assert!(!keys.contains(forbidden), "key {forbidden} in the snapshot");
    }

    let finished = progress.finished();
    let expected_stages: BTreeSet<String> = STAGES.iter().map(|s| (*s).to_owned()).collect();
    assert_eq!(
        finished.keys().cloned().collect::<BTreeSet<_>>(),
        expected_stages
    );
    let counts: BTreeMap<&str, usize> = [
        ("users", DEMO_USER_COUNT),
        ("groups", DEMO_GROUP_COUNT),
        ("service principals", DEMO_SP_COUNT),
        ("group members", DEMO_GROUP_COUNT),
        ("service principal secrets", DEMO_SP_COUNT),
        ("service principal federation policies", DEMO_SP_COUNT),
        ("workspaces", workspaces.len()),
        ("workspace assignments", federated.len()),
        (
            "custom app integrations",
            document["custom_app_integrations"]
                .as_array()
                .unwrap()
                .len(),
        ),
    ]
    .into_iter()
    .collect();
    for (stage, count) in counts {
        assert_eq!(finished[stage], count, "stage {stage}");
    }
    let user_updates: Vec<(usize, Option<usize>)> = progress
        .events()
        .into_iter()
        .filter_map(|event| match event {
            ProgressEvent::Update { stage, done, total } if stage == "users" => Some((done, total)),
            _ => None,
        })
        .collect();
    assert!(
        user_updates.len() >= 2,
        "users arrive in more than one page"
    );
    assert!(user_updates.windows(2).all(|w| w[0].0 < w[1].0));
    assert_eq!(
        user_updates.last(),
        Some(&(DEMO_USER_COUNT, Some(DEMO_USER_COUNT)))
    );
}

#[tokio::test]
async fn every_fan_out_stage_reports_reaching_its_total() {
    let server = demo().await;
    let client = admin(&server);
    let progress = RecordingProgress::default();
    snapshot::take(&client, &progress).await.expect("snapshot");
    let mut last: BTreeMap<String, (usize, Option<usize>)> = BTreeMap::new();
    for event in progress.events() {
        if let ProgressEvent::Update { stage, done, total } = event {
            last.insert(stage, (done, total));
        }
    }
    for stage in [
        "group members",
        "service principal secrets",
        "service principal federation policies",
        "workspace assignments",
    ] {
        let (done, total) = last[stage];
        assert_eq!(
            Some(done),
            total,
            "stage {stage} ended at {done} of {total:?}"
        );
    }
}
