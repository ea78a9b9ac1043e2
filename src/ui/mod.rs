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
    if let Some(editor) = &state.editor {
        panes::edit::render(frame, editor, theme);
    }
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

/// `token 42m`, `token 3h05m`, `token expired`: minutes are enough for a header.
pub fn token_countdown(state: &AppState) -> Option<String> {
    let expires = state.session.token_expires_at?;
    let minutes = (expires - state.now).num_minutes();
    Some(match minutes {
        m if m < 0 => "token expired".into(),
        m if m < 60 => format!("token {m}m"),
        m => format!("token {}h{:02}m", m / 60, m % 60),
    })
}

/// The header keeps what matters most when the terminal is narrow: the badges and the
/// account id stay; the host, then the user, then the profile give way.
fn render_header(frame: &mut Frame, area: Rect, state: &AppState, theme: &Theme) {
    let session = &state.session;
    let mut right: Vec<Span> = Vec::new();
    if let Some(snapshot) = &session.snapshot {
        // A snapshot is read-only by nature: one badge says both.
        right.push(Span::styled(" SNAPSHOT ", theme.error));
        if let Some(taken) = snapshot.taken_at {
            // The account id must fit beside it: a narrow header keeps only the day.
            let format = if area.width >= 100 {
                "%Y-%m-%d %H:%M UTC"
            } else {
                "%Y-%m-%d"
            };
            right.push(Span::styled(
                format!(" taken {} ", taken.format(format)),
                theme.muted,
            ));
        }
    } else if session.read_only {
        right.push(Span::styled(" READ-ONLY ", theme.error));
        right.push(Span::raw(" "));
    }
    if let Some(countdown) = token_countdown(state) {
        let expiring = session
            .token_expires_at
            .is_some_and(|t| (t - state.now).num_minutes() < 5);
        right.push(Span::styled(
            format!("{countdown} "),
            if expiring { theme.error } else { theme.muted },
        ));
    }
    // (priority, spans): lower priority is dropped first.
    let mut pieces: Vec<(u8, Vec<Span>)> =
        vec![(4, vec![Span::styled(" dbx-console ", theme.header)])];
    // A snapshot's file name stands where a live account's profile would.
    let label = (session.snapshot.as_ref().map(|s| &s.file)).or(session.profile.as_ref());
    if let Some(profile) = label {
        pieces.push((
            3,
            vec![Span::styled(
                format!(" {} ", sanitize(profile)),
                theme.accent,
            )],
        ));
    }
    pieces.push((
        8,
        vec![
            Span::styled(" account ", theme.muted),
            Span::raw(sanitize(&session.account_id).into_owned()),
        ],
    ));
    if let Some(user) = &session.user {
        pieces.push((
            2,
            vec![
                Span::styled("  as ", theme.muted),
                Span::raw(sanitize(user).into_owned()),
            ],
        ));
    }
    pieces.push((
        1,
        vec![Span::styled(
            format!("  {}", sanitize(&session.host)),
            theme.muted,
        )],
    ));
    let width = |spans: &[Span]| {
        spans
            .iter()
            .map(|s| sanitize::display_width(&s.content))
            .sum::<usize>()
    };
    let room = usize::from(area.width).saturating_sub(width(&right));
    while pieces.iter().map(|(_, spans)| width(spans)).sum::<usize>() > room {
        let Some(lowest) = pieces
            .iter()
            .enumerate()
            .filter(|(_, (priority, _))| *priority < 8)
            .min_by_key(|(_, (priority, _))| *priority)
            .map(|(index, _)| index)
        else {
            break;
        };
        pieces.remove(lowest);
    }
    let left: Vec<Span> = pieces.into_iter().flat_map(|(_, spans)| spans).collect();
    let right_width = u16::try_from(width(&right))
        .unwrap_or(area.width)
        .min(area.width);
    let [left_area, right_area] =
        Layout::horizontal([Constraint::Min(0), Constraint::Length(right_width)]).areas(area);
    frame.render_widget(Paragraph::new(Line::from(left)), left_area);
    frame.render_widget(Paragraph::new(Line::from(right)), right_area);
}

/// Badges on the breadcrumb line: expiring SP secrets (read in the background at start, so
/// they are on the first screen) and, once the audit ran, its high and medium counts.
fn badges<'a>(state: &AppState, theme: &Theme) -> Vec<Span<'a>> {
    let mut right: Vec<Span> = Vec::new();
    // Expired and soon-expiring SP secrets are on the first screen and stay in view.
    if state
        .list(crate::app::msg::Resource::Secrets)
        .is_some_and(|l| l.is_complete)
    {
        let (expired, soon) = (state.secret_flags.expired, state.secret_flags.expiring);
        if expired + soon > 0 {
            right.push(Span::styled(
                format!(" ⚠ secrets: {soon} expiring, {expired} expired "),
                if expired > 0 { theme.error } else { theme.warn },
            ));
        }
    }
    // Once the audit ran, its high and medium counts stay in view on every screen.
    if let Some(audit) = state
        .list(crate::app::msg::Resource::Audit)
        .filter(|l| l.is_complete)
    {
        let count = |severity: &str| {
            audit
                .rows
                .iter()
                .filter(|r| r.cells.first().is_some_and(|c| c == severity))
                .count()
        };
        let (high, medium) = (count("HIGH"), count("MEDIUM"));
        right.push(Span::styled(
            format!(" audit: {high} high, {medium} medium "),
            if high > 0 { theme.error } else { theme.warn },
        ));
    }
    right
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
    // The trail comes first: badges show only where they leave it whole, with a gap.
    let width = |spans: &[Span]| -> usize {
        spans
            .iter()
            .map(|s| sanitize::display_width(&s.content))
            .sum()
    };
    let mut right = badges(state, theme);
    if width(&spans) + width(&right) + 3 > usize::from(area.width) {
        right.clear();
    }
    let right_width = u16::try_from(width(&right)).unwrap_or(0);
    let [left_area, right_area] =
        Layout::horizontal([Constraint::Min(0), Constraint::Length(right_width)]).areas(area);
    frame.render_widget(Paragraph::new(Line::from(spans)), left_area);
    frame.render_widget(Paragraph::new(Line::from(right)), right_area);
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
    let entries: Vec<(String, &str)> = keymap
        .bindings(context(state))
        .iter()
        .map(|(action, keys)| {
            let keys: Vec<String> = keys.iter().map(|k| k.label()).collect();
            (keys.join(", "), describe(*action))
        })
        .collect();
    let area = frame.area();
    // One column when it fits, two side by side when the terminal is short.
    let room = usize::from(area.height.saturating_sub(4)).max(1);
    let columns = if entries.len() <= room { 1 } else { 2 };
    let per_column = entries.len().div_ceil(columns);
    // Columns share the screen: at 80 columns two of 39 fit.
    let column_width = (usize::from(area.width.saturating_sub(2)) / columns).min(45);
    let what_width = column_width.saturating_sub(19);
    let entry = |(keys, what): &(String, &str)| {
        let what = sanitize::truncate_to_width(what, what_width).into_owned();
        vec![
            Span::styled(format!(" {keys:<17} "), theme.accent),
            Span::raw(format!("{what:<what_width$}")),
        ]
    };
    let mut lines: Vec<Line> = (0..per_column)
        .map(|row| {
            let mut spans = Vec::new();
            for column in 0..columns {
                if let Some(item) = entries.get(column * per_column + row) {
                    spans.extend(entry(item));
                }
            }
            Line::from(spans)
        })
        .collect();
    lines.push(Line::from(Span::styled(
        " any key closes this help",
        theme.muted,
    )));
    let height = u16::try_from(lines.len() + 2)
        .unwrap_or(u16::MAX)
        .min(area.height);
    let width = u16::try_from(columns * 45 + 2)
        .unwrap_or(u16::MAX)
        .min(area.width);
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
