//! One module per pane.

pub mod detail;
pub mod edit;
mod edit_form;
pub mod list;
