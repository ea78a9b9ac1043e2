//! The app's state: where the user is (a route stack with breadcrumbs), one list per
//! resource, the open detail, the input mode, and the status line. Drawing reads it; only
//! `update` changes it.

use std::collections::HashMap;

use serde_json::Value;

use chrono::{DateTime, Utc};

pub use super::list::{ListState, Row, Sort, compare_cells, keep_in_view};
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
    /// The secrets list's expired and expiring secrets, counted when it completes.
    pub secret_flags: super::facts::SecretFlags,
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
            secret_flags: super::facts::SecretFlags::default(),
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
