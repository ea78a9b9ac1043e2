//! `dbx-console snapshot`.

use std::time::{Duration, Instant};

use serde_json::Value;

use crate::cli::{AccountArgs, SnapshotArgs};
use crate::headless::{connected_client, exit_with, write_output};
use crate::snapshot::{StderrProgress, take};

pub async fn run(args: SnapshotArgs) {
    let taken = take_live(&args.account, args.concurrency).await;
    let mut bytes =
        serde_json::to_vec_pretty(&taken.document).unwrap_or_else(|e| exit_with(&e.to_string()));
    bytes.push(b'\n');
    write_output(args.output.as_deref(), &bytes)
        .unwrap_or_else(|e| exit_with(&format!("the snapshot was taken but {e}")));
    eprintln!(
        "snapshot done in {:.1} s, {} requests",
        taken.elapsed.as_secs_f64(),
        taken.requests
    );
}

/// A snapshot of the live account and what it cost.
pub struct Taken {
    pub document: Value,
    pub elapsed: Duration,
    pub requests: u64,
}

/// Signs in as configured and reads the whole account, with progress on stderr; exits
/// with the reason when either fails.
pub async fn take_live(account: &AccountArgs, concurrency: usize) -> Taken {
    let (client, _, connected) = connected_client(account, concurrency)
        .await
        .unwrap_or_else(|e| exit_with(&e));
    for warning in &connected.warnings {
        eprintln!("warning: {warning}");
    }
    let started = Instant::now();
    let document = match take(&client, &StderrProgress::default()).await {
        Ok(document) => document,
        Err(error) => exit_with(&format!(
            "the snapshot could not be taken: {error}\n{}",
            error.hint()
        )),
    };
    Taken {
        document,
        elapsed: started.elapsed(),
        requests: client.attempts(),
    }
}
