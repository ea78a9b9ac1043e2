//! Snapshot tests of the interactive console's screens: each state is built from fixtures and
//! drawn into a `TestBackend` at 80×24 and 160×48 (see `snapshots/`).

mod detail;
mod edits;
mod fixtures;
mod hostile;
mod lists;
mod overlays;
mod support;
