//! App connections, published apps and federation policies in the shapes the loaders
//! produce: catalogue apps marked `_available`, details as `{"object": …, "catalog": …}`.

use serde_json::{Value, json};

use crate::fixtures::ACCOUNT_ID;
use crate::fixtures_principals::{days_from_now, sp_id};

fn token_policy(access: i64, refresh: i64, single_use: bool) -> Value {
    json!({
        "access_token_ttl_in_minutes": access,
        "refresh_token_ttl_in_minutes": refresh,
        "enable_single_use_refresh_tokens": single_use,
    })
}

/// A fixed 32-bit value per index that differs from its neighbours in the leading digits.
fn scatter(index: usize, seed: u32) -> u32 {
    seed.wrapping_mul(u32::try_from(index).unwrap_or_default() * 2 + 1)
        .rotate_left(u32::try_from(index).unwrap_or_default() * 4)
}

/// An app connection as `GET custom-app-integrations` lists it.
pub fn app(
    index: usize,
    name: &str,
    confidential: bool,
    redirect_urls: &[&str],
    scopes: &[&str],
    policy: Option<Value>,
) -> Value {
    let mut app = json!({
        // Distinct from the first character, as random ids are.
        "integration_id": format!("{:08x}-5c2e-4b7f-9a3e-5c1d7f9b2e60", scatter(index, 0x4d2c_8e1a)),
        "client_id": format!("{:08x}-9e2d-4c8a-8e1f-0a6b4d2c9e71", scatter(index, 0x7b3f_9e2d)),
        "name": name,
        "confidential": confidential,
        "redirect_urls": redirect_urls,
        "scopes": scopes,
        "create_time": days_from_now(-(100 + 70 * i64::try_from(index).unwrap_or_default())),
        "creator_username": "ines.moreau@northwind.example",
    });
    if let Some(policy) = policy {
        app["token_access_policy"] = policy;
    }
    app
}

pub fn apps() -> Vec<Value> {
    vec![
        app(
            0,
            "Tableau Cloud (prod)",
            true,
            &["https://prod-useast-a.tableau.example.com/auth/add_oauth_token"],
            &["sql", "offline_access"],
            Some(token_policy(60, 10_080, true)),
        ),
        app(
            1,
            "Northwind Data Portal",
            false,
            &[
                "https://portal.northwind.example/oauth/callback",
                "http://localhost:3000/oauth/callback",
            ],
            &["sql", "offline_access", "openid", "profile", "email"],
            Some(token_policy(30, 1_440, true)),
        ),
        app(
            2,
            "Ops Metrics Bot",
            true,
            &["https://opsbot.northwind.example/oauth/callback"],
            &["all-apis"],
            Some(token_policy(60, 20_160, true)),
        ),
        app(
            3,
            "Streamlit Team Apps",
            true,
            &["https://*.northwind.example/oauth/callback"],
            &["sql", "offline_access", "openid", "email"],
            Some(token_policy(45, 4_320, false)),
        ),
        app(
            4,
            "JupyterHub (research)",
            true,
            &["https://jupyter.northwind.example/hub/oauth_callback"],
            &["sql", "offline_access"],
            None,
        ),
    ]
}

/// Tableau Cloud in full: user-authorized scopes and an absolute session lifetime too.
pub fn app_detail() -> Value {
    let mut object = apps()[0].clone();
    object["user_authorized_scopes"] = json!(["sql"]);
    object["token_access_policy"]["absolute_session_lifetime_in_minutes"] = json!(43_200);
    json!({"object": object})
}

fn catalog_entry(app_id: &str, name: &str, description: &str, redirect: &str) -> Value {
    json!({
        "app_id": app_id,
        "client_id": app_id,
        "name": name,
        "description": description,
        "redirect_urls": [redirect],
        "scopes": ["all-apis", "offline_access"],
    })
}

pub fn catalog() -> Vec<Value> {
    vec![
        catalog_entry(
            "power-bi",
            "Power BI",
            "Microsoft Power BI Desktop and service connector.",
            "https://oauth.powerbi.example.com/views/oauthredirect.html",
        ),
        catalog_entry(
            "tableau-desktop",
            "Tableau Desktop",
            "Tableau Desktop connector.",
            "http://localhost:55555/Callback",
        ),
        catalog_entry(
            "databricks-cli",
            "Databricks CLI",
            "Databricks command-line interface (U2M login with PKCE).",
            "http://localhost:8020",
        ),
        catalog_entry(
            "databricks-dbt-adapter",
            "dbt Databricks adapter",
            "dbt-databricks adapter (U2M login for dbt Core).",
            "http://localhost:8020",
        ),
        catalog_entry(
            "databricks-vscode",
            "Databricks for VS Code",
            "Databricks extension for Visual Studio Code.",
            "http://localhost:8020",
        ),
    ]
}

fn enabled(index: usize, app_id: &str, name: &str, policy: Option<Value>) -> Value {
    let mut app = json!({
        "app_id": app_id,
        "integration_id": format!("{:08x}-5c3b-4a1f-8b2d-6e4c0a8f1d93", scatter(index, 0x9e7d_5c3b)),
        "name": name,
        "create_time": days_from_now(-(470 + 30 * i64::try_from(index).unwrap_or_default())),
    });
    if let Some(policy) = policy {
        app["token_access_policy"] = policy;
    }
    app
}

/// The published-apps list as the loader builds it: the enabled integrations, then the
/// catalogue apps not enabled yet (`_available`).
pub fn published_apps() -> Vec<Value> {
    let mut list = vec![
        enabled(
            0,
            "power-bi",
            "Power BI",
            Some(token_policy(60, 10_080, true)),
        ),
        enabled(1, "tableau-desktop", "Tableau Desktop", None),
        enabled(
            2,
            "databricks-cli",
            "Databricks CLI",
            Some(json!({"access_token_ttl_in_minutes": 60, "refresh_token_ttl_in_minutes": 1_440})),
        ),
    ];
    for mut entry in catalog().into_iter().skip(3) {
        entry["_available"] = json!(true);
        list.push(entry);
    }
    list
}

/// Power BI enabled, with its catalogue entry beside it.
pub fn published_app_detail() -> Value {
    json!({"object": published_apps()[0].clone(), "catalog": catalog()[0].clone()})
}

/// A catalogue app not enabled: its detail is the catalogue entry (id `catalog:<app id>`).
pub fn available_app_detail() -> Value {
    let entry = catalog()[3].clone();
    json!({"object": entry, "catalog": entry})
}

fn policy(policy_id: &str, description: &str, oidc: Value, created_days_ago: i64) -> Value {
    json!({
        "name": format!("accounts/{ACCOUNT_ID}/federationPolicies/{policy_id}"),
        "policy_id": policy_id,
        "uid": format!("0f1e2d3c-4b5a-4968-8776-{:012}", created_days_ago),
        "description": description,
        "oidc_policy": oidc,
        "create_time": days_from_now(-created_days_ago),
        "update_time": days_from_now(-created_days_ago),
    })
}

/// The account's federation policies: Okta (https) and a legacy IdP on plain http.
pub fn federation_policies() -> Vec<Value> {
    vec![
        policy(
            "okta-sso",
            "Okta workforce tokens (Northwind SSO) exchanged for Databricks tokens",
            json!({"issuer": "https://northwind.okta.example/oauth2/default", "audiences": ["databricks"], "subject_claim": "email"}),
            90,
        ),
        policy(
            "legacy-idp",
            "On-prem IdP used by the old BI gateway (pending decommission)",
            json!({"issuer": "http://idp.northwind.example", "audiences": ["databricks-bi-gateway"], "subject_claim": "email"}),
            410,
        ),
        policy(
            "entra-workload",
            "Entra ID workload identities",
            json!({"issuer": "https://login.microsoftonline.example/5f2d8c1e/v2.0", "jwks_json": "{\"keys\":[]}"}),
            30,
        ),
    ]
}

/// An SP's policy (GitHub Actions for `ci-deployer`), as its detail loads.
pub fn service_principal_policy() -> Value {
    let id = sp_id(0);
    let mut object = policy(
        "github-prod",
        "GitHub Actions deploys from the protected prod environment of northwind-analytics/infra",
        json!({
            "issuer": "https://token.actions.githubusercontent.com",
            "audiences": ["https://github.com/northwind-analytics"],
            "subject": "repo:northwind-analytics/infra:environment:prod",
        }),
        60,
    );
    object["name"] = json!(format!(
        "accounts/{ACCOUNT_ID}/servicePrincipals/{id}/federationPolicies/github-prod"
    ));
    object["service_principal_id"] = json!(id.parse::<i64>().unwrap_or_default());
    json!({"object": object})
}
