//! Form fields on the real binary against `mock-server`: app connection scopes checked from
//! the documented ones plus one typed.

use serde_json::json;

use crate::fake::FakeAccount;
use crate::journal;
use crate::steps::{go_to, press, take_secret};
use crate::support::Key;

#[test]
fn app_connection_scopes_are_checked_and_typed() {
    let fake = FakeAccount::start();
    let mut pty = crate::edits::console(&fake);
    go_to(&mut pty, "apps", "App connections 7 ");
    pty.send("n");
    pty.wait_for("New app connection");
    pty.send("Scoped (e2e)");
    press(&mut pty, Key::Tab, 3);
    pty.wait_for("› Scopes                    sql, offline_access");
    // all-apis is the first row; "+ other" is below the six documented scopes.
    pty.send(" ");
    pty.wait_for("[x] all-apis");
    press(&mut pty, Key::Down, 6);
    pty.send("iam.groups:read");
    pty.wait_for("+ other: iam.groups:read▏");
    pty.send_key(Key::Enter);
    pty.wait_for("[x] iam.groups:read  undocumented");
    pty.send_key(Key::Ctrl('s'));
    let review = pty.wait_for("Review: New app connection");
    let text = review.contents();
    assert!(
        text.contains("Scope 'iam.groups:read' is not one"),
        "{text}"
    );
    assert!(text.contains("+ scopes: iam.groups:read"), "{text}");
    pty.send_key(Key::Enter);
    let secret = take_secret(&mut pty);

    let app = fake
        .app_named("Scoped (e2e)")
        .expect("the app is on the fake");
    assert_eq!(
        app["scopes"],
        json!(["sql", "offline_access", "all-apis", "iam.groups:read"]),
        "{app:#}"
    );
    journal::assert_holds_none_of(&pty, &[&secret]);
}
