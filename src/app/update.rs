//! `update`: the one place state changes. Given a message it changes the state and returns
//! the effects to run; no terminal, runtime or server needed to test it.

use crossterm::event::{KeyCode, KeyEvent, KeyEventKind, KeyModifiers};

use super::columns;
use super::editing;
use super::keymap::{Context, Keymap};
use super::msg::{Action, Effect, Msg, Resource, Task, TaskEvent, TaskKey, TaskOutcome};
use super::navigate::{self, back, go_to, open, start_detail, start_list};
use super::state::{AppState, DetailMode, Mode, Remote, Route, Sort, Status, StatusKind};

/// The first effects: load the starting list.
pub fn init(state: &mut AppState) -> Vec<Effect> {
    let mut effects = match state.route().clone() {
        Route::List(resource) => start_list(state, resource),
        Route::Detail { .. } => Vec::new(),
    };
    if state.preload_secrets && state.route() != &Route::List(Resource::Secrets) {
        effects.extend(start_list(state, Resource::Secrets));
    }
    effects
}

pub fn update(state: &mut AppState, keymap: &Keymap, msg: Msg, page_rows: usize) -> Vec<Effect> {
    match msg {
        Msg::Key(key) if key.kind != KeyEventKind::Release => {
            on_key(state, keymap, key, page_rows.max(1))
        }
        Msg::Key(_) | Msg::Resized => Vec::new(),
        Msg::Tick => {
            state.spinner = state.spinner.wrapping_add(1);
            Vec::new()
        }
        Msg::Task(event) if event.key == TaskKey::Edit => editing::on_task(state, event.outcome),
        Msg::EditorClosed { field, outcome } => editing::on_editor_closed(state, field, outcome),
        Msg::Task(event) => {
            on_task(state, event);
            Vec::new()
        }
    }
}

pub fn context(state: &AppState) -> Context {
    match state.route() {
        Route::List(_) => Context::List,
        Route::Detail { .. } => Context::Detail,
    }
}

fn on_key(state: &mut AppState, keymap: &Keymap, key: KeyEvent, page_rows: usize) -> Vec<Effect> {
    if state.editor.is_some() {
        // ctrl+c still quits from anywhere; everything else belongs to the edit.
        if key.code == KeyCode::Char('c') && key.modifiers.contains(KeyModifiers::CONTROL) {
            state.quit = true;
            return vec![Effect::Quit];
        }
        return editing::on_key(state, key);
    }
    match state.mode.clone() {
        Mode::Filter => return on_filter_key(state, key),
        Mode::Command(text) => return on_command_key(state, key, text),
        Mode::Help => {
            // Any key closes help; it is an overlay, not a place.
            state.mode = Mode::Normal;
            return Vec::new();
        }
        Mode::Normal => {}
    }
    match keymap.action(context(state), &key) {
        Some(action) => {
            // A status message lasts until the next action, like a toast.
            state.status = None;
            on_action(state, action, page_rows)
        }
        None => Vec::new(),
    }
}

fn info(state: &mut AppState, text: String) {
    state.status = Some(Status {
        kind: StatusKind::Info,
        text,
    });
}

fn on_action(state: &mut AppState, action: Action, page_rows: usize) -> Vec<Effect> {
    let route = state.route().clone();
    match action {
        Action::Quit => {
            state.quit = true;
            vec![Effect::Quit]
        }
        Action::Help => {
            state.mode = Mode::Help;
            Vec::new()
        }
        Action::StartCommand => {
            state.mode = Mode::Command(String::new());
            Vec::new()
        }
        Action::StartFilter => {
            if matches!(route, Route::List(_)) {
                state.mode = Mode::Filter;
            }
            Vec::new()
        }
        Action::Up
        | Action::Down
        | Action::PageUp
        | Action::PageDown
        | Action::Top
        | Action::Bottom => {
            move_cursor(state, &route, action, page_rows);
            Vec::new()
        }
        Action::Open if route == Route::List(Resource::Profiles) => switch_profile(state),
        Action::Open => open(state, &route, DetailMode::Fields),
        Action::RawJson => switch_mode(state, &route, DetailMode::Raw),
        Action::Tree => switch_mode(state, &route, DetailMode::Tree),
        Action::Back => back(state, &route),
        Action::Refresh => match route {
            Route::List(resource) => start_list(state, resource),
            Route::Detail { resource, id, .. } => {
                let mode = state.detail.as_ref().map_or(DetailMode::Fields, |d| d.mode);
                start_detail(state, resource, id, mode)
            }
        },
        Action::CopyId => copy_id(state, &route),
        Action::SortNext | Action::SortReverse => {
            if let Route::List(resource) = route {
                sort(state, resource, action == Action::SortReverse);
            }
            Vec::new()
        }
        Action::CountMembers => count_members(state, &route, page_rows),
        Action::New
        | Action::NewPolicy
        | Action::Edit
        | Action::Delete
        | Action::ToggleAdmin
        | Action::ToggleActive
        | Action::EditRoles => editing::begin(state, action),
        Action::Rotate => editing::rotate(state, &route),
    }
}

/// Enter on a profile: the console closes this account and opens that one (signing in if
/// needed), so no state of one account can leak into the other.
fn switch_profile(state: &mut AppState) -> Vec<Effect> {
    let Some(row) = state
        .list(Resource::Profiles)
        .and_then(|l| l.selected_row())
        .cloned()
    else {
        return Vec::new();
    };
    if row.cells.get(3).map(String::as_str) != Some("account") {
        info(
            state,
            format!(
                "{} is a workspace profile; the console needs an account profile",
                row.id
            ),
        );
        return Vec::new();
    }
    state.switch_profile = Some(row.id);
    state.quit = true;
    vec![Effect::Quit]
}

/// `y` and `t`: from a list they open the selected row in that mode; in a detail they switch
/// to it, or back to the fields when pressed again.
fn switch_mode(state: &mut AppState, route: &Route, mode: DetailMode) -> Vec<Effect> {
    match route {
        Route::List(resource) => {
            // A secret's row opens its service principal, which has a tree.
            let opens = match resource {
                Resource::Secrets => Resource::ServicePrincipals,
                other => *other,
            };
            if mode == DetailMode::Tree && !navigate::has_tree(opens) {
                info(
                    state,
                    format!("{} have no principal tree", resource.title()),
                );
                return Vec::new();
            }
            open(state, route, mode)
        }
        Route::Detail { resource, .. } => {
            if mode == DetailMode::Tree && !navigate::has_tree(*resource) {
                info(
                    state,
                    "Only users, groups and service principals have a tree".into(),
                );
                return Vec::new();
            }
            let now = state.now;
            if let Some(detail) = state.detail.as_mut() {
                detail.mode = if detail.mode == mode {
                    DetailMode::Fields
                } else {
                    mode
                };
                detail.selected = 0;
                detail.offset = 0;
                navigate::rebuild(detail, now);
            }
            Vec::new()
        }
    }
}

fn copy_id(state: &mut AppState, route: &Route) -> Vec<Effect> {
    let id = match route {
        Route::List(resource) => state
            .list(*resource)
            .and_then(|l| l.selected_row())
            .map(|r| match resource {
                // The secret's own id, not the `<sp>/<secret>` row key.
                Resource::Secrets => r.id.rsplit('/').next().unwrap_or_default().to_owned(),
                _ => r.id.clone(),
            }),
        Route::Detail { id, .. } => Some(id.clone()),
    };
    match id {
        Some(id) => {
            info(state, format!("Copied {id} to the clipboard"));
            vec![Effect::Copy(id)]
        }
        None => Vec::new(),
    }
}

/// `s` sorts by the next column (then back to the server's order); `S` flips the direction.
fn sort(state: &mut AppState, resource: Resource, reverse: bool) {
    let columns = columns::headers(resource);
    let Some(list) = state.lists.get_mut(&resource) else {
        return;
    };
    let next = match (list.sort, reverse) {
        (None, false) => Some(Sort {
            column: 0,
            descending: false,
        }),
        (Some(sort), false) if sort.column + 1 < columns.len() => Some(Sort {
            column: sort.column + 1,
            descending: false,
        }),
        (Some(_), false) => None,
        (None, true) => Some(Sort {
            column: 0,
            descending: true,
        }),
        (Some(sort), true) => Some(Sort {
            descending: !sort.descending,
            ..sort
        }),
    };
    list.set_sort(next);
    let text = match next {
        Some(sort) => format!(
            "Sorted by {} {}",
            columns[sort.column].to_lowercase(),
            if sort.descending {
                "(descending)"
            } else {
                "(ascending)"
            }
        ),
        None => "In the server's order".into(),
    };
    info(state, text);
}

/// `m` on groups: count the members of the groups on screen that are not counted yet.
fn count_members(state: &mut AppState, route: &Route, page_rows: usize) -> Vec<Effect> {
    let Route::List(Resource::Groups) = route else {
        return Vec::new();
    };
    let Some(list) = state.lists.get(&Resource::Groups) else {
        return Vec::new();
    };
    let end = (list.offset + page_rows).min(list.visible.len());
    let ids: Vec<String> = list.visible[list.offset.min(end)..end]
        .iter()
        .map(|index| &list.rows[*index])
        .filter(|row| {
            row.cells
                .get(2)
                .is_some_and(|c| c.parse::<usize>().is_err())
        })
        .map(|row| row.id.clone())
        .collect();
    if ids.is_empty() {
        info(state, "The groups on screen are counted".into());
        return Vec::new();
    }
    info(
        state,
        format!(
            "Counting the members of {} group{}…",
            ids.len(),
            if ids.len() == 1 { "" } else { "s" }
        ),
    );
    vec![Effect::Start(Task::CountMembers(ids))]
}

fn move_cursor(state: &mut AppState, route: &Route, action: Action, page_rows: usize) {
    let step = |selected: usize, last: usize| match action {
        Action::Up => selected.saturating_sub(1),
        Action::Down => (selected + 1).min(last),
        Action::PageUp => selected.saturating_sub(page_rows),
        Action::PageDown => (selected + page_rows).min(last),
        Action::Top => 0,
        Action::Bottom => last,
        _ => selected,
    };
    match route {
        Route::List(resource) => {
            let Some(list) = state.lists.get_mut(resource) else {
                return;
            };
            list.selected = step(list.selected, list.visible.len().saturating_sub(1));
            // Moving by hand ends the wait for a sticky row.
            list.sticky = None;
            list.is_cursor_moved = true;
            list.scroll_into_view(page_rows);
        }
        Route::Detail { .. } => {
            let Some(detail) = state.detail.as_mut() else {
                return;
            };
            let target = step(detail.selected, detail.lines.len().saturating_sub(1));
            // A detail has no table header: it shows one line more than a list.
            navigate::move_in_detail(detail, target, page_rows + 1);
        }
    }
}

fn on_filter_key(state: &mut AppState, key: KeyEvent) -> Vec<Effect> {
    let Route::List(resource) = state.route().clone() else {
        state.mode = Mode::Normal;
        return Vec::new();
    };
    let list = state.lists.entry(resource).or_default();
    match key.code {
        KeyCode::Enter => {
            state.mode = Mode::Normal;
            return server_filter(state, resource);
        }
        KeyCode::Esc => {
            state.mode = Mode::Normal;
            return back(state, &Route::List(resource));
        }
        KeyCode::Backspace => {
            list.filter.pop();
            list.apply_filter();
        }
        KeyCode::Char(c) if !key.modifiers.contains(KeyModifiers::CONTROL) => {
            list.filter.push(c);
            list.apply_filter();
        }
        _ => {}
    }
    Vec::new()
}

/// A filter starting with `=` goes to the server: a SCIM filter as typed when it has an
/// operator (`=displayName co "eng"`), else a prefix match on the list's name attribute.
pub fn scim_filter(resource: Resource, text: &str) -> Option<String> {
    let text = text.strip_prefix('=')?.trim();
    if text.is_empty() {
        return None;
    }
    const OPERATORS: [&str; 10] = ["eq", "ne", "co", "sw", "ew", "pr", "gt", "ge", "lt", "le"];
    let words: Vec<String> = text
        .split_whitespace()
        .map(str::to_ascii_lowercase)
        .collect();
    if words.len() >= 2 && OPERATORS.contains(&words[1].as_str()) {
        return Some(text.to_owned());
    }
    let quoted = text.replace('\\', "\\\\").replace('"', "\\\"");
    Some(match resource {
        Resource::Users => format!("userName sw \"{quoted}\" or displayName sw \"{quoted}\""),
        _ => format!("displayName sw \"{quoted}\""),
    })
}

fn server_filter(state: &mut AppState, resource: Resource) -> Vec<Effect> {
    let Some(list) = state.lists.get_mut(&resource) else {
        return Vec::new();
    };
    if !list.filter.starts_with('=') {
        return Vec::new();
    }
    if !resource.is_scim() {
        info(
            state,
            format!("{} filter locally only: type without '='", resource.title()),
        );
        return Vec::new();
    }
    match scim_filter(resource, &list.filter) {
        Some(filter) => {
            list.server_filter = Some(filter);
            list.clear_rows();
            list.selected = 0;
            list.offset = 0;
            start_list(state, resource)
        }
        None => Vec::new(),
    }
}

/// Completion: the resource whose alias starts with what was typed.
pub fn complete(text: &str) -> Option<&'static str> {
    let text = text.trim().to_ascii_lowercase();
    if text.is_empty() {
        return None;
    }
    Resource::ALL
        .iter()
        .flat_map(|r| r.aliases().iter().copied())
        .find(|alias| alias.starts_with(&text))
}

fn on_command_key(state: &mut AppState, key: KeyEvent, mut text: String) -> Vec<Effect> {
    match key.code {
        KeyCode::Esc => state.mode = Mode::Normal,
        KeyCode::Tab => {
            if let Some(completion) = complete(&text) {
                state.mode = Mode::Command(completion.to_owned());
            }
        }
        KeyCode::Enter if text.trim().is_empty() => state.mode = Mode::Normal,
        KeyCode::Enter => {
            state.mode = Mode::Normal;
            let word = if Resource::from_command(&text).is_some() {
                text.clone()
            } else {
                complete(&text).unwrap_or_default().to_owned()
            };
            return match Resource::from_command(&word) {
                Some(resource) => go_to(state, resource),
                None => {
                    state.status = Some(Status {
                        kind: StatusKind::Error,
                        text: format!(
                            "Unknown resource '{}': try ws, users, groups, sp, secrets, apps, \
                             published-apps or fed (Tab completes)",
                            text.trim()
                        ),
                    });
                    Vec::new()
                }
            };
        }
        KeyCode::Backspace => {
            text.pop();
            state.mode = Mode::Command(text);
        }
        KeyCode::Char(c) if !key.modifiers.contains(KeyModifiers::CONTROL) => {
            text.push(c);
            state.mode = Mode::Command(text);
        }
        _ => {}
    }
    Vec::new()
}

fn on_task(state: &mut AppState, event: TaskEvent) {
    let now = state.now;
    let is_secrets = event.key == TaskKey::List(Resource::Secrets);
    match (event.key, event.outcome) {
        (TaskKey::List(resource), TaskOutcome::Page(page)) => {
            let list = state
                .lists
                .entry(resource)
                .or_insert_with(|| super::state::ListState::new(columns::default_sort(resource)));
            if list.is_loading && list.total.is_none() {
                // First page of a (re)load: replace what was shown before.
                list.clear_rows();
            }
            list.total = Some(page.total);
            list.push_rows(
                page.items
                    .iter()
                    .filter_map(|value| columns::row(resource, value, now)),
            );
        }
        (TaskKey::List(resource), TaskOutcome::Updated(items)) => {
            if let Some(list) = state.lists.get_mut(&resource) {
                list.replace_rows(items.iter().filter_map(|v| columns::row(resource, v, now)));
            }
        }
        (TaskKey::Counts, TaskOutcome::Updated(items)) => {
            if let Some(list) = state.lists.get_mut(&Resource::Groups) {
                list.replace_rows(
                    items
                        .iter()
                        .filter_map(|v| columns::row(Resource::Groups, v, now)),
                );
            }
        }
        (TaskKey::Counts, TaskOutcome::ListDone) => {
            info(state, "Members counted".into());
        }
        (TaskKey::List(resource), TaskOutcome::ListDone) => {
            if let Some(list) = state.lists.get_mut(&resource) {
                list.is_loading = false;
                list.is_complete = true;
                list.sticky = None;
                if list.total.is_none() {
                    list.clear_rows();
                    list.apply_filter();
                }
                list.total = Some(list.rows.len());
            }
        }
        (TaskKey::List(resource), TaskOutcome::Failed(error)) => {
            if let Some(list) = state.lists.get_mut(&resource) {
                list.is_loading = false;
                list.error = Some(error.summary());
            }
            state.status = Some(Status::error(&error));
        }
        (TaskKey::Detail, TaskOutcome::Detail(value)) => {
            if let Some(detail) = state.detail.as_mut() {
                detail.data = Remote::Ready(value);
                navigate::rebuild(detail, now);
            }
            editing::after_detail_loaded(state);
        }
        (TaskKey::Counts, TaskOutcome::Failed(error)) => {
            state.status = Some(Status::error(&error));
        }
        (TaskKey::Detail, TaskOutcome::Failed(error)) => {
            if let Some(detail) = state.detail.as_mut() {
                let previous = detail.data.value().cloned();
                detail.data = Remote::Failed {
                    error: error.to_string(),
                    previous,
                };
                navigate::rebuild(detail, now);
            }
            state.status = Some(Status::error(&error));
        }
        (_, _) => {}
    }
    if is_secrets
        && let Some(list) = state
            .lists
            .get(&Resource::Secrets)
            .filter(|l| l.is_complete)
    {
        state.secret_flags = super::facts::SecretFlags::count(&list.rows);
    }
}

#[cfg(test)]
mod tests {
    use serde_json::{Value, json};

    use super::*;
    use crate::api::{ApiError, ApiErrorKind, ScimPage};
    use crate::app::state::Session;

    /// Rows a page moves in these tests (the real value comes from the terminal height).
    const PAGE: usize = 4;

    fn session() -> Session {
        Session {
            profile: Some("prod".into()),
            host: "https://accounts.cloud.databricks.com".into(),
            account_id: "6f1c2a9e-3b7d-4e8a-9c41-0d2b5e7f8a13".into(),
            user: Some("ines.moreau@northwind.example".into()),
            token_expires_at: None,
            read_only: false,
            snapshot: None,
        }
    }

    fn press(state: &mut AppState, code: KeyCode) -> Vec<Effect> {
        press_with(state, code, KeyModifiers::NONE)
    }

    fn press_with(state: &mut AppState, code: KeyCode, modifiers: KeyModifiers) -> Vec<Effect> {
        update(
            state,
            &Keymap::defaults(),
            Msg::Key(KeyEvent::new(code, modifiers)),
            PAGE,
        )
    }

    fn type_text(state: &mut AppState, text: &str) {
        for c in text.chars() {
            assert_eq!(press(state, KeyCode::Char(c)), Vec::new(), "typing {c:?}");
        }
    }

    fn deliver(state: &mut AppState, key: TaskKey, outcome: TaskOutcome) -> Vec<Effect> {
        let generation = state.next_generation;
        update(
            state,
            &Keymap::defaults(),
            Msg::Task(TaskEvent {
                key,
                generation,
                outcome,
            }),
            PAGE,
        )
    }

    fn page(state: &mut AppState, resource: Resource, items: Vec<Value>, total: usize) {
        let delivered = state.list(resource).map_or(0, |l| l.rows.len()) + items.len();
        let effects = deliver(
            state,
            TaskKey::List(resource),
            TaskOutcome::Page(ScimPage {
                items,
                total,
                delivered,
            }),
        );
        assert_eq!(effects, Vec::new());
    }

    fn list_done(state: &mut AppState, resource: Resource) {
        assert_eq!(
            deliver(state, TaskKey::List(resource), TaskOutcome::ListDone),
            Vec::new()
        );
    }

    const PEOPLE: [(&str, &str); 10] = [
        ("ines.moreau", "Inès Moreau"),
        ("kenji.nakamura", "Kenji Nakamura"),
        ("amara.okafor", "Amara Okafor"),
        ("lukas.becker", "Lukas Becker"),
        ("sofia.rossi", "Sofia Rossi"),
        ("daniel.cohen", "Daniel Cohen"),
        ("priya.raman", "Priya Raman"),
        ("mateo.garcia", "Mateo García"),
        ("hannah.nakagawa", "Hannah Nakagawa"),
        ("oliver.smith", "Oliver Smith"),
    ];

    fn user_id(index: usize) -> String {
        format!("{}", 7_400_000_000_000_000_u64 + index as u64 * 7_919)
    }

    fn user(index: usize) -> Value {
        let (user_name, display_name) = PEOPLE[index % PEOPLE.len()];
        json!({
            "id": user_id(index),
            "userName": format!("{user_name}@northwind.example"),
            "displayName": display_name,
            "active": index % 7 != 6,
        })
    }

    fn users(range: std::ops::Range<usize>) -> Vec<Value> {
        range.map(user).collect()
    }

    fn api_error(status: u16, error_code: &str, message: &str) -> ApiError {
        ApiError::new(
            "GET",
            "/api/2.0/accounts/6f1c2a9e-3b7d-4e8a-9c41-0d2b5e7f8a13/scim/v2/Users",
            ApiErrorKind::Http {
                status,
                error_code: error_code.into(),
                message: message.into(),
                request_id: Some("5b0e9f0c-2d7a-4f4e-8a51-3c9d1e6b7a20".into()),
                scim_type: None,
            },
        )
    }

    /// A users list that finished loading with the ten `PEOPLE`.
    fn loaded_users() -> AppState {
        let mut state = AppState::new(session());
        init(&mut state);
        page(&mut state, Resource::Users, users(0..10), 10);
        list_done(&mut state, Resource::Users);
        state
    }

    fn users_list(state: &AppState) -> &crate::app::state::ListState {
        state.list(Resource::Users).expect("the users list exists")
    }

    fn selected_id(state: &AppState) -> Option<String> {
        users_list(state).selected_row().map(|row| row.id.clone())
    }

    fn visible_display_names(state: &AppState) -> Vec<String> {
        let list = users_list(state);
        list.visible
            .iter()
            .map(|index| list.rows[*index].cells[1].clone())
            .collect()
    }

    #[test]
    fn init_starts_the_users_list() {
        let mut state = AppState::new(session());
        let effects = init(&mut state);
        assert_eq!(
            effects,
            vec![Effect::Start(Task::List {
                resource: Resource::Users,
                filter: None
            })]
        );
        assert_eq!(state.routes, vec![Route::List(Resource::Users)]);
        let list = users_list(&state);
        assert!(list.is_loading);
        assert!(list.rows.is_empty());
        assert_eq!(list.total, None);
        assert!(state.is_busy());
    }

    #[test]
    fn pages_append_rows_and_set_the_total() {
        let mut state = AppState::new(session());
        init(&mut state);
        page(&mut state, Resource::Users, users(0..3), 8);
        let list = users_list(&state);
        assert_eq!(list.rows.len(), 3);
        assert_eq!(list.total, Some(8));
        assert_eq!(list.visible, vec![0, 1, 2]);
        assert!(list.is_loading);
        assert_eq!(
            list.rows[1].cells,
            vec![
                "kenji.nakamura@northwind.example".to_string(),
                "Kenji Nakamura".to_string(),
                "yes".to_string(),
                "no".to_string()
            ]
        );
        assert_eq!(list.rows[1].id, user_id(1));

        page(&mut state, Resource::Users, users(3..8), 8);
        let list = users_list(&state);
        assert_eq!(list.rows.len(), 8);
        assert_eq!(list.visible, (0..8).collect::<Vec<_>>());
        assert_eq!(list.rows[7].id, user_id(7));
        assert_eq!(list.total, Some(8));
    }

    #[test]
    fn items_without_an_id_are_skipped() {
        let mut state = AppState::new(session());
        init(&mut state);
        let items = vec![
            user(0),
            json!({"userName": "ghost@northwind.example"}),
            user(1),
        ];
        page(&mut state, Resource::Users, items, 3);
        assert_eq!(users_list(&state).rows.len(), 2);
    }

    #[test]
    fn list_done_clears_loading() {
        let mut state = AppState::new(session());
        init(&mut state);
        page(&mut state, Resource::Users, users(0..4), 5);
        list_done(&mut state, Resource::Users);
        let list = users_list(&state);
        assert!(!list.is_loading);
        // The server said 5 but delivered 4: the count settles on what is shown.
        assert_eq!(list.total, Some(4));
        assert_eq!(list.rows.len(), 4);
        assert!(!state.is_busy());
    }

    #[test]
    fn an_empty_account_finishes_with_no_rows() {
        let mut state = AppState::new(session());
        init(&mut state);
        list_done(&mut state, Resource::Users);
        let list = users_list(&state);
        assert!(!list.is_loading);
        assert!(list.rows.is_empty());
        assert_eq!(list.total, Some(0));
    }

    #[test]
    fn the_selection_survives_a_streamed_page() {
        let mut state = AppState::new(session());
        init(&mut state);
        page(&mut state, Resource::Users, users(0..3), 6);
        press(&mut state, KeyCode::Char('j'));
        press(&mut state, KeyCode::Char('j'));
        page(&mut state, Resource::Users, users(3..6), 6);
        assert_eq!(users_list(&state).selected, 2);
        assert_eq!(selected_id(&state), Some(user_id(2)));
    }

    #[test]
    fn cursor_keys_move_the_selection_within_bounds() {
        let mut state = loaded_users();
        let selected = |state: &AppState| users_list(state).selected;
        assert_eq!(selected(&state), 0);
        press(&mut state, KeyCode::Char('k'));
        assert_eq!(selected(&state), 0, "k at the top stays");
        press(&mut state, KeyCode::Char('j'));
        assert_eq!(selected(&state), 1);
        press(&mut state, KeyCode::Down);
        assert_eq!(selected(&state), 2);
        press(&mut state, KeyCode::Up);
        assert_eq!(selected(&state), 1);
        press(&mut state, KeyCode::PageDown);
        assert_eq!(selected(&state), 1 + PAGE);
        press(&mut state, KeyCode::PageDown);
        assert_eq!(selected(&state), 9, "PageDown stops at the last row");
        press(&mut state, KeyCode::Char('j'));
        assert_eq!(selected(&state), 9, "j at the bottom stays");
        press(&mut state, KeyCode::PageUp);
        assert_eq!(selected(&state), 9 - PAGE);
        press(&mut state, KeyCode::Char('g'));
        assert_eq!(selected(&state), 0);
        press(&mut state, KeyCode::PageUp);
        assert_eq!(selected(&state), 0, "PageUp stops at the first row");
        press_with(&mut state, KeyCode::Char('G'), KeyModifiers::SHIFT);
        assert_eq!(selected(&state), 9);
        press(&mut state, KeyCode::Home);
        assert_eq!(selected(&state), 0);
        press(&mut state, KeyCode::End);
        assert_eq!(selected(&state), 9);
        press_with(&mut state, KeyCode::Char('b'), KeyModifiers::CONTROL);
        assert_eq!(selected(&state), 9 - PAGE);
        press_with(&mut state, KeyCode::Char('f'), KeyModifiers::CONTROL);
        assert_eq!(selected(&state), 9);
    }

    #[test]
    fn page_moves_use_the_page_rows_argument() {
        let mut state = loaded_users();
        let keymap = Keymap::defaults();
        let page_down = || Msg::Key(KeyEvent::new(KeyCode::PageDown, KeyModifiers::NONE));
        update(&mut state, &keymap, page_down(), 3);
        assert_eq!(users_list(&state).selected, 3);
        // A zero-row terminal still moves by one.
        update(&mut state, &keymap, page_down(), 0);
        assert_eq!(users_list(&state).selected, 4);
    }

    #[test]
    fn cursor_keys_on_an_empty_list_stay_at_zero() {
        let mut state = AppState::new(session());
        init(&mut state);
        for code in [
            KeyCode::Char('j'),
            KeyCode::PageDown,
            KeyCode::Char('G'),
            KeyCode::Char('k'),
        ] {
            assert_eq!(press(&mut state, code), Vec::new());
            assert_eq!(users_list(&state).selected, 0);
        }
        assert_eq!(selected_id(&state), None);
    }

    #[test]
    fn slash_filters_case_insensitively_on_display_and_user_name() {
        let mut state = loaded_users();
        assert_eq!(press(&mut state, KeyCode::Char('/')), Vec::new());
        assert_eq!(state.mode, Mode::Filter);

        type_text(&mut state, "NAKA");
        assert_eq!(
            visible_display_names(&state),
            vec!["Kenji Nakamura", "Hannah Nakagawa"]
        );
        type_text(&mut state, "m");
        assert_eq!(visible_display_names(&state), vec!["Kenji Nakamura"]);

        press(&mut state, KeyCode::Backspace);
        assert_eq!(
            visible_display_names(&state),
            vec!["Kenji Nakamura", "Hannah Nakagawa"],
            "Backspace widens the match again"
        );
        for _ in 0..4 {
            press(&mut state, KeyCode::Backspace);
        }
        assert_eq!(users_list(&state).filter, "");
        assert_eq!(users_list(&state).visible.len(), 10);
        press(&mut state, KeyCode::Backspace);
        assert_eq!(
            users_list(&state).filter,
            "",
            "Backspace on empty is harmless"
        );

        // The user name matches too: only Amara's address holds "okafor@".
        type_text(&mut state, "Okafor@North");
        assert_eq!(visible_display_names(&state), vec!["Amara Okafor"]);
        assert_eq!(state.mode, Mode::Filter);
    }

    #[test]
    fn keys_typed_in_the_filter_are_text_not_actions() {
        let mut state = loaded_users();
        press(&mut state, KeyCode::Char('/'));
        type_text(&mut state, "q:?jc");
        assert!(!state.quit);
        assert_eq!(state.mode, Mode::Filter);
        assert_eq!(users_list(&state).filter, "q:?jc");
        assert!(users_list(&state).visible.is_empty());
        // Control chords are not text.
        press_with(&mut state, KeyCode::Char('u'), KeyModifiers::CONTROL);
        assert_eq!(users_list(&state).filter, "q:?jc");
    }

    #[test]
    fn enter_keeps_the_filter_and_esc_clears_it() {
        let mut state = loaded_users();
        press(&mut state, KeyCode::Char('/'));
        type_text(&mut state, "rossi");
        press(&mut state, KeyCode::Enter);
        assert_eq!(state.mode, Mode::Normal);
        assert_eq!(users_list(&state).filter, "rossi");
        assert_eq!(visible_display_names(&state), vec!["Sofia Rossi"]);

        // Back in the filter line, Esc drops the filter.
        press(&mut state, KeyCode::Char('/'));
        type_text(&mut state, "x");
        assert_eq!(users_list(&state).filter, "rossix");
        press(&mut state, KeyCode::Esc);
        assert_eq!(state.mode, Mode::Normal);
        assert_eq!(users_list(&state).filter, "");
        assert_eq!(users_list(&state).visible.len(), 10);
    }

    #[test]
    fn esc_on_a_filtered_list_clears_the_filter() {
        let mut state = loaded_users();
        press(&mut state, KeyCode::Char('/'));
        type_text(&mut state, "smith");
        press(&mut state, KeyCode::Enter);
        assert_eq!(press(&mut state, KeyCode::Esc), Vec::new());
        assert_eq!(users_list(&state).filter, "");
        assert_eq!(users_list(&state).visible.len(), 10);
        assert_eq!(state.routes, vec![Route::List(Resource::Users)]);
    }

    #[test]
    fn the_filter_keeps_the_selected_row_when_it_stays_visible() {
        let mut state = loaded_users();
        for _ in 0..8 {
            press(&mut state, KeyCode::Char('j'));
        }
        assert_eq!(selected_id(&state), Some(user_id(8)), "Hannah Nakagawa");
        press(&mut state, KeyCode::Char('/'));
        type_text(&mut state, "naka");
        assert_eq!(users_list(&state).selected, 1);
        assert_eq!(selected_id(&state), Some(user_id(8)));
        type_text(&mut state, "m");
        assert_eq!(
            selected_id(&state),
            Some(user_id(1)),
            "falls back to the first match"
        );
    }

    #[test]
    fn enter_opens_the_selected_row_as_a_detail() {
        let mut state = loaded_users();
        press(&mut state, KeyCode::Char('j'));
        press(&mut state, KeyCode::Char('j'));
        let effects = press(&mut state, KeyCode::Enter);
        assert_eq!(
            effects,
            vec![Effect::Start(Task::Detail {
                resource: Resource::Users,
                id: user_id(2),
            })]
        );
        assert_eq!(
            state.routes,
            vec![
                Route::List(Resource::Users),
                Route::Detail {
                    resource: Resource::Users,
                    id: user_id(2),
                    title: "amara.okafor@northwind.example".into(),
                },
            ]
        );
        let detail = state.detail.as_ref().expect("a detail is open");
        assert_eq!(detail.id, user_id(2));
        assert_eq!(detail.data, Remote::Loading { previous: None });
        assert!(state.is_busy());
    }

    #[test]
    fn enter_opens_the_selected_row_of_a_filtered_list() {
        let mut state = loaded_users();
        press(&mut state, KeyCode::Char('/'));
        type_text(&mut state, "becker");
        press(&mut state, KeyCode::Enter);
        let effects = press(&mut state, KeyCode::Enter);
        assert_eq!(
            effects,
            vec![Effect::Start(Task::Detail {
                resource: Resource::Users,
                id: user_id(3),
            })]
        );
    }

    #[test]
    fn enter_on_an_empty_list_does_nothing() {
        let mut state = AppState::new(session());
        init(&mut state);
        assert_eq!(press(&mut state, KeyCode::Enter), Vec::new());
        assert_eq!(state.routes.len(), 1);
        assert_eq!(state.detail, None);
    }

    #[test]
    fn esc_from_a_detail_pops_the_route_and_cancels_its_read() {
        let mut state = loaded_users();
        press(&mut state, KeyCode::Enter);
        let effects = press(&mut state, KeyCode::Esc);
        assert_eq!(effects, vec![Effect::Cancel(TaskKey::Detail)]);
        assert_eq!(state.routes, vec![Route::List(Resource::Users)]);
        assert_eq!(state.detail, None);
        assert!(!state.is_busy());
        // A late result for the closed detail changes nothing.
        deliver(&mut state, TaskKey::Detail, TaskOutcome::Detail(user(0)));
        assert_eq!(state.detail, None);
        // Esc on the root list stays there.
        assert_eq!(press(&mut state, KeyCode::Esc), Vec::new());
        assert_eq!(state.routes, vec![Route::List(Resource::Users)]);
    }

    #[test]
    fn a_detail_result_fills_the_detail() {
        let mut state = loaded_users();
        press(&mut state, KeyCode::Enter);
        let full = json!({
            "id": user_id(0),
            "userName": "ines.moreau@northwind.example",
            "displayName": "Inès Moreau",
            "active": true,
            "emails": [{"value": "ines.moreau@northwind.example", "primary": true}],
            "roles": [{"value": "account_admin"}],
        });
        deliver(
            &mut state,
            TaskKey::Detail,
            TaskOutcome::Detail(full.clone()),
        );
        let detail = state.detail.as_ref().expect("a detail is open");
        assert_eq!(detail.data, Remote::Ready(full));
        assert!(!state.is_busy());
    }

    #[test]
    fn detail_keys_scroll_refresh_and_copy() {
        let mut state = loaded_users();
        press(&mut state, KeyCode::Enter);
        deliver(&mut state, TaskKey::Detail, TaskOutcome::Detail(user(0)));
        press(&mut state, KeyCode::Char('j'));
        press(&mut state, KeyCode::PageDown);
        assert_eq!(state.detail.as_ref().map(|d| d.selected), Some(1 + PAGE));
        press(&mut state, KeyCode::Char('k'));
        assert_eq!(state.detail.as_ref().map(|d| d.selected), Some(PAGE));

        assert_eq!(
            press(&mut state, KeyCode::Char('c')),
            vec![Effect::Copy(user_id(0))]
        );
        let effects = press(&mut state, KeyCode::Char('r'));
        assert_eq!(
            effects,
            vec![Effect::Start(Task::Detail {
                resource: Resource::Users,
                id: user_id(0),
            })]
        );
        let detail = state.detail.as_ref().expect("a detail is open");
        assert_eq!(
            detail.data,
            Remote::Loading {
                previous: Some(user(0))
            },
            "a refresh keeps the shown value"
        );
        assert_eq!(detail.selected, PAGE, "and the cursor where it was");
        // `/` means nothing in a detail.
        press(&mut state, KeyCode::Char('/'));
        assert_eq!(state.mode, Mode::Normal);
    }

    #[test]
    fn a_failed_detail_keeps_the_previous_value_and_reports() {
        let mut state = loaded_users();
        press(&mut state, KeyCode::Enter);
        deliver(&mut state, TaskKey::Detail, TaskOutcome::Detail(user(0)));
        press(&mut state, KeyCode::Char('r'));
        let error = api_error(404, "RESOURCE_DOES_NOT_EXIST", "User not found");
        deliver(
            &mut state,
            TaskKey::Detail,
            TaskOutcome::Failed(error.clone()),
        );
        let detail = state.detail.as_ref().expect("a detail is open");
        assert_eq!(
            detail.data,
            Remote::Failed {
                error: error.to_string(),
                previous: Some(user(0))
            }
        );
        let status = state.status.as_ref().expect("a status");
        assert_eq!(status.kind, StatusKind::Error);
        assert!(status.text.contains(error.hint()), "{}", status.text);
    }

    #[test]
    fn colon_sp_switches_to_service_principals_and_cancels_the_loading_users_list() {
        let mut state = AppState::new(session());
        init(&mut state);
        page(&mut state, Resource::Users, users(0..3), 100_000);
        assert_eq!(press(&mut state, KeyCode::Char(':')), Vec::new());
        assert_eq!(state.mode, Mode::Command(String::new()));
        type_text(&mut state, "sp");
        assert_eq!(state.mode, Mode::Command("sp".into()));
        let effects = press(&mut state, KeyCode::Enter);
        assert_eq!(
            effects,
            vec![
                Effect::Cancel(TaskKey::List(Resource::Users)),
                Effect::Start(Task::List {
                    resource: Resource::ServicePrincipals,
                    filter: None
                }),
            ]
        );
        assert_eq!(state.mode, Mode::Normal);
        assert_eq!(state.routes, vec![Route::List(Resource::ServicePrincipals)]);
        assert!(!users_list(&state).is_loading);
        assert!(
            state
                .list(Resource::ServicePrincipals)
                .is_some_and(|l| l.is_loading)
        );
    }

    #[test]
    fn colon_from_a_detail_replaces_the_route_stack_and_cancels_the_detail() {
        let mut state = loaded_users();
        press(&mut state, KeyCode::Enter);
        press(&mut state, KeyCode::Char(':'));
        type_text(&mut state, "groups");
        let effects = press(&mut state, KeyCode::Enter);
        assert_eq!(
            effects,
            vec![
                Effect::Cancel(TaskKey::Detail),
                Effect::Start(Task::List {
                    resource: Resource::Groups,
                    filter: None
                }),
            ]
        );
        assert_eq!(state.routes, vec![Route::List(Resource::Groups)]);
        assert_eq!(state.detail, None);
    }

    #[test]
    fn colon_to_a_loaded_list_does_not_reload_it() {
        let mut state = loaded_users();
        press(&mut state, KeyCode::Char(':'));
        type_text(&mut state, "g");
        press(&mut state, KeyCode::Enter);
        assert_eq!(state.routes, vec![Route::List(Resource::Groups)]);
        press(&mut state, KeyCode::Char(':'));
        type_text(&mut state, "USERS");
        let effects = press(&mut state, KeyCode::Enter);
        assert_eq!(
            effects,
            vec![Effect::Cancel(TaskKey::List(Resource::Groups))],
            "the loading groups list is cancelled; the loaded users list is kept"
        );
        assert_eq!(users_list(&state).rows.len(), 10);
    }

    #[test]
    fn returning_to_a_list_cancelled_mid_load_reloads_it() {
        let mut state = AppState::new(session());
        init(&mut state);
        page(&mut state, Resource::Users, users(0..3), 100_000);
        press(&mut state, KeyCode::Char(':'));
        type_text(&mut state, "sp");
        press(&mut state, KeyCode::Enter);
        press(&mut state, KeyCode::Char(':'));
        type_text(&mut state, "users");
        let effects = press(&mut state, KeyCode::Enter);
        assert!(
            effects.contains(&Effect::Start(Task::List {
                resource: Resource::Users,
                filter: None
            })),
            "only 3 of 100,000 users were loaded, yet: {effects:?}"
        );
    }

    #[test]
    fn tab_completes_the_command() {
        let mut state = loaded_users();
        press(&mut state, KeyCode::Char(':'));
        type_text(&mut state, "se");
        assert_eq!(press(&mut state, KeyCode::Tab), Vec::new());
        assert_eq!(state.mode, Mode::Command("service-principals".into()));
        let effects = press(&mut state, KeyCode::Enter);
        assert_eq!(
            effects,
            vec![Effect::Start(Task::List {
                resource: Resource::ServicePrincipals,
                filter: None
            })]
        );
        assert_eq!(state.routes, vec![Route::List(Resource::ServicePrincipals)]);
    }

    #[test]
    fn enter_goes_to_the_completion_of_a_prefix() {
        let mut state = loaded_users();
        press(&mut state, KeyCode::Char(':'));
        type_text(&mut state, "gro");
        let effects = press(&mut state, KeyCode::Enter);
        assert_eq!(
            effects,
            vec![Effect::Start(Task::List {
                resource: Resource::Groups,
                filter: None
            })]
        );
    }

    #[test]
    fn completion_picks_the_first_matching_alias() {
        assert_eq!(complete("se"), Some("service-principals"));
        assert_eq!(complete(" SE "), Some("service-principals"));
        assert_eq!(complete("gr"), Some("groups"));
        assert_eq!(complete("u"), Some("users"));
        assert_eq!(complete("sp"), Some("sp"));
        assert_eq!(complete(""), None);
        assert_eq!(complete("workspaces"), Some("workspaces"));
        assert_eq!(complete("fe"), Some("federation-policies"));
        assert_eq!(complete("pub"), Some("published-apps"));
        assert_eq!(complete("clusters"), None);
    }

    #[test]
    fn the_command_line_edits_and_cancels() {
        let mut state = loaded_users();
        press(&mut state, KeyCode::Char(':'));
        type_text(&mut state, "grx");
        press(&mut state, KeyCode::Backspace);
        assert_eq!(state.mode, Mode::Command("gr".into()));
        press(&mut state, KeyCode::Tab);
        press(&mut state, KeyCode::Tab);
        assert_eq!(state.mode, Mode::Command("groups".into()));
        assert_eq!(press(&mut state, KeyCode::Esc), Vec::new());
        assert_eq!(state.mode, Mode::Normal);
        assert_eq!(state.routes, vec![Route::List(Resource::Users)]);
        // Tab with nothing to complete leaves the text.
        press(&mut state, KeyCode::Char(':'));
        type_text(&mut state, "zz");
        press(&mut state, KeyCode::Tab);
        assert_eq!(state.mode, Mode::Command("zz".into()));
    }

    #[test]
    fn an_unknown_command_sets_an_error_naming_the_valid_ones() {
        let mut state = loaded_users();
        press(&mut state, KeyCode::Char(':'));
        type_text(&mut state, "clusters");
        assert_eq!(press(&mut state, KeyCode::Enter), Vec::new());
        assert_eq!(state.mode, Mode::Normal);
        assert_eq!(state.routes, vec![Route::List(Resource::Users)]);
        let status = state.status.as_ref().expect("a status");
        assert_eq!(status.kind, StatusKind::Error);
        for word in [
            "clusters", "ws", "users", "groups", "sp", "secrets", "apps", "fed",
        ] {
            assert!(status.text.contains(word), "{word} in {:?}", status.text);
        }
    }

    #[test]
    fn question_mark_opens_help_and_any_key_closes_it() {
        let mut state = loaded_users();
        assert_eq!(press(&mut state, KeyCode::Char('?')), Vec::new());
        assert_eq!(state.mode, Mode::Help);
        // `q` closes the help; it does not quit.
        assert_eq!(press(&mut state, KeyCode::Char('q')), Vec::new());
        assert_eq!(state.mode, Mode::Normal);
        assert!(!state.quit);

        press(&mut state, KeyCode::Char('?'));
        assert_eq!(press(&mut state, KeyCode::Char('j')), Vec::new());
        assert_eq!(state.mode, Mode::Normal);
        assert_eq!(
            users_list(&state).selected,
            0,
            "the closing key is not acted on"
        );

        press(&mut state, KeyCode::Char('?'));
        press(&mut state, KeyCode::Enter);
        assert_eq!(state.mode, Mode::Normal);
        assert_eq!(state.routes.len(), 1);
    }

    #[test]
    fn c_copies_the_selected_id() {
        let mut state = loaded_users();
        press(&mut state, KeyCode::Char('j'));
        assert_eq!(
            press(&mut state, KeyCode::Char('c')),
            vec![Effect::Copy(user_id(1))]
        );
        let status = state.status.as_ref().expect("a status");
        assert_eq!(status.kind, StatusKind::Info);
        assert!(status.text.contains(&user_id(1)));

        let mut empty = AppState::new(session());
        init(&mut empty);
        assert_eq!(press(&mut empty, KeyCode::Char('c')), Vec::new());
    }

    #[test]
    fn q_quits() {
        let mut state = loaded_users();
        assert_eq!(press(&mut state, KeyCode::Char('q')), vec![Effect::Quit]);
        assert!(state.quit);

        let mut state = loaded_users();
        press(&mut state, KeyCode::Enter);
        assert_eq!(
            press_with(&mut state, KeyCode::Char('c'), KeyModifiers::CONTROL),
            vec![Effect::Quit]
        );
        assert!(state.quit);
    }

    #[test]
    fn key_releases_and_unbound_keys_do_nothing() {
        let mut state = loaded_users();
        let before = state.clone();
        let mut release = KeyEvent::new(KeyCode::Char('q'), KeyModifiers::NONE);
        release.kind = KeyEventKind::Release;
        assert_eq!(
            update(&mut state, &Keymap::defaults(), Msg::Key(release), PAGE),
            Vec::new()
        );
        assert_eq!(press(&mut state, KeyCode::Char('z')), Vec::new());
        assert_eq!(press(&mut state, KeyCode::F(5)), Vec::new());
        assert_eq!(
            update(&mut state, &Keymap::defaults(), Msg::Resized, PAGE),
            Vec::new()
        );
        assert_eq!(state, before);
    }

    #[test]
    fn ticks_advance_the_spinner() {
        let mut state = AppState::new(session());
        init(&mut state);
        update(&mut state, &Keymap::defaults(), Msg::Tick, PAGE);
        update(&mut state, &Keymap::defaults(), Msg::Tick, PAGE);
        assert_eq!(state.spinner, 2);
    }

    #[test]
    fn a_refresh_keeps_the_old_rows_until_the_first_new_page() {
        let mut state = loaded_users();
        press(&mut state, KeyCode::Char('j'));
        let effects = press(&mut state, KeyCode::Char('r'));
        assert_eq!(
            effects,
            vec![Effect::Start(Task::List {
                resource: Resource::Users,
                filter: None
            })]
        );
        let list = users_list(&state);
        assert!(list.is_loading);
        assert_eq!(list.rows.len(), 10, "no flash of an empty list");
        assert_eq!(list.visible.len(), 10);
        assert_eq!(list.total, None);
        assert_eq!(selected_id(&state), Some(user_id(1)));

        // The first page of the refresh replaces the old rows.
        page(&mut state, Resource::Users, users(1..4), 6);
        let list = users_list(&state);
        assert_eq!(list.rows.len(), 3);
        assert_eq!(list.rows[0].id, user_id(1));
        assert_eq!(list.total, Some(6));
        // Later pages append.
        page(&mut state, Resource::Users, users(4..7), 6);
        assert_eq!(users_list(&state).rows.len(), 6);
        list_done(&mut state, Resource::Users);
        let list = users_list(&state);
        assert!(!list.is_loading);
        assert_eq!(list.total, Some(6));
    }

    #[test]
    fn a_refresh_keeps_the_same_user_selected() {
        let mut state = loaded_users();
        press(&mut state, KeyCode::Char('j'));
        assert_eq!(selected_id(&state), Some(user_id(1)));
        press(&mut state, KeyCode::Char('r'));
        // Someone was deleted meanwhile: the refreshed list starts at user 1.
        page(&mut state, Resource::Users, users(1..10), 9);
        assert_eq!(
            selected_id(&state),
            Some(user_id(1)),
            "Enter or `c` now would act on a different user"
        );
    }

    #[test]
    fn a_failed_list_sets_the_error_and_an_error_status_with_the_hint() {
        let mut state = AppState::new(session());
        init(&mut state);
        let error = api_error(403, "PERMISSION_DENIED", "User is not an account admin");
        deliver(
            &mut state,
            TaskKey::List(Resource::Users),
            TaskOutcome::Failed(error.clone()),
        );
        let list = users_list(&state);
        assert!(!list.is_loading);
        assert_eq!(list.error.as_deref(), Some(error.summary().as_str()));
        assert!(list.error.as_deref().is_some_and(|e| e.contains("403")));
        let status = state.status.as_ref().expect("a status");
        assert_eq!(status.kind, StatusKind::Error);
        assert!(status.text.contains("PERMISSION_DENIED"), "{}", status.text);
        assert!(status.text.contains(error.hint()), "{}", status.text);
        assert!(
            status.text.contains("account_admin role"),
            "{}",
            status.text
        );
        assert!(!state.is_busy());

        // `r` retries and clears the list's error.
        press(&mut state, KeyCode::Char('r'));
        assert_eq!(users_list(&state).error, None);
        assert!(users_list(&state).is_loading);
    }

    #[test]
    fn a_failed_refresh_keeps_the_rows() {
        let mut state = loaded_users();
        press(&mut state, KeyCode::Char('r'));
        let error = ApiError::new(
            "GET",
            "/api/2.0/accounts/6f1c2a9e-3b7d-4e8a-9c41-0d2b5e7f8a13/scim/v2/Users",
            ApiErrorKind::Connect("connection refused".into()),
        );
        deliver(
            &mut state,
            TaskKey::List(Resource::Users),
            TaskOutcome::Failed(error),
        );
        let list = users_list(&state);
        assert_eq!(list.rows.len(), 10);
        assert!(list.error.is_some());
        assert!(!list.is_loading);
    }

    #[test]
    fn a_successful_reload_clears_the_error_status() {
        let mut state = AppState::new(session());
        init(&mut state);
        let error = api_error(503, "TEMPORARILY_UNAVAILABLE", "Service unavailable");
        deliver(
            &mut state,
            TaskKey::List(Resource::Users),
            TaskOutcome::Failed(error),
        );
        press(&mut state, KeyCode::Char('r'));
        page(&mut state, Resource::Users, users(0..10), 10);
        list_done(&mut state, Resource::Users);
        assert!(
            !state
                .status
                .as_ref()
                .is_some_and(|s| s.kind == StatusKind::Error),
            "stale error: {:?}",
            state.status
        );
    }
}
