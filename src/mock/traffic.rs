//! What happens to a request before and after the API handles it: the token-bucket rate
//! limit, injected faults (random at a configured rate, or scripted by tests), and counters
//! that tests and benchmarks read.

use std::collections::VecDeque;
use std::sync::Mutex;
use std::sync::atomic::AtomicU64;
use std::time::{Duration, Instant};

use rand::Rng;
use rand::SeedableRng;
use rand::rngs::StdRng;

/// A fault the fake injects into one REST request.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Fault {
    /// 429 with `Retry-After`, before the request is handled.
    TooManyRequests { retry_after_secs: u64 },
    /// 503 with `Retry-After`, before the request is handled.
    Unavailable { retry_after_secs: u64 },
    /// The request is handled (a create really happens), then the connection is dropped
    /// before the response: the client cannot know the outcome.
    DropAfterHandling,
    /// The request is handled, then the response is held back this long.
    SlowResponse { delay_ms: u64 },
}

impl Fault {
    /// Faults applied before the handler leave the account unchanged.
    pub fn is_before_handling(self) -> bool {
        matches!(
            self,
            Fault::TooManyRequests { .. } | Fault::Unavailable { .. }
        )
    }
}

/// A fault queued by a test for the next request matching a method and path prefix.
#[derive(Debug, Clone)]
pub struct ScriptedFault {
    pub method: Option<String>,
    pub path_contains: String,
    pub fault: Fault,
}

#[derive(Debug, Default)]
pub struct Counters {
    pub requests: AtomicU64,
    pub rest_requests: AtomicU64,
    pub throttled: AtomicU64,
    pub faults: AtomicU64,
}

pub struct Traffic {
    fault_rate: f64,
    rng: Mutex<StdRng>,
    bucket: Option<Mutex<TokenBucket>>,
    script: Mutex<VecDeque<ScriptedFault>>,
    pub counters: Counters,
}

impl Traffic {
    pub fn new(fault_rate: f64, rate_limit: f64, random_seed: u64) -> Self {
        Self {
            fault_rate: fault_rate.clamp(0.0, 1.0),
            rng: Mutex::new(StdRng::seed_from_u64(random_seed ^ 0x5eed_fa17)),
            bucket: (rate_limit > 0.0).then(|| Mutex::new(TokenBucket::new(rate_limit))),
            script: Mutex::new(VecDeque::new()),
            counters: Counters::default(),
        }
    }

    /// Sizes the rate limit's bucket (`None`: one second's worth of requests).
    pub fn with_rate_burst(mut self, burst: Option<f64>) -> Self {
        if let (Some(bucket), Some(burst)) = (self.bucket.as_mut(), burst) {
            let bucket = bucket
                .get_mut()
                .unwrap_or_else(std::sync::PoisonError::into_inner);
            *bucket = TokenBucket::with_capacity(bucket.rate, burst);
        }
        self
    }

    pub fn push_scripted(&self, fault: ScriptedFault) {
        lock(&self.script).push_back(fault);
    }

    /// Takes the first scripted fault matching this request, else draws a random one.
    pub fn fault_for(&self, method: &str, path: &str) -> Option<Fault> {
        let scripted = {
            let mut script = lock(&self.script);
            let position = script.iter().position(|entry| {
                entry
                    .method
                    .as_deref()
                    .is_none_or(|m| m.eq_ignore_ascii_case(method))
                    && path.contains(&entry.path_contains)
            });
            position.and_then(|index| script.remove(index))
        };
        if let Some(entry) = scripted {
            return Some(entry.fault);
        }
        if self.fault_rate <= 0.0 {
            return None;
        }
        let mut rng = lock(&self.rng);
        if !rng.gen_bool(self.fault_rate) {
            return None;
        }
        Some(match rng.gen_range(0..4) {
            0 => Fault::TooManyRequests {
                retry_after_secs: 1,
            },
            1 => Fault::Unavailable {
                retry_after_secs: 1,
            },
            2 => Fault::DropAfterHandling,
            _ => Fault::SlowResponse { delay_ms: 1500 },
        })
    }

    /// `None` when the request may proceed; otherwise the seconds until a token is free.
    pub fn throttle(&self) -> Option<u64> {
        let bucket = self.bucket.as_ref()?;
        lock(bucket).take(Instant::now())
    }
}

fn lock<T>(mutex: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    // A panic while holding one of these locks cannot leave the data inconsistent (each
    // critical section is a single push/pop/arithmetic step), so poisoning is ignored.
    mutex
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner)
}

/// Classic token bucket: `rate` tokens per second, burst of one second's worth unless sized.
struct TokenBucket {
    rate: f64,
    capacity: f64,
    tokens: f64,
    last: Instant,
}

impl TokenBucket {
    fn new(rate: f64) -> Self {
        Self::with_capacity(rate, rate)
    }

    fn with_capacity(rate: f64, capacity: f64) -> Self {
        // At least one token, or nothing would ever pass.
        let capacity = capacity.max(1.0);
        Self {
            rate,
            capacity,
            tokens: capacity,
            last: Instant::now(),
        }
    }

    fn take(&mut self, now: Instant) -> Option<u64> {
        let elapsed = now.saturating_duration_since(self.last).as_secs_f64();
        self.last = now;
        self.tokens = (self.tokens + elapsed * self.rate).min(self.capacity);
        if self.tokens >= 1.0 {
            self.tokens -= 1.0;
            None
        } else {
            let wait = Duration::from_secs_f64((1.0 - self.tokens) / self.rate);
            // Retry-After carries whole seconds only (the SDK reads integers), so round up.
            Some(wait.as_secs_f64().ceil().max(1.0) as u64)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bucket_allows_a_burst_then_throttles_then_refills() {
        let start = Instant::now();
        let mut bucket = TokenBucket::new(2.0);
        bucket.last = start;
        assert_eq!(bucket.take(start), None);
        assert_eq!(bucket.take(start), None);
        assert_eq!(bucket.take(start), Some(1));
        assert_eq!(bucket.take(start + Duration::from_millis(600)), None);
    }

    #[test]
    fn a_sized_bucket_lets_only_its_burst_through_at_once() {
        let traffic = Traffic::new(0.0, 100.0, 1).with_rate_burst(Some(3.0));
        let mut bucket = lock(traffic.bucket.as_ref().unwrap());
        assert_eq!((bucket.rate, bucket.capacity), (100.0, 3.0));
        let start = Instant::now();
        bucket.last = start;
        for _ in 0..3 {
            assert_eq!(bucket.take(start), None);
        }
        assert_eq!(bucket.take(start), Some(1));
        assert_eq!(bucket.take(start + Duration::from_millis(10)), None);
    }

    #[test]
    fn scripted_fault_matches_method_and_path_once() {
        let traffic = Traffic::new(0.0, 0.0, 1);
        traffic.push_scripted(ScriptedFault {
            method: Some("POST".into()),
            path_contains: "/scim/v2/Users".into(),
            fault: Fault::DropAfterHandling,
        });
        assert_eq!(
            traffic.fault_for("GET", "/api/2.0/accounts/a/scim/v2/Users"),
            None
        );
        assert_eq!(
            traffic.fault_for("post", "/api/2.0/accounts/a/scim/v2/Users"),
            Some(Fault::DropAfterHandling)
        );
        assert_eq!(
            traffic.fault_for("POST", "/api/2.0/accounts/a/scim/v2/Users"),
            None
        );
    }

    #[test]
    fn zero_rate_never_faults_and_full_rate_always_does() {
        let calm = Traffic::new(0.0, 0.0, 1);
        let stormy = Traffic::new(1.0, 0.0, 1);
        for _ in 0..100 {
            assert!(calm.fault_for("GET", "/x").is_none());
            assert!(stormy.fault_for("GET", "/x").is_some());
        }
    }
}
