//! Shared helpers: the fake with its discovered OAuth endpoints, a login running in its own
//! task, a scripted browser (reqwest), the consent page's form, free ports, a recording
//! session persistence, and fixtures for sessions, service principals and federation.

use std::collections::HashMap;
use std::io::Write as _;
use std::net::{SocketAddr, TcpListener};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use chrono::Utc;
use dbx_console::api::models::{
    ComplexValue, CreateCustomAppIntegration, FederationPolicy, OidcPolicy, ServicePrincipal,
    TokenAccessPolicy,
};
use dbx_console::api::retry::RetryPolicy;
use dbx_console::api::{AccountClient, ClientConfig, FederationScope, StaticToken, TokenSource};
use dbx_console::auth::loopback::bind_first_free;
use dbx_console::auth::machine::{Grant, MachineTokenSource};
use dbx_console::auth::oauth_http::oauth_client;
use dbx_console::auth::session::{OAuthSession, SessionPersistence, SessionTokens};
use dbx_console::auth::u2m::{
    self, Endpoints, LoginError, LoginEvent, LoginSettings, OAuthApp, Tokens,
};
use dbx_console::mock::oidc::authorize::default_user;
use dbx_console::mock::oidc::jwt::SigningKey;
use dbx_console::mock::oidc::sessions::Subject;
use dbx_console::mock::{MockConfig, MockServer};
use serde_json::{Map, Value, json};
use tempfile::NamedTempFile;
use tokio::sync::mpsc;
use tokio::task::JoinHandle;
use tokio_util::sync::CancellationToken;

/// How long any single step may take before the test fails instead of hanging.
pub const DEADLINE: Duration = Duration::from_secs(30);

/// The Databricks CLI's published client, registered on the fake with `http://localhost:8020`.
pub const CLI_CLIENT: &str = "databricks-cli";

/// The issuer of the IdP tokens the federation tests sign.
pub const IDP_ISSUER: &str = "https://idp.auth-flows.example";
/// The subject a service principal's federation policy trusts.
pub const CI_SUBJECT: &str = "repo:northwind/infra:ref:refs/heads/main";

/// rustls needs a process-wide crypto provider before any reqwest client is built.
pub fn install_crypto() {
    let _ = rustls::crypto::ring::default_provider().install_default();
}

/// Awaits `future`, failing the test when it takes longer than [`DEADLINE`].
pub async fn within<T>(what: &str, future: impl Future<Output = T>) -> T {
    tokio::time::timeout(DEADLINE, future)
        .await
        .unwrap_or_else(|_| panic!("{what} did not finish within {DEADLINE:?}"))
}

/// A running fake, its OAuth endpoints (read through discovery) and the OAuth HTTP client.
pub struct Fake {
    pub server: MockServer,
    pub http: reqwest::Client,
    pub endpoints: Endpoints,
}

impl Fake {
    /// The demo account; `auto_approve` makes the authorize endpoint redirect at once.
    pub async fn start(auto_approve: bool) -> Fake {
        install_crypto();
        let server = MockServer::start(MockConfig {
            auto_approve,
            ..MockConfig::default()
        })
        .await
        .expect("the fake starts");
        let http = oauth_client();
        let oidc_root = format!("{}/oidc/accounts/{}", server.host, server.account_id);
        let endpoints = u2m::discover(&http, &oidc_root)
            .await
            .expect("discovery succeeds");
        Fake {
            server,
            http,
            endpoints,
        }
    }

    /// An account client whose retries never wait on the clock.
    pub fn client(&self, tokens: Arc<dyn TokenSource>) -> AccountClient {
        let mut config = ClientConfig::new(&self.server.host, &self.server.account_id);
        config.retry = RetryPolicy {
            jitter: Duration::ZERO,
            max_wait: Duration::from_millis(5),
            ..RetryPolicy::default()
        };
        config = config.without_rate_budgets();
        AccountClient::new(config, tokens).expect("client builds")
    }

    /// A client with the fake's account-admin token.
    pub fn admin(&self) -> AccountClient {
        self.client(Arc::new(StaticToken::new(self.server.admin_token.as_str())))
    }

    /// Proves an access token works: listing workspaces needs an account admin.
    pub async fn assert_lists_workspaces(&self, access_token: &str) {
        let client = self.client(Arc::new(StaticToken::new(access_token)));
        let workspaces: Vec<serde_json::Value> = client
            .list_workspaces()
            .await
            .expect("the token lists workspaces");
        assert!(!workspaces.is_empty(), "the demo account has workspaces");
    }

    /// Who the fake issued an access token to.
    pub fn subject_of(&self, access_token: &str) -> Subject {
        self.server
            .shared()
            .sessions()
            .access
            .get(access_token)
            .map(|grant| grant.subject.clone())
            .expect("the fake issued this access token")
    }

    pub fn user(&self, user_name: &str) -> Subject {
        let account = self.server.shared().read();
        let id = account
            .users
            .find_unique(user_name)
            .unwrap_or_else(|| panic!("no user {user_name} in the fake"));
        Subject::User(id.to_owned())
    }

    /// The userName of the admin `auto_approve` signs in as.
    pub fn default_admin(&self) -> String {
        let account = self.server.shared().read();
        let Some(Subject::User(id)) = default_user(&account) else {
            panic!("the fake's default admin is not a user");
        };
        account.users.get(&id).expect("admin exists")["userName"]
            .as_str()
            .expect("userName is a string")
            .to_owned()
    }

    /// Starts a U2M login with `settings` in its own task.
    pub fn login(&self, app: OAuthApp, settings: LoginSettings) -> Login {
        Login::start(self.http.clone(), self.endpoints.clone(), app, settings)
    }

    /// A login as `databricks-cli` on a random free port, with a long timeout.
    pub fn cli_login(&self) -> Login {
        self.login(cli_app(), settings(vec![0], DEADLINE))
    }
}

pub fn app(client_id: &str) -> OAuthApp {
    OAuthApp {
        client_id: client_id.into(),
        client_secret: None,
        scopes: vec!["all-apis".into(), "offline_access".into()],
    }
}

pub fn cli_app() -> OAuthApp {
    app(CLI_CLIENT)
}

/// Never opens a browser: the test plays it.
pub fn settings(ports: Vec<u16>, timeout: Duration) -> LoginSettings {
    LoginSettings {
        ports,
        timeout,
        open_browser: false,
    }
}

/// A port on 127.0.0.1 that was free a moment ago.
pub fn free_port() -> u16 {
    TcpListener::bind(SocketAddr::from(([127, 0, 0, 1], 0)))
        .and_then(|listener| listener.local_addr())
        .expect("an ephemeral port binds")
        .port()
}

/// Holds a port on 127.0.0.1 so the login finds it busy.
pub fn occupy_port() -> (TcpListener, u16) {
    let listener =
        TcpListener::bind(SocketAddr::from(([127, 0, 0, 1], 0))).expect("an ephemeral port binds");
    let port = listener.local_addr().expect("bound address").port();
    (listener, port)
}

/// A U2M login running in its own task, with its event stream, paste channel and cancel.
pub struct Login {
    events: mpsc::UnboundedReceiver<LoginEvent>,
    pub pasted: mpsc::Sender<String>,
    pub cancel: CancellationToken,
    task: JoinHandle<Result<Tokens, LoginError>>,
}

impl Login {
    pub fn start(
        http: reqwest::Client,
        endpoints: Endpoints,
        app: OAuthApp,
        settings: LoginSettings,
    ) -> Login {
        let (events_tx, events) = mpsc::unbounded_channel();
        let (pasted, pasted_rx) = mpsc::channel(4);
        let cancel = CancellationToken::new();
        let token = cancel.clone();
        let task = tokio::spawn(async move {
            u2m::login(
                &http, &endpoints, &app, &settings, &events_tx, pasted_rx, token,
            )
            .await
        });
        Login {
            events,
            pasted,
            cancel,
            task,
        }
    }

    pub async fn next_event(&mut self) -> LoginEvent {
        within("the next login event", self.events.recv())
            .await
            .expect("the login ended without another event")
    }

    /// The `Listening` event: the port and the busy ports before it.
    pub async fn listening(&mut self) -> (u16, Vec<u16>) {
        match self.next_event().await {
            LoginEvent::Listening { port, busy } => (port, busy),
            other => panic!("expected Listening, got {other:?}"),
        }
    }

    /// The `OpenManually` event's URL (the browser is never opened in these tests).
    pub async fn manual_url(&mut self) -> String {
        match self.next_event().await {
            LoginEvent::OpenManually { url, reason } => {
                assert_eq!(reason, None, "no browser was asked for, so no reason");
                url
            }
            other => panic!("expected OpenManually, got {other:?}"),
        }
    }

    /// `Listening` then `OpenManually`: the port and the authorize URL.
    pub async fn started(&mut self) -> (u16, String) {
        let (port, busy) = self.listening().await;
        assert!(busy.is_empty(), "no port was busy: {busy:?}");
        (port, self.manual_url().await)
    }

    /// The events sent after the ones already read, once the login has ended.
    pub fn later_events(&mut self) -> Vec<LoginEvent> {
        std::iter::from_fn(|| self.events.try_recv().ok()).collect()
    }

    pub async fn result(&mut self) -> Result<Tokens, LoginError> {
        within("the login", &mut self.task)
            .await
            .expect("the login task does not panic")
    }

    pub async fn tokens(&mut self) -> Tokens {
        match self.result().await {
            Ok(tokens) => tokens,
            Err(error) => panic!("the login failed: {error}"),
        }
    }
}

/// The test's browser: follows redirects like a real one (to the loopback listener).
pub fn browser() -> reqwest::Client {
    install_crypto();
    reqwest::Client::builder()
        .no_proxy()
        .timeout(DEADLINE)
        .build()
        .expect("reqwest client builds")
}

/// A browser that stops at each redirect, to read its `Location`.
pub fn browser_without_redirects() -> reqwest::Client {
    install_crypto();
    reqwest::Client::builder()
        .no_proxy()
        .timeout(DEADLINE)
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .expect("reqwest client builds")
}

/// A page the browser received.
#[derive(Debug)]
pub struct Page {
    pub status: u16,
    pub url: String,
    pub location: Option<String>,
    pub text: String,
}

pub async fn get(client: &reqwest::Client, url: &str) -> Page {
    read(client.get(url)).await
}

pub async fn read(request: reqwest::RequestBuilder) -> Page {
    let response = within("a browser request", request.send())
        .await
        .expect("the request is answered");
    let status = response.status().as_u16();
    let url = response.url().to_string();
    let location = response
        .headers()
        .get(reqwest::header::LOCATION)
        .and_then(|v| v.to_str().ok())
        .map(str::to_owned);
    let text = within("a response body", response.text())
        .await
        .expect("the body is read");
    Page {
        status,
        url,
        location,
        text,
    }
}

/// The query parameters of a URL.
pub fn query_params(url: &str) -> HashMap<String, String> {
    let query = url.split_once('?').map_or("", |(_, q)| q);
    let query = query.split('#').next().unwrap_or_default();
    serde_urlencoded::from_str::<Vec<(String, String)>>(query)
        .expect("the query parses")
        .into_iter()
        .collect()
}

/// One `<option>` of the consent page's user picker.
#[derive(Debug, Clone)]
pub struct UserOption {
    pub user_name: String,
    pub label: String,
    pub selected: bool,
}

impl UserOption {
    pub fn is_admin(&self) -> bool {
        self.label.ends_with("(account admin)")
    }
}

/// The consent page's form: where it posts, its hidden fields and the user picker.
#[derive(Debug)]
pub struct ConsentForm {
    pub action: String,
    pub hidden: Vec<(String, String)>,
    pub users: Vec<UserOption>,
}

impl ConsentForm {
    pub fn parse(html: &str) -> ConsentForm {
        let form = tag_after(html, "<form").expect("the page has a form");
        let action = attribute(form, "action").expect("the form has an action");
        let hidden = html
            .match_indices("<input type=\"hidden\"")
            .map(|(at, _)| {
                let tag = tag_after(&html[at..], "<input").expect("a complete input tag");
                (
                    attribute(tag, "name").expect("a hidden input has a name"),
                    attribute(tag, "value").expect("a hidden input has a value"),
                )
            })
            .collect();
        let select = html
            .split_once("<select id=\"user\" name=\"user\">")
            .and_then(|(_, rest)| rest.split_once("</select>"))
            .map(|(options, _)| options)
            .expect("the page has the user picker");
        let users = select
            .split("<option ")
            .skip(1)
            .map(|option| {
                let (tag, rest) = option.split_once('>').expect("a complete option tag");
                let label = rest.split("</option>").next().unwrap_or_default();
                UserOption {
                    user_name: attribute(tag, "value").expect("an option has a value"),
                    label: unescape(label),
                    selected: tag.contains(" selected") || tag.ends_with("selected"),
                }
            })
            .collect();
        ConsentForm {
            action,
            hidden,
            users,
        }
    }

    pub fn field(&self, name: &str) -> Option<&str> {
        self.hidden
            .iter()
            .find(|(key, _)| key == name)
            .map(|(_, value)| value.as_str())
    }

    /// An account admin the page does not preselect (not the auto-approve default).
    pub fn other_admin(&self) -> &UserOption {
        self.users
            .iter()
            .find(|user| user.is_admin() && !user.selected)
            .expect("the picker lists a second account admin")
    }

    /// The form body for a decision (`allow`/`deny`) as `user`.
    pub fn submission(&self, decision: &str, user: &str) -> Vec<(String, String)> {
        let mut body = self.hidden.clone();
        body.push(("user".into(), user.into()));
        body.push(("decision".into(), decision.into()));
        body
    }
}

/// The text of the first tag opening with `open` (without its `>`).
fn tag_after<'a>(html: &'a str, open: &str) -> Option<&'a str> {
    let start = html.find(open)?;
    let rest = &html[start..];
    rest.find('>').map(|end| &rest[..end])
}

/// The value of attribute `name` in the text of a tag (with or without its tag name).
fn attribute(tag: &str, name: &str) -> Option<String> {
    let tag = format!(" {tag}");
    let marker = format!(" {name}=\"");
    let start = tag.find(&marker)? + marker.len();
    let end = tag[start..].find('"')?;
    Some(unescape(&tag[start..start + end]))
}

pub fn unescape(text: &str) -> String {
    text.replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", "\"")
        .replace("&#39;", "'")
        .replace("&amp;", "&")
}

/// Counts saves and keeps every saved set of tokens.
#[derive(Default)]
pub struct RecordingPersistence {
    saved: Mutex<Vec<SessionTokens>>,
    fail_with: Option<String>,
}

impl RecordingPersistence {
    /// A store whose every save fails with `reason` (after recording the attempt).
    pub fn failing(reason: &str) -> RecordingPersistence {
        RecordingPersistence {
            saved: Mutex::new(Vec::new()),
            fail_with: Some(reason.to_owned()),
        }
    }

    pub fn saves(&self) -> usize {
        self.saved.lock().expect("persistence lock").len()
    }

    pub fn last(&self) -> Option<SessionTokens> {
        self.saved.lock().expect("persistence lock").last().cloned()
    }
}

impl SessionPersistence for RecordingPersistence {
    fn save(&self, tokens: &SessionTokens) -> Result<(), String> {
        self.saved
            .lock()
            .expect("persistence lock")
            .push(tokens.clone());
        match &self.fail_with {
            Some(reason) => Err(reason.clone()),
            None => Ok(()),
        }
    }
}

/// The redirect a browser elsewhere would show in its address bar, read without following.
pub async fn redirect_url(fake: &Fake, authorize_url: &str) -> String {
    let page = get(&browser_without_redirects(), authorize_url).await;
    assert_eq!(page.status, 302, "auto-approve redirects: {}", page.text);
    let location = page.location.expect("a Location header");
    assert!(query_params(&location).contains_key("code"));
    assert!(location.starts_with("http://localhost:"));
    assert!(!location.starts_with(&fake.server.host));
    location
}

/// A login nobody answers, on a random port: returns it and the port.
pub async fn unanswered(fake: &Fake, timeout: Duration) -> (Login, u16) {
    let mut login = fake.login(cli_app(), settings(vec![0], timeout));
    let (port, _) = login.started().await;
    (login, port)
}

/// The next login (or anything else) can bind the port again.
pub async fn assert_port_released(port: u16) {
    let again = bind_first_free(&[port]).await;
    assert!(
        again.as_ref().is_ok_and(|bound| bound.port == port),
        "port {port} is still bound after the login ended: {:?}",
        again.err()
    );
}

/// Signs in through the auto-approving fake as `app`.
pub async fn sign_in(fake: &Fake, app: &OAuthApp) -> Tokens {
    let mut login = fake.login(app.clone(), settings(vec![0], DEADLINE));
    let (_, url) = login.started().await;
    let page = get(&browser(), &url).await;
    assert_eq!(page.status, 200, "{}", page.text);
    login.tokens().await
}

/// A public custom app with single-use (rotating) refresh tokens.
pub async fn rotating_app(fake: &Fake) -> OAuthApp {
    let created = fake
        .admin()
        .create_custom_app_integration(&CreateCustomAppIntegration {
            name: Some("dbx-console rotation test".into()),
            confidential: Some(false),
            redirect_urls: vec!["http://localhost:8020".into()],
            scopes: vec!["all-apis".into(), "offline_access".into()],
            token_access_policy: Some(TokenAccessPolicy {
                enable_single_use_refresh_tokens: Some(true),
                ..TokenAccessPolicy::default()
            }),
            ..CreateCustomAppIntegration::default()
        })
        .await
        .expect("the custom app is created");
    app(&created.client_id.expect("a client id"))
}

/// A session over `tokens` that saves into `persistence`.
pub fn session(
    fake: &Fake,
    app: &OAuthApp,
    tokens: SessionTokens,
    persistence: &Arc<RecordingPersistence>,
) -> OAuthSession {
    OAuthSession::new(
        fake.http.clone(),
        fake.endpoints.clone(),
        app.clone(),
        tokens,
        Some(persistence.clone()),
    )
}

/// Tokens from a grant that expired a minute ago, so the next `token()` must refresh.
pub fn expired(tokens: Tokens) -> SessionTokens {
    let mut session = SessionTokens::from_grant(tokens, Utc::now());
    session.expiry = Utc::now() - chrono::Duration::minutes(1);
    session
}

/// A new account-admin service principal: (SCIM id, application id).
pub async fn admin_service_principal(fake: &Fake, name: &str) -> (String, String) {
    let created = fake
        .admin()
        .create(&ServicePrincipal {
            roles: vec![ComplexValue::new("account_admin")],
            ..ServicePrincipal::new(name)
        })
        .await
        .expect("the service principal is created");
    (
        created.id.expect("a SCIM id"),
        created.application_id.expect("an application id"),
    )
}

/// A headless token source on the fake's token endpoint, asking for `all-apis`.
pub fn machine(fake: &Fake, grant: Grant) -> MachineTokenSource {
    MachineTokenSource::new(
        fake.http.clone(),
        fake.endpoints.token_endpoint.clone(),
        grant,
        vec!["all-apis".into()],
    )
}

/// Lists workspaces through an account client on `source`.
pub async fn lists_workspaces(fake: &Fake, source: Arc<dyn TokenSource>) {
    let workspaces: Vec<Value> = fake
        .client(source)
        .list_workspaces()
        .await
        .expect("the token source's token lists workspaces");
    assert!(!workspaces.is_empty());
}

/// Claims of an IdP token valid for the next ten minutes.
pub fn idp_claims(audience: &str, extra: Value) -> Map<String, Value> {
    let now = Utc::now().timestamp();
    let mut claims = Map::new();
    claims.insert("iss".into(), json!(IDP_ISSUER));
    claims.insert("aud".into(), json!(audience));
    claims.insert("iat".into(), json!(now));
    claims.insert("nbf".into(), json!(now));
    claims.insert("exp".into(), json!(now + 600));
    if let Value::Object(extra) = extra {
        claims.extend(extra);
    }
    claims
}

/// The IdP token in a file, as a CI system hands it over.
pub fn token_file(token: &str) -> NamedTempFile {
    let mut file = NamedTempFile::new().expect("a temp file");
    writeln!(file, "{token}").expect("the token is written");
    file
}

/// An OIDC policy trusting `key` for tokens from [`IDP_ISSUER`] to `audience`.
pub fn oidc_policy(key: &SigningKey, audience: &str) -> OidcPolicy {
    OidcPolicy {
        issuer: Some(IDP_ISSUER.into()),
        audiences: vec![audience.into()],
        jwks_json: Some(key.jwks().to_string()),
        ..OidcPolicy::default()
    }
}

/// An admin service principal with a federation policy `ci` trusting `key` for [`CI_SUBJECT`].
pub async fn federated_service_principal(fake: &Fake, key: &SigningKey) -> (String, String) {
    let (sp_id, application_id) = admin_service_principal(fake, "auth-flows-federated").await;
    let policy = fake
        .admin()
        .create_federation_policy(
            &FederationScope::ServicePrincipal(sp_id.clone()),
            Some("ci"),
            &FederationPolicy {
                description: Some("CI deploys".into()),
                oidc_policy: Some(OidcPolicy {
                    subject: Some(CI_SUBJECT.into()),
                    ..oidc_policy(key, "auth-flows-ci")
                }),
                ..FederationPolicy::default()
            },
        )
        .await
        .expect("the policy is created");
    assert_eq!(policy.policy_id.as_deref(), Some("ci"));
    (sp_id, application_id)
}
