//! Logging to a file: a terminal UI owns stdout and stderr, so logs never go there.
//! `DBX_CONSOLE_LOG` sets the filter (e.g. `debug`), `DBX_CONSOLE_LOG_FILE` the file; without
//! the file variable nothing is logged for the commands, which talk to the user directly.

use std::path::{Path, PathBuf};

use tracing_appender::non_blocking::WorkerGuard;

pub const LOG_FILTER_ENV: &str = "DBX_CONSOLE_LOG";
pub const LOG_FILE_ENV: &str = "DBX_CONSOLE_LOG_FILE";

/// Starts file logging if asked for; keep the guard alive until exit or the last lines
/// are lost.
pub fn init_from_env() -> Option<WorkerGuard> {
    let path = std::env::var_os(LOG_FILE_ENV).map(PathBuf::from)?;
    init_file(&path)
}

pub fn init_file(path: &Path) -> Option<WorkerGuard> {
    let directory = path
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    let file_name = path.file_name()?;
    std::fs::create_dir_all(directory).ok()?;
    let (writer, guard) =
        tracing_appender::non_blocking(tracing_appender::rolling::never(directory, file_name));
    let filter = tracing_subscriber::EnvFilter::try_from_env(LOG_FILTER_ENV)
        .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("info"));
    tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(writer)
        .with_ansi(false)
        .try_init()
        .ok()?;
    Some(guard)
}
