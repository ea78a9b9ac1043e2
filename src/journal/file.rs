//! The journal file `journal.jsonl`: one JSON entry per line, appended with `O_APPEND` in one
//! `write` per line, mode 0600 in a 0700 directory, created on first use.

use std::fs::{File, OpenOptions};
use std::io::{self, BufRead, BufReader, Write};
use std::path::{Path, PathBuf};

use super::entry::Entry;
use crate::auth::token_store::DATA_DIR_ENV;
use crate::private_files::{PrivateDirError, mode_open_to_others, prepare_private_dir, set_mode};
use crate::redact::remove_secrets;

const FILE_NAME: &str = "journal.jsonl";

/// Messages say what failed (with the path), why, and what to do.
#[derive(Debug, thiserror::Error)]
pub enum JournalError {
    #[error(
        "could not find a data directory for dbx-console (no home directory?); set {DATA_DIR_ENV} to a writable directory"
    )]
    NoDataDir,
    #[error(
        "could not create the journal directory {}: {source}; check the permissions of its parent, or set {DATA_DIR_ENV} to a writable directory",
        .path.display()
    )]
    CreateDir { path: PathBuf, source: io::Error },
    #[error(
        "could not restrict the journal directory {} to its owner (mode 0700): {source}; check that you own it",
        .path.display()
    )]
    RestrictDir { path: PathBuf, source: io::Error },
    #[error(
        "could not write to the journal {}: {source}; check free disk space and that you own the file",
        .path.display()
    )]
    Write { path: PathBuf, source: io::Error },
    #[error(
        "could not read the journal {}: {source}; check that you own it and may read it",
        .path.display()
    )]
    Read { path: PathBuf, source: io::Error },
}

/// What [`Journal::read_all`] found.
#[derive(Debug, Default)]
pub struct JournalContents {
    /// In file order, which is the order the writes finished in.
    pub entries: Vec<Entry>,
    /// Lines that are not an entry (a torn last line after a crash, a hand edit); they are
    /// skipped so one bad line never hides the rest.
    pub skipped_corrupt_lines: usize,
}

/// The change journal of this machine's user, shared by every console process.
#[derive(Debug, Clone)]
pub struct Journal {
    path: PathBuf,
    /// Whether an existing directory is tightened to 0700: yes for our default data
    /// directory, no for one the user named (see [`prepare_private_dir`]).
    owns_dir: bool,
}

impl Journal {
    /// The journal in `dir`. Nothing is touched until the first append.
    pub fn open(dir: impl AsRef<Path>) -> Self {
        Self {
            path: dir.as_ref().join(FILE_NAME),
            owns_dir: false,
        }
    }

    /// The journal in `DBX_CONSOLE_DATA_DIR` when set, else in the platform data directory
    /// (`~/.local/share/dbx-console` on Linux), beside the token file.
    pub fn default_location() -> Result<Self, JournalError> {
        Self::locate(std::env::var(DATA_DIR_ENV).ok())
    }

    /// [`Journal::default_location`] with the variable's value passed in, so tests need not
    /// change the process environment.
    fn locate(override_dir: Option<String>) -> Result<Self, JournalError> {
        if let Some(dir) = override_dir.as_deref().map(str::trim)
            && !dir.is_empty()
        {
            return Ok(Self::open(dir));
        }
        let dirs =
            directories::ProjectDirs::from("", "", "dbx-console").ok_or(JournalError::NoDataDir)?;
        Ok(Self {
            path: dirs.data_dir().join(FILE_NAME),
            owns_dir: true,
        })
    }

    pub fn path(&self) -> &Path {
        &self.path
    }

    /// Appends `entry` with its secrets removed. The whole line goes out in one `write` on a
    /// file opened with `O_APPEND`, so lines from concurrent consoles never interleave: the
    /// kernel moves the offset to the end and writes under the file's lock in one step.
    pub fn append(&self, entry: &Entry) -> Result<(), JournalError> {
        let mut line = encode_line(entry);
        line.push('\n');
        let write_error = |source| JournalError::Write {
            path: self.path.clone(),
            source,
        };
        self.prepare_directory()?;
        let mut file = open_for_append(&self.path).map_err(write_error)?;
        // `write_all` is one `write` for a regular file unless the disk is full or a signal
        // cuts it short; a torn line is then skipped by the reader, not misread.
        file.write_all(line.as_bytes()).map_err(write_error)
    }

    /// Every readable entry; a missing file is an empty journal.
    pub fn read_all(&self) -> Result<JournalContents, JournalError> {
        let read_error = |source| JournalError::Read {
            path: self.path.clone(),
            source,
        };
        let file = match File::open(&self.path) {
            Ok(file) => file,
            Err(error) if error.kind() == io::ErrorKind::NotFound => {
                return Ok(JournalContents::default());
            }
            Err(error) => return Err(read_error(error)),
        };
        let mut contents = JournalContents::default();
        // Split on raw bytes: a torn write can end inside a UTF-8 sequence, and that must
        // cost one line, not the whole read.
        for line in BufReader::new(file).split(b'\n') {
            let line = line.map_err(read_error)?;
            if line.iter().all(u8::is_ascii_whitespace) {
                continue;
            }
            match serde_json::from_slice::<Entry>(&line) {
                Ok(entry) => contents.entries.push(entry),
                Err(_) => contents.skipped_corrupt_lines += 1,
            }
        }
        Ok(contents)
    }

    fn prepare_directory(&self) -> Result<(), JournalError> {
        let Some(directory) = self.path.parent().filter(|p| !p.as_os_str().is_empty()) else {
            return Ok(());
        };
        prepare_private_dir(directory, self.owns_dir).map_err(|error| match error {
            PrivateDirError::Create(source) => JournalError::CreateDir {
                path: directory.to_owned(),
                source,
            },
            PrivateDirError::Restrict(source) => JournalError::RestrictDir {
                path: directory.to_owned(),
                source,
            },
        })
    }
}

/// The line as stored: the entry with its secrets removed, as compact JSON (which escapes
/// line breaks, so a line is always one entry).
fn encode_line(entry: &Entry) -> String {
    let mut stored = entry.clone();
    stored.before = stored.before.as_ref().map(remove_secrets);
    stored.after = stored.after.as_ref().map(remove_secrets);
    // An Entry holds only strings, numbers and JSON values, which always serialize.
    serde_json::to_string(&stored).unwrap_or_default()
}

fn open_for_append(path: &Path) -> io::Result<File> {
    let mut options = OpenOptions::new();
    options.create(true).append(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.mode(0o600);
    }
    let file = options.open(path)?;
    // The mode above applies only to a new file; one made by hand or by an older umask is
    // tightened here.
    if mode_open_to_others(&file.metadata()?).is_some() {
        set_mode(path, 0o600)?;
    }
    Ok(file)
}

#[cfg(test)]
#[path = "file_tests.rs"]
mod tests;
