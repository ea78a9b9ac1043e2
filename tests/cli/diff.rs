//! `diff` through the real binary, on a snapshot of the demo account and an edited copy.

use serde_json::{Value, json};

use crate::support::{FakeAccount, Sandbox, run, text};

fn find_mut<'a>(list: &'a mut Value, key: &str, value: &str) -> &'a mut Value {
    list.as_array_mut()
        .and_then(|items| items.iter_mut().find(|item| item[key] == value))
        .unwrap_or_else(|| panic!("no item with {key} = {value}"))
}

#[test]
fn diff_reports_drift_between_two_snapshots() {
    let fake = FakeAccount::start(&[]);
    let sandbox = Sandbox::new();
    let old_path = sandbox.snapshot(&fake, "old.json");
    let old: Value = serde_json::from_slice(&std::fs::read(&old_path).unwrap()).unwrap();

    let mut new = old.clone();
    find_mut(&mut new["users"], "userName", "ana.silva@northwind.example")["active"] = json!(false);
    find_mut(
        &mut new["custom_app_integrations"],
        "name",
        "Ops Metrics Bot",
    )["scopes"] = json!(["sql"]);
    let legacy = find_mut(&mut new["groups"], "displayName", "legacy-etl-2019");
    legacy["displayName"] = json!("legacy-etl-2019-archived");
    let fivetran = find_mut(
        &mut new["service_principals"],
        "displayName",
        "fivetran-ingest",
    )["id"]
        .as_str()
        .unwrap()
        .to_owned();
    let secrets = new["service_principal_secrets"][&fivetran]
        .as_array_mut()
        .unwrap();
    secrets.remove(0);
    let new_path = sandbox.write_json("new.json", &new);

    let mut diff = sandbox.offline_command();
    diff.args(["diff", "--format", "json"])
        .arg(&old_path)
        .arg(&new_path);
    let output = run(diff);
    assert!(output.status.success(), "{}", text(&output));
    let document: Value = serde_json::from_slice(&output.stdout).expect("JSON");
    let changes: Vec<(String, String, String, String)> = document["changes"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| {
            let field = |key: &str| c[key].as_str().unwrap_or_default().to_owned();
            (
                field("change"),
                field("resource_type"),
                field("resource_name"),
                field("field"),
            )
        })
        .collect();
    let expected = [
        (
            "changed",
            "custom_app_integration",
            "Ops Metrics Bot",
            "scopes",
        ),
        (
            "changed",
            "group",
            "legacy-etl-2019-archived",
            "display_name",
        ),
        ("removed", "service_principal_secret", "fivetran-ingest", ""),
        ("changed", "user", "ana.silva@northwind.example", "active"),
    ];
    // Ana is also an account admin, so her admin grant is unchanged: only her flag moved.
    assert_eq!(
        changes,
        expected.map(|(a, b, c, d)| (a.into(), b.into(), c.into(), d.into()))
    );
    assert_eq!(
        document["summary"],
        json!({"added": 0, "removed": 1, "changed": 3, "total": 4})
    );

    let mut table = sandbox.offline_command();
    table.arg("diff").arg(&old_path).arg(&new_path);
    let output = run(table);
    let table = String::from_utf8_lossy(&output.stdout).into_owned();
    assert!(table.starts_with("CHANGE   TYPE"), "{table}");
    assert!(table.contains("Ops Metrics Bot"), "{table}");
    assert!(
        table.ends_with("4 changes: 0 added, 1 removed, 3 changed\n"),
        "{table}"
    );

    let mut same = sandbox.offline_command();
    same.arg("diff").arg(&old_path).arg(&old_path);
    let output = run(same);
    assert!(output.status.success(), "{}", text(&output));
    assert_eq!(String::from_utf8_lossy(&output.stdout), "no changes\n");
}
