//! Drawing: a pure read of the state. Header, breadcrumbs, the current pane, the status or
//! input line, footer hints from the keymap, and the help overlay on top.

pub mod panes;
pub mod sanitize;
pub mod theme;

use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Clear, Paragraph};

use crate::app::keymap::{Context, Keymap, describe};
use crate::app::state::{AppState, Mode, Route, StatusKind};
use crate::app::update::complete;
use sanitize::sanitize;
use theme::Theme;

const SPINNER: [&str; 10] = ["⠋", "⠙", "⠹", "⠸", "⠼", "⠴", "⠦", "⠧", "⠇", "⠏"];

pub fn spinner(state: &AppState) -> &'static str {
    SPINNER[state.spinner % SPINNER.len()]
}

pub fn render(frame: &mut Frame, state: &AppState, keymap: &Keymap, theme: &Theme) {
    let status_lines = status_height(state, frame.area().width);
    let [header, crumbs, main, status, footer] = Layout::vertical([
        Constraint::Length(1),
        Constraint::Length(1),
        Constraint::Min(3),
        Constraint::Length(status_lines),
        Constraint::Length(1),
    ])
    .areas(frame.area());
    render_header(frame, header, state, theme);
    render_breadcrumbs(frame, crumbs, state, theme);
    match state.route() {
        Route::List(resource) => panes::list::render(frame, main, state, *resource, theme),
        Route::Detail { .. } => panes::detail::render(frame, main, state, theme),
    }
    render_status(frame, status, state, theme);
    render_footer(frame, footer, state, keymap, theme);
    if state.mode == Mode::Help {
        render_help(frame, state, keymap, theme);
    }
}

fn context(state: &AppState) -> Context {
    match state.route() {
        Route::List(_) => Context::List,
        Route::Detail { .. } => Context::Detail,
    }
}

fn render_header(frame: &mut Frame, area: Rect, state: &AppState, theme: &Theme) {
    let session = &state.session;
    let mut spans = vec![Span::styled(" dbx-console ", theme.header)];
    if let Some(profile) = &session.profile {
        spans.push(Span::styled(
            format!(" {} ", sanitize(profile)),
            theme.accent,
        ));
    }
    spans.push(Span::styled(" account ", theme.muted));
    spans.push(Span::raw(sanitize(&session.account_id).into_owned()));
    if let Some(user) = &session.user {
        spans.push(Span::styled("  as ", theme.muted));
        spans.push(Span::raw(sanitize(user).into_owned()));
    }
    spans.push(Span::styled("  ", theme.muted));
    spans.push(Span::styled(
        sanitize(&session.host).into_owned(),
        theme.muted,
    ));
    frame.render_widget(Paragraph::new(Line::from(spans)), area);
}

fn render_breadcrumbs(frame: &mut Frame, area: Rect, state: &AppState, theme: &Theme) {
    let mut spans = vec![Span::raw(" ")];
    for (index, route) in state.routes.iter().enumerate() {
        if index > 0 {
            spans.push(Span::styled(" › ", theme.muted));
        }
        let label = match route {
            Route::List(resource) => resource.title().to_owned(),
            Route::Detail { title, .. } => sanitize(title).into_owned(),
        };
        let style = if index + 1 == state.routes.len() {
            theme.accent
        } else {
            theme.muted
        };
        spans.push(Span::styled(label, style));
    }
    frame.render_widget(Paragraph::new(Line::from(spans)), area);
}

/// A message that does not fit one line gets up to three, so the reason and what to do
/// stay readable at 80 columns.
fn status_height(state: &AppState, width: u16) -> u16 {
    match (&state.mode, &state.status) {
        (Mode::Normal | Mode::Help, Some(status)) => {
            let needed = sanitize::display_width(&status.text) + 1;
            let width = usize::from(width.max(1));
            u16::try_from(needed.div_ceil(width).clamp(1, 3)).unwrap_or(1)
        }
        _ => 1,
    }
}

fn render_status(frame: &mut Frame, area: Rect, state: &AppState, theme: &Theme) {
    let line = match &state.mode {
        Mode::Filter => {
            let filter = match state.route() {
                Route::List(resource) => state
                    .list(*resource)
                    .map(|l| l.filter.clone())
                    .unwrap_or_default(),
                Route::Detail { .. } => String::new(),
            };
            Line::from(vec![
                Span::styled(" /", theme.accent),
                Span::raw(sanitize(&filter).into_owned()),
                Span::styled("▏", theme.accent),
            ])
        }
        Mode::Command(text) => {
            // The suggestion is spelled out, not only coloured, so it reads without colour
            // and is never mistaken for typed text.
            let suggestion = complete(text)
                .filter(|c| *c != text.trim())
                .map(|c| format!("  → {c} (Tab)"))
                .unwrap_or_default();
            Line::from(vec![
                Span::styled(" :", theme.accent),
                Span::raw(sanitize(text).into_owned()),
                Span::styled("▏", theme.accent),
                Span::styled(suggestion, theme.accent),
                Span::styled("  Enter goes, Esc cancels", theme.muted),
            ])
        }
        _ => match &state.status {
            Some(status) => {
                let style = if status.kind == StatusKind::Error {
                    theme.error
                } else {
                    theme.ok
                };
                Line::from(Span::styled(format!(" {}", sanitize(&status.text)), style))
            }
            None => Line::default(),
        },
    };
    frame.render_widget(
        Paragraph::new(line).wrap(ratatui::widgets::Wrap { trim: false }),
        area,
    );
}

fn render_footer(frame: &mut Frame, area: Rect, state: &AppState, keymap: &Keymap, theme: &Theme) {
    let mut spans = vec![Span::raw(" ")];
    // Esc goes nowhere on a top-level list without a filter: do not offer it.
    let can_go_back = state.routes.len() > 1
        || match state.route() {
            Route::List(resource) => state.list(*resource).is_some_and(|l| !l.filter.is_empty()),
            Route::Detail { .. } => true,
        };
    for (key, what) in keymap.hints(context(state)) {
        if what == describe(crate::app::msg::Action::Back) && !can_go_back {
            continue;
        }
        spans.push(Span::styled(key, theme.accent));
        spans.push(Span::styled(format!(" {what}  "), theme.muted));
    }
    frame.render_widget(Paragraph::new(Line::from(spans)), area);
}

fn render_help(frame: &mut Frame, state: &AppState, keymap: &Keymap, theme: &Theme) {
    let bindings = keymap.bindings(context(state));
    let lines: Vec<Line> = bindings
        .iter()
        .map(|(action, keys)| {
            let keys: Vec<String> = keys.iter().map(|k| k.label()).collect();
            Line::from(vec![
                Span::styled(format!(" {:<22}", keys.join(", ")), theme.accent),
                Span::raw(describe(*action)),
            ])
        })
        .chain([
            Line::default(),
            Line::from(Span::styled(" any key closes this help", theme.muted)),
        ])
        .collect();
    let area = frame.area();
    let height = u16::try_from(lines.len() + 2)
        .unwrap_or(u16::MAX)
        .min(area.height);
    let width = 48.min(area.width);
    let popup = Rect {
        x: area.x + (area.width - width) / 2,
        y: area.y + (area.height - height) / 2,
        width,
        height,
    };
    frame.render_widget(Clear, popup);
    let block = Block::default()
        .borders(Borders::ALL)
        .border_style(theme.border)
        .title(" Keys ");
    frame.render_widget(Paragraph::new(lines).block(block), popup);
}
