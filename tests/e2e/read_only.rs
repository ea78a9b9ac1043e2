//! Read-only mode end to end (`--read-only` or `DBX_CONSOLE_READ_ONLY`): the header says so,
//! `?` lists no key that changes anything, and pressing those keys writes nothing: the fake
//! is unchanged and no journal is written.

use std::time::Duration;

use serde_json::Value;

use crate::fake::FakeAccount;
use crate::journal;
use crate::screen::lines;
use crate::steps::{open, overlay};
use crate::support::{Key, LARGE, Pty};

const USER: &str = "aarav.desai@northwind.example";

/// How the help overlay describes the actions that change the account (the keymap's
/// `describe`).
const MUTATING: [&str; 8] = [
    "new / add",
    "new fed. policy",
    "edit",
    "delete / remove",
    "account admin on/off",
    "active on/off",
    "rotate a secret",
    "SP manager/user roles",
];

/// The descriptions in the `?` overlay on screen: each row is `key(s)  what`, one or two
/// entries wide.
pub fn help_descriptions(pty: &mut Pty) -> Vec<String> {
    pty.send("?");
    let screen = pty.wait_for("any key closes this help");
    let rows = overlay(&screen, "Keys");
    // Any key closes it; `?` does nothing else while help is open.
    pty.send("?");
    pty.wait_for_absent("any key closes this help");
    rows.iter()
        .flat_map(|row| {
            row.split("  ")
                .map(str::trim)
                .filter(|part| !part.is_empty())
                .map(str::to_owned)
                .collect::<Vec<_>>()
        })
        .collect()
}

pub fn mutating_in(descriptions: &[String]) -> Vec<&'static str> {
    MUTATING
        .into_iter()
        // Two columns put the next entry one space after a full-width description.
        .filter(|what| {
            descriptions
                .iter()
                .any(|d| d == what || d.starts_with(&format!("{what} ")))
        })
        .collect()
}

/// The user as the fake holds it, without `meta` (which a read may touch).
fn user_state(fake: &FakeAccount) -> Value {
    let mut user = fake.user(USER);
    if let Some(object) = user.as_object_mut() {
        object.remove("meta");
    }
    user
}

fn assert_read_only(fake: &FakeAccount, mut pty: Pty) {
    let screen = pty.wait_for("Users 200 ");
    assert!(
        lines(&screen)[0].contains(" READ-ONLY "),
        "the header says so: {:?}",
        lines(&screen)[0]
    );
    let before = user_state(fake);
    let users_before = fake.total("Users");

    let in_list = help_descriptions(&mut pty);
    assert!(in_list.iter().any(|d| d == "filter"), "{in_list:?}");
    assert_eq!(mutating_in(&in_list), Vec::<&str>::new(), "{in_list:?}");
    // `n` on the list would open a new user form.
    pty.send("n");

    open(&mut pty, "aarav.desai", USER, "Account admin");
    let in_detail = help_descriptions(&mut pty);
    assert!(in_detail.iter().any(|d| d == "raw JSON"), "{in_detail:?}");
    assert_eq!(mutating_in(&in_detail), Vec::<&str>::new(), "{in_detail:?}");

    // Each would open a form or a review that `y` or Enter confirms; then `y` must still
    // mean "raw JSON", so nothing was open to confirm.
    for key in ["A", "x", "d", "e", "n", "p"] {
        pty.send(key);
    }
    pty.send_key(Key::Enter);
    pty.send("y");
    let raw = pty.wait_for("· raw JSON");
    assert!(
        !raw.contents().contains("Review:"),
        "no review opened:\n{}",
        raw.contents()
    );
    // Let anything a stray key started finish before looking at the fake.
    pty.wait_for_stable(Duration::from_millis(300));

    assert_eq!(user_state(fake), before, "the user is unchanged");
    assert_eq!(fake.total("Users"), users_before, "no user was created");
    assert!(
        !pty.data_dir().join("journal.jsonl").exists(),
        "no journal: {:?}",
        String::from_utf8_lossy(&journal::bytes(&pty))
    );
}

#[test]
fn the_read_only_flag_offers_no_change_and_writes_nothing() {
    let fake = FakeAccount::start();
    let pty = fake.console(LARGE, &["--read-only"], &[]);
    assert_read_only(&fake, pty);
}

#[test]
fn read_only_from_the_environment_offers_no_change_and_writes_nothing() {
    let fake = FakeAccount::start();
    let pty = fake.console(LARGE, &[], &[("DBX_CONSOLE_READ_ONLY", "true")]);
    assert_read_only(&fake, pty);
}

#[test]
fn read_only_from_the_environment_accepts_1() {
    let fake = FakeAccount::start();
    let pty = fake.console(LARGE, &[], &[("DBX_CONSOLE_READ_ONLY", "1")]);
    assert_read_only(&fake, pty);
}

/// The control for the checks above: without read-only the same overlay lists them.
#[test]
fn without_read_only_the_help_of_a_detail_lists_the_changes() {
    let fake = FakeAccount::start();
    let mut pty = fake.console(LARGE, &[], &[]);
    let screen = pty.wait_for("Users 200 ");
    assert!(
        !lines(&screen)[0].contains("READ-ONLY"),
        "{:?}",
        lines(&screen)[0]
    );
    open(&mut pty, "aarav.desai", USER, "Account admin");
    let in_detail = help_descriptions(&mut pty);
    assert_eq!(mutating_in(&in_detail), MUTATING.to_vec(), "{in_detail:?}");
}
