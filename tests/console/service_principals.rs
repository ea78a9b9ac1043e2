//! Service principals and their secrets: the list with secrets counted in, an SP's detail
//! (secrets flagged, policies, rule-set roles, groups, workspaces), and the account-wide
//! secrets list sorted by days left.

use dbx_console::app::msg::Resource;
use dbx_console::app::state::DetailMode;

use crate::fixtures_account::{on_list, on_service_principal_detail};
use crate::fixtures_principals::{secret_rows, service_principals_with_secrets};
use crate::support::{SIZES, assert_on_screen, draw, screen_lines, snapshot};

/// The rows of the list's table, without borders (the header row first).
fn table(state: &dbx_console::app::state::AppState) -> Vec<String> {
    screen_lines(&draw(state, 160, 48))
        .into_iter()
        .skip(3)
        .filter_map(|line| line.strip_prefix('│').map(str::to_owned))
        .map(|line| line.trim_end_matches(['│', ' ']).to_owned())
        .filter(|line| !line.is_empty())
        .collect()
}

#[test]
fn service_principals_list_with_secrets_counted() {
    let state = on_list(
        Resource::ServicePrincipals,
        &service_principals_with_secrets(),
    );
    snapshot(
        "service_principals_list_secrets_counted",
        "Eight SPs with active secrets counted: ci-deployer 0 (–), airflow-prod 1 due in 10 d, \
         dbt-nightly 1 in 60 d, terraform-account 1 (its expired one not counted) in 700 d, \
         fivetran-ingest 5 in 600 d, the inactive legacy-etl 0 (expired only), \
         monitoring-exporter 1 'never', and mlflow-registry-sync still being read (…).",
        &state,
    );
    let list = &state.lists[&Resource::ServicePrincipals];
    let cells = |name: &str| {
        list.rows
            .iter()
            .find(|row| row.cells[0].starts_with(name))
            .map(|row| row.cells[2..].to_vec())
            .unwrap_or_else(|| panic!("no row for {name}"))
    };
    assert_eq!(cells("terraform-account"), ["yes", "1", "in 700 d"]);
    assert_eq!(cells("legacy-etl"), ["no", "0", "–"]);
    assert_eq!(cells("monitoring-exporter"), ["yes", "1", "never"]);
    assert_eq!(cells("mlflow-registry-sync"), ["yes", "…", "…"]);
}

#[test]
fn service_principal_detail_with_flagged_secrets() {
    let state = on_service_principal_detail(DetailMode::Fields);
    snapshot(
        "service_principal_detail",
        "airflow-prod: 'OAuth secrets (3 active of the cap of 5, 4 listed)': one EXPIRED (⚠ \
         expired, not counted), one due in 10 days (⚠ expires soon), one that never expires \
         (⚠ never expires) and one fine; then (160x48) its federation policy, its group, the rule-set \
         roles manager and user with their principals, no account roles, two workspaces.",
        &state,
    );
    assert_on_screen(
        &state,
        (160, 48),
        &[
            "OAuth secrets (3 active of the cap of 5, 4 listed)",
            "EXPIRED ⚠ expired",
            "ACTIVE ⚠ expires soon",
            "ACTIVE ⚠ never expires",
            "Federation policies (1)",
            "k8s-airflow",
            "Rule-set roles (2)",
            "manager",
            "users/ines.moreau@northwind.example, groups/data-platform-admins",
            "Groups (1)",
            "Workspaces (2)",
            "via group data-engineering",
        ],
    );
}

#[test]
fn secrets_list_sorted_by_days_left() {
    let state = on_list(Resource::Secrets, &secret_rows());
    snapshot(
        "secrets_list",
        "Nine secrets of six SPs, sorted by DAYS LEFT ▲ (the default): the expired one first \
         (-70, ⚠ expired), then 3, 10 and 25 (⚠ expires soon), 60, 300, 600, 700, and the \
         never-expiring one last (⚠ never expires).",
        &state,
    );
    let days: Vec<String> = table(&state)
        .iter()
        .skip(1)
        .map(|row| {
            row.split_whitespace()
                .find(|word| word.parse::<i64>().is_ok() || *word == "never")
                .unwrap_or_default()
                .to_owned()
        })
        .collect();
    assert_eq!(
        days,
        ["-70", "3", "10", "25", "60", "300", "600", "700", "never"]
    );
    for (width, height) in SIZES {
        let screen = screen_lines(&draw(&state, width, height)).join("\n");
        assert!(screen.contains("DAYS LEFT ▲"), "{screen}");
    }
}
