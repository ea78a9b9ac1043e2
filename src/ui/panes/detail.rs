//! One object in full: typed fields and related objects (or the principal tree, or the raw
//! JSON), a cursor over the lines, and Enter on a linked line opening that object.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Paragraph};

use crate::app::state::{AppState, DetailMode, Route, keep_in_view};
use crate::ui::sanitize::{sanitize, truncate_to_width};
use crate::ui::spinner;
use crate::ui::theme::Theme;

pub fn render(frame: &mut Frame, area: Rect, state: &AppState, theme: &Theme) {
    let area = rotation_banner(frame, area, state, theme);
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
    match detail.mode {
        DetailMode::Fields => {}
        DetailMode::Tree => heading.push(Span::styled("· tree ", theme.accent)),
        DetailMode::Raw => heading.push(Span::styled("· raw JSON ", theme.accent)),
    }
    if detail.data.is_loading() {
        heading.push(Span::styled(format!("{} ", spinner(state)), theme.accent));
    }
    let block = Block::default()
        .borders(Borders::ALL)
        .border_style(theme.border)
        .title(Line::from(heading));
    let height = usize::from(area.height.saturating_sub(2)).max(1);
    let width = usize::from(area.width.saturating_sub(2));
    if detail.lines.is_empty() {
        let text = if detail.data.is_loading() {
            " Loading…"
        } else {
            " Nothing to show."
        };
        frame.render_widget(Paragraph::new(text).style(theme.muted).block(block), area);
        return;
    }
    // The stored offset, moved only as far as needed when the terminal shrank.
    let offset = keep_in_view(detail.offset, detail.selected, height);
    let lines: Vec<Line> = detail.lines[offset..(offset + height).min(detail.lines.len())]
        .iter()
        .enumerate()
        .map(|(position, line)| {
            let selected = offset + position == detail.selected;
            // A marker shows which lines open something, readable without colour.
            let marker = match (&line.link, selected) {
                (Some(_), true) => "›",
                (Some(_), false) => " ",
                (None, _) => " ",
            };
            let mut used = 1;
            let mut spans = vec![Span::styled(marker, theme.accent)];
            for (tone, text) in &line.spans {
                let room = width.saturating_sub(used);
                if room == 0 {
                    break;
                }
                let shown = truncate_to_width(text, room).into_owned();
                used += crate::ui::sanitize::display_width(&shown);
                spans.push(Span::styled(shown, theme.tone(*tone)));
            }
            let line = Line::from(spans);
            if selected {
                line.style(theme.selected)
            } else {
                line
            }
        })
        .collect();
    frame.render_widget(Paragraph::new(lines).block(block), area);
}

/// While a rotation waits for consumers to switch, the SP's detail says so above its lines:
/// what exists now and what to do next. Returns the area left for the detail.
fn rotation_banner(frame: &mut Frame, area: Rect, state: &AppState, theme: &Theme) -> Rect {
    let (Some(rotation), Some(detail)) = (&state.rotation, &state.detail) else {
        return area;
    };
    if detail.id != rotation.sp_id || area.height < 9 {
        return area;
    }
    let text = rotation.state_text(detail.data.value(), state.now);
    let next = match rotation.step {
        crate::app::rotation::Step::Creating => {
            "Create the new secret, store it, then come back here."
        }
        crate::app::rotation::Step::Waiting { .. } => {
            "When every consumer uses the new secret: select an old secret below and press d. Esc pauses; nothing is lost."
        }
    };
    let banner = Paragraph::new(vec![
        Line::from(Span::styled(format!(" {}", sanitize(&text)), theme.warn)),
        Line::from(Span::styled(format!(" {next}"), theme.muted)),
    ])
    .wrap(ratatui::widgets::Wrap { trim: false });
    let [top, rest] = ratatui::layout::Layout::vertical([
        ratatui::layout::Constraint::Length(4),
        ratatui::layout::Constraint::Min(3),
    ])
    .areas(area);
    frame.render_widget(banner, top);
    rest
}
