//! The loopback listener that receives the browser's redirect: binds 127.0.0.1 on the first
//! free port of a list (saying which were busy), answers the browser with a small page,
//! ignores stray requests such as `/favicon.ico`, and checks `state`.

use std::net::SocketAddr;
use std::sync::{Arc, Mutex};

use axum::Router;
use axum::extract::{RawQuery, State};
use axum::http::StatusCode;
use axum::response::{Html, IntoResponse, Response};
use tokio::net::TcpListener;
use tokio::sync::oneshot;
use tokio_util::sync::CancellationToken;

/// What the redirect carried.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Callback {
    Code(String),
    /// `error` and `error_description` from the authorization server.
    Denied {
        error: String,
        description: String,
    },
}

#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum LoopbackError {
    #[error(
        "none of the ports {ports:?} on 127.0.0.1 is free; close what uses them or configure other ports"
    )]
    NoFreePort { ports: Vec<u16> },
    #[error(
        "the sign-in redirect carried state '{got}', not the one this login sent: it did not come from this sign-in. Start the login again."
    )]
    StateMismatch { got: String },
    #[error("the sign-in redirect carried neither a code nor an error")]
    Malformed,
}

/// A bound listener, before it serves.
pub struct BoundListener {
    listener: TcpListener,
    pub port: u16,
    /// Ports tried first that were in use.
    pub busy: Vec<u16>,
}

/// Binds 127.0.0.1 on the first free port of `ports`.
pub async fn bind_first_free(ports: &[u16]) -> Result<BoundListener, LoopbackError> {
    let mut busy = Vec::new();
    for &port in ports {
        match TcpListener::bind(SocketAddr::from(([127, 0, 0, 1], port))).await {
            Ok(listener) => {
                let port = listener.local_addr().map(|a| a.port()).unwrap_or(port);
                return Ok(BoundListener {
                    listener,
                    port,
                    busy,
                });
            }
            Err(_) => busy.push(port),
        }
    }
    Err(LoopbackError::NoFreePort {
        ports: ports.to_vec(),
    })
}

struct Waiter {
    expected_state: String,
    sender: Mutex<Option<oneshot::Sender<Result<Callback, LoopbackError>>>>,
}

impl BoundListener {
    /// Serves until the redirect arrives (or `cancel` fires, giving `None`).
    pub async fn wait_for_callback(
        self,
        expected_state: &str,
        cancel: CancellationToken,
    ) -> Option<Result<Callback, LoopbackError>> {
        let (sender, receiver) = oneshot::channel();
        let waiter = Arc::new(Waiter {
            expected_state: expected_state.to_owned(),
            sender: Mutex::new(Some(sender)),
        });
        let app = Router::new().fallback(handle).with_state(waiter);
        let stop = CancellationToken::new();
        // If this future is dropped (the login ended another way: timeout, cancel, a pasted
        // redirect), the guard still stops the server, so the port is released.
        let _stop_on_drop = stop.clone().drop_guard();
        let server_stop = stop.clone();
        let server = tokio::spawn(async move {
            let _ = axum::serve(self.listener, app)
                .with_graceful_shutdown(server_stop.cancelled_owned())
                .await;
        });
        let outcome = tokio::select! {
            result = receiver => result.ok(),
            () = cancel.cancelled() => None,
        };
        stop.cancel();
        let _ = server.await;
        outcome
    }
}

fn parse_query(raw: Option<&str>) -> Vec<(String, String)> {
    serde_urlencoded::from_str(raw.unwrap_or_default()).unwrap_or_default()
}

async fn handle(State(waiter): State<Arc<Waiter>>, RawQuery(raw): RawQuery) -> Response {
    let params = parse_query(raw.as_deref());
    let get = |key: &str| {
        params
            .iter()
            .find(|(k, _)| k == key)
            .map(|(_, v)| v.clone())
    };
    let (code, error, state) = (get("code"), get("error"), get("state"));
    // Browsers also ask for /favicon.ico and the like; only a request carrying an OAuth
    // answer is the redirect.
    if code.is_none() && error.is_none() {
        return StatusCode::NOT_FOUND.into_response();
    }
    let outcome = if state.as_deref() != Some(waiter.expected_state.as_str()) {
        Err(LoopbackError::StateMismatch {
            got: state.unwrap_or_default(),
        })
    } else if let Some(code) = code {
        Ok(Callback::Code(code))
    } else {
        Ok(Callback::Denied {
            error: error.unwrap_or_default(),
            description: get("error_description").unwrap_or_default(),
        })
    };
    let page = match &outcome {
        Ok(Callback::Code(_)) => page(
            "Signed in",
            "dbx-console is signed in. You can close this tab and return to the terminal.",
        ),
        Ok(Callback::Denied { error, description }) => page(
            "Sign-in failed",
            &format!(
                "The account refused the sign-in: {error}: {description}. Return to the terminal to try again."
            ),
        ),
        Err(error) => page("Sign-in rejected", &error.to_string()),
    };
    let status = if matches!(outcome, Ok(Callback::Code(_))) {
        StatusCode::OK
    } else {
        StatusCode::BAD_REQUEST
    };
    if let Some(sender) = waiter.sender.lock().ok().and_then(|mut s| s.take()) {
        let _ = sender.send(outcome);
    }
    (status, Html(page)).into_response()
}

fn page(title: &str, message: &str) -> String {
    let escape = |text: &str| {
        text.replace('&', "&amp;")
            .replace('<', "&lt;")
            .replace('>', "&gt;")
    };
    format!(
        "<!doctype html><html><head><meta charset=\"utf-8\"><title>{0}</title></head>\
         <body style=\"font-family:system-ui;margin:4rem\"><h1>{0}</h1><p id=\"message\">{1}</p></body></html>",
        escape(title),
        escape(message)
    )
}

/// Reads a pasted redirect URL (`http://localhost:8020/?code=...&state=...`) the way the
/// listener reads a request, for sign-ins where the browser runs on another machine.
pub fn parse_pasted_redirect(
    pasted: &str,
    expected_state: &str,
) -> Result<Callback, LoopbackError> {
    let query = pasted
        .trim()
        .split_once('?')
        .map(|(_, q)| q)
        .unwrap_or(pasted.trim());
    let query = query.split('#').next().unwrap_or_default();
    let params = parse_query(Some(query));
    let get = |key: &str| {
        params
            .iter()
            .find(|(k, _)| k == key)
            .map(|(_, v)| v.clone())
    };
    // Something that is not a redirect at all (a typo, a stray line) is not an attack:
    // report it as malformed so the caller can ignore it and keep waiting.
    if get("code").is_none() && get("error").is_none() {
        return Err(LoopbackError::Malformed);
    }
    if get("state").as_deref() != Some(expected_state) {
        return Err(LoopbackError::StateMismatch {
            got: get("state").unwrap_or_default(),
        });
    }
    match (get("code"), get("error")) {
        (Some(code), _) => Ok(Callback::Code(code)),
        (None, Some(error)) => Ok(Callback::Denied {
            error,
            description: get("error_description").unwrap_or_default(),
        }),
        (None, None) => Err(LoopbackError::Malformed),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pasted_redirects_are_read_checked_and_garbage_is_malformed() {
        let good = "http://localhost:8020/?code=abc&state=s1";
        assert_eq!(
            parse_pasted_redirect(good, "s1"),
            Ok(Callback::Code("abc".into()))
        );
        let padded = "  http://localhost:8020?code=abc&state=s1#x ";
        assert_eq!(
            parse_pasted_redirect(padded, "s1"),
            Ok(Callback::Code("abc".into()))
        );
        assert_eq!(
            parse_pasted_redirect(good, "other"),
            Err(LoopbackError::StateMismatch { got: "s1".into() })
        );
        assert_eq!(
            parse_pasted_redirect("not a url", "s1"),
            Err(LoopbackError::Malformed)
        );
        assert_eq!(
            parse_pasted_redirect("", "s1"),
            Err(LoopbackError::Malformed)
        );
        let denied = "http://localhost:8020/?error=access_denied&error_description=no&state=s1";
        assert_eq!(
            parse_pasted_redirect(denied, "s1"),
            Ok(Callback::Denied {
                error: "access_denied".into(),
                description: "no".into()
            })
        );
    }
}
