//! `/=`: a SCIM filter sent to the server (built from what was typed), cleared by Esc with a
//! reload; lists that are not SCIM explain that they filter locally.

use crossterm::event::KeyCode;
use dbx_console::app::msg::Resource;
use dbx_console::app::state::{Mode, StatusKind};
use serde_json::Value;

use super::{key, list, list_done, loaded, names, page, press, start_list, type_text};
use crate::fixtures::{groups, user, users};

#[test]
fn slash_equals_sends_a_scim_filter_and_esc_reloads_without_it() {
    let mut state = loaded(Resource::Users, users(40));
    key(&mut state, '/');
    type_text(&mut state, "=kenji");
    assert_eq!(
        list(&state, Resource::Users).visible.len(),
        40,
        "a server filter does not filter locally while typed"
    );
    let filter = r#"userName sw "kenji" or displayName sw "kenji""#;
    assert_eq!(
        press(&mut state, KeyCode::Enter),
        vec![start_list(Resource::Users, Some(filter))]
    );
    assert_eq!(state.mode, Mode::Normal);
    let users_list = list(&state, Resource::Users);
    assert_eq!(users_list.server_filter.as_deref(), Some(filter));
    assert!(users_list.rows.is_empty(), "the unfiltered rows are gone");
    assert!(users_list.is_loading);

    let kenjis: Vec<Value> = [1, 27].into_iter().map(user).collect();
    page(&mut state, Resource::Users, kenjis);
    list_done(&mut state, Resource::Users);
    assert_eq!(
        names(&state, Resource::Users),
        [
            "kenji.nakamura@northwind.example",
            "kenji.murphy@northwind.example"
        ]
    );
    // `r` keeps reading with the filter.
    assert_eq!(
        key(&mut state, 'r'),
        vec![start_list(Resource::Users, Some(filter))]
    );
    list_done(&mut state, Resource::Users);

    assert_eq!(
        press(&mut state, KeyCode::Esc),
        vec![start_list(Resource::Users, None)]
    );
    let users_list = list(&state, Resource::Users);
    assert_eq!(users_list.server_filter, None);
    assert_eq!(users_list.filter, "");
}

#[test]
fn the_scim_filter_is_built_from_what_was_typed() {
    let cases = [
        (
            Resource::Users,
            r#"=o"brien"#,
            r#"userName sw "o\"brien" or displayName sw "o\"brien""#,
        ),
        (Resource::Groups, "=data", r#"displayName sw "data""#),
        (
            Resource::ServicePrincipals,
            "=jenkins",
            r#"displayName sw "jenkins""#,
        ),
        // With an operator it is sent as typed.
        (
            Resource::Groups,
            r#"=displayName co "eng""#,
            r#"displayName co "eng""#,
        ),
    ];
    for (resource, typed, expected) in cases {
        let mut state = loaded(resource, Vec::new());
        key(&mut state, '/');
        type_text(&mut state, typed);
        assert_eq!(
            press(&mut state, KeyCode::Enter),
            vec![start_list(resource, Some(expected))],
            "{typed}"
        );
    }
}

#[test]
fn esc_while_editing_an_applied_server_filter_clears_it_and_reloads() {
    let mut state = loaded(Resource::Groups, groups());
    key(&mut state, '/');
    type_text(&mut state, "=data");
    press(&mut state, KeyCode::Enter);
    list_done(&mut state, Resource::Groups);
    key(&mut state, '/');
    assert_eq!(
        press(&mut state, KeyCode::Esc),
        vec![start_list(Resource::Groups, None)]
    );
    assert_eq!(state.mode, Mode::Normal);
    assert_eq!(list(&state, Resource::Groups).server_filter, None);
}

#[test]
fn slash_equals_on_a_list_that_is_not_scim_explains_it_filters_locally() {
    for resource in [Resource::Workspaces, Resource::Secrets, Resource::Apps] {
        let mut state = loaded(resource, Vec::new());
        key(&mut state, '/');
        type_text(&mut state, "=prod");
        assert_eq!(press(&mut state, KeyCode::Enter), Vec::new());
        assert_eq!(list(&state, resource).server_filter, None);
        let status = state.status.as_ref().expect("a status");
        assert_eq!(status.kind, StatusKind::Info);
        assert_eq!(
            status.text,
            format!("{} filter locally only: type without '='", resource.title())
        );
    }
    // `=` alone sends nothing.
    let mut state = loaded(Resource::Users, users(3));
    key(&mut state, '/');
    type_text(&mut state, "= ");
    assert_eq!(press(&mut state, KeyCode::Enter), Vec::new());
}
