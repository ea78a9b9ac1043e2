//! The edit overlay: the form (messages beside each field), the review (field-by-field diff
//! and the exact request, secrets masked), progress, and the one-time secret reveal.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Clear, Paragraph, Wrap};

use crate::app::edit::plan::Confirm;
use crate::app::edit::{Editor, Stage};
use crate::edit::changes::ChangeKind;
use crate::ui::sanitize::sanitize;
use crate::ui::theme::Theme;

use super::edit_form::{form_hint, form_lines, scroll_to};

/// The overlay's area: most of the screen, leaving the header and footer visible.
fn area(frame: &Frame) -> Rect {
    let full = frame.area();
    let width = full.width.saturating_sub(4).clamp(20, 110);
    let height = full.height.saturating_sub(4).max(5);
    Rect {
        x: full.x + (full.width.saturating_sub(width)) / 2,
        y: full.y + 2.min(full.height.saturating_sub(height)),
        width,
        height,
    }
}

pub fn render(frame: &mut Frame, editor: &Editor, theme: &Theme) {
    let mut area = area(frame);
    let (title, lines, hint) = match &editor.stage {
        Stage::Form => match &editor.form {
            Some(form) => {
                let (lines, focused) = form_lines(form, theme);
                let skip = scroll_to(&lines, focused, area);
                (
                    form.title.clone(),
                    lines.into_iter().skip(skip).collect(),
                    form_hint(form),
                )
            }
            None => (editor.op.title(), Vec::new(), String::new()),
        },
        Stage::Preparing => (
            editor.op.title(),
            vec![Line::from(Span::styled(" Looking it up…", theme.muted))],
            "Esc goes back to the form".into(),
        ),
        Stage::Applying => (
            editor.op.title(),
            vec![Line::from(Span::styled(
                " Checking it did not change meanwhile, then applying…",
                theme.muted,
            ))],
            String::new(),
        ),
        Stage::Review {
            changed_on_server,
            typed,
            scroll,
        } => {
            let lines = review_lines(editor, *changed_on_server, typed, theme);
            let skip = (*scroll).min(lines.len().saturating_sub(1));
            let hint = match editor.plan.as_ref().map(|p| &p.confirm) {
                Some(Confirm::Enter) => "Enter applies   Esc goes back   ↑↓ scroll",
                Some(Confirm::Yes) => "y applies   Esc goes back   ↑↓ scroll",
                Some(Confirm::TypeName(_)) => "type the name, then Enter   Esc goes back",
                None => "",
            };
            (
                format!("Review: {}", editor.op.title()),
                lines.into_iter().skip(skip).collect(),
                hint.into(),
            )
        }
        Stage::Reveal {
            title,
            secret,
            confirming,
        } => (
            title.clone(),
            reveal_lines(secret.expose(), *confirming, theme),
            String::new(),
        ),
    };
    let block = Block::default()
        .borders(Borders::ALL)
        .border_style(theme.accent)
        .title(Span::styled(
            format!(" {} ", sanitize(&title)),
            theme.header,
        ))
        .title_bottom(Span::styled(format!(" {hint} "), theme.muted));
    let paragraph = Paragraph::new(lines)
        .block(block)
        .wrap(Wrap { trim: false });
    // As tall as its content wrapped exactly as it is drawn (a long request target moves to
    // a line of its own, then breaks), borders included; never taller than the screen.
    let needed = paragraph.line_count(area.width.saturating_sub(2));
    area.height = area
        .height
        .min(u16::try_from(needed.max(5)).unwrap_or(u16::MAX));
    frame.render_widget(Clear, area);
    frame.render_widget(paragraph, area);
}

fn review_lines<'a>(
    editor: &'a Editor,
    changed: bool,
    typed: &str,
    theme: &Theme,
) -> Vec<Line<'a>> {
    let Some(plan) = editor.plan.as_ref() else {
        return Vec::new();
    };
    let mut lines = Vec::new();
    // After a concurrent change the editor's error says this is the new diff.
    let banner = editor.error.clone().or_else(|| {
        changed
            .then(|| "It changed on the server since you opened it: this is the new diff.".into())
    });
    if let Some(error) = banner.as_ref() {
        lines.push(Line::from(Span::styled(
            format!(" {}", sanitize(error)),
            theme.error,
        )));
        lines.push(Line::default());
    }
    lines.push(Line::from(Span::styled(
        format!(" {}", sanitize(&plan.title)),
        theme.header,
    )));
    lines.push(Line::default());
    // Warnings do not block, so the review is where they must still be seen.
    if let Some(form) = &editor.form
        && !form.messages.warnings.is_empty()
    {
        lines.push(Line::from(Span::styled(" Warnings", theme.warn)));
        for warning in &form.messages.warnings {
            lines.push(Line::from(Span::styled(
                format!("   ! {}: {}", warning.field, sanitize(&warning.message)),
                theme.warn,
            )));
        }
        lines.push(Line::default());
    }
    lines.push(Line::from(Span::styled(" What changes", theme.accent)));
    let changes = plan.changes();
    if changes.is_empty() {
        lines.push(Line::from(Span::styled(
            if plan.method == "DELETE" {
                "   it is deleted, as the title says"
            } else {
                "   nothing: the request sets what is already there"
            },
            theme.muted,
        )));
    }
    for change in changes {
        let (sign, style) = match change.kind {
            ChangeKind::Added => ("+", theme.ok),
            ChangeKind::Removed => ("-", theme.error),
            ChangeKind::Changed => ("~", theme.warn),
        };
        let old = change.old.as_deref().map(|s| sanitize(s).into_owned());
        let new = change.new.as_deref().map(|s| sanitize(s).into_owned());
        let text = match (old, new) {
            (Some(old), Some(new)) => format!("{old} → {new}"),
            (Some(old), None) => old,
            (None, Some(new)) => new,
            (None, None) => String::new(),
        };
        lines.push(Line::from(vec![
            Span::styled(format!("   {sign} "), style),
            Span::styled(format!("{}: ", sanitize(&change.path)), theme.muted),
            Span::styled(text, style),
        ]));
    }
    lines.push(Line::default());
    lines.push(Line::from(Span::styled(" The request", theme.accent)));
    for line in plan.request_lines() {
        lines.push(Line::from(format!("   {}", sanitize(&line))));
    }
    lines.push(Line::default());
    match &plan.confirm {
        Confirm::Enter => {}
        Confirm::Yes => lines.push(Line::from(Span::styled(
            format!(" {}: press y to go ahead.", sanitize(&plan.title)),
            theme.warn,
        ))),
        Confirm::TypeName(name) => {
            lines.push(Line::from(Span::styled(
                format!(
                    " This cannot be undone. Type the name '{}' to confirm:",
                    sanitize(name)
                ),
                theme.warn,
            )));
            lines.push(Line::from(format!(" > {}▏", sanitize(typed))));
        }
    }
    lines
}

fn reveal_lines(secret: &str, confirming: bool, theme: &Theme) -> Vec<Line<'static>> {
    let mut lines = vec![
        Line::from(Span::styled(
            " This secret is shown once. Databricks cannot show it again, and neither can this console.",
            theme.warn,
        )),
        Line::default(),
        Line::from(vec![
            Span::raw("   "),
            Span::styled(secret.to_owned(), theme.header),
        ]),
        Line::default(),
        Line::from(Span::styled(
            " c copies it to the clipboard (OSC 52). Store it in your secret manager now.",
            theme.muted,
        )),
    ];
    lines.push(Line::default());
    lines.push(Line::from(Span::styled(
        if confirming {
            " Have you stored it? y: yes, it can go   n: show it a little longer"
        } else {
            " Enter when you have stored it"
        },
        theme.accent,
    )));
    lines
}
