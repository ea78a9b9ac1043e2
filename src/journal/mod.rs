//! The change journal: every write the console performs, appended to `journal.jsonl` in the
//! data directory with its secrets removed, and read back for `dbx-console journal`.

mod entry;
mod file;
pub mod format;
mod query;

pub use entry::{Actor, Entry, Operation, Outcome, ResourceType};
pub use file::{Journal, JournalContents, JournalError};
pub use query::{JournalQuery, parse_since};
