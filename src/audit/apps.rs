//! App connections (custom OAuth app integrations) and enabled published apps: scopes,
//! redirect URLs and token lifetimes.

use url::{Host, Url};

use super::{Finding, Severity, Subject, Thresholds};
use crate::config::{OAUTH_DEFAULT_SCOPE, OFFLINE_ACCESS};
use crate::snapshot_view::{Account, CustomApp, PublishedApp, TokenPolicy};

pub const ALL_APIS_SCOPE: &str = "app.all-apis-scope";
pub const REFRESH_TTL_LONG: &str = "app.refresh-ttl-long";
pub const REFRESH_TTL_WITHOUT_OFFLINE_ACCESS: &str = "app.refresh-ttl-without-offline-access";
pub const REDIRECT_PLAIN_HTTP: &str = "app.redirect-plain-http";
pub const REDIRECT_WILDCARD: &str = "app.redirect-wildcard";
pub const SINGLE_USE_REFRESH_OFF: &str = "app.single-use-refresh-off";

const CUSTOM: &str = "custom_app_integration";
const PUBLISHED: &str = "published_app_integration";

pub fn check(account: &Account, thresholds: &Thresholds) -> Vec<Finding> {
    let mut findings = Vec::new();
    for app in &account.custom_apps {
        custom_app(app, thresholds, &mut findings);
    }
    for app in &account.published_apps {
        published_app(app, thresholds, &mut findings);
    }
    findings
}

fn custom_subject(app: &CustomApp) -> Subject<'_> {
    Subject {
        resource_type: CUSTOM,
        id: &app.integration_id,
        name: &app.name,
    }
}

fn custom_app(app: &CustomApp, thresholds: &Thresholds, findings: &mut Vec<Finding>) {
    let has_offline_access = app.scopes.iter().any(|s| s == OFFLINE_ACCESS);
    if app.scopes.iter().any(|s| s == OAUTH_DEFAULT_SCOPE) {
        findings.push(Finding::new(
            ALL_APIS_SCOPE,
            Severity::Medium,
            custom_subject(app),
            "has the all-apis scope: its tokens can call every API the signed-in user can".into(),
            "Replace all-apis with the narrowest scopes the app needs (for example sql).",
        ));
    }
    let insecure: Vec<&str> = app
        .redirect_urls
        .iter()
        .map(String::as_str)
        .filter(|url| is_plain_http_off_loopback(url))
        .collect();
    if !insecure.is_empty() {
        findings.push(Finding::new(
            REDIRECT_PLAIN_HTTP,
            Severity::High,
            custom_subject(app),
            format!(
                "redirects over plain http to a host other than this machine, so authorization codes cross the network unencrypted: {}",
                insecure.join(", ")
            ),
            "Use https redirect URLs; plain http is only safe for localhost/127.0.0.1.",
        ));
    }
    let wildcards: Vec<&str> = app
        .redirect_urls
        .iter()
        .map(String::as_str)
        .filter(|url| url.contains('*'))
        .collect();
    if !wildcards.is_empty() {
        findings.push(Finding::new(
            REDIRECT_WILDCARD,
            Severity::High,
            custom_subject(app),
            format!(
                "has wildcard redirect URLs, so any matching host can receive authorization codes: {}",
                wildcards.join(", ")
            ),
            "List each exact redirect URL instead of a pattern.",
        ));
    }
    let Some(policy) = &app.token_policy else {
        // No policy: the account's defaults apply, which the API does not report.
        return;
    };
    if let Some(ttl) = policy.refresh_token_ttl_minutes {
        if !has_offline_access {
            findings.push(Finding::new(
                REFRESH_TTL_WITHOUT_OFFLINE_ACCESS,
                Severity::Low,
                custom_subject(app),
                format!(
                    "sets a refresh token lifetime of {} but lacks the offline_access scope, so no refresh token is ever issued",
                    minutes(ttl)
                ),
                "Remove the refresh token lifetime, or add offline_access if the app really needs refresh tokens.",
            ));
        } else if ttl > thresholds.refresh_token_ttl_max_minutes {
            findings.push(long_refresh(custom_subject(app), ttl, thresholds));
        }
    }
    if app.is_confidential && has_offline_access && policy.is_single_use_refresh == Some(false) {
        findings.push(Finding::new(
            SINGLE_USE_REFRESH_OFF,
            Severity::Medium,
            custom_subject(app),
            "is a confidential app with single-use refresh tokens turned off: a stolen refresh token stays usable until it expires".into(),
            "Enable single-use refresh tokens (rotation) in the app's token access policy.",
        ));
    }
}

fn published_app(app: &PublishedApp, thresholds: &Thresholds, findings: &mut Vec<Finding>) {
    let ttl = app
        .token_policy
        .as_ref()
        .and_then(|p: &TokenPolicy| p.refresh_token_ttl_minutes);
    if let Some(ttl) = ttl.filter(|ttl| *ttl > thresholds.refresh_token_ttl_max_minutes) {
        let subject = Subject {
            resource_type: PUBLISHED,
            id: &app.integration_id,
            name: if app.name.is_empty() {
                &app.app_id
            } else {
                &app.name
            },
        };
        findings.push(long_refresh(subject, ttl, thresholds));
    }
}

fn long_refresh(subject: Subject<'_>, ttl: i64, thresholds: &Thresholds) -> Finding {
    Finding::new(
        REFRESH_TTL_LONG,
        Severity::Medium,
        subject,
        format!(
            "refresh tokens live {}, more than the {} allowed by the audit thresholds",
            minutes(ttl),
            minutes(thresholds.refresh_token_ttl_max_minutes)
        ),
        format!(
            "Lower refresh_token_ttl_in_minutes to {} or less.",
            thresholds.refresh_token_ttl_max_minutes
        ),
    )
}

/// `129600` → `129600 minutes (90 days)`.
fn minutes(ttl: i64) -> String {
    if ttl >= 24 * 60 && ttl % (24 * 60) == 0 {
        format!("{ttl} minutes ({} days)", ttl / (24 * 60))
    } else {
        format!("{ttl} minutes")
    }
}

/// Plain http to anything but a loopback address. Parsed the way browsers parse, so tricks
/// such as `http://evil.example\@localhost/` are judged by the host they really reach; an
/// unparsable http URL is reported because it cannot be shown to be local.
fn is_plain_http_off_loopback(url: &str) -> bool {
    let Ok(parsed) = Url::parse(url.trim()) else {
        return url.trim().to_ascii_lowercase().starts_with("http:");
    };
    if parsed.scheme() != "http" {
        return false;
    }
    match parsed.host() {
        Some(Host::Domain(domain)) => !domain.eq_ignore_ascii_case("localhost"),
        Some(Host::Ipv4(address)) => !address.is_loopback(),
        Some(Host::Ipv6(address)) => !address.is_loopback(),
        None => true,
    }
}

#[cfg(test)]
mod tests {
    use serde_json::{Value, json};

    use super::super::fixtures::{audit, reports};
    use super::*;

    fn app(fields: Value) -> Value {
        let mut app = json!({
            "integration_id": "i-1", "name": "App", "confidential": true,
            "redirect_urls": ["https://app.example/cb"], "scopes": ["sql", "offline_access"],
            "token_access_policy": {"access_token_ttl_in_minutes": 60,
                                    "refresh_token_ttl_in_minutes": 1440,
                                    "enable_single_use_refresh_tokens": true}
        });
        if let (Some(app), Value::Object(fields)) = (app.as_object_mut(), fields) {
            app.extend(fields);
        }
        json!({"custom_app_integrations": [app]})
    }

    #[test]
    fn a_well_configured_app_has_no_findings() {
        assert_eq!(audit(app(json!({}))), vec![]);
    }

    #[test]
    fn all_apis_scope() {
        assert!(reports(
            app(json!({"scopes": ["all-apis"]})),
            ALL_APIS_SCOPE
        ));
        assert!(!reports(app(json!({"scopes": ["sql"]})), ALL_APIS_SCOPE));
    }

    #[test]
    fn refresh_ttl_beyond_the_threshold() {
        let long = json!({"token_access_policy": {"refresh_token_ttl_in_minutes": 129600}});
        assert_eq!(audit(app(long)), vec![(REFRESH_TTL_LONG, "App".to_owned())]);
        let at_limit = json!({"token_access_policy": {"refresh_token_ttl_in_minutes": 43200}});
        assert!(!reports(app(at_limit), REFRESH_TTL_LONG));
    }

    #[test]
    fn published_apps_with_long_refresh_ttls() {
        let published = |ttl: i64| {
            json!({"published_app_integrations": [{"integration_id": "p-1", "app_id": "power-bi",
                "name": "Power BI", "token_access_policy": {"refresh_token_ttl_in_minutes": ttl}}]})
        };
        assert_eq!(
            audit(published(129600)),
            vec![(REFRESH_TTL_LONG, "Power BI".to_owned())]
        );
        assert!(audit(published(10080)).is_empty());
    }

    #[test]
    fn refresh_ttl_without_offline_access() {
        let bot = json!({"scopes": ["sql"], "token_access_policy": {"refresh_token_ttl_in_minutes": 129600}});
        // Without offline_access the lifetime is moot, so it is not also called too long.
        assert_eq!(
            audit(app(bot)),
            vec![(REFRESH_TTL_WITHOUT_OFFLINE_ACCESS, "App".to_owned())]
        );
        let no_policy = json!({"scopes": ["sql"], "token_access_policy": null});
        assert!(!reports(app(no_policy), REFRESH_TTL_WITHOUT_OFFLINE_ACCESS));
    }

    #[test]
    fn plain_http_redirects_off_loopback() {
        for url in [
            "http://reports.example/callback",
            "HTTP://Reports.Example/cb",
            "http://evil.example\\@localhost/cb",
            "http://localhost.evil.example/cb",
            "http://10.0.0.8:8080/cb",
        ] {
            assert!(
                reports(app(json!({"redirect_urls": [url]})), REDIRECT_PLAIN_HTTP),
                "{url}"
            );
        }
        for url in [
            "http://localhost:3000/cb",
            "http://127.0.0.1:8020",
            "http://[::1]:8020/cb",
            "https://reports.example/cb",
            "com.example.app://callback",
        ] {
            assert!(
                !reports(app(json!({"redirect_urls": [url]})), REDIRECT_PLAIN_HTTP),
                "{url}"
            );
        }
    }

    #[test]
    fn wildcard_redirects() {
        let wildcard = json!({"redirect_urls": ["https://*.example/cb", "https://a.example/cb"]});
        assert_eq!(
            audit(app(wildcard)),
            vec![(REDIRECT_WILDCARD, "App".to_owned())]
        );
        assert!(!reports(app(json!({})), REDIRECT_WILDCARD));
    }

    #[test]
    fn single_use_refresh_off_on_a_confidential_app() {
        let off = |confidential: bool| {
            json!({"confidential": confidential, "token_access_policy": {
                "refresh_token_ttl_in_minutes": 1440, "enable_single_use_refresh_tokens": false}})
        };
        assert!(reports(app(off(true)), SINGLE_USE_REFRESH_OFF));
        assert!(!reports(app(off(false)), SINGLE_USE_REFRESH_OFF));
        assert!(!reports(app(json!({})), SINGLE_USE_REFRESH_OFF));
    }

    #[test]
    fn lifetimes_read_in_days_when_whole() {
        assert_eq!(minutes(129600), "129600 minutes (90 days)");
        assert_eq!(minutes(90), "90 minutes");
    }
}
