//! How far a snapshot got: on a terminal one redrawn line with every stage under way (they
//! run side by side), plain lines for finished stages otherwise.

use std::io::{IsTerminal, Write};
use std::sync::Mutex;

/// Reports how far the snapshot got.
pub trait Progress: Send + Sync {
    fn update(&self, stage: &str, done: usize, total: Option<usize>);
    fn finish(&self, stage: &str, count: usize);
}

/// A stage under way: its name, items done and the total when known.
type Active = (String, usize, Option<usize>);

/// Progress for headless use: a redrawn line on a terminal, plain lines otherwise.
pub struct StderrProgress {
    is_terminal: bool,
    active: Mutex<Vec<Active>>,
}

impl Default for StderrProgress {
    fn default() -> Self {
        Self {
            is_terminal: std::io::stderr().is_terminal(),
            active: Mutex::new(Vec::new()),
        }
    }
}

/// Columns of the terminal; 80 when it cannot tell (a pseudo-terminal may report 0).
fn terminal_width() -> usize {
    crossterm::terminal::size()
        .ok()
        .filter(|(columns, _)| *columns > 0)
        .map_or(80, |(columns, _)| usize::from(columns))
}

impl StderrProgress {
    fn active(&self) -> std::sync::MutexGuard<'_, Vec<Active>> {
        // Only ever a push, a removal or an assignment under the lock: nothing to repair.
        self.active
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
    }
}

impl Progress for StderrProgress {
    fn update(&self, stage: &str, done: usize, total: Option<usize>) {
        if !self.is_terminal {
            return;
        }
        let mut active = self.active();
        match active.iter_mut().find(|(name, ..)| name == stage) {
            Some(entry) => *entry = (stage.to_owned(), done, total),
            None => active.push((stage.to_owned(), done, total)),
        }
        let line = status_line(&active, terminal_width());
        let mut stderr = std::io::stderr().lock();
        let _ = write!(stderr, "\r\x1b[2K{line}");
        let _ = stderr.flush();
    }

    fn finish(&self, stage: &str, count: usize) {
        let mut active = self.active();
        active.retain(|(name, ..)| name != stage);
        let mut stderr = std::io::stderr().lock();
        let clear = if self.is_terminal { "\r\x1b[2K" } else { "" };
        let _ = writeln!(stderr, "{clear}{stage}: {}", thousands(count));
        if self.is_terminal && !active.is_empty() {
            let _ = write!(stderr, "{}", status_line(&active, terminal_width()));
        }
        let _ = stderr.flush();
    }
}

/// The redrawn line: one stage as a bar, several side by side as counts, cut to fit `width`
/// columns so that it never wraps (a wrapped line would not be redrawn in place).
pub fn status_line(active: &[Active], width: usize) -> String {
    let line = match active {
        [(stage, done, total)] => progress_line(stage, *done, *total),
        _ => active
            .iter()
            .map(|(stage, done, total)| match total {
                Some(total) => format!("{stage} {} of {}", thousands(*done), thousands(*total)),
                None => format!("{stage} {}", thousands(*done)),
            })
            .collect::<Vec<_>>()
            .join(" | "),
    };
    // Every character here is one column wide.
    line.chars().take(width.saturating_sub(1)).collect()
}

const BAR_WIDTH: usize = 24;

/// `users [██████░░░░░░░░░░░░░░░░░░]  1,300 of 100,000`, or a bare count without a total.
pub fn progress_line(stage: &str, done: usize, total: Option<usize>) -> String {
    match total.filter(|t| *t > 0) {
        Some(total) => {
            let filled = (done.min(total) * BAR_WIDTH) / total;
            let bar: String = "█".repeat(filled) + &"░".repeat(BAR_WIDTH - filled);
            format!(
                "{stage} [{bar}] {} of {}",
                thousands(done),
                thousands(total)
            )
        }
        None => format!("{stage}: {}", thousands(done)),
    }
}

/// `1300` → `1,300`.
pub fn thousands(n: usize) -> String {
    let digits = n.to_string();
    let mut out = String::with_capacity(digits.len() + digits.len() / 3);
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn thousands_are_grouped() {
        assert_eq!(thousands(0), "0");
        assert_eq!(thousands(999), "999");
        assert_eq!(thousands(1300), "1,300");
        assert_eq!(thousands(100_000), "100,000");
    }

    #[test]
    fn progress_bar_fills_with_the_fraction_done() {
        assert_eq!(
            progress_line("users", 0, Some(4)),
            format!("users [{}] 0 of 4", "░".repeat(24))
        );
        assert_eq!(
            progress_line("users", 1_300, Some(2_600)),
            format!(
                "users [{}{}] 1,300 of 2,600",
                "█".repeat(12),
                "░".repeat(12)
            )
        );
        assert_eq!(
            progress_line("users", 9, Some(4)),
            format!("users [{}] 9 of 4", "█".repeat(24))
        );
        assert_eq!(progress_line("workspaces", 6, None), "workspaces: 6");
    }

    #[test]
    fn one_stage_is_a_bar_and_several_are_counts_side_by_side() {
        let users = ("users".to_owned(), 1_300, Some(2_600));
        assert_eq!(
            status_line(std::slice::from_ref(&users), 200),
            progress_line("users", 1_300, Some(2_600))
        );
        let groups = ("group members".to_owned(), 20, None);
        assert_eq!(
            status_line(&[users, groups], 200),
            "users 1,300 of 2,600 | group members 20"
        );
    }

    #[test]
    fn the_line_is_cut_to_leave_the_last_column_free() {
        let stages = [
            ("users".to_owned(), 1, Some(2)),
            ("groups".to_owned(), 3, Some(4)),
        ];
        assert_eq!(status_line(&stages, 12), "users 1 of ");
        assert_eq!(status_line(&stages, 0), "");
    }
}
