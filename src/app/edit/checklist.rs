//! A multi-select with free entry, for scopes: the documented choices as a checklist (Space
//! toggles), then values typed on the "+ other" row (or read from the server), kept and
//! checkable like the rest. What is checked, in the order it was checked, is the value.

use crossterm::event::{Event, KeyCode, KeyEvent, KeyModifiers};
use tui_input::Input;
use tui_input::backend::crossterm::EventHandler;

#[derive(Debug, Clone)]
pub struct Checklist {
    /// Every row: the documented choices first, then the others.
    pub choices: Vec<String>,
    /// How many of `choices` are documented ones; the rest were typed or came from the server.
    pub documented: usize,
    /// What is checked, in the order it was checked (the order sent to the server).
    pub selected: Vec<String>,
    /// The row under the cursor; `choices.len()` is the "+ other" row.
    pub cursor: usize,
    /// The text being typed on the "+ other" row.
    pub entry: Option<Input>,
}

/// What a key did, for the form around the checklist.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ChecklistKey {
    /// The value changed.
    Edited,
    /// Up on the first row: the previous field's turn.
    LeaveUp,
    /// Down on the last row: the next field's turn.
    LeaveDown,
    /// The cursor moved or typing went on; the value is the same.
    Moved,
    Ignored,
}

impl Checklist {
    /// `documented` as rows, with `selected` checked (an undocumented one gets its own row).
    pub fn new(documented: &[&str], selected: Vec<String>) -> Self {
        let mut choices: Vec<String> = documented.iter().map(|c| (*c).to_owned()).collect();
        for value in &selected {
            if !choices.contains(value) {
                choices.push(value.clone());
            }
        }
        Checklist {
            choices,
            documented: documented.len(),
            selected,
            cursor: 0,
            entry: None,
        }
    }

    pub fn is_checked(&self, choice: &str) -> bool {
        self.selected.iter().any(|s| s == choice)
    }

    /// Whether the row at `index` is one the API documents.
    pub fn is_documented(&self, index: usize) -> bool {
        index < self.documented
    }

    /// Checks or unchecks the row at `index`.
    pub fn toggle(&mut self, index: usize) {
        let Some(choice) = self.choices.get(index).cloned() else {
            return;
        };
        if self.is_checked(&choice) {
            self.selected.retain(|s| *s != choice);
        } else {
            self.selected.push(choice);
        }
    }

    /// Adds and checks what was typed: several values at once when separated by spaces or
    /// commas (as scopes are often pasted). Returns how many were new to the selection.
    pub fn add_typed(&mut self, text: &str) -> usize {
        let mut added = 0;
        for value in text
            .split(|c: char| c.is_whitespace() || c == ',')
            .filter(|v| !v.is_empty())
        {
            if !self.choices.iter().any(|c| c == value) {
                self.choices.push(value.to_owned());
            }
            if !self.is_checked(value) {
                self.selected.push(value.to_owned());
                added += 1;
            }
        }
        added
    }

    /// Delete on a row: a typed value goes away entirely, a documented one is unchecked.
    pub fn remove(&mut self, index: usize) {
        let Some(choice) = self.choices.get(index).cloned() else {
            return;
        };
        self.selected.retain(|s| *s != choice);
        if !self.is_documented(index) {
            self.choices.remove(index);
        }
        self.cursor = self.cursor.min(self.choices.len());
    }

    pub fn on_key(&mut self, key: KeyEvent) -> ChecklistKey {
        if let Some(input) = self.entry.as_mut() {
            return match key.code {
                KeyCode::Esc => {
                    self.entry = None;
                    ChecklistKey::Moved
                }
                KeyCode::Enter => {
                    let text = input.value().to_owned();
                    self.entry = None;
                    self.add_typed(&text);
                    self.cursor = self.choices.len();
                    ChecklistKey::Edited
                }
                _ => {
                    input.handle_event(&Event::Key(key));
                    ChecklistKey::Moved
                }
            };
        }
        let on_other = self.cursor >= self.choices.len();
        let ctrl = key.modifiers.contains(KeyModifiers::CONTROL);
        match key.code {
            KeyCode::Up if self.cursor > 0 => self.cursor -= 1,
            KeyCode::Up => return ChecklistKey::LeaveUp,
            KeyCode::Down if !on_other => self.cursor += 1,
            KeyCode::Down => return ChecklistKey::LeaveDown,
            KeyCode::Char(' ') | KeyCode::Enter if !on_other => {
                self.toggle(self.cursor);
                return ChecklistKey::Edited;
            }
            KeyCode::Enter => self.entry = Some(Input::default()),
            KeyCode::Delete | KeyCode::Backspace if !on_other => {
                self.remove(self.cursor);
                return ChecklistKey::Edited;
            }
            KeyCode::Char('d') if ctrl && !on_other => {
                self.remove(self.cursor);
                return ChecklistKey::Edited;
            }
            // Typing starts the entry on "+ other", from any row: no Enter needed first,
            // and no keystroke is silently dropped.
            KeyCode::Char(c) if !ctrl && !c.is_whitespace() => {
                self.cursor = self.choices.len();
                self.entry = Some(Input::new(c.to_string()));
            }
            _ => return ChecklistKey::Ignored,
        }
        ChecklistKey::Moved
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const DOCUMENTED: &[&str] = &["all-apis", "sql", "offline_access"];

    fn key(code: KeyCode) -> KeyEvent {
        KeyEvent::new(code, KeyModifiers::NONE)
    }

    fn type_text(list: &mut Checklist, text: &str) {
        for c in text.chars() {
            list.on_key(key(KeyCode::Char(c)));
        }
    }

    #[test]
    fn a_value_from_the_server_that_is_not_documented_gets_its_own_checked_row() {
        let list = Checklist::new(DOCUMENTED, vec!["sql".into(), "iam.groups:read".into()]);
        assert_eq!(
            list.choices,
            ["all-apis", "sql", "offline_access", "iam.groups:read"]
        );
        assert!(list.is_checked("iam.groups:read"));
        assert!(!list.is_documented(3));
        assert!(list.is_documented(2));
    }

    #[test]
    fn space_toggles_the_row_under_the_cursor_and_the_order_is_the_order_checked() {
        let mut list = Checklist::new(DOCUMENTED, vec!["sql".into()]);
        // all-apis is first: check it; then down to offline_access and check it.
        assert_eq!(list.on_key(key(KeyCode::Char(' '))), ChecklistKey::Edited);
        list.on_key(key(KeyCode::Down));
        list.on_key(key(KeyCode::Down));
        list.on_key(key(KeyCode::Char(' ')));
        assert_eq!(list.selected, ["sql", "all-apis", "offline_access"]);
        // Up to sql and uncheck it (Enter toggles too).
        list.on_key(key(KeyCode::Up));
        assert_eq!(list.on_key(key(KeyCode::Enter)), ChecklistKey::Edited);
        assert_eq!(list.selected, ["all-apis", "offline_access"]);
    }

    #[test]
    fn up_on_the_first_row_and_down_on_the_other_row_leave_the_field() {
        let mut list = Checklist::new(DOCUMENTED, Vec::new());
        assert_eq!(list.on_key(key(KeyCode::Up)), ChecklistKey::LeaveUp);
        for _ in 0..3 {
            assert_eq!(list.on_key(key(KeyCode::Down)), ChecklistKey::Moved);
        }
        assert_eq!(list.cursor, 3, "on the + other row");
        assert_eq!(list.on_key(key(KeyCode::Down)), ChecklistKey::LeaveDown);
    }

    #[test]
    fn free_entry_adds_checked_values_and_splits_pasted_lists() {
        let mut list = Checklist::new(DOCUMENTED, vec!["sql".into()]);
        list.cursor = list.choices.len();
        // Typing on "+ other" starts the entry at once.
        type_text(&mut list, "iam.groups:read, sql offline_access");
        assert!(list.entry.is_some());
        assert_eq!(list.selected, ["sql"], "nothing changes before Enter");
        assert_eq!(list.on_key(key(KeyCode::Enter)), ChecklistKey::Edited);
        assert_eq!(list.selected, ["sql", "iam.groups:read", "offline_access"]);
        assert_eq!(
            list.choices,
            ["all-apis", "sql", "offline_access", "iam.groups:read"],
            "a documented value typed in checks its own row, not a copy"
        );
        assert_eq!(
            list.cursor, 4,
            "the cursor stays on + other for the next one"
        );
        // Enter on + other opens an empty entry; Esc drops it unchanged.
        list.on_key(key(KeyCode::Enter));
        type_text(&mut list, "x");
        assert_eq!(list.on_key(key(KeyCode::Esc)), ChecklistKey::Moved);
        assert!(list.entry.is_none());
        assert_eq!(list.choices.len(), 4);
    }

    #[test]
    fn typing_on_a_documented_row_starts_free_entry_on_other() {
        let mut list = Checklist::new(DOCUMENTED, Vec::new());
        type_text(&mut list, "custom");
        list.on_key(key(KeyCode::Enter));
        assert!(list.is_checked("custom"));
        assert_eq!(list.cursor, list.choices.len(), "back on + other");
    }

    #[test]
    fn delete_removes_a_typed_value_and_unchecks_a_documented_one() {
        let mut list = Checklist::new(DOCUMENTED, vec!["sql".into(), "custom".into()]);
        list.cursor = 3;
        assert_eq!(list.on_key(key(KeyCode::Delete)), ChecklistKey::Edited);
        assert_eq!(list.choices, DOCUMENTED);
        assert_eq!(list.selected, ["sql"]);
        list.cursor = 1;
        list.on_key(KeyEvent::new(KeyCode::Char('d'), KeyModifiers::CONTROL));
        assert_eq!(list.choices, DOCUMENTED, "documented rows stay");
        assert!(list.selected.is_empty());
    }
}
