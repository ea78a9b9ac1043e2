//! OAuth clients the fake knows: published apps (the `databricks-cli` client among them),
//! custom app connections, and service principals (client credentials).

use serde_json::Value;

use crate::mock::oauth_apps::string_list;
use crate::mock::state::{Account, Object};
use crate::mock::token_policy::TokenAccessPolicy;

/// Scopes a published app may request (the ones the custom-app API documents).
pub const DOCUMENTED_SCOPES: [&str; 6] = [
    "all-apis",
    "offline_access",
    "openid",
    "profile",
    "email",
    "sql",
];

#[derive(Debug, Clone)]
pub struct OAuthClient {
    pub client_id: String,
    pub name: String,
    pub is_confidential: bool,
    pub client_secret_hash: Option<String>,
    pub redirect_urls: Vec<String>,
    pub allowed_scopes: Vec<String>,
    pub policy: TokenAccessPolicy,
}

pub fn find(account: &Account, client_id: &str) -> Option<OAuthClient> {
    if let Some(app) = account
        .published_catalog
        .iter()
        .find(|app| app.get("client_id").and_then(Value::as_str) == Some(client_id))
    {
        return Some(published(account, app));
    }
    account
        .custom_apps
        .values()
        .find(|record| record.info.get("client_id").and_then(Value::as_str) == Some(client_id))
        .map(|record| {
            let scopes = string_list(record.info.get("scopes"));
            OAuthClient {
                client_id: client_id.to_owned(),
                name: text(&record.info, "name").unwrap_or_else(|| client_id.to_owned()),
                is_confidential: record.info.get("confidential").and_then(Value::as_bool)
                    == Some(true),
                client_secret_hash: record.client_secret_hash.clone(),
                redirect_urls: string_list(record.info.get("redirect_urls")),
                allowed_scopes: if scopes.is_empty() {
                    documented()
                } else {
                    scopes
                },
                policy: TokenAccessPolicy::from_value(record.info.get("token_access_policy")),
            }
        })
}

fn published(account: &Account, app: &Object) -> OAuthClient {
    let app_id = text(app, "app_id").unwrap_or_default();
    // The token policy of a published app is the one of its integration in this account.
    let policy = account
        .published_integrations
        .values()
        .find(|integration| text(integration, "app_id").as_deref() == Some(app_id.as_str()))
        .map(|integration| TokenAccessPolicy::from_value(integration.get("token_access_policy")))
        .unwrap_or_default();
    let scopes = string_list(app.get("scopes"));
    OAuthClient {
        client_id: text(app, "client_id").unwrap_or_default(),
        name: text(app, "name").unwrap_or(app_id),
        is_confidential: false,
        client_secret_hash: None,
        redirect_urls: string_list(app.get("redirect_urls")),
        // Published apps list their usual scopes; all documented ones may be requested.
        allowed_scopes: scopes.into_iter().chain(documented()).collect(),
        policy,
    }
}

fn documented() -> Vec<String> {
    DOCUMENTED_SCOPES.iter().map(|s| (*s).to_owned()).collect()
}

fn text(object: &Object, key: &str) -> Option<String> {
    object.get(key).and_then(Value::as_str).map(str::to_owned)
}

/// Whether `redirect_uri` is registered. Loopback redirects match on any port (RFC 8252
/// §7.3), which is how the CLI can fall back from 8020 to the next free port.
pub fn redirect_allowed(client: &OAuthClient, redirect_uri: &str) -> bool {
    client.redirect_urls.iter().any(|registered| {
        registered == redirect_uri
            || match (loopback_parts(registered), loopback_parts(redirect_uri)) {
                (Some(a), Some(b)) => a == b,
                _ => false,
            }
    })
}

/// `(path)` of an `http://localhost|127.0.0.1[:port]/path` URL, ignoring the port.
fn loopback_parts(url: &str) -> Option<String> {
    let rest = url.strip_prefix("http://")?;
    let (authority, path) = rest.split_once('/').map_or((rest, ""), |(a, p)| (a, p));
    let host = authority.rsplit_once(':').map_or(authority, |(h, _)| h);
    matches!(host, "localhost" | "127.0.0.1" | "[::1]")
        .then(|| path.trim_end_matches('/').to_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn client(urls: &[&str]) -> OAuthClient {
        OAuthClient {
            client_id: "c".into(),
            name: "c".into(),
            is_confidential: false,
            client_secret_hash: None,
            redirect_urls: urls.iter().map(|u| u.to_string()).collect(),
            allowed_scopes: vec![],
            policy: TokenAccessPolicy::default(),
        }
    }

    #[test]
    fn loopback_redirects_match_any_port_but_not_other_hosts_or_paths() {
        let cli = client(&["http://localhost:8020"]);
        assert!(redirect_allowed(&cli, "http://localhost:8020"));
        assert!(redirect_allowed(&cli, "http://localhost:8031"));
        assert!(redirect_allowed(&cli, "http://127.0.0.1:8031/"));
        assert!(!redirect_allowed(&cli, "http://localhost:8031/other"));
        assert!(!redirect_allowed(&cli, "http://evil.example:8020"));
        let web = client(&["https://app.example/cb"]);
        assert!(redirect_allowed(&web, "https://app.example/cb"));
        assert!(!redirect_allowed(&web, "https://app.example/cb2"));
    }
}
