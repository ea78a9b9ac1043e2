//! End-to-end tests: the real `dbx-console --demo` binary in a pseudo-terminal, driven key by
//! key and checked on the screen a user would see (style guide §12.5).

mod console;
mod resources;
mod screen;
mod support;
mod terminal;
mod views;
