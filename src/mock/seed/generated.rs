//! Generated principals for scale tests and benchmarks: users, nested groups with up to
//! 5,000 members, service principals with 1-5 secrets, and workspaces with assignments.

use chrono::Duration;
use serde_json::json;

use super::{add_group, add_service_principal, add_user};
use crate::mock::clock;
use crate::mock::config::MockConfig;
use crate::mock::secrets::new_secret_record;
use crate::mock::state::{Account, WorkspaceRecord};

pub fn add(account: &mut Account, config: &MockConfig) {
    let users: Vec<String> = (0..config.users)
        .map(|i| {
            let name = format!("user{i:06}@scale.example");
            add_user(
                account,
                &name,
                &format!("Scale User {i:06}"),
                None,
                i % 50 != 49,
                false,
            )
        })
        .collect();
    let groups: Vec<String> = (0..config.groups)
        .map(|i| add_group(account, &format!("scale-group-{i:05}")))
        .collect();
    for (k, group_id) in groups.iter().enumerate() {
        if !users.is_empty() {
            let size = match k % 1000 {
                0 => 5000,
                x if x % 10 == 0 => 500,
                _ => 20 + k % 40,
            }
            .min(users.len());
            let start = (k * 37) % users.len();
            for offset in 0..size {
                account
                    .memberships
                    .add(group_id, &users[(start + offset) % users.len()]);
            }
        }
        // A tree of groups, ten children each, so nesting is up to four levels deep.
        if k >= 10 {
            account.memberships.add(&groups[k / 10], group_id);
        }
    }
    let now = clock::now();
    for i in 0..config.service_principals {
        let application_id = account.new_uuid();
        let id = add_service_principal(account, &format!("scale-sp-{i:05}"), &application_id, true);
        let secrets = (0..(i % 5 + 1))
            .map(|n| {
                let created = now - Duration::days(((i * 13 + n * 97) % 700) as i64);
                let lifetime = if (i + n) % 17 == 0 {
                    None
                } else {
                    Some(created + Duration::days(730))
                };
                new_secret_record(
                    &format!("dose-scale-{i}-{n}"),
                    created,
                    lifetime,
                    Vec::new(),
                )
            })
            .collect();
        account.secrets.insert(id, secrets);
    }
    for i in 0..config.workspaces {
        let workspace_id = account.new_workspace_id();
        let info = json!({
            "workspace_id": workspace_id,
            "workspace_name": format!("scale-ws-{i:03}"),
            "deployment_name": format!("scale-ws-{i:03}"),
            "account_id": account.id,
            "cloud": "aws",
            "aws_region": "us-west-2",
            "pricing_tier": "PREMIUM",
            "workspace_status": "RUNNING",
            "creation_time": (now - Duration::days(i as i64)).timestamp_millis(),
        });
        let mut record = WorkspaceRecord {
            info: info.as_object().cloned().unwrap_or_default(),
            identity_federation: true,
            assignments: Default::default(),
        };
        for group in groups
            .iter()
            .skip(i % groups.len().max(1))
            .step_by(97)
            .take(5)
        {
            if let Ok(id) = group.parse::<i64>() {
                record.assignments.insert(id, vec!["USER".into()]);
            }
        }
        account.workspaces.insert(workspace_id, record);
    }
}
