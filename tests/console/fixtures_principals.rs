//! Groups, service principals and their secrets in the shapes the loaders produce: list rows
//! carrying `_member_counts`, `_secrets` or `_sp`, and details as `{"object": …, related…}`.

use serde_json::{Value, json};

use crate::fixtures::{groups, now, service_principals, user_detail, user_id};

/// An RFC 3339 time `days` from the fixed clock (negative: in the past).
pub fn days_from_now(days: i64) -> String {
    (now() + chrono::Duration::days(days)).to_rfc3339_opts(chrono::SecondsFormat::Secs, true)
}

pub fn group_id(index: usize) -> String {
    groups()[index]["id"]
        .as_str()
        .unwrap_or_default()
        .to_owned()
}

pub fn sp_id(index: usize) -> String {
    service_principals()[index]["id"]
        .as_str()
        .unwrap_or_default()
        .to_owned()
}

fn sp_name(index: usize) -> String {
    service_principals()[index]["displayName"]
        .as_str()
        .unwrap_or_default()
        .to_owned()
}

/// `_member_counts` as `with_counts` stores it.
fn counts(users: usize, service_principals: usize, groups: usize) -> Value {
    json!({"users": users, "service_principals": service_principals, "groups": groups, "other": 0})
}

/// The twelve fixture groups, the first five counted with `m` (one of them empty), the rest
/// not counted yet.
pub fn groups_partly_counted() -> Vec<Value> {
    let counted = [
        counts(212, 0, 0),
        counts(3, 0, 0),
        counts(2, 2, 1),
        counts(0, 0, 0),
        counts(41, 1, 0),
    ];
    groups()
        .into_iter()
        .enumerate()
        .map(|(index, mut group)| {
            if let Some(counts) = counted.get(index) {
                group["_member_counts"] = counts.clone();
            }
            group
        })
        .collect()
}

/// A member or parent reference as SCIM returns it.
fn reference(kind: &str, id: &str, display: &str) -> Value {
    json!({"value": id, "display": display, "$ref": format!("{kind}/{id}")})
}

/// A workspace assignment as `workspaces_of` builds it; `via` is the group it comes through.
pub fn assignment(workspace: (&str, u64), permission: &str, via: Option<(&str, &str)>) -> Value {
    json!({
        "workspace_id": workspace.1,
        "workspace_name": workspace.0,
        "permissions": [permission],
        "via": via.map_or(Value::Null, |(id, name)| json!({"id": id, "name": name})),
    })
}

pub const ANALYTICS_PROD: (&str, u64) = ("analytics-prod", 3_184_729_561_047_283);
pub const ANALYTICS_DEV: (&str, u64) = ("analytics-dev", 3_184_729_561_047_911);
pub const ML_PROD: (&str, u64) = ("ml-prod", 5_520_918_374_650_132);

/// `data-platform-admins` in full: users, service principals and a nested group as members,
/// one parent group, and two workspaces (one through the parent).
pub fn group_detail() -> Value {
    let object = json!({
        "schemas": ["urn:ietf:params:scim:schemas:core:2.0:Group"],
        "id": group_id(2),
        "displayName": "data-platform-admins",
        "externalId": "3f9a1c2e-5b7d-4c1e-9a2f-6d8b0e4c7a15",
        "members": [
            reference("ServicePrincipals", &sp_id(3), &sp_name(3)),
            reference("Users", &user_id(1), "Kenji Nakamura"),
            reference("Groups", &group_id(10), "unity-catalog-owners"),
            reference("Users", &user_id(0), "Inès Moreau"),
            reference("ServicePrincipals", &sp_id(0), &sp_name(0)),
        ],
        "groups": [reference("Groups", &group_id(1), "admins")],
        "meta": {"resourceType": "Group"},
    });
    json!({
        "object": object,
        "workspaces": [
            assignment(ANALYTICS_DEV, "USER", Some((&group_id(1), "admins"))),
            assignment(ANALYTICS_PROD, "ADMIN", None),
        ],
    })
}

/// A secret as the secrets API lists it; `expires_in_days: None` never expires.
pub fn secret(id: &str, created_days_ago: i64, expires_in_days: Option<i64>) -> Value {
    let mut secret = json!({
        "id": id,
        "create_time": days_from_now(-created_days_ago),
        "update_time": days_from_now(-created_days_ago),
        "status": "ACTIVE",
    });
    if let Some(days) = expires_in_days {
        secret["expire_time"] = json!(days_from_now(days));
    }
    secret
}

/// The eight fixture SPs with their secrets counted in (`_secrets`), except the last, whose
/// secrets are still being read.
pub fn service_principals_with_secrets() -> Vec<Value> {
    let secrets: [Option<Vec<Value>>; 8] = [
        Some(vec![]),
        Some(vec![secret(
            "a1b2c3d4e5f60718293a4b5c6d7e8f90",
            720,
            Some(10),
        )]),
        Some(vec![secret(
            "b2c3d4e5f6a70819203b4c5d6e7f8091",
            30,
            Some(60),
        )]),
        Some(vec![
            secret("c3d4e5f6a7b8091a213c4d5e6f708192", 800, Some(-70)),
            secret("d4e5f6a7b8c90a1b324d5e6f70819203", 30, Some(700)),
        ]),
        Some(
            (0..5)
                .map(|n| {
                    secret(
                        &format!("{n}e5f6a7b8c9d0b2c435e6f7081920314"),
                        100,
                        Some(600),
                    )
                })
                .collect(),
        ),
        Some(vec![secret(
            "f6a7b8c9d0e1b2c3546f708192031425",
            900,
            Some(-170),
        )]),
        Some(vec![secret("0718293a4b5c6d7e8f90a1b2c3d4e5f6", 200, None)]),
        None,
    ];
    service_principals()
        .into_iter()
        .zip(secrets)
        .map(|(mut sp, secrets)| {
            if let Some(secrets) = secrets {
                sp["_secrets"] = Value::Array(secrets);
            }
            sp
        })
        .collect()
}

/// The secrets of `airflow-prod` (SP 1): expired, expiring soon, never expiring, and fine.
pub fn airflow_secrets() -> Vec<Value> {
    vec![
        secret("9a8b7c6d5e4f30211203f4e5d6c7b8a9", 800, Some(-70)),
        secret("a1b2c3d4e5f60718293a4b5c6d7e8f90", 720, Some(10)),
        secret("1f2e3d4c5b6a79880897a6b5c4d3e2f1", 200, None),
        secret("5e6f708192a3b4c5d6e7f8091a2b3c4d", 30, Some(335)),
    ]
}

/// `airflow-prod` as its detail loads: secrets, a federation policy, rule-set grants, a group
/// and two workspaces (one through that group).
pub fn service_principal_detail() -> Value {
    let id = sp_id(1);
    json!({
        "object": {
            "schemas": ["urn:ietf:params:scim:schemas:core:2.0:ServicePrincipal"],
            "id": id,
            "applicationId": "5e1d9a3b-0c2f-4b8e-a6d4-7f9c1e3a5b20",
            "displayName": "airflow-prod",
            "active": true,
            "groups": [{"value": group_id(3), "display": "data-engineering", "type": "direct"}],
            "roles": [],
        },
        "secrets": airflow_secrets(),
        "policies": [{
            "name": format!("accounts/{}/servicePrincipals/{id}/federationPolicies/k8s-airflow", crate::fixtures::ACCOUNT_ID),
            "policy_id": "k8s-airflow",
            "service_principal_id": id.parse::<i64>().unwrap_or_default(),
            "oidc_policy": {
                "issuer": "https://oidc.k8s-data.northwind.example",
                "audiences": ["databricks"],
                "subject": "system:serviceaccount:airflow:scheduler",
            },
        }],
        "rule_set": {
            "name": format!("accounts/{}/servicePrincipals/5e1d9a3b-0c2f-4b8e-a6d4-7f9c1e3a5b20/ruleSets/default", crate::fixtures::ACCOUNT_ID),
            "etag": "RENUAAABAAA=",
            "grant_rules": [
                {"role": "roles/servicePrincipal.manager", "principals": ["users/ines.moreau@northwind.example", "groups/data-platform-admins"]},
                {"role": "roles/servicePrincipal.user", "principals": ["groups/data-engineering"]},
            ],
        },
        "workspaces": [
            assignment(ANALYTICS_DEV, "USER", Some((&group_id(3), "data-engineering"))),
            assignment(ANALYTICS_PROD, "USER", None),
        ],
    })
}

/// Secret rows as the secrets list delivers them (each carrying its SP in `_sp`), in the
/// order they stream in: per SP, not by expiry.
pub fn secret_rows() -> Vec<Value> {
    let sps = service_principals();
    let rows: [(usize, &str, i64, Option<i64>); 9] = [
        (1, "a1b2c3d4e5f60718293a4b5c6d7e8f90", 720, Some(10)),
        (2, "b2c3d4e5f6a70819203b4c5d6e7f8091", 30, Some(60)),
        (3, "c3d4e5f6a7b8091a213c4d5e6f708192", 800, Some(-70)),
        (3, "d4e5f6a7b8c90a1b324d5e6f70819203", 30, Some(700)),
        (4, "e5f6a7b8c9d00b2c435e6f7081920314", 100, Some(600)),
        (4, "e6f7a8b9c0d11b2c435e6f7081920314", 340, Some(3)),
        (6, "0718293a4b5c6d7e8f90a1b2c3d4e5f6", 200, None),
        (7, "18293a4b5c6d7e8f90a1b2c3d4e5f607", 5, Some(25)),
        (0, "293a4b5c6d7e8f90a1b2c3d4e5f60718", 60, Some(300)),
    ];
    rows.iter()
        .map(|(sp, id, created, expires)| {
            let mut row = secret(id, *created, *expires);
            row["_sp"] = sps[*sp].clone();
            row
        })
        .collect()
}

/// User 0 with workspace assignments through each of their groups and one direct, as the
/// user detail (and so the tree) loads it.
pub fn user_tree_detail() -> Value {
    json!({
        "object": user_detail(),
        "workspaces": [
            assignment(ANALYTICS_DEV, "USER", None),
            assignment(ANALYTICS_PROD, "ADMIN", Some(("812000000000209458", "data-platform-admins"))),
            assignment(ML_PROD, "USER", Some(("812000000000104729", "admins"))),
        ],
    })
}
