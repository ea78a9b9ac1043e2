//! Shared helpers: starting the fake, building fast clients against it, reading the fake's
//! state, and test doubles for the token source and the snapshot progress.

use std::collections::BTreeSet;
use std::sync::Arc;
use std::sync::Mutex;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;

use dbx_console::api::retry::RetryPolicy;
use dbx_console::api::token::{TokenFuture, TokenSource};
use dbx_console::api::{AccountClient, ApiError, ApiErrorKind, ClientConfig, StaticToken};
use dbx_console::mock::oidc::authorize::default_user;
use dbx_console::mock::oidc::sessions::Subject;
use dbx_console::mock::{MockConfig, MockServer};
use dbx_console::secret::Secret;
use dbx_console::snapshot::Progress;

/// Seeded demo principals and objects the tests rely on.
pub const DEMO_USER_COUNT: usize = 200;
pub const DEMO_GROUP_COUNT: usize = 25;
pub const DEMO_SP_COUNT: usize = 15;
pub const DEMO_NON_ADMIN: &str = "aarav.desai@northwind.example";
/// An SP of the demo seed without secrets (room for new ones below the cap of five).
pub const DEMO_SP_WITHOUT_SECRETS: &str = "ci-deployer";
pub const DEMO_SP_APPLICATION_ID: &str = "2402f5cf-7f78-4152-98f5-8f0002115d8c";
pub const ANALYTICS_DEV: i64 = 3_184_729_561_047_911;
pub const RESEARCH_SANDBOX: i64 = 7_741_203_958_126_604;

pub async fn start(config: MockConfig) -> MockServer {
    MockServer::start(config).await.expect("the fake starts")
}

pub async fn demo() -> MockServer {
    start(MockConfig::default()).await
}

/// Retries without jitter and with waits capped at a few milliseconds, and no client-side
/// rate budget, so tests never wait on the clock.
pub fn fast_config(server: &MockServer) -> ClientConfig {
    let mut config = ClientConfig::new(&server.host, &server.account_id);
    config.retry = RetryPolicy {
        jitter: Duration::ZERO,
        max_wait: Duration::from_millis(5),
        ..RetryPolicy::default()
    };
    config.without_rate_budgets()
}

pub fn client_with(config: ClientConfig, token: &str) -> AccountClient {
    AccountClient::new(config, Arc::new(StaticToken::new(token))).expect("client builds")
}

/// An admin client with [`fast_config`].
pub fn admin(server: &MockServer) -> AccountClient {
    client_with(fast_config(server), &server.admin_token)
}

/// The SCIM id of a user of the fake, by userName.
pub fn user_id(server: &MockServer, user_name: &str) -> String {
    server
        .shared()
        .read()
        .users
        .find_unique(user_name)
        .unwrap_or_else(|| panic!("no user {user_name} in the fake"))
        .to_owned()
}

/// The SCIM id of a group of the fake, by displayName.
pub fn group_id(server: &MockServer, display_name: &str) -> String {
    server
        .shared()
        .read()
        .groups
        .find_unique(display_name)
        .unwrap_or_else(|| panic!("no group {display_name} in the fake"))
        .to_owned()
}

/// The SCIM id of a service principal of the fake, by displayName.
pub fn service_principal_id(server: &MockServer, display_name: &str) -> String {
    let account = server.shared().read();
    account
        .service_principals
        .iter()
        .find(|(_, sp)| sp.get("displayName").and_then(|v| v.as_str()) == Some(display_name))
        .map(|(id, _)| id.clone())
        .unwrap_or_else(|| panic!("no service principal {display_name} in the fake"))
}

/// The userName of the admin the fake's `admin_token` was issued to.
pub fn admin_user_name(server: &MockServer) -> String {
    let account = server.shared().read();
    let Some(Subject::User(id)) = default_user(&account) else {
        panic!("the fake's admin is not a user");
    };
    account.users.get(&id).expect("admin exists")["userName"]
        .as_str()
        .expect("userName is a string")
        .to_owned()
}

/// The ids of a SCIM collection of the fake, in its order.
pub fn user_ids(server: &MockServer) -> Vec<String> {
    server
        .shared()
        .read()
        .users
        .iter()
        .map(|(id, _)| id.clone())
        .collect()
}

/// The HTTP parts of an error, failing the test for any other kind.
pub struct HttpError {
    pub status: u16,
    pub error_code: String,
    pub message: String,
    pub request_id: Option<String>,
    pub scim_type: Option<String>,
}

pub fn http(error: &ApiError) -> HttpError {
    match error.kind.as_ref() {
        ApiErrorKind::Http {
            status,
            error_code,
            message,
            request_id,
            scim_type,
        } => HttpError {
            status: *status,
            error_code: error_code.clone(),
            message: message.clone(),
            request_id: request_id.clone(),
            scim_type: scim_type.clone(),
        },
        other => panic!("expected an HTTP error, got {other:?} ({error})"),
    }
}

/// Asserts that `ids` has no duplicates and returns it as a set.
pub fn unique(ids: &[String]) -> BTreeSet<String> {
    let set: BTreeSet<String> = ids.iter().cloned().collect();
    assert_eq!(set.len(), ids.len(), "duplicate ids delivered");
    set
}

/// A static token that counts how often the client asked to refresh it after a 401.
pub struct CountingToken {
    inner: StaticToken,
    pub refreshes: AtomicUsize,
}

impl CountingToken {
    pub fn new(token: &str) -> Self {
        Self {
            inner: StaticToken::new(token),
            refreshes: AtomicUsize::new(0),
        }
    }
}

impl TokenSource for CountingToken {
    fn token(&self) -> TokenFuture<'_> {
        self.inner.token()
    }

    fn refresh_after_rejection<'a>(&'a self, rejected: &'a Secret) -> TokenFuture<'a> {
        self.refreshes.fetch_add(1, Ordering::SeqCst);
        self.inner.refresh_after_rejection(rejected)
    }

    fn describe(&self) -> String {
        "counting static token".into()
    }
}

/// One call the snapshot made on its progress.
#[derive(Debug, Clone, PartialEq)]
pub enum ProgressEvent {
    Update {
        stage: String,
        done: usize,
        total: Option<usize>,
    },
    Finish {
        stage: String,
        count: usize,
    },
}

/// Records every progress call.
#[derive(Default)]
pub struct RecordingProgress {
    pub events: Mutex<Vec<ProgressEvent>>,
}

impl RecordingProgress {
    pub fn events(&self) -> Vec<ProgressEvent> {
        self.events.lock().expect("progress lock").clone()
    }

    /// The count each stage finished with, failing when a stage finished twice.
    pub fn finished(&self) -> std::collections::BTreeMap<String, usize> {
        let mut out = std::collections::BTreeMap::new();
        for event in self.events() {
            if let ProgressEvent::Finish { stage, count } = event {
                assert!(
                    out.insert(stage.clone(), count).is_none(),
                    "stage {stage} finished twice"
                );
            }
        }
        out
    }
}

impl Progress for RecordingProgress {
    fn update(&self, stage: &str, done: usize, total: Option<usize>) {
        self.events
            .lock()
            .expect("progress lock")
            .push(ProgressEvent::Update {
                stage: stage.to_owned(),
                done,
                total,
            });
    }

    fn finish(&self, stage: &str, count: usize) {
        self.events
            .lock()
            .expect("progress lock")
            .push(ProgressEvent::Finish {
                stage: stage.to_owned(),
                count,
            });
    }
}

/// Hands out `first`, and `refreshed` after a 401, counting the refreshes.
pub struct SwappingToken {
    first: Secret,
    refreshed: Secret,
    pub refreshes: AtomicUsize,
}

impl SwappingToken {
    pub fn new(first: &str, refreshed: &str) -> Self {
        Self {
            first: Secret::new(first),
            refreshed: Secret::new(refreshed),
            refreshes: AtomicUsize::new(0),
        }
    }
}

impl TokenSource for SwappingToken {
    fn token(&self) -> TokenFuture<'_> {
        let token = self.first.clone();
        Box::pin(async move { Ok(token) })
    }

    fn refresh_after_rejection<'a>(&'a self, _rejected: &'a Secret) -> TokenFuture<'a> {
        self.refreshes.fetch_add(1, Ordering::SeqCst);
        let token = self.refreshed.clone();
        Box::pin(async move { Ok(token) })
    }

    fn describe(&self) -> String {
        "swapping token".into()
    }
}
