//! The real `dbx-console` binary in a pseudo-terminal against the generated account of issue
//! 8 (100k users, 10k groups, 5k SPs with 1-5 secrets, 200 workspaces; 25 ms per request,
//! SCIM page cap 100), served by a `mock-server` child process. Measures:
//! - target 2: start to first frame with a cached token (< 50 ms), both a token in
//!   `DATABRICKS_TOKEN` and a stored U2M sign-in (from `dbx-console login`), and the first
//!   page of users on screen while the rest stream in, frames appearing all along;
//! - target 4: peak RSS (VmHWM) of the console with the users, groups and SPs loaded
//!   (< 150 MB), the background secrets read included;
//! - keystrokes end to end (key written to the terminal → changed frame read back), a
//!   cross-check of what `console_keys` measures on the pure state.
//!
//! Run with `cargo bench --bench console_start`. Knobs: `BENCH_USERS`, `BENCH_GROUPS`,
//! `BENCH_SERVICE_PRINCIPALS`, `BENCH_WORKSPACES`, `BENCH_LATENCY_MS`, `BENCH_PAGE_CAP`,
//! `BENCH_STARTS` (cold starts timed, default 7).

#[allow(dead_code)]
#[path = "../common/mod.rs"]
mod common;
mod fake;
mod pty;

use std::time::{Duration, Instant};

use common::AccountKnobs;
use common::{Stats, env, ms, verdict};
use fake::Fake;
use pty::Console;

const COLS: u16 = 200;
const ROWS: u16 = 60;
const FIRST_FRAME_TARGET_MS: f64 = 50.0;
const RSS_TARGET_MB: f64 = 150.0;
const KEY_TARGET_MS: f64 = 16.0;
/// Loading a whole list of the large account on two busy cores.
const LOAD_DEADLINE: Duration = Duration::from_secs(900);
const SCREEN_DEADLINE: Duration = Duration::from_secs(20);

/// The count part of a list's title (`1,300 of 100,001 ⠋`), if that list is on screen.
fn title(screen: &str, name: &str) -> Option<String> {
    let marker = format!("┌ {name} ");
    let line = screen.lines().find(|line| line.contains(&marker))?;
    let rest = &line[line.find(&marker)? + marker.len()..];
    Some(rest.split('─').next().unwrap_or_default().trim().to_owned())
}

fn is_spinner(c: char) -> bool {
    ('\u{2800}'..='\u{28ff}').contains(&c)
}

/// The list finished loading: a count, no "x of y" and no spinner.
fn is_loaded(screen: &str, name: &str) -> bool {
    title(screen, name).is_some_and(|t| {
        t.chars().next().is_some_and(|c| c.is_ascii_digit())
            && !t.contains(" of ")
            && !t.chars().any(is_spinner)
    })
}

fn shows_users(screen: &str) -> bool {
    screen.contains("@scale.example")
}

/// A `/proc/<pid>/status` figure in MB.
fn memory_mb(pid: u32, field: &str) -> f64 {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status"))
        .expect("the console's /proc status (Linux only)");
    let kib: f64 = status
        .lines()
        .find_map(|line| line.strip_prefix(field)?.strip_prefix(':'))
        .and_then(|rest| rest.split_whitespace().next()?.parse().ok())
        .unwrap_or_else(|| panic!("{field} in /proc/{pid}/status"));
    kib / 1024.0
}

/// Cold starts: spawn to first frame, and to the first page of users.
fn starts(fake: &Fake, env: &[(&'static str, String)], count: usize) -> (Stats, Stats) {
    let mut frames = Vec::new();
    let mut pages = Vec::new();
    for _ in 0..count {
        fake.wait_until_idle();
        let console = Console::spawn(COLS, ROWS, env);
        let (_, frame) = console.wait_for(0, SCREEN_DEADLINE, "a first frame", |s| {
            s.contains("dbx-console")
        });
        let (_, page) = console.wait_for(0, SCREEN_DEADLINE, "users", shows_users);
        frames.push(frame - console.started);
        pages.push(page - console.started);
    }
    (Stats::of(frames), Stats::of(pages))
}

/// A key written to the terminal, until the frame that shows its effect.
fn key_to_frame(console: &mut Console, keys: &str) -> Duration {
    let before = console.frame_count();
    let screen = console.screen(before - 1);
    let sent = console.send(keys);
    let (_, at) = console.wait_for(before, SCREEN_DEADLINE, "the key's effect", |s| s != screen);
    at.saturating_duration_since(sent)
}

/// The users stream in: the first page, every user, and the frames in between. Returns the
/// list's title when the first page showed.
fn stream_users(console: &Console) -> String {
    let (page_index, page_at) = console.wait_for(0, SCREEN_DEADLINE, "users", shows_users);
    let page_title = title(&console.screen(page_index), "Users").unwrap_or_default();
    let (done_index, done_at) = console.wait_for(page_index, LOAD_DEADLINE, "every user", |s| {
        is_loaded(s, "Users")
    });
    let streaming = console.frame_times(page_index..done_index + 1);
    let longest_gap = streaming
        .windows(2)
        .map(|w| w[1] - w[0])
        .max()
        .unwrap_or_default();
    println!(
        "first users page: title '{page_title}' at {:.1} ms; all users at {:.2} s; {} frames \
         while they streamed, longest gap {:.1} ms",
        ms(page_at - console.started),
        (done_at - console.started).as_secs_f64(),
        streaming.len(),
        ms(longest_gap)
    );
    println!(
        "peak RSS with the users loaded: {:.1} MB",
        memory_mb(console.pid(), "VmHWM")
    );
    page_title
}

/// Groups, service principals (with their secrets counted) and the secrets read at start,
/// each loaded in full; returns the peak and the current RSS then, in MB.
fn load_the_rest(console: &mut Console) -> (f64, f64) {
    for (command, name) in [
        (":groups\r", "Groups"),
        (":sp\r", "Service principals"),
        (":secrets\r", "Secrets"),
    ] {
        let from = console.frame_count();
        let sent = console.send(command);
        let (index, at) = console.wait_for(from, LOAD_DEADLINE, name, |s| is_loaded(s, name));
        println!(
            "{name}: {} loaded {:.1} s after the command; peak RSS so far {:.1} MB",
            title(&console.screen(index), name).unwrap_or_default(),
            (at - sent).as_secs_f64(),
            memory_mb(console.pid(), "VmHWM")
        );
    }
    (
        memory_mb(console.pid(), "VmHWM"),
        memory_mb(console.pid(), "VmRSS"),
    )
}

/// Page moves, sort changes and filter edits on the loaded users, each from the key written
/// to the terminal to the frame that shows it. Nothing loads any more, so every frame after
/// a key is that key's.
fn keys_end_to_end(console: &mut Console) -> Stats {
    let from = console.frame_count();
    console.send(":users\r");
    console.wait_for(from, SCREEN_DEADLINE, "the users", |s| {
        is_loaded(s, "Users")
    });
    let mut keys = Vec::new();
    for _ in 0..20 {
        keys.push(key_to_frame(console, "\x1b[6~"));
    }
    for _ in 0..5 {
        keys.push(key_to_frame(console, "s"));
    }
    keys.push(key_to_frame(console, "/"));
    for c in ["u", "s", "e", "r", "0", "4", "2"] {
        keys.push(key_to_frame(console, c));
    }
    for _ in 0..7 {
        keys.push(key_to_frame(console, "\x7f"));
    }
    let keys = Stats::of(keys);
    println!("{}", keys.line("key to changed frame, end to end (PTY)"));
    keys
}

fn main() {
    if common::is_skipped("console_start") {
        return;
    }
    let knobs = AccountKnobs::from_env();
    let start_count: usize = env("BENCH_STARTS", 7);
    println!(
        "console_start: {} users, {} groups, {} SPs, {} workspaces; {} ms per request, page cap {}; \
         {COLS}x{ROWS} terminal",
        knobs.users,
        knobs.groups,
        knobs.service_principals,
        knobs.workspaces,
        knobs.latency_ms,
        knobs.page_cap
    );
    let seeding = Instant::now();
    let fake = Fake::start(&knobs);
    println!(
        "the fake is up in {:.1} s (its own process)",
        seeding.elapsed().as_secs_f64()
    );
    let env = fake.token_env();
    let sign_in_dir = tempfile::tempdir().expect("a directory for the stored sign-in");
    let stored_env = fake.stored_sign_in(sign_in_dir.path());

    let (first_frames, first_pages) = starts(&fake, &env, start_count);
    println!("{}", first_frames.line("token: start to first frame"));
    println!("{}", first_pages.line("token: start to first users page"));
    let (stored_frames, stored_pages) = starts(&fake, &stored_env, start_count);
    println!(
        "{}",
        stored_frames.line("stored sign-in: start to first frame")
    );
    println!(
        "{}",
        stored_pages.line("stored sign-in: start to first users page")
    );

    // One full session: stream every user, then groups, SPs and secrets, then keys.
    fake.wait_until_idle();
    let mut console = Console::spawn(COLS, ROWS, &env);
    let page_title = stream_users(&console);
    let (peak, resident) = load_the_rest(&mut console);
    let keys = keys_end_to_end(&mut console);
    console.send("q");
    drop(console);

    println!("peak RSS {peak:.1} MB, resident at the end {resident:.1} MB");
    verdict(
        "2 start to first frame, token in DATABRICKS_TOKEN (median)",
        ms(first_frames.median),
        FIRST_FRAME_TARGET_MS,
        "ms",
    );
    verdict(
        "2 start to first frame, stored U2M sign-in (median)",
        ms(stored_frames.median),
        FIRST_FRAME_TARGET_MS,
        "ms",
    );
    println!(
        "TARGET 2 first page of users on screen while the rest stream: {} ('{page_title}')",
        if page_title.contains(" of ") {
            "MET"
        } else {
            "NOT MET"
        }
    );
    verdict(
        "3 keystroke to frame, real binary in a PTY (p95)",
        ms(keys.p95),
        KEY_TARGET_MS,
        "ms",
    );
    verdict(
        "4 peak RSS, 100k users + 10k groups + 5k SPs loaded",
        peak,
        RSS_TARGET_MB,
        "MB",
    );
}
