//! The loop handing the terminal to the admin's editor (ctrl+e on an inline JWKS): the input
//! stream is dropped while the editor runs (crossterm's reads it on a thread that would
//! take the editor's keys) and a new one reads afterwards; the editor gets a private
//! temporary file with the field's text, removed afterwards; what it saved fills the field.
//! A scripted terminal stands in for the real one.

use std::collections::VecDeque;
use std::io;
use std::path::{Path, PathBuf};
use std::pin::Pin;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::task::{Context, Poll};

use crossterm::event::{Event, KeyCode, KeyEvent, KeyModifiers};
use dbx_console::app::Host;
use dbx_console::app::keymap::Keymap;
use dbx_console::app::msg::{Msg, Resource};
use dbx_console::app::state::{AppState, StatusKind};
use dbx_console::app::update::update;
use dbx_console::edit::validate::federation::JWKS_JSON;
use dbx_console::mock::{MockConfig, MockServer};
use futures_util::Stream;
use ratatui::Terminal;
use ratatui::backend::TestBackend;

use crate::fixtures::state_on;
use crate::loaders::client;

const JWKS: &str = r#"{"keys": [{"kty": "EC", "crv": "P-256", "kid": "ci", "x": "f83OJ3D2xF1Bg8vub9tLe1gHMzV76e8Tus9uPHvRVEU", "y": "x_FEzRu9m36HLN_tue659LNpXW6pCyStikYjKIWI5a0"}]}"#;

/// Keys as an input stream; counts itself alive until dropped.
struct Keys {
    keys: VecDeque<KeyEvent>,
    live: Arc<AtomicUsize>,
}

impl Stream for Keys {
    type Item = io::Result<Event>;

    fn poll_next(mut self: Pin<&mut Self>, _: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        // Out of keys: the input ends, and with it the run.
        Poll::Ready(self.keys.pop_front().map(|key| Ok(Event::Key(key))))
    }
}

impl Drop for Keys {
    fn drop(&mut self) {
        self.live.fetch_sub(1, Ordering::SeqCst);
    }
}

/// What the scripted editor saw of its file.
struct Opened {
    path: PathBuf,
    text: String,
    /// Input streams alive while it ran.
    live_inputs: usize,
    #[cfg(unix)]
    mode: u32,
}

/// A terminal whose input is scripted (one list of keys per stream handed out) and whose
/// editor saves `saves`, or fails when it is `None`.
struct ScriptedTerminal {
    inputs: VecDeque<Vec<KeyEvent>>,
    live: Arc<AtomicUsize>,
    saves: Option<String>,
    opened: Vec<Opened>,
}

impl Host for &mut ScriptedTerminal {
    type Input = Keys;

    fn input(&mut self) -> Keys {
        self.live.fetch_add(1, Ordering::SeqCst);
        Keys {
            keys: self.inputs.pop_front().unwrap_or_default().into(),
            live: self.live.clone(),
        }
    }

    fn run_editor(&mut self, path: &Path) -> io::Result<Result<(), String>> {
        self.opened.push(Opened {
            path: path.to_owned(),
            text: std::fs::read_to_string(path)?,
            live_inputs: self.live.load(Ordering::SeqCst),
            #[cfg(unix)]
            mode: {
                use std::os::unix::fs::PermissionsExt;
                std::fs::metadata(path)?.permissions().mode() & 0o777
            },
        });
        match &self.saves {
            Some(text) => std::fs::write(path, text).map(Ok),
            None => Ok(Err("The editor (vi) exited with status 1".into())),
        }
    }
}

fn press(code: KeyCode) -> KeyEvent {
    KeyEvent::new(code, KeyModifiers::NONE)
}

fn typed(text: &str) -> Vec<KeyEvent> {
    text.chars().map(|c| press(KeyCode::Char(c))).collect()
}

/// Keys from the account policy form's first field to its inline JWKS, typing `{}` there,
/// then ctrl+e.
fn to_the_jwks_then_ctrl_e() -> Vec<KeyEvent> {
    let mut keys = vec![press(KeyCode::Tab); 7];
    keys.extend(typed("{}"));
    keys.push(KeyEvent::new(KeyCode::Char('e'), KeyModifiers::CONTROL));
    keys
}

/// Back from the JWKS to the description (six fields up), typing there.
fn back_to_the_description_typing(text: &str) -> Vec<KeyEvent> {
    let mut keys = vec![KeyEvent::new(KeyCode::BackTab, KeyModifiers::SHIFT); 6];
    keys.extend(typed(text));
    keys
}

/// The console on the federation policies list with a new account policy's form open, run
/// against an in-process fake with `terminal` until its scripted input ends.
async fn run_on_a_policy_form(terminal_host: &mut ScriptedTerminal) -> AppState {
    let server = MockServer::start(MockConfig::default())
        .await
        .expect("the fake starts");
    let mut state = state_on(Resource::FederationPolicies);
    let keymap = Keymap::defaults();
    update(&mut state, &keymap, Msg::Key(press(KeyCode::Char('n'))), 10);
    assert!(state.editor.is_some(), "n opens the policy form");
    let mut terminal = Terminal::new(TestBackend::new(100, 30)).expect("a test terminal");
    let state = dbx_console::app::run(
        &mut terminal,
        terminal_host,
        client(&server),
        state,
        keymap,
        |_| {},
    )
    .await
    .expect("the loop ends when the input does");
    server.stop().await;
    state
}

fn form_text(state: &AppState, key: &str) -> String {
    state
        .editor
        .as_ref()
        .and_then(|e| e.form.as_ref())
        .map(|f| f.text(key))
        .expect("the form is still open")
}

#[tokio::test]
async fn the_editor_runs_with_no_input_reading_and_its_text_fills_the_field() {
    let mut terminal_host = ScriptedTerminal {
        inputs: VecDeque::from([
            to_the_jwks_then_ctrl_e(),
            back_to_the_description_typing("CI keys"),
        ]),
        live: Arc::new(AtomicUsize::new(0)),
        saves: Some(format!("{JWKS}\n")),
        opened: Vec::new(),
    };
    let state = run_on_a_policy_form(&mut terminal_host).await;

    let [opened] = terminal_host.opened.as_slice() else {
        panic!("the editor ran once");
    };
    assert_eq!(
        opened.live_inputs, 0,
        "no input stream may read the terminal while the editor has it"
    );
    assert_eq!(
        opened.text, "{}\n",
        "the editor starts from the field's text"
    );
    assert!(
        opened.path.extension().is_some_and(|e| e == "json"),
        "{:?}",
        opened.path
    );
    #[cfg(unix)]
    assert_eq!(opened.mode, 0o600, "only the admin may read the file");
    assert!(!opened.path.exists(), "the temporary file is removed");

    assert_eq!(form_text(&state, JWKS_JSON), JWKS);
    // Typed into the stream made after the editor: the input works again.
    assert_eq!(form_text(&state, "description"), "CI keys");
}

#[tokio::test]
async fn a_failed_editor_leaves_the_field_and_typing_goes_on() {
    let mut terminal_host = ScriptedTerminal {
        inputs: VecDeque::from([to_the_jwks_then_ctrl_e(), typed("x")]),
        live: Arc::new(AtomicUsize::new(0)),
        saves: None,
        opened: Vec::new(),
    };
    let state = run_on_a_policy_form(&mut terminal_host).await;
    assert_eq!(terminal_host.opened.len(), 1);
    assert!(!terminal_host.opened[0].path.exists());
    assert_eq!(form_text(&state, JWKS_JSON), "{}x");
    assert_eq!(terminal_host.live.load(Ordering::SeqCst), 0);
    // The failure is on the status line unless a list result replaced it meanwhile.
    if let Some(status) = state.status.as_ref().filter(|s| s.text.contains("editor")) {
        assert_eq!(status.kind, StatusKind::Error);
        assert!(status.text.contains("Inline JWKS was left as it was"));
    }
}
