//! What the client may spend: a rate budget per kind of request (the account API limits SCIM
//! lists, SCIM gets and writes separately), an optional cap on requests in flight, and
//! counters of what was sent, for benchmarks and tests.

use std::sync::atomic::{AtomicU64, Ordering};

use reqwest::Method;
use tokio::sync::{Semaphore, SemaphorePermit};

use super::client::ClientConfig;
use super::rate::RateBudget;

/// The kinds of request that have a budget of their own.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum RequestClass {
    /// A page of a SCIM list (`GET .../scim/v2/Users`).
    ScimList,
    /// One SCIM resource (`GET .../scim/v2/Groups/{id}`).
    ScimGet,
    /// Any other read: secrets, federation policies, workspaces, assignments, apps.
    Read,
    /// Anything that is not a GET or HEAD.
    Write,
}

impl RequestClass {
    pub const ALL: [RequestClass; 4] = [
        RequestClass::ScimList,
        RequestClass::ScimGet,
        RequestClass::Read,
        RequestClass::Write,
    ];

    /// The class of a request, from its method and path.
    pub fn of(method: &Method, path: &str) -> Self {
        if method != Method::GET && method != Method::HEAD {
            return RequestClass::Write;
        }
        match path.split_once("/scim/v2/") {
            Some((_, rest)) if rest.trim_end_matches('/').contains('/') => RequestClass::ScimGet,
            Some(_) => RequestClass::ScimList,
            None => RequestClass::Read,
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            RequestClass::ScimList => "SCIM list pages",
            RequestClass::ScimGet => "SCIM gets",
            RequestClass::Read => "other reads",
            RequestClass::Write => "writes",
        }
    }

    /// The configured budget of this class in requests per second (0 = unlimited).
    pub fn per_second(self, config: &ClientConfig) -> f64 {
        match self {
            RequestClass::ScimList => config.scim_lists_per_second,
            RequestClass::ScimGet => config.scim_gets_per_second,
            RequestClass::Read => config.reads_per_second,
            RequestClass::Write => config.writes_per_second,
        }
    }

    fn index(self) -> usize {
        self as usize
    }
}

pub(crate) struct Budgets {
    rates: [RateBudget; 4],
    lanes: Option<Semaphore>,
    sent: [AtomicU64; 4],
    throttled: [AtomicU64; 4],
}

impl Budgets {
    pub fn new(config: &ClientConfig) -> Self {
        Self {
            rates: RequestClass::ALL.map(|class| RateBudget::new(class.per_second(config))),
            lanes: (config.max_in_flight > 0).then(|| Semaphore::new(config.max_in_flight)),
            sent: Default::default(),
            throttled: Default::default(),
        }
    }

    /// Waits until a request of this class may be sent: first its rate budget, then a lane
    /// (so a lane is never held while waiting for the budget of another class), and counts
    /// it as sent. The lane is free again when the returned permit drops.
    pub async fn admit(&self, class: RequestClass) -> Option<SemaphorePermit<'_>> {
        self.rates[class.index()].acquire().await;
        let permit = match &self.lanes {
            // The semaphore lives as long as the client and is never closed.
            Some(lanes) => lanes.acquire().await.ok(),
            None => None,
        };
        self.sent[class.index()].fetch_add(1, Ordering::Relaxed);
        permit
    }

    pub fn note_throttled(&self, class: RequestClass) {
        self.throttled[class.index()].fetch_add(1, Ordering::Relaxed);
    }

    pub fn sent(&self, class: RequestClass) -> u64 {
        self.sent[class.index()].load(Ordering::Relaxed)
    }

    pub fn sent_total(&self) -> u64 {
        RequestClass::ALL
            .iter()
            .map(|class| self.sent(*class))
            .sum()
    }

    pub fn throttled(&self, class: RequestClass) -> u64 {
        self.throttled[class.index()].load(Ordering::Relaxed)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn requests_are_classed_by_method_and_path() {
        let users = "/api/2.0/accounts/a/scim/v2/Users";
        assert_eq!(
            RequestClass::of(&Method::GET, users),
            RequestClass::ScimList
        );
        assert_eq!(
            RequestClass::of(&Method::GET, &format!("{users}/")),
            RequestClass::ScimList
        );
        assert_eq!(
            RequestClass::of(&Method::GET, "/api/2.0/accounts/a/scim/v2/Groups/123"),
            RequestClass::ScimGet
        );
        assert_eq!(
            RequestClass::of(
                &Method::GET,
                "/api/2.0/accounts/a/servicePrincipals/1/credentials/secrets"
            ),
            RequestClass::Read
        );
        assert_eq!(
            RequestClass::of(&Method::PATCH, "/api/2.0/accounts/a/scim/v2/Groups/123"),
            RequestClass::Write
        );
        assert_eq!(RequestClass::of(&Method::POST, users), RequestClass::Write);
    }

    #[tokio::test]
    async fn lanes_cap_requests_in_flight_and_every_admission_is_counted() {
        let mut config = ClientConfig::new("http://127.0.0.1:1", "a");
        config.max_in_flight = 2;
        config.scim_lists_per_second = 0.0;
        config.reads_per_second = 0.0;
        let budgets = Budgets::new(&config);
        let first = budgets.admit(RequestClass::ScimList).await;
        let second = budgets.admit(RequestClass::Read).await;
        assert!(first.is_some() && second.is_some());
        assert!(budgets.lanes.as_ref().unwrap().try_acquire().is_err());
        drop(first);
        let third = budgets.admit(RequestClass::Read).await;
        assert!(third.is_some());
        assert_eq!(budgets.sent(RequestClass::ScimList), 1);
        assert_eq!(budgets.sent(RequestClass::Read), 2);
        assert_eq!(budgets.sent_total(), 3);
    }

    #[tokio::test]
    async fn without_a_cap_there_are_no_lanes() {
        let config = ClientConfig::new("http://127.0.0.1:1", "a");
        let budgets = Budgets::new(&config);
        assert!(budgets.admit(RequestClass::Write).await.is_none());
        assert_eq!(budgets.sent(RequestClass::Write), 1);
    }
}
