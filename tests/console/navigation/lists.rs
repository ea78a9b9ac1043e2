//! List keys: sorting, member counts on demand, rows enriched after they arrive, scrolling
//! that keeps its place, and the secrets' default order.

use crossterm::event::{KeyCode, KeyModifiers};
use dbx_console::app::load::lists::with_counts;
use dbx_console::app::msg::{Effect, Resource, Task, TaskKey, TaskOutcome};
use dbx_console::app::state::{AppState, Sort};
use serde_json::{Value, json};

use super::{
    command, deliver, key, list, list_done, loaded, names, page, press, press_with, selected_id,
    start_list,
};
use crate::fixtures::{groups, service_principals, users};
use crate::fixtures_account::workspaces;
use crate::fixtures_principals::{
    group_id, groups_partly_counted, secret_rows, service_principals_with_secrets, sp_id,
};

fn status(state: &AppState) -> &str {
    state.status.as_ref().map_or("", |s| s.text.as_str())
}

/// The objects without the facts the console adds later (`_…` keys), as a first page has them.
fn bare(items: Vec<Value>) -> Vec<Value> {
    items
        .into_iter()
        .map(|mut item| {
            if let Some(object) = item.as_object_mut() {
                object.retain(|key, _| !key.starts_with('_'));
            }
            item
        })
        .collect()
}

#[test]
fn s_cycles_the_sorted_column_and_capital_s_reverses_it() {
    let mut state = loaded(Resource::Workspaces, workspaces());
    let server_order = names(&state, Resource::Workspaces);
    let mut by_name = server_order.clone();
    by_name.sort();
    key(&mut state, 'G');
    let selected = selected_id(&state, Resource::Workspaces);

    assert_eq!(key(&mut state, 's'), Vec::new(), "sorting reads nothing");
    assert_eq!(names(&state, Resource::Workspaces), by_name);
    assert_eq!(status(&state), "Sorted by name (ascending)");
    assert_eq!(
        selected_id(&state, Resource::Workspaces),
        selected,
        "the same workspace stays selected"
    );

    key(&mut state, 'S');
    let mut descending = by_name.clone();
    descending.reverse();
    assert_eq!(names(&state, Resource::Workspaces), descending);
    assert_eq!(status(&state), "Sorted by name (descending)");
    key(&mut state, 'S');
    assert_eq!(names(&state, Resource::Workspaces), by_name);

    // STATUS: equal cells keep the server's order.
    key(&mut state, 's');
    assert_eq!(
        names(&state, Resource::Workspaces),
        [
            "marketing-sandbox",
            "finance-emea",
            "analytics-prod",
            "analytics-dev",
            "ml-prod",
            "research-sandbox"
        ]
    );
    // ASSIGNED (the last column): numbers by value, before the text cells.
    for _ in 0..4 {
        key(&mut state, 's');
    }
    assert_eq!(status(&state), "Sorted by assigned (ascending)");
    assert_eq!(
        names(&state, Resource::Workspaces)[..3],
        ["ml-prod", "analytics-dev", "analytics-prod"]
    );
    // Past the last column: the server's order again.
    key(&mut state, 's');
    assert_eq!(list(&state, Resource::Workspaces).sort, None);
    assert_eq!(names(&state, Resource::Workspaces), server_order);
    assert_eq!(status(&state), "In the server's order");

    // From the server's order, `S` sorts the first column descending.
    key(&mut state, 'S');
    assert_eq!(names(&state, Resource::Workspaces), descending);
}

/// The group with the members `with_counts` would count: `users` users and one SP.
fn counted(index: usize, users: usize) -> Value {
    let mut group = groups()[index].clone();
    let mut members: Vec<Value> = (0..users)
        .map(|n| json!({"value": n.to_string(), "$ref": format!("Users/{n}")}))
        .collect();
    members.push(json!({"value": sp_id(0), "$ref": format!("ServicePrincipals/{}", sp_id(0))}));
    group["members"] = Value::Array(members);
    with_counts(group)
}

#[test]
fn m_counts_the_uncounted_groups_on_screen_and_the_counts_fill_in() {
    let mut state = loaded(Resource::Groups, groups_partly_counted());
    // The first five rows on screen are counted already.
    assert_eq!(key(&mut state, 'm'), Vec::new());
    assert_eq!(status(&state), "The groups on screen are counted");

    // One row down past the window: rows 1 to 5 on screen, only row 5 uncounted.
    for _ in 0..5 {
        key(&mut state, 'j');
    }
    assert_eq!(list(&state, Resource::Groups).offset, 1);
    assert_eq!(
        key(&mut state, 'm'),
        vec![Effect::Start(Task::CountMembers(vec![group_id(5)]))]
    );

    // At the bottom: rows 7 to 11, none counted.
    key(&mut state, 'G');
    let effects = key(&mut state, 'm');
    assert_eq!(
        effects,
        vec![Effect::Start(Task::CountMembers(
            (7..12).map(group_id).collect()
        ))]
    );
    assert_eq!(status(&state), "Counting the members of 5 groups…");

    let results = (7..12).map(|index| counted(index, index)).collect();
    deliver(&mut state, TaskKey::Counts, TaskOutcome::Updated(results));
    let groups_list = list(&state, Resource::Groups);
    let members: Vec<&str> = groups_list.rows[7..]
        .iter()
        .map(|row| row.cells[2].as_str())
        .collect();
    assert_eq!(members, ["8", "9", "10", "11", "12"], "users plus the SP");
    assert_eq!(groups_list.rows[6].cells[2], "m to count", "not asked for");
    assert_eq!(selected_id(&state, Resource::Groups), Some(group_id(11)));
    deliver(&mut state, TaskKey::Counts, TaskOutcome::ListDone);
    assert_eq!(status(&state), "Members counted");
    assert_eq!(
        key(&mut state, 'm'),
        Vec::new(),
        "all on screen counted now"
    );
}

#[test]
fn m_means_nothing_outside_the_groups_list() {
    let mut state = loaded(Resource::Users, users(10));
    assert_eq!(key(&mut state, 'm'), Vec::new());
    assert_eq!(state.status, None);
}

#[test]
fn enrichment_replaces_service_principal_cells_and_keeps_the_selection() {
    let mut state = loaded(Resource::ServicePrincipals, Vec::new());
    // The console's list key, started again by `r`; pages come first, secrets later.
    key(&mut state, 'r');
    page(
        &mut state,
        Resource::ServicePrincipals,
        service_principals(),
    );
    key(&mut state, 'j');
    let cells = |state: &AppState, row: usize| {
        list(state, Resource::ServicePrincipals).rows[row].cells[3..].to_vec()
    };
    assert_eq!(cells(&state, 3), ["…", "…"], "not read yet");

    let mut batch: Vec<Value> = service_principals_with_secrets()[..4].to_vec();
    // An SP the list does not hold (created meanwhile) is ignored, not appended.
    let mut stranger = batch[0].clone();
    stranger["id"] = json!("5539999999999999");
    batch.push(stranger);
    deliver(
        &mut state,
        TaskKey::List(Resource::ServicePrincipals),
        TaskOutcome::Updated(batch),
    );
    assert_eq!(cells(&state, 3), ["1", "in 700 d"]);
    assert_eq!(cells(&state, 0), ["0", "–"]);
    assert_eq!(cells(&state, 4), ["…", "…"], "its batch is still coming");
    assert_eq!(list(&state, Resource::ServicePrincipals).rows.len(), 8);
    assert_eq!(
        selected_id(&state, Resource::ServicePrincipals),
        Some(sp_id(1))
    );

    // Sorted by SECRETS, a batch reorders the rows; the selection follows its SP.
    for _ in 0..4 {
        key(&mut state, 's');
    }
    assert_eq!(
        list(&state, Resource::ServicePrincipals).sort,
        Some(Sort {
            column: 3,
            descending: false
        })
    );
    deliver(
        &mut state,
        TaskKey::List(Resource::ServicePrincipals),
        TaskOutcome::Updated(service_principals_with_secrets()[4..].to_vec()),
    );
    assert_eq!(
        names(&state, Resource::ServicePrincipals)[..2],
        ["ci-deployer", "legacy-etl (do not use)"],
        "no active secret first"
    );
    assert_eq!(
        selected_id(&state, Resource::ServicePrincipals),
        Some(sp_id(1))
    );
}

#[test]
fn enrichment_fills_a_workspace_s_identity_federation() {
    let mut state = loaded(Resource::Workspaces, bare(workspaces()));
    let federation = |state: &AppState| -> Vec<String> {
        list(state, Resource::Workspaces)
            .rows
            .iter()
            .map(|row| row.cells[4..].join(" "))
            .collect()
    };
    assert!(federation(&state).iter().all(|cells| cells == "… …"));
    deliver(
        &mut state,
        TaskKey::List(Resource::Workspaces),
        TaskOutcome::Updated(workspaces()),
    );
    assert_eq!(
        federation(&state),
        ["yes 14", "yes 10", "yes 0", "no –", "… …", "? …"]
    );
}

#[test]
fn scrolling_moves_the_window_only_when_the_selection_leaves_it() {
    let mut state = loaded(Resource::Users, users(20));
    let mut at = |code: KeyCode, modifiers: KeyModifiers| {
        assert_eq!(press_with(&mut state, code, modifiers), Vec::new());
        let users_list = list(&state, Resource::Users);
        (users_list.selected, users_list.offset)
    };
    let plain = KeyModifiers::NONE;
    let down = KeyCode::Char('j');
    let up = KeyCode::Char('k');
    for expected in [(1, 0), (2, 0), (3, 0), (4, 0)] {
        assert_eq!(at(down, plain), expected, "inside the first window");
    }
    assert_eq!(at(down, plain), (5, 1), "one past the window: one line");
    assert_eq!(at(down, plain), (6, 2));
    for expected in [(5, 2), (4, 2), (3, 2), (2, 2)] {
        assert_eq!(at(up, plain), expected, "back up inside the window");
    }
    assert_eq!(at(up, plain), (1, 1));
    assert_eq!(at(KeyCode::Char('G'), plain), (19, 15));
    assert_eq!(at(up, plain), (18, 15));
    assert_eq!(at(KeyCode::Char('b'), KeyModifiers::CONTROL), (13, 13));
    assert_eq!(at(KeyCode::PageDown, plain), (18, 14));
    assert_eq!(at(KeyCode::Char('g'), plain), (0, 0));
}

#[test]
fn secrets_arrive_in_any_order_and_list_by_days_left() {
    let mut state = loaded(Resource::Users, users(3));
    assert_eq!(
        command(&mut state, "secrets"),
        vec![start_list(Resource::Secrets, None)]
    );
    // Secrets stream in per SP; each page merges into the expiry order.
    let rows = secret_rows();
    for chunk in rows.chunks(3) {
        page(&mut state, Resource::Secrets, chunk.to_vec());
        let days: Vec<i64> = list(&state, Resource::Secrets)
            .visible
            .iter()
            .filter_map(|index| {
                list(&state, Resource::Secrets).rows[*index].cells[4]
                    .parse()
                    .ok()
            })
            .collect();
        assert!(days.is_sorted(), "{days:?}");
    }
    list_done(&mut state, Resource::Secrets);
    let secrets = list(&state, Resource::Secrets);
    assert_eq!(
        secrets.sort,
        Some(Sort {
            column: 4,
            descending: false
        })
    );
    let days: Vec<&str> = secrets
        .visible
        .iter()
        .map(|index| secrets.rows[*index].cells[4].as_str())
        .collect();
    assert_eq!(
        days,
        ["-70", "3", "10", "25", "60", "300", "600", "700", "never"]
    );

    // The expired secret is terraform-account's (SP 3): `c` copies the secret's own id,
    // Enter opens its SP.
    assert_eq!(
        key(&mut state, 'c'),
        vec![Effect::Copy("c3d4e5f6a7b8091a213c4d5e6f708192".into())]
    );
    assert_eq!(
        press(&mut state, KeyCode::Enter),
        vec![Effect::Start(Task::Detail {
            resource: Resource::ServicePrincipals,
            id: sp_id(3),
        })]
    );
    press(&mut state, KeyCode::Esc);

    // Reversed, the secrets that never expire come first.
    key(&mut state, 'S');
    assert_eq!(names(&state, Resource::Secrets)[0], "monitoring-exporter");
}

#[test]
fn a_sorted_list_loading_for_the_first_time_keeps_the_cursor_at_the_top() {
    let mut state = loaded(Resource::Users, users(3));
    command(&mut state, "secrets");
    // The first SP's secrets are not the nearest to expire; later pages sort above them.
    let rows = secret_rows();
    for chunk in [&rows[4..7], &rows[..4], &rows[7..]] {
        page(&mut state, Resource::Secrets, chunk.to_vec());
    }
    list_done(&mut state, Resource::Secrets);
    let secrets = list(&state, Resource::Secrets);
    assert_eq!(
        (secrets.selected, secrets.offset),
        (0, 0),
        "nobody moved the cursor, yet it sits on {:?}",
        secrets.selected_row().map(|row| &row.cells[..2])
    );
}

#[test]
fn the_header_warns_about_expired_and_expiring_secrets_once_all_are_read() {
    let mut state = loaded(Resource::Users, users(3));
    let breadcrumbs = |state: &AppState| {
        crate::support::screen_lines(&crate::support::draw(state, 160, 48))[1].clone()
    };
    command(&mut state, "secrets");
    let rows = secret_rows();
    for chunk in rows.chunks(4) {
        page(&mut state, Resource::Secrets, chunk.to_vec());
        assert!(
            !breadcrumbs(&state).contains("⚠"),
            "not before all are read"
        );
    }
    list_done(&mut state, Resource::Secrets);
    // Days left -70 (expired), then 3, 10 and 25 (within 30 days).
    assert!(
        breadcrumbs(&state).contains("⚠ secrets: 3 expiring, 1 expired"),
        "{}",
        breadcrumbs(&state)
    );
    // A reload hides the count until it is complete again.
    key(&mut state, 'r');
    assert!(!breadcrumbs(&state).contains("⚠"));
    page(&mut state, Resource::Secrets, rows[..2].to_vec());
    list_done(&mut state, Resource::Secrets);
    assert!(
        breadcrumbs(&state).contains("⚠ secrets: 1 expiring, 0 expired"),
        "{}",
        breadcrumbs(&state)
    );
}
