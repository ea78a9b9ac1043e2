//! How fast the client really sent each kind of request: its counters sampled every few
//! milliseconds while the snapshot runs, compared with the configured token-bucket budgets.

use std::time::{Duration, Instant};

use dbx_console::api::{AccountClient, ClientConfig, RequestClass};
use tokio::runtime::Runtime;
use tokio::task::JoinHandle;
use tokio_util::sync::CancellationToken;

const INTERVAL: Duration = Duration::from_millis(10);

pub struct Sample {
    at: Duration,
    sent: [u64; 4],
}

/// Samples the client's per-class counters until stopped.
pub struct Sampler {
    stop: CancellationToken,
    task: JoinHandle<Vec<Sample>>,
}

fn sent(client: &AccountClient) -> [u64; 4] {
    RequestClass::ALL.map(|class| client.attempts_of(class))
}

impl Sampler {
    pub fn start(runtime: &Runtime, client: AccountClient) -> Self {
        let stop = CancellationToken::new();
        let stopped = stop.clone();
        let task = runtime.spawn(async move {
            let started = Instant::now();
            let mut samples = Vec::new();
            let mut ticks = tokio::time::interval(INTERVAL);
            loop {
                samples.push(Sample {
                    at: started.elapsed(),
                    sent: sent(&client),
                });
                tokio::select! {
                    _ = ticks.tick() => {}
                    () = stopped.cancelled() => break,
                }
            }
            samples.push(Sample {
                at: started.elapsed(),
                sent: sent(&client),
            });
            samples
        });
        Self { stop, task }
    }

    pub async fn stop(self) -> Vec<Sample> {
        self.stop.cancel();
        self.task.await.expect("the sampler ends")
    }
}

/// One class's traffic beside its budget.
pub struct ClassTraffic {
    class: RequestClass,
    /// Attempts sent, and how many of them the fake answered with 429.
    pub sent: u64,
    throttled: u64,
    /// Budget in requests per second (0 = unlimited) and the burst the bucket starts with.
    per_second: f64,
    burst: f64,
    /// From the last sample before its first request to the first sample after its last.
    started: Duration,
    span: Duration,
    /// The most sent in any one-second window.
    peak: u64,
}

impl ClassTraffic {
    pub fn measure(
        class: RequestClass,
        client: &AccountClient,
        config: &ClientConfig,
        samples: &[Sample],
    ) -> Self {
        let index = RequestClass::ALL
            .iter()
            .position(|c| *c == class)
            .unwrap_or_default();
        let count = |sample: &Sample| sample.sent[index];
        let sent = samples.last().map_or(0, count);
        let first = samples.iter().position(|s| count(s) > 0).unwrap_or(0);
        let last = samples
            .iter()
            .position(|s| count(s) == sent)
            .unwrap_or(first);
        let started = samples[first.saturating_sub(1)].at;
        let span = samples[last].at.saturating_sub(started);
        let mut peak = 0;
        let mut end = 0;
        for (start, sample) in samples.iter().enumerate() {
            while end + 1 < samples.len() && samples[end].at < sample.at + Duration::from_secs(1) {
                end += 1;
            }
            end = end.max(start);
            peak = peak.max(count(&samples[end]) - count(&samples[start]));
        }
        let per_second = class.per_second(config);
        Self {
            class,
            sent,
            throttled: client.throttled_of(class),
            per_second,
            started,
            burst: per_second.max(1.0),
            span,
            peak,
        }
    }

    /// A token bucket of `per_second` that starts full allows `burst + per_second x span`.
    pub fn within_budget(&self) -> bool {
        self.per_second <= 0.0 || self.sent as f64 <= self.allowed()
    }

    /// The requests the snapshot needed: the attempts that were not answered 429.
    pub fn needed(&self) -> u64 {
        self.sent - self.throttled.min(self.sent)
    }

    /// The least time the budget allows for the requests needed.
    pub fn budget_bound(&self) -> Duration {
        if self.per_second <= 0.0 {
            return Duration::ZERO;
        }
        Duration::from_secs_f64((self.needed() as f64 - self.burst).max(0.0) / self.per_second)
    }

    fn average(&self) -> f64 {
        self.sent as f64 / self.span.as_secs_f64().max(f64::EPSILON)
    }

    fn budget(&self) -> String {
        if self.per_second <= 0.0 {
            "unlimited".into()
        } else {
            format!("{}/s", self.per_second)
        }
    }

    pub fn describe(&self) -> String {
        format!(
            "{}: {} sent ({} answered 429) from {:.1} s to {:.1} s ({:.0}/s on average, at most \
             {} in any second); budget {} after a burst of {:.0}: {}",
            self.class.label(),
            self.sent,
            self.throttled,
            self.started.as_secs_f64(),
            (self.started + self.span).as_secs_f64(),
            self.average(),
            self.peak,
            self.budget(),
            self.burst,
            if self.within_budget() {
                "within"
            } else {
                "EXCEEDED"
            }
        )
    }

    /// What the bucket allowed over the class's span.
    fn allowed(&self) -> f64 {
        self.burst + self.per_second * self.span.as_secs_f64()
    }

    pub fn short(&self) -> String {
        if self.per_second <= 0.0 {
            return format!("{} {} (unlimited)", self.class.label(), self.sent);
        }
        format!(
            "{} {} <= {:.0} allowed",
            self.class.label(),
            self.sent,
            self.allowed()
        )
    }
}
