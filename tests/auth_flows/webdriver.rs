//! A minimal W3C WebDriver client over reqwest: chromedriver as a child process (killed on
//! drop), one headless Chromium session (deleted on drop), navigation, elements, text.

use std::io::{Read as _, Write as _};
use std::net::{SocketAddr, TcpStream};
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use serde_json::{Value, json};

use crate::support::{DEADLINE, free_port, install_crypto, within};

pub const CHROMIUM: &str = "/usr/bin/chromium";
pub const CHROMEDRIVER: &str = "/usr/bin/chromedriver";
/// The key of a web element reference in W3C WebDriver answers.
const ELEMENT_KEY: &str = "element-6066-11e4-a52e-4f735466cecf";

/// Whether Chromium and chromedriver are installed. Missing on CI (`CI=true`) fails the
/// test, since CI installs them; elsewhere the caller skips with a message.
pub fn chromium_installed(test: &str) -> bool {
    let missing: Vec<&str> = [CHROMIUM, CHROMEDRIVER]
        .into_iter()
        .filter(|path| !Path::new(path).exists())
        .collect();
    if missing.is_empty() {
        return true;
    }
    assert!(
        std::env::var("CI").as_deref() != Ok("true"),
        "{test}: {missing:?} missing on CI; .ci/run must install the Debian packages chromium and chromium-driver"
    );
    eprintln!(
        "SKIPPED {test}: {missing:?} not installed (apt-get install -y chromium chromium-driver)"
    );
    false
}

/// A running chromedriver on a free port of 127.0.0.1.
pub struct ChromeDriver {
    child: Child,
    port: u16,
    http: reqwest::Client,
}

impl ChromeDriver {
    /// Starts chromedriver and waits until its `/status` says it is ready.
    pub async fn start() -> ChromeDriver {
        install_crypto();
        let port = free_port();
        let child = Command::new(CHROMEDRIVER)
            .arg(format!("--port={port}"))
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("chromedriver starts");
        let http = reqwest::Client::builder()
            .no_proxy()
            .timeout(DEADLINE)
            .build()
            .expect("reqwest client builds");
        let mut driver = ChromeDriver { child, port, http };
        driver.wait_until_ready().await;
        driver
    }

    fn url(&self, path: &str) -> String {
        format!("http://127.0.0.1:{}{path}", self.port)
    }

    async fn wait_until_ready(&mut self) {
        let deadline = Instant::now() + DEADLINE;
        let mut poll = tokio::time::interval(Duration::from_millis(50));
        loop {
            poll.tick().await;
            if let Ok(response) = self.http.get(self.url("/status")).send().await
                && let Ok(body) = response.json::<Value>().await
                && body["value"]["ready"] == json!(true)
            {
                return;
            }
            if let Ok(Some(status)) = self.child.try_wait() {
                panic!("chromedriver exited before it was ready: {status}");
            }
            assert!(
                Instant::now() < deadline,
                "chromedriver was not ready within {DEADLINE:?}"
            );
        }
    }

    /// A new headless Chromium session whose profile lives in `user_data_dir`.
    pub async fn session(&self, user_data_dir: &Path) -> Session {
        let capabilities = json!({"capabilities": {"alwaysMatch": {
            "browserName": "chrome",
            "goog:chromeOptions": {
                "binary": CHROMIUM,
                "args": [
                    "--headless=new",
                    "--no-sandbox",
                    "--disable-gpu",
                    "--disable-dev-shm-usage",
                    "--disable-quic",
                    "--no-first-run",
                    "--disable-background-networking",
                    "--disable-component-update",
                    "--disable-sync",
                    format!("--user-data-dir={}", user_data_dir.display()),
                ],
            },
        }}});
        let value = call(
            &self.http,
            reqwest::Method::POST,
            &self.url("/session"),
            Some(capabilities),
        )
        .await;
        let id = value["sessionId"]
            .as_str()
            .unwrap_or_else(|| panic!("no sessionId in {value}"))
            .to_owned();
        Session {
            http: self.http.clone(),
            port: self.port,
            id,
            deleted: false,
        }
    }
}

impl Drop for ChromeDriver {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// Sends one WebDriver command and returns its `value`, failing the test on an error answer.
async fn call(
    http: &reqwest::Client,
    method: reqwest::Method,
    url: &str,
    body: Option<Value>,
) -> Value {
    let mut request = http.request(method.clone(), url);
    if let Some(body) = body {
        request = request.json(&body);
    }
    let response = within(&format!("WebDriver {method} {url}"), request.send())
        .await
        .unwrap_or_else(|e| panic!("WebDriver {method} {url} failed: {e}"));
    let status = response.status();
    let mut body: Value = within("a WebDriver answer", response.json())
        .await
        .unwrap_or_else(|e| panic!("WebDriver {method} {url} answered no JSON: {e}"));
    let value = body["value"].take();
    assert!(
        status.is_success(),
        "WebDriver {method} {url}: {status} {}: {}",
        value["error"],
        value["message"]
    );
    value
}

/// A reference to an element of the current page.
pub struct Element(String);

/// One browser session; deleted (closing Chromium) by [`Session::delete`] or on drop.
pub struct Session {
    http: reqwest::Client,
    port: u16,
    id: String,
    deleted: bool,
}

impl Session {
    fn url(&self, path: &str) -> String {
        format!("http://127.0.0.1:{}/session/{}{path}", self.port, self.id)
    }

    async fn get(&self, path: &str) -> Value {
        call(&self.http, reqwest::Method::GET, &self.url(path), None).await
    }

    async fn post(&self, path: &str, body: Value) -> Value {
        call(
            &self.http,
            reqwest::Method::POST,
            &self.url(path),
            Some(body),
        )
        .await
    }

    /// How long element look-ups wait for the element to appear.
    pub async fn set_implicit_wait(&self, wait: Duration) {
        let millis = u64::try_from(wait.as_millis()).unwrap_or(u64::MAX);
        self.post("/timeouts", json!({"implicit": millis})).await;
    }

    /// Loads `url` and waits for the page to load.
    pub async fn navigate(&self, url: &str) {
        self.post("/url", json!({"url": url})).await;
    }

    pub async fn current_url(&self) -> String {
        self.get("/url")
            .await
            .as_str()
            .expect("the URL is a string")
            .to_owned()
    }

    pub async fn title(&self) -> String {
        self.get("/title")
            .await
            .as_str()
            .expect("the title is a string")
            .to_owned()
    }

    pub async fn source(&self) -> String {
        self.get("/source")
            .await
            .as_str()
            .expect("the source is a string")
            .to_owned()
    }

    /// The first element matching a CSS selector (waiting up to the implicit wait).
    pub async fn find(&self, css: &str) -> Element {
        let value = self
            .post("/element", json!({"using": "css selector", "value": css}))
            .await;
        let id = value[ELEMENT_KEY]
            .as_str()
            .unwrap_or_else(|| panic!("no element reference for {css} in {value}"));
        Element(id.to_owned())
    }

    pub async fn click(&self, element: &Element) {
        self.post(&format!("/element/{}/click", element.0), json!({}))
            .await;
    }

    pub async fn text(&self, element: &Element) -> String {
        self.get(&format!("/element/{}/text", element.0))
            .await
            .as_str()
            .expect("the text is a string")
            .to_owned()
    }

    /// Ends the session, which closes Chromium.
    pub async fn delete(mut self) {
        call(&self.http, reqwest::Method::DELETE, &self.url(""), None).await;
        self.deleted = true;
    }
}

impl Drop for Session {
    /// A test that failed before [`Session::delete`] still closes its Chromium: a blocking,
    /// best-effort DELETE, since drop cannot await.
    fn drop(&mut self) {
        if self.deleted {
            return;
        }
        let address = SocketAddr::from(([127, 0, 0, 1], self.port));
        let Ok(mut stream) = TcpStream::connect_timeout(&address, Duration::from_secs(2)) else {
            return;
        };
        let _ = stream.set_read_timeout(Some(Duration::from_secs(10)));
        let _ = stream.set_write_timeout(Some(Duration::from_secs(2)));
        let request = format!(
            "DELETE /session/{} HTTP/1.1\r\nHost: 127.0.0.1:{}\r\nContent-Length: 0\r\nConnection: close\r\n\r\n",
            self.id, self.port
        );
        if stream.write_all(request.as_bytes()).is_ok() {
            let mut answer = Vec::new();
            let _ = stream.read_to_end(&mut answer);
        }
    }
}
