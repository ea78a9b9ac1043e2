//! One module per pane.

pub mod detail;
pub mod list;
