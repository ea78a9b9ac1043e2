//! Changing the account safely: an operation (`Op`) opens a form or goes straight to review;
//! review shows the field-by-field diff and the exact request; applying re-reads the object
//! first and shows the new diff instead of overwriting a concurrent change; secrets the
//! server returns once are revealed once. Everything here is plain state for `update`.

pub mod checklist;
pub mod external;
pub mod form;
pub mod ops;
pub mod plan;

use serde_json::Value;

use crate::secret::Secret;
use form::Form;
pub use ops::Op;
pub use plan::Plan;

/// Where an edit is.
#[derive(Debug, Clone, PartialEq)]
pub enum Stage {
    Form,
    /// Reading what the plan needs (names to ids, the object as it is now).
    Preparing,
    Review {
        /// The object changed on the server since the form opened: this is the new diff.
        changed_on_server: bool,
        /// What the admin typed to confirm a deletion that asks for the target's name.
        typed: String,
        scroll: usize,
    },
    Applying,
    /// A secret the server returns only once. `confirming` asks "have you stored it?".
    Reveal {
        title: String,
        secret: Secret,
        confirming: bool,
    },
}

#[derive(Debug, Clone, PartialEq)]
pub struct Editor {
    pub op: Op,
    /// The object as it was when the edit began (`Null` for creates).
    pub base: Value,
    pub form: Option<Form>,
    pub plan: Option<Plan>,
    pub stage: Stage,
    /// The last refusal, shown above the form or review.
    pub error: Option<String>,
}

impl Stage {
    pub fn review(changed_on_server: bool) -> Stage {
        Stage::Review {
            changed_on_server,
            typed: String::new(),
            scroll: 0,
        }
    }
}

#[cfg(test)]
mod field_tests;
#[cfg(test)]
mod tests;
