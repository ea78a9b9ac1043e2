//! Two kinds of form field on the real binary against `mock-server`: an inline JWKS written
//! in the admin's editor (`EDITOR` is a script the test writes), after which the form takes
//! keys again; and app connection scopes checked from the documented ones plus one typed.

use std::os::unix::fs::PermissionsExt;
use std::path::Path;

use serde_json::json;

use crate::fake::{FakeAccount, id_of};
use crate::journal;
use crate::steps::{go_to, open, press, take_secret};
use crate::support::{Key, LARGE, Pty};

/// An EC public key (RFC 7517, appendix A.1) under a kid of our own.
const JWKS: &str = r#"{"keys": [{"kty": "EC", "crv": "P-256", "kid": "ci-e2e", "use": "sig", "x": "MKBCTNIcKUSDii11ySs3526iDZ8AiTo7Tu6KPAqv7D4", "y": "4Etl6SRW2YiLUrN5vfvVHuhp7x8PxltmWWlbbM4IFyM"}]}"#;

/// Writes `$dir/editor`: a script that, like an editor, takes what is typed at the terminal
/// (one line) and saves it in the file it is given, after noting what it found there (its
/// text, its permissions, its path). Reading the keyboard is the point: had the console gone
/// on reading the terminal meanwhile, it would take those keys and the script would wait.
fn editor_script(dir: &Path) -> String {
    let script = dir.join("editor");
    let notes = dir.display();
    std::fs::write(
        &script,
        format!(
            "#!/bin/sh\n\
             cat \"$1\" > '{notes}/found'\n\
             ls -l \"$1\" | cut -c1-10 > '{notes}/mode'\n\
             printf '%s\\n' \"$1\" > '{notes}/path'\n\
             printf 'JWKS, then Enter: '\n\
             read -r line\n\
             printf '%s\\n' \"$line\" > \"$1\"\n"
        ),
    )
    .expect("the editor script is written");
    std::fs::set_permissions(&script, std::fs::Permissions::from_mode(0o755))
        .expect("the script is executable");
    script.display().to_string()
}

fn note(dir: &Path, name: &str) -> String {
    std::fs::read_to_string(dir.join(name))
        .unwrap_or_else(|e| panic!("the editor script noted {name}: {e}"))
}

#[test]
fn an_inline_jwks_written_in_the_editor_is_sent_and_the_form_still_takes_keys() {
    let fake = FakeAccount::start();
    let notes = tempfile::tempdir().expect("a directory for the script");
    let editor = editor_script(notes.path());
    let mut pty = fake.console(LARGE, &[], &[("EDITOR", &editor)]);
    pty.wait_for("Users 200 ");
    let sp = fake.service_principal("airflow-prod");
    go_to(&mut pty, "sp", "Service principals 15 ");
    open(
        &mut pty,
        "airflow-prod",
        "airflow-prod",
        "Federation policies (0)",
    );

    pty.send("p");
    pty.wait_for("New federation policy for this service principal");
    pty.send("ci-keys");
    press(&mut pty, Key::Tab, 2);
    pty.send("https://ci.northwind.example");
    // Audiences, subject claim, subject, JWKS URI: on to the inline JWKS.
    press(&mut pty, Key::Tab, 5);
    pty.wait_for("› Inline JWKS");
    pty.wait_for("ctrl+e $EDITOR");
    pty.send_key(Key::Ctrl('e'));
    // The script has the terminal: type the JWKS to it.
    pty.wait_for("JWKS, then Enter:");
    pty.send(JWKS);
    pty.send_key(Key::Enter);
    pty.wait_for("Inline JWKS replaced with what the editor saved");
    pty.wait_for("\"kid\": \"ci-e2e\"");

    // The editor got a private file holding the field's (empty) text, now removed.
    assert_eq!(note(notes.path(), "found"), "");
    assert_eq!(note(notes.path(), "mode").trim(), "-rw-------");
    let path = note(notes.path(), "path");
    assert!(path.trim().ends_with(".json"), "{path}");
    assert!(!Path::new(path.trim()).exists(), "{path} is removed");

    // Keys reach the form again: up to the subject and type it.
    pty.send_key(Key::Up);
    pty.wait_for("› JWKS URI");
    pty.send_key(Key::Up);
    pty.wait_for("› Subject  ");
    pty.send("deploy-bot");
    pty.wait_for("deploy-bot▏");
    pty.send_key(Key::Ctrl('s'));
    let review = pty.wait_for("Review: New federation policy for this service principal");
    assert!(
        review.contents().contains("+ oidc_policy.jwks_json:"),
        "{}",
        review.contents()
    );
    pty.send_key(Key::Enter);
    pty.wait_for("Done: New federation policy for this service principal");

    let policy = fake.get(&format!(
        "/servicePrincipals/{}/federationPolicies/ci-keys",
        id_of(&sp)
    ));
    assert_eq!(policy["oidc_policy"]["jwks_json"], JWKS, "{policy:#}");
    assert_eq!(policy["oidc_policy"]["subject"], "deploy-bot", "{policy:#}");
    journal::assert_writes(&pty, &[("create", "federation_policy", "ok")]);
}

#[test]
fn an_editor_that_fails_leaves_the_field_as_it_was() {
    let fake = FakeAccount::start();
    let mut pty: Pty = fake.console(LARGE, &[], &[("EDITOR", "false")]);
    pty.wait_for("Users 200 ");
    go_to(&mut pty, "fed", "Federation policies ");
    pty.send("n");
    pty.wait_for("New account federation policy");
    press(&mut pty, Key::Tab, 7);
    pty.wait_for("› Inline JWKS");
    pty.send("{}");
    pty.wait_for("{}▏");
    pty.send_key(Key::Ctrl('e'));
    pty.wait_for("The editor (false) exited with status 1: Inline JWKS was left as it was");
    pty.send("x");
    pty.wait_for("{}x▏");
}

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
