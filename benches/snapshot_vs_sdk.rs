//! Snapshot benchmark: `dbx-console`'s snapshot of a generated account on the fake (with
//! per-request latency and the SCIM page cap), beside the official Python SDK listing the
//! same resources against the same fake. Run with `cargo bench --bench snapshot_vs_sdk`;
//! sizes and knobs come from the environment (see `Knobs`). Needs the SDK venv that
//! `tests/sdk_conformance/run.sh` creates (set SKIP_SDK=1 to measure only dbx-console).

use std::process::Command;
use std::sync::Arc;
use std::time::{Duration, Instant};

use dbx_console::api::{AccountClient, ClientConfig, StaticToken};
use dbx_console::mock::{MockConfig, MockServer, SeedKind};
use dbx_console::snapshot::{self, Progress};

struct Knobs {
    users: usize,
    groups: usize,
    service_principals: usize,
    workspaces: usize,
    latency_ms: u64,
    page_cap: usize,
    concurrency: usize,
    reads_per_second: f64,
    skip_sdk: bool,
}

fn env<T: std::str::FromStr>(name: &str, default: T) -> T {
    std::env::var(name)
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}

impl Knobs {
    fn from_env() -> Self {
        Self {
            users: env("BENCH_USERS", 100_000),
            groups: env("BENCH_GROUPS", 10_000),
            service_principals: env("BENCH_SERVICE_PRINCIPALS", 5_000),
            workspaces: env("BENCH_WORKSPACES", 200),
            latency_ms: env("BENCH_LATENCY_MS", 25),
            page_cap: env("BENCH_PAGE_CAP", 100),
            concurrency: env("BENCH_CONCURRENCY", 6),
            reads_per_second: env("BENCH_READS_PER_SECOND", 240.0),
            skip_sdk: env("SKIP_SDK", 0) == 1,
        }
    }
}

struct Quiet;

impl Progress for Quiet {
    fn update(&self, _: &str, _: usize, _: Option<usize>) {}
    fn finish(&self, stage: &str, count: usize) {
        eprintln!("  {stage}: {count}");
    }
}

fn main() {
    // `cargo test --all-targets` runs bench binaries without `--bench`; the measurement
    // takes minutes and belongs to `cargo bench` only.
    if !std::env::args().any(|arg| arg == "--bench") {
        println!("snapshot_vs_sdk: skipped outside `cargo bench`");
        return;
    }
    let knobs = Knobs::from_env();
    let runtime = tokio::runtime::Runtime::new().expect("a tokio runtime");
    let server = runtime
        .block_on(MockServer::start(MockConfig {
            seed: SeedKind::Empty,
            users: knobs.users,
            groups: knobs.groups,
            service_principals: knobs.service_principals,
            workspaces: knobs.workspaces,
            latency_ms: knobs.latency_ms,
            page_cap: knobs.page_cap,
            ..MockConfig::default()
        }))
        .expect("the fake starts");
    println!(
        "account: {} users, {} groups, {} SPs, {} workspaces; latency {} ms, page cap {}",
        knobs.users,
        knobs.groups,
        knobs.service_principals,
        knobs.workspaces,
        knobs.latency_ms,
        knobs.page_cap
    );

    let mut config = ClientConfig::new(&server.host, &server.account_id);
    config.scim_concurrency = knobs.concurrency;
    config.reads_per_second = knobs.reads_per_second;
    let client = AccountClient::new(
        config,
        Arc::new(StaticToken::new(server.admin_token.clone())),
    )
    .expect("a client");
    let started = Instant::now();
    runtime
        .block_on(snapshot::take(&client, &Quiet))
        .expect("the snapshot succeeds");
    let ours = started.elapsed();
    let requests = client.attempts();
    // The bound the configuration allows: requests spread over `concurrency` lanes of one
    // latency each, or the read budget, whichever is slower.
    let lanes =
        Duration::from_millis(knobs.latency_ms).mul_f64(requests as f64 / knobs.concurrency as f64);
    let budget = Duration::from_secs_f64(requests as f64 / knobs.reads_per_second.max(1.0));
    let bound = lanes.max(budget);
    println!(
        "dbx-console snapshot: {:.1} s, {requests} requests, concurrency {}; bound {:.1} s (ratio to bound {:.2})",
        ours.as_secs_f64(),
        knobs.concurrency,
        bound.as_secs_f64(),
        ours.as_secs_f64() / bound.as_secs_f64().max(f64::EPSILON)
    );

    if knobs.skip_sdk {
        return;
    }
    let python =
        std::env::var("SDK_PYTHON").unwrap_or_else(|_| "target/sdk-venv/bin/python".into());
    let output = Command::new(&python)
        .arg("tests/sdk_conformance/tools/list_account.py")
        .arg(&server.host)
        .arg(&server.account_id)
        .env("DATABRICKS_TOKEN", &server.admin_token)
        .output()
        .expect("the SDK venv exists (run tests/sdk_conformance/run.sh once)");
    assert!(
        output.status.success(),
        "SDK listing failed: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    let report: serde_json::Value =
        serde_json::from_slice(&output.stdout).expect("JSON from the SDK lister");
    let sdk = report["seconds"].as_f64().unwrap_or_default();
    println!("Python SDK listing:   {sdk:.1} s ({})", report["counts"]);
    println!("speed-up: {:.1}x", sdk / ours.as_secs_f64());
    runtime.block_on(server.stop());
}
