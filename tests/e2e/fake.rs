//! The fake account as its own `mock-server` process, the console signed in to it with the
//! fake's admin token, and that admin's HTTP client, so a test checks on the server what the
//! console changed (and changes things behind the console's back).

use std::process::{Child, Command, Stdio};
use std::sync::Arc;

use dbx_console::api::{AccountClient, ApiError, Call, ClientConfig, StaticToken};
use dbx_console::mock::Handshake;
use reqwest::Method;
use serde_json::Value;

use crate::support::{BINARY, Pty, Size};

/// `dbx-console mock-server --seed demo`, killed on drop.
pub struct FakeAccount {
    child: Child,
    pub host: String,
    pub account_id: String,
    token: String,
    client: AccountClient,
    runtime: tokio::runtime::Runtime,
}

impl FakeAccount {
    pub fn start() -> FakeAccount {
        // The handshake is the first line; the pipe is dropped after it, which the fake
        // must survive (it prints nothing more).
        let (
            child,
            Handshake {
                host,
                account_id,
                token,
            },
        ) = Handshake::spawn(
            Command::new(BINARY)
                .args(["mock-server", "--listen", "127.0.0.1:0", "--seed", "demo"])
                .env_clear()
                .stdin(Stdio::null())
                .stderr(Stdio::null()),
        )
        .unwrap_or_else(|e| panic!("{e}"));
        let mut config = ClientConfig::new(&host, &account_id);
        // The test's own checks should never wait on a client-side rate budget.
        config = config.without_rate_budgets();
        let client = AccountClient::new(config, Arc::new(StaticToken::new(token.as_str())))
            .expect("an admin client");
        let runtime = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .expect("a runtime for the admin client");
        FakeAccount {
            child,
            host,
            account_id,
            token,
            client,
            runtime,
        }
    }

    /// The console signed in to this account with the admin token (a static token, as
    /// `DATABRICKS_TOKEN` gives it), plus `args` and `env`.
    pub fn console(&self, size: Size, args: &[&str], env: &[(&str, &str)]) -> Pty {
        let mut all = self.environment();
        all.extend_from_slice(env);
        Pty::spawn(args, size, &all)
    }

    /// The variables that point the binary at this account as its admin.
    pub fn environment(&self) -> Vec<(&str, &str)> {
        vec![
            ("DATABRICKS_HOST", self.host.as_str()),
            ("DATABRICKS_ACCOUNT_ID", self.account_id.as_str()),
            ("DATABRICKS_TOKEN", self.token.as_str()),
        ]
    }

    /// `GET /api/2.0/accounts/<id><suffix>` as the admin.
    pub fn get(&self, suffix: &str) -> Value {
        self.try_get(suffix)
            .unwrap_or_else(|e| panic!("GET {suffix} failed: {e}"))
    }

    pub fn try_get(&self, suffix: &str) -> Result<Value, ApiError> {
        let path = self.client.account_path(suffix);
        self.runtime
            .block_on(self.client.json::<Value>(Call::get(path)))
    }

    /// A write as the admin (a change the console did not make).
    pub fn write(&self, method: Method, suffix: &str, body: &Value) -> Value {
        let path = self.client.account_path(suffix);
        let bytes = self
            .runtime
            .block_on(
                self.client
                    .execute(Call::with_body(method.clone(), path, body)),
            )
            .unwrap_or_else(|e| panic!("{method} {suffix} failed: {e}"));
        serde_json::from_slice(&bytes).unwrap_or(Value::Null)
    }

    /// The SCIM resource of `collection` whose `attribute` equals `value`.
    pub fn scim_find(&self, collection: &str, attribute: &str, value: &str) -> Value {
        let path = self.client.account_path(&format!("/scim/v2/{collection}"));
        let call = Call::get(path).query("filter", format!("{attribute} eq \"{value}\""));
        let page: Value = self
            .runtime
            .block_on(self.client.json(call))
            .unwrap_or_else(|e| panic!("looking up {value} failed: {e}"));
        let found = page["Resources"].as_array().cloned().unwrap_or_default();
        assert_eq!(found.len(), 1, "one {collection} named {value}: {page}");
        let id = found[0]["id"].as_str().unwrap_or_default().to_owned();
        // The full resource: a filtered list may leave out members and roles.
        self.get(&format!("/scim/v2/{collection}/{id}"))
    }

    /// How many resources a SCIM collection holds.
    pub fn total(&self, collection: &str) -> u64 {
        let path = self.client.account_path(&format!("/scim/v2/{collection}"));
        let page: Value = self
            .runtime
            .block_on(self.client.json(Call::get(path).query("count", 1)))
            .unwrap_or_else(|e| panic!("counting {collection} failed: {e}"));
        page["totalResults"].as_u64().expect("totalResults")
    }

    pub fn user(&self, user_name: &str) -> Value {
        self.scim_find("Users", "userName", user_name)
    }

    pub fn group(&self, display_name: &str) -> Value {
        self.scim_find("Groups", "displayName", display_name)
    }

    pub fn service_principal(&self, display_name: &str) -> Value {
        self.scim_find("ServicePrincipals", "displayName", display_name)
    }

    /// Every app connection, all pages.
    pub fn apps(&self) -> Vec<Value> {
        let mut apps = Vec::new();
        let mut token: Option<String> = None;
        loop {
            let suffix = match &token {
                Some(token) => format!("/oauth2/custom-app-integrations?page_token={token}"),
                None => "/oauth2/custom-app-integrations".to_owned(),
            };
            let page = self.get(&suffix);
            apps.extend(page["apps"].as_array().cloned().unwrap_or_default());
            match page["next_page_token"].as_str() {
                Some(next) if !next.is_empty() => token = Some(next.to_owned()),
                _ => return apps,
            }
        }
    }

    /// The app connection named `name`, if there is exactly one.
    pub fn app_named(&self, name: &str) -> Option<Value> {
        let mut found: Vec<Value> = self
            .apps()
            .into_iter()
            .filter(|app| app["name"] == name)
            .collect();
        assert!(found.len() <= 1, "one app named {name}: {found:#?}");
        found.pop()
    }
}

impl Drop for FakeAccount {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// The id of a SCIM resource as the fake reports it.
pub fn id_of(resource: &Value) -> String {
    resource["id"].as_str().unwrap_or_default().to_owned()
}

/// The values of a SCIM multi-valued attribute (`members`, `roles`).
pub fn values(resource: &Value, attribute: &str) -> Vec<String> {
    resource[attribute]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|item| item["value"].as_str().map(str::to_owned))
        .collect()
}
