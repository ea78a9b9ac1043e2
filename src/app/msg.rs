//! What happens to the app (`Msg`), what a key means (`Action`), and what `update` asks the
//! outside world to do (`Effect`). Effects are data, so tests assert on them.

use crossterm::event::KeyEvent;
use serde_json::Value;

use crate::api::{ApiError, ScimPage};

/// The account resources the console lists.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Resource {
    Workspaces,
    Users,
    Groups,
    ServicePrincipals,
    Secrets,
    Apps,
    PublishedApps,
    FederationPolicies,
    /// Every write this console made, from the change journal on this machine.
    Journal,
    /// Profiles of `~/.databrickscfg`: Enter switches to one.
    Profiles,
    /// Risky configuration found in the whole account; Enter opens the resource.
    Audit,
}

impl Resource {
    /// In `:` completion order: the most used first.
    pub const ALL: [Resource; 11] = [
        Resource::Workspaces,
        Resource::Users,
        Resource::Groups,
        Resource::ServicePrincipals,
        Resource::Secrets,
        Resource::Apps,
        Resource::PublishedApps,
        Resource::FederationPolicies,
        Resource::Audit,
        Resource::Journal,
        Resource::Profiles,
    ];

    pub fn title(self) -> &'static str {
        match self {
            Resource::Workspaces => "Workspaces",
            Resource::Users => "Users",
            Resource::Groups => "Groups",
            Resource::ServicePrincipals => "Service principals",
            Resource::Secrets => "Secrets",
            Resource::Apps => "App connections",
            Resource::PublishedApps => "Published apps",
            Resource::FederationPolicies => "Federation policies",
            Resource::Journal => "Change journal",
            Resource::Profiles => "Profiles",
            Resource::Audit => "Audit",
        }
    }

    /// Names accepted on the `:` command line; the first is canonical.
    pub fn aliases(self) -> &'static [&'static str] {
        match self {
            Resource::Workspaces => &["workspaces", "ws", "workspace"],
            Resource::Users => &["users", "user", "u"],
            Resource::Groups => &["groups", "group", "g"],
            Resource::ServicePrincipals => {
                &["service-principals", "sp", "sps", "service-principal"]
            }
            Resource::Secrets => &["secrets", "secret"],
            Resource::Apps => &["apps", "app", "app-connections", "connections"],
            Resource::PublishedApps => &["published-apps", "published", "pub"],
            Resource::FederationPolicies => {
                &["federation-policies", "fed", "federation", "policies"]
            }
            Resource::Journal => &["journal", "changes", "history"],
            Resource::Profiles => &["profile", "profiles", "accounts"],
            Resource::Audit => &["audit", "findings", "risks"],
        }
    }

    pub fn from_command(word: &str) -> Option<Resource> {
        let word = word.trim().to_ascii_lowercase();
        Resource::ALL
            .into_iter()
            .find(|r| r.aliases().contains(&word.as_str()))
    }

    /// SCIM resources stream page by page and can take a server-side filter.
    pub fn is_scim(self) -> bool {
        matches!(
            self,
            Resource::Users | Resource::Groups | Resource::ServicePrincipals
        )
    }
}

/// Identifies a background task: starting one with the same key cancels the old one.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum TaskKey {
    List(Resource),
    /// One detail loads at a time: opening another cancels it.
    Detail,
    Counts,
    /// The one edit in progress.
    Edit,
}

/// Work `update` asks for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Task {
    /// Stream a resource's list page by page; `filter` is a SCIM filter sent to the server.
    List {
        resource: Resource,
        filter: Option<String>,
    },
    /// Count the members of these groups (member counts are never guessed from a list).
    CountMembers(Vec<String>),
    /// Look up the principal a name in a form means.
    Resolve { name: String },
    /// Re-read, then write once and journal.
    Apply {
        plan: Box<crate::app::edit::Plan>,
        base: Value,
        actor: crate::journal::Actor,
    },
    /// Read one resource in full.
    Detail { resource: Resource, id: String },
}

impl Task {
    pub fn key(&self) -> TaskKey {
        match self {
            Task::List { resource, .. } => TaskKey::List(*resource),
            Task::CountMembers(_) => TaskKey::Counts,
            Task::Resolve { .. } | Task::Apply { .. } => TaskKey::Edit,
            Task::Detail { .. } => TaskKey::Detail,
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Effect {
    Start(Task),
    Cancel(TaskKey),
    /// Copy to the clipboard (OSC 52).
    Copy(String),
    /// Copy a secret being revealed; `Secret` keeps it out of any debug output.
    CopySecret(crate::secret::Secret),
    /// Hand the terminal to the admin's editor on a form field's text; the loop answers
    /// with `Msg::EditorClosed`.
    SuspendForEditor(EditorRequest),
    Quit,
}

/// Long text of a form field to edit in `$VISUAL`/`$EDITOR`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EditorRequest {
    /// The field the text comes from and goes back to.
    pub field: &'static str,
    pub text: String,
    /// The temporary file's extension (`json`), so the editor highlights it.
    pub extension: &'static str,
}

/// How an editor session ended.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum EditorOutcome {
    /// The file was saved with other text: here it is.
    Changed(String),
    /// The file is as it was written (quit without saving).
    Unchanged,
    /// The editor did not start, exited with an error, or its file could not be read back.
    Failed(String),
}

/// What a task reports back.
#[derive(Debug)]
pub enum TaskOutcome {
    Page(ScimPage<Value>),
    /// Rows replaced by id with fuller data (secrets counted, member counts, federation).
    Updated(Vec<Value>),
    ListDone,
    Detail(Value),
    Resolved(Result<crate::app::edit::ops::Principal, String>),
    /// The object changed on the server since the edit began: here it is now.
    Changed(Value),
    /// The write succeeded; the server's response.
    Applied(Value),
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
    /// The editor opened on a form field (`Effect::SuspendForEditor`) exited.
    EditorClosed {
        field: &'static str,
        outcome: EditorOutcome,
    },
}

impl Action {
    /// Whether the action changes the account (hidden and refused in read-only mode).
    pub fn is_mutation(self) -> bool {
        matches!(
            self,
            Action::New
                | Action::NewPolicy
                | Action::Edit
                | Action::Delete
                | Action::ToggleAdmin
                | Action::ToggleActive
                | Action::Rotate
                | Action::EditRoles
        )
    }
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
    /// Cycle the sorted column; `SortReverse` flips the direction.
    SortNext,
    SortReverse,
    /// The selected object exactly as the server sent it.
    RawJson,
    /// The principal tree: groups, workspaces, roles, secrets, policies.
    Tree,
    CountMembers,
    /// Create here: an app connection, a policy, a secret, a member, an assignment.
    New,
    /// A federation policy for the service principal on screen.
    NewPolicy,
    Edit,
    /// Delete the object, or remove the related item under the cursor.
    Delete,
    ToggleAdmin,
    ToggleActive,
    /// Guided rotation of a service principal's OAuth secret.
    Rotate,
    /// Grant or revoke who may manage or use a service principal.
    EditRoles,
    Quit,
}
