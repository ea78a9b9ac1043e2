//! Pure `update` tests through the public API: keys and task results in, state and effects
//! out. This file drives the console and tests `:`; moving between details and modes is in
//! `navigation/details.rs`, `/=` server filters in `navigation/filters.rs`, the other list
//! keys (sort, counts, enrichment, scrolling) in `navigation/lists.rs`.

mod details;
mod filters;
mod lists;

use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use dbx_console::api::ScimPage;
use dbx_console::app::keymap::Keymap;
use dbx_console::app::msg::{Effect, Msg, Resource, Task, TaskEvent, TaskKey, TaskOutcome};
use dbx_console::app::state::{AppState, ListState, Mode, Route};
use dbx_console::app::update::{init, update};
use serde_json::Value;

use crate::fixtures::{state_on, users};

/// Rows a page moves (the console passes the terminal's table height).
pub const PAGE: usize = 5;

pub fn press_with(state: &mut AppState, code: KeyCode, modifiers: KeyModifiers) -> Vec<Effect> {
    let key = Msg::Key(KeyEvent::new(code, modifiers));
    update(state, &Keymap::defaults(), key, PAGE)
}

pub fn press(state: &mut AppState, code: KeyCode) -> Vec<Effect> {
    press_with(state, code, KeyModifiers::NONE)
}

pub fn key(state: &mut AppState, c: char) -> Vec<Effect> {
    press(state, KeyCode::Char(c))
}

/// Types text into the command or filter line: typing itself never asks for anything.
pub fn type_text(state: &mut AppState, text: &str) {
    for c in text.chars() {
        assert_eq!(key(state, c), Vec::new(), "typing {c:?}");
    }
}

/// `:text` then Enter.
pub fn command(state: &mut AppState, text: &str) -> Vec<Effect> {
    assert_eq!(key(state, ':'), Vec::new());
    type_text(state, text);
    press(state, KeyCode::Enter)
}

/// A task result as the runner passes it on (it has already checked the generation).
pub fn deliver(state: &mut AppState, key: TaskKey, outcome: TaskOutcome) {
    let event = TaskEvent {
        key,
        generation: state.next_generation,
        outcome,
    };
    let effects = update(state, &Keymap::defaults(), Msg::Task(event), PAGE);
    assert_eq!(effects, Vec::new(), "results never start work");
}

pub fn page(state: &mut AppState, resource: Resource, items: Vec<Value>) {
    let total = state.list(resource).map_or(0, |l| l.rows.len()) + items.len();
    let page = ScimPage {
        delivered: total,
        total,
        items,
    };
    deliver(state, TaskKey::List(resource), TaskOutcome::Page(page));
}

pub fn list_done(state: &mut AppState, resource: Resource) {
    deliver(state, TaskKey::List(resource), TaskOutcome::ListDone);
}

pub fn start_list(resource: Resource, filter: Option<&str>) -> Effect {
    Effect::Start(Task::List {
        resource,
        filter: filter.map(str::to_owned),
    })
}

/// The console on `resource`'s list, its first load answered with `items`.
pub fn loaded(resource: Resource, items: Vec<Value>) -> AppState {
    let mut state = state_on(resource);
    assert_eq!(init(&mut state), vec![start_list(resource, None)]);
    page(&mut state, resource, items);
    list_done(&mut state, resource);
    state
}

pub fn list(state: &AppState, resource: Resource) -> &ListState {
    state.list(resource).expect("the list exists")
}

/// The visible rows' first cells, in display order.
pub fn names(state: &AppState, resource: Resource) -> Vec<String> {
    let list = list(state, resource);
    list.visible
        .iter()
        .map(|index| list.rows[*index].cells[0].clone())
        .collect()
}

pub fn selected_id(state: &AppState, resource: Resource) -> Option<String> {
    list(state, resource)
        .selected_row()
        .map(|row| row.id.clone())
}

fn on_users() -> AppState {
    loaded(Resource::Users, users(10))
}

#[test]
fn colon_goes_to_every_resource_by_each_of_its_names() {
    for resource in Resource::ALL {
        for alias in resource.aliases() {
            for typed in [alias.to_string(), alias.to_uppercase()] {
                let mut state = on_users();
                let effects = command(&mut state, &typed);
                assert_eq!(state.routes, vec![Route::List(resource)], ":{typed}");
                assert_eq!(state.mode, Mode::Normal);
                // The users list is loaded already: going back to it reads nothing.
                let expected = if resource == Resource::Users {
                    Vec::new()
                } else {
                    vec![start_list(resource, None)]
                };
                assert_eq!(effects, expected, ":{typed}");
            }
        }
    }
}

#[test]
fn tab_completes_each_resource_and_enter_goes_there() {
    let cases = [
        ("wo", "workspaces", Resource::Workspaces),
        ("gr", "groups", Resource::Groups),
        ("s", "service-principals", Resource::ServicePrincipals),
        ("sec", "secrets", Resource::Secrets),
        ("ap", "apps", Resource::Apps),
        ("con", "connections", Resource::Apps),
        ("pu", "published-apps", Resource::PublishedApps),
        ("fe", "federation-policies", Resource::FederationPolicies),
        ("pol", "policies", Resource::FederationPolicies),
    ];
    for (typed, completed, resource) in cases {
        let mut state = on_users();
        key(&mut state, ':');
        type_text(&mut state, typed);
        assert_eq!(press(&mut state, KeyCode::Tab), Vec::new());
        assert_eq!(state.mode, Mode::Command(completed.into()), ":{typed} Tab");
        assert_eq!(
            press(&mut state, KeyCode::Enter),
            vec![start_list(resource, None)]
        );
        assert_eq!(state.routes, vec![Route::List(resource)]);

        // Enter on the prefix alone goes to the same place.
        let mut state = on_users();
        assert_eq!(
            command(&mut state, typed),
            vec![start_list(resource, None)],
            ":{typed} Enter"
        );
    }
}

#[test]
fn colon_away_from_a_list_still_loading_cancels_it() {
    let mut state = state_on(Resource::Workspaces);
    init(&mut state);
    let effects = command(&mut state, "fed");
    assert_eq!(
        effects,
        vec![
            Effect::Cancel(TaskKey::List(Resource::Workspaces)),
            start_list(Resource::FederationPolicies, None),
        ]
    );
    // Half-loaded, so coming back reads it again.
    assert_eq!(
        command(&mut state, "ws"),
        vec![
            Effect::Cancel(TaskKey::List(Resource::FederationPolicies)),
            start_list(Resource::Workspaces, None),
        ]
    );
}
