//! `update`: the one place state changes. Given a message it changes the state and returns
//! the effects to run; no terminal, runtime or server needed to test it.

use crossterm::event::{KeyCode, KeyEvent, KeyEventKind, KeyModifiers};

use super::columns;
use super::keymap::{Context, Keymap};
use super::msg::{Action, Effect, Msg, Resource, Task, TaskEvent, TaskKey, TaskOutcome};
use super::state::{AppState, Detail, Mode, Remote, Route, Status, StatusKind};

/// The first effects: load the starting list.
pub fn init(state: &mut AppState) -> Vec<Effect> {
    match state.route().clone() {
        Route::List(resource) => start_list(state, resource),
        Route::Detail { .. } => Vec::new(),
    }
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
        Msg::Task(event) => {
            on_task(state, event);
            Vec::new()
        }
    }
}

fn context(state: &AppState) -> Context {
    match state.route() {
        Route::List(_) => Context::List,
        Route::Detail { .. } => Context::Detail,
    }
}

fn on_key(state: &mut AppState, keymap: &Keymap, key: KeyEvent, page_rows: usize) -> Vec<Effect> {
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
        Some(action) => on_action(state, action, page_rows),
        None => Vec::new(),
    }
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
        Action::Open => open(state, &route),
        Action::Back => back(state, &route),
        Action::Refresh => match route {
            Route::List(resource) => start_list(state, resource),
            Route::Detail { resource, id, .. } => start_detail(state, resource, id),
        },
        Action::CopyId => {
            let id = match &route {
                Route::List(resource) => state
                    .list(*resource)
                    .and_then(|l| l.selected_row())
                    .map(|r| r.id.clone()),
                Route::Detail { id, .. } => Some(id.clone()),
            };
            match id {
                Some(id) => {
                    state.status = Some(Status {
                        kind: StatusKind::Info,
                        text: format!("Copied {id} to the clipboard"),
                    });
                    vec![Effect::Copy(id)]
                }
                None => Vec::new(),
            }
        }
    }
}

fn move_cursor(state: &mut AppState, route: &Route, action: Action, page_rows: usize) {
    match route {
        Route::List(resource) => {
            let Some(list) = state.lists.get_mut(resource) else {
                return;
            };
            let last = list.visible.len().saturating_sub(1);
            list.selected = match action {
                Action::Up => list.selected.saturating_sub(1),
                Action::Down => (list.selected + 1).min(last),
                Action::PageUp => list.selected.saturating_sub(page_rows),
                Action::PageDown => (list.selected + page_rows).min(last),
                Action::Top => 0,
                Action::Bottom => last,
                _ => list.selected,
            };
        }
        Route::Detail { .. } => {
            let Some(detail) = state.detail.as_mut() else {
                return;
            };
            let page = u16::try_from(page_rows).unwrap_or(u16::MAX);
            detail.scroll = match action {
                Action::Up => detail.scroll.saturating_sub(1),
                Action::Down => detail.scroll.saturating_add(1),
                Action::PageUp => detail.scroll.saturating_sub(page),
                Action::PageDown => detail.scroll.saturating_add(page),
                Action::Top => 0,
                _ => detail.scroll,
            };
        }
    }
}

fn open(state: &mut AppState, route: &Route) -> Vec<Effect> {
    let Route::List(resource) = route else {
        return Vec::new();
    };
    let Some(row) = state
        .list(*resource)
        .and_then(|l| l.selected_row())
        .cloned()
    else {
        return Vec::new();
    };
    let title = row.cells.first().cloned().unwrap_or_else(|| row.id.clone());
    state.routes.push(Route::Detail {
        resource: *resource,
        id: row.id.clone(),
        title,
    });
    start_detail(state, *resource, row.id)
}

fn back(state: &mut AppState, route: &Route) -> Vec<Effect> {
    match route {
        Route::Detail { resource, .. } => {
            state.routes.pop();
            state.detail = None;
            // Leaving a pane cancels its reads; a late result is dropped by the runner.
            vec![Effect::Cancel(TaskKey::Detail(*resource))]
        }
        Route::List(resource) => {
            if let Some(list) = state.lists.get_mut(resource)
                && !list.filter.is_empty()
            {
                list.filter.clear();
                list.apply_filter();
            }
            Vec::new()
        }
    }
}

fn start_list(state: &mut AppState, resource: Resource) -> Vec<Effect> {
    let list = state.lists.entry(resource).or_default();
    list.is_loading = true;
    list.error = None;
    list.total = None;
    // Rows stay on screen until the first page of the refresh replaces them.
    list.selected = list.selected.min(list.visible.len().saturating_sub(1));
    vec![Effect::Start(Task::List(resource))]
}

fn start_detail(state: &mut AppState, resource: Resource, id: String) -> Vec<Effect> {
    let previous = state
        .detail
        .take()
        .filter(|d| d.id == id)
        .and_then(|d| d.data.value().cloned());
    state.detail = Some(Detail {
        resource,
        id: id.clone(),
        data: Remote::Loading { previous },
        scroll: 0,
    });
    vec![Effect::Start(Task::Detail { resource, id })]
}

/// Switches to a resource's list (the `:` command), replacing the route stack.
fn go_to(state: &mut AppState, resource: Resource) -> Vec<Effect> {
    let mut effects: Vec<Effect> = Vec::new();
    for route in &state.routes {
        match route {
            Route::List(r) if *r != resource && state.list(*r).is_some_and(|l| l.is_loading) => {
                effects.push(Effect::Cancel(TaskKey::List(*r)));
                if let Some(list) = state.lists.get_mut(r) {
                    list.is_loading = false;
                }
            }
            Route::Detail { resource: r, .. } => effects.push(Effect::Cancel(TaskKey::Detail(*r))),
            _ => {}
        }
    }
    state.detail = None;
    state.routes = vec![Route::List(resource)];
    let loaded = state
        .list(resource)
        .is_some_and(|l| !l.rows.is_empty() || l.is_loading);
    if !loaded {
        effects.extend(start_list(state, resource));
    }
    effects
}

fn on_filter_key(state: &mut AppState, key: KeyEvent) -> Vec<Effect> {
    let Route::List(resource) = state.route().clone() else {
        state.mode = Mode::Normal;
        return Vec::new();
    };
    let list = state.lists.entry(resource).or_default();
    match key.code {
        KeyCode::Enter => state.mode = Mode::Normal,
        KeyCode::Esc => {
            list.filter.clear();
            list.apply_filter();
            state.mode = Mode::Normal;
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
                            "Unknown resource '{}': try users, groups or sp (Tab completes)",
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
    match (event.key, event.outcome) {
        (TaskKey::List(resource), TaskOutcome::Page(page)) => {
            let list = state.lists.entry(resource).or_default();
            if list.is_loading && list.total.is_none() {
                // First page of a (re)load: replace what was shown before.
                list.rows.clear();
            }
            list.total = Some(page.total);
            list.rows.extend(
                page.items
                    .iter()
                    .filter_map(|value| columns::row(resource, value)),
            );
            list.apply_filter();
        }
        (TaskKey::List(resource), TaskOutcome::ListDone) => {
            if let Some(list) = state.lists.get_mut(&resource) {
                list.is_loading = false;
                if list.total.is_none() {
                    list.rows.clear();
                    list.apply_filter();
                }
                list.total = Some(list.rows.len());
            }
        }
        (TaskKey::List(resource), TaskOutcome::Failed(error)) => {
            if let Some(list) = state.lists.get_mut(&resource) {
                list.is_loading = false;
                list.error = Some(error.to_string());
            }
            state.status = Some(Status::error(&error));
        }
        (TaskKey::Detail(_), TaskOutcome::Detail(value)) => {
            if let Some(detail) = state.detail.as_mut() {
                detail.data = Remote::Ready(value);
            }
        }
        (TaskKey::Detail(_), TaskOutcome::Failed(error)) => {
            if let Some(detail) = state.detail.as_mut() {
                let previous = detail.data.value().cloned();
                detail.data = Remote::Failed {
                    error: error.to_string(),
                    previous,
                };
            }
            state.status = Some(Status::error(&error));
        }
        (_, _) => {}
    }
}
