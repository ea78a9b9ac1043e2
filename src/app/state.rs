//! The app's state: where the user is (a route stack with breadcrumbs), one list per
//! resource, the open detail, the input mode, and the status line. Drawing reads it; only
//! `update` changes it.

use std::collections::HashMap;

use serde_json::Value;

use chrono::{DateTime, Utc};

use super::msg::Resource;
use super::view::ViewLine;
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

/// A sorted column; rows with equal cells keep the server's order.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Sort {
    pub column: usize,
    pub descending: bool,
}

#[derive(Debug, Clone, Default, PartialEq)]
pub struct ListState {
    pub rows: Vec<Row>,
    /// Total the server reports while pages stream in.
    pub total: Option<usize>,
    pub is_loading: bool,
    pub error: Option<String>,
    /// What `/` typed. Starting with `=` it is a SCIM filter for the server, not a local one.
    pub filter: String,
    /// The SCIM filter the loaded rows were read with, if any.
    pub server_filter: Option<String>,
    pub sort: Option<Sort>,
    /// Every row index in display order (the sort applied).
    pub order: Vec<usize>,
    /// Indices into `rows` that pass the filter, in display order.
    pub visible: Vec<usize>,
    /// Position in `visible`.
    pub selected: usize,
    /// First visible position on screen; kept while the selection stays in view.
    pub offset: usize,
    /// The row to keep selected across a reload, until it arrives or the user moves.
    pub sticky: Option<String>,
    /// Every page arrived (a list cancelled half-way must load again when revisited).
    pub is_complete: bool,
    /// The user moved the cursor: until then it stays on the top row while rows stream in.
    pub is_cursor_moved: bool,
}

/// Numbers before text, numbers by value, text without regard to case.
pub fn compare_cells(a: &str, b: &str) -> std::cmp::Ordering {
    match (a.trim().parse::<i64>(), b.trim().parse::<i64>()) {
        (Ok(x), Ok(y)) => x.cmp(&y),
        (Ok(_), Err(_)) => std::cmp::Ordering::Less,
        (Err(_), Ok(_)) => std::cmp::Ordering::Greater,
        (Err(_), Err(_)) => a
            .chars()
            .flat_map(char::to_lowercase)
            .cmp(b.chars().flat_map(char::to_lowercase)),
    }
}

impl ListState {
    pub fn new(sort: Option<Sort>) -> Self {
        ListState {
            sort,
            ..ListState::default()
        }
    }

    pub fn selected_row(&self) -> Option<&Row> {
        self.visible
            .get(self.selected)
            .and_then(|index| self.rows.get(*index))
    }

    /// The text of the local filter (a server filter does not filter locally).
    pub fn local_filter(&self) -> &str {
        if self.filter.starts_with('=') {
            ""
        } else {
            &self.filter
        }
    }

    fn compare(&self, a: usize, b: usize) -> std::cmp::Ordering {
        let Some(sort) = self.sort else {
            return a.cmp(&b);
        };
        let cell = |index: usize| {
            self.rows[index]
                .cells
                .get(sort.column)
                .map_or("", String::as_str)
        };
        let order = compare_cells(cell(a), cell(b));
        let order = if sort.descending {
            order.reverse()
        } else {
            order
        };
        order.then(a.cmp(&b))
    }

    /// Drops every row (a reload's first page replaces them).
    pub fn clear_rows(&mut self) {
        self.rows.clear();
        self.order.clear();
        self.visible.clear();
    }

    /// Appends rows; a sorted list merges them in (linear per page, not a sort of all).
    pub fn push_rows(&mut self, rows: impl IntoIterator<Item = Row>) {
        let first_new = self.rows.len();
        self.rows.extend(rows);
        let mut new: Vec<usize> = (first_new..self.rows.len()).collect();
        if self.sort.is_some() {
            new.sort_by(|a, b| self.compare(*a, *b));
            let old = std::mem::take(&mut self.order);
            let mut merged = Vec::with_capacity(old.len() + new.len());
            let (mut i, mut j) = (0, 0);
            while i < old.len() && j < new.len() {
                if self.compare(old[i], new[j]).is_le() {
                    merged.push(old[i]);
                    i += 1;
                } else {
                    merged.push(new[j]);
                    j += 1;
                }
            }
            merged.extend_from_slice(&old[i..]);
            merged.extend_from_slice(&new[j..]);
            self.order = merged;
        } else {
            self.order.extend(new);
        }
        self.apply_filter();
    }

    /// Replaces rows by id with fuller versions (enrichment); unknown ids are ignored.
    pub fn replace_rows(&mut self, rows: impl IntoIterator<Item = Row>) {
        let positions: std::collections::HashMap<&str, usize> = self
            .rows
            .iter()
            .enumerate()
            .map(|(index, row)| (row.id.as_str(), index))
            .collect();
        let updates: Vec<(usize, Row)> = rows
            .into_iter()
            .filter_map(|row| positions.get(row.id.as_str()).map(|index| (*index, row)))
            .collect();
        for (index, row) in updates {
            self.rows[index] = row;
        }
        self.resort();
    }

    pub fn set_sort(&mut self, sort: Option<Sort>) {
        self.sort = sort;
        self.resort();
    }

    fn resort(&mut self) {
        let mut order: Vec<usize> = (0..self.rows.len()).collect();
        if self.sort.is_some() {
            order.sort_by(|a, b| self.compare(*a, *b));
        }
        self.order = order;
        self.apply_filter();
    }

    pub fn apply_filter(&mut self) {
        let needle = self.local_filter().to_lowercase();
        let selected_id = self.sticky.clone().or_else(|| {
            self.is_cursor_moved
                .then(|| self.selected_row().map(|row| row.id.clone()))
                .flatten()
        });
        self.visible = self
            .order
            .iter()
            .copied()
            .filter(|index| needle.is_empty() || self.rows[*index].haystack.contains(&needle))
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

    /// Moves the window just enough to show the selection (k9s-style, not page-wise).
    pub fn scroll_into_view(&mut self, page_rows: usize) {
        self.offset = keep_in_view(self.offset, self.selected, page_rows.max(1));
    }
}

/// The first line to show so that `selected` is in a window of `height` lines, moving
/// `offset` as little as possible.
pub fn keep_in_view(offset: usize, selected: usize, height: usize) -> usize {
    if selected < offset {
        selected
    } else if selected >= offset + height {
        selected + 1 - height
    } else {
        offset
    }
}

/// How a detail is shown: typed fields, the principal tree, or the server's JSON.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DetailMode {
    Fields,
    Tree,
    Raw,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Detail {
    pub resource: Resource,
    pub id: String,
    /// `{"object": <as the server sent it>, ...related objects}`.
    pub data: Remote<Value>,
    pub mode: DetailMode,
    /// The lines of the current mode, built when data or mode change (not per frame).
    pub lines: Vec<ViewLine>,
    pub selected: usize,
    pub offset: usize,
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
    /// When the access token expires (header countdown); `None` for tokens without one.
    pub token_expires_at: Option<DateTime<Utc>>,
    /// Mutations are off: the header says so and the API layer refuses them too.
    pub read_only: bool,
    /// Set when the console shows a snapshot file rather than a live account.
    pub snapshot: Option<SnapshotOrigin>,
}

/// The snapshot file a console was opened on (the header names it and when it was taken).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SnapshotOrigin {
    /// The file's name, without its directory.
    pub file: String,
    pub taken_at: Option<DateTime<Utc>>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct AppState {
    pub session: Session,
    pub routes: Vec<Route>,
    pub lists: HashMap<Resource, ListState>,
    pub detail: Option<Detail>,
    /// Details we came through (Esc returns to them as they were).
    pub detail_stack: Vec<Detail>,
    pub mode: Mode,
    /// The change being made, if any (it takes every key until it is done or cancelled).
    pub editor: Option<super::edit::Editor>,
    /// A secret rotation under way (its steps are edits; this says where it is).
    pub rotation: Option<super::rotation::Rotation>,
    /// `R` on a list row: start the rotation once the SP's detail has loaded.
    pub rotate_when_loaded: bool,
    /// Read every SP secret in the background at start, so the first screen can warn about
    /// expiring ones (off in tests that count the start's effects).
    pub preload_secrets: bool,
    /// Set when the admin picked another profile: the console reopens on it.
    pub switch_profile: Option<String>,
    pub status: Option<Status>,
    /// Generation of the newest task per key; older results are dropped.
    pub generations: HashMap<super::msg::TaskKey, u64>,
    pub next_generation: u64,
    pub spinner: usize,
    /// The clock `update` reads (days left, token countdown); the loop sets it, tests fix it.
    pub now: DateTime<Utc>,
    pub quit: bool,
}

impl AppState {
    pub fn new(session: Session) -> Self {
        Self {
            session,
            routes: vec![Route::List(Resource::Users)],
            lists: HashMap::new(),
            detail: None,
            detail_stack: Vec::new(),
            mode: Mode::Normal,
            editor: None,
            rotation: None,
            rotate_when_loaded: false,
            switch_profile: None,
            preload_secrets: false,
            status: None,
            generations: HashMap::new(),
            next_generation: 0,
            spinner: 0,
            now: Utc::now(),
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
