//! URL rules shared by several fields: the https-only URLs of a federation policy (issuer,
//! JWKS URI) and what counts as a loopback host.

use url::{Host, Url};

use super::{Validation, has_outer_whitespace};

/// `localhost` (and `*.localhost`, which RFC 6761 reserves for loopback), `127.0.0.0/8` and
/// `::1`: addresses that never leave the machine.
pub(super) fn is_loopback(url: &Url) -> bool {
    match url.host() {
        Some(Host::Domain(domain)) => {
            let domain = domain.to_ascii_lowercase();
            domain == "localhost" || domain.ends_with(".localhost")
        }
        Some(Host::Ipv4(address)) => address.is_loopback(),
        Some(Host::Ipv6(address)) => address.is_loopback(),
        None => false,
    }
}

/// How an https-only field is named in messages.
pub(super) struct HttpsField {
    pub field: &'static str,
    pub label: &'static str,
    pub example: &'static str,
}

/// Checks that `text` is an absolute https URL without credentials or a fragment; returns it
/// parsed when it is, so the caller can add rules of its own. Databricks fetches keys from
/// these URLs, so plain http (which anyone on the path could answer) is refused.
pub(super) fn check_https_url(
    spec: &HttpsField,
    text: &str,
    validation: &mut Validation,
) -> Option<Url> {
    let HttpsField {
        field,
        label,
        example,
    } = *spec;
    if has_outer_whitespace(text) {
        validation.error(
            field,
            format!("{label} has spaces at the start or end; remove them."),
        );
        return None;
    }
    let url = match Url::parse(text) {
        Ok(url) => url,
        Err(error) => {
            validation.error(
                field,
                format!(
                    "{label} must be an absolute https URL such as {example}; '{text}' is not a URL ({error})."
                ),
            );
            return None;
        }
    };
    match url.scheme() {
        "https" => {}
        "http" if is_loopback(&url) => {
            validation.error(
                field,
                format!(
                    "{label} must be an https URL; http is refused even for a loopback host such as {}, because Databricks runs in the cloud and cannot reach your machine.",
                    url.host_str().unwrap_or_default()
                ),
            );
            return None;
        }
        "http" => {
            let suggestion = format!("https{}", &text["http".len()..]);
            validation.error(
                field,
                format!(
                    "{label} must be an https URL; {text} uses plain http, so anyone on the network path could swap the signing keys Databricks fetches. Use {suggestion} if the provider serves it."
                ),
            );
            return None;
        }
        scheme => {
            validation.error(
                field,
                format!("{label} must be an https URL; the scheme '{scheme}' is not allowed."),
            );
            return None;
        }
    }
    if !url.username().is_empty() || url.password().is_some() {
        validation.error(
            field,
            format!("{label} must not contain a user name or password."),
        );
        return None;
    }
    if let Some(fragment) = url.fragment() {
        validation.error(
            field,
            format!("{label} must not have a fragment ('#{fragment}')."),
        );
        return None;
    }
    Some(url)
}

#[cfg(test)]
mod tests {
    use super::*;

    const SPEC: HttpsField = HttpsField {
        field: "oidc_policy.jwks_uri",
        label: "JWKS URI",
        example: "https://idp.example.com/keys",
    };

    fn errors(text: &str) -> Vec<String> {
        let mut validation = Validation::new();
        let parsed = check_https_url(&SPEC, text, &mut validation);
        assert_eq!(parsed.is_some(), validation.is_valid(), "{text}");
        validation.errors.into_iter().map(|m| m.message).collect()
    }

    #[test]
    fn loopback_hosts_are_recognised() {
        for text in [
            "http://localhost:8020",
            "http://LOCALHOST/cb",
            "http://app.localhost/cb",
            "http://127.0.0.1:7070/callback",
            "http://127.1.2.3/",
            "http://[::1]:9000/",
        ] {
            assert!(is_loopback(&Url::parse(text).unwrap()), "{text}");
        }
        for text in [
            "http://localhost.example.com",
            "http://10.0.0.1",
            "myapp:/cb",
        ] {
            assert!(!is_loopback(&Url::parse(text).unwrap()), "{text}");
        }
    }

    #[test]
    fn https_urls_pass() {
        assert!(errors("https://idp.example.com/keys?version=2").is_empty());
    }

    #[test]
    fn each_problem_has_its_own_message() {
        assert_eq!(
            errors("idp.example.com/keys"),
            [
                "JWKS URI must be an absolute https URL such as https://idp.example.com/keys; 'idp.example.com/keys' is not a URL (relative URL without a base)."
            ]
        );
        assert_eq!(
            errors("http://idp.example.com/keys"),
            [
                "JWKS URI must be an https URL; http://idp.example.com/keys uses plain http, so anyone on the network path could swap the signing keys Databricks fetches. Use https://idp.example.com/keys if the provider serves it."
            ]
        );
        assert_eq!(
            errors("http://127.0.0.1:8080/keys"),
            [
                "JWKS URI must be an https URL; http is refused even for a loopback host such as 127.0.0.1, because Databricks runs in the cloud and cannot reach your machine."
            ]
        );
        assert_eq!(
            errors("ftp://idp.example.com/keys"),
            ["JWKS URI must be an https URL; the scheme 'ftp' is not allowed."]
        );
        assert_eq!(
            errors("https://admin:pw@idp.example.com/keys"),
            ["JWKS URI must not contain a user name or password."]
        );
        assert_eq!(
            errors("https://idp.example.com/keys#main"),
            ["JWKS URI must not have a fragment ('#main')."]
        );
        assert_eq!(
            errors(" https://idp.example.com/keys"),
            ["JWKS URI has spaces at the start or end; remove them."]
        );
    }
}
