//! Driving the real `dbx-console` binary in a pseudo-terminal: a reader thread feeds every
//! byte the console writes to a `vt100` screen, and tests wait (with CI-sized deadlines) for
//! what a user would see instead of sleeping.

use std::io::{Read, Write};
use std::num::NonZeroU16;
use std::path::PathBuf;
use std::sync::{Arc, Condvar, Mutex, MutexGuard};
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

use portable_pty::{Child, CommandBuilder, ExitStatus, MasterPty, PtySize, native_pty_system};

pub const BINARY: &str = env!("CARGO_BIN_EXE_dbx-console");

/// How long anything may take to appear. Generous: CI runs the suite on two shared cores,
/// and every test starts its own fake account and signs in.
pub const DEADLINE: Duration = Duration::from_secs(20);

/// Terminal size in character cells.
#[derive(Debug, Clone, Copy)]
pub struct Size {
    pub rows: u16,
    pub cols: u16,
}

/// The classic terminal most users will never go below.
pub const STANDARD: Size = Size { rows: 24, cols: 80 };
pub const LARGE: Size = Size {
    rows: 48,
    cols: 160,
};

/// A key as a terminal in normal (non-application) mode encodes it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Key {
    Enter,
    Esc,
    Tab,
    Backspace,
    Delete,
    Up,
    Down,
    Ctrl(char),
}

impl Key {
    fn bytes(self) -> String {
        match self {
            Key::Enter => "\r".into(),
            Key::Esc => "\x1b".into(),
            Key::Tab => "\t".into(),
            Key::Backspace => "\x7f".into(),
            Key::Delete => "\x1b[3~".into(),
            Key::Up => "\x1b[A".into(),
            Key::Down => "\x1b[B".into(),
            Key::Ctrl(c) => char::from(c.to_ascii_lowercase() as u8 & 0x1f).to_string(),
        }
    }
}

/// ratatui ends every frame it draws by hiding the cursor (this console never places one),
/// so these bytes mark "a whole frame is on the screen".
const FRAME_END: &[u8] = b"\x1b[?25l";

/// Without a frame end in sight, a screen this quiet counts as whole anyway, so the helpers
/// keep working if the console ever shows a cursor.
const SETTLE: Duration = Duration::from_millis(150);

/// What the reader thread shares with the test.
struct Terminal {
    parser: vt100::Parser,
    /// The console closed its side of the terminal (it exited).
    is_closed: bool,
    /// Chunks of output processed so far (to tell "still changing" from "settled").
    updates: u64,
    /// The output so far ends with `FRAME_END`: the screen is not half-drawn.
    is_frame_end: bool,
    /// The last bytes seen, as a marker may be split between two reads.
    tail: Vec<u8>,
    last_update: Instant,
    /// Text that must never be on screen again (a secret after its one reveal).
    forbidden: Vec<String>,
    /// The first forbidden text seen, with the screen that showed it.
    leak: Option<(String, String)>,
}

impl Terminal {
    fn feed(&mut self, bytes: &[u8]) {
        self.parser.process(bytes);
        self.updates += 1;
        self.last_update = Instant::now();
        self.tail.extend_from_slice(bytes);
        let keep = self.tail.len().saturating_sub(FRAME_END.len());
        self.tail.drain(..keep);
        self.is_frame_end = self.tail == FRAME_END;
        // Every chunk, not only whole frames: a half-drawn secret is still on screen.
        if self.leak.is_none() && !self.forbidden.is_empty() {
            let screen = self.parser.screen().contents();
            if let Some(text) = self.forbidden.iter().find(|t| screen.contains(t.as_str())) {
                self.leak = Some((text.clone(), screen));
            }
        }
    }

    /// The screen is safe to judge: a whole frame, a long pause, or the console gone.
    fn is_whole(&self) -> bool {
        self.is_frame_end || self.is_closed || self.last_update.elapsed() >= SETTLE
    }
}

struct Shared {
    terminal: Mutex<Terminal>,
    changed: Condvar,
}

/// The console running in a pseudo-terminal with its own HOME; killed on drop.
pub struct Pty {
    child: Box<dyn Child + Send + Sync>,
    writer: Box<dyn Write + Send>,
    // Kept open: dropping the master hangs up the console's terminal.
    _master: Box<dyn MasterPty + Send>,
    shared: Arc<Shared>,
    reader: Option<JoinHandle<()>>,
    home: tempfile::TempDir,
    /// The screen when Esc was sent and its effect not yet seen (see `send`).
    escape_pending: Option<String>,
}

impl Pty {
    /// Starts `dbx-console args` at `size` in a sealed environment: a fresh HOME and data
    /// dir, `TERM=xterm-256color`, `PATH`, a log file, plus `env`. Nothing else is
    /// inherited, so no `DATABRICKS_*` or `NO_COLOR` from the developer's shell leaks in.
    pub fn spawn(args: &[&str], size: Size, env: &[(&str, &str)]) -> Pty {
        let home = tempfile::tempdir().expect("a temporary HOME");
        let pair = native_pty_system()
            .openpty(PtySize {
                rows: size.rows,
                cols: size.cols,
                pixel_width: 0,
                pixel_height: 0,
            })
            .expect("a pseudo-terminal");
        let mut command = CommandBuilder::new(BINARY);
        command.args(args);
        command.env_clear();
        command.env("PATH", std::env::var_os("PATH").unwrap_or_default());
        command.env("HOME", home.path());
        command.env("TERM", "xterm-256color");
        command.env("DBX_CONSOLE_DATA_DIR", home.path().join("data"));
        command.env("DBX_CONSOLE_LOG_FILE", home.path().join("dbx-console.log"));
        // `--demo` signs in by itself rather than through a desktop browser.
        command.env("DBX_CONSOLE_DEMO_BROWSER", "0");
        for (name, value) in env {
            command.env(name, value);
        }
        command.cwd(home.path());
        let child = pair
            .slave
            .spawn_command(command)
            .expect("the console starts");
        // Only the console may hold the terminal's slave side, or its exit never reaches the
        // reader as end-of-file.
        drop(pair.slave);

        let rows = NonZeroU16::new(size.rows).expect("rows > 0");
        let cols = NonZeroU16::new(size.cols).expect("cols > 0");
        let shared = Arc::new(Shared {
            terminal: Mutex::new(Terminal {
                parser: vt100::Parser::new(rows, cols, 0),
                is_closed: false,
                updates: 0,
                is_frame_end: false,
                tail: Vec::new(),
                last_update: Instant::now(),
                forbidden: Vec::new(),
                leak: None,
            }),
            changed: Condvar::new(),
        });
        let mut output = pair.master.try_clone_reader().expect("a reader");
        let writer = pair.master.take_writer().expect("a writer");
        let feed = Arc::clone(&shared);
        // The reader blocks, so it gets a thread of its own; tests only look at the screen.
        let reader = std::thread::spawn(move || {
            let mut buffer = [0u8; 8192];
            loop {
                // Linux reports the console's exit as EIO rather than a 0-byte read.
                let count = loop {
                    match output.read(&mut buffer) {
                        Err(e) if e.kind() == std::io::ErrorKind::Interrupted => continue,
                        result => break result.unwrap_or(0),
                    }
                };
                let mut terminal = feed.terminal.lock().unwrap_or_else(|e| e.into_inner());
                if count == 0 {
                    terminal.is_closed = true;
                } else {
                    terminal.feed(&buffer[..count]);
                }
                let is_closed = terminal.is_closed;
                drop(terminal);
                feed.changed.notify_all();
                if is_closed {
                    return;
                }
            }
        });
        Pty {
            child,
            writer,
            _master: pair.master,
            shared,
            reader: Some(reader),
            home,
            escape_pending: None,
        }
    }

    /// The demo account at the standard size, with colours.
    pub fn demo() -> Pty {
        Pty::spawn(&["--demo"], STANDARD, &[])
    }

    /// The demo once its Users list is loaded.
    pub fn demo_with_users() -> Pty {
        let pty = Pty::demo();
        pty.wait_for(crate::screen::USERS_LOADED);
        pty
    }

    /// `:command` then Enter, once the command line shows what was typed.
    pub fn go_to(&mut self, command: &str) {
        self.send(&format!(":{command}"));
        self.wait_for(&format!(" :{command}▏"));
        self.send_key(Key::Enter);
    }

    /// Filters the list with `/text`, waits for `title` (the pane's title with the count),
    /// and keeps the filter with Enter.
    pub fn filter(&mut self, text: &str, title: &str) {
        self.send(&format!("/{text}"));
        self.wait_for(title);
        self.send_key(Key::Enter);
        self.wait_until("the filter line closed", |s| !s.contents().contains('▏'));
    }

    /// Types `text`. A pending Esc is settled first: a terminal cannot tell Esc followed
    /// at once by `j` from Alt+j, so nothing is sent until the Esc has visibly acted.
    pub fn send(&mut self, text: &str) {
        if let Some(before) = self.escape_pending.take() {
            self.wait_until("the screen to change after Esc", |screen| {
                screen.contents() != before
            });
        }
        self.write(text);
    }

    /// Presses `key`. After Esc, the next `send` waits for the screen to change, so only
    /// send Esc where it has a visible effect.
    pub fn send_key(&mut self, key: Key) {
        if key == Key::Esc {
            self.escape_pending = Some(self.screen().contents());
            self.write(&key.bytes());
        } else {
            self.send(&key.bytes());
        }
    }

    fn write(&mut self, text: &str) {
        self.writer
            .write_all(text.as_bytes())
            .and_then(|()| self.writer.flush())
            .expect("write to the console's terminal");
    }

    /// The console's data directory (`DBX_CONSOLE_DATA_DIR`): the journal lives here.
    pub fn data_dir(&self) -> PathBuf {
        self.home.path().join("data")
    }

    /// From now on `text` must never appear on the screen; every later wait fails if it
    /// does, and so does [`Pty::assert_never_shown`].
    pub fn forbid(&self, text: &str) {
        let mut terminal = self.lock();
        assert!(
            !terminal.parser.screen().contents().contains(text),
            "{text:?} is still on screen when forbidden"
        );
        terminal.forbidden.push(text.to_owned());
    }

    /// Fails if a forbidden text was on the screen at any moment since it was forbidden.
    pub fn assert_never_shown(&self) {
        if let Some((text, screen)) = self.lock().leak.clone() {
            panic!("{text:?} appeared on screen again:\n{}", framed(&screen));
        }
    }

    /// The screen as it is once whole (not half-drawn).
    pub fn screen(&self) -> vt100::Screen {
        self.wait_until("a whole frame", |_| true)
    }

    pub fn screen_text(&self) -> String {
        self.screen().contents()
    }

    /// Waits until `text` is on the screen and returns that screen.
    pub fn wait_for(&self, text: &str) -> vt100::Screen {
        self.wait_until(&format!("{text:?} on screen"), |screen| {
            screen.contents().contains(text)
        })
    }

    /// Waits until `text` is gone from the screen.
    pub fn wait_for_absent(&self, text: &str) -> vt100::Screen {
        self.wait_until(&format!("{text:?} gone from the screen"), |screen| {
            !screen.contents().contains(text)
        })
    }

    /// Waits until `condition` holds for a whole frame and returns that screen; the
    /// condition is checked again after every update from the console, never on a
    /// half-drawn screen. Fails with the screen and the log if the deadline passes or the
    /// console exits first.
    pub fn wait_until(
        &self,
        what: &str,
        condition: impl Fn(&vt100::Screen) -> bool,
    ) -> vt100::Screen {
        let deadline = Instant::now() + DEADLINE;
        let mut terminal = self.lock();
        loop {
            if let Some((text, screen)) = terminal.leak.clone() {
                drop(terminal);
                panic!("{text:?} appeared on screen again:\n{}", framed(&screen));
            }
            if terminal.is_whole() && condition(terminal.parser.screen()) {
                return terminal.parser.screen().clone();
            }
            let now = Instant::now();
            if terminal.is_closed || now >= deadline {
                let screen = terminal.parser.screen().contents();
                let reason = if terminal.is_closed {
                    "the console exited"
                } else {
                    "the deadline passed"
                };
                drop(terminal);
                panic!(
                    "waited for {what} but {reason}; the screen:\n{}\n{}",
                    framed(&screen),
                    self.log_tail()
                );
            }
            // Mid-frame, look again once the quiet period could have passed.
            let timeout = if terminal.is_whole() {
                deadline - now
            } else {
                SETTLE.min(deadline - now)
            };
            terminal = self
                .shared
                .changed
                .wait_timeout(terminal, timeout)
                .unwrap_or_else(|e| e.into_inner())
                .0;
        }
    }

    /// Waits until the console has written nothing for `quiet` (television's "stable
    /// frame"), for assertions that something did *not* happen.
    pub fn wait_for_stable(&self, quiet: Duration) -> vt100::Screen {
        let deadline = Instant::now() + DEADLINE;
        let mut terminal = self.lock();
        loop {
            let seen = terminal.updates;
            let (next, timeout) = self
                .shared
                .changed
                .wait_timeout_while(terminal, quiet, |t| t.updates == seen && !t.is_closed)
                .unwrap_or_else(|e| e.into_inner());
            terminal = next;
            if (timeout.timed_out() && terminal.is_whole()) || terminal.is_closed {
                return terminal.parser.screen().clone();
            }
            assert!(
                Instant::now() < deadline,
                "the screen never settled:\n{}",
                framed(&terminal.parser.screen().contents())
            );
        }
    }

    /// Waits for the console to exit and for its last output to reach the screen.
    pub fn wait_for_exit(&mut self) -> ExitStatus {
        let deadline = Instant::now() + DEADLINE;
        let mut backoff = Duration::from_millis(5);
        let status = loop {
            match self.child.try_wait().expect("the console's status") {
                Some(status) => break status,
                None if Instant::now() >= deadline => panic!(
                    "the console did not exit; the screen:\n{}\n{}",
                    framed(&self.screen_text()),
                    self.log_tail()
                ),
                // Exit has no screen to wait on; polling with a growing pause is bounded.
                None => std::thread::sleep(backoff),
            }
            backoff = (backoff * 2).min(Duration::from_millis(100));
        };
        let terminal = self.lock();
        let (terminal, timeout) = self
            .shared
            .changed
            .wait_timeout_while(
                terminal,
                deadline.saturating_duration_since(Instant::now()),
                |t| !t.is_closed,
            )
            .unwrap_or_else(|e| e.into_inner());
        assert!(
            !timeout.timed_out() || terminal.is_closed,
            "the console exited but its terminal never closed"
        );
        status
    }

    fn lock(&self) -> MutexGuard<'_, Terminal> {
        self.shared
            .terminal
            .lock()
            .unwrap_or_else(|e| e.into_inner())
    }

    fn log_path(&self) -> PathBuf {
        self.home.path().join("dbx-console.log")
    }

    fn log_tail(&self) -> String {
        let log = std::fs::read_to_string(self.log_path()).unwrap_or_default();
        let lines: Vec<&str> = log.lines().collect();
        let tail = lines[lines.len().saturating_sub(20)..].join("\n");
        format!("last lines of the console's log:\n{tail}")
    }
}

impl Drop for Pty {
    fn drop(&mut self) {
        if let Ok(None) = self.child.try_wait() {
            let _ = self.child.kill();
            let _ = self.child.wait();
        }
        // Joined only once the console's side is closed; otherwise the thread ends with it.
        if self.lock().is_closed
            && let Some(reader) = self.reader.take()
        {
            let _ = reader.join();
        }
    }
}

fn framed(screen: &str) -> String {
    let bar = "-".repeat(40);
    format!("{bar}\n{screen}\n{bar}")
}
