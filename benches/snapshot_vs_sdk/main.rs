//! Issue 8, target 1: `dbx-console`'s snapshot of a generated account on the fake (per-request
//! latency, the SCIM page cap, and a rate limit that answers 429), beside the official Python
//! SDK listing the same resources against the same fake in the same run. Run with
//! `cargo bench --bench snapshot_vs_sdk` (or `benches/run.sh`); sizes and knobs come from the
//! environment (see `Knobs`). Needs the SDK venv (`tests/sdk_conformance/venv.sh` creates
//! it); SKIP_SDK=1 measures dbx-console alone.

mod account;
#[allow(dead_code)]
#[path = "../common/mod.rs"]
mod common;
mod rates;
mod summary;

use std::process::Command;
use std::sync::Arc;
use std::sync::atomic::Ordering;
use std::time::{Duration, Instant};

use dbx_console::api::{AccountClient, ClientConfig, RequestClass, StaticToken};
use dbx_console::cli::DEFAULT_CONCURRENCY;
use dbx_console::mock::{MockConfig, MockServer, SeedKind};
use dbx_console::snapshot::{self, Progress};

use common::{AccountKnobs, env};
use rates::{ClassTraffic, Sampler};
use summary::Row;

pub struct Knobs {
    account: AccountKnobs,
    concurrency: usize,
    scim_lists_per_second: f64,
    scim_gets_per_second: f64,
    reads_per_second: f64,
    /// The fake's own limit on all REST requests per second, and how many it lets through
    /// at once; excess gets 429.
    fake_rate_limit: f64,
    fake_rate_burst: f64,
    skip_sdk: bool,
}

impl Knobs {
    fn from_env() -> Self {
        // Budgets default to the client's own defaults, concurrency to the CLI's.
        let client = ClientConfig::new("http://127.0.0.1", "-");
        let scim_gets_per_second = env("BENCH_SCIM_GETS_PER_SECOND", client.scim_gets_per_second);
        let reads_per_second = env("BENCH_READS_PER_SECOND", client.reads_per_second);
        let concurrency = env("BENCH_CONCURRENCY", DEFAULT_CONCURRENCY);
        Self {
            account: AccountKnobs::from_env(),
            concurrency,
            scim_lists_per_second: env("BENCH_SCIM_LISTS_PER_SECOND", client.scim_lists_per_second),
            scim_gets_per_second,
            reads_per_second,
            // What the two budgets that run side by side the longest (group reads and
            // per-SP reads) allow together, with a burst of one request per lane: the
            // client's opening bursts, the list pages beside those reads and any clump of
            // answers go over it, so the fake really answers 429 and the client must
            // absorb them.
            fake_rate_limit: env(
                "BENCH_FAKE_RATE_LIMIT",
                scim_gets_per_second + reads_per_second,
            ),
            fake_rate_burst: env("BENCH_FAKE_RATE_BURST", concurrency as f64),
            skip_sdk: env("SKIP_SDK", 0) == 1,
        }
    }

    fn client_config(&self, server: &MockServer) -> ClientConfig {
        let mut config = ClientConfig::new(&server.host, &server.account_id);
        config.scim_concurrency = self.concurrency;
        config.max_in_flight = self.concurrency;
        config.scim_lists_per_second = self.scim_lists_per_second;
        config.scim_gets_per_second = self.scim_gets_per_second;
        config.reads_per_second = self.reads_per_second;
        config
    }
}

struct Quiet;

impl Progress for Quiet {
    fn update(&self, _: &str, _: usize, _: Option<usize>) {}
    fn finish(&self, stage: &str, count: usize) {
        eprintln!("  {stage}: {count}");
    }
}

fn machine() -> String {
    let cores = std::thread::available_parallelism().map_or(0, |n| n.get());
    let load = std::fs::read_to_string("/proc/loadavg")
        .ok()
        .and_then(|text| text.split_whitespace().next().map(str::to_owned))
        .unwrap_or_else(|| "?".into());
    format!("{cores} cores, load average {load}")
}

fn throttled_by_fake(server: &MockServer) -> u64 {
    let counters = &server.shared().traffic.counters;
    counters.throttled.load(Ordering::Relaxed)
}

fn main() {
    if common::is_skipped("snapshot_vs_sdk") {
        return;
    }
    let knobs = Knobs::from_env();
    let runtime = tokio::runtime::Runtime::new().expect("a tokio runtime");
    let seeding = Instant::now();
    let server = runtime
        .block_on(MockServer::start(MockConfig {
            seed: SeedKind::Empty,
            users: knobs.account.users,
            groups: knobs.account.groups,
            service_principals: knobs.account.service_principals,
            workspaces: knobs.account.workspaces,
            latency_ms: knobs.account.latency_ms,
            page_cap: knobs.account.page_cap,
            rate_limit: knobs.fake_rate_limit,
            rate_burst: Some(knobs.fake_rate_burst),
            ..MockConfig::default()
        }))
        .expect("the fake starts");
    let expected = account::expected(&server);
    println!(
        "account: {} users, {} groups, {} SPs, {} workspaces (seeded in {:.1} s); fake: {} ms \
         latency, page cap {}, rate limit {}/s with a burst of {}",
        knobs.account.users,
        knobs.account.groups,
        knobs.account.service_principals,
        knobs.account.workspaces,
        seeding.elapsed().as_secs_f64(),
        knobs.account.latency_ms,
        knobs.account.page_cap,
        knobs.fake_rate_limit,
        knobs.fake_rate_burst
    );
    println!("machine at start: {}", machine());

    let config = knobs.client_config(&server);
    println!(
        "dbx-console: {} lanes; budgets/s: SCIM lists {}, SCIM gets {}, other reads {}",
        knobs.concurrency,
        config.scim_lists_per_second,
        config.scim_gets_per_second,
        config.reads_per_second
    );
    let client = AccountClient::new(
        config.clone(),
        Arc::new(StaticToken::new(server.admin_token.clone())),
    )
    .expect("a client");
    let sampler = Sampler::start(&runtime, client.clone());
    let started = Instant::now();
    let document = runtime
        .block_on(snapshot::take(&client, &Quiet))
        .expect("the snapshot succeeds");
    let ours = started.elapsed();
    let samples = runtime.block_on(sampler.stop());
    let fake_429s = throttled_by_fake(&server);
    let traffic: Vec<ClassTraffic> = RequestClass::ALL
        .iter()
        .map(|class| ClassTraffic::measure(*class, &client, &config, &samples))
        .filter(|traffic| traffic.sent > 0)
        .collect();
    let requests = client.attempts();
    let needed: u64 = traffic.iter().map(ClassTraffic::needed).sum();
    let got = account::counted(&document);
    let complete = got == expected;

    // The fastest the configuration allows for the requests the snapshot needs (429s are
    // the fake's doing, not counted): each takes one latency on one of the lanes, and no
    // class beats its budget (after the one-second burst its bucket starts with).
    let lanes = Duration::from_millis(knobs.account.latency_ms)
        .mul_f64(needed as f64 / knobs.concurrency.max(1) as f64);
    let budgets = traffic
        .iter()
        .map(ClassTraffic::budget_bound)
        .max()
        .unwrap_or_default();
    let bound = lanes.max(budgets);
    println!(
        "dbx-console snapshot: {:.1} s, {needed} requests needed + {} answered 429 and retried \
         = {requests} sent ({:.0}/s); bound {:.1} s ({} lanes x {} ms: {:.1} s; budgets: \
         {:.1} s)",
        ours.as_secs_f64(),
        client.throttled(),
        requests as f64 / ours.as_secs_f64(),
        bound.as_secs_f64(),
        knobs.concurrency,
        knobs.account.latency_ms,
        lanes.as_secs_f64(),
        budgets.as_secs_f64()
    );
    for class in &traffic {
        println!("  {}", class.describe());
    }
    println!("  snapshot counts: {got}");
    if !complete {
        println!("  the fake holds: {expected}");
    }
    println!("machine after dbx-console: {}", machine());

    let mut rows = vec![
        Row::ratio(
            "dbx-console snapshot vs its bound",
            format!(
                "{:.1} s vs {:.1} s",
                ours.as_secs_f64(),
                bound.as_secs_f64()
            ),
            "<= 1.5x",
            ours.as_secs_f64() / bound.as_secs_f64().max(f64::EPSILON),
            |ratio| ratio <= 1.5,
        ),
        Row::check(
            "requests within the client's budgets",
            traffic
                .iter()
                .map(ClassTraffic::short)
                .collect::<Vec<_>>()
                .join("; "),
            "each class <= burst + budget x span",
            traffic.iter().all(ClassTraffic::within_budget),
        ),
        Row::check(
            "fake's 429s absorbed, snapshot complete",
            format!(
                "fake sent {fake_429s}, client retried {}; {}",
                client.throttled(),
                if complete {
                    "all counts match"
                } else {
                    "COUNTS DIFFER"
                }
            ),
            "> 0 429s, all retried, complete",
            fake_429s > 0 && client.throttled() >= fake_429s && complete,
        ),
    ];

    if knobs.skip_sdk {
        rows.push(Row::skipped("speed-up over the Python SDK", ">= 10x"));
    } else {
        let sdk = run_sdk(&server);
        let sdk_429s = throttled_by_fake(&server) - fake_429s;
        println!(
            "Python SDK listing: {:.1} s, {sdk_429s} 429s from the fake; {}",
            sdk.seconds,
            if expected.matches(&sdk.counts) {
                "it read everything the fake holds".to_owned()
            } else {
                format!("its counts DIFFER: {}", sdk.counts)
            }
        );
        println!("machine after the SDK: {}", machine());
        let speed_up = sdk.seconds / ours.as_secs_f64();
        rows.push(Row::ratio(
            "speed-up over the Python SDK 0.162.0",
            format!("{:.1} s vs {:.1} s", sdk.seconds, ours.as_secs_f64()),
            ">= 10x",
            speed_up,
            |ratio| ratio >= 10.0,
        ));
    }
    summary::print("issue 8, target 1: full snapshot", &rows);
    runtime.block_on(server.stop());
}

struct SdkRun {
    seconds: f64,
    counts: serde_json::Value,
}

fn run_sdk(server: &MockServer) -> SdkRun {
    let python =
        std::env::var("SDK_PYTHON").unwrap_or_else(|_| "target/sdk-venv/bin/python".into());
    let output = Command::new(&python)
        .arg("tests/sdk_conformance/tools/list_account.py")
        .arg(&server.host)
        .arg(&server.account_id)
        .env("DATABRICKS_TOKEN", &server.admin_token)
        .output()
        .expect("the SDK venv exists (run tests/sdk_conformance/venv.sh once)");
    assert!(
        output.status.success(),
        "SDK listing failed: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    let report: serde_json::Value =
        serde_json::from_slice(&output.stdout).expect("JSON from the SDK lister");
    SdkRun {
        seconds: report["seconds"].as_f64().unwrap_or_default(),
        counts: report["counts"].clone(),
    }
}
