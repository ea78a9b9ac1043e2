//! The `dbx-console` binary.

use std::io::Write;

use clap::Parser;
use color_eyre::eyre::{Result, WrapErr};
use dbx_console::cli::{AuthCommand, Cli, Command};
use dbx_console::commands;
use dbx_console::mock::{Handshake, MockConfig, MockServer};

fn main() -> Result<()> {
    color_eyre::install()?;
    // Usage errors exit 1 like every other error (clap's default is 2), so that `audit`'s 2
    // means only "a finding reached --fail-on" to the scripts that check it.
    let cli = Cli::try_parse().unwrap_or_else(|error| {
        let _ = error.print();
        std::process::exit(if error.use_stderr() { 1 } else { 0 });
    });
    // The mock server logs to stderr (its stdout carries the handshake line); everything
    // else logs to a file only when asked to.
    let _log_guard = match cli.command {
        Some(Command::MockServer(_)) => None,
        _ => dbx_console::logging::init_from_env(),
    };
    let runtime = tokio::runtime::Runtime::new().wrap_err("could not start the async runtime")?;
    match cli.command {
        Some(Command::MockServer(config)) => runtime.block_on(run_mock_server(config)),
        Some(Command::Snapshot(args)) => {
            runtime.block_on(commands::snapshot::run(args));
            Ok(())
        }
        Some(Command::Audit(args)) => {
            runtime.block_on(commands::audit::run(args));
            Ok(())
        }
        Some(Command::Diff(args)) => {
            commands::diff::run(args);
            Ok(())
        }
        Some(Command::Login(args)) => {
            runtime.block_on(commands::login::run(args));
            Ok(())
        }
        Some(Command::Journal(args)) => {
            commands::journal::run(args);
            Ok(())
        }
        Some(Command::Logout(args)) => {
            commands::auth_status::logout(args);
            Ok(())
        }
        Some(Command::Auth {
            command: AuthCommand::Status(args),
        }) => {
            runtime.block_on(commands::auth_status::status(args));
            Ok(())
        }
        None => {
            let options = dbx_console::console::ConsoleOptions {
                read_only: cli.read_only,
            };
            if cli.demo {
                runtime.block_on(dbx_console::console::run_demo(options))
            } else if let Some(path) = &cli.snapshot {
                runtime.block_on(dbx_console::console::run_snapshot(path, options))
            } else {
                runtime.block_on(dbx_console::console::run_configured(&cli.account, options))
            }
        }
    }
}

fn init_stderr_logging() {
    let filter = tracing_subscriber::EnvFilter::try_from_env("DBX_CONSOLE_LOG")
        .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("info"));
    let _ = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(std::io::stderr)
        .try_init();
}

async fn run_mock_server(config: MockConfig) -> Result<()> {
    init_stderr_logging();
    // A port in use or a file that is not a snapshot is told plainly, not as a crash report.
    let server = MockServer::start(config).await.unwrap_or_else(|error| {
        dbx_console::headless::exit_with(&format!("the fake account server did not start: {error}"))
    });
    let line = serde_json::to_string(&Handshake::of(&server))?;
    // Tests read this first line to find the server; flush it at once.
    let mut stdout = std::io::stdout().lock();
    writeln!(stdout, "{line}")?;
    stdout.flush()?;
    drop(stdout);
    tracing::info!(host = %server.host, account_id = %server.account_id, "fake account server listening");
    wait_for_shutdown_signal().await;
    tracing::info!("shutting down");
    server.stop().await;
    Ok(())
}

async fn wait_for_shutdown_signal() {
    let interrupt = tokio::signal::ctrl_c();
    #[cfg(unix)]
    {
        let mut terminate =
            match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
                Ok(signal) => signal,
                Err(_) => {
                    let _ = interrupt.await;
                    return;
                }
            };
        tokio::select! {
            _ = interrupt => {}
            _ = terminate.recv() => {}
        }
    }
    #[cfg(not(unix))]
    {
        let _ = interrupt.await;
    }
}
