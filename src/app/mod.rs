//! The console: one event loop owns the state; keys and task results become messages,
//! `update` turns them into state changes and effects, and a frame is drawn only when
//! something changed and the queue is drained (or, while results keep coming, at a steady
//! pace, so a list streaming in stays visible).

pub mod columns;
pub mod edit;
pub mod editing;
pub mod facts;
pub mod host;
pub mod keymap;
pub mod list;
pub mod load;
pub mod msg;
pub mod navigate;
pub mod rotation;
pub mod state;
pub mod tasks;
pub mod update;
pub mod view;

use std::time::{Duration, Instant};

use crossterm::event::Event;
use futures_util::StreamExt;
use ratatui::Terminal;
use ratatui::backend::Backend;
use tokio::sync::mpsc;

use crate::api::AccountClient;
pub use host::{Host, TerminalHost};
use keymap::Keymap;
use msg::{Effect, Msg, TaskOutcome};
use state::AppState;
use tasks::TaskRunner;

/// Table rows that fit the terminal: header, breadcrumbs, status and footer lines, the two
/// borders and the table's header row take seven lines. Drawing uses the same arithmetic.
pub fn page_rows(height: u16) -> usize {
    usize::from(height.saturating_sub(7)).max(1)
}

/// A backend's error as the `io::Error` the loop returns (crossterm's already is one).
fn terminal_error(error: impl std::error::Error + Send + Sync + 'static) -> std::io::Error {
    let boxed: Box<dyn std::error::Error + Send + Sync> = Box::new(error);
    match boxed.downcast::<std::io::Error>() {
        Ok(error) => *error,
        Err(other) => std::io::Error::other(other),
    }
}

/// While results keep arriving faster than they are applied, the queue never drains: a frame
/// is drawn at least this often anyway.
const FRAME_INTERVAL: Duration = Duration::from_millis(33);

/// Runs the console until the user quits. `host` gives the terminal's input and runs the
/// admin's editor (scripted in tests); `clipboard` performs copies (OSC 52 on a real
/// terminal; tests record them).
pub async fn run<B: Backend>(
    terminal: &mut Terminal<B>,
    mut host: impl Host,
    client: AccountClient,
    mut state: AppState,
    keymap: Keymap,
    clipboard: impl Fn(&str),
) -> std::io::Result<AppState>
where
    // Any backend error: crossterm's is an `io::Error`, `TestBackend`'s cannot happen.
    B::Error: std::error::Error + Send + Sync + 'static,
{
    let (sender, mut receiver) = mpsc::unbounded_channel();
    let mut runner = TaskRunner::new(client, sender);
    let mut effects = update::init(&mut state);
    // A timer only while something loads: an idle console uses no CPU.
    let mut ticker = tokio::time::interval(Duration::from_millis(120));
    // The header's token countdown is in minutes: a redraw every half minute keeps it true.
    let mut clock = tokio::time::interval(Duration::from_secs(30));
    let mut dirty = true;
    let mut last_frame: Option<Instant> = None;
    let theme = crate::ui::theme::Theme::from_env();
    let mut input = host.input();
    // What the editor gave back: handled before any new input.
    let mut returned = None;
    loop {
        for effect in effects.drain(..) {
            match effect {
                Effect::Start(task) => runner.start(task),
                Effect::Cancel(key) => runner.cancel(&key),
                Effect::Copy(text) => clipboard(&text),
                Effect::CopySecret(secret) => clipboard(secret.expose()),
                Effect::SuspendForEditor(request) => {
                    // crossterm's EventStream reads the terminal on a thread of its own while
                    // it waits for a key: left alive, it could take the editor's keystrokes.
                    // Dropping it stops that thread; a new stream reads once the editor is done.
                    drop(input);
                    let outcome = host::edit_in_editor(&mut host, &request)?;
                    input = host.input();
                    // The editor drew over everything: repaint the whole screen, at its size
                    // now. Not `Terminal::clear`: it asks the terminal where its cursor is,
                    // which not every terminal answers; `resize` clears without asking.
                    let size = terminal.size().map_err(terminal_error)?;
                    terminal
                        .resize(ratatui::layout::Rect::new(0, 0, size.width, size.height))
                        .map_err(terminal_error)?;
                    dirty = true;
                    returned = Some(Msg::EditorClosed {
                        field: request.field,
                        outcome,
                    });
                }
                Effect::Quit => {}
            }
        }
        if state.quit {
            return Ok(state);
        }
        let frame_due = last_frame.is_none_or(|at| at.elapsed() >= FRAME_INTERVAL);
        if dirty && (receiver.is_empty() || frame_due) {
            state.session.token_expires_at =
                runner.token_expiry().or(state.session.token_expires_at);
            terminal
                .draw(|frame| crate::ui::render(frame, &state, &keymap, &theme))
                .map_err(terminal_error)?;
            dirty = false;
            last_frame = Some(Instant::now());
        }
        let rows = page_rows(terminal.size().map_err(terminal_error)?.height);
        let msg = if let Some(msg) = returned.take() {
            msg
        } else {
            // Biased: apply queued results before new keys, so a key acts on current data.
            tokio::select! {
                biased;
                Some(msg) = receiver.recv() => msg,
                event = input.next() => match event {
                    Some(Ok(Event::Key(key))) => Msg::Key(key),
                    Some(Ok(Event::Resize(_, _))) => Msg::Resized,
                    Some(Ok(_)) => continue,
                    Some(Err(error)) => return Err(error),
                    None => return Ok(state),
                },
                _ = ticker.tick(), if state.is_busy() => Msg::Tick,
                _ = clock.tick() => Msg::Resized,
            }
        };
        state.now = chrono::Utc::now();
        if let Msg::Task(event) = &msg {
            if !runner.is_current(&event.key, event.generation) {
                continue;
            }
            if matches!(
                event.outcome,
                TaskOutcome::ListDone
                    | TaskOutcome::Detail(_)
                    | TaskOutcome::Failed(_)
                    | TaskOutcome::Resolved(_)
                    | TaskOutcome::Changed(_)
                    | TaskOutcome::Applied(_)
            ) {
                runner.finished(&event.key, event.generation);
            }
        }
        effects = update::update(&mut state, &keymap, msg, rows);
        dirty = true;
    }
}
