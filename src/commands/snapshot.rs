//! `dbx-console snapshot`.

use std::io::Write;

use crate::cli::SnapshotArgs;
use crate::headless::{connected_client, exit_with, write_atomically};
use crate::snapshot::{StderrProgress, take};

pub async fn run(args: SnapshotArgs) {
    let (client, _, connected) = connected_client(&args.account, args.concurrency)
        .await
        .unwrap_or_else(|e| exit_with(&e));
    for warning in &connected.warnings {
        eprintln!("warning: {warning}");
    }
    let started = std::time::Instant::now();
    let document = match take(&client, &StderrProgress::default()).await {
        Ok(document) => document,
        Err(error) => exit_with(&format!(
            "the snapshot could not be taken: {error}\n{}",
            error.hint()
        )),
    };
    let mut bytes =
        serde_json::to_vec_pretty(&document).unwrap_or_else(|e| exit_with(&e.to_string()));
    bytes.push(b'\n');
    match &args.output {
        Some(path) => write_atomically(path, &bytes).unwrap_or_else(|e| exit_with(&e)),
        None => {
            let mut stdout = std::io::stdout().lock();
            if let Err(error) = stdout.write_all(&bytes).and_then(|()| stdout.flush()) {
                exit_with(&format!("could not write the snapshot to stdout: {error}"));
            }
        }
    }
    eprintln!(
        "snapshot done in {:.1} s, {} requests",
        started.elapsed().as_secs_f64(),
        client.attempts()
    );
}
