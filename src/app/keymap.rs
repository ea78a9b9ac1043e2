//! `(context, key) -> action`: defaults from `assets/keymap.json`, overrides from the user's
//! `keymap.json` in the config directory. Help, footer hints and tests all read this table,
//! never a hand-written string.

use std::collections::BTreeMap;

use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

use super::msg::Action;

const DEFAULTS: &str = include_str!("../../assets/keymap.json");

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Context {
    Global,
    List,
    Detail,
}

impl Context {
    fn from_name(name: &str) -> Option<Context> {
        match name {
            "global" => Some(Context::Global),
            "list" => Some(Context::List),
            "detail" => Some(Context::Detail),
            _ => None,
        }
    }
}

/// A key as written in keymap files: `j`, `G`, `enter`, `ctrl+c`, `pagedown`.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct KeySpec {
    pub code: String,
    pub ctrl: bool,
}

impl KeySpec {
    pub fn parse(text: &str) -> Option<KeySpec> {
        let (ctrl, code) = match text.strip_prefix("ctrl+") {
            Some(rest) => (true, rest),
            None => (false, text),
        };
        let known = matches!(
            code,
            "enter"
                | "esc"
                | "up"
                | "down"
                | "left"
                | "right"
                | "pageup"
                | "pagedown"
                | "home"
                | "end"
                | "tab"
                | "backspace"
        );
        (known || code.chars().count() == 1).then(|| KeySpec {
            code: code.to_owned(),
            ctrl,
        })
    }

    pub fn from_event(event: &KeyEvent) -> Option<KeySpec> {
        let code = match event.code {
            KeyCode::Char(c) => c.to_string(),
            KeyCode::Enter => "enter".into(),
            KeyCode::Esc => "esc".into(),
            KeyCode::Up => "up".into(),
            KeyCode::Down => "down".into(),
            KeyCode::Left => "left".into(),
            KeyCode::Right => "right".into(),
            KeyCode::PageUp => "pageup".into(),
            KeyCode::PageDown => "pagedown".into(),
            KeyCode::Home => "home".into(),
            KeyCode::End => "end".into(),
            KeyCode::Tab => "tab".into(),
            KeyCode::Backspace => "backspace".into(),
            _ => return None,
        };
        Some(KeySpec {
            code,
            ctrl: event.modifiers.contains(KeyModifiers::CONTROL),
        })
    }

    /// How the key is shown in hints: `enter`, `/`, `ctrl+c`.
    pub fn label(&self) -> String {
        if self.ctrl {
            format!("ctrl+{}", self.code)
        } else {
            self.code.clone()
        }
    }
}

/// What an action does, for help and hints.
pub fn describe(action: Action) -> &'static str {
    match action {
        Action::Up => "up",
        Action::Down => "down",
        Action::PageUp => "page up",
        Action::PageDown => "page down",
        Action::Top => "first",
        Action::Bottom => "last",
        Action::Open => "open",
        Action::Back => "back",
        Action::Refresh => "refresh",
        Action::StartFilter => "filter",
        Action::StartCommand => "go to",
        Action::Help => "help",
        Action::CopyId => "copy id",
        Action::SortNext => "sort next column",
        Action::SortReverse => "reverse the sort",
        Action::RawJson => "raw JSON",
        Action::Tree => "principal tree",
        Action::CountMembers => "count members",
        Action::New => "new / add",
        Action::NewPolicy => "new fed. policy",
        Action::Edit => "edit",
        Action::Delete => "delete / remove",
        Action::ToggleAdmin => "account admin on/off",
        Action::ToggleActive => "active on/off",
        Action::Rotate => "rotate a secret",
        Action::EditRoles => "SP manager/user roles",
        Action::Quit => "quit",
    }
}

#[derive(Debug, Clone, Default)]
pub struct Keymap {
    bindings: BTreeMap<(Context, KeySpec), Action>,
}

type KeymapFile = BTreeMap<String, BTreeMap<String, Action>>;

impl Keymap {
    pub fn defaults() -> Keymap {
        let mut keymap = Keymap::default();
        // The embedded file is part of the build; a broken one fails the unit tests.
        let file: KeymapFile = serde_json::from_str(DEFAULTS).unwrap_or_default();
        keymap.merge(&file);
        keymap
    }

    /// Defaults plus the user's overrides (JSON of the same shape). Bad entries are skipped
    /// with a warning for the status line, never a crash.
    pub fn with_overrides(text: &str) -> (Keymap, Vec<String>) {
        let mut keymap = Keymap::defaults();
        let mut warnings = Vec::new();
        match serde_json::from_str::<BTreeMap<String, BTreeMap<String, serde_json::Value>>>(text) {
            Err(error) => warnings.push(format!("keymap file ignored: {error}")),
            Ok(file) => {
                for (context_name, keys) in file {
                    let Some(context) = Context::from_name(&context_name) else {
                        warnings.push(format!(
                            "keymap: unknown context '{context_name}' (use global, list or detail)"
                        ));
                        continue;
                    };
                    for (key, action) in keys {
                        match (
                            KeySpec::parse(&key),
                            serde_json::from_value::<Action>(action.clone()),
                        ) {
                            (Some(spec), Ok(action)) => {
                                keymap.bindings.insert((context, spec), action);
                            }
                            (None, _) => warnings
                                .push(format!("keymap: unknown key '{key}' in {context_name}")),
                            (_, Err(_)) => warnings.push(format!(
                                "keymap: unknown action {action} for '{key}' in {context_name}"
                            )),
                        }
                    }
                }
            }
        }
        (keymap, warnings)
    }

    fn merge(&mut self, file: &KeymapFile) {
        for (context_name, keys) in file {
            let Some(context) = Context::from_name(context_name) else {
                continue;
            };
            for (key, action) in keys {
                if let Some(spec) = KeySpec::parse(key) {
                    self.bindings.insert((context, spec), *action);
                }
            }
        }
    }

    /// The keymap of read-only mode: every mutating binding removed, so neither the footer,
    /// the help nor a key press can offer a change.
    pub fn without_mutations(mut self) -> Keymap {
        self.bindings.retain(|_, action| !action.is_mutation());
        self
    }

    /// The action of a key in `context`, falling back to the global bindings.
    pub fn action(&self, context: Context, event: &KeyEvent) -> Option<Action> {
        let spec = KeySpec::from_event(event)?;
        self.bindings
            .get(&(context, spec.clone()))
            .or_else(|| self.bindings.get(&(Context::Global, spec)))
            .copied()
    }

    /// Every binding visible in `context` (its own, then global ones not shadowed), grouped
    /// by action in a stable order: what the help overlay lists.
    pub fn bindings(&self, context: Context) -> Vec<(Action, Vec<KeySpec>)> {
        let mut by_action: BTreeMap<String, (Action, Vec<KeySpec>)> = BTreeMap::new();
        for ((bound_context, spec), action) in &self.bindings {
            let shadowed = *bound_context == Context::Global
                && self.bindings.contains_key(&(context, spec.clone()));
            if (*bound_context == context || *bound_context == Context::Global) && !shadowed {
                let entry = by_action
                    .entry(format!("{:02}", order(*action)))
                    .or_insert((*action, Vec::new()));
                entry.1.push(spec.clone());
            }
        }
        by_action
            .into_values()
            .map(|(action, mut keys)| {
                // Plain keys before ctrl chords, single characters before named keys.
                keys.sort_by_key(|k| (k.ctrl, k.code.chars().count() > 1, k.code.clone()));
                (action, keys)
            })
            .collect()
    }

    /// The short hint line for the footer: the first key of the most useful actions.
    pub fn hints(&self, context: Context) -> Vec<(String, &'static str)> {
        const FOOTER: [Action; 7] = [
            Action::Open,
            Action::StartFilter,
            Action::StartCommand,
            Action::Refresh,
            Action::Back,
            Action::Help,
            Action::Quit,
        ];
        let bindings = self.bindings(context);
        FOOTER
            .iter()
            .filter_map(|wanted| {
                let (_, keys) = bindings.iter().find(|(action, _)| action == wanted)?;
                Some((keys.first()?.label(), describe(*wanted)))
            })
            .collect()
    }
}

fn order(action: Action) -> u8 {
    match action {
        Action::Open => 0,
        Action::Back => 1,
        Action::StartFilter => 2,
        Action::StartCommand => 3,
        Action::Refresh => 4,
        Action::CopyId => 5,
        Action::Up => 6,
        Action::Down => 7,
        Action::PageUp => 8,
        Action::PageDown => 9,
        Action::Top => 10,
        Action::Bottom => 11,
        Action::RawJson => 12,
        Action::Tree => 13,
        Action::SortNext => 14,
        Action::SortReverse => 15,
        Action::CountMembers => 16,
        Action::New => 17,
        Action::NewPolicy => 18,
        Action::Edit => 19,
        Action::Delete => 20,
        Action::ToggleAdmin => 21,
        Action::ToggleActive => 22,
        Action::Rotate => 23,
        Action::EditRoles => 24,
        Action::Help => 25,
        Action::Quit => 26,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn key(code: KeyCode, modifiers: KeyModifiers) -> KeyEvent {
        KeyEvent::new(code, modifiers)
    }

    #[test]
    fn defaults_parse_and_resolve_with_global_fallback() {
        let keymap = Keymap::defaults();
        assert_eq!(
            keymap.action(Context::List, &key(KeyCode::Char('j'), KeyModifiers::NONE)),
            Some(Action::Down)
        );
        assert_eq!(
            keymap.action(
                Context::Detail,
                &key(KeyCode::Char('q'), KeyModifiers::NONE)
            ),
            Some(Action::Quit)
        );
        assert_eq!(
            keymap.action(
                Context::List,
                &key(KeyCode::Char('c'), KeyModifiers::CONTROL)
            ),
            Some(Action::Quit)
        );
        assert_eq!(
            keymap.action(Context::List, &key(KeyCode::Char('z'), KeyModifiers::NONE)),
            None
        );
    }

    #[test]
    fn overrides_apply_and_bad_entries_only_warn() {
        let (keymap, warnings) = Keymap::with_overrides(
            r#"{"list": {"x": "quit", "ctrl+zz": "up", "y": "explode"}, "nowhere": {"a": "up"}}"#,
        );
        assert_eq!(
            keymap.action(Context::List, &key(KeyCode::Char('x'), KeyModifiers::NONE)),
            Some(Action::Quit)
        );
        assert_eq!(warnings.len(), 3, "{warnings:?}");
        let (_, broken) = Keymap::with_overrides("not json");
        assert_eq!(broken.len(), 1);
    }

    #[test]
    fn hints_come_from_the_table() {
        let hints = Keymap::defaults().hints(Context::List);
        assert!(hints.contains(&("enter".to_string(), "open")));
        assert!(hints.contains(&("/".to_string(), "filter")));
        assert!(
            hints.contains(&("q".to_string(), "quit")),
            "plain keys are preferred: {hints:?}"
        );
    }
}
