//! The form's keys: typing, focus, toggles, choices, the list editor, and Esc on a changed
//! form.

use super::*;

fn key(code: KeyCode) -> KeyEvent {
    KeyEvent::new(code, KeyModifiers::NONE)
}

fn type_text(form: &mut Form, text: &str) {
    for c in text.chars() {
        form.on_key(key(KeyCode::Char(c)));
    }
}

fn sample() -> Form {
    Form::new(
        "New thing",
        vec![
            Field::text("name", "Name", "", ""),
            Field::toggle("confidential", "Confidential", true, ""),
            Field::list(
                "urls",
                "Redirect URLs",
                vec!["https://a.example/cb".into()],
                "",
            ),
            Field::choice("level", "Permission", &["USER", "ADMIN"], "USER", ""),
        ],
    )
}

#[test]
fn typing_tab_and_toggles() {
    let mut form = sample();
    type_text(&mut form, "Tableau");
    assert_eq!(form.text("name"), "Tableau");
    form.on_key(key(KeyCode::Tab));
    form.on_key(key(KeyCode::Char(' ')));
    assert!(!form.toggle("confidential"));
    form.on_key(KeyEvent::new(KeyCode::BackTab, KeyModifiers::SHIFT));
    assert_eq!(form.focus, 0);
    form.on_key(key(KeyCode::BackTab));
    assert_eq!(form.focus, 3, "Shift-Tab wraps to the last field");
    form.on_key(key(KeyCode::Right));
    assert_eq!(form.text("level"), "ADMIN");
    assert_eq!(form.on_key(key(KeyCode::Enter)), FormEvent::Submit);
    assert_eq!(
        form.on_key(KeyEvent::new(KeyCode::Char('s'), KeyModifiers::CONTROL)),
        FormEvent::Submit
    );
}

#[test]
fn the_list_editor_adds_edits_and_removes() {
    let mut form = sample();
    form.focus = 2;
    // Down to the "add" row, Enter, type, Enter.
    form.on_key(key(KeyCode::Down));
    form.on_key(key(KeyCode::Enter));
    type_text(&mut form, "http://localhost:8080/cb");
    form.on_key(key(KeyCode::Enter));
    assert_eq!(
        form.items("urls"),
        ["https://a.example/cb", "http://localhost:8080/cb"]
    );
    // Edit the first: Up twice, Enter, Backspace over "cb", type "callback".
    form.on_key(key(KeyCode::Up));
    form.on_key(key(KeyCode::Up));
    form.on_key(key(KeyCode::Enter));
    form.on_key(key(KeyCode::Backspace));
    form.on_key(key(KeyCode::Backspace));
    type_text(&mut form, "callback");
    form.on_key(key(KeyCode::Enter));
    assert_eq!(form.items("urls")[0], "https://a.example/callback");
    // Esc while editing an item only stops editing that item.
    form.on_key(key(KeyCode::Enter));
    assert_eq!(form.on_key(key(KeyCode::Esc)), FormEvent::Edited);
    // Delete removes the item under the cursor.
    form.on_key(key(KeyCode::Delete));
    assert_eq!(form.items("urls"), ["http://localhost:8080/cb"]);
}

#[test]
fn esc_on_a_changed_form_asks_first() {
    let mut form = sample();
    assert!(!form.is_changed());
    type_text(&mut form, "x");
    assert!(form.is_changed());
    assert_eq!(form.on_key(key(KeyCode::Esc)), FormEvent::Nothing);
    assert!(form.confirm_discard);
    assert_eq!(form.on_key(key(KeyCode::Esc)), FormEvent::Cancel);
    let mut untouched = sample();
    assert_eq!(untouched.on_key(key(KeyCode::Esc)), FormEvent::Cancel);
}
