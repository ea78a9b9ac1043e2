//! End-to-end tests: the real `dbx-console` binary in a pseudo-terminal, driven key by key and
//! checked on the screen a user would see (style guide §12.5): on the `--demo` account, and
//! signed in to a `mock-server` whose state the edit tests check over HTTP.

mod console;
mod edit_fields;
mod edits;
mod fake;
mod journal;
mod read_only;
mod resources;
mod rotation;
mod screen;
mod snapshot;
mod steps;
mod support;
mod terminal;
mod views;
