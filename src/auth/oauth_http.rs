//! Lets the `oauth2` crate (built against reqwest 0.12) send its requests through the app's
//! reqwest 0.13 client, so only one HTTP stack is compiled.

use std::future::Future;
use std::pin::Pin;

type OAuthFuture =
    Pin<Box<dyn Future<Output = Result<oauth2::HttpResponse, reqwest::Error>> + Send>>;

/// The client must not follow redirects (oauth2's docs: SSRF); `AccountClient` builds it so.
pub fn oauth_http(client: &reqwest::Client) -> impl Fn(oauth2::HttpRequest) -> OAuthFuture + '_ {
    move |request: oauth2::HttpRequest| {
        let client = client.clone();
        Box::pin(async move {
            let (parts, body) = request.into_parts();
            let response = client
                .request(parts.method, parts.uri.to_string())
                .headers(parts.headers)
                .body(body)
                .send()
                .await?;
            let mut builder = oauth2::http::Response::builder().status(response.status());
            for (name, value) in response.headers() {
                builder = builder.header(name, value);
            }
            let bytes = response.bytes().await?;
            // Status and headers come from a response that was itself valid.
            Ok(builder.body(bytes.to_vec()).unwrap_or_default())
        })
    }
}

/// A reqwest client for OAuth endpoints: no redirects, bounded time.
pub fn oauth_client() -> reqwest::Client {
    let _ = rustls::crypto::ring::default_provider().install_default();
    reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .timeout(std::time::Duration::from_secs(30))
        .user_agent(concat!("dbx-console/", env!("CARGO_PKG_VERSION")))
        .build()
        .unwrap_or_default()
}
