//! A resource list: a table of the rows that pass the filter, with the count streaming in
//! ("1,300 of 100,000") and only the visible window built per frame, so 100k rows stay fast.

use ratatui::Frame;
use ratatui::layout::{Constraint, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Paragraph, Row, Table, Wrap};

use crate::app::columns;
use crate::app::msg::Resource;
use crate::app::state::{AppState, keep_in_view};
use crate::snapshot::thousands;
use crate::ui::sanitize::{sanitize, truncate_to_width};
use crate::ui::spinner;
use crate::ui::theme::Theme;

pub fn render(frame: &mut Frame, area: Rect, state: &AppState, resource: Resource, theme: &Theme) {
    let list = state.list(resource);
    let mut title = vec![Span::styled(
        format!(" {} ", resource.title()),
        theme.header,
    )];
    if let Some(list) = list {
        let shown = list.visible.len();
        let count = match (list.total, list.is_loading) {
            (Some(total), true) if total > list.rows.len() => {
                format!("{} of {}", thousands(list.rows.len()), thousands(total))
            }
            _ if !list.local_filter().is_empty() => {
                format!("{} of {}", thousands(shown), thousands(list.rows.len()))
            }
            _ => thousands(list.rows.len()),
        };
        title.push(Span::raw(format!("{count} ")));
        if list.is_loading {
            title.push(Span::styled(format!("{} ", spinner(state)), theme.accent));
        }
        if !list.filter.is_empty() {
            title.push(Span::styled(
                format!("/{} ", sanitize(&list.filter)),
                theme.accent,
            ));
        }
        if let Some(filter) = &list.server_filter {
            title.push(Span::styled(
                format!("server filter: {} ", sanitize(filter)),
                theme.accent,
            ));
        }
    }
    let block = Block::default()
        .borders(Borders::ALL)
        .border_style(theme.border)
        .title(Line::from(title));
    let inner_rows = usize::from(area.height.saturating_sub(3)).max(1);

    let Some(list) = list.filter(|l| !l.visible.is_empty()) else {
        let message = match list {
            Some(list) if list.error.is_some() => format!(
                "Could not load {}: {}",
                resource.title().to_lowercase(),
                sanitize(list.error.as_deref().unwrap_or_default())
            ),
            Some(list) if list.server_filter.is_some() && !list.is_loading => {
                "The server found nothing for that filter. Esc clears it.".to_string()
            }
            Some(list) if !list.filter.is_empty() && !list.rows.is_empty() => {
                format!(
                    "Nothing matches '{}'. Esc clears the filter.",
                    sanitize(&list.filter)
                )
            }
            Some(list) if list.is_loading || list.total.is_none() => {
                format!("Loading {}…", resource.title().to_lowercase())
            }
            _ => format!("No {} in this account.", resource.title().to_lowercase()),
        };
        // Errors wrap: the reason and what to do must be readable at 80 columns.
        let paragraph = Paragraph::new(format!(" {message}"))
            .style(theme.muted)
            .wrap(Wrap { trim: false });
        frame.render_widget(paragraph.block(block), area);
        return;
    };

    // The stored offset, moved only as far as needed when the terminal shrank.
    let offset = keep_in_view(list.offset, list.selected, inner_rows);
    // Column widths are computed here (not by the table) so cells can be cut with `…`:
    // a silently cut id invites copying a wrong one.
    let inner_width = usize::from(area.width.saturating_sub(2));
    let percents = columns::widths(resource);
    let spacing = percents.len().saturating_sub(1);
    let mut cell_widths: Vec<usize> = percents
        .iter()
        .map(|p| (inner_width.saturating_sub(spacing) * usize::from(*p)) / 100)
        .collect();
    // The rounding remainder goes to the last column rather than to nobody.
    let used: usize = cell_widths.iter().sum::<usize>() + spacing;
    if let Some(last) = cell_widths.last_mut() {
        *last += inner_width.saturating_sub(used);
    }
    fit_headers(&mut cell_widths, columns::headers(resource), list.sort);
    let rows: Vec<Row> = list.visible[offset..(offset + inner_rows).min(list.visible.len())]
        .iter()
        .enumerate()
        .map(|(position, index)| {
            let cells: Vec<String> = list.rows[*index]
                .cells
                .iter()
                .zip(&cell_widths)
                .map(|(cell, width)| truncate_to_width(cell, *width).into_owned())
                .collect();
            let row = Row::new(cells);
            if offset + position == list.selected {
                row.style(theme.selected)
            } else {
                row
            }
        })
        .collect();
    let widths: Vec<Constraint> = cell_widths
        .iter()
        .map(|w| Constraint::Length(u16::try_from(*w).unwrap_or(u16::MAX)))
        .collect();
    // The sorted column says so in text (▲/▼), readable without colour.
    let header = Row::new(
        columns::headers(resource)
            .iter()
            .enumerate()
            .map(|(column, name)| match list.sort {
                Some(sort) if sort.column == column => {
                    format!("{name} {}", if sort.descending { "▼" } else { "▲" })
                }
                _ => (*name).to_owned(),
            })
            .collect::<Vec<_>>(),
    )
    .style(theme.muted);
    frame.render_widget(
        Table::new(rows, widths)
            .header(header)
            .block(block)
            .column_spacing(1),
        area,
    );
}

/// Short columns get room for their header (and sort arrow); the widest column pays for it.
fn fit_headers(widths: &mut [usize], headers: &[&str], sort: Option<crate::app::state::Sort>) {
    let mut deficit = 0;
    for (column, (width, header)) in widths.iter_mut().zip(headers).enumerate() {
        let arrow = if sort.is_some_and(|s| s.column == column) {
            2
        } else {
            0
        };
        let need = header.chars().count() + arrow;
        if *width < need && need <= 16 {
            deficit += need - *width;
            *width = need;
        }
    }
    while deficit > 0 {
        let Some(widest) = widths.iter_mut().max_by_key(|w| **w) else {
            return;
        };
        if *widest <= 8 {
            return;
        }
        *widest -= 1;
        deficit -= 1;
    }
}
