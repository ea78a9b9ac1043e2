//! Starting and stopping the fake: binds the listener, builds the routes with their layers,
//! and serves until shut down.

use std::sync::Arc;

use axum::Router;
use axum::extract::DefaultBodyLimit;
use axum::routing::any;
use tokio::net::TcpListener;
use tokio::task::JoinHandle;
use tokio_util::sync::CancellationToken;

use super::config::MockConfig;
use super::error::ApiFailure;
use super::extract::BODY_LIMIT_BYTES;
use super::oidc::authorize::default_user;
use super::oidc::sessions::Subject;
use super::oidc::tokens::issue_static;
use super::state::{Account, Shared};
use super::traffic::ScriptedFault;
use super::{
    access_control, federation, middleware, oauth_apps, oidc, scim, secrets, seed, workspaces,
};

#[derive(Debug, thiserror::Error)]
pub enum StartError {
    #[error("could not listen on {address}: {source}")]
    Bind {
        address: String,
        source: std::io::Error,
    },
    #[error("could not build the fake account: {0}")]
    Seed(String),
}

/// A running fake account server.
pub struct MockServer {
    /// `http://127.0.0.1:PORT`
    pub host: String,
    pub account_id: String,
    /// An account-admin access token valid for the server's life.
    pub admin_token: String,
    shared: Arc<Shared>,
    shutdown: CancellationToken,
    task: JoinHandle<()>,
}

impl MockServer {
    pub async fn start(config: MockConfig) -> Result<MockServer, StartError> {
        let account = seed::build_account(&config).map_err(StartError::Seed)?;
        Self::start_with(config, account).await
    }

    /// Serves an account built elsewhere (a snapshot replay); `config`'s seed and generated
    /// sizes are not used.
    pub async fn start_with(
        config: MockConfig,
        account: Account,
    ) -> Result<MockServer, StartError> {
        let listener =
            TcpListener::bind(config.listen)
                .await
                .map_err(|source| StartError::Bind {
                    address: config.listen.to_string(),
                    source,
                })?;
        let address = listener.local_addr().map_err(|source| StartError::Bind {
            address: config.listen.to_string(),
            source,
        })?;
        let host = format!("http://{address}");
        let shared = Arc::new(Shared::new(config, host.clone(), account));
        // The first active admin user, else (a snapshot taken with an SP's credentials may
        // hold no admin user) the first active admin service principal.
        let admin = {
            let account = shared.read();
            default_user(&account).or_else(|| account.first_active_admin_service_principal())
        }
        .ok_or_else(|| StartError::Seed("the account has no active account admin".into()))?;
        let admin_token = issue_static(&shared, admin);
        let shutdown = CancellationToken::new();
        let app = router(shared.clone());
        let stop = shutdown.clone();
        let task = tokio::spawn(async move {
            let served = axum::serve(listener, app)
                .with_graceful_shutdown(async move { stop.cancelled().await })
                .await;
            if let Err(error) = served {
                tracing::error!(%error, "fake account server stopped with an error");
            }
        });
        Ok(MockServer {
            host,
            account_id: shared.account_id.clone(),
            admin_token,
            shared,
            shutdown,
            task,
        })
    }

    pub fn shared(&self) -> &Arc<Shared> {
        &self.shared
    }

    /// Queues a fault for the next request matching its method and path.
    pub fn inject(&self, fault: ScriptedFault) {
        self.shared.traffic.push_scripted(fault);
    }

    /// A never-expiring token for any principal (tests sign in as non-admins with it).
    pub fn token_for(&self, subject: Subject) -> String {
        issue_static(&self.shared, subject)
    }

    pub async fn stop(self) {
        self.shutdown.cancel();
        let _ = self.task.await;
    }
}

pub fn router(shared: Arc<Shared>) -> Router {
    let account_id = shared.account_id.clone();
    let gate = axum::middleware::from_fn_with_state(shared.clone(), middleware::gate_rest);
    let account_api = Router::new()
        .merge(oauth_apps::routes())
        .merge(scim::routes())
        .merge(secrets::routes())
        .merge(federation::routes())
        .merge(workspaces::routes())
        .method_not_allowed_fallback(method_not_allowed);
    let preview_api = access_control::routes().method_not_allowed_fallback(method_not_allowed);
    // Another account id in the path still passes the gate, which answers 401/403.
    let other_account = Router::new()
        .route(
            "/api/2.0/accounts/{account_id}/{*rest}",
            any(middleware::not_found),
        )
        .route(
            "/api/2.0/preview/accounts/{account_id}/{*rest}",
            any(middleware::not_found),
        );
    let rest = Router::new()
        .nest(&format!("/api/2.0/accounts/{account_id}"), account_api)
        .nest(
            &format!("/api/2.0/preview/accounts/{account_id}"),
            preview_api,
        )
        .merge(other_account)
        .route_layer(gate);
    Router::new()
        .merge(oidc::routes())
        .merge(rest)
        .fallback(middleware::not_found)
        .layer(DefaultBodyLimit::max(BODY_LIMIT_BYTES))
        .layer(axum::middleware::from_fn_with_state(
            shared.clone(),
            middleware::observe,
        ))
        .with_state(shared)
}

async fn method_not_allowed(uri: axum::http::Uri) -> ApiFailure {
    ApiFailure::method_not_allowed().in_shape(middleware::shape_of(uri.path()))
}
