//! What happens to the app (`Msg`), what a key means (`Action`), and what `update` asks the
//! outside world to do (`Effect`). Effects are data, so tests assert on them.

use crossterm::event::KeyEvent;
use serde_json::Value;

use crate::api::{ApiError, ScimPage};

/// The account resources the console lists.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Resource {
    Users,
    Groups,
    ServicePrincipals,
}

impl Resource {
    pub const ALL: [Resource; 3] = [
        Resource::Users,
        Resource::Groups,
        Resource::ServicePrincipals,
    ];

    pub fn title(self) -> &'static str {
        match self {
            Resource::Users => "Users",
            Resource::Groups => "Groups",
            Resource::ServicePrincipals => "Service principals",
        }
    }

    /// Names accepted on the `:` command line; the first is canonical.
    pub fn aliases(self) -> &'static [&'static str] {
        match self {
            Resource::Users => &["users", "user", "u"],
            Resource::Groups => &["groups", "group", "g"],
            Resource::ServicePrincipals => {
                &["service-principals", "sp", "sps", "service-principal"]
            }
        }
    }

    pub fn from_command(word: &str) -> Option<Resource> {
        let word = word.trim().to_ascii_lowercase();
        Resource::ALL
            .into_iter()
            .find(|r| r.aliases().contains(&word.as_str()))
    }
}

/// Identifies a background task: starting one with the same key cancels the old one.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum TaskKey {
    List(Resource),
    Detail(Resource),
}

/// Work `update` asks for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Task {
    /// Stream a resource's list page by page.
    List(Resource),
    /// Read one resource in full.
    Detail { resource: Resource, id: String },
}

impl Task {
    pub fn key(&self) -> TaskKey {
        match self {
            Task::List(resource) => TaskKey::List(*resource),
            Task::Detail { resource, .. } => TaskKey::Detail(*resource),
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Effect {
    Start(Task),
    Cancel(TaskKey),
    /// Copy to the clipboard (OSC 52).
    Copy(String),
    Quit,
}

/// What a task reports back.
#[derive(Debug)]
pub enum TaskOutcome {
    Page(ScimPage<Value>),
    ListDone,
    Detail(Value),
    Failed(ApiError),
}

#[derive(Debug)]
pub struct TaskEvent {
    pub key: TaskKey,
    pub generation: u64,
    pub outcome: TaskOutcome,
}

#[derive(Debug)]
pub enum Msg {
    Key(KeyEvent),
    Resized,
    Task(TaskEvent),
    /// An animation frame while something loads.
    Tick,
}

/// What a key means in its context (after the keymap).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Deserialize, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Action {
    Up,
    Down,
    PageUp,
    PageDown,
    Top,
    Bottom,
    Open,
    Back,
    Refresh,
    StartFilter,
    StartCommand,
    Help,
    CopyId,
    Quit,
}
