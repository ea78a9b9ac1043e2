//! Colours from `assets/theme.json`; with `NO_COLOR` set (https://no-color.org) everything is
//! plain and the selection is shown by reversed video instead.

use std::collections::HashMap;
use std::str::FromStr;

use ratatui::style::{Color, Modifier, Style};

const DEFAULTS: &str = include_str!("../../assets/theme.json");

#[derive(Debug, Clone, PartialEq)]
pub struct Theme {
    pub header: Style,
    pub accent: Style,
    pub muted: Style,
    pub selected: Style,
    pub error: Style,
    pub ok: Style,
    pub warn: Style,
    pub border: Style,
}

impl Theme {
    pub fn from_env() -> Theme {
        if std::env::var_os("NO_COLOR").is_some_and(|v| !v.is_empty()) {
            Theme::plain()
        } else {
            Theme::colored()
        }
    }

    pub fn plain() -> Theme {
        let none = Style::default();
        Theme {
            header: none.add_modifier(Modifier::BOLD),
            accent: none.add_modifier(Modifier::BOLD),
            muted: none,
            selected: none.add_modifier(Modifier::REVERSED),
            error: none.add_modifier(Modifier::BOLD),
            ok: none,
            // Without colour a warning still stands out.
            warn: none.add_modifier(Modifier::UNDERLINED),
            border: none,
        }
    }

    pub fn colored() -> Theme {
        let colors: HashMap<String, String> = serde_json::from_str(DEFAULTS).unwrap_or_default();
        let color = |name: &str, fallback: Color| {
            colors
                .get(name)
                .and_then(|c| Color::from_str(c).ok())
                .unwrap_or(fallback)
        };
        Theme {
            header: Style::default()
                .fg(color("header", Color::Cyan))
                .add_modifier(Modifier::BOLD),
            accent: Style::default().fg(color("accent", Color::Yellow)),
            muted: Style::default().fg(color("muted", Color::DarkGray)),
            selected: Style::default()
                .fg(color("selected_fg", Color::Black))
                .bg(color("selected_bg", Color::Cyan)),
            error: Style::default()
                .fg(color("error", Color::Red))
                .add_modifier(Modifier::BOLD),
            ok: Style::default().fg(color("ok", Color::Green)),
            warn: Style::default().fg(color("warn", Color::Magenta)),
            border: Style::default().fg(color("border", Color::Gray)),
        }
    }
}

impl Theme {
    /// The style of a detail line's tone.
    pub fn tone(&self, tone: crate::app::view::Tone) -> Style {
        use crate::app::view::Tone;
        match tone {
            Tone::Normal => Style::default(),
            Tone::Muted => self.muted,
            Tone::Heading => self.header,
            Tone::Accent => self.accent,
            Tone::Good => self.ok,
            Tone::Warn => self.warn,
            Tone::Bad => self.error,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_embedded_theme_parses_every_colour() {
        let colors: HashMap<String, String> = serde_json::from_str(DEFAULTS).unwrap();
        for (name, value) in colors {
            assert!(Color::from_str(&value).is_ok(), "{name}: {value}");
        }
        assert_ne!(Theme::colored(), Theme::plain());
    }
}
