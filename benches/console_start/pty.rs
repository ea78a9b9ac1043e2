//! The real console in a pseudo-terminal, with every whole frame it draws recorded: when it
//! arrived and what the screen showed then. Timings are read from that record afterwards,
//! so the measuring thread never races the console.

use std::io::{Read, Write};
use std::num::NonZeroU16;
use std::sync::{Arc, Condvar, Mutex};
use std::time::{Duration, Instant};

use portable_pty::{Child, CommandBuilder, MasterPty, PtySize, native_pty_system};

use crate::fake::BINARY;

/// ratatui ends every frame it draws by hiding the cursor.
const FRAME_END: &[u8] = b"\x1b[?25l";

/// One whole frame on the screen.
pub struct Frame {
    pub at: Instant,
    pub screen: String,
}

#[derive(Default)]
struct Record {
    frames: Vec<Frame>,
    is_closed: bool,
}

struct Shared {
    record: Mutex<Record>,
    changed: Condvar,
}

pub struct Console {
    pub started: Instant,
    child: Box<dyn Child + Send + Sync>,
    writer: Box<dyn Write + Send>,
    _master: Box<dyn MasterPty + Send>,
    shared: Arc<Shared>,
    _home: tempfile::TempDir,
}

impl Console {
    /// Starts `dbx-console` at `cols`×`rows` with a fresh HOME and only `env`.
    pub fn spawn(cols: u16, rows: u16, env: &[(&'static str, String)]) -> Console {
        let home = tempfile::tempdir().expect("a temporary HOME");
        let pair = native_pty_system()
            .openpty(PtySize {
                rows,
                cols,
                pixel_width: 0,
                pixel_height: 0,
            })
            .expect("a pseudo-terminal");
        let mut command = CommandBuilder::new(BINARY);
        command.env_clear();
        command.env("PATH", std::env::var_os("PATH").unwrap_or_default());
        command.env("HOME", home.path());
        command.env("TERM", "xterm-256color");
        command.env("DBX_CONSOLE_DATA_DIR", home.path().join("data"));
        for (name, value) in env {
            command.env(name, value);
        }
        command.cwd(home.path());
        let shared = Arc::new(Shared {
            record: Mutex::new(Record::default()),
            changed: Condvar::new(),
        });
        let mut output = pair.master.try_clone_reader().expect("a reader");
        let writer = pair.master.take_writer().expect("a writer");
        let feed = Arc::clone(&shared);
        let (rows, cols) = (
            NonZeroU16::new(rows).expect("rows > 0"),
            NonZeroU16::new(cols).expect("cols > 0"),
        );
        // The reader runs before the console starts, so no early byte waits in a buffer.
        std::thread::spawn(move || {
            let mut parser = vt100::Parser::new(rows, cols, 0);
            let mut tail: Vec<u8> = Vec::new();
            let mut buffer = vec![0u8; 1 << 16];
            loop {
                let count = match output.read(&mut buffer) {
                    Err(e) if e.kind() == std::io::ErrorKind::Interrupted => continue,
                    result => result.unwrap_or(0),
                };
                let at = Instant::now();
                let mut record = feed.record.lock().unwrap_or_else(|e| e.into_inner());
                if count == 0 {
                    record.is_closed = true;
                    feed.changed.notify_all();
                    return;
                }
                let bytes = &buffer[..count];
                // The last frame end in this read, which may straddle the previous one.
                let earlier = tail.len();
                tail.extend_from_slice(bytes);
                let split = tail
                    .windows(FRAME_END.len())
                    .rposition(|w| w == FRAME_END)
                    .map(|start| start + FRAME_END.len() - earlier);
                match split {
                    Some(split) => {
                        parser.process(&bytes[..split]);
                        record.frames.push(Frame {
                            at,
                            screen: parser.screen().contents(),
                        });
                        feed.changed.notify_all();
                        parser.process(&bytes[split..]);
                    }
                    None => parser.process(bytes),
                }
                let keep = tail.len().saturating_sub(FRAME_END.len() - 1);
                tail.drain(..keep);
            }
        });
        let started = Instant::now();
        let child = pair
            .slave
            .spawn_command(command)
            .expect("the console starts");
        drop(pair.slave);
        Console {
            started,
            child,
            writer,
            _master: pair.master,
            shared,
            _home: home,
        }
    }

    pub fn pid(&self) -> u32 {
        self.child.process_id().expect("the console has a pid")
    }

    /// How many frames have been drawn so far.
    pub fn frame_count(&self) -> usize {
        self.shared
            .record
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .frames
            .len()
    }

    /// Sends keys as a terminal encodes them; returns when they were written.
    pub fn send(&mut self, text: &str) -> Instant {
        self.writer
            .write_all(text.as_bytes())
            .and_then(|()| self.writer.flush())
            .expect("writing to the console");
        Instant::now()
    }

    /// The first frame from index `from` on whose screen satisfies `test`: its index and time.
    pub fn wait_for(
        &self,
        from: usize,
        deadline: Duration,
        what: &str,
        test: impl Fn(&str) -> bool,
    ) -> (usize, Instant) {
        let until = Instant::now() + deadline;
        let mut record = self.shared.record.lock().unwrap_or_else(|e| e.into_inner());
        let mut next = from;
        loop {
            while next < record.frames.len() {
                if test(&record.frames[next].screen) {
                    return (next, record.frames[next].at);
                }
                next += 1;
            }
            let now = Instant::now();
            if record.is_closed || now >= until {
                let last = record.frames.last().map_or("", |f| f.screen.as_str());
                panic!("never saw {what} (closed: {}):\n{last}", record.is_closed);
            }
            record = self
                .shared
                .changed
                .wait_timeout(record, until - now)
                .unwrap_or_else(|e| e.into_inner())
                .0;
        }
    }

    /// Times of the frames in `range`.
    pub fn frame_times(&self, range: std::ops::Range<usize>) -> Vec<Instant> {
        let record = self.shared.record.lock().unwrap_or_else(|e| e.into_inner());
        record.frames[range].iter().map(|f| f.at).collect()
    }

    pub fn screen(&self, index: usize) -> String {
        let record = self.shared.record.lock().unwrap_or_else(|e| e.into_inner());
        record.frames[index].screen.clone()
    }
}

impl Drop for Console {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}
