//! The pure, UI-independent parts of editing: form validation, issuer templates for
//! federation policies, the field-by-field diff and request preview for the confirm step, and
//! the full-replace merge that keeps fields this console does not know.

pub mod changes;
mod keyed;
pub mod merge;
pub mod preview;
pub mod templates;
pub mod validate;

pub use changes::{Change, ChangeKind, diff};
pub use merge::merge_for_replace;
pub use preview::{preview_lines, request_target};
pub use templates::{IssuerTemplate, TEMPLATES, placeholders};
pub use validate::{FieldMessage, Validation};
