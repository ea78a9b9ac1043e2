//! When to retry and how long to wait: 429/503 honour `Retry-After` (integer seconds, as the
//! SDKs read it) plus jitter; connection failures back off linearly; everything stays within
//! a total time budget.

use std::time::Duration;

use rand::Rng;
use reqwest::header::HeaderMap;

#[derive(Debug, Clone)]
pub struct RetryPolicy {
    /// Total time a call may spend retrying (the SDK uses 300 s; an interactive console
    /// gives up sooner and lets the user decide).
    pub budget: Duration,
    /// Longest single wait, whatever `Retry-After` says.
    pub max_wait: Duration,
    /// Random extra wait in [0, jitter) so many clients do not retry in lockstep.
    pub jitter: Duration,
    /// Attempts for connection failures and timeouts: an unreachable host rarely comes back
    /// within seconds, and an interactive user should hear about it soon.
    pub max_transport_attempts: u32,
}

impl Default for RetryPolicy {
    fn default() -> Self {
        Self {
            budget: Duration::from_secs(90),
            max_wait: Duration::from_secs(30),
            jitter: Duration::from_secs(1),
            max_transport_attempts: 3,
        }
    }
}

impl RetryPolicy {
    /// No retries at all (tests of failure paths).
    pub fn none() -> Self {
        Self {
            budget: Duration::ZERO,
            max_wait: Duration::ZERO,
            jitter: Duration::ZERO,
            max_transport_attempts: 1,
        }
    }

    fn with_jitter(&self, base: Duration) -> Duration {
        let extra = if self.jitter.is_zero() {
            Duration::ZERO
        } else {
            self.jitter.mul_f64(rand::thread_rng().r#gen::<f64>())
        };
        (base + extra).min(self.max_wait)
    }

    /// Wait before retrying a 429/503.
    pub fn wait_after_status(&self, headers: &HeaderMap) -> Duration {
        self.with_jitter(retry_after(headers))
    }

    /// Wait before the `attempt`-th retry of a connection failure: `min(attempt, 10)` s.
    pub fn wait_after_transport(&self, attempt: u32) -> Duration {
        self.with_jitter(Duration::from_secs(u64::from(attempt.clamp(1, 10))))
    }
}

/// Statuses that mean "not processed, try later".
pub fn is_retryable_status(status: u16) -> bool {
    matches!(status, 429 | 503)
}

/// `Retry-After` in whole seconds; a missing, fractional or HTTP-date value counts as 1 s,
/// as in the SDKs.
pub fn retry_after(headers: &HeaderMap) -> Duration {
    headers
        .get(reqwest::header::RETRY_AFTER)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.trim().parse::<u64>().ok())
        .map_or(Duration::from_secs(1), Duration::from_secs)
}

#[cfg(test)]
mod tests {
    use super::*;
    use reqwest::header::HeaderValue;

    #[test]
    fn retry_after_reads_integer_seconds_only() {
        let mut headers = HeaderMap::new();
        assert_eq!(retry_after(&headers), Duration::from_secs(1));
        headers.insert("retry-after", HeaderValue::from_static("7"));
        assert_eq!(retry_after(&headers), Duration::from_secs(7));
        headers.insert(
            "retry-after",
            HeaderValue::from_static("Wed, 21 Oct 2015 07:28:00 GMT"),
        );
        assert_eq!(retry_after(&headers), Duration::from_secs(1));
    }

    #[test]
    fn waits_are_jittered_and_capped() {
        let policy = RetryPolicy {
            max_wait: Duration::from_secs(5),
            ..RetryPolicy::default()
        };
        let mut headers = HeaderMap::new();
        headers.insert("retry-after", HeaderValue::from_static("2"));
        let wait = policy.wait_after_status(&headers);
        assert!(wait >= Duration::from_secs(2) && wait < Duration::from_secs(3));
        headers.insert("retry-after", HeaderValue::from_static("600"));
        assert_eq!(policy.wait_after_status(&headers), Duration::from_secs(5));
        let transport = RetryPolicy {
            jitter: Duration::ZERO,
            ..policy
        };
        assert_eq!(transport.wait_after_transport(3), Duration::from_secs(3));
        assert_eq!(transport.wait_after_transport(99), Duration::from_secs(5));
    }

    #[test]
    fn only_429_and_503_are_retryable() {
        assert!(is_retryable_status(429) && is_retryable_status(503));
        for status in [400, 401, 403, 404, 409, 500, 502, 504] {
            assert!(!is_retryable_status(status));
        }
    }
}
