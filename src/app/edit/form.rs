//! A form: labelled fields (text on `tui-input`, toggles, choices, lists of values,
//! checklists) with Tab/Shift-Tab focus and messages beside each field. Pure state: keys in,
//! state out, so a refused submit keeps every character typed.

use crossterm::event::{Event, KeyCode, KeyEvent, KeyModifiers};
use tui_input::Input;
use tui_input::backend::crossterm::EventHandler;

use super::checklist::{Checklist, ChecklistKey};
use crate::edit::validate::Validation;

#[derive(Debug, Clone)]
pub enum Value {
    Text(Input),
    Toggle(bool),
    Choice {
        options: Vec<String>,
        index: usize,
    },
    /// A list editor: items, the item under the cursor (`items.len()` is the "add" row), and
    /// the text of the item being edited, if one is.
    List {
        items: Vec<String>,
        cursor: usize,
        editing: Option<Input>,
    },
    /// Several of a known set, plus others typed in (scopes).
    Checklist(Checklist),
}

#[derive(Debug, Clone)]
pub struct Field {
    /// Stable name used by validation and plans (`redirect_urls`).
    pub key: &'static str,
    pub label: &'static str,
    pub value: Value,
    /// Shown under the field while it has focus.
    pub help: &'static str,
    /// `Some(extension)`: long text that ctrl+e opens in `$VISUAL`/`$EDITOR`, in a temporary
    /// `.extension` file.
    pub editor_file: Option<&'static str>,
}

impl PartialEq for Field {
    fn eq(&self, other: &Self) -> bool {
        self.key == other.key && self.current() == other.current()
    }
}

impl Field {
    pub fn text(key: &'static str, label: &'static str, value: &str, help: &'static str) -> Self {
        Field {
            key,
            label,
            value: Value::Text(Input::new(value.to_owned())),
            help,
            editor_file: None,
        }
    }

    pub fn toggle(key: &'static str, label: &'static str, on: bool, help: &'static str) -> Self {
        Field {
            key,
            label,
            value: Value::Toggle(on),
            help,
            editor_file: None,
        }
    }

    pub fn choice(
        key: &'static str,
        label: &'static str,
        options: &[&str],
        selected: &str,
        help: &'static str,
    ) -> Self {
        let options: Vec<String> = options.iter().map(|o| (*o).to_owned()).collect();
        let index = options.iter().position(|o| o == selected).unwrap_or(0);
        Field {
            key,
            label,
            value: Value::Choice { options, index },
            help,
            editor_file: None,
        }
    }

    pub fn list(
        key: &'static str,
        label: &'static str,
        items: Vec<String>,
        help: &'static str,
    ) -> Self {
        Field {
            key,
            label,
            value: Value::List {
                items,
                cursor: 0,
                editing: None,
            },
            help,
            editor_file: None,
        }
    }

    /// The `documented` values as a checklist with `selected` checked, plus free entry.
    pub fn checklist(
        key: &'static str,
        label: &'static str,
        documented: &[&str],
        selected: Vec<String>,
        help: &'static str,
    ) -> Self {
        Field {
            key,
            label,
            value: Value::Checklist(Checklist::new(documented, selected)),
            help,
            editor_file: None,
        }
    }

    /// Long text: ctrl+e opens it in the admin's editor as a `.extension` file.
    pub fn in_editor(mut self, extension: &'static str) -> Self {
        self.editor_file = Some(extension);
        self
    }

    /// The field's value as text (lists joined with newlines), for validation and diffs.
    pub fn text_value(&self) -> String {
        self.current()
    }

    fn current(&self) -> String {
        match &self.value {
            Value::Text(input) => input.value().to_owned(),
            Value::Toggle(on) => on.to_string(),
            Value::Choice { options, index } => options.get(*index).cloned().unwrap_or_default(),
            Value::List { items, .. } => items.join("\n"),
            Value::Checklist(list) => list.selected.join("\n"),
        }
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct Form {
    pub title: String,
    pub fields: Vec<Field>,
    pub focus: usize,
    /// What validation said, shown beside each field.
    pub messages: Validation,
    /// What the server said when it refused the last attempt (the form stays filled).
    pub server_error: Option<String>,
    /// Esc on a changed form asks once before throwing the typing away.
    pub confirm_discard: bool,
    initial: Vec<String>,
}

/// What a key did to the form.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FormEvent {
    Edited,
    Submit,
    Cancel,
    Nothing,
}

impl Form {
    pub fn new(title: impl Into<String>, fields: Vec<Field>) -> Self {
        let initial = fields.iter().map(Field::text_value).collect();
        Form {
            title: title.into(),
            fields,
            focus: 0,
            messages: Validation::default(),
            server_error: None,
            confirm_discard: false,
            initial,
        }
    }

    pub fn is_changed(&self) -> bool {
        self.fields
            .iter()
            .map(Field::text_value)
            .ne(self.initial.iter().cloned())
    }

    pub fn get(&self, key: &str) -> Option<&Field> {
        self.fields.iter().find(|f| f.key == key)
    }

    pub fn text(&self, key: &str) -> String {
        self.get(key).map(Field::text_value).unwrap_or_default()
    }

    pub fn toggle(&self, key: &str) -> bool {
        matches!(self.get(key).map(|f| &f.value), Some(Value::Toggle(true)))
    }

    /// The items of a list, or what a checklist has checked.
    pub fn items(&self, key: &str) -> Vec<String> {
        match self.get(key).map(|f| &f.value) {
            Some(Value::List { items, .. }) => items.clone(),
            Some(Value::Checklist(list)) => list.selected.clone(),
            _ => Vec::new(),
        }
    }

    /// Replaces a text field's value (templates fill fields this way).
    pub fn set_text(&mut self, key: &str, text: &str) {
        if let Some(Field {
            value: Value::Text(input),
            ..
        }) = self.fields.iter_mut().find(|f| f.key == key)
        {
            *input = Input::new(text.to_owned());
        }
    }

    pub fn set_items(&mut self, key: &str, new_items: Vec<String>) {
        if let Some(Field {
            value: Value::List { items, cursor, .. },
            ..
        }) = self.fields.iter_mut().find(|f| f.key == key)
        {
            *items = new_items;
            *cursor = 0;
        }
    }

    /// Is a list item or a checklist's other value being typed (Enter and Esc then belong
    /// to it)?
    fn editing_item(&self) -> bool {
        match self.fields.get(self.focus).map(|f| &f.value) {
            Some(Value::List { editing, .. }) => editing.is_some(),
            Some(Value::Checklist(list)) => list.entry.is_some(),
            _ => false,
        }
    }

    pub fn on_key(&mut self, key: KeyEvent) -> FormEvent {
        let ctrl = key.modifiers.contains(KeyModifiers::CONTROL);
        if self.editing_item() {
            if let Some(Field {
                value: Value::Checklist(list),
                ..
            }) = self.fields.get_mut(self.focus)
            {
                return match list.on_key(key) {
                    ChecklistKey::Edited => FormEvent::Edited,
                    _ => FormEvent::Nothing,
                };
            }
            return self.on_list_edit_key(key);
        }
        match key.code {
            KeyCode::Esc if self.is_changed() && !self.confirm_discard => {
                self.confirm_discard = true;
                return FormEvent::Nothing;
            }
            KeyCode::Esc => return FormEvent::Cancel,
            KeyCode::Char('s') if ctrl => return FormEvent::Submit,
            KeyCode::Tab => self.focus = (self.focus + 1) % self.fields.len().max(1),
            KeyCode::BackTab => {
                self.focus = (self.focus + self.fields.len().max(1) - 1) % self.fields.len().max(1)
            }
            _ => {}
        }
        self.confirm_discard = false;
        if matches!(key.code, KeyCode::Tab | KeyCode::BackTab) {
            return FormEvent::Nothing;
        }
        let last = self.focus + 1 == self.fields.len();
        let Some(field) = self.fields.get_mut(self.focus) else {
            return FormEvent::Nothing;
        };
        match &mut field.value {
            Value::Text(input) => match key.code {
                KeyCode::Enter if last => return FormEvent::Submit,
                KeyCode::Enter | KeyCode::Down => self.focus += 1,
                KeyCode::Up => self.focus = self.focus.saturating_sub(1),
                _ => {
                    input.handle_event(&Event::Key(key));
                    return FormEvent::Edited;
                }
            },
            Value::Toggle(on) => match key.code {
                KeyCode::Char(' ') | KeyCode::Left | KeyCode::Right => {
                    *on = !*on;
                    return FormEvent::Edited;
                }
                KeyCode::Enter if last => return FormEvent::Submit,
                KeyCode::Enter | KeyCode::Down => self.focus += 1,
                KeyCode::Up => self.focus = self.focus.saturating_sub(1),
                _ => {}
            },
            Value::Choice { options, index } => match key.code {
                KeyCode::Left => {
                    *index = (*index + options.len().max(1) - 1) % options.len().max(1);
                    return FormEvent::Edited;
                }
                KeyCode::Right | KeyCode::Char(' ') => {
                    *index = (*index + 1) % options.len().max(1);
                    return FormEvent::Edited;
                }
                KeyCode::Enter if last => return FormEvent::Submit,
                KeyCode::Enter | KeyCode::Down => self.focus += 1,
                KeyCode::Up => self.focus = self.focus.saturating_sub(1),
                _ => {}
            },
            Value::List {
                items,
                cursor,
                editing,
            } => match key.code {
                KeyCode::Up if *cursor > 0 => *cursor -= 1,
                KeyCode::Up => self.focus = self.focus.saturating_sub(1),
                KeyCode::Down if *cursor < items.len() => *cursor += 1,
                KeyCode::Down => self.focus = (self.focus + 1).min(self.fields.len() - 1),
                // Enter edits the item under the cursor, or adds one on the "add" row.
                KeyCode::Enter => {
                    let text = items.get(*cursor).cloned().unwrap_or_default();
                    *editing = Some(Input::new(text));
                }
                KeyCode::Delete | KeyCode::Backspace if *cursor < items.len() => {
                    items.remove(*cursor);
                    return FormEvent::Edited;
                }
                KeyCode::Char('d') if ctrl && *cursor < items.len() => {
                    items.remove(*cursor);
                    return FormEvent::Edited;
                }
                _ => {}
            },
            Value::Checklist(list) => match list.on_key(key) {
                ChecklistKey::Edited => return FormEvent::Edited,
                ChecklistKey::LeaveUp => self.focus = self.focus.saturating_sub(1),
                ChecklistKey::LeaveDown => self.focus += 1,
                ChecklistKey::Moved | ChecklistKey::Ignored => {}
            },
        }
        self.focus = self.focus.min(self.fields.len().saturating_sub(1));
        FormEvent::Nothing
    }

    fn on_list_edit_key(&mut self, key: KeyEvent) -> FormEvent {
        let Some(Field {
            value:
                Value::List {
                    items,
                    cursor,
                    editing,
                },
            ..
        }) = self.fields.get_mut(self.focus)
        else {
            return FormEvent::Nothing;
        };
        let Some(input) = editing.as_mut() else {
            return FormEvent::Nothing;
        };
        match key.code {
            KeyCode::Esc => *editing = None,
            KeyCode::Enter => {
                let text = input.value().trim().to_owned();
                *editing = None;
                match (text.is_empty(), *cursor < items.len()) {
                    (true, true) => {
                        items.remove(*cursor);
                    }
                    (true, false) => {}
                    (false, true) => items[*cursor] = text,
                    (false, false) => {
                        items.push(text);
                        *cursor = items.len();
                    }
                }
                return FormEvent::Edited;
            }
            _ => {
                input.handle_event(&Event::Key(key));
            }
        }
        FormEvent::Edited
    }
}

#[cfg(test)]
#[path = "form_tests.rs"]
mod tests;
