//! One resource in full: its JSON as the server sent it, sanitised line by line, scrollable.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Paragraph};

use crate::app::state::{AppState, Remote, Route};
use crate::ui::sanitize::sanitize;
use crate::ui::spinner;
use crate::ui::theme::Theme;

pub fn render(frame: &mut Frame, area: Rect, state: &AppState, theme: &Theme) {
    let (
        Route::Detail {
            resource, title, ..
        },
        Some(detail),
    ) = (state.route(), state.detail.as_ref())
    else {
        return;
    };
    let mut heading = vec![
        Span::styled(format!(" {} ", resource.title()), theme.header),
        Span::raw(format!("{} ", sanitize(title))),
    ];
    if detail.data.is_loading() {
        heading.push(Span::styled(format!("{} ", spinner(state)), theme.accent));
    }
    let block = Block::default()
        .borders(Borders::ALL)
        .border_style(theme.border)
        .title(Line::from(heading));
    let mut lines: Vec<Line> = Vec::new();
    if let Remote::Failed { error, .. } = &detail.data {
        lines.push(Line::from(Span::styled(
            format!(" Could not load: {}", sanitize(error)),
            theme.error,
        )));
    }
    match detail.data.value() {
        Some(value) => {
            let pretty = serde_json::to_string_pretty(value).unwrap_or_default();
            lines.extend(
                pretty
                    .lines()
                    .map(|line| Line::from(format!(" {}", sanitize(line)))),
            );
        }
        None if detail.data.is_loading() => {
            lines.push(Line::from(Span::styled(" Loading…", theme.muted)))
        }
        None => {}
    }
    frame.render_widget(
        Paragraph::new(lines)
            .block(block)
            .scroll((detail.scroll, 0)),
        area,
    );
}
