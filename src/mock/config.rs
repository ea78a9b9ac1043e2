//! Knobs of the fake account server, shared by `mock-server`, `--demo`, tests and benchmarks.

use std::net::SocketAddr;
use std::path::PathBuf;

/// What the fake account holds when it starts.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum, Default)]
pub enum SeedKind {
    /// A realistic account of a made-up company (`assets/demo-seed.json`).
    #[default]
    Demo,
    /// Only the signing-in admin.
    Empty,
}

#[derive(Debug, Clone, clap::Args)]
pub struct MockConfig {
    /// Address to listen on; port 0 picks a free port.
    #[arg(long, default_value = "127.0.0.1:0")]
    pub listen: SocketAddr,

    /// Initial account content.
    #[arg(long, value_enum, default_value_t = SeedKind::Demo)]
    pub seed: SeedKind,

    /// Serve the account recorded in this file (written by `dbx-console snapshot`) instead of
    /// a seed: its ids, objects, memberships, secret records (never values), policies and
    /// assignments. A copy to test against: changes stay in this process. `--users` and the
    /// other sizes add generated principals on top.
    #[arg(long = "from-snapshot", value_name = "FILE", conflicts_with = "seed")]
    pub from_snapshot: Option<PathBuf>,

    /// Add this many generated users (for scale tests).
    #[arg(long, default_value_t = 0)]
    pub users: usize,

    /// Add this many generated groups, nested, with members drawn from the users.
    #[arg(long, default_value_t = 0)]
    pub groups: usize,

    /// Add this many generated service principals, each with 1-5 secrets.
    #[arg(long = "service-principals", default_value_t = 0)]
    pub service_principals: usize,

    /// Add this many generated workspaces.
    #[arg(long, default_value_t = 0)]
    pub workspaces: usize,

    /// Latency added to every request, in milliseconds.
    #[arg(long = "latency-ms", default_value_t = 0)]
    pub latency_ms: u64,

    /// Largest SCIM page the server returns, whatever `count` asks for (the real Users API
    /// caps at 100).
    #[arg(long = "page-cap", default_value_t = 100)]
    pub page_cap: usize,

    /// Fraction (0-1) of REST requests that fail with an injected fault.
    #[arg(long = "fault-rate", default_value_t = 0.0)]
    pub fault_rate: f64,

    /// Token-bucket rate limit on REST requests per second (0 = unlimited); excess gets 429.
    #[arg(long = "rate-limit", default_value_t = 0.0)]
    pub rate_limit: f64,

    /// Requests the rate limit lets through at once: the bucket's size (default one
    /// second's worth). A small burst throttles short spikes, as API gateways do.
    #[arg(long = "rate-burst")]
    pub rate_burst: Option<f64>,

    /// The authorize endpoint redirects at once as the default admin instead of showing the
    /// consent page.
    #[arg(long = "auto-approve")]
    pub auto_approve: bool,

    /// Seed of the generator for ids and generated content, for reproducible accounts.
    #[arg(long = "random-seed", default_value_t = 7)]
    pub random_seed: u64,
}

impl Default for MockConfig {
    fn default() -> Self {
        Self {
            listen: SocketAddr::from(([127, 0, 0, 1], 0)),
            seed: SeedKind::Demo,
            from_snapshot: None,
            users: 0,
            groups: 0,
            service_principals: 0,
            workspaces: 0,
            latency_ms: 0,
            page_cap: 100,
            fault_rate: 0.0,
            rate_limit: 0.0,
            rate_burst: None,
            auto_approve: false,
            random_seed: 7,
        }
    }
}

impl MockConfig {
    pub fn empty() -> Self {
        Self {
            seed: SeedKind::Empty,
            ..Self::default()
        }
    }
}
