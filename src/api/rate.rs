//! A client-side rate budget, so bulk reads stay under the account API's documented limits
//! instead of provoking 429s. Waiting happens outside the lock.

use std::sync::Mutex;
use std::time::Duration;

use tokio::time::Instant;

pub struct RateBudget {
    per_second: f64,
    state: Mutex<BucketState>,
}

struct BucketState {
    tokens: f64,
    last: Instant,
}

impl RateBudget {
    /// `per_second <= 0` means unlimited.
    pub fn new(per_second: f64) -> Self {
        Self {
            per_second,
            state: Mutex::new(BucketState {
                tokens: per_second.max(1.0),
                last: Instant::now(),
            }),
        }
    }

    /// Waits until one request may be sent.
    pub async fn acquire(&self) {
        if self.per_second <= 0.0 {
            return;
        }
        let wait = {
            let mut state = self
                .state
                .lock()
                .unwrap_or_else(std::sync::PoisonError::into_inner);
            let now = Instant::now();
            let burst = self.per_second.max(1.0);
            let elapsed = now.saturating_duration_since(state.last).as_secs_f64();
            state.tokens = (state.tokens + elapsed * self.per_second).min(burst);
            state.last = now;
            // Take the token now (possibly going negative) so concurrent callers queue up
            // behind each other instead of all waking at once.
            state.tokens -= 1.0;
            if state.tokens >= 0.0 {
                Duration::ZERO
            } else {
                Duration::from_secs_f64(-state.tokens / self.per_second)
            }
        };
        if !wait.is_zero() {
            tokio::time::sleep(wait).await;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test(start_paused = true)]
    async fn spreads_requests_beyond_the_burst() {
        let budget = RateBudget::new(10.0);
        let start = Instant::now();
        for _ in 0..30 {
            budget.acquire().await;
        }
        // 10 from the burst, 20 more at 10/s: two seconds of (paused, virtual) time.
        let elapsed = start.elapsed();
        assert!(
            elapsed >= Duration::from_millis(1990) && elapsed <= Duration::from_millis(2100),
            "{elapsed:?}"
        );
    }

    #[tokio::test(start_paused = true)]
    async fn unlimited_never_waits() {
        let budget = RateBudget::new(0.0);
        let start = Instant::now();
        for _ in 0..1000 {
            budget.acquire().await;
        }
        assert_eq!(start.elapsed(), Duration::ZERO);
    }
}
