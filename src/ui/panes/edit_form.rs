//! A form inside the edit overlay: each field with its messages beside it, the focused one's
//! help under it, the keys of the focused field in the hint line, and the scroll that keeps
//! the focused field in view.

use std::ops::Range;

use ratatui::layout::Rect;
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Paragraph, Wrap};
use tui_input::Input;

use crate::app::edit::checklist::Checklist;
use crate::app::edit::form::{Field, Form, Value as FieldValue};
use crate::ui::sanitize::{sanitize, truncate_to_width};
use crate::ui::theme::Theme;

/// Where values start: the label column (with its focus marker) is this wide.
const VALUE_COLUMN: usize = 30;

/// Columns of a long text shown while its field is not focused.
const SUMMARY_WIDTH: usize = 60;

/// The keys of the focused field, for the overlay's bottom line.
pub fn form_hint(form: &Form) -> String {
    let discard = if form.confirm_discard {
        "Esc again discards what you typed   "
    } else {
        ""
    };
    let Some(field) = form.fields.get(form.focus) else {
        return String::new();
    };
    let keys = match &field.value {
        FieldValue::List { .. } => {
            "↑↓ items   Enter edit/add   Delete remove   Tab next   ctrl+s review".to_owned()
        }
        FieldValue::Checklist(list) if list.entry.is_some() => {
            "Enter adds (spaces or commas separate several)   Esc cancels".to_owned()
        }
        FieldValue::Checklist(_) => {
            "↑↓ move   Space toggles   type to add another   Delete removes   Tab next   ctrl+s review"
                .to_owned()
        }
        _ => {
            let template = if form
                .get(crate::edit::validate::federation::ISSUER)
                .is_some()
            {
                "   ctrl+t issuer template"
            } else {
                ""
            };
            // First, so a narrow terminal still shows the key this field adds.
            let start = if field.editor_file.is_some() {
                "ctrl+e $EDITOR"
            } else {
                "Tab/Shift-Tab move   Space toggles"
            };
            format!("{start}   ctrl+s review   Esc cancel{template}")
        }
    };
    format!("{discard}{keys}")
}

/// How many lines to leave out at the top so the focused field's lines (`focused`) end
/// inside `area`: forms can be taller than a small terminal.
pub fn scroll_to(lines: &[Line], focused: Range<usize>, area: Rect) -> usize {
    let rows = usize::from(area.height.saturating_sub(2)).max(1);
    let width = area.width.saturating_sub(2);
    let height = |from: usize| {
        Paragraph::new(lines[from..focused.end].to_vec())
            .wrap(Wrap { trim: false })
            .line_count(width)
    };
    let mut skip = 0;
    while skip < focused.start && height(skip) > rows {
        skip += 1;
    }
    skip
}

/// The form's lines, and which of them belong to the focused field.
pub fn form_lines<'a>(form: &'a Form, theme: &Theme) -> (Vec<Line<'a>>, Range<usize>) {
    let mut lines = Vec::new();
    let mut focused_lines = 0..0;
    if let Some(error) = form.server_error.as_ref() {
        lines.push(Line::from(Span::styled(
            format!(" The server refused it: {}", sanitize(error)),
            theme.error,
        )));
        lines.push(Line::default());
    }
    for (index, field) in form.fields.iter().enumerate() {
        let focused = index == form.focus;
        let start = lines.len();
        field_lines(field, focused, theme, &mut lines);
        for error in form.messages.errors_for(field.key) {
            lines.push(Line::from(Span::styled(
                format!("{:<VALUE_COLUMN$}✗ {}", "", sanitize(error)),
                theme.error,
            )));
        }
        for warning in form.messages.warnings_for(field.key) {
            lines.push(Line::from(Span::styled(
                format!("{:<VALUE_COLUMN$}! {}", "", sanitize(warning)),
                theme.warn,
            )));
        }
        if focused && !field.help.is_empty() {
            lines.push(Line::from(Span::styled(
                format!("{:<VALUE_COLUMN$}{}", "", field.help),
                theme.muted,
            )));
        }
        if focused {
            focused_lines = start..lines.len();
        }
    }
    (lines, focused_lines)
}

/// The field's own lines: its label and value, and the rows of a list or checklist.
fn field_lines<'a>(field: &'a Field, focused: bool, theme: &Theme, lines: &mut Vec<Line<'a>>) {
    let marker = if focused { "›" } else { " " };
    let label = Span::styled(
        format!("{marker} {:<26}", field.label),
        if focused { theme.accent } else { theme.muted },
    );
    match &field.value {
        FieldValue::Text(input) if focused => {
            lines.push(Line::from(vec![label, Span::raw(with_cursor(input))]));
        }
        FieldValue::Text(input) if field.editor_file.is_some() => {
            lines.push(Line::from(vec![label, Span::raw(summary(input.value()))]));
        }
        FieldValue::Text(input) => {
            lines.push(Line::from(vec![
                label,
                Span::raw(sanitize(input.value()).into_owned()),
            ]));
        }
        FieldValue::Toggle(on) => lines.push(Line::from(vec![
            label,
            Span::raw(if *on { "[x] yes" } else { "[ ] no" }),
        ])),
        FieldValue::Choice { options, index } => {
            let mut spans = vec![label];
            for (position, option) in options.iter().enumerate() {
                let chosen = position == *index;
                spans.push(Span::styled(
                    if chosen {
                        format!("({option}) ")
                    } else {
                        format!(" {option}  ")
                    },
                    if chosen { theme.accent } else { theme.muted },
                ));
            }
            lines.push(Line::from(spans));
        }
        FieldValue::List {
            items,
            cursor,
            editing,
        } => {
            lines.push(Line::from(vec![
                label,
                Span::styled(format!("{} item(s)", items.len()), theme.muted),
            ]));
            for (position, item) in items
                .iter()
                .chain(std::iter::once(&String::new()))
                .enumerate()
            {
                let here = focused && position == *cursor;
                let text = match (here, editing) {
                    (true, Some(input)) => format!("{}▏", sanitize(input.value())),
                    _ if position == items.len() => "+ add".to_owned(),
                    _ => sanitize(item).into_owned(),
                };
                lines.push(row(here, text, theme));
            }
        }
        FieldValue::Checklist(list) => {
            let chosen = if list.selected.is_empty() {
                "none".to_owned()
            } else {
                sanitize(&list.selected.join(", ")).into_owned()
            };
            lines.push(Line::from(vec![label, Span::raw(chosen)]));
            if focused {
                checklist_rows(list, theme, lines);
            }
        }
    }
}

/// A focused checklist: one row per choice, then the "+ other" row.
fn checklist_rows(list: &Checklist, theme: &Theme, lines: &mut Vec<Line<'_>>) {
    for (position, choice) in list.choices.iter().enumerate() {
        let here = position == list.cursor;
        let mark = if list.is_checked(choice) {
            "[x]"
        } else {
            "[ ]"
        };
        let mut line = row(here, format!("{mark} {}", sanitize(choice)), theme);
        if !list.is_documented(position) {
            line.spans.push(Span::styled("  undocumented", theme.warn));
        } else if choice == "offline_access" {
            line.spans
                .push(Span::styled("  for refresh tokens", theme.muted));
        }
        lines.push(line);
    }
    let text = match &list.entry {
        Some(input) => format!("+ other: {}▏", sanitize(input.value())),
        None => "+ other".to_owned(),
    };
    lines.push(row(list.cursor >= list.choices.len(), text, theme));
}

/// One row of a list or checklist, marked and highlighted under the cursor.
fn row(here: bool, text: String, theme: &Theme) -> Line<'static> {
    Line::from(vec![
        Span::raw(format!(
            "{:<VALUE_COLUMN$}{}",
            "",
            if here { "› " } else { "  " }
        )),
        Span::styled(text, if here { theme.accent } else { Style::default() }),
    ])
}

/// A text value with the cursor (▏) where typing goes.
fn with_cursor(input: &Input) -> String {
    let text = sanitize(input.value());
    let cursor = input.visual_cursor().min(text.chars().count());
    let before: String = text.chars().take(cursor).collect();
    let after: String = text.chars().skip(cursor).collect();
    format!("{before}▏{after}")
}

/// Long text out of focus: its start on one line (runs of spaces and line breaks as one
/// space), and how many lines it has.
fn summary(text: &str) -> String {
    let flat = text.split_whitespace().collect::<Vec<_>>().join(" ");
    let flat = sanitize(&flat);
    let short = truncate_to_width(&flat, SUMMARY_WIDTH);
    match text.lines().count() {
        0 | 1 => short.into_owned(),
        count => format!("{short}  ({count} lines)"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_long_text_out_of_focus_is_one_line_with_its_line_count() {
        let jwks = "{\n  \"keys\": [\n    {\"kty\": \"RSA\", \"kid\": \"ci-2025\", \"n\": \"0vx7agoebGcQSuuPiLJXZptN9nndrQmbXEps2aiAFbWhM78LhWx4cbbfAAtVT86zwu1RK7aPFFxuhDR1L6tSoc_BJECPebWKRXjBZCiFV4n3oknjhMstn64tZ_2W-5JsGY4Hc5n9yBXArwl93lqt7_RN5w6Cf0h4QyQ5v-65YGjQR0_FDW2QvzqY368QQMicAtaSqzs8KJZgnYb9c7d0zgdAZHzu6qMQvRL5hajrn1n91CbOpbISD08qNLyrdkt-bFTWhAI4vMQFh6WeZu0fM4lFd2NcRwr3XPksINHaQ-G_xBniIqbw0Ls1jF44-csFCur-kEgU8awapJzKnqDKgw\", \"e\": \"AQAB\"}\n  ]\n}\n";
        let shown = summary(jwks);
        assert!(
            shown.starts_with("{ \"keys\": [ {\"kty\": \"RSA\""),
            "{shown}"
        );
        assert!(shown.ends_with("…  (5 lines)"), "{shown}");
        assert_eq!(summary("short"), "short");
    }
}
