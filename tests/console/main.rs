//! Snapshot tests of the interactive console's screens: each state is built from fixtures and
//! drawn into a `TestBackend` at 80×24 and 160×48 (see `snapshots/`), and pure `update`
//! tests of moving between them.

mod apps;
mod detail;
mod edit_fields;
mod edits;
mod external_editor;
mod federation;
mod fixtures;
mod fixtures_account;
mod fixtures_apps;
mod fixtures_hostile;
mod fixtures_principals;
mod groups;
mod header;
mod hostile;
mod hostile_account;
mod lists;
mod loaders;
mod modes;
mod navigation;
mod overlays;
mod service_principals;
mod support;
mod workspaces;
