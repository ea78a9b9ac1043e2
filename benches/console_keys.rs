//! Keystrokes and frames on a 100k-user list, over the pure state: each sample is one key
//! through `update` plus the next frame drawn into a 200×60 `TestBackend`, which is what a
//! user waits for. Targets (issue 8): a filter edit, a page move or a sort change is on
//! screen in under 16 ms; a full 200×60 frame renders in under 2 ms.
//!
//! Run with `cargo bench --bench console_keys`. `BENCH_USERS` (default 100,000) sizes the
//! list, `BENCH_SERVICE_PRINCIPALS` (default 5,000) the secrets read in the background (their
//! badge is counted on every frame), and `BENCH_ROUNDS` (default 1) repeats every key
//! sequence. The users are varied
//! names in a shuffled order, not the fake's `user000001…` sequence, whose already-sorted
//! columns would make sorting look cheaper than on a real account.

#[allow(dead_code)]
mod common;

use std::time::{Duration, Instant};

use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use dbx_console::api::ScimPage;
use dbx_console::app::keymap::Keymap;
use dbx_console::app::msg::{Msg, Resource, TaskEvent, TaskKey, TaskOutcome};
use dbx_console::app::page_rows;
use dbx_console::app::state::{AppState, Session};
use dbx_console::app::update::{init, update};
use dbx_console::ui::theme::Theme;
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use serde_json::{Value, json};

use common::{Stats, env, ms, verdict};

const WIDTH: u16 = 200;
const HEIGHT: u16 = 60;
const KEY_TARGET_MS: f64 = 16.0;
const FRAME_TARGET_MS: f64 = 2.0;

const FIRST: [&str; 16] = [
    "Inès", "Kenji", "Amara", "Lukas", "Sofia", "Daniel", "Priya", "Mateo", "Hannah", "Oliver",
    "Zoë", "Björn", "Aiko", "Nikolai", "Fatima", "Chloé",
];
const LAST: [&str; 16] = [
    "Moreau", "Nakamura", "Okafor", "Becker", "Rossi", "Cohen", "Raman", "García", "Nakagawa",
    "Smith", "Øster", "Kowalski", "Haddad", "Silva", "Müller", "O'Brien",
];

/// A deterministic xorshift, so every run sorts and filters the same account.
struct Random(u64);

impl Random {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }

    fn pick<'a>(&mut self, from: &[&'a str]) -> &'a str {
        from[(self.next() % from.len() as u64) as usize]
    }
}

/// `count` users as the SCIM list returns them (the list's attributes only), in the
/// server's order, which is not alphabetical.
fn users(count: usize) -> Vec<Value> {
    let mut random = Random(0x9e37_79b9_7f4a_7c15);
    (0..count)
        .map(|_| {
            let (first, last) = (random.pick(&FIRST), random.pick(&LAST));
            let number = random.next() % 100_000;
            let user_name = format!("{first}.{last}{number}@northwind.example")
                .to_lowercase()
                .replace(['è', 'ë'], "e")
                .replace(['ö', 'ø'], "o")
                .replace('ü', "u")
                .replace('í', "i")
                .replace('é', "e")
                .replace('\'', "");
            let id = 7_400_000_000_000_000_u64 + random.next() % 1_000_000_000_000;
            let mut user = json!({
                "id": id.to_string(),
                "userName": user_name,
                "displayName": format!("{first} {last}"),
                "active": !random.next().is_multiple_of(50),
            });
            if random.next().is_multiple_of(200) {
                user["roles"] = json!([{"value": "account_admin"}]);
            }
            user
        })
        .collect()
}

fn session() -> Session {
    Session {
        profile: Some("bench".into()),
        host: "https://accounts.cloud.databricks.com".into(),
        account_id: "6f1c2a9e-3b7d-4e8a-9c41-0d2b5e7f8a13".into(),
        user: Some("ines.moreau@northwind.example".into()),
        token_expires_at: None,
        read_only: false,
        snapshot: None,
    }
}

/// The secrets of `count` service principals (1-5 each, some expired or expiring), one
/// page per SP as the background read at start delivers them.
fn secrets(count: usize) -> Vec<Vec<Value>> {
    let now = chrono::Utc::now();
    let mut random = Random(0x2545_f491_4f6c_dd1d);
    (0..count)
        .map(|sp| {
            let owner = json!({"id": format!("{}", 8_100_000_000_000_000_u64 + sp as u64),
                               "displayName": format!("svc-pipeline-{sp:05}")});
            (0..=sp % 5)
                .map(|n| {
                    let days = (random.next() % 800) as i64 - 70;
                    let expires = now + chrono::Duration::days(days);
                    json!({
                        "id": format!("{:032x}", random.next() as u128 * 7_919 + n as u128),
                        "status": "ACTIVE",
                        "create_time": (expires - chrono::Duration::days(730))
                            .to_rfc3339_opts(chrono::SecondsFormat::Secs, true),
                        "expire_time": expires.to_rfc3339_opts(chrono::SecondsFormat::Secs, true),
                        "_sp": owner,
                    })
                })
                .collect()
        })
        .collect()
}

fn task(resource: Resource, outcome: TaskOutcome) -> Msg {
    Msg::Task(TaskEvent {
        key: TaskKey::List(resource),
        generation: 1,
        outcome,
    })
}

fn key(code: KeyCode) -> Msg {
    let modifiers = match code {
        KeyCode::Char(c) if c.is_uppercase() => KeyModifiers::SHIFT,
        _ => KeyModifiers::NONE,
    };
    Msg::Key(KeyEvent::new(code, modifiers))
}

struct Console {
    state: AppState,
    keymap: Keymap,
    theme: Theme,
    terminal: Terminal<TestBackend>,
}

impl Console {
    fn draw(&mut self) {
        let Console {
            state,
            keymap,
            theme,
            terminal,
        } = self;
        terminal
            .draw(|frame| dbx_console::ui::render(frame, state, keymap, theme))
            .expect("drawing into a test terminal never fails");
    }

    /// The key through `update`, then the frame that shows it: the time a user waits.
    fn press(&mut self, code: KeyCode) -> Duration {
        let start = Instant::now();
        update(&mut self.state, &self.keymap, key(code), page_rows(HEIGHT));
        self.draw();
        start.elapsed()
    }

    fn deliver(&mut self, resource: Resource, outcome: TaskOutcome) -> Duration {
        let start = Instant::now();
        update(
            &mut self.state,
            &self.keymap,
            task(resource, outcome),
            page_rows(HEIGHT),
        );
        start.elapsed()
    }
}

/// `pages` delivered as the list's task delivers them; returns each page's `update` time.
fn load(console: &mut Console, resource: Resource, pages: Vec<Vec<Value>>) -> Vec<Duration> {
    let total = pages.iter().map(Vec::len).sum();
    let mut delivered = 0;
    let mut timings = Vec::new();
    for items in pages {
        delivered += items.len();
        let page = ScimPage {
            items,
            total,
            delivered,
        };
        timings.push(console.deliver(resource, TaskOutcome::Page(page)));
    }
    console.deliver(resource, TaskOutcome::ListDone);
    timings
}

fn main() {
    if common::is_skipped("console_keys") {
        return;
    }
    let count: usize = env("BENCH_USERS", 100_000);
    let sp_count: usize = env("BENCH_SERVICE_PRINCIPALS", 5_000);
    let rounds: usize = env("BENCH_ROUNDS", 1);
    let mut state = AppState::new(session());
    let _ = init(&mut state);
    let mut console = Console {
        state,
        keymap: Keymap::defaults(),
        theme: Theme::from_env(),
        terminal: Terminal::new(TestBackend::new(WIDTH, HEIGHT)).expect("a test terminal"),
    };
    println!(
        "console_keys: {count} users and the secrets of {sp_count} SPs, {WIDTH}x{HEIGHT} \
         frames, {rounds} round(s)"
    );

    // Moved into pages, not copied: freeing 100k copies here would put glibc's cleanup of
    // them on the first page's bill.
    let mut all = users(count).into_iter().peekable();
    let mut pages: Vec<Vec<Value>> = Vec::new();
    while all.peek().is_some() {
        pages.push(all.by_ref().take(100).collect());
    }
    let pages = load(&mut console, Resource::Users, pages);
    let ingest = Stats::of(pages.clone());
    println!("{}", ingest.line("a streamed page of 100 users (update)"));
    println!(
        "{:<44} {:.1} ms in all",
        "the whole list streamed in",
        ms(pages.iter().sum())
    );
    // The secrets read at start: the badge on every frame counts them.
    let secret_pages = load(&mut console, Resource::Secrets, secrets(sp_count));
    println!(
        "{}",
        Stats::of(secret_pages).line("one SP's secrets into the sorted secrets list")
    );
    console.draw();

    let mut page_moves = Vec::new();
    let mut filter_keys = Vec::new();
    let mut sort_keys = Vec::new();
    for _ in 0..rounds {
        // Page moves: down through the list, then back up.
        for _ in 0..150 {
            page_moves.push(console.press(KeyCode::PageDown));
        }
        page_moves.push(console.press(KeyCode::End));
        for _ in 0..150 {
            page_moves.push(console.press(KeyCode::PageUp));
        }
        page_moves.push(console.press(KeyCode::Home));

        // Sort changes: every column ascending, then the server's order, each flipped too.
        for _ in 0..5 {
            sort_keys.push(console.press(KeyCode::Char('s')));
            sort_keys.push(console.press(KeyCode::Char('S')));
            sort_keys.push(console.press(KeyCode::Char('S')));
        }

        // Filter edits, sorted and not: narrowing, widening, and a one-letter filter that
        // keeps most rows (the most to rebuild).
        for sorted in [false, true] {
            if sorted {
                console.press(KeyCode::Char('s'));
                console.press(KeyCode::Char('s'));
            }
            console.press(KeyCode::Char('/'));
            for word in ["moreau", "kenji.n", "e", "zoë", "@northwind", "o'b", "xyz"] {
                for c in word.chars() {
                    filter_keys.push(console.press(KeyCode::Char(c)));
                }
                for _ in word.chars() {
                    filter_keys.push(console.press(KeyCode::Backspace));
                }
            }
            // Esc leaves the filter (and clears it): the whole list again.
            console.press(KeyCode::Char('a'));
            filter_keys.push(console.press(KeyCode::Esc));
            while console
                .state
                .list(Resource::Users)
                .is_some_and(|l| l.sort.is_some())
            {
                console.press(KeyCode::Char('s'));
            }
        }
    }

    // A full frame: the previous one forgotten, so every cell is drawn and sent.
    let mut frames = Vec::new();
    for round in 0..200 {
        if round % 2 == 0 {
            console.press(KeyCode::PageDown);
        }
        console.terminal.clear().expect("a test terminal clears");
        let start = Instant::now();
        console.draw();
        frames.push(start.elapsed());
    }

    let page_moves = Stats::of(page_moves);
    let sort_keys = Stats::of(sort_keys);
    let filter_keys = Stats::of(filter_keys);
    let frames = Stats::of(frames);
    println!("{}", page_moves.line("page down/up, end, home (+ frame)"));
    println!("{}", sort_keys.line("sort change s / S (+ frame)"));
    println!(
        "{}",
        filter_keys.line("filter edit: a letter, backspace, Esc (+ frame)")
    );
    println!("{}", frames.line("full 200x60 frame, every cell redrawn"));

    let worst_key = [&page_moves, &sort_keys, &filter_keys]
        .iter()
        .map(|s| s.p95)
        .max()
        .unwrap_or_default();
    let worst_ever = [&page_moves, &sort_keys, &filter_keys]
        .iter()
        .map(|s| s.max)
        .max()
        .unwrap_or_default();
    println!(
        "(worst single keystroke of the run: {:.3} ms)",
        ms(worst_ever)
    );
    verdict(
        "3 keystroke on 100k users to next frame (p95 of the worst kind)",
        ms(worst_key),
        KEY_TARGET_MS,
        "ms",
    );
    // The median: what rendering costs; the p95 above also counts a busy machine's stalls.
    verdict(
        "5 full 200x60 frame render (median; p95 in the table above)",
        ms(frames.median),
        FRAME_TARGET_MS,
        "ms",
    );
}
