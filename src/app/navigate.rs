//! Moving between places: opening a row or a related object, going back, switching lists,
//! loading lists and details. Details form a stack, so Esc returns to the detail you came
//! from as you left it (scroll position included) without reading it again.

use super::columns;
use super::msg::{Effect, Resource, Task, TaskKey};
use super::state::{AppState, Detail, DetailMode, ListState, Remote, Route, keep_in_view};
use super::view::{self, Link, Tone, ViewLine};

pub fn start_list(state: &mut AppState, resource: Resource) -> Vec<Effect> {
    let list = state
        .lists
        .entry(resource)
        .or_insert_with(|| ListState::new(columns::default_sort(resource)));
    list.is_loading = true;
    list.is_complete = false;
    list.error = None;
    list.total = None;
    list.sticky = list.selected_row().map(|row| row.id.clone());
    // Rows stay on screen until the first page of the refresh replaces them.
    list.selected = list.selected.min(list.visible.len().saturating_sub(1));
    let filter = list.server_filter.clone();
    vec![Effect::Start(Task::List { resource, filter })]
}

/// Starts reading a detail; one detail loads at a time, so a result always belongs to the
/// detail on screen.
pub fn start_detail(
    state: &mut AppState,
    resource: Resource,
    id: String,
    mode: DetailMode,
) -> Vec<Effect> {
    let (previous, selected, offset) = match state.detail.take() {
        Some(d) if d.id == id && d.resource == resource => {
            (d.data.value().cloned(), d.selected, d.offset)
        }
        _ => (None, 0, 0),
    };
    let mut detail = Detail {
        resource,
        id: id.clone(),
        data: Remote::Loading { previous },
        mode,
        lines: Vec::new(),
        selected,
        offset,
    };
    rebuild(&mut detail, state.now);
    state.detail = Some(detail);
    // Starting the key cancels whichever detail was still loading.
    vec![Effect::Start(Task::Detail { resource, id })]
}

/// Rebuilds a detail's lines from its data and mode (on arrival, on a mode switch).
pub fn rebuild(detail: &mut Detail, now: chrono::DateTime<chrono::Utc>) {
    let mut lines = Vec::new();
    if let Remote::Failed { error, .. } = &detail.data {
        lines.push(ViewLine::text(
            Tone::Bad,
            &format!("Could not load: {error}"),
        ));
        lines.push(ViewLine::text(Tone::Muted, "r tries again, Esc goes back"));
        lines.push(ViewLine::blank());
    }
    if let Some(data) = detail.data.value() {
        lines.extend(match detail.mode {
            DetailMode::Fields => view::fields(detail.resource, data, now),
            DetailMode::Tree => view::tree::principal(detail.resource, data, now),
            DetailMode::Raw => view::raw(data),
        });
    }
    detail.lines = lines;
    detail.selected = detail.selected.min(detail.lines.len().saturating_sub(1));
}

/// Whether a resource has a principal tree.
pub fn has_tree(resource: Resource) -> bool {
    matches!(
        resource,
        Resource::Users | Resource::Groups | Resource::ServicePrincipals
    )
}

/// Opens the selected row of a list, or the linked object of a detail line.
pub fn open(state: &mut AppState, route: &Route, mode: DetailMode) -> Vec<Effect> {
    match route {
        Route::List(resource) => {
            let Some(row) = state
                .list(*resource)
                .and_then(|l| l.selected_row())
                .cloned()
            else {
                return Vec::new();
            };
            let title = row.cells.first().cloned().unwrap_or_else(|| row.id.clone());
            let link = match resource {
                // A finding opens the resource it is about.
                Resource::Audit => {
                    let target = row.id.rsplit_once('#').map_or("", |(t, _)| t);
                    let Some((alias, id)) = target.split_once(':') else {
                        return Vec::new();
                    };
                    let Some(target) = Resource::from_command(alias) else {
                        return Vec::new();
                    };
                    Link {
                        resource: target,
                        id: id.to_owned(),
                        title: row.cells.get(3).cloned().unwrap_or_default(),
                    }
                }
                // A secret is read and managed through its service principal.
                Resource::Secrets => Link {
                    resource: Resource::ServicePrincipals,
                    id: row.id.split('/').next().unwrap_or_default().to_owned(),
                    title,
                },
                _ => Link {
                    resource: *resource,
                    id: row.id.clone(),
                    title,
                },
            };
            push_detail(state, link, mode)
        }
        Route::Detail { .. } => {
            let Some(link) = state
                .detail
                .as_ref()
                .and_then(|d| d.lines.get(d.selected))
                .and_then(|line| line.link.clone())
            else {
                return Vec::new();
            };
            if let Some(current) = state.detail.take() {
                state.detail_stack.push(current);
            }
            push_detail(state, link, DetailMode::Fields)
        }
    }
}

fn push_detail(state: &mut AppState, link: Link, mode: DetailMode) -> Vec<Effect> {
    let mode = if mode == DetailMode::Tree && !has_tree(link.resource) {
        DetailMode::Fields
    } else {
        mode
    };
    state.routes.push(Route::Detail {
        resource: link.resource,
        id: link.id.clone(),
        title: link.title,
    });
    start_detail(state, link.resource, link.id, mode)
}

pub fn back(state: &mut AppState, route: &Route) -> Vec<Effect> {
    match route {
        Route::Detail { .. } => {
            super::editing::leave_rotation(state);
            state.routes.pop();
            // Leaving a pane cancels its reads; a late result is dropped by the runner.
            let mut effects = vec![Effect::Cancel(TaskKey::Detail)];
            state.detail = state.detail_stack.pop();
            // The detail we return to was still loading when we left it: read it again.
            if let Some(detail) = &state.detail
                && matches!(detail.data, Remote::Loading { .. })
            {
                let (resource, id, mode) = (detail.resource, detail.id.clone(), detail.mode);
                effects.extend(start_detail(state, resource, id, mode));
            }
            effects
        }
        Route::List(resource) => {
            let Some(list) = state.lists.get_mut(resource) else {
                return Vec::new();
            };
            if list.filter.is_empty() && list.server_filter.is_none() {
                return Vec::new();
            }
            list.filter.clear();
            list.apply_filter();
            if list.server_filter.take().is_some() {
                return start_list(state, *resource);
            }
            Vec::new()
        }
    }
}

/// Switches to a resource's list (the `:` command), replacing the route stack.
pub fn go_to(state: &mut AppState, resource: Resource) -> Vec<Effect> {
    let mut effects: Vec<Effect> = Vec::new();
    for route in &state.routes {
        if let Route::List(r) = route
            && *r != resource
            && state.list(*r).is_some_and(|l| l.is_loading)
        {
            effects.push(Effect::Cancel(TaskKey::List(*r)));
            if let Some(list) = state.lists.get_mut(r) {
                list.is_loading = false;
            }
        }
    }
    if state.detail.is_some() {
        effects.push(Effect::Cancel(TaskKey::Detail));
    }
    super::editing::leave_rotation(state);
    state.detail = None;
    state.detail_stack.clear();
    state.routes = vec![Route::List(resource)];
    // A list cancelled half-way is not complete: revisiting it loads it again.
    // The journal grows with every write, so it is read again on each visit.
    let loaded = resource != Resource::Journal
        && state
            .list(resource)
            .is_some_and(|l| l.is_complete || l.is_loading);
    if !loaded {
        effects.extend(start_list(state, resource));
    }
    effects
}

/// Moves a detail's cursor over its lines, keeping it on screen.
pub fn move_in_detail(detail: &mut Detail, target: usize, page_rows: usize) {
    detail.selected = target.min(detail.lines.len().saturating_sub(1));
    detail.offset = keep_in_view(detail.offset, detail.selected, page_rows);
}
