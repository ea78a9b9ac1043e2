//! Other ways to look at the same data: the principal tree of a user and of an SP, the raw
//! JSON, a sorted list, and a list read with a server-side SCIM filter.

use dbx_console::app::msg::Resource;
use dbx_console::app::state::{DetailMode, Sort};
use dbx_console::app::update::scim_filter;

use crate::fixtures::{loaded, state_on, user_id, users};
use crate::fixtures_account::{
    on_app_connection_detail, on_detail, on_service_principal_detail, workspaces,
};
use crate::fixtures_principals::user_tree_detail;
use crate::support::{SIZES, assert_on_screen, detail_lines, draw, screen_lines, snapshot};

#[test]
fn user_principal_tree() {
    let state = on_detail(
        Resource::Users,
        &users(40),
        &user_id(0),
        "ines.moreau@northwind.example",
        user_tree_detail(),
        DetailMode::Tree,
    );
    snapshot(
        "user_principal_tree",
        "Inès's tree ('· tree' in the title): the root marked account admin; her two groups, \
         each with the workspace it grants (ml-prod via admins, analytics-prod ADMIN via \
         data-platform-admins); analytics-dev assigned directly; the account_admin role. \
         Drawn with ├─ └─ │ joints.",
        &state,
    );
    let plain = detail_lines(&state);
    let group = plain
        .iter()
        .position(|l| l.contains("group admins"))
        .expect("the admins group node");
    assert!(
        plain[group + 1].contains("└─ workspace ml-prod  USER"),
        "the workspace a group grants hangs under it: {plain:#?}"
    );
}

#[test]
fn service_principal_tree() {
    let state = on_service_principal_detail(DetailMode::Tree);
    snapshot(
        "service_principal_tree",
        "airflow-prod's tree: its group with the workspace it grants, the direct workspace, \
         no roles, four secrets with their expiry (expired 70 d ago, in 10 d, never, in 335 d) \
         and the federation policy with issuer and subject.",
        &state,
    );
    assert_on_screen(
        &state,
        (160, 48),
        &[
            "OAuth secrets (4)",
            "EXPIRED  expires",
            "(70 d ago)",
            "never expires",
            "└─ Federation policies (1)",
            "policy k8s-airflow",
        ],
    );
}

#[test]
fn raw_json_of_an_app_connection() {
    let state = on_app_connection_detail(DetailMode::Raw);
    snapshot(
        "app_connection_raw_json",
        "`y` on Tableau Cloud: '· raw JSON' in the title and the object pretty-printed in the \
         server's key order; nothing the console added.",
        &state,
    );
    let lines = detail_lines(&state);
    assert_eq!(lines[0], "{");
    assert!(
        !lines.iter().any(|l| l.contains("\"object\"")),
        "the object itself, not the loader's envelope"
    );
}

#[test]
fn a_sorted_list_shows_an_arrow_in_the_header() {
    let mut state = state_on(Resource::Workspaces);
    let mut list = loaded(Resource::Workspaces, &workspaces());
    list.set_sort(Some(Sort {
        column: 0,
        descending: true,
    }));
    state.lists.insert(Resource::Workspaces, list);
    snapshot(
        "workspaces_list_sorted_descending",
        "Workspaces sorted by NAME ▼: research-sandbox first, analytics-dev last.",
        &state,
    );
    for (width, height) in SIZES {
        let screen = screen_lines(&draw(&state, width, height));
        assert!(screen[3].starts_with("│NAME ▼ "), "{:?}", screen[3]);
        assert!(
            screen[4].starts_with("│research-sandbox "),
            "{:?}",
            screen[4]
        );
        assert!(screen[9].starts_with("│analytics-dev "), "{:?}", screen[9]);
    }
}

#[test]
fn a_server_filtered_list_says_so_in_its_title() {
    let mut state = state_on(Resource::Users);
    let kenji: Vec<_> = users(200)
        .into_iter()
        .filter(|user| {
            user["userName"]
                .as_str()
                .is_some_and(|n| n.starts_with("kenji"))
        })
        .collect();
    assert!(!kenji.is_empty());
    let mut list = loaded(Resource::Users, &kenji);
    list.filter = "=kenji".into();
    list.server_filter = scim_filter(Resource::Users, "=kenji");
    list.apply_filter();
    state.lists.insert(Resource::Users, list);
    snapshot(
        "users_list_server_filtered",
        "Users read with `/=kenji`: the title shows the typed filter and the SCIM filter the \
         server applied (cut at 80 columns); only kenji.* users are listed, and Esc is offered \
         in the footer to clear it.",
        &state,
    );
    assert_on_screen(
        &state,
        (160, 48),
        &[r#"/=kenji server filter: userName sw "kenji" or displayName sw "kenji""#],
    );
}
