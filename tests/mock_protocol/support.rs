//! Shared helpers: starting the fake, sending requests with reqwest, and asserting the three
//! error shapes (standard, SCIM, OAuth) exactly.

use std::collections::{BTreeSet, HashMap};

use base64::Engine as _;
use dbx_console::mock::oidc::pkce::{random_url_safe, s256_challenge};
use dbx_console::mock::oidc::sessions::Subject;
use dbx_console::mock::{MockConfig, MockServer};
use reqwest::header::{self, HeaderMap};
use reqwest::{Method, RequestBuilder, StatusCode};
use serde_json::{Map, Value, json};

pub const SCIM_ERROR_URN: &str = "urn:ietf:params:scim:api:messages:2.0:Error";
pub const SCIM_LIST_URN: &str = "urn:ietf:params:scim:api:messages:2.0:ListResponse";
pub const PATCH_OP_URN: &str = "urn:ietf:params:scim:api:messages:2.0:PatchOp";
pub const USER_URN: &str = "urn:ietf:params:scim:schemas:core:2.0:User";
pub const GROUP_URN: &str = "urn:ietf:params:scim:schemas:core:2.0:Group";
pub const SP_URN: &str = "urn:ietf:params:scim:schemas:core:2.0:ServicePrincipal";
pub const TOKEN_EXCHANGE: &str = "urn:ietf:params:oauth:grant-type:token-exchange";
pub const JWT_TOKEN_TYPE: &str = "urn:ietf:params:oauth:token-type:jwt";

/// The Databricks CLI's published client and its registered redirect.
pub const CLI_CLIENT: &str = "databricks-cli";
pub const CLI_REDIRECT: &str = "http://localhost:8020";

/// Seeded demo principals the tests rely on.
pub const DEMO_ADMIN: &str = "ana.silva@northwind.example";
pub const DEMO_OTHER_ADMIN: &str = "grace.mwangi@northwind.example";
pub const DEMO_NON_ADMIN: &str = "aarav.desai@northwind.example";
pub const DEMO_USER_COUNT: usize = 200;
pub const ANALYTICS_DEV: i64 = 3_184_729_561_047_911;
pub const RESEARCH_SANDBOX: i64 = 7_741_203_958_126_604;

/// rustls needs a process-wide crypto provider before any reqwest client is built.
pub fn http_client() -> reqwest::Client {
    let _ = rustls::crypto::ring::default_provider().install_default();
    reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .expect("reqwest client builds")
}

/// A received response, read in full.
#[derive(Debug)]
pub struct Reply {
    pub status: StatusCode,
    pub headers: HeaderMap,
    pub text: String,
    /// The body parsed as JSON, `Value::Null` when it is empty or not JSON.
    pub json: Value,
}

impl Reply {
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers.get(name).and_then(|v| v.to_str().ok())
    }

    /// The JSON body as an object, failing the test when it is anything else.
    pub fn object(&self) -> &Map<String, Value> {
        self.json
            .as_object()
            .unwrap_or_else(|| panic!("expected a JSON object, got {} {}", self.status, self.text))
    }

    pub fn expect(self, status: u16) -> Reply {
        assert_eq!(
            self.status.as_u16(),
            status,
            "unexpected status; body: {}",
            self.text
        );
        self
    }

    /// The query parameters of a redirect's `Location`.
    pub fn location_params(&self) -> HashMap<String, String> {
        let location = self
            .header("location")
            .unwrap_or_else(|| panic!("no Location header in {self:?}"));
        let query = location.split_once('?').map_or("", |(_, q)| q);
        serde_urlencoded::from_str::<Vec<(String, String)>>(query)
            .expect("Location query parses")
            .into_iter()
            .collect()
    }
}

pub fn keys(object: &Map<String, Value>) -> BTreeSet<&str> {
    object.keys().map(String::as_str).collect()
}

/// Standard `{"error_code","message","details"?}`; returns the message.
pub fn assert_standard_error(reply: &Reply, status: u16, error_code: &str) -> String {
    assert_eq!(
        reply.status.as_u16(),
        status,
        "status; body: {}",
        reply.text
    );
    let body = reply.object();
    let allowed: BTreeSet<&str> = ["error_code", "message", "details"].into();
    assert!(
        keys(body).is_subset(&allowed),
        "unexpected keys in {body:?}"
    );
    assert_eq!(
        body.get("error_code"),
        Some(&json!(error_code)),
        "body: {}",
        reply.text
    );
    let message = body["message"].as_str().expect("message is a string");
    assert!(!message.is_empty(), "empty message");
    assert!(
        reply
            .header("content-type")
            .is_some_and(|c| c.starts_with("application/json")),
        "content type of {reply:?}"
    );
    if let Some(details) = body.get("details") {
        let details = details.as_array().expect("details is an array");
        for detail in details {
            assert!(
                detail["@type"]
                    .as_str()
                    .is_some_and(|t| t.starts_with("type.googleapis.com/"))
            );
        }
    }
    message.to_owned()
}

/// SCIM `{"schemas":[Error],"detail","status":"<string>","scimType"?}`; returns the detail.
pub fn assert_scim_error(reply: &Reply, status: u16, scim_type: Option<&str>) -> String {
    assert_eq!(
        reply.status.as_u16(),
        status,
        "status; body: {}",
        reply.text
    );
    let body = reply.object();
    let mut expected: BTreeSet<&str> = ["schemas", "detail", "status"].into();
    if scim_type.is_some() {
        expected.insert("scimType");
    }
    assert_eq!(keys(body), expected, "SCIM error keys in {}", reply.text);
    assert_eq!(body["schemas"], json!([SCIM_ERROR_URN]));
    assert_eq!(
        body["status"],
        json!(status.to_string()),
        "status must be a string"
    );
    if let Some(scim_type) = scim_type {
        assert_eq!(body["scimType"], json!(scim_type), "body: {}", reply.text);
    }
    let detail = body["detail"].as_str().expect("detail is a string");
    assert!(!detail.is_empty());
    detail.to_owned()
}

/// OAuth `{"error","error_description"}`; returns the description.
pub fn assert_oauth_error(reply: &Reply, status: u16, error: &str) -> String {
    assert_eq!(
        reply.status.as_u16(),
        status,
        "status; body: {}",
        reply.text
    );
    let body = reply.object();
    assert_eq!(
        keys(body),
        ["error", "error_description"].into(),
        "body: {}",
        reply.text
    );
    assert_eq!(body["error"], json!(error), "body: {}", reply.text);
    let description = body["error_description"]
        .as_str()
        .expect("description is a string");
    assert!(!description.is_empty());
    description.to_owned()
}

/// A PKCE verifier and its S256 challenge.
pub fn pkce_pair() -> (String, String) {
    let verifier = random_url_safe(48);
    let challenge = s256_challenge(&verifier);
    (verifier, challenge)
}

pub fn form_body(pairs: &[(&str, &str)]) -> String {
    serde_urlencoded::to_string(pairs).expect("form encodes")
}

pub fn basic(client_id: &str, secret: &str) -> String {
    let raw = format!("{client_id}:{secret}");
    format!(
        "Basic {}",
        base64::engine::general_purpose::STANDARD.encode(raw)
    )
}

pub fn now_epoch() -> i64 {
    chrono::Utc::now().timestamp()
}

pub fn object(value: Value) -> Map<String, Value> {
    match value {
        Value::Object(map) => map,
        other => panic!("expected an object, got {other}"),
    }
}

/// The `scim/v2` list parameters as a query string.
pub fn query(pairs: &[(&str, &str)]) -> String {
    serde_urlencoded::to_string(pairs).expect("query encodes")
}

/// A running fake plus an HTTP client that signs in as its account admin.
pub struct Fake {
    pub server: MockServer,
    pub http: reqwest::Client,
}

impl Fake {
    pub async fn start(config: MockConfig) -> Fake {
        let http = http_client();
        let server = MockServer::start(config).await.expect("fake starts");
        Fake { server, http }
    }

    pub async fn demo() -> Fake {
        Fake::start(MockConfig::default()).await
    }

    pub async fn stop(self) {
        self.server.stop().await;
    }

    pub fn url(&self, path: &str) -> String {
        format!("{}{path}", self.server.host)
    }

    /// `/api/2.0/accounts/{id}` + `path`.
    pub fn api(&self, path: &str) -> String {
        format!(
            "{}/api/2.0/accounts/{}{path}",
            self.server.host, self.server.account_id
        )
    }

    /// `/api/2.0/preview/accounts/{id}` + `path`.
    pub fn preview(&self, path: &str) -> String {
        format!(
            "{}/api/2.0/preview/accounts/{}{path}",
            self.server.host, self.server.account_id
        )
    }

    /// `/oidc/accounts/{id}` + `path`.
    pub fn oidc(&self, path: &str) -> String {
        format!(
            "{}/oidc/accounts/{}{path}",
            self.server.host, self.server.account_id
        )
    }

    pub fn scim(&self, path: &str) -> String {
        self.api(&format!("/scim/v2{path}"))
    }

    pub async fn send(&self, request: RequestBuilder) -> Reply {
        let response = request.send().await.expect("request is answered");
        let status = response.status();
        let headers = response.headers().clone();
        let bytes = response.bytes().await.expect("body is read");
        let text = String::from_utf8_lossy(&bytes).into_owned();
        let json = serde_json::from_slice(&bytes).unwrap_or(Value::Null);
        Reply {
            status,
            headers,
            text,
            json,
        }
    }

    /// A request carrying `token` as its bearer token.
    pub fn request_as(&self, token: &str, method: Method, url: &str) -> RequestBuilder {
        self.http
            .request(method, url)
            .header(header::AUTHORIZATION, format!("Bearer {token}"))
            .header(header::ACCEPT, "application/json")
    }

    pub fn request(&self, method: Method, url: &str) -> RequestBuilder {
        self.request_as(&self.server.admin_token, method, url)
    }

    pub async fn get(&self, url: &str) -> Reply {
        self.send(self.request(Method::GET, url)).await
    }

    pub async fn get_as(&self, token: &str, url: &str) -> Reply {
        self.send(self.request_as(token, Method::GET, url)).await
    }

    pub async fn delete(&self, url: &str) -> Reply {
        self.send(self.request(Method::DELETE, url)).await
    }

    pub async fn with_json(&self, method: Method, url: &str, body: &Value) -> Reply {
        let request = self
            .request(method, url)
            .header(header::CONTENT_TYPE, "application/json")
            .body(body.to_string());
        self.send(request).await
    }

    pub async fn post(&self, url: &str, body: &Value) -> Reply {
        self.with_json(Method::POST, url, body).await
    }

    pub async fn put(&self, url: &str, body: &Value) -> Reply {
        self.with_json(Method::PUT, url, body).await
    }

    pub async fn patch(&self, url: &str, body: &Value) -> Reply {
        self.with_json(Method::PATCH, url, body).await
    }

    /// A request whose body is sent byte for byte as given.
    pub async fn raw(&self, method: Method, url: &str, body: Vec<u8>) -> Reply {
        let request = self
            .request(method, url)
            .header(header::CONTENT_TYPE, "application/json")
            .body(body);
        self.send(request).await
    }

    /// POSTs a form to the token endpoint, without any Authorization header.
    pub async fn token(&self, pairs: &[(&str, &str)]) -> Reply {
        self.token_with(pairs, None).await
    }

    pub async fn token_with(&self, pairs: &[(&str, &str)], authorization: Option<&str>) -> Reply {
        let mut request = self
            .http
            .post(self.oidc("/v1/token"))
            .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
            .body(form_body(pairs));
        if let Some(value) = authorization {
            request = request.header(header::AUTHORIZATION, value);
        }
        self.send(request).await
    }

    /// The browser's GET of the authorize URL.
    pub async fn authorize(&self, pairs: &[(&str, &str)]) -> Reply {
        let url = format!("{}?{}", self.oidc("/v1/authorize"), query(pairs));
        self.send(self.http.get(url)).await
    }

    /// The consent form's POST.
    pub async fn consent(&self, pairs: &[(&str, &str)]) -> Reply {
        let request = self
            .http
            .post(self.oidc("/v1/authorize"))
            .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
            .body(form_body(pairs));
        self.send(request).await
    }

    pub fn scim_id(&self, user_name: &str) -> String {
        self.server
            .shared()
            .read()
            .users
            .find_unique(user_name)
            .unwrap_or_else(|| panic!("no user {user_name}"))
            .to_owned()
    }

    pub fn token_for_user(&self, user_name: &str) -> String {
        self.server
            .token_for(Subject::User(self.scim_id(user_name)))
    }

    pub fn user_count(&self) -> usize {
        self.server.shared().read().users.len()
    }

    /// Creates a user through SCIM and returns its id.
    pub async fn create_user(&self, user_name: &str) -> String {
        let body = json!({"schemas": [USER_URN], "userName": user_name, "displayName": user_name});
        let reply = self.post(&self.scim("/Users"), &body).await.expect(201);
        reply.json["id"].as_str().expect("id").to_owned()
    }

    /// Creates a service principal through SCIM; returns (SCIM id, applicationId).
    pub async fn create_service_principal(
        &self,
        display_name: &str,
        admin: bool,
    ) -> (String, String) {
        let mut body = json!({"schemas": [SP_URN], "displayName": display_name, "active": true});
        if admin {
            body["roles"] = json!([{"value": "account_admin"}]);
        }
        let reply = self
            .post(&self.scim("/ServicePrincipals"), &body)
            .await
            .expect(201);
        let id = reply.json["id"].as_str().expect("id").to_owned();
        let application_id = reply.json["applicationId"]
            .as_str()
            .expect("applicationId")
            .to_owned();
        (id, application_id)
    }

    pub async fn create_secret(&self, sp_id: &str, body: &Value) -> Reply {
        self.post(
            &self.api(&format!("/servicePrincipals/{sp_id}/credentials/secrets")),
            body,
        )
        .await
    }

    /// A GET that only an account admin may make, to prove a token works.
    pub async fn probe(&self, token: &str) -> Reply {
        self.get_as(token, &self.api("/workspaces")).await
    }

    /// Signs in through the authorize endpoint (auto-approve, or the consent page as `user`)
    /// and returns the authorization code and PKCE verifier.
    pub async fn sign_in(
        &self,
        client_id: &str,
        redirect_uri: &str,
        scope: &str,
        user: Option<&str>,
    ) -> (String, String) {
        let (verifier, challenge) = pkce_pair();
        let state = random_url_safe(16);
        let params = authorize_params(client_id, redirect_uri, scope, &state, &challenge);
        let reply = match user {
            None => self.authorize(&as_pairs(&params)).await,
            Some(user) => {
                let mut pairs = as_pairs(&params);
                pairs.push(("decision", "allow"));
                pairs.push(("user", user));
                self.consent(&pairs).await
            }
        };
        let reply = reply.expect(302);
        let params = reply.location_params();
        assert_eq!(params.get("state"), Some(&state), "state must be echoed");
        let code = params
            .get("code")
            .unwrap_or_else(|| panic!("no code in {reply:?}"))
            .clone();
        (code, verifier)
    }

    /// Exchanges a code for tokens, as the CLI does.
    pub async fn exchange_code(
        &self,
        client_id: &str,
        redirect_uri: &str,
        code: &str,
        verifier: &str,
    ) -> Reply {
        self.token(&[
            ("grant_type", "authorization_code"),
            ("code", code),
            ("redirect_uri", redirect_uri),
            ("code_verifier", verifier),
            ("client_id", client_id),
        ])
        .await
    }
}

/// The authorize request of the CLI (reference §3.2).
pub fn authorize_params(
    client_id: &str,
    redirect_uri: &str,
    scope: &str,
    state: &str,
    challenge: &str,
) -> Vec<(String, String)> {
    [
        ("response_type", "code"),
        ("client_id", client_id),
        ("redirect_uri", redirect_uri),
        ("scope", scope),
        ("state", state),
        ("code_challenge", challenge),
        ("code_challenge_method", "S256"),
    ]
    .iter()
    .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
    .collect()
}

pub fn as_pairs(params: &[(String, String)]) -> Vec<(&str, &str)> {
    params
        .iter()
        .map(|(k, v)| (k.as_str(), v.as_str()))
        .collect()
}

/// Every `Resources` entry of a SCIM list body (none past the end).
pub fn resources(reply: &Reply) -> Vec<Map<String, Value>> {
    reply
        .json
        .get("Resources")
        .and_then(Value::as_array)
        .map(|items| items.iter().map(|item| object(item.clone())).collect())
        .unwrap_or_default()
}

pub fn strings(value: &Value) -> Vec<String> {
    value
        .as_array()
        .map(|items| {
            items
                .iter()
                .filter_map(Value::as_str)
                .map(str::to_owned)
                .collect()
        })
        .unwrap_or_default()
}
