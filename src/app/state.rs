//! The app's state: where the user is (a route stack with breadcrumbs), one list per
//! resource, the open detail, the input mode, and the status line. Drawing reads it; only
//! `update` changes it.

use std::collections::HashMap;

use serde_json::Value;

use super::msg::Resource;
use crate::api::ApiError;

/// One place in the console; the stack of them is the breadcrumb trail.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Route {
    List(Resource),
    Detail {
        resource: Resource,
        id: String,
        title: String,
    },
}

/// Remote data keeps its previous value while it refreshes, so lists never flash empty.
#[derive(Debug, Clone, PartialEq)]
pub enum Remote<T> {
    NotAsked,
    Loading { previous: Option<T> },
    Ready(T),
    Failed { error: String, previous: Option<T> },
}

impl<T> Remote<T> {
    pub fn value(&self) -> Option<&T> {
        match self {
            Remote::NotAsked => None,
            Remote::Loading { previous } | Remote::Failed { previous, .. } => previous.as_ref(),
            Remote::Ready(value) => Some(value),
        }
    }

    pub fn is_loading(&self) -> bool {
        matches!(self, Remote::Loading { .. })
    }
}

/// One table row, already sanitised for the terminal, plus a lower-cased haystack for `/`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Row {
    pub id: String,
    pub cells: Vec<String>,
    pub haystack: String,
}

#[derive(Debug, Clone, Default, PartialEq)]
pub struct ListState {
    pub rows: Vec<Row>,
    /// Total the server reports while pages stream in.
    pub total: Option<usize>,
    pub is_loading: bool,
    pub error: Option<String>,
    pub filter: String,
    /// Indices into `rows` that pass the filter, in order.
    pub visible: Vec<usize>,
    /// Position in `visible`.
    pub selected: usize,
    /// The row to keep selected across a reload, until it arrives or the user moves.
    pub sticky: Option<String>,
    /// Every page arrived (a list cancelled half-way must load again when revisited).
    pub is_complete: bool,
}

impl ListState {
    pub fn selected_row(&self) -> Option<&Row> {
        self.visible
            .get(self.selected)
            .and_then(|index| self.rows.get(*index))
    }

    pub fn apply_filter(&mut self) {
        let needle = self.filter.to_lowercase();
        let selected_id = self
            .sticky
            .clone()
            .or_else(|| self.selected_row().map(|row| row.id.clone()));
        self.visible = self
            .rows
            .iter()
            .enumerate()
            .filter(|(_, row)| needle.is_empty() || row.haystack.contains(&needle))
            .map(|(index, _)| index)
            .collect();
        // Keep the same row selected when it is still visible.
        self.selected = selected_id
            .and_then(|id| {
                self.visible
                    .iter()
                    .position(|index| self.rows[*index].id == id)
            })
            .unwrap_or(0)
            .min(self.visible.len().saturating_sub(1));
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct Detail {
    pub resource: Resource,
    pub id: String,
    pub data: Remote<Value>,
    pub scroll: u16,
}

/// Text being typed at the bottom of the screen.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Mode {
    Normal,
    Filter,
    Command(String),
    Help,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum StatusKind {
    Info,
    Error,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Status {
    pub kind: StatusKind,
    pub text: String,
}

impl Status {
    pub fn error(error: &ApiError) -> Self {
        Status {
            kind: StatusKind::Error,
            text: format!("{error} — {}", error.hint()),
        }
    }
}

/// Who is signed in where (header).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Session {
    pub profile: Option<String>,
    pub host: String,
    pub account_id: String,
    pub user: Option<String>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct AppState {
    pub session: Session,
    pub routes: Vec<Route>,
    pub lists: HashMap<Resource, ListState>,
    pub detail: Option<Detail>,
    pub mode: Mode,
    pub status: Option<Status>,
    /// Generation of the newest task per key; older results are dropped.
    pub generations: HashMap<super::msg::TaskKey, u64>,
    pub next_generation: u64,
    pub spinner: usize,
    pub quit: bool,
}

impl AppState {
    pub fn new(session: Session) -> Self {
        Self {
            session,
            routes: vec![Route::List(Resource::Users)],
            lists: HashMap::new(),
            detail: None,
            mode: Mode::Normal,
            status: None,
            generations: HashMap::new(),
            next_generation: 0,
            spinner: 0,
            quit: false,
        }
    }

    pub fn route(&self) -> &Route {
        // The stack is never empty: Back stops at the last route.
        self.routes.last().unwrap_or(&Route::List(Resource::Users))
    }

    pub fn list(&self, resource: Resource) -> Option<&ListState> {
        self.lists.get(&resource)
    }

    pub fn is_busy(&self) -> bool {
        self.lists.values().any(|l| l.is_loading)
            || self.detail.as_ref().is_some_and(|d| d.data.is_loading())
    }
}
