//! What the benchmarks share: staying out of `cargo test`, the account of issue 8, timing
//! statistics, and the one-line verdict each target gets. Each benchmark uses part of it.

use std::time::Duration;

/// `cargo test --all-targets` runs bench binaries without `--bench`: the measurements are
/// long and belong to `cargo bench` only.
pub fn is_skipped(name: &str) -> bool {
    if std::env::args().any(|arg| arg == "--bench") {
        return false;
    }
    println!("{name}: skipped outside `cargo bench`");
    true
}

/// A knob from the environment, or its default.
pub fn env<T: std::str::FromStr>(name: &str, default: T) -> T {
    std::env::var(name)
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}

/// The account of issue 8, sizes and latency overridable through `BENCH_*`.
pub struct AccountKnobs {
    pub users: usize,
    pub groups: usize,
    pub service_principals: usize,
    pub workspaces: usize,
    pub latency_ms: u64,
    pub page_cap: usize,
}

impl AccountKnobs {
    pub fn from_env() -> AccountKnobs {
        AccountKnobs {
            users: env("BENCH_USERS", 100_000),
            groups: env("BENCH_GROUPS", 10_000),
            service_principals: env("BENCH_SERVICE_PRINCIPALS", 5_000),
            workspaces: env("BENCH_WORKSPACES", 200),
            latency_ms: env("BENCH_LATENCY_MS", 25),
            page_cap: env("BENCH_PAGE_CAP", 100),
        }
    }
}

pub fn ms(duration: Duration) -> f64 {
    duration.as_secs_f64() * 1000.0
}

/// Median, 95th percentile and worst of some timings.
pub struct Stats {
    pub samples: usize,
    pub median: Duration,
    pub p95: Duration,
    pub max: Duration,
}

impl Stats {
    pub fn of(mut timings: Vec<Duration>) -> Stats {
        assert!(!timings.is_empty(), "at least one timing");
        timings.sort();
        let at = |q: f64| timings[((timings.len() - 1) as f64 * q).round() as usize];
        Stats {
            samples: timings.len(),
            median: at(0.5),
            p95: at(0.95),
            max: at(1.0),
        }
    }

    pub fn line(&self, label: &str) -> String {
        format!(
            "{label:<44} median {:>8.3} ms  p95 {:>8.3} ms  max {:>8.3} ms  ({} samples)",
            ms(self.median),
            ms(self.p95),
            ms(self.max),
            self.samples
        )
    }
}

/// Prints `figure` against `target` (both in `unit`, lower is better) and whether it is met.
pub fn verdict(label: &str, figure: f64, target: f64, unit: &str) -> bool {
    let met = figure < target;
    println!(
        "TARGET {label}: {figure:.2} {unit} (target < {target} {unit}) {}",
        if met { "MET" } else { "NOT MET" }
    );
    met
}
